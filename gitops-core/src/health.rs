//! Health as kstatus computes it (kubernetes-sigs/cli-utils `pkg/kstatus/status`:
//! `status.go Compute`, `generic.go`, `core.go`, `util.go`), with kstatus's messages.
//!
//! [`compute`] runs, in order:
//! 1. `metadata.deletionTimestamp` set → **Terminating** (`Resource scheduled for deletion`);
//! 2. `metadata.generation` ≠ `status.observedGeneration` (both present) → InProgress
//!    (`<Kind> generation is 2, but latest observed generation is 1`);
//! 3. a `Reconciling=True` condition → InProgress, `Stalled=True` → Failed (the
//!    condition's message);
//! 4. the built-in rules, keyed by group and kind (any version): Service, Pod, Secret,
//!    PersistentVolumeClaim, ConfigMap, StatefulSet, DaemonSet, Deployment, ReplicaSet
//!    (`apps`, and `extensions` for the last three), PodDisruptionBudget, CronJob, Job,
//!    CustomResourceDefinition;
//! 5. a `Ready` condition: True → Current (`Resource is Ready`), False or Unknown →
//!    InProgress (the condition's message);
//! 6. otherwise Current (`Resource is current`).
//!
//! Where kstatus fails to compute (a malformed `status.conditions`, an unknown Pod
//! phase, a mistyped `generation`) the status is [`Status::Unknown`] with the error, as
//! kstatus's pollers report it. [`compute_flux`] is what Flux's health check uses: the
//! same, except that a Job is Current only once complete (fluxcd/pkg
//! `runtime/statusreaders/job.go`).
//!
//! ```
//! use gitops_core::health::{compute, Status};
//! use gitops_core::resource::Resource;
//! use gitops_core::yaml::{parse_values, Limits, Profile};
//! let text = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, generation: 1}\nspec: {replicas: 3}\nstatus: {observedGeneration: 1, replicas: 3, updatedReplicas: 1}\n";
//! let d = Resource::new(parse_values(text, Profile::ApiServer, &Limits::default()).unwrap().remove(0));
//! let h = compute(&d);
//! assert_eq!((h.status, h.message.as_str()), (Status::InProgress, "Updated: 1/3"));
//! ```

use crate::resource::Resource;
use crate::yaml::Value;
use std::fmt;

/// A kstatus status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Status {
    /// Fully reconciled.
    Current,
    /// Still being reconciled.
    InProgress,
    /// Reconciliation failed (stalled).
    Failed,
    /// Being deleted.
    Terminating,
    /// Not found in the cluster (reported by pollers, never by [`compute`]).
    NotFound,
    /// The status could not be computed.
    Unknown,
}

