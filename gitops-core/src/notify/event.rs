//! Flux's event object (`fluxcd/pkg apis/event/v1beta1.Event`) and its JSON bytes.

use std::collections::BTreeMap;
use std::fmt;

use super::Error;
use super::gojson::{Obj, push_str};

/// The API group of Flux's event API; metadata keys with this prefix come from the
/// involved object's `event.toolkit.fluxcd.io/*` annotations.
pub const EVENT_GROUP: &str = "event.toolkit.fluxcd.io";

/// `corev1.ObjectReference`: the object an event is about. Every field is `omitempty`
/// in JSON, written in the Go struct's order: kind, namespace, name, uid, apiVersion,
/// resourceVersion, fieldPath.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ObjectReference {
    /// `kind`, e.g. `Kustomization`.
    pub kind: String,
    /// `namespace`.
    pub namespace: String,
    /// `name`.
    pub name: String,
    /// `uid`.
    pub uid: String,
    /// `apiVersion`, e.g. `kustomize.toolkit.fluxcd.io/v1`.
    pub api_version: String,
    /// `resourceVersion`.
    pub resource_version: String,
    /// `fieldPath`.
    pub field_path: String,
}

impl ObjectReference {
    /// A reference with kind, namespace, name and apiVersion set.
    pub fn new(api_version: &str, kind: &str, namespace: &str, name: &str) -> ObjectReference {
        ObjectReference {
            kind: kind.to_string(),
            namespace: namespace.to_string(),
            name: name.to_string(),
            api_version: api_version.to_string(),
            ..ObjectReference::default()
        }
    }

    /// The API group of `apiVersion` (`""` for the core group), as Go's
    /// `GroupVersionKind().Group` computes it.
    pub fn group(&self) -> &str {
        group_of(&self.api_version)
    }

    fn write_json(&self, out: &mut Vec<u8>) {
        let mut o = Obj::open(out);
        o.str_omitempty("kind", &self.kind);
        o.str_omitempty("namespace", &self.namespace);
        o.str_omitempty("name", &self.name);
        o.str_omitempty("uid", &self.uid);
        o.str_omitempty("apiVersion", &self.api_version);
        o.str_omitempty("resourceVersion", &self.resource_version);
        o.str_omitempty("fieldPath", &self.field_path);
        o.close();
    }
}

/// The group part of an apiVersion (`source.toolkit.fluxcd.io/v1` → `source.toolkit.fluxcd.io`,
/// `v1` → `""`).
pub fn group_of(api_version: &str) -> &str {
    match api_version.split_once('/') {
        Some((group, _)) => group,
        None => "",
    }
}

/// Event severity. Flux sends `info` and `error` (`trace` events stay inside the
/// controller); anything else is kept as it came.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Severity {
    /// `info` (a Kubernetes `Normal` event).
    #[default]
    Info,
    /// `error` (a Kubernetes `Warning` event).
    Error,
    /// `trace` (never forwarded by Flux's recorder).
    Trace,
    /// Any other string.
    Other(String),
}

impl Severity {
    /// Parses the JSON value (`info`, `error`, `trace`, anything else kept).
    pub fn parse(s: &str) -> Severity {
        match s {
            "info" => Severity::Info,
            "error" => Severity::Error,
            "trace" => Severity::Trace,
            other => Severity::Other(other.to_string()),
        }
    }

