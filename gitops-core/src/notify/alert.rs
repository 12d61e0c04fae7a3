//! Alerts and the routing notification-controller does: which Providers get an event,
//! with which metadata.

use std::collections::BTreeMap;

use sha2::{Digest, Sha256};

use super::event::{EVENT_GROUP, Event, ObjectReference, Severity};
use super::hmac::to_hex;
use super::payload::{CHANGE_REQUEST_TYPES, COMMIT_STATUS_TYPES, Payload, Provider, build_payload};

/// `spec.eventSeverity` of an Alert.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum AlertSeverity {
    /// `info` (default): receives info **and** error events.
    #[default]
    Info,
    /// `error`: receives error events only.
    Error,
}

/// One entry of `spec.eventSources` (`CrossNamespaceObjectReference`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventSource {
    /// `kind` (compared exactly).
    pub kind: String,
    /// `name`, or `*` for every object of the kind.
    pub name: String,
    /// `namespace`; empty means the Alert's namespace.
    pub namespace: String,
    /// `matchLabels`; `Some` requires the involved object's labels to match (the labels
    /// come from [`RouteOptions::object_labels`]).
    pub match_labels: Option<BTreeMap<String, String>>,
}

/// A `notification.toolkit.fluxcd.io/v1beta3` Alert.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Alert {
    /// `metadata.name`.
    pub name: String,
    /// `metadata.namespace`.
    pub namespace: String,
    /// `spec.providerRef.name` (a Provider in the Alert's namespace).
    pub provider_ref: String,
    /// `spec.eventSeverity`.
    pub event_severity: AlertSeverity,
    /// `spec.eventSources`.
    pub event_sources: Vec<EventSource>,
    /// `spec.inclusionList`: Go regular expressions; when non-empty, one must match the message.
    pub inclusion_list: Vec<String>,
    /// `spec.exclusionList`: a match drops the event.
    pub exclusion_list: Vec<String>,
    /// `spec.eventMetadata`: added to the event metadata.
    pub event_metadata: BTreeMap<String, String>,
    /// `spec.summary` (deprecated): metadata key `summary`.
    pub summary: String,
    /// `spec.suspend`.
    pub suspend: bool,
}

impl Alert {
    /// `<namespace>/<name>`.
    pub fn key(&self) -> String {
        format!("{}/{}", self.namespace, self.name)
    }
}

/// Reads the live labels of an involved object (`None`: the object cannot be read).
pub type LabelLookup = dyn Fn(&ObjectReference) -> Option<BTreeMap<String, String>>;

/// Inputs of [`route`] beyond the event, alerts and providers.
#[derive(Default)]
pub struct RouteOptions<'a> {
    /// `--no-cross-namespace-refs`: an Alert only sees events from its own namespace.
    pub no_cross_namespace_refs: bool,
    /// The live labels of an involved object, for `matchLabels`; `None` (or no lookup)
    /// means the object could not be read, which is no match (Flux warns `SourceFetchFailed`).
    pub object_labels: Option<&'a LabelLookup>,
}

/// A warning notification-controller records as a Kubernetes event on the Alert.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// `<namespace>/<name>` of the Alert.
    pub alert: String,
    /// The event reason: `InvalidConfig`, `SourceFetchFailed`, `MetadataAppendFailed`,
    /// `NotificationDispatchFailed`.
    pub reason: String,
    /// The message, as Flux writes it.
    pub message: String,
}

/// A matched Alert whose Provider does not receive this event, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skip {
    /// `<namespace>/<name>` of the Alert.
    pub alert: String,
    /// `<namespace>/<name>` of the Provider.
    pub provider: String,
    /// Why.
    pub reason: String,
}

/// One notification to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    /// `<namespace>/<name>` of the Alert.
    pub alert: String,
    /// `<namespace>/<name>` of the Provider.
    pub provider: String,
    /// `spec.type` of the Provider.
    pub provider_type: String,
    /// The event as the provider sees it (metadata combined for this Alert).
    pub event: Event,
    /// The HTTP request.
    pub payload: Payload,
}

