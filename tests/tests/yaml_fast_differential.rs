//! The fast paths of the YAML layer (`parse_values`, `parse_values_fast`) against the
//! general path (`parse_stream_with` + `resolve`): identical values, or an identical error,
//! on random YAML-ish documents and on documents shaped like Kubernetes objects.

use gitops_core::yaml::{
    Dialect, Limits, ParseOptions, Profile, Value, parse_stream_with, parse_values,
    parse_values_fast, resolve,
};
use proptest::prelude::*;

/// The general path, as Debug text (NaN equals NaN) or the error text.
fn general(input: &str, profile: Profile, dialect: Dialect) -> Result<String, String> {
    let opts = ParseOptions { dialect, ..ParseOptions::default() };
    let docs = parse_stream_with(input, &opts).map_err(|e| e.to_string())?;
    let vals: Result<Vec<Value>, _> =
        docs.iter().map(|d| resolve(d, profile, &Limits::default())).collect();
    vals.map(|v| format!("{v:?}")).map_err(|e| e.to_string())
}

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

fn piece() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "a",
        "b",
        "name",
        "1",
        "-1",
        "0x1F",
        "0755",
        "1e6",
        ".5",
        "true",
        "yes",
        "off",
        "~",
        "null",
        "2001-12-14",
        "2001-12-14 1:2:3 +5",
        "<<",
        "a b",
        "a:b",
        "a#b",
        "http://x",
        "é",
        "'q'",
        "'it''s'",
        "\"d\"",
        "\"a\\tb\"",
        "\"\\/\"",
        "[a, b]",
        "[]",
        "{}",
        "{a: 1}",
        "{a: [1, {b: c}]}",
        "[a: b]",
        "{a: }",
        "[a, ]",
        "|",
        "|-",
        "|+",
        ">",
        ">-",
        "&x a",
        "*x",
        "!t a",
        "!!int 1",
        "- x",
        "-",
        "? a",
        ":",
        "--x",
        "# c",
        "a: b",
        "'",
        "\"",
        "[",
        "{",
        "}",
        "---",
        "...",
        "\t",
        " ",
        "\u{a0}",
        "\u{2028}",
    ])
}

fn line() -> impl Strategy<Value = String> {
    let body = prop_oneof![
        (piece(), piece()).prop_map(|(k, v)| format!("{k}: {v}")),
        piece().prop_map(|k| format!("{k}:")),
        piece().prop_map(|v| format!("- {v}")),
        Just("-".to_owned()),
        (piece(), piece()).prop_map(|(k, v)| format!("- {k}: {v}")),
        piece().prop_map(str::to_owned),
        Just("# c".to_owned()),
        Just(String::new()),
        Just("---".to_owned()),
    ];
    (prop::sample::select(vec![0usize, 0, 2, 2, 4, 4, 1, 3, 6]), body)
        .prop_map(|(indent, body)| format!("{}{body}", " ".repeat(indent)))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn fast_paths_match_the_general_path(lines in prop::collection::vec(line(), 0..14), nl in any::<bool>()) {
        let mut doc = lines.join("\n");
        if nl {
            doc.push('\n');
        }
        check(&doc);
    }
}