    /// The JSON value.
    pub fn as_str(&self) -> &str {
        match self {
            Severity::Info => "info",
            Severity::Error => "error",
            Severity::Trace => "trace",
            Severity::Other(s) => s,
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `metav1.Time`: whole seconds in UTC. Written as RFC 3339 with `Z`
/// (`2022-09-30T06:40:29Z`, Go's `time.RFC3339` layout after `.UTC()`), or `null`
/// for the zero time.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Timestamp {
    /// Seconds since the Unix epoch; `None` is Go's zero time (JSON `null`).
    unix: Option<i64>,
}

/// Seconds from 0000-01-01 to 1970-01-01 and from 9999-12-31T23:59:59 to the epoch:
/// the years Go can marshal.
const MIN_UNIX: i64 = -62_167_219_200;
const MAX_UNIX: i64 = 253_402_300_799;

impl Timestamp {
    /// Go's zero time (`null` in JSON).
    pub const ZERO: Timestamp = Timestamp { unix: None };

    /// A timestamp from seconds since the Unix epoch; `None` outside years 0000–9999
    /// (Go's `json.Marshal` fails there).
    pub fn from_unix(secs: i64) -> Option<Timestamp> {
        (MIN_UNIX..=MAX_UNIX).contains(&secs).then_some(Timestamp { unix: Some(secs) })
    }

    /// Seconds since the Unix epoch (`None` for the zero time).
    pub fn unix(&self) -> Option<i64> {
        self.unix
    }

    /// Parses an RFC 3339 time (`2022-09-30T06:40:29Z`, `…T08:40:29.5+02:00`);
    /// fractional seconds are dropped, the offset is applied.
    ///
    /// ```
    /// use gitops_core::notify::Timestamp;
    /// let t = Timestamp::parse("2022-09-30T08:40:29.123+02:00").unwrap();
    /// assert_eq!(t.to_string(), "2022-09-30T06:40:29Z");
    /// ```
    pub fn parse(text: &str) -> Result<Timestamp, Error> {
        let bad = || Error::InvalidTimestamp { text: text.to_string() };
        let b = text.as_bytes();
        let num = |from: usize, to: usize| -> Result<i64, Error> {
            let part = b.get(from..to).ok_or_else(bad)?;
            if part.is_empty() || !part.iter().all(u8::is_ascii_digit) {
                return Err(bad());
            }
            part.iter().try_fold(0i64, |acc, d| Ok(acc * 10 + i64::from(d - b'0')))
        };
        let sep = |at: usize, want: &[u8]| -> Result<(), Error> {
            match b.get(at) {
                Some(c) if want.contains(c) => Ok(()),
                _ => Err(bad()),
            }
        };
        let year = num(0, 4)?;
        sep(4, b"-")?;
        let month = num(5, 7)?;
        sep(7, b"-")?;
        let day = num(8, 10)?;
        sep(10, b"Tt")?;
        let hour = num(11, 13)?;
        sep(13, b":")?;
        let minute = num(14, 16)?;
        sep(16, b":")?;
        let second = num(17, 19)?;
        let mut i = 19;
        if b.get(i) == Some(&b'.') {
            i += 1;
            let start = i;
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
            if i == start {
                return Err(bad());
            }
        }
        let offset = match b.get(i) {
            Some(b'Z' | b'z') if i + 1 == b.len() => 0,
            Some(sign @ (b'+' | b'-')) if i + 6 == b.len() => {
                sep(i + 3, b":")?;
                let (h, m) = (num(i + 1, i + 3)?, num(i + 4, i + 6)?);
                if h > 23 || m > 59 {
                    return Err(bad());
                }
                let off = h * 3600 + m * 60;
                if *sign == b'-' { -off } else { off }
            }
            _ => return Err(bad()),
        };
        if !(1..=12).contains(&month)
            || day < 1
            || day > days_in_month(year, month)
            || hour > 23
            || minute > 59
            || second > 59
        {
            return Err(bad());
        }
        let secs = days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second
            - offset;
        Timestamp::from_unix(secs).ok_or_else(bad)
    }

    fn write_json(&self, out: &mut Vec<u8>) {
        match self.unix {
            None => out.extend_from_slice(b"null"),
            Some(_) => push_str(out, &self.to_string()),
        }
    }
}

impl fmt::Display for Timestamp {
    /// RFC 3339 in UTC, whole seconds; the zero time prints as Go's
    /// `0001-01-01T00:00:00Z`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Some(secs) = self.unix else {
            return f.write_str("0001-01-01T00:00:00Z");
        };
        let days = secs.div_euclid(86_400);
        let rem = secs.rem_euclid(86_400);
        let (y, m, d) = civil_from_days(days);
        write!(f, "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", rem / 3600, rem % 3600 / 60, rem % 60)
    }
}

