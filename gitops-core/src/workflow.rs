//! The whole-cluster workflow behind `gitops render|deps|plan|diff|apply|health`, as
//! library functions so that the CLI only parses arguments and prints.
//!
//! | item | what |
//! |---|---|
//! | [`objects_from_yaml`] | the objects of a YAML stream, errors naming the file and document |
//! | [`find_kustomization`] | one rendered Kustomization by `name` or `namespace/name` |
//! | [`dependency_nodes`], [`dependency_order`] | the `dependsOn` graph of a rendered cluster, Kustomizations in apply order |
//! | [`plan_options`] | a Kustomization's `spec` as [`plan::Options`] (owner, prune, force, ignore rules) |
//! | [`plan_cluster`] | the plan of every Kustomization against a [`Cluster`], in dependency order |
//! | [`apply_cluster`] | plan and apply every Kustomization in dependency order |
//! | [`diff_cluster`] | per changed object: its change-set action, structured changes and unified diff |
//!
//! Each Kustomization is planned against the live state as it is when its turn comes:
//! [`apply_cluster`] applies one before planning the next, as the controllers reconcile
//! them in `dependsOn` order; [`plan_cluster`] plans all against the current state.
//!
//! ```
//! use gitops_core::cluster::LiveDir;
//! use gitops_core::fs::MemFs;
//! use gitops_core::render::{BuildError, Builder, Options, render_cluster};
//! use gitops_core::flux::Kustomization;
//! use gitops_core::resource::Resource;
//! use gitops_core::workflow::{apply_cluster, plan_cluster};
//! use gitops_core::yaml::{Limits, Profile, parse_values};
//! use std::path::Path;
//!
//! /// A toy builder: every `.yaml` file of the directory, as is.
//! struct Files;
//! impl Builder for Files {
//!     fn build(&self, fs: &dyn gitops_core::fs::FileSystem, dir: &Path, _: &Kustomization) -> Result<Vec<Resource>, BuildError> {
//!         let mut out = Vec::new();
//!         for p in fs.read_dir(dir)? {
//!             let text = String::from_utf8(fs.read_file(&p)?)?;
//!             out.extend(parse_values(&text, Profile::ApiServer, &Limits::default())?.into_iter().map(Resource::new));
//!         }
//!         Ok(out)
//!     }
//! }
//! let mut fs = MemFs::new();
//! fs.add_file("/repo/clusters/dev/sync.yaml", "apiVersion: kustomize.toolkit.fluxcd.io/v1
//! kind: Kustomization
//! metadata: {name: apps, namespace: flux-system}
//! spec: {interval: 10m, path: ./apps, prune: true, sourceRef: {kind: GitRepository, name: flux-system}}
//! ");
//! fs.add_file("/repo/apps/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web, namespace: apps}\n");
//! let out = render_cluster(&fs, Path::new("/repo/clusters/dev"), &Files, &Options { root: Some("/repo".into()), ..Options::default() }).unwrap();
//! let dir = std::env::temp_dir().join(format!("gitops-doc-workflow-{}", std::process::id()));
//! let mut live = LiveDir::open(&dir).unwrap();
//! let applied = apply_cluster(&out, &mut live).unwrap();
//! assert_eq!(applied[1].change_set.to_string(), "ConfigMap/apps/web created");
//! let again = plan_cluster(&out, &live).unwrap();
//! assert!(again.iter().all(|k| !k.plan.change_set().has_changes()));
//! std::fs::remove_dir_all(&dir).unwrap();
//! ```

use crate::cluster::Cluster;
use crate::deps::{self, Node, NodeId};
use crate::diff::{self, Change};
use crate::inventory::Owner;
use crate::plan::{self, Action, ChangeSet, Plan};
use crate::render::{Outcome, Rendered};
use crate::resource::Resource;
use crate::yaml::{Limits, Profile, Value, emit, parse_values};