impl Status {
    /// The name kstatus prints (`Current`, `InProgress`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Current => "Current",
            Status::InProgress => "InProgress",
            Status::Failed => "Failed",
            Status::Terminating => "Terminating",
            Status::NotFound => "NotFound",
            Status::Unknown => "Unknown",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The computed health of one object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Health {
    /// The status.
    pub status: Status,
    /// kstatus's message (or the error, for [`Status::Unknown`]).
    pub message: String,
}

impl Health {
    fn new(status: Status, message: impl Into<String>) -> Health {
        Health { status, message: message.into() }
    }
}

fn current(m: impl Into<String>) -> Option<Health> {
    Some(Health::new(Status::Current, m))
}

fn in_progress(m: impl Into<String>) -> Option<Health> {
    Some(Health::new(Status::InProgress, m))
}

fn failed(m: impl Into<String>) -> Option<Health> {
    Some(Health::new(Status::Failed, m))
}

/// kstatus `Compute` at the current time (only a Pod pending as unschedulable looks at
/// the clock).
pub fn compute(res: &Resource) -> Health {
    compute_at(res, now_unix())
}

/// [`compute`], with Flux's Job rule: Current once `Complete=True`, Failed on
/// `Failed=True`, otherwise InProgress (`Job in progress`).
pub fn compute_flux(res: &Resource) -> Health {
    if res.kind() == "Job" && res.group() == "batch" {
        match generic(res) {
            Ok(Some(h)) => return h,
            Err(e) => return Health::new(Status::Unknown, e),
            Ok(None) => {}
        }
        return match flux_job(res.value()) {
            Ok(h) => h,
            Err(e) => Health::new(Status::Unknown, e),
        };
    }
    compute(res)
}

/// [`compute`] with the clock given as Unix seconds (deterministic).
pub fn compute_at(res: &Resource, now_unix: i64) -> Health {
    match compute_inner(res, now_unix) {
        Ok(h) => h,
        Err(e) => Health::new(Status::Unknown, e),
    }
}

fn now_unix() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// A kind rule: the object, its value, the clock.
type Rule = fn(&Resource, &Value, i64) -> Result<Option<Health>, String>;

fn compute_inner(res: &Resource, now: i64) -> Result<Health, String> {
    if let Some(h) = generic(res)? {
        return Ok(h);
    }
    let obj = res.value();
    let rule: Option<Rule> = match (res.group(), res.kind()) {
        ("", "Service") => Some(|_, o, _| Ok(service(o))),
        ("", "Pod") => Some(pod),
        ("", "Secret" | "ConfigMap") | ("batch", "CronJob") => {
            Some(|_, _, _| Ok(current("Resource is always ready")))
        }
        ("", "PersistentVolumeClaim") => Some(|_, o, _| Ok(pvc(o))),
        ("apps", "StatefulSet") => Some(|_, o, _| Ok(statefulset(o))),
        ("apps" | "extensions", "DaemonSet") => Some(|r, o, _| daemonset(r, o)),
        ("apps" | "extensions", "Deployment") => Some(|_, o, _| deployment(o)),
        ("apps" | "extensions", "ReplicaSet") => Some(|_, o, _| replicaset(o)),
        ("policy", "PodDisruptionBudget") => {
            Some(|_, _, _| Ok(current("AllowedDisruptions has been computed.")))
        }
        ("batch", "Job") => Some(|_, o, _| job(o)),
        ("apiextensions.k8s.io", "CustomResourceDefinition") => Some(|_, o, _| crd(o)),
        _ => None,
    };
    if let Some(rule) = rule {
        return rule(res, obj, now)
            .map(|h| h.unwrap_or_else(|| Health::new(Status::Current, "Resource is current")));
    }
    for c in conditions(obj)? {
        if c.typ != "Ready" {
            continue;
        }
        match c.status.as_str() {
            "True" => return Ok(Health::new(Status::Current, "Resource is Ready")),
            "False" | "Unknown" => return Ok(Health::new(Status::InProgress, c.message)),
            _ => {}
        }
    }
    Ok(Health::new(Status::Current, "Resource is current"))
}

/// Go's type name of a decoded JSON value (for accessor errors).
fn go_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "<nil>",
        Value::Bool(_) => "bool",
        Value::Int(_) | Value::Uint(_) => "int64",
        Value::Float(_) => "float64",
        Value::String(_) => "string",
        Value::Seq(_) => "[]interface {}",
        Value::Map(_) => "map[string]interface {}",
    }
}

fn accessor_error(what: &str, path: &str, v: &Value, expected: &str) -> String {
    format!(
        "looking up {what} from resource: {path} accessor error: {} is of the type {}, expected {expected}",
        crate::resource::scalar_text(v),
        go_type(v)
    )
}

/// An int64 at `path` (`Ok(None)` when absent; an error when of another type).
fn nested_i64(obj: &Value, path: &[&str], what: &str) -> Result<Option<i64>, String> {
    match obj.get_path(path) {
        None => Ok(None),
        Some(Value::Int(i)) => Ok(Some(*i)),
        Some(v) => Err(accessor_error(what, &format!(".{}", path.join(".")), v, "int64")),
    }
}

