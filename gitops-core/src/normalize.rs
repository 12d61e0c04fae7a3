//! Flux's normalisation of objects before apply and drift comparison
//! (fluxcd/pkg `ssa/normalize`, `ssa/utils/cert_validation.go`).
//!
//! [`normalize`] is what kustomize-controller does to every desired object before the
//! server-side dry-run (`normalize.UnstructuredList`):
//!
//! * `rbac.authorization.k8s.io/v1` `Role` and `ClusterRole` are left untouched
//!   (kustomize-controller#1041);
//! * the typed round trip of the built-in kinds Flux special-cases: container
//!   `ports[].protocol` defaults to `TCP` (`containers` only, not `initContainers`) for Pod,
//!   Deployment, StatefulSet, DaemonSet, ReplicaSet, Job and CronJob; Service
//!   `spec.ports[].protocol` defaults to `TCP`; Secret `stringData` is merged into `data`
//!   (base64) and removed. A round trip also re-encodes Secret `data` canonically and drops
//!   empty `data`/`stringData`, and prints the empty structs the typed Go objects carry
//!   (`template.metadata.creationTimestamp: null`, `resources: {}`, `strategy: {}`,
//!   `updateStrategy: {}`). When the object would not convert (a value of the wrong type,
//!   bad base64 in Secret `data`) none of this happens, as in Flux;
//! * `metadata.creationTimestamp: null` is set on every object;
//! * `status` is removed, except from CustomResourceDefinitions.
//!
//! [`dry_run`] is `normalize.DryRunUnstructured` (applied to both sides before a drift
//! compare): HorizontalPodAutoscaler `spec.metrics` de-duplicated, metrics with an empty
//! `type` dropped. [`remove_invalid_ca_bundle`] is `RemoveCABundleFromCRD`.
//!
//! What is not reproduced: the typed round trip of every other built-in kind (it drops
//! unknown fields of built-in types and prints their empty structs); that needs the whole
//! Kubernetes schema.
//!
//! ```
//! use gitops_core::normalize::normalize;
//! use gitops_core::resource::Resource;
//! use gitops_core::yaml::{parse_values, Limits, Profile};
//! let text = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\nstringData:\n  k: v\n";
//! let v = parse_values(text, Profile::ApiServer, &Limits::default()).unwrap().remove(0);
//! let mut r = Resource::new(v);
//! normalize(&mut r);
//! assert_eq!(r.value().get_path(&["data", "k"]).and_then(|v| v.as_str()), Some("dg=="));
//! assert!(r.value().get("stringData").is_none());
//! ```

use crate::resource::Resource;
use crate::yaml::{Mapping, Value};

/// Normalise a desired object as kustomize-controller does before apply and diff.
pub fn normalize(res: &mut Resource) {
    if res.api_version() == "rbac.authorization.k8s.io/v1"
        && matches!(res.kind(), "Role" | "ClusterRole")
    {
        return;
    }
    let api_version = res.api_version().to_owned();
    let kind = res.kind().to_owned();
    let is_crd = is_crd(res);
    res.edit(|obj| {
        let Value::Map(root) = obj else {
            return;
        };
        typed(root, &api_version, &kind);
        let meta = root.entry("metadata".to_owned()).or_insert_with(|| Value::Map(Mapping::new()));
        if meta.is_null() {
            *meta = Value::Map(Mapping::new());
        }
        if let Value::Map(m) = meta {
            m.insert("creationTimestamp".to_owned(), Value::Null);
        }
        if !is_crd {
            root.shift_remove("status");
        }
    });
}

/// Normalise an object returned by a dry-run (and, for drift, the live object):
/// HorizontalPodAutoscaler `spec.metrics` keeps the first of equal metrics and drops those
/// whose `type` is empty (kubernetes#118293).
pub fn dry_run(res: &mut Resource) {
    if res.kind() != "HorizontalPodAutoscaler"
        || res.group() != "autoscaling"
        || !matches!(res.version(), "v2" | "v2beta2")
    {
        return;
    }
    res.edit(|obj| {
        let Some(Value::Seq(metrics)) = obj.get_mut("spec").and_then(|s| s.get_mut("metrics"))
        else {
            return;
        };
        let mut kept: Vec<Value> = Vec::with_capacity(metrics.len());
        for m in metrics.drain(..) {
            let typ = m.get("type").and_then(Value::as_str).unwrap_or("");
            if !typ.is_empty() && !kept.contains(&m) {
                kept.push(m);
            }
        }
        *metrics = kept;
    });
}

