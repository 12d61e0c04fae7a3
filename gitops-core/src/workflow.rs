//! The whole-cluster workflow behind `gitops render|deps|plan|diff|apply|health`, as
//! library functions so that the CLI only parses arguments and prints.
//!
//! | item | what |
//! |---|---|
//! | [`objects_from_yaml`] | the objects of a YAML stream, errors naming the file and document |

use crate::resource::Resource;
use crate::yaml::{Limits, Profile, Value, parse_values};

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

#[cfg(test)]
mod tests {
    use super::*;

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