/// The generic checks: deletion, observed generation, Reconciling/Stalled conditions.
fn generic(res: &Resource) -> Result<Option<Health>, String> {
    let obj = res.value();
    match obj.get_path(&["metadata", "deletionTimestamp"]) {
        None => {}
        Some(Value::String(s)) if s.is_empty() => {}
        Some(Value::String(_)) => {
            return Ok(Some(Health::new(Status::Terminating, "Resource scheduled for deletion")));
        }
        Some(v) => {
            return Err(accessor_error(
                "metadata.deletionTimestamp",
                ".metadata.deletionTimestamp",
                v,
                "string",
            ));
        }
    }
    if let Some(generation) = nested_i64(obj, &["metadata", "generation"], "metadata.generation")?
        && let Some(observed) =
            nested_i64(obj, &["status", "observedGeneration"], "status.observedGeneration")?
        && observed != generation
    {
        return Ok(in_progress(format!(
            "{} generation is {generation}, but latest observed generation is {observed}",
            res.kind()
        )));
    }
    for c in conditions(obj)? {
        if c.typ == "Reconciling" && c.status == "True" {
            return Ok(in_progress(c.message));
        }
        if c.typ == "Stalled" && c.status == "True" {
            return Ok(failed(c.message));
        }
    }
    Ok(None)
}

/// One condition as kstatus reads it.
#[derive(Debug, Default)]
struct Condition {
    typ: String,
    status: String,
    reason: String,
    message: String,
}

/// `status.conditions`, decoded as kstatus's `ObjWithConditions` (strings only).
fn conditions(obj: &Value) -> Result<Vec<Condition>, String> {
    let status = match obj.get("status") {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Map(m)) => m,
        Some(v) => return Err(format!("status: expected a mapping, got {}", go_type(v))),
    };
    let items = match status.get("conditions") {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Seq(items)) => items,
        Some(v) => return Err(format!("status.conditions: expected a list, got {}", go_type(v))),
    };
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let m = match item {
                Value::Map(m) => m,
                Value::Null => return Ok(Condition::default()),
                v => {
                    return Err(format!(
                        "status.conditions[{i}]: expected a mapping, got {}",
                        go_type(v)
                    ));
                }
            };
            let field = |k: &str| -> Result<String, String> {
                match m.get(k) {
                    None | Some(Value::Null) => Ok(String::new()),
                    Some(Value::String(s)) => Ok(s.clone()),
                    Some(v) => Err(format!(
                        "status.conditions[{i}].{k}: expected a string, got {}",
                        go_type(v)
                    )),
                }
            };
            Ok(Condition {
                typ: field("type")?,
                status: field("status")?,
                reason: field("reason")?,
                message: field("message")?,
            })
        })
        .collect()
}

/// kstatus `GetIntField`: an integer at the path, else the default.
fn int(obj: &Value, path: &[&str], default: i64) -> i64 {
    match obj.get_path(path) {
        Some(Value::Int(i)) => *i,
        _ => default,
    }
}

/// kstatus `GetStringField`.
fn string<'a>(obj: &'a Value, path: &[&str], default: &'a str) -> &'a str {
    obj.get_path(path).and_then(Value::as_str).unwrap_or(default)
}

fn service(obj: &Value) -> Option<Health> {
    if string(obj, &["spec", "type"], "ClusterIP") == "LoadBalancer"
        && string(obj, &["spec", "clusterIP"], "").is_empty()
    {
        return in_progress("ClusterIP not set. Service type: LoadBalancer");
    }
    current("Service is ready")
}

fn pvc(obj: &Value) -> Option<Health> {
    let phase = string(obj, &["status", "phase"], "unknown");
    if phase != "Bound" {
        return in_progress(format!("PVC is not Bound. phase: {phase}"));
    }
    current("PVC is Bound")
}