/// Why a workflow step failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A YAML stream does not parse.
    #[error("{origin}: {source}")]
    Yaml {
        /// The file (or other origin) of the stream.
        origin: String,
        /// The parser's error.
        source: crate::yaml::Error,
    },
    /// `--ks` names no rendered Kustomization, or a bare name matches several.
    #[error("Kustomization '{wanted}' {problem}; rendered: {available}")]
    NoSuchKustomization {
        /// What was asked for.
        wanted: String,
        /// `not found` or `is ambiguous`.
        problem: &'static str,
        /// The rendered ones, `namespace/name`, comma-separated.
        available: String,
    },
    /// The dependency graph is invalid (cycle, missing dependency).
    #[error("{0}")]
    Deps(#[from] deps::Error),
    /// A Kustomization's `spec.ignore` does not compile.
    #[error("Kustomization '{kustomization}': {source}")]
    Ignore {
        /// `namespace/name`.
        kustomization: String,
        /// The rule's error.
        source: diff::Error,
    },
    /// Planning or applying a Kustomization failed.
    #[error("Kustomization '{kustomization}': {source}")]
    Plan {
        /// `namespace/name`.
        kustomization: String,
        /// The plan error.
        source: plan::Error,
    },
    /// Reading the live state failed.
    #[error("Kustomization '{kustomization}': {source}")]
    Cluster {
        /// `namespace/name`.
        kustomization: String,
        /// The cluster error.
        source: crate::cluster::Error,
    },
    /// A document of a YAML stream is not a Kubernetes object.
    #[error("{origin}: document {index}: {message}")]
    NotAnObject {
        /// The file (or other origin) of the stream.
        origin: String,
        /// The document's position (1-based).
        index: usize,
        /// What is wrong.
        message: String,
    },
}

/// The objects of a YAML stream, read with the API server's YAML profile: empty
/// documents are skipped, a `kind: List` is flattened into its `items`, and every object
/// must be a mapping with `apiVersion`, `kind` and `metadata.name`. `origin` (a file
/// name) is put in front of every error.
///
/// ```
/// use gitops_core::workflow::objects_from_yaml;
/// let text = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\n---\napiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: Secret, metadata: {name: b}}\n";
/// let objects = objects_from_yaml(text, "in.yaml").unwrap();
/// let kinds: Vec<_> = objects.iter().map(|o| o.kind()).collect();
/// assert_eq!(kinds, ["ConfigMap", "Secret"]);
/// let err = objects_from_yaml("- a\n", "bad.yaml").unwrap_err();
/// assert_eq!(err.to_string(), "bad.yaml: document 1: not a mapping but a sequence");
/// ```
pub fn objects_from_yaml(text: &str, origin: &str) -> Result<Vec<Resource>, Error> {
    let values = parse_values(text, Profile::ApiServer, &Limits::default())
        .map_err(|source| Error::Yaml { origin: origin.to_owned(), source })?;
    let mut out = Vec::new();
    for (i, value) in values.into_iter().enumerate() {
        let bad = |message: String| Error::NotAnObject {
            origin: origin.to_owned(),
            index: i + 1,
            message,
        };
        if value.is_null() {
            continue;
        }
        if !matches!(value, Value::Map(_)) {
            return Err(bad(format!("not a mapping but a {}", value.kind_name())));
        }
        let is_list = value.get("kind").and_then(Value::as_str) == Some("List")
            && value.get("apiVersion").and_then(Value::as_str) == Some("v1");
        let items = if is_list {
            match value.get("items") {
                None | Some(Value::Null) => Vec::new(),
                Some(Value::Seq(items)) => items.clone(),
                Some(other) => {
                    return Err(bad(format!("List items is a {}, not a list", other.kind_name())));
                }
            }
        } else {
            vec![value]
        };
        for item in items {
            if !matches!(item, Value::Map(_)) {
                return Err(bad(format!("not a mapping but a {}", item.kind_name())));
            }
            let field = |path: &[&str]| item.get_path(path).and_then(Value::as_str).unwrap_or("");
            for (path, what) in [
                (&["apiVersion"][..], "apiVersion"),
                (&["kind"][..], "kind"),
                (&["metadata", "name"][..], "metadata.name"),
            ] {
                if field(path).is_empty() {
                    return Err(bad(format!("missing {what}")));
                }
            }
            out.push(Resource::new(item));
        }
    }
    Ok(out)
}

/// The rendered Kustomization `wanted` names: `namespace/name`, or a bare `name` that
/// exactly one rendered Kustomization has.
pub fn find_kustomization<'a>(outcome: &'a Outcome, wanted: &str) -> Result<&'a Rendered, Error> {
    let matches: Vec<&Rendered> = match wanted.split_once('/') {
        Some((ns, name)) => outcome.get(ns, name).into_iter().collect(),
        None => outcome.kustomizations.iter().filter(|k| k.name == wanted).collect(),
    };
    match matches.as_slice() {
        [one] => Ok(one),
        found => Err(Error::NoSuchKustomization {
            wanted: wanted.to_owned(),
            problem: if found.is_empty() { "not found" } else { "is ambiguous" },
            available: outcome
                .kustomizations
                .iter()
                .map(Rendered::key)
                .collect::<Vec<_>>()
                .join(", "),
        }),
    }
}

