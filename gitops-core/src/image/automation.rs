//! The image-reflector-controller step of image automation: for every ImagePolicy, take
//! the tags of its ImageRepository, drop the repository's `exclusionList` matches, and
//! select the latest tag with the policy. The result is what the setters write
//! (`ns:name` → `image:tag`).
//!
//! Where the tags come from is the caller's business (a registry through
//! [`crate::registry`], a file, a test), so this module stays pure.
//!
//! ```
//! use gitops_core::image::automation::latest_images;
//! use gitops_core::yaml::{Limits, Profile, parse_values};
//! let objects = parse_values(r#"
//! apiVersion: image.toolkit.fluxcd.io/v1
//! kind: ImageRepository
//! metadata: {name: podinfo, namespace: flux-system}
//! spec: {image: ghcr.io/stefanprodan/podinfo, interval: 5m}
//! ---
//! apiVersion: image.toolkit.fluxcd.io/v1
//! kind: ImagePolicy
//! metadata: {name: podinfo, namespace: flux-system}
//! spec:
//!   imageRepositoryRef: {name: podinfo}
//!   policy: {semver: {range: 1.x}}
//! "#, Profile::Kyaml, &Limits::default()).unwrap();
//! let chosen = latest_images(&objects, "default", |image| {
//!     assert_eq!(image, "ghcr.io/stefanprodan/podinfo");
//!     Ok(vec!["1.0.0".into(), "1.2.0".into(), "2.0.0".into(), "1.2.0.sig".into()])
//! })
//! .unwrap();
//! assert_eq!(chosen[0].policy, "flux-system:podinfo");
//! assert_eq!(chosen[0].reference(), "ghcr.io/stefanprodan/podinfo:1.2.0");
//! ```

use indexmap::IndexMap;

use super::policy::{self, Policy};
use crate::yaml::Value;

const GROUP: &str = "image.toolkit.fluxcd.io";

/// Why the latest images could not be chosen.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// An ImagePolicy or ImageRepository without `metadata.name`.
    #[error("{kind} without metadata.name")]
    Unnamed {
        /// `ImagePolicy` or `ImageRepository`.
        kind: &'static str,
    },
    /// An ImageRepository without `spec.image`.
    #[error("ImageRepository {namespace}/{name}: spec.image is required")]
    NoImage {
        /// Its namespace.
        namespace: String,
        /// Its name.
        name: String,
    },
    /// `spec.exclusionList` is not a list of strings.
    #[error("ImageRepository {namespace}/{name}: spec.exclusionList must be a list of strings")]
    BadExclusionList {
        /// Its namespace.
        namespace: String,
        /// Its name.
        name: String,
    },
    /// The policy names a repository that is not among the objects.
    #[error(
        "ImagePolicy {policy}: referenced ImageRepository {namespace}/{name} not found \
         (looked in the given objects)"
    )]
    MissingRepository {
        /// The policy, `ns/name`.
        policy: String,
        /// The repository's namespace.
        namespace: String,
        /// The repository's name.
        name: String,
    },
    /// Listing the repository's tags failed.
    #[error("ImageRepository {repository} ({image}): {message}")]
    Tags {
        /// The repository, `ns/name`.
        repository: String,
        /// Its image.
        image: String,
        /// What the tag source said.
        message: String,
    },
    /// The policy is invalid, or no tag matches it (Flux's own message).
    #[error("ImagePolicy {policy}: {source}")]
    Policy {
        /// The policy, `ns/name`.
        policy: String,
        /// The policy error.
        #[source]
        source: policy::Error,
    },
}

/// The tag one ImagePolicy selects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Latest {
    /// The policy as setters name it: `namespace:name`.
    pub policy: String,
    /// The image of the policy's repository (`spec.image`).
    pub image: String,
    /// The selected tag.
    pub tag: String,
    /// How many tags the policy chose from (after the exclusion list).
    pub candidates: usize,
}

impl Latest {
    /// `image:tag`, the value a `# {"$imagepolicy": "ns:name"}` marker receives.
    pub fn reference(&self) -> String {
        format!("{}:{}", self.image, self.tag)
    }
}

fn meta<'a>(obj: &'a Value, field: &str) -> Option<&'a str> {
    obj.get_path(&["metadata", field]).and_then(Value::as_str).filter(|s| !s.is_empty())
}

fn is_kind(obj: &Value, kind: &str) -> bool {
    let group = obj
        .get("apiVersion")
        .and_then(Value::as_str)
        .and_then(|a| a.rsplit_once('/'))
        .map_or("", |(g, _)| g);
    group == GROUP && obj.get("kind").and_then(Value::as_str) == Some(kind)
}

struct Repo<'a> {
    image: &'a str,
    exclusion: Option<Vec<String>>,
}

