//! kstatus on a YAML stream of live objects, as a health check would read them.

use gitops_core::health::{Status, compute, compute_flux};
use gitops_core::resource::Resource;
use gitops_core::yaml::{Limits, Profile, parse_values};

const LIVE: &str = r#"apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: prod, generation: 3}
spec: {replicas: 3}
status:
  observedGeneration: 3
  replicas: 3
  updatedReplicas: 3
  readyReplicas: 3
  availableReplicas: 3
  conditions:
  - {type: Progressing, status: "True", reason: NewReplicaSetAvailable}
  - {type: Available, status: "True"}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: prod, generation: 4}
spec: {replicas: 3}
status: {observedGeneration: 3, replicas: 3}
---
apiVersion: batch/v1
kind: Job
metadata: {name: migrate, namespace: prod}
status: {startTime: "2024-01-01T00:00:00Z", active: 1}
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: podinfo, namespace: flux-system}
status:
  conditions:
  - {type: Ready, status: "False", reason: InstallFailed, message: "install retries exhausted"}
  - {type: Stalled, status: "True", reason: RetriesExceeded, message: "Failed to install after 1 attempt(s)"}
---
apiVersion: v1
kind: Namespace
metadata: {name: prod, deletionTimestamp: "2024-01-01T00:00:00Z"}
"#;

#[test]
fn live_stream_table() {
    let objects: Vec<Resource> = parse_values(LIVE, Profile::ApiServer, &Limits::default())
        .unwrap()
        .into_iter()
        .map(Resource::new)
        .collect();
    let want: [(Status, &str, Status); 5] = [
        (Status::Current, "Deployment is available. Replicas: 3", Status::Current),
        (
            Status::InProgress,
            "Deployment generation is 4, but latest observed generation is 3",
            Status::InProgress,
        ),
        (Status::Current, "Job in progress. success:0, active: 1, failed: 0", Status::InProgress),
        (Status::Failed, "Failed to install after 1 attempt(s)", Status::Failed),
        (Status::Terminating, "Resource scheduled for deletion", Status::Terminating),
    ];
    assert_eq!(objects.len(), want.len());
    for (obj, (status, message, flux)) in objects.iter().zip(want) {
        let h = compute(obj);
        assert_eq!((h.status, h.message.as_str()), (status, message), "{}", obj.name());
        assert_eq!(compute_flux(obj).status, flux, "{}", obj.name());
    }
}