/// The rendered Kustomizations, then the skipped ones (no dependencies: they are not
/// rendered, but others may depend on them).
fn kustomization_nodes(outcome: &Outcome) -> Vec<Node> {
    let skipped = outcome.skipped.iter().filter_map(|s| {
        let (ns, name) = s.kustomization.split_once('/')?;
        Some(Node { id: NodeId::new("Kustomization", ns, name), depends_on: Vec::new() })
    });
    outcome
        .kustomizations
        .iter()
        .map(|k| Node {
            id: NodeId::new("Kustomization", &k.namespace, &k.name),
            depends_on: k
                .depends_on
                .iter()
                .map(|d| {
                    let ns = if d.namespace.is_empty() { &k.namespace } else { &d.namespace };
                    NodeId::new("Kustomization", ns, &d.name)
                })
                .collect(),
        })
        .chain(skipped)
        .collect()
}

/// The `dependsOn` graph of a rendered cluster: every rendered Kustomization (render
/// order), then every HelmRelease among their objects (first definition wins).
pub fn dependency_nodes(outcome: &Outcome) -> Result<Vec<Node>, Error> {
    let mut nodes = kustomization_nodes(outcome);
    for k in &outcome.kustomizations {
        let releases: Vec<Resource> = k.helm_releases().cloned().collect();
        for node in deps::nodes_from_resources(&releases)? {
            if !nodes.iter().any(|n| n.id == node.id) {
                nodes.push(node);
            }
        }
    }
    Ok(nodes)
}

/// The rendered Kustomizations in the order their `dependsOn` asks for (Flux's
/// depth-first order over render order); a cycle or a missing dependency is an error. A
/// dependency on a Kustomization the render skipped ([`Outcome::skipped`]) is allowed; the
/// skipped one is not in the result.
pub fn dependency_order(outcome: &Outcome) -> Result<Vec<&Rendered>, Error> {
    let order = deps::order(&kustomization_nodes(outcome))?;
    Ok(order.iter().filter_map(|id| outcome.get(&id.namespace, &id.name)).collect())
}

/// The plan settings of a Kustomization: its owner labels and inventory, `spec.prune`,
/// `spec.force` and the `spec.ignore` drift rules.
pub fn plan_options(ks: &Rendered) -> Result<plan::Options, Error> {
    let spec = &ks.kustomization.spec;
    let mut ignore = Vec::with_capacity(spec.ignore.len());
    for rule in &spec.ignore {
        let target = rule.target.as_ref().map(|t| diff::Selector {
            group: t.group.clone(),
            version: t.version.clone(),
            kind: t.kind.clone(),
            name: t.name.clone(),
            namespace: t.namespace.clone(),
            label_selector: t.label_selector.clone(),
            annotation_selector: t.annotation_selector.clone(),
        });
        ignore.push(
            diff::IgnoreRule::new(rule.paths.clone(), target)
                .map_err(|source| Error::Ignore { kustomization: ks.key(), source })?,
        );
    }
    Ok(plan::Options {
        owner: Some(Owner::new(&ks.name, &ks.namespace)),
        prune: spec.prune,
        force: spec.force,
        diff: diff::Options { ignore, ..diff::Options::default() },
        ..plan::Options::default()
    })
}

/// The plan of one Kustomization.
#[derive(Debug, Clone)]
pub struct KustomizationPlan {
    /// `namespace/name`.
    pub kustomization: String,
    /// Its settings (for [`diff_cluster`]).
    pub options: plan::Options,
    /// The plan.
    pub plan: Plan,
}

fn plan_one(ks: &Rendered, live: &dyn Cluster) -> Result<KustomizationPlan, Error> {
    let options = plan_options(ks)?;
    let cluster_err = |source| Error::Cluster { kustomization: ks.key(), source };
    let owner = Owner::new(&ks.name, &ks.namespace);
    let previous = live.read_inventory(&owner).map_err(cluster_err)?;
    let plan = plan::plan(&ks.objects, live, previous.as_ref(), &options)
        .map_err(|source| Error::Plan { kustomization: ks.key(), source })?;
    Ok(KustomizationPlan { kustomization: ks.key(), options, plan })
}

