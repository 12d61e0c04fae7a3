//! Test support shared by gitops-core's own tests and the cross-crate tests (feature
//! `testing`, not part of the API): random YAML-ish documents for the differential tests
//! of the YAML layer's fast paths, and the general path they are held against.

use proptest::prelude::*;

use crate::yaml::{Dialect, Limits, ParseOptions, Profile, Value, parse_stream_with, resolve};

/// The general path's reading of `input`: `parse_stream_with` in `dialect`, then `resolve`
/// with `profile`, as Debug text (so that NaN equals NaN), or the error text.
pub fn general(input: &str, profile: Profile, dialect: Dialect) -> Result<String, String> {
    let opts = ParseOptions { dialect, ..ParseOptions::default() };
    let docs = parse_stream_with(input, &opts).map_err(|e| e.to_string())?;
    let vals: Result<Vec<Value>, _> =
        docs.iter().map(|d| resolve(d, profile, &Limits::default())).collect();
    vals.map(|v| format!("{v:?}")).map_err(|e| e.to_string())
}

/// Pieces of lines, usual and unusual, to assemble YAML-ish text from: keys, scalars of
/// every type and style, flow collections (some malformed), indicators, anchors, tags,
/// comments, markers, odd white space.
pub fn piece() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "a",
        "b",
        "key",
        "name",
        "1",
        "-1",
        "0x1F",
        "0755",
        "1e6",
        ".5",
        "true",
        "yes",
        "on",
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
        "\"a\\nb\"",
        "\"a\\tb\"",
        "\"\\/\"",
        "\"#\"",
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

/// One line: an entry, a key, an item, a bare piece, a comment, a marker or nothing,
/// indented by 0 to 6 spaces (even indents more often).
pub fn line() -> impl Strategy<Value = String> {
    let body = prop_oneof![
        (piece(), piece()).prop_map(|(k, v)| format!("{k}: {v}")),
        piece().prop_map(|k| format!("{k}:")),
        piece().prop_map(|v| format!("- {v}")),
        Just("-".to_owned()),
        (piece(), piece()).prop_map(|(k, v)| format!("- {k}: {v}")),
        piece().prop_map(|k| format!("- {k}:")),
        piece().prop_map(str::to_owned),
        Just("# comment".to_owned()),
        Just(String::new()),
        Just("---".to_owned()),
    ];
    (prop::sample::select(vec![0usize, 0, 1, 2, 2, 3, 4, 4, 5, 6]), body)
        .prop_map(|(indent, body)| format!("{}{body}", " ".repeat(indent)))
}

/// Up to `max_lines` lines of [`line`], with or without a final newline: keys come from
/// a small set (repeats happen) and the indentation is sane more often than not.
pub fn document(max_lines: usize) -> impl Strategy<Value = String> {
    (prop::collection::vec(line(), 0..=max_lines), any::<bool>()).prop_map(|(lines, nl)| {
        let mut s = lines.join("\n");
        if nl {
            s.push('\n');
        }
        s
    })
}

/// Well-formed nested block collections up to `depth` levels, each value starting right
/// after its `key:` or `-` (a leading space, or a newline and a deeper block), so that the
/// fast paths take them often.
pub fn nested(depth: u32) -> BoxedStrategy<String> {
    let leaf = piece().prop_map(|v| format!(" {v}\n")).boxed();
    leaf.prop_recursive(depth, 32, 4, |inner| {
        prop_oneof![
            prop::collection::vec((piece(), inner.clone()), 1..4).prop_map(|es| {
                let mut s = String::from("\n");
                for (k, v) in es {
                    s.push_str(&format!("{k}:{v}"));
                }
                indent_block(&s)
            }),
            prop::collection::vec(inner, 1..4).prop_map(|is| {
                let mut s = String::from("\n");
                for v in is {
                    s.push_str(&format!("-{v}"));
                }
                indent_block(&s)
            }),
        ]
    })
    .boxed()
}

/// Indents every line after the first by two spaces.
fn indent_block(s: &str) -> String {
    let mut out = String::new();
    for (i, l) in s.split_inclusive('\n').enumerate() {
        if i > 0 && l != "\n" {
            out.push_str("  ");
        }
        out.push_str(l);
    }
    out
}