/// Remove a CRD's `spec.conversion.webhook.clientConfig.caBundle` when it is not a valid
/// PEM certificate bundle (Kubernetes 1.31+ rejects those).
///
/// Validity is checked structurally: the field must be base64 whose content holds at
/// least one `CERTIFICATE` PEM block with a DER sequence inside (Go parses the X.509 body
/// too; a syntactically valid PEM block with a broken certificate is kept here).
pub fn remove_invalid_ca_bundle(res: &mut Resource) {
    if !is_crd(res) {
        return;
    }
    let path = ["spec", "conversion", "webhook", "clientConfig", "caBundle"];
    let invalid = match res.value().get_path(&path) {
        Some(Value::String(s)) if !s.is_empty() => match base64_decode(s) {
            Some(bytes) => !bytes.is_empty() && !has_pem_certificate(&bytes),
            None => true,
        },
        _ => false,
    };
    if invalid {
        res.edit(|obj| {
            if let Some(Value::Map(cc)) = obj
                .get_mut("spec")
                .and_then(|v| v.get_mut("conversion"))
                .and_then(|v| v.get_mut("webhook"))
                .and_then(|v| v.get_mut("clientConfig"))
            {
                cc.shift_remove("caBundle");
            }
        });
    }
}

fn is_crd(res: &Resource) -> bool {
    res.kind() == "CustomResourceDefinition" && res.group() == "apiextensions.k8s.io"
}

fn has_pem_certificate(bytes: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return false;
    };
    let begin = "-----BEGIN CERTIFICATE-----";
    let end = "-----END CERTIFICATE-----";
    let mut rest = text;
    while let Some(start) = rest.find(begin) {
        let after = &rest[start + begin.len()..];
        let Some(stop) = after.find(end) else {
            return false;
        };
        let body: String = after[..stop].chars().filter(|c| !c.is_whitespace()).collect();
        if let Some(der) = base64_decode(&body)
            && der.first() == Some(&0x30)
        {
            return true;
        }
        rest = &after[stop + end.len()..];
    }
    false
}

/// The typed round trip for the kinds Flux special-cases.
fn typed(root: &mut Mapping, api_version: &str, kind: &str) {
    let pod_spec_path: &[&str] = match (api_version, kind) {
        ("v1", "Pod") => &["spec"],
        ("apps/v1", "Deployment" | "StatefulSet" | "DaemonSet" | "ReplicaSet")
        | ("batch/v1", "Job") => &["spec", "template", "spec"],
        ("batch/v1", "CronJob") => &["spec", "jobTemplate", "spec", "template", "spec"],
        ("v1", "Service") => {
            if service_converts(root) {
                default_protocols(root.get_mut("spec").and_then(|s| s.get_mut("ports")));
            }
            return;
        }
        ("v1", "Secret") => {
            secret(root);
            return;
        }
        _ => return,
    };
    if !pod_spec_converts(root, pod_spec_path) {
        return;
    }
    // Empty structs the typed objects print.
    match kind {
        "Deployment" => ensure_empty_map(root, &["spec", "strategy"]),
        "StatefulSet" | "DaemonSet" => ensure_empty_map(root, &["spec", "updateStrategy"]),
        _ => {}
    }
    if kind == "CronJob" {
        ensure_null(root, &["spec", "jobTemplate", "metadata", "creationTimestamp"]);
        ensure_null(
            root,
            &["spec", "jobTemplate", "spec", "template", "metadata", "creationTimestamp"],
        );
    } else if kind != "Pod" {
        ensure_null(root, &["spec", "template", "metadata", "creationTimestamp"]);
    }
    let Some(Value::Map(spec)) = get_path_mut(root, pod_spec_path) else {
        return;
    };
    for list in ["initContainers", "containers"] {
        if let Some(Value::Seq(cs)) = spec.get_mut(list) {
            for c in cs.iter_mut() {
                if let Value::Map(c) = c {
                    if !c.contains_key("resources")
                        || c.get("resources").is_some_and(Value::is_null)
                    {
                        c.insert("resources".to_owned(), Value::Map(Mapping::new()));
                    }
                    if list == "containers" {
                        default_protocols(c.get_mut("ports"));
                    }
                }
            }
        }
    }
}