/// Plan every Kustomization, in [`dependency_order`], against the current live state.
pub fn plan_cluster(
    outcome: &Outcome,
    live: &dyn Cluster,
) -> Result<Vec<KustomizationPlan>, Error> {
    dependency_order(outcome)?.into_iter().map(|ks| plan_one(ks, live)).collect()
}

/// What [`apply_cluster`] did to one Kustomization.
#[derive(Debug, Clone)]
pub struct Applied {
    /// `namespace/name`.
    pub kustomization: String,
    /// The change set (apply entries, then prune entries).
    pub change_set: ChangeSet,
}

/// Plan and apply ([`plan::apply_plan`]) every Kustomization in [`dependency_order`], each
/// planned after the previous one is applied. Stops at the first error; the
/// Kustomizations before it stay applied.
pub fn apply_cluster(outcome: &Outcome, live: &mut dyn Cluster) -> Result<Vec<Applied>, Error> {
    let mut out = Vec::new();
    for ks in dependency_order(outcome)? {
        let planned = plan_one(ks, live)?;
        let change_set = plan::apply_plan(live, &planned.plan)
            .map_err(|source| Error::Plan { kustomization: ks.key(), source })?;
        out.push(Applied { kustomization: ks.key(), change_set });
    }
    Ok(out)
}

/// One object a plan changes.
#[derive(Debug, Clone)]
pub struct ObjectDiff {
    /// The Kustomization, `namespace/name`.
    pub kustomization: String,
    /// `Kind/namespace/name`.
    pub subject: String,
    /// `created`, `configured` or `deleted`.
    pub action: Action,
    /// The drifted fields ([`diff::compare`]; Secret values masked). For a created object
    /// one change at `""` with the whole (masked) object as `after`; for a deleted one the
    /// live object as `before`.
    pub changes: Vec<Change>,
    /// The unified diff (`--- live/...`, `+++ desired/...`; `/dev/null` for a side that
    /// does not exist), Secret values masked.
    pub unified: String,
}

