//! End-to-end `build` over in-memory trees; expected texts are `kustomize build` v5.8.1's
//! output for the same trees.

use gitops_kustomize::{MemFs, Options, build, to_yaml};
use std::path::Path;

type Case = (&'static str, &'static [(&'static str, &'static str)], &'static str);

const CASES: &[Case] = &[
    (
        "prefix_fixes_configmap_ref",
        &[
            ("kustomization.yaml", "namePrefix: p-\nresources:\n- r.yaml\n"),
            (
                "r.yaml",
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: pod\nspec:\n  volumes:\n  - name: v\n    configMap:\n      name: cm\n",
            ),
        ],
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: p-cm\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p-pod\nspec:\n  volumes:\n  - configMap:\n      name: p-cm\n    name: v\n",
    ),
    (
        "namespace_and_subjects",
        &[
            ("kustomization.yaml", "namespace: prod\nresources:\n- base\n"),
            ("base/kustomization.yaml", "nameSuffix: -s\nresources:\n- r.yaml\n"),
            (
                "base/r.yaml",
                "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: sa\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: rb\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: Role\n  name: r\nsubjects:\n- kind: ServiceAccount\n  name: sa\n",
            ),
        ],
        "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: sa-s\n  namespace: prod\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: rb-s\n  namespace: prod\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: Role\n  name: r\nsubjects:\n- kind: ServiceAccount\n  name: sa-s\n  namespace: prod\n",
    ),
    (
        "annotations_become_strings",
        &[
            ("kustomization.yaml", "resources:\n- r.yaml\n"),
            (
                "r.yaml",
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  annotations:\n    n: 0x10\n    b: true\n    z: ~\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n  annotations: {}\n  labels: {}\n",
            ),
        ],
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  annotations:\n    b: \"true\"\n    \"n\": \"0x10\"\n    z: \"~\"\n  name: a\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  labels: {}\n  name: b\n",
    ),
    (
        "number_names_sort_as_text",
        &[
            ("kustomization.yaml", "resources:\n- r.yaml\n"),
            (
                "r.yaml",
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: 9\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: 10\n",
            ),
        ],
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: 10\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: 9\n",
    ),
    (
        "replicas_by_previous_name",
        &[
            (
                "kustomization.yaml",
                "namePrefix: p-\nreplicas:\n- name: web\n  count: 3\nresources:\n- r.yaml\n",
            ),
            (
                "r.yaml",
                "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n---\napiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: h\nspec:\n  scaleTargetRef:\n    apiVersion: apps/v1\n    kind: Deployment\n    name: web\n",
            ),
        ],
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: p-web\nspec:\n  replicas: 3\n---\napiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: p-h\nspec:\n  scaleTargetRef:\n    apiVersion: apps/v1\n    kind: Deployment\n    name: p-web\n",
    ),
    (
        "roleref_picks_kind",
        &[
            ("kustomization.yaml", "nameSuffix: -x\nresources:\n- r.yaml\n"),
            (
                "r.yaml",
                "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: r\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: r\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: rb\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: r\n",
            ),
        ],
        "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: r-x\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: r-x\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: rb-x\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: r-x\n",
    ),
];

#[test]
fn build_memfs_table() {
    for (name, files, want) in CASES {
        let mut fs = MemFs::new();
        for (path, text) in *files {
            fs.add_file(format!("/app/{path}"), *text);
        }
        let list = build(&fs, Path::new("/app"), &Options::default())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(to_yaml(&list).unwrap(), *want, "{name}");
    }
}

#[test]
fn build_is_linear() {
    // 1,500 and 6,000 renamed resources with references: the time per resource must not grow.
    let mut times = Vec::new();
    for n in [1_500usize, 6_000] {
        let mut text = String::new();
        for i in 0..n {
            text.push_str(&format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm{i}\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: pod{i}\nspec:\n  volumes:\n  - name: v\n    configMap:\n      name: cm{i}\n---\n"));
        }
        let mut fs = MemFs::new();
        fs.add_file("/app/kustomization.yaml", "namePrefix: p-\nresources:\n- r.yaml\n");
        fs.add_file("/app/r.yaml", text);
        let t = std::time::Instant::now();
        let list = build(&fs, Path::new("/app"), &Options::default()).unwrap();
        times.push(t.elapsed().as_secs_f64() / n as f64);
        assert_eq!(list.len(), 2 * n);
        let pod = list.iter().find(|r| r.name() == "p-pod7").unwrap();
        assert_eq!(
            pod.value()
                .get_path(&["spec", "volumes"])
                .and_then(|v| v.as_seq())
                .and_then(|s| s.first())
                .and_then(|v| v.get_path(&["configMap", "name"]))
                .and_then(|v| v.as_str()),
            Some("p-cm7")
        );
    }
    // Quadratic work would make the per-resource time 4x; allow noise up to 2.5x.
    assert!(times[1] < times[0] * 2.5, "per-resource times {times:?}");
}