fn statefulset(obj: &Value) -> Option<Health> {
    if string(obj, &["spec", "updateStrategy", "type"], "") == "OnDelete" {
        return current("StatefulSet is using the ondelete update strategy");
    }
    let spec = int(obj, &["spec", "replicas"], 1);
    let ready = int(obj, &["status", "readyReplicas"], 0);
    let current_r = int(obj, &["status", "currentReplicas"], 0);
    let updated = int(obj, &["status", "updatedReplicas"], 0);
    let status = int(obj, &["status", "replicas"], 0);
    let partition = int(obj, &["spec", "updateStrategy", "rollingUpdate", "partition"], -1);
    if spec > status {
        return in_progress(format!("Replicas: {status}/{spec}"));
    }
    if spec > ready {
        return in_progress(format!("Ready: {ready}/{spec}"));
    }
    if status > spec {
        return in_progress(format!("Pending termination: {}", status - spec));
    }
    if partition != -1 {
        if updated < spec - partition {
            return in_progress(format!("updated: {updated}/{}", spec - partition));
        }
        return current(format!("Partition rollout complete. updated: {updated}"));
    }
    if spec > current_r {
        return in_progress(format!("current: {current_r}/{spec}"));
    }
    if string(obj, &["status", "currentRevision"], "")
        != string(obj, &["status", "updateRevision"], "")
    {
        return in_progress("Waiting for updated revision to match current");
    }
    current(format!("All replicas scheduled as expected. Replicas: {status}"))
}

fn deployment(obj: &Value) -> Result<Option<Health>, String> {
    let mut progressing =
        int(obj, &["spec", "progressDeadlineSeconds"], i64::from(i32::MAX)) == i64::from(i32::MAX);
    let mut available = false;
    for c in conditions(obj)? {
        match c.typ.as_str() {
            "Progressing" => {
                if c.reason == "ProgressDeadlineExceeded" {
                    return Ok(failed("Progress deadline exceeded"));
                }
                if c.status == "True" && c.reason == "NewReplicaSetAvailable" {
                    progressing = true;
                }
            }
            "Available" if c.status == "True" => available = true,
            _ => {}
        }
    }
    let spec = int(obj, &["spec", "replicas"], 1);
    let status = int(obj, &["status", "replicas"], 0);
    let updated = int(obj, &["status", "updatedReplicas"], 0);
    let ready = int(obj, &["status", "readyReplicas"], 0);
    let avail = int(obj, &["status", "availableReplicas"], 0);
    Ok(if spec > status {
        in_progress(format!("Replicas: {status}/{spec}"))
    } else if spec > updated {
        in_progress(format!("Updated: {updated}/{spec}"))
    } else if status > spec {
        in_progress(format!("Pending termination: {}", status - spec))
    } else if updated > avail {
        in_progress(format!("Available: {avail}/{updated}"))
    } else if spec > ready {
        in_progress(format!("Ready: {ready}/{spec}"))
    } else if !progressing {
        in_progress("ReplicaSet not Available")
    } else if !available {
        in_progress("Deployment not Available")
    } else {
        current(format!("Deployment is available. Replicas: {status}"))
    })
}

fn replicaset(obj: &Value) -> Result<Option<Health>, String> {
    if conditions(obj)?.iter().any(|c| c.typ == "ReplicaFailure" && c.status == "True") {
        return Ok(in_progress("Replica Failure condition. Check Pods"));
    }
    let spec = int(obj, &["spec", "replicas"], 1);
    let status = int(obj, &["status", "replicas"], 0);
    let ready = int(obj, &["status", "readyReplicas"], 0);
    let avail = int(obj, &["status", "availableReplicas"], 0);
    let labelled = int(obj, &["status", "fullyLabeledReplicas"], 0);
    Ok(if spec > labelled {
        in_progress(format!("Labelled: {labelled}/{spec}"))
    } else if spec > avail {
        in_progress(format!("Available: {avail}/{spec}"))
    } else if spec > ready {
        in_progress(format!("Ready: {ready}/{spec}"))
    } else if status > spec {
        in_progress(format!("Pending termination: {}", status - spec))
    } else {
        current(format!("ReplicaSet is available. Replicas: {status}"))
    })
}