/// The objects the plans change, in plan order, with their differences from the live
/// state. An object planned `configured` only because the live object still holds
/// fields removed from Git may have no structured changes.
pub fn diff_cluster(
    plans: &[KustomizationPlan],
    live: &dyn Cluster,
) -> Result<Vec<ObjectDiff>, Error> {
    let mut out = Vec::new();
    for kp in plans {
        let cluster_err =
            |source| Error::Cluster { kustomization: kp.kustomization.clone(), source };
        for step in &kp.plan.apply {
            let action = step.entry.action;
            if !matches!(action, Action::Created | Action::Configured) {
                continue;
            }
            let current = live.get(&step.entry.id).map_err(cluster_err)?;
            let changes = match (&current, action) {
                (Some(l), Action::Configured) => diff::compare(&step.object, l, &kp.options.diff),
                _ => vec![Change {
                    path: String::new(),
                    before: None,
                    after: Some(diff::mask_secret(&step.object).into_value()),
                }],
            };
            let unified = diff::unified(&step.object, current.as_ref(), &kp.options.diff);
            out.push(ObjectDiff {
                kustomization: kp.kustomization.clone(),
                subject: step.entry.subject.clone(),
                action,
                changes,
                unified,
            });
        }
        for entry in kp.plan.prune.iter().filter(|e| e.action == Action::Deleted) {
            let Some(current) = live.get(&entry.id).map_err(cluster_err)? else { continue };
            let masked = diff::mask_secret(&current).into_value();
            let text = emit(&masked).unwrap_or_default();
            let unified = diff::unified_text(
                &text,
                "",
                &format!("live/{}", entry.subject),
                "/dev/null",
                kp.options.diff.context,
            );
            out.push(ObjectDiff {
                kustomization: kp.kustomization.clone(),
                subject: entry.subject.clone(),
                action: Action::Deleted,
                changes: vec![Change { path: String::new(), before: Some(masked), after: None }],
                unified,
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flux::Kustomization;
    use crate::fs::{FileSystem, MemFs};
    use crate::render::{BuildError, Builder, Options, render_cluster};
    use std::path::Path;

    /// Every file of the directory, as is.
    struct Files;
    impl Builder for Files {
        fn build(
            &self,
            fs: &dyn FileSystem,
            dir: &Path,
            _: &Kustomization,
        ) -> Result<Vec<Resource>, BuildError> {
            let mut out = Vec::new();
            for p in fs.read_dir(dir)? {
                let text = String::from_utf8(fs.read_file(&p)?)?;
                out.extend(objects_from_yaml(&text, "x")?);
            }
            Ok(out)
        }
    }

    fn ks(name: &str, ns: &str, extra: &str) -> String {
        format!(
            "apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: {{name: {name}, namespace: {ns}}}\nspec:\n  interval: 1m\n  path: ./{name}\n  prune: true\n  sourceRef: {{kind: GitRepository, name: flux-system, namespace: flux-system}}\n{extra}---\n"
        )
    }

    /// A cluster whose sync file holds `kustomizations`; each `./<name>` folder gets one
    /// ConfigMap.
    fn render(kustomizations: &[(&str, &str, &str)]) -> Result<Outcome, crate::render::Error> {
        let mut fs = MemFs::new();
        let text: String = kustomizations.iter().map(|(n, ns, extra)| ks(n, ns, extra)).collect();
        fs.add_file("/repo/clusters/c/sync.yaml", text);
        for (name, _, _) in kustomizations {
            fs.add_file(
                format!("/repo/{name}/cm.yaml"),
                format!(
                    "apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: {name}, namespace: apps}}\n"
                ),
            );
        }
        let options = Options { root: Some("/repo".into()), ..Options::default() };
        render_cluster(&fs, Path::new("/repo/clusters/c"), &Files, &options)
    }

    #[test]
    fn dependency_order_table() {
        let dep = |names: &[&str]| -> String {
            let mut s = String::from("  dependsOn:\n");
            for n in names {
                match n.split_once('/') {
                    Some((ns, name)) => {
                        s.push_str(&format!("  - {{name: {name}, namespace: {ns}}}\n"))
                    }
                    None => s.push_str(&format!("  - name: {n}\n")),
                }
            }
            s
        };
        type Case<'a> = (Vec<(&'a str, &'a str, String)>, Result<&'a [&'a str], &'a str>);
        let cases: Vec<Case> = vec![
            (vec![("a", "fx", String::new()), ("b", "fx", String::new())], Ok(&["fx/a", "fx/b"])),
            (vec![("a", "fx", dep(&["b"])), ("b", "fx", String::new())], Ok(&["fx/b", "fx/a"])),
            (
                vec![
                    ("a", "fx", dep(&["c", "b"])),
                    ("b", "fx", dep(&["c"])),
                    ("c", "fx", String::new()),
                ],
                Ok(&["fx/c", "fx/b", "fx/a"]),
            ),
            // Cross-namespace dependency.
            (
                vec![("a", "fx", dep(&["other/b"])), ("b", "other", String::new())],
                Ok(&["other/b", "fx/a"]),
            ),
            (
                vec![("a", "fx", dep(&["b"])), ("b", "fx", dep(&["a"]))],
                Err("circular dependency detected: fx/a -> fx/b -> fx/a"),
            ),
            (
                vec![("a", "fx", dep(&["zz"]))],
                Err("Kustomization fx/a depends on fx/zz, which does not exist"),
            ),
        ];
        for (input, want) in cases {
            let spec: Vec<(&str, &str, &str)> =
                input.iter().map(|(a, b, c)| (*a, *b, c.as_str())).collect();
            let outcome = render(&spec).unwrap();
            let got = dependency_order(&outcome)
                .map(|v| {
                    v.iter()
                        .map(|k| k.key())
                        .filter(|k| k != "flux-system/flux-system")
                        .collect::<Vec<_>>()
                })
                .map_err(|e| e.to_string());
            match want {
                Ok(keys) => {
                    assert_eq!(got, Ok(keys.iter().map(|k| k.to_string()).collect()), "{spec:?}")
                }
                Err(msg) => assert_eq!(got, Err(msg.to_owned()), "{spec:?}"),
            }
        }
    }

    #[test]
    fn dependency_on_a_skipped_kustomization() {
        let mut fs = MemFs::new();
        let mut text = ks("a", "fx", "  dependsOn:\n  - name: ext\n");
        text.push_str(
            &ks("ext", "fx", "").replace("name: flux-system, namespace", "name: other, namespace"),
        );
        fs.add_file("/repo/clusters/c/sync.yaml", text);
        fs.add_file("/repo/a/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n");
        let options = Options {
            root: Some("/repo".into()),
            skip_unavailable_sources: true,
            ..Options::default()
        };
        let outcome = render_cluster(&fs, Path::new("/repo/clusters/c"), &Files, &options).unwrap();
        assert_eq!(outcome.skipped.len(), 1);
        let keys: Vec<String> =
            dependency_order(&outcome).unwrap().iter().map(|k| k.key()).collect();
        assert_eq!(keys, ["flux-system/flux-system", "fx/a"]);
        let nodes = dependency_nodes(&outcome).unwrap();
        assert!(nodes.iter().any(|n| n.id.name == "ext"));
    }

    #[test]
    fn find_kustomization_table() {
        let outcome = render(&[("a", "one", ""), ("a", "two", ""), ("b", "one", "")]).unwrap();
        let cases = [
            ("b", Ok("one/b")),
            ("one/a", Ok("one/a")),
            ("two/a", Ok("two/a")),
            (
                "a",
                Err(
                    "Kustomization 'a' is ambiguous; rendered: flux-system/flux-system, one/a, two/a, one/b",
                ),
            ),
            (
                "zz",
                Err(
                    "Kustomization 'zz' not found; rendered: flux-system/flux-system, one/a, two/a, one/b",
                ),
            ),
            (
                "two/b",
                Err(
                    "Kustomization 'two/b' not found; rendered: flux-system/flux-system, one/a, two/a, one/b",
                ),
            ),
        ];
        for (wanted, want) in cases {
            let got =
                find_kustomization(&outcome, wanted).map(|k| k.key()).map_err(|e| e.to_string());
            assert_eq!(got, want.map(str::to_owned).map_err(str::to_owned), "{wanted}");
        }
    }

    #[test]
    fn plan_options_from_spec() {
        let outcome = render(&[
            (
                "a",
                "fx",
                "  force: true\n  ignore:\n  - paths: [/data/x]\n    target: {kind: ConfigMap}\n",
            ),
            ("b", "fx", "  ignore:\n  - paths: [\"no-slash\"]\n"),
        ])
        .unwrap();
        let a = plan_options(find_kustomization(&outcome, "a").unwrap()).unwrap();
        assert_eq!(a.owner, Some(Owner::new("a", "fx")));
        assert!(a.prune && a.force);
        assert_eq!(a.diff.ignore.len(), 1);
        assert_eq!(a.diff.ignore[0].paths(), ["/data/x"]);
        let err = plan_options(find_kustomization(&outcome, "b").unwrap()).unwrap_err();
        assert!(err.to_string().starts_with("Kustomization 'fx/b': "), "{err}");
    }

    #[test]
    fn objects_from_yaml_table() {
        let ok: &[(&str, &[&str])] = &[
            ("", &[]),
            ("---\n---\n", &[]),
            ("apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: x}\n", &["Pod/x/p"]),
            (
                "apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: Pod, metadata: {name: a}}\n- {apiVersion: v1, kind: Pod, metadata: {name: b}}\n",
                &["Pod/a", "Pod/b"],
            ),
            ("apiVersion: v1\nkind: List\n", &[]),
            // A List of another group is an object.
            ("apiVersion: x.io/v1\nkind: List\nmetadata: {name: l}\n", &["List/l"]),
        ];
        for (text, want) in ok {
            let got: Vec<String> = objects_from_yaml(text, "f.yaml")
                .unwrap()
                .iter()
                .map(crate::diff::subject)
                .collect();
            assert_eq!(&got, want, "{text:?}");
        }
        let bad = [
            ("a: [\n", "f.yaml: "),
            ("just text\n", "f.yaml: document 1: not a mapping but a string"),
            ("kind: Pod\nmetadata: {name: p}\n", "f.yaml: document 1: missing apiVersion"),
            ("apiVersion: v1\nmetadata: {name: p}\n", "f.yaml: document 1: missing kind"),
            (
                "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n---\napiVersion: v1\nkind: Pod\n",
                "f.yaml: document 2: missing metadata.name",
            ),
            ("apiVersion: v1\nkind: List\nitems: 3\n", "f.yaml: document 1: List items is a"),
            ("apiVersion: v1\nkind: List\nitems: [1]\n", "f.yaml: document 1: not a mapping"),
        ];
        for (text, want) in bad {
            let err = objects_from_yaml(text, "f.yaml").unwrap_err().to_string();
            assert!(err.starts_with(want), "{text:?}: {err}");
        }
    }
}