fn get_path_mut<'a>(root: &'a mut Mapping, path: &[&str]) -> Option<&'a mut Value> {
    let (first, rest) = path.split_first()?;
    let mut cur = root.get_mut(*first)?;
    for k in rest {
        cur = cur.get_mut(k)?;
    }
    Some(cur)
}

/// Insert `{}` at `path` when the parents exist (as mappings) and the field is missing or
/// null.
fn ensure_empty_map(root: &mut Mapping, path: &[&str]) {
    ensure(root, path, Value::Map(Mapping::new()), |v| v.is_null());
}

/// Set `null` at `path` when the parents exist, creating a missing `metadata` parent.
fn ensure_null(root: &mut Mapping, path: &[&str]) {
    ensure(root, path, Value::Null, |_| false);
}

fn ensure(root: &mut Mapping, path: &[&str], value: Value, replace: impl Fn(&Value) -> bool) {
    let Some((last, parents)) = path.split_last() else {
        return;
    };
    let mut cur = root;
    for (i, p) in parents.iter().enumerate() {
        // The `metadata` of a template is created when missing (a typed ObjectMeta is
        // always printed); other parents must exist.
        let create = *p == "metadata" && i + 1 == parents.len();
        if create && cur.get(*p).is_none_or(Value::is_null) {
            cur.insert((*p).to_owned(), Value::Map(Mapping::new()));
        }
        match cur.get_mut(*p) {
            Some(Value::Map(m)) => cur = m,
            _ => return,
        }
    }
    match cur.get(*last) {
        None => {
            cur.insert((*last).to_owned(), value);
        }
        Some(v) if replace(v) => {
            cur.insert((*last).to_owned(), value);
        }
        Some(_) => {}
    }
}

/// `protocol: TCP` on every port (a mapping) of the list that has none or an empty one.
fn default_protocols(ports: Option<&mut Value>) {
    let Some(Value::Seq(ports)) = ports else {
        return;
    };
    for p in ports.iter_mut() {
        if let Value::Map(p) = p {
            let empty = match p.get("protocol") {
                None | Some(Value::Null) => true,
                Some(Value::String(s)) => s.is_empty(),
                Some(_) => false,
            };
            if empty {
                p.insert("protocol".to_owned(), Value::from("TCP"));
            }
        }
    }
}

/// Whether a list of ports would decode into typed ports (mappings, string protocol).
fn ports_convert(ports: Option<&Value>) -> bool {
    match ports {
        None | Some(Value::Null) => true,
        Some(Value::Seq(items)) => items.iter().all(|p| match p {
            Value::Map(m) => {
                matches!(m.get("protocol"), None | Some(Value::Null | Value::String(_)))
            }
            Value::Null => true,
            _ => false,
        }),
        Some(_) => false,
    }
}

fn service_converts(root: &Mapping) -> bool {
    match root.get("spec") {
        None | Some(Value::Null) => true,
        Some(Value::Map(spec)) => ports_convert(spec.get("ports")),
        Some(_) => false,
    }
}

fn pod_spec_converts(root: &Mapping, path: &[&str]) -> bool {
    let mut cur: Option<&Value> = None;
    for (i, p) in path.iter().enumerate() {
        let next = if i == 0 { root.get(*p) } else { cur.and_then(|c| c.get(p)) };
        match next {
            None | Some(Value::Null) => return true,
            Some(Value::Map(_)) => cur = next,
            Some(_) => return false,
        }
    }
    let Some(Value::Map(spec)) = cur else {
        return true;
    };
    ["initContainers", "containers"].iter().all(|list| match spec.get(*list) {
        None | Some(Value::Null) => true,
        Some(Value::Seq(cs)) => cs.iter().all(|c| match c {
            Value::Map(c) => ports_convert(c.get("ports")),
            Value::Null => true,
            _ => false,
        }),
        Some(_) => false,
    })
}