fn daemonset(res: &Resource, obj: &Value) -> Result<Option<Health>, String> {
    if nested_i64(obj, &["metadata", "generation"], "metadata.generation")?.is_none() {
        return Ok(in_progress(format!("{} metadata.generation not found", res.kind())));
    }
    if nested_i64(obj, &["status", "observedGeneration"], "status.observedGeneration")?.is_none() {
        return Ok(in_progress(format!("{} status.observedGeneration not found", res.kind())));
    }
    let desired = int(obj, &["status", "desiredNumberScheduled"], -1);
    let cur = int(obj, &["status", "currentNumberScheduled"], 0);
    let updated = int(obj, &["status", "updatedNumberScheduled"], 0);
    let avail = int(obj, &["status", "numberAvailable"], 0);
    let ready = int(obj, &["status", "numberReady"], 0);
    Ok(if desired == -1 {
        in_progress("Missing .status.desiredNumberScheduled")
    } else if desired > cur {
        in_progress(format!("Current: {cur}/{desired}"))
    } else if desired > updated {
        in_progress(format!("Updated: {updated}/{desired}"))
    } else if desired > avail {
        in_progress(format!("Available: {avail}/{desired}"))
    } else if desired > ready {
        in_progress(format!("Ready: {ready}/{desired}"))
    } else {
        current(format!("All replicas scheduled as expected. Replicas: {desired}"))
    })
}

/// How long a Pod may stay unschedulable before kstatus calls it Failed.
const SCHEDULE_WINDOW_SECS: i64 = 15;

fn pod(res: &Resource, obj: &Value, now: i64) -> Result<Option<Health>, String> {
    let conds = conditions(obj)?;
    let phase = string(obj, &["status", "phase"], "");
    Ok(match phase {
        "Succeeded" => current("Pod has completed successfully"),
        "Failed" => current("Pod has completed, but not successfully"),
        "Running" => {
            if conds.iter().any(|c| c.typ == "Ready" && c.status == "True") {
                return Ok(current("Pod is Ready"));
            }
            let crashing: Vec<&str> = obj
                .get_path(&["status", "containerStatuses"])
                .and_then(Value::as_seq)
                .map(|cs| {
                    cs.iter()
                        .filter(|c| {
                            c.get_path(&["state", "waiting", "reason"]).and_then(Value::as_str)
                                == Some("CrashLoopBackOff")
                        })
                        .filter_map(|c| c.get("name").and_then(Value::as_str))
                        .collect()
                })
                .unwrap_or_default();
            if crashing.is_empty() {
                in_progress("Pod is running but is not Ready")
            } else {
                failed(format!("Containers in CrashLoop state: {}", crashing.join(",")))
            }
        }
        "Pending" => {
            let unschedulable = conds.iter().any(|c| {
                c.typ == "PodScheduled" && c.status == "False" && c.reason == "Unschedulable"
            });
            if unschedulable {
                let created = res
                    .value()
                    .get_path(&["metadata", "creationTimestamp"])
                    .and_then(Value::as_str)
                    .and_then(parse_rfc3339)
                    .unwrap_or(i64::MIN / 2);
                if now - SCHEDULE_WINDOW_SECS < created {
                    return Ok(in_progress("Pod has not been scheduled"));
                }
                return Ok(failed("Pod could not be scheduled"));
            }
            in_progress("Pod is in the Pending phase")
        }
        "" => in_progress("Pod phase not available"),
        other => return Err(format!("unknown phase {other}")),
    })
}