/// For every ImagePolicy among `objects` (in their order), the latest tag of its
/// ImageRepository (also among `objects`). `tags(image)` lists a repository's tags; it is
/// called once per distinct image. Objects without `metadata.namespace` are in
/// `default_namespace`; a policy's `imageRepositoryRef.namespace` defaults to the
/// policy's. Other kinds are ignored.
pub fn latest_images<F>(
    objects: &[Value],
    default_namespace: &str,
    mut tags: F,
) -> Result<Vec<Latest>, Error>
where
    F: FnMut(&str) -> Result<Vec<String>, String>,
{
    let mut repos: IndexMap<(String, String), Repo<'_>> = IndexMap::new();
    for obj in objects.iter().filter(|o| is_kind(o, "ImageRepository")) {
        let name = meta(obj, "name").ok_or(Error::Unnamed { kind: "ImageRepository" })?;
        let namespace = meta(obj, "namespace").unwrap_or(default_namespace);
        let image = obj
            .get_path(&["spec", "image"])
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .ok_or_else(|| Error::NoImage { namespace: namespace.into(), name: name.into() })?;
        let exclusion = match obj.get_path(&["spec", "exclusionList"]) {
            None | Some(Value::Null) => None,
            Some(v) => {
                let bad =
                    || Error::BadExclusionList { namespace: namespace.into(), name: name.into() };
                let list = v.as_seq().ok_or_else(bad)?;
                let mut out = Vec::with_capacity(list.len());
                for p in list {
                    out.push(p.as_str().ok_or_else(bad)?.to_string());
                }
                Some(out)
            }
        };
        repos.insert((namespace.to_string(), name.to_string()), Repo { image, exclusion });
    }
    let mut listed: IndexMap<String, Vec<String>> = IndexMap::new();
    let mut out = Vec::new();
    for obj in objects.iter().filter(|o| is_kind(o, "ImagePolicy")) {
        let name = meta(obj, "name").ok_or(Error::Unnamed { kind: "ImagePolicy" })?;
        let namespace = meta(obj, "namespace").unwrap_or(default_namespace);
        let id = format!("{namespace}/{name}");
        let policy = Policy::from_object(obj)
            .map_err(|source| Error::Policy { policy: id.clone(), source })?;
        let repo_ref = obj.get_path(&["spec", "imageRepositoryRef"]);
        let repo_name = repo_ref.and_then(|r| r.get("name")).and_then(Value::as_str).unwrap_or("");
        let repo_ns = repo_ref
            .and_then(|r| r.get("namespace"))
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .unwrap_or(namespace);
        let key = (repo_ns.to_string(), repo_name.to_string());
        let Some(repo) = repos.get(&key) else {
            return Err(Error::MissingRepository { policy: id, namespace: key.0, name: key.1 });
        };
        if !listed.contains_key(repo.image) {
            let list = tags(repo.image).map_err(|message| Error::Tags {
                repository: format!("{}/{}", key.0, key.1),
                image: repo.image.to_string(),
                message,
            })?;
            listed.insert(repo.image.to_string(), list);
        }
        let all = listed.get(repo.image).map(Vec::as_slice).unwrap_or_default();
        let kept = policy::exclude_tags(all, repo.exclusion.as_deref())
            .map_err(|source| Error::Policy { policy: id.clone(), source })?;
        let tag = policy.latest(&kept).map_err(|source| Error::Policy { policy: id, source })?;
        out.push(Latest {
            policy: format!("{namespace}:{name}"),
            image: repo.image.to_string(),
            tag: tag.to_string(),
            candidates: kept.len(),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::{Limits, Profile, parse_values};

    const REPO: &str = "apiVersion: image.toolkit.fluxcd.io/v1\nkind: ImageRepository\nmetadata: {name: backend, namespace: flux-system}\nspec: {image: ghcr.io/ldbl/backend}\n";

    fn policy(name: &str, spec: &str) -> String {
        format!(
            "apiVersion: image.toolkit.fluxcd.io/v1\nkind: ImagePolicy\nmetadata: {{name: {name}, namespace: flux-system}}\nspec:\n  imageRepositoryRef: {{name: backend}}\n{spec}"
        )
    }

    // The seed's three environments over one tag list: develop follows release
    // candidates, staging stable versions, production the `production-latest` tag.
    const SEED_TAGS: &[&str] = &[
        "v1.2.2",
        "v1.2.3-rc.a1b2c3d",
        "v1.2.3",
        "v1.2.4-rc.4f2a9c1",
        "v1.2.4-rc.9e8d7c6",
        "production-latest",
        "sha256-0123.sig",
        "dev-abc123-1700000000",
    ];

    #[test]
    fn seed_environments() {
        let cases: &[(&str, &str, &str)] = &[
            (
                "backend-develop",
                "  filterTags:\n    pattern: '^v(?P<v>[0-9]+\\.[0-9]+\\.[0-9]+-rc\\.[a-f0-9]+)$'\n    extract: '$v'\n  policy: {alphabetical: {order: asc}}\n",
                "v1.2.4-rc.9e8d7c6",
            ),
            (
                "backend-staging",
                "  filterTags: {pattern: '^v[0-9]+\\.[0-9]+\\.[0-9]+$'}\n  policy: {semver: {range: '>=1.0.0'}}\n",
                "v1.2.3",
            ),
            (
                "backend-production",
                "  filterTags: {pattern: '^production-latest$'}\n  policy: {alphabetical: {}}\n",
                "production-latest",
            ),
            (
                "backend-semver-pre",
                "  policy: {semver: {range: '>=1.2.4-0'}}\n",
                "v1.2.4-rc.9e8d7c6",
            ),
        ];
        let tags: Vec<String> = SEED_TAGS.iter().map(|s| s.to_string()).collect();
        for (name, spec, want) in cases {
            let text = format!("{REPO}---\n{}", policy(name, spec));
            let objects = parse_values(&text, Profile::Kyaml, &Limits::default()).unwrap();
            let got = latest_images(&objects, "default", |_| Ok(tags.clone())).unwrap();
            assert_eq!(got.len(), 1, "{name}");
            assert_eq!(got[0].tag, *want, "{name}");
            assert_eq!(got[0].policy, format!("flux-system:{name}"));
            assert_eq!(got[0].candidates, SEED_TAGS.len() - 1, "the .sig tag is excluded");
        }
    }

    #[test]
    fn errors_and_listing_once() {
        let cases: &[(&str, &str)] = &[
            (
                "apiVersion: image.toolkit.fluxcd.io/v1\nkind: ImagePolicy\nmetadata: {name: p}\nspec:\n  imageRepositoryRef: {name: nope}\n  policy: {semver: {range: 1.x}}\n",
                "ImagePolicy default/p: referenced ImageRepository default/nope not found (looked in the given objects)",
            ),
            (
                "apiVersion: image.toolkit.fluxcd.io/v1\nkind: ImageRepository\nmetadata: {name: r}\nspec: {interval: 1m}\n",
                "ImageRepository default/r: spec.image is required",
            ),
            (
                "apiVersion: image.toolkit.fluxcd.io/v1\nkind: ImageRepository\nmetadata: {name: r}\nspec: {image: x, exclusionList: [1, {a: b}]}\n",
                "ImageRepository default/r: spec.exclusionList must be a list of strings",
            ),
        ];
        for (text, want) in cases {
            let objects = parse_values(text, Profile::Kyaml, &Limits::default()).unwrap();
            let err = latest_images(&objects, "default", |_| Ok(vec![])).unwrap_err();
            assert_eq!(err.to_string(), *want);
        }
        // No tag matches: Flux's own message, prefixed by the policy.
        let text = format!("{REPO}---\n{}", policy("p", "  policy: {semver: {range: '>=9'}}\n"));
        let objects = parse_values(&text, Profile::Kyaml, &Limits::default()).unwrap();
        let err = latest_images(&objects, "x", |_| Ok(vec!["1.0.0".into()])).unwrap_err();
        assert!(err.to_string().starts_with("ImagePolicy flux-system/p: "), "{err}");
        // A failing tag source names the repository and image.
        let err = latest_images(&objects, "x", |_| Err("NAME_UNKNOWN".into())).unwrap_err();
        assert_eq!(
            err.to_string(),
            "ImageRepository flux-system/backend (ghcr.io/ldbl/backend): NAME_UNKNOWN"
        );
        // Two policies over one repository list its tags once; the exclusion list
        // replaces the default one.
        let text = format!(
            "{}---\n{}---\n{}",
            REPO.replace("spec: {", "spec: {exclusionList: ['^v1\\.2\\.3$'], "),
            policy("a", "  policy: {semver: {range: 1.x}}\n"),
            policy("b", "  policy: {alphabetical: {order: asc}}\n"),
        );
        let objects = parse_values(&text, Profile::Kyaml, &Limits::default()).unwrap();
        let mut calls = 0;
        let got = latest_images(&objects, "x", |_| {
            calls += 1;
            Ok(vec!["1.2.3".into(), "v1.2.3".into(), "1.0.0".into(), "z.sig".into()])
        })
        .unwrap();
        assert_eq!(calls, 1);
        let tags: Vec<&str> = got.iter().map(|l| l.tag.as_str()).collect();
        assert_eq!(tags, ["1.2.3", "z.sig"]);
    }
}