/// Secret: `stringData` merged into `data` (base64), data re-encoded canonically, empty
/// maps dropped. Nothing happens when `data` holds a value that is not valid base64 (the
/// typed conversion fails).
fn secret(root: &mut Mapping) {
    let mut data: Vec<(String, Vec<u8>)> = Vec::new();
    match root.get("data") {
        None | Some(Value::Null) => {}
        Some(Value::Map(m)) => {
            for (k, v) in m {
                match v {
                    Value::String(s) => match base64_decode(s) {
                        Some(b) => data.push((k.clone(), b)),
                        None => return,
                    },
                    Value::Null => data.push((k.clone(), Vec::new())),
                    _ => return,
                }
            }
        }
        Some(_) => return,
    }
    let mut string_data: Vec<(String, String)> = Vec::new();
    match root.get("stringData") {
        None | Some(Value::Null) => {}
        Some(Value::Map(m)) => {
            for (k, v) in m {
                match v {
                    Value::String(s) => string_data.push((k.clone(), s.clone())),
                    Value::Null => string_data.push((k.clone(), String::new())),
                    _ => return,
                }
            }
        }
        Some(_) => return,
    }
    for (k, v) in string_data {
        match data.iter_mut().find(|(dk, _)| *dk == k) {
            Some(slot) => slot.1 = v.into_bytes(),
            None => data.push((k, v.into_bytes())),
        }
    }
    root.shift_remove("stringData");
    if data.is_empty() {
        root.shift_remove("data");
    } else {
        let m: Mapping =
            data.into_iter().map(|(k, v)| (k, Value::String(base64_encode(&v)))).collect();
        root.insert("data".to_owned(), Value::Map(m));
    }
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 with padding (Go's `base64.StdEncoding`).
pub(crate) fn base64_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], chunk.get(1).copied().unwrap_or(0), chunk.get(2).copied().unwrap_or(0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        let idx = |shift: u32| char::from(ALPHABET[((n >> shift) & 63) as usize]);
        out.push(idx(18));
        out.push(idx(12));
        out.push(if chunk.len() > 1 { idx(6) } else { '=' });
        out.push(if chunk.len() > 2 { idx(0) } else { '=' });
    }
    out
}

