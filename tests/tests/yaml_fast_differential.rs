//! The fast paths of the YAML layer (`parse_values`, `parse_values_fast`) against the
//! general path (`parse_stream_with` + `resolve`): identical values, or an identical error,
//! on random YAML-ish documents and on documents shaped like Kubernetes objects.

use gitops_core::testing::{document, general};
use gitops_core::yaml::{Dialect, Limits, ParseOptions, Profile, parse_values, parse_values_fast};
use proptest::prelude::*;

fn check(input: &str) {
    for profile in [Profile::Kyaml, Profile::ApiServer] {
        let fast = parse_values(input, profile, &Limits::default())
            .map(|v| format!("{v:?}"))
            .map_err(|e| e.to_string());
        assert_eq!(fast, general(input, profile, Dialect::Yaml12), "{profile:?} on {input:?}");
        for dialect in [Dialect::GoYamlV3, Dialect::GoYamlV2] {
            let opts = ParseOptions { dialect, ..ParseOptions::default() };
            for no_folded in [false, true] {
                if let Some(v) = parse_values_fast(input, profile, &opts, no_folded) {
                    assert_eq!(
                        Ok(format!("{v:?}")),
                        general(input, profile, dialect),
                        "{profile:?} {dialect:?} on {input:?}"
                    );
                }
            }
        }
    }
}

#[test]
fn kubernetes_shaped_documents_read_the_same() {
    let cases = [
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  labels: {app: a}\ndata:\n  k: |\n    line\n\n    more\n",
        "apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n      - name: c\n        image: nginx:1.25\n        args: [--v=2, \"-x\"]\n        ports:\n        - containerPort: 80\n          protocol: TCP\n        resources: {}\n",
        "a: 1\n---\n# only a comment\n---\nb: 'it''s'\n",
        "x: 0o17\ny: 1_000\nz: 2001-12-14t21:59:43.10-05:00\nw: .NaN\nv: -.inf\n",
        "a: !!str 1\nb: &a [1]\nc: *a\n",
        "a:\n  b: 1\n a: 2\n",
        "{a: 1}\n",
    ];
    for c in cases {
        check(c);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn fast_paths_match_the_general_path(doc in document(13)) {
        check(&doc);
    }
}
