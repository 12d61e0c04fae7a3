//! ReplicaCountTransformer: `replicas:`.

use gitops_core::resource::ResourceList;
use gitops_core::yaml::Value;

use super::{Create, apply};
use crate::fieldspecs::{FieldSpec, REPLICAS};
use crate::kustomization::Kustomization;

/// Set `spec/replicas` on the resources named in each entry; no match is an error.
pub(crate) fn run(k: &Kustomization, list: &mut ResourceList) -> Result<(), String> {
    let specs = crate::crds::with_extra(REPLICAS, &k.crd.replicas);
    k.replicas.iter().try_for_each(|rep| run_one(rep, &specs, list))
}

/// One ReplicaCountTransformer with explicit field specs (also used by plugin configs).
pub(crate) fn run_one(
    rep: &crate::kustomization::ReplicaArg,
    specs: &[FieldSpec<'_>],
    list: &mut ResourceList,
) -> Result<(), String> {
    {
        let mut found = false;
        list.update(|r| {
            for fs in specs {
                // Any previous id or the current one, name and GVK together.
                let hit = |id: &gitops_core::resource::ResId| {
                    id.name == rep.name && id.gvk.is_selected_by(fs.group, fs.version, fs.kind)
                };
                if !(hit(r.id()) || r.prev_ids().any(|id| hit(&id))) {
                    continue;
                }
                found = true;
                r.edit(|obj| {
                    apply(fs, obj, Create::Scalar, &mut |n| {
                        *n = Value::Int(rep.count);
                        Ok(())
                    })
                })?;
            }
            Ok::<(), String>(())
        })?;
        if !found {
            let gvks: Vec<String> = specs
                .iter()
                .map(|fs| {
                    gitops_core::resource::Gvk {
                        group: fs.group.into(),
                        version: fs.version.into(),
                        kind: fs.kind.into(),
                    }
                    .to_string()
                })
                .collect();
            return Err(format!(
                "resource with name {} does not match a config with the following GVK [{}]",
                rep.name,
                gvks.join(" ")
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kustomization::ReplicaArg;
    use crate::transform::tests::v;
    use gitops_core::resource::Resource;

    #[test]
    fn replicas_table() {
        let k = Kustomization {
            replicas: vec![ReplicaArg { name: "web".into(), count: 3 }],
            ..Default::default()
        };
        let mut l = ResourceList::new();
        l.push(Resource::new(v(r#"{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},"spec":{"replicas":1}}"#))).unwrap();
        l.push(Resource::new(v(
            r#"{"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"name":"web"}}"#,
        )))
        .unwrap();
        l.push(Resource::new(v(
            r#"{"apiVersion":"v1","kind":"Service","metadata":{"name":"web"}}"#,
        )))
        .unwrap();
        run(&k, &mut l).unwrap();
        let got: Vec<Option<&Value>> =
            l.iter().map(|r| r.value().get_path(&["spec", "replicas"])).collect();
        assert_eq!(got, [Some(&Value::Int(3)), Some(&Value::Int(3)), None]);

        let k = Kustomization {
            replicas: vec![ReplicaArg { name: "nope".into(), count: 3 }],
            ..Default::default()
        };
        assert_eq!(
            run(&k, &mut l).unwrap_err(),
            "resource with name nope does not match a config with the following GVK [Deployment.[noVer].[noGrp] StatefulSet.[noVer].[noGrp] ReplicaSet.[noVer].[noGrp] ReplicationController.[noVer].[noGrp]]"
        );
    }
}
