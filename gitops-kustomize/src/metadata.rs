//! `buildMetadata`: origin annotations and the managed-by label.
//!
//! kustomize tracks origins when the top-level kustomization lists any build metadata
//! (a base's own `buildMetadata` is replaced by its parent's), and keeps the
//! `config.kubernetes.io/origin` annotation only with `originAnnotations`. A resource read
//! from a file gets `path: <file relative to the top root>`; a generated one gets
//! `configuredIn: <kustomization file>` and `configuredBy: {apiVersion: builtin, kind:
//! ConfigMapGenerator|SecretGenerator}`.

use gitops_core::resource::{Resource, ResourceList};
use gitops_core::yaml::{Mapping, Value};

/// The origin annotation.
pub(crate) const ORIGIN: &str = "config.kubernetes.io/origin";
/// The managed-by label key.
pub(crate) const MANAGED_BY: &str = "app.kubernetes.io/managed-by";
/// The managed-by label value kustomize 5.8.1 writes.
pub(crate) const MANAGED_BY_VALUE: &str = "kustomize-v5.8.1";

/// Go's `filepath.Join` for the relative paths origins hold: joined with `/`, cleaned
/// (`.` dropped, `..` folded where possible).
pub(crate) fn join(base: &str, rel: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    let abs = base.starts_with('/') || (base.is_empty() && rel.starts_with('/'));
    for p in base.split('/').chain(rel.split('/')) {
        match p {
            "" | "." => {}
            ".." => match parts.last() {
                Some(&last) if last != ".." => {
                    parts.pop();
                }
                _ if abs => {}
                _ => parts.push(".."),
            },
            other => parts.push(other),
        }
    }
    let joined = parts.join("/");
    if abs { format!("/{joined}") } else { joined }
}

fn set_annotation(r: &mut Resource, key: &str, value: String) {
    r.edit(|obj| {
        let Some(meta) = obj
            .as_map_mut()
            .map(|m| m.entry("metadata".to_owned()).or_insert_with(|| Value::Map(Mapping::new())))
        else {
            return;
        };
        if meta.is_null() {
            *meta = Value::Map(Mapping::new());
        }
        let Some(meta) = meta.as_map_mut() else { return };
        let anns =
            meta.entry("annotations".to_owned()).or_insert_with(|| Value::Map(Mapping::new()));
        if anns.is_null() {
            *anns = Value::Map(Mapping::new());
        }
        if let Some(a) = anns.as_map_mut() {
            a.insert(key.to_owned(), Value::String(value));
        }
    });
}

/// YAML text for an origin string value as kyaml prints it (plain when safe).
fn scalar(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars().all(|c| c.is_ascii_alphanumeric() || "./_-~".contains(c))
        && !matches!(s, "true" | "false" | "null" | "~" | "yes" | "no" | "on" | "off")
        && s.parse::<f64>().is_err();
    if plain { s.to_owned() } else { format!("'{}'", s.replace('\'', "''")) }
}

/// Mark a resource read from `path` (already relative to the top root).
pub(crate) fn set_file_origin(r: &mut Resource, path: &str) {
    set_annotation(r, ORIGIN, format!("path: {}\n", scalar(path)));
}

/// The ids in `list` and whether each carries an origin, taken before a generator runs
/// (for [`set_generator_origins`]).
pub(crate) fn snapshot(list: &ResourceList) -> Vec<(gitops_core::resource::ResId, bool)> {
    list.iter().map(|r| (r.id().clone(), r.annotation(ORIGIN).is_some())).collect()
}

/// The origin `path` of a resource read from a file (`path: <p>` in its origin annotation).
pub(crate) fn file_origin(r: &Resource) -> Option<String> {
    let text = r.annotation(ORIGIN)?;
    let line = text.lines().find_map(|l| l.strip_prefix("path: "))?;
    let line = line.trim();
    Some(match line.strip_prefix('\'').and_then(|l| l.strip_suffix('\'')) {
        Some(q) => q.replace("''", "'"),
        None => line.to_owned(),
    })
}

/// Who configured a generated object: `apiVersion`, `kind` and, for a generator plugin
/// config, its `name` and `namespace`.
pub(crate) struct ConfiguredBy<'a> {
    /// The generator's `apiVersion` (`builtin`).
    pub api_version: &'a str,
    /// The generator kind.
    pub kind: &'a str,
    /// The config's name (empty for the `configMapGenerator` / `secretGenerator` fields).
    pub name: &'a str,
    /// The config's namespace.
    pub namespace: &'a str,
}

/// Mark resources a generator configured in `configured_in` added (absent from `before`)
/// or replaced (present before with an origin, now without), when they carry no origin.
/// With `by` unset the kind follows the object (`ConfigMapGenerator` / `SecretGenerator`).
pub(crate) fn set_generator_origins(
    list: &mut ResourceList,
    before: &[(gitops_core::resource::ResId, bool)],
    configured_in: &str,
    by: Option<&ConfiguredBy<'_>>,
) -> Result<(), String> {
    list.update(|r| {
        if r.annotation(ORIGIN).is_some() {
            return Ok(());
        }
        if before.iter().any(|(id, had)| id == r.id() && !had) {
            return Ok(());
        }
        let mut text = format!("configuredIn: {}\nconfiguredBy:\n", scalar(configured_in));
        match by {
            Some(b) => {
                text.push_str(&format!(
                    "  apiVersion: {}\n  kind: {}\n",
                    scalar(b.api_version),
                    scalar(b.kind)
                ));
                if !b.name.is_empty() {
                    text.push_str(&format!("  name: {}\n", scalar(b.name)));
                }
                if !b.namespace.is_empty() {
                    text.push_str(&format!("  namespace: {}\n", scalar(b.namespace)));
                }
            }
            None => {
                let kind =
                    if r.kind() == "Secret" { "SecretGenerator" } else { "ConfigMapGenerator" };
                text.push_str(&format!("  apiVersion: builtin\n  kind: {kind}\n"));
            }
        }
        set_annotation(r, ORIGIN, text);
        Ok::<(), String>(())
    })
}

