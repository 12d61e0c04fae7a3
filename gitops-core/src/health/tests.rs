use super::*;
use crate::yaml::{Limits, Profile, parse_values};

fn res(text: &str) -> Resource {
    Resource::new(parse_values(text, Profile::ApiServer, &Limits::default()).unwrap().remove(0))
}

/// `2024-01-01T00:00:00Z`
const T0: i64 = 1_704_067_200;

use Status::{Current as C, Failed as F, InProgress as P, Terminating as T, Unknown as U};

/// (object YAML, status, message), modelled on kstatus's status_compute_test.go.
const CASES: &[(&str, Status, &str)] = &[
    // --- generic: deletion, generation, Reconciling / Stalled
    (
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, deletionTimestamp: '2024-01-01T00:00:00Z'}\n",
        T,
        "Resource scheduled for deletion",
    ),
    (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a, deletionTimestamp: '2024-01-01T00:00:00Z', generation: 2}\nstatus: {observedGeneration: 1}\n",
        T,
        "Resource scheduled for deletion",
    ),
    (
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, deletionTimestamp: ''}\n",
        C,
        "Resource is always ready",
    ),
    (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a, generation: 2}\nstatus: {observedGeneration: 1}\n",
        P,
        "Deployment generation is 2, but latest observed generation is 1",
    ),
    (
        "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: a, generation: 5}\nstatus: {observedGeneration: 7}\n",
        P,
        "Widget generation is 5, but latest observed generation is 7",
    ),
    (
        "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: a, generation: 5}\nstatus: {}\n",
        C,
        "Resource is current",
    ),
    (
        "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: a}\nstatus: {observedGeneration: 3}\n",
        C,
        "Resource is current",
    ),
    (
        "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: a}\nstatus:\n  conditions:\n  - {type: Reconciling, status: 'True', reason: Working, message: still working}\n",
        P,
        "still working",
    ),
    (
        "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: a}\nstatus:\n  conditions:\n  - {type: Stalled, status: 'True', reason: Broken, message: it broke}\n",
        F,
        "it broke",
    ),
    (
        "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: a}\nstatus:\n  conditions:\n  - {type: Reconciling, status: 'False'}\n  - {type: Stalled, status: 'False'}\n",
        C,
        "Resource is current",
    ),
    // Reconciling wins over a kind rule
    (
        "apiVersion: v1\nkind: Secret\nmetadata: {name: a}\nstatus:\n  conditions:\n  - {type: Reconciling, status: 'True', message: busy}\n",
        P,
        "busy",
    ),
    // --- generic Ready condition
    (
        "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: a}\nstatus:\n  conditions:\n  - {type: Ready, status: 'True'}\n",
        C,
        "Resource is Ready",
    ),
    (
        "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: a}\nstatus:\n  conditions:\n  - {type: Ready, status: 'False', reason: NotYet, message: waiting for db}\n",
        P,
        "waiting for db",
    ),
    (
        "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: a}\nstatus:\n  conditions:\n  - {type: Ready, status: Unknown, message: unsure}\n",
        P,
        "unsure",
    ),
    (
        "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: a}\nstatus:\n  conditions:\n  - {type: Ready, status: Maybe}\n",
        C,
        "Resource is current",
    ),
    (
        "apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: {name: a, generation: 1}\nstatus:\n  observedGeneration: 1\n  conditions:\n  - {type: Ready, status: 'True', reason: ReconciliationSucceeded}\n",
        C,
        "Resource is Ready",
    ),
    (
        "apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\nstatus: {phase: Active}\n",
        C,
        "Resource is current",
    ),
    ("apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: a}\n", C, "Resource is current"),
    // --- always ready
    ("apiVersion: v1\nkind: Secret\nmetadata: {name: a}\n", C, "Resource is always ready"),
    ("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n", C, "Resource is always ready"),
    ("apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: a}\n", C, "Resource is always ready"),
    (
        "apiVersion: batch/v1beta1\nkind: CronJob\nmetadata: {name: a}\n",
        C,
        "Resource is always ready",
    ),
    // --- Service
    (
        "apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec: {type: ClusterIP}\n",
        C,
        "Service is ready",
    ),
    (
        "apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec: {type: LoadBalancer}\n",
        P,
        "ClusterIP not set. Service type: LoadBalancer",
    ),
    (
        "apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec: {type: LoadBalancer, clusterIP: 10.0.0.1}\n",
        C,
        "Service is ready",
    ),
    ("apiVersion: v1\nkind: Service\nmetadata: {name: a}\n", C, "Service is ready"),
    // --- PVC
    (
        "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: a}\nstatus: {phase: Bound}\n",
        C,
        "PVC is Bound",
    ),
    (
        "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: a}\nstatus: {phase: Pending}\n",
        P,
        "PVC is not Bound. phase: Pending",
    ),
    (
        "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: a}\n",
        P,
        "PVC is not Bound. phase: unknown",
    ),
    // --- Pod
    (
        "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nstatus: {phase: Succeeded}\n",
        C,
        "Pod has completed successfully",
    ),
    (
        "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nstatus: {phase: Failed}\n",
        C,
        "Pod has completed, but not successfully",
    ),
    (
        "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nstatus:\n  phase: Running\n  conditions:\n  - {type: Ready, status: 'True'}\n",
        C,
        "Pod is Ready",
    ),
    (
        "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nstatus:\n  phase: Running\n  conditions:\n  - {type: Ready, status: 'False'}\n",
        P,
        "Pod is running but is not Ready",
    ),
    (
        "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nstatus:\n  phase: Running\n  containerStatuses:\n  - {name: app, state: {waiting: {reason: CrashLoopBackOff}}}\n  - {name: side, state: {running: {}}}\n  - {name: two, state: {waiting: {reason: CrashLoopBackOff}}}\n",
        F,
        "Containers in CrashLoop state: app,two",
    ),
    (
        "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nstatus:\n  phase: Running\n  containerStatuses:\n  - {name: app, state: {waiting: {reason: ContainerCreating}}}\n",
        P,
        "Pod is running but is not Ready",
    ),
    (
        "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nstatus: {phase: Pending}\n",
        P,
        "Pod is in the Pending phase",
    ),
    (
        "apiVersion: v1\nkind: Pod\nmetadata: {name: a, creationTimestamp: '2024-01-01T00:00:00Z'}\nstatus:\n  phase: Pending\n  conditions:\n  - {type: PodScheduled, status: 'False', reason: Unschedulable}\n",
        F,
        "Pod could not be scheduled",
    ),
    (
        "apiVersion: v1\nkind: Pod\nmetadata: {name: a, creationTimestamp: '2024-01-01T00:00:50Z'}\nstatus:\n  phase: Pending\n  conditions:\n  - {type: PodScheduled, status: 'False', reason: Unschedulable}\n",
        P,
        "Pod has not been scheduled",
    ),
    (
        "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nstatus:\n  phase: Pending\n  conditions:\n  - {type: PodScheduled, status: 'False', reason: Other}\n",
        P,
        "Pod is in the Pending phase",
    ),
    ("apiVersion: v1\nkind: Pod\nmetadata: {name: a}\n", P, "Pod phase not available"),
    (
        "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nstatus: {phase: Exploded}\n",
        U,
        "unknown phase Exploded",
    ),
    // --- StatefulSet
    (
        "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: a}\nspec: {replicas: 3, updateStrategy: {type: OnDelete}}\n",
        C,
        "StatefulSet is using the ondelete update strategy",
    ),
    (
        "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: a}\nspec: {replicas: 3}\nstatus: {replicas: 1}\n",
        P,
        "Replicas: 1/3",
    ),
    (
        "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: a}\nspec: {replicas: 3}\nstatus: {replicas: 3, readyReplicas: 2}\n",
        P,
        "Ready: 2/3",
    ),
    (
        "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: a}\nspec: {replicas: 3}\nstatus: {replicas: 5, readyReplicas: 5}\n",
        P,
        "Pending termination: 2",
    ),
    (
        "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: a}\nspec: {replicas: 4, updateStrategy: {rollingUpdate: {partition: 2}}}\nstatus: {replicas: 4, readyReplicas: 4, updatedReplicas: 1}\n",
        P,
        "updated: 1/2",
    ),
    (
        "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: a}\nspec: {replicas: 4, updateStrategy: {rollingUpdate: {partition: 2}}}\nstatus: {replicas: 4, readyReplicas: 4, updatedReplicas: 2}\n",
        C,
        "Partition rollout complete. updated: 2",
    ),
    (
        "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: a}\nspec: {replicas: 3}\nstatus: {replicas: 3, readyReplicas: 3, currentReplicas: 1}\n",
        P,
        "current: 1/3",
    ),
    (
        "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: a}\nspec: {replicas: 3}\nstatus: {replicas: 3, readyReplicas: 3, currentReplicas: 3, currentRevision: r1, updateRevision: r2}\n",
        P,
        "Waiting for updated revision to match current",
    ),
    (
        "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: a}\nspec: {replicas: 3}\nstatus: {replicas: 3, readyReplicas: 3, currentReplicas: 3, currentRevision: r1, updateRevision: r1}\n",
        C,
        "All replicas scheduled as expected. Replicas: 3",
    ),
    // spec.replicas defaults to 1
    (
        "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: a}\nstatus: {}\n",
        P,
        "Replicas: 0/1",
    ),
    // --- Deployment
    (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\nspec: {replicas: 3}\nstatus:\n  conditions:\n  - {type: Progressing, status: 'False', reason: ProgressDeadlineExceeded}\n",
        F,
        "Progress deadline exceeded",
    ),
    (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\nspec: {replicas: 3}\nstatus: {replicas: 1}\n",
        P,
        "Replicas: 1/3",
    ),
    (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\nspec: {replicas: 3}\nstatus: {replicas: 3, updatedReplicas: 1}\n",
        P,
        "Updated: 1/3",
    ),
    (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\nspec: {replicas: 3}\nstatus: {replicas: 4, updatedReplicas: 3}\n",
        P,
        "Pending termination: 1",
    ),
    (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\nspec: {replicas: 3}\nstatus: {replicas: 3, updatedReplicas: 3, availableReplicas: 2}\n",
        P,
        "Available: 2/3",
    ),
    (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\nspec: {replicas: 3}\nstatus: {replicas: 3, updatedReplicas: 3, availableReplicas: 3, readyReplicas: 1}\n",
        P,
        "Ready: 1/3",
    ),
    (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\nspec: {replicas: 3}\nstatus: {replicas: 3, updatedReplicas: 3, availableReplicas: 3, readyReplicas: 3}\n",
        P,
        "Deployment not Available",
    ),
    (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\nspec: {replicas: 3, progressDeadlineSeconds: 600}\nstatus:\n  replicas: 3\n  updatedReplicas: 3\n  availableReplicas: 3\n  readyReplicas: 3\n  conditions:\n  - {type: Available, status: 'True'}\n",
        P,
        "ReplicaSet not Available",
    ),
    (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a, generation: 2}\nspec: {replicas: 3, progressDeadlineSeconds: 600}\nstatus:\n  observedGeneration: 2\n  replicas: 3\n  updatedReplicas: 3\n  availableReplicas: 3\n  readyReplicas: 3\n  conditions:\n  - {type: Progressing, status: 'True', reason: NewReplicaSetAvailable}\n  - {type: Available, status: 'True'}\n",
        C,
        "Deployment is available. Replicas: 3",
    ),
    (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\nspec: {replicas: 1}\nstatus:\n  replicas: 1\n  updatedReplicas: 1\n  availableReplicas: 1\n  readyReplicas: 1\n  conditions:\n  - {type: Available, status: 'True'}\n",
        C,
        "Deployment is available. Replicas: 1",
    ),
    (
        "apiVersion: extensions/v1beta1\nkind: Deployment\nmetadata: {name: a}\nspec: {replicas: 2}\nstatus: {replicas: 1}\n",
        P,
        "Replicas: 1/2",
    ),
    // zero replicas, Available: current
    (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\nspec: {replicas: 0}\nstatus:\n  conditions:\n  - {type: Available, status: 'True'}\n",
        C,
        "Deployment is available. Replicas: 0",
    ),
    // --- ReplicaSet
    (
        "apiVersion: apps/v1\nkind: ReplicaSet\nmetadata: {name: a}\nspec: {replicas: 2}\nstatus:\n  conditions:\n  - {type: ReplicaFailure, status: 'True'}\n",
        P,
        "Replica Failure condition. Check Pods",
    ),
    (
        "apiVersion: apps/v1\nkind: ReplicaSet\nmetadata: {name: a}\nspec: {replicas: 2}\nstatus: {fullyLabeledReplicas: 1}\n",
        P,
        "Labelled: 1/2",
    ),
    (
        "apiVersion: apps/v1\nkind: ReplicaSet\nmetadata: {name: a}\nspec: {replicas: 2}\nstatus: {fullyLabeledReplicas: 2, availableReplicas: 1}\n",
        P,
        "Available: 1/2",
    ),
    (
        "apiVersion: apps/v1\nkind: ReplicaSet\nmetadata: {name: a}\nspec: {replicas: 2}\nstatus: {fullyLabeledReplicas: 2, availableReplicas: 2, readyReplicas: 0}\n",
        P,
        "Ready: 0/2",
    ),
    (
        "apiVersion: apps/v1\nkind: ReplicaSet\nmetadata: {name: a}\nspec: {replicas: 2}\nstatus: {replicas: 3, fullyLabeledReplicas: 2, availableReplicas: 2, readyReplicas: 2}\n",
        P,
        "Pending termination: 1",
    ),
    (
        "apiVersion: apps/v1\nkind: ReplicaSet\nmetadata: {name: a}\nspec: {replicas: 2}\nstatus: {replicas: 2, fullyLabeledReplicas: 2, availableReplicas: 2, readyReplicas: 2}\n",
        C,
        "ReplicaSet is available. Replicas: 2",
    ),
    // --- DaemonSet
    (
        "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: a}\nstatus: {observedGeneration: 1}\n",
        P,
        "DaemonSet metadata.generation not found",
    ),
    (
        "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: a, generation: 1}\nstatus: {}\n",
        P,
        "DaemonSet status.observedGeneration not found",
    ),
    (
        "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: a, generation: 1}\nstatus: {observedGeneration: 1}\n",
        P,
        "Missing .status.desiredNumberScheduled",
    ),
    (
        "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: a, generation: 1}\nstatus: {observedGeneration: 1, desiredNumberScheduled: 4, currentNumberScheduled: 2}\n",
        P,
        "Current: 2/4",
    ),
    (
        "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: a, generation: 1}\nstatus: {observedGeneration: 1, desiredNumberScheduled: 4, currentNumberScheduled: 4, updatedNumberScheduled: 3}\n",
        P,
        "Updated: 3/4",
    ),
    (
        "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: a, generation: 1}\nstatus: {observedGeneration: 1, desiredNumberScheduled: 4, currentNumberScheduled: 4, updatedNumberScheduled: 4, numberAvailable: 1}\n",
        P,
        "Available: 1/4",
    ),
    (
        "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: a, generation: 1}\nstatus: {observedGeneration: 1, desiredNumberScheduled: 4, currentNumberScheduled: 4, updatedNumberScheduled: 4, numberAvailable: 4, numberReady: 0}\n",
        P,
        "Ready: 0/4",
    ),
    (
        "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: a, generation: 1}\nstatus: {observedGeneration: 1, desiredNumberScheduled: 4, currentNumberScheduled: 4, updatedNumberScheduled: 4, numberAvailable: 4, numberReady: 4}\n",
        C,
        "All replicas scheduled as expected. Replicas: 4",
    ),
    // --- PDB
    (
        "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: a, generation: 1}\nstatus: {observedGeneration: 1}\n",
        C,
        "AllowedDisruptions has been computed.",
    ),
    (
        "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: a, generation: 2}\nstatus: {observedGeneration: 1}\n",
        P,
        "PodDisruptionBudget generation is 2, but latest observed generation is 1",
    ),
    // --- Job (kstatus)
    (
        "apiVersion: batch/v1\nkind: Job\nmetadata: {name: a}\nspec: {completions: 3}\nstatus:\n  succeeded: 3\n  conditions:\n  - {type: Complete, status: 'True'}\n",
        C,
        "Job Completed. succeeded: 3/3",
    ),
    (
        "apiVersion: batch/v1\nkind: Job\nmetadata: {name: a}\nspec: {parallelism: 2}\nstatus:\n  failed: 1\n  conditions:\n  - {type: Failed, status: 'True'}\n",
        F,
        "Job Failed. failed: 1/2",
    ),
    (
        "apiVersion: batch/v1\nkind: Job\nmetadata: {name: a}\nspec: {suspend: true}\nstatus:\n  conditions:\n  - {type: Suspended, status: 'True'}\n",
        C,
        "Job is suspended",
    ),
    ("apiVersion: batch/v1\nkind: Job\nmetadata: {name: a}\nstatus: {}\n", P, "Job not started"),
    (
        "apiVersion: batch/v1\nkind: Job\nmetadata: {name: a}\nstatus: {startTime: '2024-01-01T00:00:00Z', active: 1, succeeded: 2, failed: 1}\n",
        C,
        "Job in progress. success:2, active: 1, failed: 1",
    ),
    // --- CRD
    (
        "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: a.b}\nstatus:\n  conditions:\n  - {type: NamesAccepted, status: 'False', reason: NameConflict, message: name taken}\n",
        F,
        "name taken",
    ),
    (
        "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: a.b}\nstatus:\n  conditions:\n  - {type: Established, status: 'False', reason: Installing, message: installing}\n",
        P,
        "Install in progress",
    ),
    (
        "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: a.b}\nstatus:\n  conditions:\n  - {type: Established, status: 'False', reason: Broken, message: not ok}\n",
        F,
        "not ok",
    ),
    (
        "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: a.b}\nstatus:\n  conditions:\n  - {type: NamesAccepted, status: 'True'}\n  - {type: Established, status: 'True'}\n",
        C,
        "CRD is established",
    ),
    (
        "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: a.b}\n",
        P,
        "Install in progress",
    ),
    // --- errors: Unknown, never a panic
    (
        "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: a}\nstatus: {conditions: notalist}\n",
        U,
        "status.conditions: expected a list, got string",
    ),
    (
        "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: a}\nstatus:\n  conditions:\n  - {type: Ready, status: true}\n",
        U,
        "status.conditions[0].status: expected a string, got bool",
    ),
    (
        "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: a, generation: x}\nstatus: {observedGeneration: 1}\n",
        U,
        "looking up metadata.generation from resource: .metadata.generation accessor error: x is of the type string, expected int64",
    ),
    (
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, deletionTimestamp: 5}\n",
        U,
        "looking up metadata.deletionTimestamp from resource: .metadata.deletionTimestamp accessor error: 5 is of the type int64, expected string",
    ),
    (
        "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: a}\nstatus: 3\n",
        U,
        "status: expected a mapping, got int64",
    ),
];