fn job(obj: &Value) -> Result<Option<Health>, String> {
    let parallelism = int(obj, &["spec", "parallelism"], 1);
    let completions = int(obj, &["spec", "completions"], parallelism);
    let succeeded = int(obj, &["status", "succeeded"], 0);
    let active = int(obj, &["status", "active"], 0);
    let failed_n = int(obj, &["status", "failed"], 0);
    for c in conditions(obj)? {
        if c.status != "True" {
            continue;
        }
        match c.typ.as_str() {
            "Complete" => {
                return Ok(current(format!("Job Completed. succeeded: {succeeded}/{completions}")));
            }
            "Failed" => return Ok(failed(format!("Job Failed. failed: {failed_n}/{completions}"))),
            "Suspended" => return Ok(current("Job is suspended")),
            _ => {}
        }
    }
    if string(obj, &["status", "startTime"], "").is_empty() {
        return Ok(in_progress("Job not started"));
    }
    Ok(current(format!(
        "Job in progress. success:{succeeded}, active: {active}, failed: {failed_n}"
    )))
}

fn flux_job(obj: &Value) -> Result<Health, String> {
    let parallelism = int(obj, &["spec", "parallelism"], 1);
    let completions = int(obj, &["spec", "completions"], parallelism);
    let succeeded = int(obj, &["status", "succeeded"], 0);
    let failed_n = int(obj, &["status", "failed"], 0);
    for c in conditions(obj)? {
        if c.status != "True" {
            continue;
        }
        match c.typ.as_str() {
            "Complete" => {
                return Ok(Health::new(
                    Status::Current,
                    format!("Job Completed. succeeded: {succeeded}/{completions}"),
                ));
            }
            "Failed" => {
                return Ok(Health::new(
                    Status::Failed,
                    format!("Job Failed. failed: {failed_n}/{completions}"),
                ));
            }
            _ => {}
        }
    }
    Ok(Health::new(Status::InProgress, "Job in progress"))
}

fn crd(obj: &Value) -> Result<Option<Health>, String> {
    for c in conditions(obj)? {
        if c.typ == "NamesAccepted" && c.status == "False" {
            return Ok(failed(c.message));
        }
        if c.typ == "Established" {
            if c.status == "False" && c.reason != "Installing" {
                return Ok(failed(c.message));
            }
            if c.status == "True" {
                return Ok(current("CRD is established"));
            }
        }
    }
    Ok(in_progress("Install in progress"))
}

/// Unix seconds of an RFC 3339 timestamp (`2024-01-02T03:04:05Z`, fractional seconds
/// and numeric offsets accepted).
fn parse_rfc3339(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() < 20
        || b.get(4) != Some(&b'-')
        || b.get(7) != Some(&b'-')
        || !matches!(b.get(10), Some(b'T' | b't'))
    {
        return None;
    }
    let num = |r: std::ops::Range<usize>| s.get(r).and_then(|t| t.parse::<i64>().ok());
    let (y, mo, d, h, mi, se) =
        (num(0..4)?, num(5..7)?, num(8..10)?, num(11..13)?, num(14..16)?, num(17..19)?);
    let mut rest = s.get(19..)?;
    if let Some(frac) = rest.strip_prefix('.') {
        let digits = frac.bytes().take_while(u8::is_ascii_digit).count();
        rest = frac.get(digits..)?;
    }
    let offset = match rest {
        "Z" | "z" => 0,
        _ => {
            let sign = match rest.as_bytes().first() {
                Some(b'+') => 1,
                Some(b'-') => -1,
                _ => return None,
            };
            let oh = rest.get(1..3)?.parse::<i64>().ok()?;
            let om = rest.get(4..6)?.parse::<i64>().ok()?;
            sign * (oh * 3600 + om * 60)
        }
    };
    // Days from civil (Howard Hinnant's algorithm).
    let y2 = if mo <= 2 { y - 1 } else { y };
    let era = y2.div_euclid(400);
    let yoe = y2 - era * 400;
    let mp = (mo + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(days * 86_400 + h * 3600 + mi * 60 + se - offset)
}

#[cfg(test)]
mod tests;
