//! The fused path against the tree walk: it either gives up or gives exactly the tree's
//! values, for every profile and dialect.

use super::fused;
use super::*;
use crate::testing::{document, general, nested, piece};
use crate::yaml::Dialect;
use proptest::prelude::*;

/// Checks the fused path on `input`; whether it took the input.
fn check(input: &str) -> bool {
    let mut took = false;
    for profile in [Profile::Kyaml, Profile::ApiServer] {
        let Some(fast) = fused::values(input, profile, &Limits::default()) else { continue };
        took = true;
        let fast = format!("{fast:?}");
        for dialect in [Dialect::Yaml12, Dialect::GoYamlV3, Dialect::GoYamlV2] {
            assert_eq!(
                Ok(&fast),
                general(input, profile, dialect).as_ref(),
                "{profile:?} {dialect:?} on {input:?}"
            );
        }
    }
    took
}

#[test]
fn fused_takes_common_documents_exactly() {
    let cases = [
        "",
        "# only a comment\n",
        "a: 1\n",
        "a: 1",
        "---\n",
        "---\n---\n",
        "a: 1\n---\n",
        "---\na: 1\n---\nb: 2\n",
        "# c\n---\na: 1\n",
        "a:\n  b: c\n  d: [x, 'y', \"z\"]\n",
        "a:\n- x\n- y\nb: 2\n",
        "a:\n  - x\n  -\n  - - p\n    - q\n",
        "- a: 1\n  b: 2\n- c\n-\n  d: 3\n",
        "- 'k': v\n  \"m\": n\n",
        "a: |\n  one\n\n  two\n\nb: |-\n    x # not a comment\n     y\n",
        "a: | # c\n  t\n",
        "a: {}\nb: []\nc: {x: 1, y: [1, 2, {z: q}]}\n",
        "k: v # comment\nk2: v2#not\n",
        "a: 'it''s'\nb: \"#x\"\n",
        "n: -1\no: 0755\nh: 0x1F\nf: 1e6\nb: yes\nt: true\nd: 2001-12-14\nz: ~\ne:\ninf: .inf\n",
        "1: a\ntrue: b\n",
        "a:b: c\nurl: http://x/y?z=1\n",
        "args:\n- --flag=1\n- -v\n",
        "emoji: é ü 日本\n",
        "  indented: root\n  b: 2\n",
        "a:\n\n  # c\n  b: 1\n",
        "a: b\n   # more indented comment\nc: d\n",
        "x: [-1, .5, a b]\n",
        "description: Widget is the Schema for the widgets API. It carries text.\n",
    ];
    for c in cases {
        assert!(check(c), "the fused path should take {c:?}");
    }
}

#[test]
fn fused_gives_up_on_the_unusual() {
    let cases = [
        "a: &x 1\nb: *x\n",
        "a: !t 1\n",
        "a: b\n  c\n",
        "a: \"x\n  y\"\n",
        "a: \"\\n\"\n",
        "a: >\n  t\n",
        "a: |+\n  t\n",
        "a: |2\n  t\n",
        "a: [x,\n  y]\n",
        "? a\n: b\n",
        "a:\tb\n",
        "a: b\r\n",
        "\u{feff}a: b\n",
        "a: 1\na: 2\n",
        "<<: {a: 1}\n",
        "~: a\n",
        "%YAML 1.2\n---\na: 1\n",
        "a: 1\n...\n",
        "--- a\n",
        "scalar\n",
        "[a, b]\n",
        "a: b: c\n",
        "a: [a, ]\n",
        "a: {b}\n",
        "a: {b: }\n",
        "a: [b: c]\n",
        "a:\n    b: 1\n  c: 2\n",
        "a: 1\n- x\n",
        "a: |\n\n  t\n",
        "a: x\u{85}y\n",
    ];
    for c in cases {
        for profile in [Profile::Kyaml, Profile::ApiServer] {
            assert!(
                fused::values(c, profile, &Limits::default()).is_none(),
                "the fused path should give up on {c:?}"
            );
        }
    }
}

#[test]
fn fused_respects_depth_and_size_limits() {
    let deep: String = (0..60).map(|i| format!("{}k:\n", " ".repeat(i * 2))).collect();
    assert!(fused::values(&deep, Profile::Kyaml, &Limits::default()).is_none());
    let small = Limits { max_depth: 3, ..Limits::default() };
    assert!(fused::values("a:\n  b:\n    c: 1\n", Profile::Kyaml, &small).is_none());
    let long = "k".repeat(1100);
    for doc in [format!("{long}: v\n"), format!("a: {{{long}: v}}\n")] {
        assert!(fused::values(&doc, Profile::Kyaml, &Limits::default()).is_none());
        check(&doc);
    }
    let tiny = Limits { max_input_bytes: 3, ..Limits::default() };
    assert!(fused::values("a: 1\n", Profile::Kyaml, &tiny).is_none());
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]

    #[test]
    fn fused_matches_tree_on_line_soup(doc in document(12)) {
        check(&doc);
    }

    #[test]
    fn fused_matches_tree_on_nested_documents(body in nested(4), cut in 0usize..400, extra in piece()) {
        let doc = format!("root:{body}");
        check(&doc);
        // The same with a piece spliced in somewhere.
        let at = (0..=cut.min(doc.len())).rev().find(|&i| doc.is_char_boundary(i)).unwrap_or(0);
        let mut spliced = doc.clone();
        spliced.insert_str(at, extra);
        check(&spliced);
    }
}