/// The result of [`route`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outcome {
    /// Notifications to send, in Alert order (namespace, name).
    pub deliveries: Vec<Delivery>,
    /// Matched Alerts whose Provider is skipped (suspended, needs commit metadata, …).
    pub skipped: Vec<Skip>,
    /// Warnings Flux would record on Alerts.
    pub warnings: Vec<Warning>,
}

/// The event server's first pass over incoming metadata (`cleanupMetadata`): keep keys
/// prefixed `event.toolkit.fluxcd.io/` or `<involved object group>/`, drop
/// `<group>/checksum` and `<group>/digest` (case-insensitive); then drop `<group>/token`
/// (`excludeInternalMetadata`).
pub fn cleanup_metadata(event: &mut Event) {
    let group = event.involved_object.group().to_string();
    let event_prefix = format!("{EVENT_GROUP}/");
    let group_prefix = format!("{group}/");
    let dropped = [format!("{group}/checksum"), format!("{group}/digest")];
    let token = format!("{group}/token");
    event.metadata.retain(|k, _| {
        (k.starts_with(&event_prefix) || k.starts_with(&group_prefix))
            && !dropped.iter().any(|d| d.eq_ignore_ascii_case(k))
            && *k != token
    });
}

/// The rate-limit key of an event (`eventKeyFunc`): hex SHA-256 of `event`, `name=…`,
/// `namespace=…`, `kind=…`, `message=…` and, when present, `originRevision=…`,
/// `revision=…`, `token=…` (read from `<group>/<key>`), joined by `/`. Two events with
/// the same key within the rate-limit interval (default 5m) are sent once.
pub fn event_key(event: &Event) -> String {
    let o = &event.involved_object;
    let mut parts = vec![
        "event".to_string(),
        format!("name={}", o.name),
        format!("namespace={}", o.namespace),
        format!("kind={}", o.kind),
        format!("message={}", event.message),
    ];
    for key in ["originRevision", "revision", "token"] {
        if let Some(v) = event.metadata.get(&format!("{}/{key}", o.group())) {
            parts.push(format!("{key}={v}"));
        }
    }
    to_hex(&Sha256::digest(parts.join("/").as_bytes()))
}

/// The metadata a provider sees for `alert` (`combineEventMetadata`, RFC-0008), lowest
/// precedence first: `event.toolkit.fluxcd.io/*` keys stripped of the prefix,
/// `spec.eventMetadata`, `spec.summary` as `summary`, `<group>/*` keys stripped. Returns
/// the event and the keys set by more than one source (sorted). An empty result keeps
/// the event's metadata as it was.
pub fn combine_metadata(event: &Event, alert: &Alert) -> (Event, Vec<String>) {
    let mut out = event.clone();
    let mut metadata = BTreeMap::new();
    let mut sources: BTreeMap<String, usize> = BTreeMap::new();
    let mut put = |k: &str, v: &str, metadata: &mut BTreeMap<String, String>| {
        metadata.insert(k.to_string(), v.to_string());
        *sources.entry(k.to_string()).or_default() += 1;
    };
    let event_prefix = format!("{EVENT_GROUP}/");
    for (k, v) in &event.metadata {
        if let Some(key) = k.strip_prefix(&event_prefix) {
            put(key, v, &mut metadata);
        }
    }
    for (k, v) in &alert.event_metadata {
        put(k, v, &mut metadata);
    }
    if !alert.summary.is_empty() {
        put("summary", &alert.summary, &mut metadata);
    }
    let group_prefix = format!("{}/", event.involved_object.group());
    for (k, v) in &event.metadata {
        if let Some(key) = k.strip_prefix(&group_prefix) {
            put(key, v, &mut metadata);
        }
    }
    let conflicts = sources.into_iter().filter(|(_, n)| *n > 1).map(|(k, _)| k).collect();
    if !metadata.is_empty() {
        out.metadata = metadata;
    }
    (out, conflicts)
}

fn involved(o: &ObjectReference) -> String {
    format!("{}/{}/{}", o.kind, o.namespace, o.name)
}

