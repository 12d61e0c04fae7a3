//! Differential goldens for the go-yaml v2 emitter.
//!
//! `tests/data/emit/cases.jsonl` holds JSON inputs and what the Go oracle
//! (`sigs.k8s.io/yaml.JSONToYAML`: go-yaml v2 Unmarshal, then v2 Marshal) printed for
//! them; regenerate with `scripts/regen-emit-goldens.sh`. Each input is read here as v2
//! reads JSON (numbers: i64, else u64, else f64; keys are strings) and emitted with
//! `gitops_core::yaml::emit`; the text must match byte for byte.

use gitops_core::yaml::{Mapping, Value, emit};

/// Cases known to differ, with the reason. Empty: every case matches.
const KNOWN_FAILURES: &[(usize, &str)] = &[];

struct Json<'a> {
    s: &'a [u8],
    i: usize,
}

impl<'a> Json<'a> {
    fn ws(&mut self) {
        while self.i < self.s.len() && matches!(self.s[self.i], b' ' | b'\t' | b'\n' | b'\r') {
            self.i += 1;
        }
    }

    fn value(&mut self) -> Result<Value, String> {
        self.ws();
        let c = *self.s.get(self.i).ok_or("unexpected end")?;
        match c {
            b'{' => {
                self.i += 1;
                let mut m = Mapping::new();
                self.ws();
                if self.s.get(self.i) == Some(&b'}') {
                    self.i += 1;
                    return Ok(Value::Map(m));
                }
                loop {
                    self.ws();
                    let k = self.string()?;
                    self.ws();
                    if self.s.get(self.i) != Some(&b':') {
                        return Err(format!("expected ':' at {}", self.i));
                    }
                    self.i += 1;
                    let v = self.value()?;
                    m.insert(k, v);
                    self.ws();
                    match self.s.get(self.i) {
                        Some(b',') => self.i += 1,
                        Some(b'}') => {
                            self.i += 1;
                            return Ok(Value::Map(m));
                        }
                        _ => return Err(format!("bad object at {}", self.i)),
                    }
                }
            }
            b'[' => {
                self.i += 1;
                let mut items = Vec::new();
                self.ws();
                if self.s.get(self.i) == Some(&b']') {
                    self.i += 1;
                    return Ok(Value::Seq(items));
                }
                loop {
                    items.push(self.value()?);
                    self.ws();
                    match self.s.get(self.i) {
                        Some(b',') => self.i += 1,
                        Some(b']') => {
                            self.i += 1;
                            return Ok(Value::Seq(items));
                        }
                        _ => return Err(format!("bad array at {}", self.i)),
                    }
                }
            }
            b'"' => Ok(Value::String(self.string()?)),
            b't' if self.s[self.i..].starts_with(b"true") => {
                self.i += 4;
                Ok(Value::Bool(true))
            }
            b'f' if self.s[self.i..].starts_with(b"false") => {
                self.i += 5;
                Ok(Value::Bool(false))
            }
            b'n' if self.s[self.i..].starts_with(b"null") => {
                self.i += 4;
                Ok(Value::Null)
            }
            _ => {
                let start = self.i;
                while self.i < self.s.len()
                    && matches!(self.s[self.i], b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E')
                {
                    self.i += 1;
                }
                let t = std::str::from_utf8(&self.s[start..self.i]).map_err(|e| e.to_string())?;
                // v2's resolver on the number text: int, else uint, else float.
                if let Ok(i) = t.parse::<i64>() {
                    Ok(Value::Int(i))
                } else if let Ok(u) = t.parse::<u64>() {
                    Ok(Value::Uint(u))
                } else {
                    t.parse::<f64>().map(Value::Float).map_err(|e| format!("{t}: {e}"))
                }
            }
        }
    }

    fn hex4(&mut self) -> Result<u32, String> {
        let h = self.s.get(self.i..self.i + 4).ok_or("short \\u")?;
        self.i += 4;
        u32::from_str_radix(std::str::from_utf8(h).map_err(|e| e.to_string())?, 16)
            .map_err(|e| e.to_string())
    }

    fn string(&mut self) -> Result<String, String> {
        if self.s.get(self.i) != Some(&b'"') {
            return Err(format!("expected string at {}", self.i));
        }
        self.i += 1;
        let mut out = Vec::new();
        loop {
            let c = *self.s.get(self.i).ok_or("unterminated string")?;
            self.i += 1;
            match c {
                b'"' => break,
                b'\\' => {
                    let e = *self.s.get(self.i).ok_or("bad escape")?;
                    self.i += 1;
                    let ch = match e {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => {
                            let mut v = self.hex4()?;
                            if (0xD800..0xDC00).contains(&v) && self.s[self.i..].starts_with(b"\\u")
                            {
                                self.i += 2;
                                let lo = self.hex4()?;
                                v = 0x10000 + ((v - 0xD800) << 10) + (lo - 0xDC00);
                            }
                            char::from_u32(v).ok_or("bad code point")?
                        }
                        _ => return Err("bad escape".into()),
                    };
                    let mut b = [0u8; 4];
                    out.extend_from_slice(ch.encode_utf8(&mut b).as_bytes());
                }
                _ => out.push(c),
            }
        }
        String::from_utf8(out).map_err(|e| e.to_string())
    }
}

fn parse_json(text: &str) -> Result<Value, String> {
    let mut p = Json { s: text.as_bytes(), i: 0 };
    let v = p.value()?;
    p.ws();
    if p.i != p.s.len() {
        return Err(format!("trailing data at {}", p.i));
    }
    Ok(v)
}

fn field(line: &serde_json::Value, name: &str) -> String {
    line.get(name).and_then(|v| v.as_str()).unwrap_or_default().to_owned()
}

/// Run every case of a JSON-lines golden file (`{"input": …, "output": …}`), print
/// "N of M identical", list the first differences, and fail on any that is not a known
/// failure. `check` answers whether our result for `input` equals `want`, with what we got.
fn run_goldens(
    label: &str,
    data: &str,
    check: impl Fn(&str, &str) -> (bool, Result<String, String>),
) -> usize {
    let (mut total, mut same) = (0usize, 0usize);
    let mut failures = Vec::new();
    for (n, line) in data.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        total += 1;
        let case: serde_json::Value = serde_json::from_str(line).expect("golden line is JSON");
        let (input, want) = (field(&case, "input"), field(&case, "output"));
        match check(&input, &want) {
            (true, _) => same += 1,
            (false, got) => {
                if !KNOWN_FAILURES.iter().any(|&(i, _)| i == n + 1) {
                    failures.push((n + 1, input, want, got));
                }
            }
        }
    }
    println!("{label}: {same} of {total} identical");
    for (line, input, want, got) in failures.iter().take(8) {
        println!("--- line {line}: input {input}\n want {want:?}\n  got {got:?}");
    }
    assert!(failures.is_empty(), "{} of {total} cases differ", failures.len());
    total
}