fn is_leap(y: i64) -> bool {
    y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// A Flux event (`fluxcd/pkg apis/event/v1beta1.Event`), the body controllers POST to
/// notification-controller and the body of `generic`/`generic-hmac` notifications.
///
/// ```
/// use gitops_core::notify::{Event, ObjectReference, Severity, Timestamp};
/// let mut event = Event::new(
///     ObjectReference::new("source.toolkit.fluxcd.io/v1", "GitRepository", "flux-system", "webapp"),
///     Severity::Info,
///     "stored artifact",
///     "NewArtifact",
///     "source-controller",
/// );
/// event.timestamp = Timestamp::from_unix(1_664_520_029).unwrap();
/// assert_eq!(
///     String::from_utf8(event.to_json()).unwrap(),
///     r#"{"involvedObject":{"kind":"GitRepository","namespace":"flux-system","name":"webapp","apiVersion":"source.toolkit.fluxcd.io/v1"},"severity":"info","timestamp":"2022-09-30T06:40:29Z","message":"stored artifact","reason":"NewArtifact","reportingController":"source-controller"}"#
/// );
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Event {
    /// `involvedObject`.
    pub involved_object: ObjectReference,
    /// `severity`.
    pub severity: Severity,
    /// `timestamp`.
    pub timestamp: Timestamp,
    /// `message` (Flux caps it at 39,000 characters).
    pub message: String,
    /// `reason`, e.g. `ReconciliationSucceeded`.
    pub reason: String,
    /// `metadata` (`omitempty`); Go writes map keys sorted, so a `BTreeMap`.
    pub metadata: BTreeMap<String, String>,
    /// `reportingController`, e.g. `kustomize-controller`.
    pub reporting_controller: String,
    /// `reportingInstance` (`omitempty`).
    pub reporting_instance: String,
}

impl Event {
    /// An event with the zero timestamp and no metadata.
    pub fn new(
        involved_object: ObjectReference,
        severity: Severity,
        message: &str,
        reason: &str,
        reporting_controller: &str,
    ) -> Event {
        Event {
            involved_object,
            severity,
            message: message.to_string(),
            reason: reason.to_string(),
            reporting_controller: reporting_controller.to_string(),
            ..Event::default()
        }
    }

    /// The JSON bytes Go's `json.Marshal` writes for this event: fields in struct
    /// order, metadata keys sorted, `<`/`>`/`&` escaped as `\u003c`/`\u003e`/`\u0026`.
    pub fn to_json(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(256 + self.message.len());
        let mut o = Obj::open(&mut out);
        self.involved_object.write_json(o.key("involvedObject"));
        o.str("severity", self.severity.as_str());
        self.timestamp.write_json(o.key("timestamp"));
        o.str("message", &self.message);
        o.str("reason", &self.reason);
        if !self.metadata.is_empty() {
            let out = o.key("metadata");
            let mut m = Obj::open(out);
            for (k, v) in &self.metadata {
                m.str(k, v);
            }
            m.close();
        }
        o.str("reportingController", &self.reporting_controller);
        o.str_omitempty("reportingInstance", &self.reporting_instance);
        o.close();
        out
    }

    /// Reads an event from JSON as notification-controller's event server does (missing
    /// fields stay empty, unknown fields are ignored, a value of the wrong type is an error).
    ///
    /// ```
    /// use gitops_core::notify::Event;
    /// let e = Event::from_json(br#"{"involvedObject":{"kind":"Kustomization","name":"apps"},"severity":"error","message":"m"}"#).unwrap();
    /// assert_eq!(e.involved_object.kind, "Kustomization");
    /// assert_eq!(e.severity.as_str(), "error");
    /// ```
    pub fn from_json(bytes: &[u8]) -> Result<Event, Error> {
        let value: serde_json::Value = serde_json::from_slice(bytes)
            .map_err(|e| Error::InvalidEvent { reason: e.to_string() })?;
        let serde_json::Value::Object(map) = value else {
            return Err(Error::InvalidEvent { reason: "not a JSON object".to_string() });
        };
        let mut event = Event::default();
        for (key, value) in &map {
            match key.as_str() {
                "involvedObject" => event.involved_object = read_object_ref(value)?,
                "severity" => event.severity = Severity::parse(&read_str("severity", value)?),
                "timestamp" => {
                    event.timestamp = match value {
                        serde_json::Value::Null => Timestamp::ZERO,
                        serde_json::Value::String(s) => Timestamp::parse(s)?,
                        _ => return Err(wrong_type("timestamp", value)),
                    }
                }
                "message" => event.message = read_str("message", value)?,
                "reason" => event.reason = read_str("reason", value)?,
                "metadata" => match value {
                    serde_json::Value::Null => {}
                    serde_json::Value::Object(m) => {
                        for (k, v) in m {
                            event.metadata.insert(k.clone(), read_str("metadata", v)?);
                        }
                    }
                    _ => return Err(wrong_type("metadata", value)),
                },
                "reportingController" => {
                    event.reporting_controller = read_str("reportingController", value)?;
                }
                "reportingInstance" => {
                    event.reporting_instance = read_str("reportingInstance", value)?;
                }
                _ => {}
            }
        }
        Ok(event)
    }

    /// The revision the event is about: metadata `originRevision`, else `revision`
    /// (v1beta1 `GetRevision`, read after metadata combination has stripped prefixes).
    pub fn revision(&self) -> Option<&str> {
        self.metadata
            .get("originRevision")
            .or_else(|| self.metadata.get("revision"))
            .map(String::as_str)
    }
}

fn wrong_type(field: &str, value: &serde_json::Value) -> Error {
    let kind = match value {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "bool",
        serde_json::Value::Number(_) => "number",
        serde_json::Value::String(_) => "string",
        serde_json::Value::Array(_) => "array",
        serde_json::Value::Object(_) => "object",
    };
    Error::InvalidEventField {
        field: field.to_string(),
        reason: format!("cannot read a JSON {kind}"),
    }
}

fn read_str(field: &str, value: &serde_json::Value) -> Result<String, Error> {
    match value {
        serde_json::Value::String(s) => Ok(s.clone()),
        serde_json::Value::Null => Ok(String::new()),
        _ => Err(wrong_type(field, value)),
    }
}

fn read_object_ref(value: &serde_json::Value) -> Result<ObjectReference, Error> {
    let serde_json::Value::Object(map) = value else {
        return Err(wrong_type("involvedObject", value));
    };
    let mut r = ObjectReference::default();
    for (key, v) in map {
        let slot = match key.as_str() {
            "kind" => &mut r.kind,
            "namespace" => &mut r.namespace,
            "name" => &mut r.name,
            "uid" => &mut r.uid,
            "apiVersion" => &mut r.api_version,
            "resourceVersion" => &mut r.resource_version,
            "fieldPath" => &mut r.field_path,
            _ => continue,
        };
        *slot = read_str(&format!("involvedObject.{key}"), v)?;
    }
    Ok(r)
}

/// What a reconcile that changed objects reports, in plain strings so any planner can
/// feed it (see [`event_for_change_set`]).
#[derive(Debug, Clone, Default)]
pub struct ChangeSetEvent<'a> {
    /// The reconciled object (a Kustomization: `kustomize.toolkit.fluxcd.io/v1`).
    pub object: ObjectReference,
    /// One line per change, as Flux's `ssa.ChangeSet.String()` prints them:
    /// `<Kind>/<namespace>/<name> <action>` (`<Kind>/<name>` for cluster-scoped objects).
    pub lines: &'a [String],
    /// The applied source revision (`main@sha1:…`); empty leaves the key out.
    pub revision: &'a str,
    /// The origin revision (OCI artifacts); empty leaves the key out.
    pub origin_revision: &'a str,
    /// The event reason; empty means `ReconciliationSucceeded`. (kustomize-controller
    /// uses the Ready condition's reason at the time it emits.)
    pub reason: &'a str,
    /// The reporting controller; empty means `kustomize-controller`.
    pub reporting_controller: &'a str,
    /// The reporting instance (the controller pod's host name); may be empty.
    pub reporting_instance: &'a str,
    /// When.
    pub timestamp: Timestamp,
    /// The reconciled object's annotations; those prefixed `event.toolkit.fluxcd.io/`
    /// are copied into the metadata as Flux's recorder does.
    pub annotations: &'a [(String, String)],
}