#[test]
fn kstatus_table() {
    assert!(CASES.len() >= 60, "{} cases", CASES.len());
    for (i, (text, status, message)) in CASES.iter().enumerate() {
        let h = compute_at(&res(text), T0 + 30);
        assert_eq!((h.status, h.message.as_str()), (*status, *message), "case {i}: {text}");
    }
}

#[test]
fn flux_job_table() {
    let cases: [(&str, Status, &str); 5] = [
        ("status: {startTime: '2024-01-01T00:00:00Z', active: 1}\n", P, "Job in progress"),
        ("status: {}\n", P, "Job in progress"),
        (
            "status:\n  succeeded: 1\n  conditions:\n  - {type: Complete, status: 'True'}\n",
            C,
            "Job Completed. succeeded: 1/1",
        ),
        (
            "status:\n  failed: 2\n  conditions:\n  - {type: Failed, status: 'True'}\n",
            F,
            "Job Failed. failed: 2/1",
        ),
        (
            "metadata: {name: a, deletionTimestamp: '2024-01-01T00:00:00Z'}\n",
            T,
            "Resource scheduled for deletion",
        ),
    ];
    for (tail, status, message) in cases {
        let text = if tail.starts_with("metadata") {
            format!("apiVersion: batch/v1\nkind: Job\n{tail}")
        } else {
            format!("apiVersion: batch/v1\nkind: Job\nmetadata: {{name: a}}\n{tail}")
        };
        let h = compute_flux(&res(&text));
        assert_eq!((h.status, h.message.as_str()), (status, message), "{text}");
    }
    // other kinds: as kstatus
    let d = res("apiVersion: v1\nkind: Secret\nmetadata: {name: a}\n");
    assert_eq!(compute_flux(&d), compute(&d));
}

#[test]
fn rfc3339_table() {
    let cases = [
        ("2024-01-01T00:00:00Z", Some(T0)),
        ("2024-01-01T00:00:00.123Z", Some(T0)),
        ("2024-01-01T01:00:00+01:00", Some(T0)),
        ("1970-01-01T00:00:00Z", Some(0)),
        ("2000-03-01T00:00:00Z", Some(951_868_800)),
        ("nope", None),
        ("2024-01-01 00:00:00Z", None),
    ];
    for (s, want) in cases {
        assert_eq!(parse_rfc3339(s), want, "{s}");
    }
}

#[test]
fn status_names() {
    let all = [C, P, F, T, Status::NotFound, U];
    let names: Vec<String> = all.iter().map(ToString::to_string).collect();
    assert_eq!(names, ["Current", "InProgress", "Failed", "Terminating", "NotFound", "Unknown"]);
}