#[test]
fn emit_matches_go_yaml_v2() {
    let total =
        run_goldens("emit goldens", include_str!("data/emit/cases.jsonl"), |input, want| {
            let got = parse_json(input)
                .map_err(|e| format!("input does not parse: {e}"))
                .and_then(|v| emit(&v).map_err(|e| e.to_string()));
            (got.as_deref() == Ok(want), got)
        });
    assert!(total >= 1500, "only {total} cases");
}

/// `roundtrip.jsonl`: JSON documents through the oracle's `kyaml` mode (kyaml decode,
/// `encoding/json`, go-yaml v2), compared with `to_kustomize_yaml` of the same document
/// read as kyaml reads it (integers as ints, other numbers as floats). A golden starting
/// with `ERROR: ` means the real stack failed, and we must fail too.
#[test]
fn to_kustomize_yaml_matches_kyaml_json_v2() {
    let data = include_str!("data/emit/roundtrip.jsonl");
    let total = run_goldens("roundtrip goldens", data, |input, want| {
        let got = parse_json(input)
            .map_err(|e| format!("input does not parse: {e}"))
            .and_then(|v| gitops_core::yaml::to_kustomize_yaml(&v).map_err(|e| e.to_string()));
        let ok = match (&got, want.strip_prefix("ERROR: ")) {
            (Err(_), Some(_)) => true,
            (Ok(g), None) => g == want,
            _ => false,
        };
        (ok, got)
    });
    assert!(total >= 500, "only {total} cases");
}