/// Does `source` (namespace already defaulted) select `event` for an Alert of `severity`?
fn source_matches(
    event: &Event,
    alert: &Alert,
    source: &EventSource,
    options: &RouteOptions<'_>,
    warnings: &mut Vec<Warning>,
) -> bool {
    let o = &event.involved_object;
    if o.namespace != source.namespace || o.kind != source.kind {
        return false;
    }
    if alert.event_severity == AlertSeverity::Error && event.severity != Severity::Error {
        return false;
    }
    if source.name != "*" && source.name != o.name {
        return false;
    }
    let Some(want) = &source.match_labels else {
        return true;
    };
    let Some(labels) = options.object_labels.and_then(|f| f(o)) else {
        warnings.push(Warning {
            alert: alert.key(),
            reason: "SourceFetchFailed".into(),
            message: format!("error getting source object {}", involved(o)),
        });
        return false;
    };
    want.iter().all(|(k, v)| labels.get(k) == Some(v))
}

/// Is `message` allowed by one regex list? `None` when no expression compiled and matched.
fn any_regex_matches(
    list: &[String],
    message: &str,
    which: &str,
    alert: &Alert,
    warnings: &mut Vec<Warning>,
) -> bool {
    let mut matched = false;
    for exp in list {
        match regex::Regex::new(exp) {
            Ok(re) => {
                if re.is_match(message) {
                    matched = true;
                    break;
                }
            }
            Err(_) => warnings.push(Warning {
                alert: alert.key(),
                reason: "InvalidConfig".into(),
                message: format!("failed to compile {which} regex: {exp}"),
            }),
        }
    }
    matched
}

/// The Alerts that receive `event` (`filterAlertsForEvent`): not suspended, one event
/// source matching kind, namespace (default: the Alert's), name (or `*`), severity and
/// `matchLabels`; message matched by the inclusion list (if any) and by no exclusion
/// regex. Invalid regexes are warnings and never match.
pub fn matching_alerts<'a>(
    event: &Event,
    alerts: &'a [Alert],
    options: &RouteOptions<'_>,
    warnings: &mut Vec<Warning>,
) -> Vec<&'a Alert> {
    let mut out = Vec::new();
    for alert in alerts {
        if alert.suspend {
            continue;
        }
        let sourced = alert.event_sources.iter().any(|s| {
            let mut s = s.clone();
            if s.namespace.is_empty() {
                s.namespace.clone_from(&alert.namespace);
            }
            source_matches(event, alert, &s, options, warnings)
        });
        if !sourced {
            continue;
        }
        if !alert.inclusion_list.is_empty()
            && !any_regex_matches(
                &alert.inclusion_list,
                &event.message,
                "inclusion",
                alert,
                warnings,
            )
        {
            continue;
        }
        if any_regex_matches(&alert.exclusion_list, &event.message, "exclusion", alert, warnings) {
            continue;
        }
        out.push(alert);
    }
    out
}

