//! NamespaceTransformer: `namespace:`.

use gitops_core::resource::ResourceList;
use gitops_core::yaml::Value;

use super::{Create, apply};
use crate::fieldspecs::{FieldSpec, NAMESPACE};
use crate::kustomization::Kustomization;

const HELM_GENERATED: &str = "config.kubernetes.io/helm-generated";

fn set_scalar(ns: &str, unset_only: bool) -> impl FnMut(&mut Value) -> Result<(), String> + '_ {
    move |n: &mut Value| match n {
        Value::Map(_) | Value::Seq(_) => {
            Err("namespace field specs must target scalar nodes".to_owned())
        }
        Value::String(s) if unset_only && !s.is_empty() => Ok(()),
        _ => {
            *n = Value::from(ns);
            Ok(())
        }
    }
}

/// Which RoleBinding/ClusterRoleBinding subjects get the namespace
/// (`setRoleBindingSubjects`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum Subjects {
    /// `defaultOnly` (the default): subjects named `default`.
    #[default]
    DefaultOnly,
    /// `allServiceAccounts`: subjects of kind `ServiceAccount`.
    AllServiceAccounts,
    /// `none`.
    None,
}

/// The NamespaceTransformer's settings.
pub(crate) struct Settings<'a> {
    /// The namespace.
    pub ns: &'a str,
    /// Field specs besides `metadata/namespace`.
    pub specs: &'a [FieldSpec<'a>],
    /// Only set empty namespaces.
    pub unset_only: bool,
    /// Role-binding subjects mode.
    pub subjects: Subjects,
}

/// Set the namespace on namespaced kinds, rename `Namespace` objects (apiVersion `v1`),
/// and set it on RoleBinding/ClusterRoleBinding subjects named `default`.
pub(crate) fn run(k: &Kustomization, list: &mut ResourceList) -> Result<(), String> {
    let settings = Settings {
        ns: &k.namespace,
        specs: &crate::crds::with_extra(NAMESPACE, &k.crd.namespace),
        unset_only: false,
        subjects: Subjects::DefaultOnly,
    };
    run_with(&settings, list)
}

/// The NamespaceTransformer with explicit settings (also used by plugin configs).
pub(crate) fn run_with(st: &Settings<'_>, list: &mut ResourceList) -> Result<(), String> {
    let ns = st.ns;
    let unset_only = st.unset_only;
    if ns.is_empty() {
        return Ok(());
    }
    list.update(|r| {
        let empty = match r.value() {
            Value::Null => true,
            Value::Map(m) => m.is_empty(),
            _ => false,
        };
        if empty || r.annotation(HELM_GENERATED) == Some("true") {
            return Ok(());
        }
        r.store_previous_id();
        let cluster = r.id().is_cluster_scoped();
        let api_v1 = r.api_version() == "v1";
        let role_binding = matches!(r.kind(), "RoleBinding" | "ClusterRoleBinding");
        r.edit(|obj| -> Result<(), String> {
            if !cluster {
                let meta = FieldSpec {
                    group: "",
                    version: "",
                    kind: "",
                    path: "metadata/namespace",
                    create: true,
                };
                apply(&meta, obj, Create::Scalar, &mut set_scalar(ns, unset_only))?;
            }
            let subjects = obj.get_mut("subjects").and_then(Value::as_seq_mut);
            if let (true, Some(subjects)) = (role_binding, subjects) {
                for s in subjects.iter_mut() {
                    let Some(m) = s.as_map_mut() else { continue };
                    let hit = match st.subjects {
                        Subjects::DefaultOnly => {
                            m.get("name").and_then(Value::as_str) == Some("default")
                        }
                        Subjects::AllServiceAccounts => {
                            m.get("kind").and_then(Value::as_str) == Some("ServiceAccount")
                        }
                        Subjects::None => false,
                    };
                    if hit {
                        let slot = m.entry("namespace".to_owned()).or_insert(Value::Null);
                        set_scalar(ns, unset_only)(slot)?;
                    }
                }
            }
            for fs in st.specs {
                if fs.path == "metadata/namespace" {
                    continue;
                }
                if fs.path == "metadata/name" && !api_v1 {
                    continue;
                }
                if role_binding && fs.path == "subjects/namespace" {
                    continue;
                }
                apply(fs, obj, Create::Scalar, &mut set_scalar(ns, unset_only))?;
            }
            Ok(())
        })
        .map_err(|e| format!("namespace transformation failed: {e}"))
    })
    .map_err(|e: String| e)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transform::tests::v;
    use gitops_core::resource::Resource;

    fn run_on(ns: &str, objs: &[&str]) -> Result<Vec<Value>, String> {
        let k = Kustomization { namespace: ns.into(), ..Default::default() };
        let mut l = ResourceList::new();
        for o in objs {
            l.push(Resource::new(v(o))).map_err(|e| e.to_string())?;
        }
        run(&k, &mut l)?;
        Ok(l.into_vec().into_iter().map(Resource::into_value).collect())
    }

    #[test]
    fn namespace_table() {
        let cases = [
            (
                r#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a"}}"#,
                r#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a","namespace":"prod"}}"#,
            ),
            (
                r#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a","namespace":"x"}}"#,
                r#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a","namespace":"prod"}}"#,
            ),
            // cluster-scoped kinds untouched
            (
                r#"{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRole","metadata":{"name":"a"}}"#,
                r#"{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRole","metadata":{"name":"a"}}"#,
            ),
            // Namespace objects are renamed
            (
                r#"{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"old"}}"#,
                r#"{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"prod"}}"#,
            ),
            // unknown kinds count as namespaced
            (
                r#"{"apiVersion":"x.io/v1","kind":"Widget","metadata":{"name":"w"}}"#,
                r#"{"apiVersion":"x.io/v1","kind":"Widget","metadata":{"name":"w","namespace":"prod"}}"#,
            ),
            // subjects: only those named default
            (
                r#"{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRoleBinding","metadata":{"name":"b"},
                 "subjects":[{"kind":"ServiceAccount","name":"default","namespace":"x"},{"kind":"ServiceAccount","name":"other","namespace":"x"}]}"#,
                r#"{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRoleBinding","metadata":{"name":"b"},
                 "subjects":[{"kind":"ServiceAccount","name":"default","namespace":"prod"},{"kind":"ServiceAccount","name":"other","namespace":"x"}]}"#,
            ),
            // APIService service namespace is created
            (
                r#"{"apiVersion":"apiregistration.k8s.io/v1","kind":"APIService","metadata":{"name":"v1.x"},"spec":{}}"#,
                r#"{"apiVersion":"apiregistration.k8s.io/v1","kind":"APIService","metadata":{"name":"v1.x"},"spec":{"service":{"namespace":"prod"}}}"#,
            ),
        ];
        for (input, want) in cases {
            assert_eq!(run_on("prod", &[input]).unwrap(), vec![v(want)], "{input}");
        }
    }

    #[test]
    fn namespace_conflict() {
        let err = run_on(
            "prod",
            &[
                r#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a","namespace":"x"}}"#,
                r#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a","namespace":"y"}}"#,
            ],
        )
        .unwrap_err();
        assert!(err.contains("already registered id"), "{err}");
    }
}
