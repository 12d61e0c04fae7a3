//! Flux notifications: the event object, Alert routing, and the exact requests
//! notification-controller sends to Slack, Discord, generic and generic-hmac webhooks.
//!
//! | item | what it is |
//! |---|---|
//! | [`Event`], [`ObjectReference`], [`Severity`], [`Timestamp`] | `fluxcd/pkg` event v1beta1 and its Go JSON bytes |
//! | [`event_for_change_set`] | the info event a reconcile that applied changes emits |
//! | [`Alert`], [`EventSource`], [`route`] | which Providers get an event, with what metadata and payload |
//! | [`Provider`], [`build_payload`], [`Payload`] | URL, headers and body bytes per provider type |
//! | [`hmac_sha256`] | the `X-Signature` of `generic-hmac` |
//! | `send` (feature `notify-send`) | a small blocking HTTP/1.1 client for `http://` URLs |
//!
//! Everything here is pure: the caller reads Alerts, Providers and their Secrets, and
//! decides whether to send. Secret values (tokens, webhook URL paths, header values)
//! are masked in `Debug` output and errors.
//!
//! ```
//! use gitops_core::notify::*;
//! let provider = Provider {
//!     name: "hook".into(), namespace: "flux-system".into(), provider_type: "generic-hmac".into(),
//!     address: "http://127.0.0.1:8080/flux".into(),
//!     secret: Some(ProviderSecret { token: Some("s3cret".into()), ..ProviderSecret::default() }),
//!     ..Provider::default()
//! };
//! let event = Event::new(ObjectReference::default(), Severity::Error, "health check failed", "HealthCheckFailed", "kustomize-controller");
//! let payload = build_payload(&provider, &event).unwrap();
//! let want = format!("sha256={}", to_hex(&hmac_sha256(b"s3cret", &payload.body)));
//! assert_eq!(payload.header("X-Signature"), Some(want.as_str()));
//! ```

mod alert;
mod event;
mod gojson;
mod hmac;
mod payload;
#[cfg(feature = "notify-send")]
pub mod send;

pub use alert::{
    Alert, AlertSeverity, Delivery, EventSource, LabelLookup, Outcome, RouteOptions, Skip, Warning,
    cleanup_metadata, combine_metadata, event_key, matching_alerts, route,
};
pub use event::{
    ChangeSetEvent, EVENT_GROUP, Event, ObjectReference, Severity, Timestamp, event_for_change_set,
    group_of,
};
pub use hmac::{hmac_sha256, to_hex};
pub use payload::{
    CHANGE_REQUEST_TYPES, COMMIT_STATUS_TYPES, Payload, Provider, ProviderSecret, SUPPORTED_TYPES,
    build_payload, canonical_header_key, discord_url, redact_url,
};

/// Errors of reading events and building payloads.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// The event body is not a JSON object.
    #[error("invalid event: {reason}")]
    InvalidEvent {
        /// Why.
        reason: String,
    },
    /// A field of the event has the wrong JSON type.
    #[error("invalid event field {field}: {reason}")]
    InvalidEventField {
        /// The field (`message`, `involvedObject.name`, …).
        field: String,
        /// Why.
        reason: String,
    },
    /// A timestamp is not RFC 3339.
    #[error("invalid timestamp {text:?}: want RFC 3339, e.g. 2022-09-30T06:40:29Z")]
    InvalidTimestamp {
        /// The text read.
        text: String,
    },
    /// Neither `spec.address` nor the Secret's `address` is set.
    #[error("provider '{provider}' has no address")]
    NoAddress {
        /// `<namespace>/<name>`.
        provider: String,
    },
    /// The address is not an absolute URL (`invalid Slack hook URL …`, Flux's wording).
    #[error("invalid {}hook URL {url}: {reason}", if kind.is_empty() { String::new() } else { format!("{kind} ") })]
    InvalidUrl {
        /// `Slack`, `Discord` or empty.
        kind: String,
        /// The URL with its path masked.
        url: String,
        /// Why.
        reason: String,
    },
    /// `generic-hmac` without a Secret `token`.
    #[error("provider '{provider}': HMAC key is empty")]
    EmptyHmacKey {
        /// `<namespace>/<name>`.
        provider: String,
    },
    /// A header name or value Go's HTTP client refuses (message in Go's words).
    #[error("{message}")]
    InvalidHeader {
        /// `net/http: invalid header field name "…"` / `…value for "…"`.
        message: String,
    },
    /// A provider type without a payload builder here.
    #[error(
        "provider '{provider}': type '{provider_type}' has no payload builder here (supported: slack, discord, generic, generic-hmac)"
    )]
    UnsupportedProvider {
        /// `<namespace>/<name>`.
        provider: String,
        /// `spec.type`.
        provider_type: String,
    },
}
