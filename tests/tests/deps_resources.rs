//! The dependsOn graph built from Flux objects as a render returns them, modelled on
//! `fluxcd/pkg runtime/dependency/sort_test.go` (our own cases).

use gitops_core::deps::{NodeId, nodes_from_resources, order, to_dot, to_mermaid, waves};
use gitops_core::resource::Resource;
use gitops_core::yaml::{Limits, Profile, parse_values};

fn load(text: &str) -> Vec<Resource> {
    parse_values(text, Profile::Kyaml, &Limits::default())
        .expect("valid YAML")
        .into_iter()
        .map(Resource::new)
        .collect()
}

const CLUSTER: &str = "apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
  namespace: flux-system
spec:
  dependsOn:
  - name: infra-configs
  - name: monitoring
    namespace: observability
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: infra-configs
  namespace: flux-system
spec:
  dependsOn:
  - name: infra-controllers
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: infra-controllers
  namespace: flux-system
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: monitoring
  namespace: observability
spec:
  dependsOn:
  - name: infra-controllers
    namespace: flux-system
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: web
  namespace: apps
spec:
  dependsOn:
  - name: redis
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: redis
  namespace: apps
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: not-a-node
  namespace: apps
---
apiVersion: example.com/v1
kind: Kustomization
metadata:
  name: other-group
";

#[test]
fn cluster_order_and_waves() {
    let nodes = nodes_from_resources(&load(CLUSTER)).unwrap();
    assert_eq!(nodes.len(), 6);
    let shown: Vec<String> =
        order(&nodes).unwrap().iter().map(|id| format!("{} {id}", id.kind)).collect();
    assert_eq!(
        shown,
        [
            "Kustomization flux-system/infra-controllers",
            "Kustomization flux-system/infra-configs",
            "Kustomization observability/monitoring",
            "Kustomization flux-system/apps",
            "HelmRelease apps/redis",
            "HelmRelease apps/web",
        ]
    );
    let w: Vec<Vec<String>> = waves(&nodes)
        .unwrap()
        .iter()
        .map(|w| w.iter().map(ToString::to_string).collect())
        .collect();
    assert_eq!(
        w,
        [
            vec!["flux-system/infra-controllers", "apps/redis"],
            vec!["flux-system/infra-configs", "observability/monitoring", "apps/web"],
            vec!["flux-system/apps"],
        ]
    );
    let dot = to_dot(&nodes).unwrap();
    assert!(dot.contains(
        "  \"Kustomization flux-system/apps\" -> \"Kustomization observability/monitoring\";\n"
    ));
    let mermaid = to_mermaid(&nodes).unwrap();
    assert!(
        mermaid
            .starts_with("flowchart LR\n  n0[\"Kustomization flux-system/infra-controllers\"]\n")
    );
    assert!(mermaid.contains("  n3 --> n1\n  n3 --> n2\n"), "{mermaid}");
}

#[test]
fn kinds_do_not_mix() {
    // A HelmRelease naming a Kustomization's name depends on a HelmRelease of that name.
    let text = "apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: web
  namespace: flux-system
spec:
  dependsOn:
  - name: infra
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: infra
  namespace: flux-system
";
    let nodes = nodes_from_resources(&load(text)).unwrap();
    assert_eq!(nodes[0].depends_on, [NodeId::new("HelmRelease", "flux-system", "infra")]);
    assert_eq!(
        order(&nodes).unwrap_err().to_string(),
        "HelmRelease flux-system/web depends on flux-system/infra, which does not exist"
    );
}

#[test]
fn invalid_depends_on() {
    let cases = [
        (
            "dependsOn: infra",
            "Kustomization default/a: spec.dependsOn[0]: expected a list, found a string",
        ),
        (
            "dependsOn:\n  - namespace: x",
            "Kustomization default/a: spec.dependsOn[0]: name must be a non-empty string",
        ),
        (
            "dependsOn:\n  - name: b\n  - name: c\n    namespace: [x]",
            "Kustomization default/a: spec.dependsOn[1]: namespace must be a string",
        ),
    ];
    for (spec, want) in cases {
        let text = format!(
            "apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: a\nspec:\n  {spec}\n"
        );
        assert_eq!(nodes_from_resources(&load(&text)).unwrap_err().to_string(), want);
    }
}

#[test]
fn cycle_across_namespaces() {
    let text = "apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: a
  namespace: one
spec:
  dependsOn:
  - name: b
    namespace: two
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: b
  namespace: two
spec:
  dependsOn:
  - name: a
    namespace: one
";
    let nodes = nodes_from_resources(&load(text)).unwrap();
    assert_eq!(
        waves(&nodes).unwrap_err().to_string(),
        "circular dependency detected: one/a -> two/b -> one/a"
    );
}