/// Which Providers get `event`, with which payload — what notification-controller does
/// with an event a controller posts: clean up the metadata, match Alerts (sorted by
/// namespace and name), look up each Alert's Provider in its namespace, skip suspended
/// and inapplicable Providers, combine metadata per Alert, build the payload.
///
/// ```
/// use gitops_core::notify::*;
/// let alert = Alert {
///     name: "on-call".into(), namespace: "flux-system".into(), provider_ref: "slack".into(),
///     event_sources: vec![EventSource { kind: "Kustomization".into(), name: "*".into(), ..EventSource::default() }],
///     ..Alert::default()
/// };
/// let provider = Provider {
///     name: "slack".into(), namespace: "flux-system".into(), provider_type: "slack".into(),
///     address: "https://hooks.slack.com/services/x".into(), ..Provider::default()
/// };
/// let event = Event::new(
///     ObjectReference::new("kustomize.toolkit.fluxcd.io/v1", "Kustomization", "flux-system", "apps"),
///     Severity::Info, "Deployment/apps/web configured", "ReconciliationSucceeded", "kustomize-controller",
/// );
/// let outcome = route(&event, &[alert], &[provider], &RouteOptions::default());
/// assert_eq!(outcome.deliveries.len(), 1);
/// assert_eq!(outcome.deliveries[0].provider, "flux-system/slack");
/// ```
pub fn route(
    event: &Event,
    alerts: &[Alert],
    providers: &[Provider],
    options: &RouteOptions<'_>,
) -> Outcome {
    let mut outcome = Outcome::default();
    let mut event = event.clone();
    cleanup_metadata(&mut event);
    let mut sorted: Vec<Alert> = alerts.to_vec();
    sorted.sort_by(|a, b| (&a.namespace, &a.name).cmp(&(&b.namespace, &b.name)));
    let matched = matching_alerts(&event, &sorted, options, &mut outcome.warnings);
    let group = event.involved_object.group().to_string();
    let dispatch_failed = |alert: &Alert, err: String| Warning {
        alert: alert.key(),
        reason: "NotificationDispatchFailed".into(),
        message: format!(
            "failed to dispatch notification for {}: {err}",
            involved(&event.involved_object)
        ),
    };
    for alert in matched {
        if options.no_cross_namespace_refs && event.involved_object.namespace != alert.namespace {
            let err = format!(
                "discarding event, access denied to cross-namespace sources: alert '{}' can't process event from '{}', cross-namespace references have been blocked",
                alert.key(),
                involved(&event.involved_object)
            );
            outcome.warnings.push(dispatch_failed(alert, err));
            continue;
        }
        let Some(provider) = providers
            .iter()
            .find(|p| p.namespace == alert.namespace && p.name == alert.provider_ref)
        else {
            let err = format!(
                "failed to read provider: providers.notification.toolkit.fluxcd.io \"{}\" not found",
                alert.provider_ref
            );
            outcome.warnings.push(dispatch_failed(alert, err));
            continue;
        };
        let skip = |reason: &str| Skip {
            alert: alert.key(),
            provider: provider.key(),
            reason: reason.to_string(),
        };
        if provider.suspend {
            outcome.skipped.push(skip("provider is suspended"));
            continue;
        }
        let ptype = provider.provider_type.as_str();
        let commit_status_update =
            event.metadata.get(&format!("{group}/commit_status")).is_some_and(|v| v == "update");
        let is_commit_provider = COMMIT_STATUS_TYPES.contains(&ptype);
        if !is_commit_provider && commit_status_update {
            outcome.skipped.push(skip("commit status update events go to git providers only"));
            continue;
        }
        let has_commit =
            event.metadata.get(&format!("{EVENT_GROUP}/commit")).is_some_and(|v| !v.is_empty());
        if is_commit_provider && !has_commit && !commit_status_update {
            outcome.skipped.push(skip(
                "event dropped for commit status providers due to missing commit metadata key",
            ));
            continue;
        }
        let has_change_request = event
            .metadata
            .get(&format!("{EVENT_GROUP}/change_request"))
            .is_some_and(|v| !v.is_empty());
        if CHANGE_REQUEST_TYPES.contains(&ptype) && !has_change_request {
            outcome.skipped.push(skip(
                "event dropped for change request providers due to missing change request metadata key",
            ));
            continue;
        }
        let (notification, conflicts) = combine_metadata(&event, alert);
        if !conflicts.is_empty() {
            outcome.warnings.push(Warning {
                alert: alert.key(),
                reason: "MetadataAppendFailed".into(),
                message: "metadata key conflicts detected (please refer to the Alert API docs and Flux RFC 0008 for more information)".into(),
            });
        }
        match build_payload(provider, &notification) {
            Ok(payload) => outcome.deliveries.push(Delivery {
                alert: alert.key(),
                provider: provider.key(),
                provider_type: provider.provider_type.clone(),
                event: notification,
                payload,
            }),
            Err(e) => {
                let err =
                    format!("failed to initialize notifier for provider '{}': {e}", provider.name);
                outcome.warnings.push(dispatch_failed(alert, err));
            }
        }
    }
    outcome
}
