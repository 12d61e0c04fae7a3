//! PrefixTransformer and SuffixTransformer: `namePrefix:` / `nameSuffix:`.

use gitops_core::resource::ResourceList;
use gitops_core::yaml::Value;

use super::retype::{Retypes, settle_resource};
use super::{Create, apply, is_kind};
use crate::fieldspecs::{FieldSpec, NAME_PREFIX_SUFFIX, PREFIX_SUFFIX_SKIP};
use crate::kustomization::Kustomization;

fn rename(list: &mut ResourceList, prefix: &str, suffix: &str) -> Result<(), String> {
    rename_with(list, prefix, suffix, NAME_PREFIX_SUFFIX)
}

/// The Prefix/Suffix transformers with explicit field specs (also used by plugin
/// configs): a spec at `metadata/name` also renames the resource's id.
pub(crate) fn rename_with(
    list: &mut ResourceList,
    prefix: &str,
    suffix: &str,
    specs: &[FieldSpec<'_>],
) -> Result<(), String> {
    if prefix.is_empty() && suffix.is_empty() {
        return Ok(());
    }
    list.update(|r| {
        if PREFIX_SUFFIX_SKIP.iter().any(|(g, k)| is_kind(r, g, k)) {
            return Ok(());
        }
        let selected: Vec<&FieldSpec<'_>> = specs
            .iter()
            .filter(|fs| r.id().gvk.is_selected_by(fs.group, fs.version, fs.kind))
            .collect();
        let renames_id = selected.iter().any(|fs| fs.path == "metadata/name");
        if renames_id {
            r.add_name_prefix(prefix);
            r.add_name_suffix(suffix);
            r.store_previous_id();
        }
        let raw = r.name().to_owned();
        let mut retypes = Retypes::default();
        r.edit(|obj| {
            selected.iter().try_for_each(|fs| {
                apply(fs, obj, Create::Nothing, &mut |n| {
                    let old = match n {
                        Value::String(s) => std::mem::take(s),
                        Value::Null => return Ok(()),
                        Value::Bool(_) | Value::Int(_) | Value::Uint(_) | Value::Float(_) => {
                            raw.clone()
                        }
                        other => {
                            return Err(format!(
                                "expected a string name, got {}",
                                other.kind_name()
                            ));
                        }
                    };
                    retypes.set(n, &old, format!("{prefix}{old}{suffix}"));
                    Ok(())
                })
            })
        })?;
        settle_resource(r, retypes);
        Ok(())
    })
}

/// `namePrefix`.
pub(crate) fn prefix(k: &Kustomization, list: &mut ResourceList) -> Result<(), String> {
    if k.crd.prefix.is_empty() {
        return rename(list, &k.name_prefix, "");
    }
    let specs = crate::crds::with_extra(NAME_PREFIX_SUFFIX, &k.crd.prefix);
    rename_with(list, &k.name_prefix, "", &specs)
}

/// `nameSuffix`.
pub(crate) fn suffix(k: &Kustomization, list: &mut ResourceList) -> Result<(), String> {
    if k.crd.suffix.is_empty() {
        return rename(list, "", &k.name_suffix);
    }
    rename_with(
        list,
        "",
        &k.name_suffix,
        &crate::crds::with_extra(NAME_PREFIX_SUFFIX, &k.crd.suffix),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transform::tests::v;
    use gitops_core::resource::Resource;

    #[test]
    fn prefix_suffix_table() {
        let cases = [
            ("v1", "ConfigMap", "a", "p-a-s"),
            ("apiextensions.k8s.io/v1", "CustomResourceDefinition", "x.io", "x.io"),
            ("apiregistration.k8s.io/v1", "APIService", "v1.x", "v1.x"),
            ("v1", "Namespace", "ns", "ns"),
            ("apps/v1", "Deployment", "web", "p-web-s"),
        ];
        for (av, kind, name, want) in cases {
            let mut l = ResourceList::new();
            let obj = format!(
                r#"{{"apiVersion":"{av}","kind":"{kind}","metadata":{{"name":"{name}"}}}}"#
            );
            l.push(Resource::new(v(&obj))).unwrap();
            let k = Kustomization {
                name_prefix: "p-".into(),
                name_suffix: "-s".into(),
                ..Default::default()
            };
            prefix(&k, &mut l).unwrap();
            suffix(&k, &mut l).unwrap();
            assert_eq!(l.iter().next().unwrap().name(), want, "{kind}");
        }
    }
}
