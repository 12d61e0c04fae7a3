//! Exact notification payloads per provider type and severity, and Alert routing
//! (cases modelled on notification-controller's slack/discord/forwarder tests and its
//! event_handlers tests: filterAlertsForEvent, eventMatchesAlert, combineEventMetadata).

use std::collections::BTreeMap;

use gitops_core::notify::*;

fn event(severity: Severity) -> Event {
    let mut e = Event::new(
        ObjectReference::new(
            "source.toolkit.fluxcd.io/v1",
            "GitRepository",
            "gitops-system",
            "webapp",
        ),
        severity,
        "Fetched revision <main@sha1:abc>\nsecond line & more",
        "reason",
        "source-controller",
    );
    e.timestamp = Timestamp::from_unix(1_664_520_029).unwrap_or_default();
    e.metadata.insert("revision".into(), "main@sha1:abc".into());
    e.metadata.insert("summary".into(), "prod".into());
    e.reporting_instance = "source-controller-xyz".into();
    e
}

fn provider(ptype: &str, address: &str) -> Provider {
    Provider {
        name: "p".into(),
        namespace: "flux-system".into(),
        provider_type: ptype.into(),
        address: address.into(),
        ..Provider::default()
    }
}

fn headers(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

const GENERIC_INFO: &str = r#"{"involvedObject":{"kind":"GitRepository","namespace":"gitops-system","name":"webapp","apiVersion":"source.toolkit.fluxcd.io/v1"},"severity":"info","timestamp":"2022-09-30T06:40:29Z","message":"Fetched revision \u003cmain@sha1:abc\u003e\nsecond line \u0026 more","reason":"reason","metadata":{"revision":"main@sha1:abc","summary":"prod"},"reportingController":"source-controller","reportingInstance":"source-controller-xyz"}"#;

#[test]
fn payload_table() {
    let mut slack = provider("slack", "https://hooks.slack.com/services/T/B/X");
    slack.channel = "ops".into();
    slack.secret =
        Some(ProviderSecret { token: Some("xoxb-1".into()), ..ProviderSecret::default() });
    let mut slack_named = provider("slack", "https://hooks.slack.com/services/T/B/X");
    slack_named.username = "flux-bot".into();
    let mut discord = provider("discord", "https://discord.com/api/webhooks/1/t");
    discord.channel = "ignored".into();
    let mut generic = provider("generic", "http://receiver.local/flux");
    generic.secret = Some(ProviderSecret {
        headers: vec![
            ("x-team".into(), "payments".into()),
            ("content-type".into(), "application/cloudevents+json".into()),
        ],
        ..ProviderSecret::default()
    });
    let mut hmac = provider("generic-hmac", "http://receiver.local/flux");
    hmac.secret = Some(ProviderSecret {
        token: Some("7152fed34dd6149a7c75a276c510da27cb6f82b0".into()),
        ..ProviderSecret::default()
    });

    let generic_error = GENERIC_INFO.replace(r#""severity":"info""#, r#""severity":"error""#);
    let sig = |body: &str| {
        format!(
            "sha256={}",
            to_hex(&hmac_sha256(b"7152fed34dd6149a7c75a276c510da27cb6f82b0", body.as_bytes()))
        )
    };

    struct Case {
        name: &'static str,
        provider: Provider,
        severity: Severity,
        url: &'static str,
        headers: Vec<(String, String)>,
        body: String,
    }
    let cases = vec![
        Case {
            name: "slack info, channel and token",
            provider: slack.clone(),
            severity: Severity::Info,
            url: "https://hooks.slack.com/services/T/B/X",
            headers: headers(&[("Authorization", "Bearer xoxb-1"), ("Content-Type", "application/json")]),
            body: r#"{"channel":"ops","username":"source-controller","icon_url":"","icon_emoji":"","attachments":[{"fallback":"gitrepository/webapp.gitops-system: Fetched revision \u003cmain@sha1:abc\u003e","color":"good","author_name":"gitrepository/webapp.gitops-system","text":"Fetched revision \u003cmain@sha1:abc\u003e\nsecond line \u0026 more","mrkdwn_in":["text"],"fields":[{"title":"revision","value":"main@sha1:abc","short":false},{"title":"summary","value":"prod","short":false}]}]}"#.into(),
        },
        Case {
            name: "slack error, username from provider",
            provider: slack_named,
            severity: Severity::Error,
            url: "https://hooks.slack.com/services/T/B/X",
            headers: headers(&[("Content-Type", "application/json")]),
            body: r#"{"channel":"","username":"flux-bot","icon_url":"","icon_emoji":"","attachments":[{"fallback":"gitrepository/webapp.gitops-system: Fetched revision \u003cmain@sha1:abc\u003e","color":"danger","author_name":"gitrepository/webapp.gitops-system","text":"Fetched revision \u003cmain@sha1:abc\u003e\nsecond line \u0026 more","mrkdwn_in":["text"],"fields":[{"title":"revision","value":"main@sha1:abc","short":false},{"title":"summary","value":"prod","short":false}]}]}"#.into(),
        },
        Case {
            name: "discord info: /slack path, no channel, empty fallback",
            provider: discord.clone(),
            severity: Severity::Info,
            url: "https://discord.com/api/webhooks/1/t/slack",
            headers: headers(&[("Content-Type", "application/json")]),
            body: r#"{"channel":"","username":"source-controller","icon_url":"","icon_emoji":"","attachments":[{"fallback":"","color":"good","author_name":"gitrepository/webapp.gitops-system","text":"Fetched revision \u003cmain@sha1:abc\u003e\nsecond line \u0026 more","mrkdwn_in":["text"],"fields":[{"title":"revision","value":"main@sha1:abc","short":false},{"title":"summary","value":"prod","short":false}]}]}"#.into(),
        },
        Case {
            name: "discord error",
            provider: discord,
            severity: Severity::Error,
            url: "https://discord.com/api/webhooks/1/t/slack",
            headers: headers(&[("Content-Type", "application/json")]),
            body: r#"{"channel":"","username":"source-controller","icon_url":"","icon_emoji":"","attachments":[{"fallback":"","color":"danger","author_name":"gitrepository/webapp.gitops-system","text":"Fetched revision \u003cmain@sha1:abc\u003e\nsecond line \u0026 more","mrkdwn_in":["text"],"fields":[{"title":"revision","value":"main@sha1:abc","short":false},{"title":"summary","value":"prod","short":false}]}]}"#.into(),
        },
        Case {
            name: "generic info, secret headers override content-type",
            provider: generic.clone(),
            severity: Severity::Info,
            url: "http://receiver.local/flux",
            headers: headers(&[
                ("Content-Type", "application/cloudevents+json"),
                ("Gotk-Component", "source-controller"),
                ("X-Team", "payments"),
            ]),
            body: GENERIC_INFO.into(),
        },
        Case {
            name: "generic error",
            provider: generic,
            severity: Severity::Error,
            url: "http://receiver.local/flux",
            headers: headers(&[
                ("Content-Type", "application/cloudevents+json"),
                ("Gotk-Component", "source-controller"),
                ("X-Team", "payments"),
            ]),
            body: generic_error.clone(),
        },
        Case {
            name: "generic-hmac info",
            provider: hmac.clone(),
            severity: Severity::Info,
            url: "http://receiver.local/flux",
            headers: headers(&[
                ("Content-Type", "application/json"),
                ("Gotk-Component", "source-controller"),
                ("X-Signature", &sig(GENERIC_INFO)),
            ]),
            body: GENERIC_INFO.into(),
        },
        Case {
            name: "generic-hmac error",
            provider: hmac,
            severity: Severity::Error,
            url: "http://receiver.local/flux",
            headers: headers(&[
                ("Content-Type", "application/json"),
                ("Gotk-Component", "source-controller"),
                ("X-Signature", &sig(&generic_error)),
            ]),
            body: generic_error,
        },
    ];
    for case in cases {
        let payload = build_payload(&case.provider, &event(case.severity.clone()))
            .unwrap_or_else(|e| panic!("{}: {e}", case.name));
        assert_eq!(payload.url, case.url, "{}", case.name);
        assert_eq!(payload.headers, case.headers, "{}", case.name);
        assert_eq!(String::from_utf8_lossy(&payload.body), case.body, "{}", case.name);
    }
}

#[test]
fn flux_hmac_vector() {
    // notification-controller forwarder_test.go: testEvent() at Unix 1664520029.
    let mut e = Event::new(
        ObjectReference {
            kind: "GitRepository".into(),
            namespace: "gitops-system".into(),
            name: "webapp".into(),
            ..ObjectReference::default()
        },
        Severity::Info,
        "message",
        "reason",
        "source-controller",
    );
    e.timestamp = Timestamp::parse("2022-09-30T06:40:29Z").unwrap_or_default();
    e.metadata.insert("test".into(), "metadata".into());
    e.reporting_instance = "source-controller-xyz".into();
    let mut p = provider("generic-hmac", "http://example.org");
    p.secret = Some(ProviderSecret {
        token: Some("7152fed34dd6149a7c75a276c510da27cb6f82b0".into()),
        ..ProviderSecret::default()
    });
    let payload = build_payload(&p, &e).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        payload.header("x-signature"),
        Some("sha256=65b018549b1254e7226d1c08f9567ee45bc9de0fc4e7b1a40253f9a018b08be7")
    );
}

fn alert(name: &str, sources: Vec<EventSource>) -> Alert {
    Alert {
        name: name.into(),
        namespace: "flux-system".into(),
        provider_ref: "p".into(),
        event_sources: sources,
        ..Alert::default()
    }
}

fn source(kind: &str, name: &str, namespace: &str) -> EventSource {
    EventSource {
        kind: kind.into(),
        name: name.into(),
        namespace: namespace.into(),
        match_labels: None,
    }
}

fn ks_event(namespace: &str, name: &str, severity: Severity, message: &str) -> Event {
    Event::new(
        ObjectReference::new("kustomize.toolkit.fluxcd.io/v1", "Kustomization", namespace, name),
        severity,
        message,
        "ReconciliationSucceeded",
        "kustomize-controller",
    )
}

#[test]
fn alert_matching_table() {
    let labels = |o: &ObjectReference| -> Option<BTreeMap<String, String>> {
        (o.name == "apps").then(|| BTreeMap::from([("team".to_string(), "web".to_string())]))
    };
    let with_labels = |want: &[(&str, &str)]| EventSource {
        match_labels: Some(want.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()),
        ..source("Kustomization", "*", "")
    };
    struct Case {
        name: &'static str,
        alert: Alert,
        event: Event,
        matched: bool,
        warnings: Vec<&'static str>,
    }
    let info =
        |ns: &str, name: &str| ks_event(ns, name, Severity::Info, "Deployment/apps/web configured");
    let cases = vec![
        Case {
            name: "exact name, default namespace",
            alert: alert("a", vec![source("Kustomization", "apps", "")]),
            event: info("flux-system", "apps"),
            matched: true,
            warnings: vec![],
        },
        Case {
            name: "wildcard name",
            alert: alert("a", vec![source("Kustomization", "*", "")]),
            event: info("flux-system", "infra"),
            matched: true,
            warnings: vec![],
        },
        Case {
            name: "other name",
            alert: alert("a", vec![source("Kustomization", "infra", "")]),
            event: info("flux-system", "apps"),
            matched: false,
            warnings: vec![],
        },
        Case {
            name: "other kind",
            alert: alert("a", vec![source("HelmRelease", "*", "")]),
            event: info("flux-system", "apps"),
            matched: false,
            warnings: vec![],
        },
        Case {
            name: "kind is case-sensitive",
            alert: alert("a", vec![source("kustomization", "*", "")]),
            event: info("flux-system", "apps"),
            matched: false,
            warnings: vec![],
        },
        Case {
            name: "source namespace defaults to the alert's",
            alert: alert("a", vec![source("Kustomization", "*", "")]),
            event: info("apps", "web"),
            matched: false,
            warnings: vec![],
        },
        Case {
            name: "explicit cross namespace source",
            alert: alert("a", vec![source("Kustomization", "*", "apps")]),
            event: info("apps", "web"),
            matched: true,
            warnings: vec![],
        },
        Case {
            name: "second source matches",
            alert: alert(
                "a",
                vec![source("HelmRelease", "*", ""), source("Kustomization", "apps", "")],
            ),
            event: info("flux-system", "apps"),
            matched: true,
            warnings: vec![],
        },
        Case {
            name: "error alert drops info",
            alert: Alert {
                event_severity: AlertSeverity::Error,
                ..alert("a", vec![source("Kustomization", "*", "")])
            },
            event: info("flux-system", "apps"),
            matched: false,
            warnings: vec![],
        },
        Case {
            name: "error alert takes error",
            alert: Alert {
                event_severity: AlertSeverity::Error,
                ..alert("a", vec![source("Kustomization", "*", "")])
            },
            event: ks_event("flux-system", "apps", Severity::Error, "health check failed"),
            matched: true,
            warnings: vec![],
        },
        Case {
            name: "info alert takes error",
            alert: alert("a", vec![source("Kustomization", "*", "")]),
            event: ks_event("flux-system", "apps", Severity::Error, "health check failed"),
            matched: true,
            warnings: vec![],
        },
        Case {
            name: "suspended alert",
            alert: Alert { suspend: true, ..alert("a", vec![source("Kustomization", "*", "")]) },
            event: info("flux-system", "apps"),
            matched: false,
            warnings: vec![],
        },
        Case {
            name: "matchLabels match",
            alert: alert("a", vec![with_labels(&[("team", "web")])]),
            event: info("flux-system", "apps"),
            matched: true,
            warnings: vec![],
        },
        Case {
            name: "matchLabels mismatch",
            alert: alert("a", vec![with_labels(&[("team", "db")])]),
            event: info("flux-system", "apps"),
            matched: false,
            warnings: vec![],
        },
        Case {
            name: "empty matchLabels needs the object",
            alert: alert("a", vec![with_labels(&[])]),
            event: info("flux-system", "apps"),
            matched: true,
            warnings: vec![],
        },
        Case {
            name: "matchLabels, object not found",
            alert: alert("a", vec![with_labels(&[("team", "web")])]),
            event: info("flux-system", "gone"),
            matched: false,
            warnings: vec![
                "SourceFetchFailed: error getting source object Kustomization/flux-system/gone",
            ],
        },
        Case {
            name: "inclusion list matches",
            alert: Alert {
                inclusion_list: vec!["^Deployment/".into()],
                ..alert("a", vec![source("Kustomization", "*", "")])
            },
            event: info("flux-system", "apps"),
            matched: true,
            warnings: vec![],
        },
        Case {
            name: "inclusion list misses",
            alert: Alert {
                inclusion_list: vec!["^Service/".into()],
                ..alert("a", vec![source("Kustomization", "*", "")])
            },
            event: info("flux-system", "apps"),
            matched: false,
            warnings: vec![],
        },
        Case {
            name: "exclusion list drops",
            alert: Alert {
                exclusion_list: vec!["configured$".into()],
                ..alert("a", vec![source("Kustomization", "*", "")])
            },
            event: info("flux-system", "apps"),
            matched: false,
            warnings: vec![],
        },
        Case {
            name: "inclusion then exclusion",
            alert: Alert {
                inclusion_list: vec!["Deployment".into()],
                exclusion_list: vec!["web".into()],
                ..alert("a", vec![source("Kustomization", "*", "")])
            },
            event: info("flux-system", "apps"),
            matched: false,
            warnings: vec![],
        },
        Case {
            name: "invalid inclusion regex is a warning and no match",
            alert: Alert {
                inclusion_list: vec!["(".into()],
                ..alert("a", vec![source("Kustomization", "*", "")])
            },
            event: info("flux-system", "apps"),
            matched: false,
            warnings: vec!["InvalidConfig: failed to compile inclusion regex: ("],
        },
        Case {
            name: "invalid exclusion regex is a warning and does not exclude",
            alert: Alert {
                exclusion_list: vec!["[".into()],
                ..alert("a", vec![source("Kustomization", "*", "")])
            },
            event: info("flux-system", "apps"),
            matched: true,
            warnings: vec!["InvalidConfig: failed to compile exclusion regex: ["],
        },
    ];
    for case in cases {
        let mut warnings = Vec::new();
        let options = RouteOptions { object_labels: Some(&labels), ..RouteOptions::default() };
        let alerts = [case.alert];
        let got = matching_alerts(&case.event, &alerts, &options, &mut warnings);
        assert_eq!(!got.is_empty(), case.matched, "{}", case.name);
        let warnings: Vec<String> =
            warnings.iter().map(|w| format!("{}: {}", w.reason, w.message)).collect();
        assert_eq!(warnings, case.warnings, "{}", case.name);
    }
}

#[test]
fn combine_metadata_table() {
    let base = |meta: &[(&str, &str)]| {
        let mut e = ks_event("flux-system", "apps", Severity::Info, "m");
        e.metadata = meta.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        e
    };
    struct Case {
        name: &'static str,
        event_meta: Vec<(&'static str, &'static str)>,
        event_metadata: Vec<(&'static str, &'static str)>,
        summary: &'static str,
        want: Vec<(&'static str, &'static str)>,
        conflicts: Vec<&'static str>,
    }
    let cases = vec![
        Case {
            name: "group keys stripped",
            event_meta: vec![("kustomize.toolkit.fluxcd.io/revision", "main@sha1:1")],
            event_metadata: vec![],
            summary: "",
            want: vec![("revision", "main@sha1:1")],
            conflicts: vec![],
        },
        Case {
            name: "all sources, no conflict",
            event_meta: vec![
                ("event.toolkit.fluxcd.io/team", "web"),
                ("kustomize.toolkit.fluxcd.io/revision", "r"),
            ],
            event_metadata: vec![("env", "prod")],
            summary: "cluster one",
            want: vec![
                ("env", "prod"),
                ("revision", "r"),
                ("summary", "cluster one"),
                ("team", "web"),
            ],
            conflicts: vec![],
        },
        Case {
            name: "precedence: object group > summary > eventMetadata > event annotations",
            event_meta: vec![
                ("event.toolkit.fluxcd.io/summary", "a"),
                ("kustomize.toolkit.fluxcd.io/env", "d"),
            ],
            event_metadata: vec![("summary", "b"), ("env", "c")],
            summary: "s",
            want: vec![("env", "d"), ("summary", "s")],
            conflicts: vec!["env", "summary"],
        },
        Case {
            name: "nothing combined keeps the original metadata",
            event_meta: vec![("other/key", "v")],
            event_metadata: vec![],
            summary: "",
            want: vec![("other/key", "v")],
            conflicts: vec![],
        },
    ];
    for case in cases {
        let a = Alert {
            event_metadata: case
                .event_metadata
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            summary: case.summary.into(),
            ..alert("a", vec![])
        };
        let (got, conflicts) = combine_metadata(&base(&case.event_meta), &a);
        let got: Vec<(&str, &str)> =
            got.metadata.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        assert_eq!(got, case.want, "{}", case.name);
        assert_eq!(conflicts, case.conflicts, "{}", case.name);
    }
}

#[test]
fn cleanup_and_event_key() {
    let mut e = ks_event("flux-system", "apps", Severity::Info, "m");
    for (k, v) in [
        ("kustomize.toolkit.fluxcd.io/revision", "r"),
        ("kustomize.toolkit.fluxcd.io/Checksum", "c"),
        ("kustomize.toolkit.fluxcd.io/digest", "d"),
        ("kustomize.toolkit.fluxcd.io/token", "t"),
        ("event.toolkit.fluxcd.io/team", "web"),
        ("revision", "plain"),
        ("helm.toolkit.fluxcd.io/revision", "other group"),
    ] {
        e.metadata.insert(k.into(), v.into());
    }
    // The rate-limit key reads message, object and the revision/token keys only.
    let key = event_key(&e);
    assert_eq!(key.len(), 64);
    let mut other = e.clone();
    other.message = "m2".into();
    assert_ne!(event_key(&other), key);
    let mut same = e.clone();
    same.metadata.insert("kustomize.toolkit.fluxcd.io/unrelated".into(), "x".into());
    assert_eq!(event_key(&same), key);

    cleanup_metadata(&mut e);
    let keys: Vec<&str> = e.metadata.keys().map(String::as_str).collect();
    assert_eq!(keys, ["event.toolkit.fluxcd.io/team", "kustomize.toolkit.fluxcd.io/revision"]);
}

#[test]
fn route_end_to_end() {
    let mut e = ks_event("flux-system", "apps", Severity::Info, "Deployment/apps/web configured");
    e.timestamp = Timestamp::from_unix(1_664_520_029).unwrap_or_default();
    e.metadata.insert("kustomize.toolkit.fluxcd.io/revision".into(), "main@sha1:1".into());
    e.metadata.insert("kustomize.toolkit.fluxcd.io/token".into(), "internal".into());
    let alerts = vec![
        Alert {
            provider_ref: "hook".into(),
            summary: "prod".into(),
            ..alert("z-generic", vec![source("Kustomization", "*", "")])
        },
        Alert {
            provider_ref: "slack".into(),
            ..alert("b-slack", vec![source("Kustomization", "apps", "")])
        },
        Alert {
            provider_ref: "missing".into(),
            ..alert("c-missing", vec![source("Kustomization", "*", "")])
        },
        Alert {
            provider_ref: "paused".into(),
            ..alert("d-paused", vec![source("Kustomization", "*", "")])
        },
        Alert {
            provider_ref: "gh".into(),
            ..alert("e-github", vec![source("Kustomization", "*", "")])
        },
        Alert {
            provider_ref: "slack".into(),
            ..alert("f-other", vec![source("HelmRelease", "*", "")])
        },
    ];
    let mut slack = provider("slack", "https://hooks.slack.com/services/x");
    slack.name = "slack".into();
    let mut hook = provider("generic", "http://hook.local/");
    hook.name = "hook".into();
    let mut paused = provider("slack", "https://hooks.slack.com/services/y");
    paused.name = "paused".into();
    paused.suspend = true;
    let mut gh = provider("github", "https://github.com/org/repo");
    gh.name = "gh".into();
    let outcome = route(&e, &alerts, &[slack, hook, paused, gh], &RouteOptions::default());

    let delivered: Vec<(&str, &str)> =
        outcome.deliveries.iter().map(|d| (d.alert.as_str(), d.provider.as_str())).collect();
    assert_eq!(
        delivered,
        [
            ("flux-system/b-slack", "flux-system/slack"),
            ("flux-system/z-generic", "flux-system/hook")
        ]
    );
    let generic = &outcome.deliveries[1];
    assert_eq!(
        String::from_utf8_lossy(&generic.payload.body),
        r#"{"involvedObject":{"kind":"Kustomization","namespace":"flux-system","name":"apps","apiVersion":"kustomize.toolkit.fluxcd.io/v1"},"severity":"info","timestamp":"2022-09-30T06:40:29Z","message":"Deployment/apps/web configured","reason":"ReconciliationSucceeded","metadata":{"revision":"main@sha1:1","summary":"prod"},"reportingController":"kustomize-controller"}"#
    );
    let slack_body = String::from_utf8_lossy(&outcome.deliveries[0].payload.body).into_owned();
    assert!(
        slack_body
            .contains(r#""fields":[{"title":"revision","value":"main@sha1:1","short":false}]"#),
        "{slack_body}"
    );

    let skipped: Vec<(&str, &str)> =
        outcome.skipped.iter().map(|s| (s.alert.as_str(), s.reason.as_str())).collect();
    assert_eq!(
        skipped,
        [
            ("flux-system/d-paused", "provider is suspended"),
            (
                "flux-system/e-github",
                "event dropped for commit status providers due to missing commit metadata key"
            ),
        ]
    );
    let warnings: Vec<String> = outcome
        .warnings
        .iter()
        .map(|w| format!("{} {}: {}", w.alert, w.reason, w.message))
        .collect();
    assert_eq!(
        warnings,
        [
            "flux-system/c-missing NotificationDispatchFailed: failed to dispatch notification for Kustomization/flux-system/apps: failed to read provider: providers.notification.toolkit.fluxcd.io \"missing\" not found"
        ]
    );

    // --no-cross-namespace-refs blocks an Alert watching another namespace.
    let cross = vec![Alert {
        provider_ref: "hook".into(),
        ..alert("x", vec![source("Kustomization", "*", "apps")])
    }];
    let mut hook = provider("generic", "http://hook.local/");
    hook.name = "hook".into();
    let e2 = ks_event("apps", "web", Severity::Info, "m");
    let open = route(&e2, &cross, std::slice::from_ref(&hook), &RouteOptions::default());
    assert_eq!(open.deliveries.len(), 1);
    let closed = route(
        &e2,
        &cross,
        &[hook],
        &RouteOptions { no_cross_namespace_refs: true, ..RouteOptions::default() },
    );
    assert!(closed.deliveries.is_empty());
    assert_eq!(
        closed.warnings.first().map(|w| w.message.as_str()),
        Some(
            "failed to dispatch notification for Kustomization/apps/web: discarding event, access denied to cross-namespace sources: alert 'flux-system/x' can't process event from 'Kustomization/apps/web', cross-namespace references have been blocked"
        )
    );
}

#[test]
fn change_set_event_through_slack() {
    let lines = vec![
        "ConfigMap/apps/web-config configured".to_string(),
        "Deployment/apps/web configured".to_string(),
    ];
    let e = event_for_change_set(&ChangeSetEvent {
        object: ObjectReference::new(
            "kustomize.toolkit.fluxcd.io/v1",
            "Kustomization",
            "flux-system",
            "apps",
        ),
        lines: &lines,
        revision: "main@sha1:5f1c",
        timestamp: Timestamp::from_unix(1_700_000_000).unwrap_or_default(),
        ..ChangeSetEvent::default()
    });
    let alerts = [Alert {
        provider_ref: "slack".into(),
        ..alert("a", vec![source("Kustomization", "*", "")])
    }];
    let mut slack = provider("slack", "https://hooks.slack.com/services/x");
    slack.name = "slack".into();
    let outcome = route(&e, &alerts, &[slack], &RouteOptions::default());
    let body =
        outcome.deliveries.first().map(|d| String::from_utf8_lossy(&d.payload.body).into_owned());
    assert_eq!(
        body.as_deref(),
        Some(
            r#"{"channel":"","username":"kustomize-controller","icon_url":"","icon_emoji":"","attachments":[{"fallback":"kustomization/apps.flux-system: ConfigMap/apps/web-config configured","color":"good","author_name":"kustomization/apps.flux-system","text":"ConfigMap/apps/web-config configured\nDeployment/apps/web configured","mrkdwn_in":["text"],"fields":[{"title":"revision","value":"main@sha1:5f1c","short":false}]}]}"#
        )
    );
}