/// The info event Flux emits after a reconcile that applied changes: message = the change
/// set lines joined by `\n`, metadata `<group>/revision` (and `<group>/originRevision`)
/// prefixed with the object's API group, plus the object's `event.toolkit.fluxcd.io/*`
/// annotations.
///
/// ```
/// use gitops_core::notify::{event_for_change_set, ChangeSetEvent, ObjectReference};
/// let lines = vec!["ConfigMap/apps/web configured".to_string(), "Deployment/apps/web created".to_string()];
/// let event = event_for_change_set(&ChangeSetEvent {
///     object: ObjectReference::new("kustomize.toolkit.fluxcd.io/v1", "Kustomization", "flux-system", "apps"),
///     lines: &lines,
///     revision: "main@sha1:0123abcd",
///     ..ChangeSetEvent::default()
/// });
/// assert_eq!(event.message, "ConfigMap/apps/web configured\nDeployment/apps/web created");
/// assert_eq!(event.metadata["kustomize.toolkit.fluxcd.io/revision"], "main@sha1:0123abcd");
/// ```
pub fn event_for_change_set(input: &ChangeSetEvent<'_>) -> Event {
    let group = input.object.group().to_string();
    let mut metadata = BTreeMap::new();
    let prefix = format!("{EVENT_GROUP}/");
    for (k, v) in input.annotations {
        if k.starts_with(&prefix) {
            metadata.insert(k.clone(), v.clone());
        }
    }
    if !input.revision.is_empty() {
        metadata.insert(format!("{group}/revision"), input.revision.to_string());
    }
    if !input.origin_revision.is_empty() {
        metadata.insert(format!("{group}/originRevision"), input.origin_revision.to_string());
    }
    let or =
        |s: &str, default: &str| if s.is_empty() { default.to_string() } else { s.to_string() };
    Event {
        involved_object: input.object.clone(),
        severity: Severity::Info,
        timestamp: input.timestamp,
        message: input.lines.join("\n"),
        reason: or(input.reason, "ReconciliationSucceeded"),
        metadata,
        reporting_controller: or(input.reporting_controller, "kustomize-controller"),
        reporting_instance: input.reporting_instance.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamp_format_and_parse() {
        let cases: &[(&str, Option<&str>)] = &[
            ("2022-09-30T06:40:29Z", Some("2022-09-30T06:40:29Z")),
            ("2022-09-30T06:40:29.999999999Z", Some("2022-09-30T06:40:29Z")),
            ("2022-09-30T08:40:29+02:00", Some("2022-09-30T06:40:29Z")),
            ("2022-09-29T23:40:29-07:00", Some("2022-09-30T06:40:29Z")),
            ("2024-02-29T00:00:00Z", Some("2024-02-29T00:00:00Z")),
            ("1970-01-01T00:00:00Z", Some("1970-01-01T00:00:00Z")),
            ("0001-01-01T00:00:00Z", Some("0001-01-01T00:00:00Z")),
            ("1969-12-31T23:59:59Z", Some("1969-12-31T23:59:59Z")),
            ("2023-02-29T00:00:00Z", None),
            ("2022-13-01T00:00:00Z", None),
            ("2022-09-30 06:40:29Z", None),
            ("2022-09-30T06:40:29", None),
            ("2022-09-30T06:40:29.Z", None),
            ("2022-09-30T06:40:29+0200", None),
            ("22-09-30T06:40:29Z", None),
            ("", None),
            ("2022-09-30T06:40:60Z", None),
        ];
        for (input, want) in cases {
            let got = Timestamp::parse(input).ok().map(|t| t.to_string());
            assert_eq!(got.as_deref(), *want, "input {input:?}");
        }
        assert_eq!(
            Timestamp::from_unix(1_664_520_029).map(|t| t.to_string()).as_deref(),
            Some("2022-09-30T06:40:29Z")
        );
        assert_eq!(
            Timestamp::from_unix(0).map(|t| t.to_string()).as_deref(),
            Some("1970-01-01T00:00:00Z")
        );
        assert!(Timestamp::from_unix(MAX_UNIX + 1).is_none());
        assert!(Timestamp::from_unix(MIN_UNIX - 1).is_none());
        assert_eq!(
            Timestamp::from_unix(MAX_UNIX).map(|t| t.to_string()).as_deref(),
            Some("9999-12-31T23:59:59Z")
        );
    }

    #[test]
    fn zero_timestamp_is_null() {
        let e = Event::new(ObjectReference::default(), Severity::Error, "", "", "");
        assert_eq!(
            String::from_utf8_lossy(&e.to_json()),
            r#"{"involvedObject":{},"severity":"error","timestamp":null,"message":"","reason":"","reportingController":""}"#
        );
    }

    #[test]
    fn json_round_trip() {
        let mut e = Event::new(
            ObjectReference {
                uid: "u-1".into(),
                resource_version: "42".into(),
                field_path: "spec".into(),
                ..ObjectReference::new("v1", "ConfigMap", "ns", "cm")
            },
            Severity::Other("warning".into()),
            "a <b> & \"c\"\nline2",
            "R",
            "rc",
        );
        e.timestamp = Timestamp::from_unix(1).unwrap_or_default();
        e.metadata.insert("z".into(), "1".into());
        e.metadata.insert("a".into(), "2".into());
        e.reporting_instance = "ri".into();
        let json = e.to_json();
        assert_eq!(
            String::from_utf8_lossy(&json),
            r#"{"involvedObject":{"kind":"ConfigMap","namespace":"ns","name":"cm","uid":"u-1","apiVersion":"v1","resourceVersion":"42","fieldPath":"spec"},"severity":"warning","timestamp":"1970-01-01T00:00:01Z","message":"a \u003cb\u003e \u0026 \"c\"\nline2","reason":"R","metadata":{"a":"2","z":"1"},"reportingController":"rc","reportingInstance":"ri"}"#
        );
        assert_eq!(Event::from_json(&json).ok(), Some(e));
    }

    #[test]
    fn from_json_errors() {
        let cases: &[(&str, &str)] = &[
            ("[]", "invalid event: not a JSON object"),
            (r#"{"message":1}"#, "invalid event field message: cannot read a JSON number"),
            (
                r#"{"involvedObject":"x"}"#,
                "invalid event field involvedObject: cannot read a JSON string",
            ),
            (
                r#"{"involvedObject":{"name":true}}"#,
                "invalid event field involvedObject.name: cannot read a JSON bool",
            ),
            (r#"{"metadata":{"a":[]}}"#, "invalid event field metadata: cannot read a JSON array"),
            (
                r#"{"timestamp":"yesterday"}"#,
                "invalid timestamp \"yesterday\": want RFC 3339, e.g. 2022-09-30T06:40:29Z",
            ),
        ];
        for (input, want) in cases {
            let err = Event::from_json(input.as_bytes()).err().map(|e| e.to_string());
            assert_eq!(err.as_deref(), Some(*want), "input {input}");
        }
        assert!(Event::from_json(b"{").is_err());
    }

    #[test]
    fn change_set_event() {
        let lines = vec![
            "Namespace/apps created".to_string(),
            "Deployment/apps/web configured".to_string(),
        ];
        let annotations = vec![
            ("event.toolkit.fluxcd.io/team".to_string(), "payments".to_string()),
            ("other/key".to_string(), "x".to_string()),
        ];
        let e = event_for_change_set(&ChangeSetEvent {
            object: ObjectReference::new(
                "kustomize.toolkit.fluxcd.io/v1",
                "Kustomization",
                "flux-system",
                "apps",
            ),
            lines: &lines,
            revision: "main@sha1:abc",
            origin_revision: "v1.0.0@sha256:def",
            timestamp: Timestamp::from_unix(1_664_520_029).unwrap_or_default(),
            annotations: &annotations,
            reporting_instance: "kustomize-controller-7f9",
            ..ChangeSetEvent::default()
        });
        assert_eq!(
            String::from_utf8_lossy(&e.to_json()),
            r#"{"involvedObject":{"kind":"Kustomization","namespace":"flux-system","name":"apps","apiVersion":"kustomize.toolkit.fluxcd.io/v1"},"severity":"info","timestamp":"2022-09-30T06:40:29Z","message":"Namespace/apps created\nDeployment/apps/web configured","reason":"ReconciliationSucceeded","metadata":{"event.toolkit.fluxcd.io/team":"payments","kustomize.toolkit.fluxcd.io/originRevision":"v1.0.0@sha256:def","kustomize.toolkit.fluxcd.io/revision":"main@sha1:abc"},"reportingController":"kustomize-controller","reportingInstance":"kustomize-controller-7f9"}"#
        );
    }

    #[test]
    fn groups() {
        for (av, g) in [
            ("source.toolkit.fluxcd.io/v1", "source.toolkit.fluxcd.io"),
            ("v1", ""),
            ("", ""),
            ("apps/v1", "apps"),
        ] {
            assert_eq!(group_of(av), g);
        }
    }
}
