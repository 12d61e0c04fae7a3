//! Table tests for the emitter's tricky rules (the differential goldens live in
//! `tests/emit_golden.rs`).

use super::*;

fn map(entries: &[(&str, Value)]) -> Value {
    let mut m = Mapping::new();
    for (k, v) in entries {
        m.insert((*k).to_owned(), v.clone());
    }
    Value::Map(m)
}

fn s(t: &str) -> Value {
    Value::from(t)
}

#[test]
fn scalar_styles() {
    let cases: &[(&str, &str)] = &[
        ("plain", "plain\n"),
        ("", "\"\"\n"),
        ("yes", "\"yes\"\n"),
        ("1:20", "\"1:20\"\n"),
        (" lead", "' lead'\n"),
        ("trail ", "'trail '\n"),
        ("- x", "'- x'\n"),
        ("-x", "-x\n"),
        ("a: b", "'a: b'\n"),
        ("a #b", "'a #b'\n"),
        ("a#b", "a#b\n"),
        ("it's", "it's\n"),
        ("'q'", "'''q'''\n"),
        ("a\tb", "\"a\\tb\"\n"),
        ("\u{7}", "\"\\a\"\n"),
        ("\u{feff}ab", "\"\\uFEFF\\x61\\x62\"\n"),
        ("😀", "\"\\U0001F600\"\n"),
        ("é中", "é中\n"),
        ("---", "'---'\n"),
        ("<<", "<<\n"),
        ("a\nb", "|-\n  a\n  b\n"),
        ("a\nb\n", "|\n  a\n  b\n"),
        ("a\n\n", "|+\n  a\n\n"),
        (" a\nb", "|2-\n   a\n  b\n"),
        ("a \nb", "\"a \\nb\"\n"),
    ];
    for &(input, want) in cases {
        assert_eq!(emit(&s(input)).unwrap(), want, "{input:?}");
    }
}

#[test]
fn structure() {
    let v = map(&[
        (
            "list",
            Value::Seq(vec![
                s("a"),
                Value::Seq(vec![s("b"), s("c")]),
                map(&[("x", Value::Int(1)), ("y", Value::Null)]),
            ]),
        ),
        ("empty", map(&[])),
        ("none", Value::Seq(vec![])),
        ("nested", map(&[("k", map(&[("deep", Value::Bool(true))]))])),
    ]);
    let want = "empty: {}\nlist:\n- a\n- - b\n  - c\n- x: 1\n  \"y\": null\nnested:\n  k:\n    deep: true\nnone: []\n";
    assert_eq!(emit(&v).unwrap(), want);
}

#[test]
fn folding_at_80() {
    let long = ["word"; 30].join(" ");
    let got = emit(&map(&[("k", s(&long))])).unwrap();
    let want = "k: word word word word word word word word word word word word word word word word\n  word word word word word word word word word word word word word word\n";
    assert_eq!(got, want);
}

#[test]
fn long_and_multiline_keys() {
    let long_key = "k".repeat(130);
    let got = emit(&map(&[(&long_key, s("v"))])).unwrap();
    assert_eq!(got, format!("? {long_key}\n: v\n"));
    let got = emit(&map(&[("a\nb", Value::Seq(vec![s("x")]))])).unwrap();
    assert_eq!(got, "? |-\n  a\n  b\n: - x\n");
}

#[test]
fn numbers() {
    let cases: &[(Value, &str)] = &[
        (Value::Int(-5), "-5\n"),
        (Value::Uint(u64::MAX), "18446744073709551615\n"),
        (Value::Float(1e6), "1e+06\n"),
        (Value::Float(0.1), "0.1\n"),
        (Value::Float(f64::INFINITY), ".inf\n"),
    ];
    for (v, want) in cases {
        assert_eq!(emit(v).unwrap(), *want, "{v:?}");
    }
}

#[test]
fn roundtrip_numbers_and_strings() {
    let cases: &[(Value, Value)] = &[
        (Value::Float(1.0), Value::Int(1)),
        (Value::Float(-0.0), Value::Int(0)),
        (Value::Float(1e19), Value::Uint(10_000_000_000_000_000_000)),
        (Value::Float(1e20), Value::Float(1e20)),
        (Value::Float(1e21), Value::Float(1e21)),
        (Value::Float(1152921504606846976.0), Value::Int(1152921504606847000)),
        (Value::Uint(5), Value::Int(5)),
        (s("a\u{85}b"), s("a b")),
        (s("a \u{85}\u{85} b"), s("a\nb")),
    ];
    for (input, want) in cases {
        assert_eq!(&json_roundtrip(input).unwrap(), want, "{input:?}");
    }
    for bad in [Value::Float(f64::NAN), Value::Float(f64::NEG_INFINITY), s("a\u{7f}")] {
        assert!(json_roundtrip(&bad).is_err(), "{bad:?}");
    }
}

#[test]
fn streams() {
    assert_eq!(emit_stream(&[]).unwrap(), "");
    assert_eq!(emit_stream(&[map(&[("a", Value::Int(1))]), map(&[])]).unwrap(), "a: 1\n---\n{}\n");
}

#[test]
fn depth_is_bounded() {
    let mut v = Value::Null;
    for _ in 0..(writer::MAX_DEPTH + 5) {
        v = Value::Seq(vec![v]);
    }
    assert!(emit(&v).is_err());
    let mut ok = Value::Null;
    for _ in 0..writer::MAX_DEPTH {
        ok = Value::Seq(vec![ok]);
    }
    assert!(emit(&ok).is_ok());
}
