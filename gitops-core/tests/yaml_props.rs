//! Properties of the YAML layer, checked on generated input:
//! - parsing and resolving never panic, whatever the text;
//! - a value printed as go-yaml v2 prints it reads back (kyaml profile) to the same value.

use gitops_core::yaml::{self, Limits, Mapping, Profile, Value};
use proptest::prelude::*;

fn limits() -> Limits {
    Limits { max_input_bytes: 1 << 20, max_depth: 64, max_alias_nodes: 10_000 }
}

/// Strings that exercise quoting: YAML 1.1 words, indicators, spaces, line breaks, unicode.
fn tricky_string() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "[a-z0-9 ._:/-]{0,12}",
        2 => proptest::string::string_regex("[ \\t\\n#:'\"&*!|>%@`,\\[\\]{}?~=a-zA-Z0-9\u{e9}\u{4e2d}\u{1f600}-]{0,40}").unwrap(),
        1 => prop::sample::select(vec![
            "yes", "No", "ON", "off", "y", "n", "true", "False", "null", "~", "", "0755", "0x1F",
            "1_000", "1e3", "1.0", ".inf", "-.Inf", ".NaN", "1:20", "2001-12-14", "-", "---", "...",
            "- a", "? b", "a: b", "a #b", " lead", "trail ", "line1\nline2", "line\n", "\n\nx",
            "tab\there", "\u{85}", "\u{2028}", "\u{feff}x",
        ]).prop_map(str::to_owned),
        1 => "[a-z ]{60,200}",
    ]
}

fn value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::Int),
        any::<u64>().prop_map(|u| if u > i64::MAX as u64 {
            Value::Uint(u)
        } else {
            Value::Int(u as i64)
        }),
        (-1e30f64..1e30).prop_map(Value::Float),
        tricky_string().prop_map(Value::String),
    ];
    leaf.prop_recursive(5, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Seq),
            prop::collection::vec((tricky_string(), inner), 0..6)
                .prop_map(|kv| Value::Map(kv.into_iter().collect::<Mapping>())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn parse_never_panics(text in "[ -~\\t\\n\u{a0}-\u{ff}]{0,300}") {
        if let Ok(docs) = yaml::parse_stream(&text, &limits()) {
            for d in &docs {
                let _ = yaml::resolve(d, Profile::Kyaml, &limits());
                let _ = yaml::resolve(d, Profile::ApiServer, &limits());
            }
        }
    }

    #[test]
    fn parse_never_panics_on_yaml_shaped_text(
        lines in prop::collection::vec("( {0,6})(- |\\? |: |[a-z]{1,4}: ?|#|&a |\\*a|!!str |\\||>|\"|'|\\[|\\]|\\{|\\}|,|---|\\.\\.\\.)*[a-z0-9 ]{0,8}", 0..20)
    ) {
        let text = lines.join("\n");
        if let Ok(docs) = yaml::parse_stream(&text, &limits()) {
            for d in &docs {
                let _ = yaml::resolve(d, Profile::Kyaml, &limits());
            }
        }
    }

    #[test]
    fn emit_then_parse_gives_the_same_value(v in value()) {
        // kustomize's JSON step goes back through go-yaml v2's reader, which rejects some
        // values (C1 controls, keys past its 1,022-character look-ahead); kustomize fails on
        // those too, so only values that survive the round trip are checked.
        let Ok(normal) = yaml::json_roundtrip(&v) else { return Ok(()) };
        let text = yaml::emit(&normal).expect("emit");
        let back = yaml::parse_values(&text, Profile::Kyaml, &limits())
            .map_err(|e| TestCaseError::fail(format!("{e}\n--- emitted:\n{text}")))?;
        prop_assert_eq!(back.len(), 1, "emitted:\n{}", text);
        prop_assert_eq!(&back[0], &normal, "emitted:\n{}", text);
    }
}