/// The annotation listing the transformers that ran on a resource (`transformerAnnotations`).
pub(crate) const TRANSFORMATIONS: &str = "alpha.config.kubernetes.io/transformations";

/// The `configuredIn` / `configuredBy` lines of an origin, indented by `indent`.
fn configured_text(configured_in: &str, by: &ConfiguredBy<'_>, indent: &str) -> String {
    let mut text = format!(
        "configuredIn: {}\n{indent}configuredBy:\n{indent}  apiVersion: {}\n{indent}  kind: {}\n",
        scalar(configured_in),
        scalar(by.api_version),
        scalar(by.kind)
    );
    if !by.name.is_empty() {
        text.push_str(&format!("{indent}  name: {}\n", scalar(by.name)));
    }
    if !by.namespace.is_empty() {
        text.push_str(&format!("{indent}  namespace: {}\n", scalar(by.namespace)));
    }
    text
}

/// Record that a transformer configured in `configured_in` ran (kustomize's
/// `AddTransformerAnnotation`, called after every transformer while origins are tracked):
/// every resource with an origin gets one more entry in its transformations list; one
/// without takes the transformer as its origin.
pub(crate) fn add_transformation(
    list: &mut ResourceList,
    configured_in: &str,
    by: &ConfiguredBy<'_>,
) -> Result<(), String> {
    list.update(|r| {
        if r.annotation(ORIGIN).is_none() {
            set_annotation(r, ORIGIN, configured_text(configured_in, by, ""));
            return Ok::<(), String>(());
        }
        let mut text = r.annotation(TRANSFORMATIONS).unwrap_or_default().to_owned();
        text.push_str("- ");
        text.push_str(&configured_text(configured_in, by, "  "));
        set_annotation(r, TRANSFORMATIONS, text);
        Ok(())
    })
}

/// Drop an annotation from every resource (the origin or transformations annotation when
/// its `buildMetadata` option is off).
pub(crate) fn remove_annotation(list: &mut ResourceList, key: &str) -> Result<(), String> {
    list.update(|r| {
        if r.annotation(key).is_some() {
            r.edit(|obj| {
                if let Some(a) = obj
                    .get_mut("metadata")
                    .and_then(|m| m.get_mut("annotations"))
                    .and_then(Value::as_map_mut)
                {
                    a.shift_remove(key);
                }
            });
        }
        Ok::<(), String>(())
    })
}

/// kyaml writes map keys it creates (label keys a transformer adds, every annotation key
/// when kustomize rewrites the annotations at the end) as untagged plain scalars, and its
/// JSON step reads them back with YAML typing: a key such as `12`, `true` or `0x1F` is
/// then no string, and kustomize fails. The type such a key takes, if not a string.
pub(crate) fn retyped_key(key: &str) -> Option<&'static str> {
    if key.is_empty() || !key.chars().all(|c| c.is_ascii_alphanumeric() || "._+-~".contains(c)) {
        return None;
    }
    let v = gitops_core::yaml::parse_values(
        key,
        gitops_core::yaml::Profile::Kyaml,
        &gitops_core::yaml::Limits::default(),
    )
    .ok()?
    .into_iter()
    .next()?;
    match v {
        Value::String(_) => None,
        other => Some(other.kind_name()),
    }
}

/// kustomize's failure for a map key [`retyped_key`] re-types.
pub(crate) fn retyped_key_error(field: &str, key: &str, kind: &str) -> String {
    format!(
        "{field} key '{key}' is written unquoted and read back as a {kind}: json: unsupported type: map[interface {{}}]interface {{}}"
    )
}

/// `managedByLabel`: `app.kubernetes.io/managed-by` on every resource.
pub(crate) fn add_managed_by(list: &mut ResourceList) -> Result<(), String> {
    let mut pairs = indexmap::IndexMap::new();
    pairs.insert(MANAGED_BY.to_owned(), MANAGED_BY_VALUE.to_owned());
    let spec = crate::fieldspecs::FieldSpec {
        group: "",
        version: "",
        kind: "",
        path: "metadata/labels",
        create: true,
    };
    crate::transform::labels::set_all(list, &pairs, &[spec])
}

#[cfg(test)]
mod tests {
    #[test]
    fn file_origin_table() {
        let cases = [
            ("path: a/b.yaml\n", Some("a/b.yaml")),
            ("path: 'it''s.yaml'\n", Some("it's.yaml")),
            ("configuredIn: kustomization.yaml\n", None),
        ];
        for (anno, want) in cases {
            let text = format!(
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  annotations:\n    {}: {:?}\n",
                super::ORIGIN,
                anno
            );
            let docs = gitops_core::yaml::parse_values(
                &text,
                gitops_core::yaml::Profile::ApiServer,
                &gitops_core::yaml::Limits::default(),
            )
            .unwrap_or_default();
            let r =
                gitops_core::resource::Resource::new(docs.into_iter().next().unwrap_or_default());
            assert_eq!(super::file_origin(&r).as_deref(), want, "{anno}");
        }
    }

    #[test]
    fn join_table() {
        let cases = [
            ("", "a.yaml", "a.yaml"),
            ("../base", "a.yaml", "../base/a.yaml"),
            ("base/", "./x/a.yaml", "base/x/a.yaml"),
            ("a/b", "../../c", "c"),
            ("a", "../../c", "../c"),
        ];
        for (b, r, want) in cases {
            assert_eq!(super::join(b, r), want, "{b} + {r}");
        }
    }
}