/// Decode standard padded base64 as Go's `base64.StdEncoding.DecodeString` does: `\r` and
/// `\n` are skipped, anything else outside the alphabet, a bad length or non-zero
/// trailing bits is an error.
pub(crate) fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let digits: Vec<u8> = text.bytes().filter(|b| *b != b'\r' && *b != b'\n').collect();
    if !digits.len().is_multiple_of(4) {
        return None;
    }
    let mut out = Vec::with_capacity(digits.len() / 4 * 3);
    let chunks = digits.len() / 4;
    for (i, chunk) in digits.chunks(4).enumerate() {
        let last = i + 1 == chunks;
        let pad = chunk.iter().rev().take_while(|b| **b == b'=').count();
        if pad > 2 || (pad > 0 && !last) {
            return None;
        }
        let mut n: u32 = 0;
        for (j, b) in chunk.iter().enumerate() {
            let v = if j >= 4 - pad {
                0
            } else {
                match b {
                    b'A'..=b'Z' => b - b'A',
                    b'a'..=b'z' => b - b'a' + 26,
                    b'0'..=b'9' => b - b'0' + 52,
                    b'+' => 62,
                    b'/' => 63,
                    _ => return None,
                }
            };
            n = (n << 6) | u32::from(v);
        }
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        // Go rejects non-zero bits in the padding position.
        if (pad == 1 && bytes[2] != 0) || (pad == 2 && (bytes[1] != 0 || bytes[2] != 0)) {
            return None;
        }
        out.extend_from_slice(&bytes[..3 - pad]);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::{Limits, Profile, emit, parse_values};

    fn res(text: &str) -> Resource {
        let v = parse_values(text, Profile::ApiServer, &Limits::default())
            .unwrap()
            .into_iter()
            .next()
            .unwrap();
        Resource::new(v)
    }

    fn norm(text: &str) -> String {
        let mut r = res(text);
        normalize(&mut r);
        emit(r.value()).unwrap()
    }

    #[test]
    fn base64_table() {
        let cases: [(&[u8], &str); 6] = [
            (b"", ""),
            (b"f", "Zg=="),
            (b"fo", "Zm8="),
            (b"foo", "Zm9v"),
            (b"foobar", "Zm9vYmFy"),
            (&[0xff, 0xfe], "//4="),
        ];
        for (raw, enc) in cases {
            assert_eq!(base64_encode(raw), enc);
            assert_eq!(base64_decode(enc).as_deref(), Some(raw));
        }
        for bad in ["Zg=", "Z===", "Zh==", "Zm9v!", "Zg==Zg==", "a"] {
            assert_eq!(base64_decode(bad), None, "{bad}");
        }
        assert_eq!(base64_decode("Zm9v\nYmFy\r\n").as_deref(), Some(&b"foobar"[..]));
    }

    #[test]
    fn normalize_table() {
        // (input, expected output as go-yaml v2 prints it)
        let cases: &[(&str, &str)] = &[
            // every object: creationTimestamp null, status dropped
            (
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: v\nstatus:\n  x: 1\n",
                "apiVersion: v1\ndata:\n  k: v\nkind: ConfigMap\nmetadata:\n  creationTimestamp: null\n  name: a\n",
            ),
            // no metadata at all
            (
                "apiVersion: example.com/v1\nkind: Thing\n",
                "apiVersion: example.com/v1\nkind: Thing\nmetadata:\n  creationTimestamp: null\n",
            ),
            // CRD keeps its status
            (
                "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: a.b\nstatus:\n  acceptedNames: {}\n",
                "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  creationTimestamp: null\n  name: a.b\nstatus:\n  acceptedNames: {}\n",
            ),
            // RBAC v1 Role and ClusterRole untouched
            (
                "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: r\nrules: []\nstatus: {}\n",
                "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: r\nrules: []\nstatus: {}\n",
            ),
            (
                "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: r\n",
                "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: r\n",
            ),
            // RoleBinding is normalised
            (
                "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: r\n",
                "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  creationTimestamp: null\n  name: r\n",
            ),
            // Service ports: protocol defaults to TCP, explicit UDP kept
            (
                "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  ports:\n  - port: 80\n  - port: 53\n    protocol: UDP\n  - port: 81\n    protocol: \"\"\n",
                "apiVersion: v1\nkind: Service\nmetadata:\n  creationTimestamp: null\n  name: s\nspec:\n  ports:\n  - port: 80\n    protocol: TCP\n  - port: 53\n    protocol: UDP\n  - port: 81\n    protocol: TCP\n",
            ),
            // Pod: containers get TCP, initContainers do not
            (
                "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  initContainers:\n  - name: i\n    ports:\n    - containerPort: 1\n  containers:\n  - name: c\n    ports:\n    - containerPort: 80\n",
                "apiVersion: v1\nkind: Pod\nmetadata:\n  creationTimestamp: null\n  name: p\nspec:\n  containers:\n  - name: c\n    ports:\n    - containerPort: 80\n      protocol: TCP\n    resources: {}\n  initContainers:\n  - name: i\n    ports:\n    - containerPort: 1\n    resources: {}\n",
            ),
            // Deployment: template metadata, strategy, resources
            (
                "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  template:\n    spec:\n      containers:\n      - name: c\n        ports:\n        - containerPort: 80\n",
                "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  creationTimestamp: null\n  name: d\nspec:\n  strategy: {}\n  template:\n    metadata:\n      creationTimestamp: null\n    spec:\n      containers:\n      - name: c\n        ports:\n        - containerPort: 80\n          protocol: TCP\n        resources: {}\n",
            ),
            // CronJob: both template metadata
            (
                "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: c\nspec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers:\n          - name: c\n            ports:\n            - containerPort: 9\n",
                "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  creationTimestamp: null\n  name: c\nspec:\n  jobTemplate:\n    metadata:\n      creationTimestamp: null\n    spec:\n      template:\n        metadata:\n          creationTimestamp: null\n        spec:\n          containers:\n          - name: c\n            ports:\n            - containerPort: 9\n              protocol: TCP\n            resources: {}\n",
            ),
            // an older API version is not the typed kind Flux switches on
            (
                "apiVersion: batch/v1beta1\nkind: CronJob\nmetadata:\n  name: c\nspec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers:\n          - name: c\n            ports:\n            - containerPort: 9\n",
                "apiVersion: batch/v1beta1\nkind: CronJob\nmetadata:\n  creationTimestamp: null\n  name: c\nspec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers:\n          - name: c\n            ports:\n            - containerPort: 9\n",
            ),
            // a port list that would not convert: nothing typed happens
            (
                "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  ports:\n  - port: 80\n    protocol: 6\n  - port: 81\n",
                "apiVersion: v1\nkind: Service\nmetadata:\n  creationTimestamp: null\n  name: s\nspec:\n  ports:\n  - port: 80\n    protocol: 6\n  - port: 81\n",
            ),
            // Secret: stringData merged over data, base64, removed
            (
                "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\n  a: YQ==\n  b: Yg==\nstringData:\n  b: bee\n  c: see\n",
                "apiVersion: v1\ndata:\n  a: YQ==\n  b: YmVl\n  c: c2Vl\nkind: Secret\nmetadata:\n  creationTimestamp: null\n  name: s\n",
            ),
            // Secret: empty stringData dropped
            (
                "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\nstringData: {}\ntype: Opaque\n",
                "apiVersion: v1\nkind: Secret\nmetadata:\n  creationTimestamp: null\n  name: s\ntype: Opaque\n",
            ),
            // Secret with invalid base64 data: conversion fails, stringData stays
            (
                "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\n  a: not-base64!\nstringData:\n  b: x\n",
                "apiVersion: v1\ndata:\n  a: not-base64!\nkind: Secret\nmetadata:\n  creationTimestamp: null\n  name: s\nstringData:\n  b: x\n",
            ),
            // StatefulSet / DaemonSet updateStrategy
            (
                "apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: d\nspec:\n  template:\n    metadata:\n      labels:\n        a: b\n    spec:\n      containers: []\n",
                "apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  creationTimestamp: null\n  name: d\nspec:\n  template:\n    metadata:\n      creationTimestamp: null\n      labels:\n        a: b\n    spec:\n      containers: []\n  updateStrategy: {}\n",
            ),
        ];
        for (i, (input, want)) in cases.iter().enumerate() {
            assert_eq!(norm(input), *want, "case {i}");
            // idempotent
            assert_eq!(norm(want), norm(input), "case {i} twice");
        }
    }

    #[test]
    fn hpa_dry_run_table() {
        let hpa = "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: h\nspec:\n  metrics:\n  - type: Resource\n    resource:\n      name: cpu\n  - type: Resource\n    resource:\n      name: cpu\n  - type: \"\"\n  - type: Pods\n";
        let mut r = res(hpa);
        dry_run(&mut r);
        let metrics = r.value().get_path(&["spec", "metrics"]).and_then(Value::as_seq).unwrap();
        assert_eq!(metrics.len(), 2);
        assert_eq!(metrics[1].get("type").and_then(Value::as_str), Some("Pods"));
        // other kinds untouched
        let mut cm = res("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n");
        let before = cm.clone();
        dry_run(&mut cm);
        assert_eq!(cm, before);
    }

    #[test]
    fn ca_bundle_table() {
        let pem = "-----BEGIN CERTIFICATE-----\nMAMCAQA=\n-----END CERTIFICATE-----\n";
        let good = base64_encode(pem.as_bytes());
        let not_pem = base64_encode(b"hello");
        let cases = [(good.as_str(), true), (not_pem.as_str(), false), ("%%%", false), ("", true)];
        for (bundle, kept) in cases {
            let text = format!(
                "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: a.b\nspec:\n  conversion:\n    webhook:\n      clientConfig:\n        caBundle: \"{bundle}\"\n"
            );
            let mut r = res(&text);
            remove_invalid_ca_bundle(&mut r);
            let path = ["spec", "conversion", "webhook", "clientConfig", "caBundle"];
            assert_eq!(r.value().get_path(&path).is_some(), kept, "{bundle}");
        }
    }
}