fn deployment(i: usize) -> Value {
    let j = |t: String| parse_json(&t).unwrap_or(Value::Null);
    j(format!(
        r#"{{"apiVersion":"apps/v1","kind":"Deployment","metadata":{{"name":"app-{i}","namespace":"team-{ns}",
        "labels":{{"app.kubernetes.io/name":"app-{i}","app.kubernetes.io/part-of":"platform","tier":"backend","version":"v1.{i}"}},
        "annotations":{{"description":"A fairly long description of deployment number {i} that goes past the eighty column limit and needs folding","checksum/config":"5f2b1c9e8d7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c"}}}},
        "spec":{{"replicas":3,"revisionHistoryLimit":10,"selector":{{"matchLabels":{{"app.kubernetes.io/name":"app-{i}"}}}},
        "template":{{"metadata":{{"labels":{{"app.kubernetes.io/name":"app-{i}","tier":"backend"}}}},
        "spec":{{"serviceAccountName":"app-{i}","containers":[{{"name":"main","image":"registry.example.com/team/app:1.2.{i}",
        "args":["--port=8080","--log-level=info","--enable-feature=true","yes"],
        "env":[{{"name":"A","value":"1"}},{{"name":"B","value":"true"}},{{"name":"C","value":"some value with spaces"}},{{"name":"D","value":"line1\nline2\n"}}],
        "ports":[{{"containerPort":8080,"name":"http","protocol":"TCP"}}],
        "resources":{{"limits":{{"cpu":"500m","memory":"256Mi"}},"requests":{{"cpu":0.25,"memory":"128Mi"}}}},
        "readinessProbe":{{"httpGet":{{"path":"/healthz","port":8080}},"initialDelaySeconds":5}},
        "volumeMounts":[{{"mountPath":"/etc/config","name":"config","readOnly":true}}]}}],
        "volumes":[{{"name":"config","configMap":{{"name":"app-{i}-config"}}}}],"tolerations":[],"nodeSelector":{{}}}}}}}}}}"#,
        ns = i % 17
    ))
}

/// Throughput of `emit` on a large Kubernetes-like stream, in MB of output per CPU second
/// of the running thread (the build machine is shared, so wall time is noisy). Run with
/// `cargo test --release -p gitops-core --test emit_golden -- --ignored --nocapture`.
#[test]
#[ignore]
fn emit_throughput() {
    let docs: Vec<Value> = (0..5000).map(deployment).collect();
    assert!(docs.iter().all(|d| !d.is_null()));
    let cpu = || -> f64 {
        std::fs::read_to_string("/proc/thread-self/schedstat")
            .ok()
            .and_then(|t| t.split_whitespace().next().and_then(|n| n.parse::<f64>().ok()))
            .map_or(0.0, |ns| ns / 1e9)
    };
    let report = |what: &str, bytes: usize, secs: f64| {
        println!(
            "{what}: {:.1} MB in {secs:.3} CPU s = {:.0} MB/s",
            bytes as f64 / 1e6,
            bytes as f64 / 1e6 / secs
        );
    };
    let mut out = String::new();
    let (c0, mut bytes) = (cpu(), 0usize);
    for _ in 0..5 {
        for d in &docs {
            out.clear();
            let _ = gitops_core::yaml::emit_into(d, &mut out);
            bytes += out.len();
        }
    }
    report("emit_into (reused buffer)", bytes, cpu() - c0);
    let (c0, mut bytes) = (cpu(), 0usize);
    for _ in 0..5 {
        bytes += gitops_core::yaml::emit_stream(&docs).map(|s| s.len()).unwrap_or(0);
    }
    report("emit_stream (one 8.7 MB string)", bytes, cpu() - c0);
    let (c0, mut bytes) = (cpu(), 0usize);
    for _ in 0..5 {
        for d in &docs {
            bytes += gitops_core::yaml::to_kustomize_yaml(d).map(|s| s.len()).unwrap_or(0);
        }
    }
    report("to_kustomize_yaml (per document)", bytes, cpu() - c0);
}
