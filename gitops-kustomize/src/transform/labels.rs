//! LabelTransformer (`labels:`, `commonLabels:`) and AnnotationsTransformer
//! (`commonAnnotations:`).

use gitops_core::resource::ResourceList;
use indexmap::IndexMap;

use super::{Create, apply_selected, matches_gvk, set_entry};
use crate::fieldspecs::{COMMON_ANNOTATIONS, FieldSpec, METADATA_LABELS, common_labels};
use crate::kustomization::Kustomization;

pub(crate) fn push_unique<'a>(out: &mut Vec<FieldSpec<'a>>, fs: FieldSpec<'a>) {
    let same = |o: &FieldSpec<'_>| {
        o.group == fs.group && o.version == fs.version && o.kind == fs.kind && o.path == fs.path
    };
    if !out.iter().any(same) {
        out.push(fs);
    }
}

/// Set every pair at every field spec (LabelTransformer / AnnotationsTransformer).
pub(crate) fn set_all(
    list: &mut ResourceList,
    pairs: &IndexMap<String, String>,
    specs: &[FieldSpec<'_>],
) -> Result<(), String> {
    if pairs.is_empty() {
        return Ok(());
    }
    let mut selected: Vec<&FieldSpec<'_>> = Vec::with_capacity(specs.len());
    list.update(|r| {
        selected.clear();
        selected.extend(specs.iter().filter(|fs| matches_gvk(fs, r.gvk())));
        r.edit(|obj| {
            selected.iter().try_for_each(|fs| {
                apply_selected(fs, obj, Create::Map, &mut |n| {
                    pairs.iter().try_for_each(|(k, v)| {
                        // A key created here is written plain (see `retyped_key`).
                        let exists = n.as_map().is_some_and(|m| m.contains_key(k));
                        if let (false, Some(kind)) = (exists, crate::metadata::retyped_key(k)) {
                            return Err(crate::metadata::retyped_key_error(fs.path, k, kind));
                        }
                        set_entry(n, k, v)
                    })
                })
            })
        })
    })
}

/// `labels` entries, then `commonLabels` (selectors included).
pub(crate) fn labels(k: &Kustomization, list: &mut ResourceList) -> Result<(), String> {
    for l in &k.labels {
        let mut specs: Vec<FieldSpec<'_>> = Vec::new();
        for f in &l.fields {
            push_unique(
                &mut specs,
                FieldSpec {
                    group: &f.group,
                    version: &f.version,
                    kind: &f.kind,
                    path: &f.path,
                    create: f.create,
                },
            );
        }
        crate::crds::borrow(&k.crd.any_labels).for_each(|fs| push_unique(&mut specs, fs));
        if l.include_selectors {
            let defaults: Vec<FieldSpec<'_>> = common_labels().collect();
            crate::crds::with_extra(&defaults, &k.crd.labels)
                .iter()
                .for_each(|fs| push_unique(&mut specs, *fs));
        } else {
            if l.include_templates {
                crate::crds::with_extra(METADATA_LABELS, &k.crd.template_labels)
                    .iter()
                    .for_each(|fs| push_unique(&mut specs, *fs));
            }
            push_unique(
                &mut specs,
                FieldSpec {
                    group: "",
                    version: "",
                    kind: "",
                    path: "metadata/labels",
                    create: true,
                },
            );
        }
        set_all(list, &l.pairs, &specs)?;
    }
    let defaults: Vec<FieldSpec<'_>> = common_labels().collect();
    set_all(list, &k.common_labels, &crate::crds::with_extra(&defaults, &k.crd.labels))
}

/// `commonAnnotations`.
pub(crate) fn annotations(k: &Kustomization, list: &mut ResourceList) -> Result<(), String> {
    let specs = crate::crds::with_extra(COMMON_ANNOTATIONS, &k.crd.annotations);
    set_all(list, &k.common_annotations, &specs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kustomization::{FieldSpecArg, LabelArg};
    use crate::transform::tests::v;
    use gitops_core::resource::Resource;
    use gitops_core::yaml::Value;

    const DEPLOY: &str = r#"{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},
        "spec":{"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}}}}}"#;
    const SVC: &str =
        r#"{"apiVersion":"v1","kind":"Service","metadata":{"name":"web"},"spec":{"ports":[]}}"#;

    fn run_labels(k: &Kustomization, input: &str) -> Value {
        let mut l = ResourceList::new();
        l.push(Resource::new(v(input))).unwrap();
        labels(k, &mut l).unwrap();
        annotations(k, &mut l).unwrap();
        l.into_vec().remove(0).into_value()
    }

    fn pairs() -> IndexMap<String, String> {
        [("team".to_owned(), "a".to_owned())].into_iter().collect()
    }

    #[test]
    fn labels_table() {
        let label = |sel, tmpl, fields: Vec<FieldSpecArg>| Kustomization {
            labels: vec![LabelArg {
                pairs: pairs(),
                include_selectors: sel,
                include_templates: tmpl,
                fields,
            }],
            ..Default::default()
        };
        let common = Kustomization { common_labels: pairs(), ..Default::default() };
        let annos = Kustomization { common_annotations: pairs(), ..Default::default() };
        let cases = [
            (
                label(false, false, vec![]),
                DEPLOY,
                r#"{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","labels":{"team":"a"}},
                "spec":{"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}}}}}"#,
            ),
            (
                label(false, true, vec![]),
                DEPLOY,
                r#"{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","labels":{"team":"a"}},
                "spec":{"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web","team":"a"}}}}}"#,
            ),
            (
                label(true, false, vec![]),
                DEPLOY,
                r#"{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","labels":{"team":"a"}},
                "spec":{"selector":{"matchLabels":{"app":"web","team":"a"}},"template":{"metadata":{"labels":{"app":"web","team":"a"}}}}}"#,
            ),
            (
                common.clone(),
                SVC,
                r#"{"apiVersion":"v1","kind":"Service","metadata":{"name":"web","labels":{"team":"a"}},"spec":{"ports":[],"selector":{"team":"a"}}}"#,
            ),
            (
                label(
                    false,
                    false,
                    vec![FieldSpecArg {
                        kind: "Service".into(),
                        path: "spec/selector".into(),
                        create: true,
                        ..Default::default()
                    }],
                ),
                SVC,
                r#"{"apiVersion":"v1","kind":"Service","metadata":{"name":"web","labels":{"team":"a"}},"spec":{"ports":[],"selector":{"team":"a"}}}"#,
            ),
            (
                annos,
                DEPLOY,
                r#"{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","annotations":{"team":"a"}},
                "spec":{"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"},"annotations":{"team":"a"}}}}}"#,
            ),
        ];
        for (k, input, want) in cases {
            assert_eq!(run_labels(&k, input), v(want), "{k:?}");
        }
    }
}
