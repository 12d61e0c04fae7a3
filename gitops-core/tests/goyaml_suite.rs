//! The yaml-test-suite inputs read by go-yaml v3 as kyaml reads them (the oracle's
//! `tojson-v3`: one `Decoder.Decode`, then `RNode.MarshalJSON`), against our parser in the
//! [`Dialect::GoYamlV3`] dialect with the Kyaml resolution profile.
//!
//! Goldens: `tests/data/goyaml-suite/` (regenerate with `scripts/regen-goyaml-suite.sh`).
//! The test prints "N of M identical" and fails if fewer than [`FLOOR`] agree.

use gitops_core::yaml::{
    Dialect, Limits, NodeKind, ParseOptions, Profile, Value, parse_stream_with, resolve,
};

/// How many cases must agree (raise it as differences are fixed).
const FLOOR: usize = 335;

fn ours(text: &str) -> Result<Value, String> {
    let limits = Limits::default();
    let docs = parse_stream_with(text, &ParseOptions { limits, dialect: Dialect::GoYamlV3 })
        .map_err(|e| e.to_string())?;
    let doc = docs.first().ok_or("no document (EOF)")?;
    // MarshalJSON refuses a document whose root is not a mapping or sequence.
    match doc.root.as_ref().map(|r| &r.kind) {
        Some(NodeKind::Mapping { .. } | NodeKind::Sequence { .. }) => {}
        _ => return Err("root is not a mapping or sequence".into()),
    }
    resolve(doc, Profile::Kyaml, &limits).map_err(|e| e.to_string())
}

fn same_json(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    use serde_json::Value as J;
    match (a, b) {
        (J::Number(x), J::Number(y)) => match (x.as_i64(), y.as_i64(), x.as_u64(), y.as_u64()) {
            (Some(p), Some(q), _, _) => p == q,
            (_, _, Some(p), Some(q)) => p == q,
            _ => x.as_f64() == y.as_f64(),
        },
        (J::Array(x), J::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same_json(p, q))
        }
        (J::Object(x), J::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same_json(v, w)))
        }
        _ => a == b,
    }
}

#[test]
fn goyaml_v3_reads_the_suite_as_go_yaml() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data");
    let names = std::fs::read_to_string(format!("{dir}/goyaml-suite/names.txt")).unwrap();
    let outs = std::fs::read(format!("{dir}/goyaml-suite/tojson-v3.out0")).unwrap();
    let outs: Vec<String> =
        outs.split(|&b| b == 0).map(|s| String::from_utf8_lossy(s).into_owned()).collect();
    let mut total = 0;
    let mut identical = 0;
    let mut differ = Vec::new();
    for (name, oracle) in names.lines().zip(&outs) {
        let Ok(text) = std::fs::read_to_string(format!("{dir}/yaml-test-suite/{name}/in.yaml"))
        else {
            continue;
        };
        total += 1;
        let got = ours(&text);
        let agree = match (oracle.strip_prefix("ERROR: "), &got) {
            (Some(_), Err(_)) => true,
            (None, Ok(v)) => serde_json::from_str::<serde_json::Value>(oracle)
                .is_ok_and(|want| same_json(&want, &serde_json::Value::from(v))),
            _ => false,
        };
        if agree {
            identical += 1;
        } else {
            let got = got.map(|v| serde_json::Value::from(&v).to_string());
            differ.push(format!("{name}: oracle {oracle:?}, ours {got:?}"));
        }
    }
    println!("go-yaml v3 suite: {identical} of {total} identical");
    for d in &differ {
        println!("  {d}");
    }
    assert!(total > 0);
    assert!(identical >= FLOOR, "{identical} of {total} identical, floor {FLOOR}");
}
