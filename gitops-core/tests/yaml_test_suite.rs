//! Runs the yaml-test-suite (tests/data/yaml-test-suite) through our parser.
//!
//! Every case directory (and numbered sub-case directory) holds `in.yaml`; when it also
//! holds `error`, the input must be rejected, otherwise our events, formatted as the
//! suite's `test.event` lines, must match exactly. The test prints the pass counts and
//! fails when they fall below the recorded thresholds.
//!
//! Run: `cargo test -p gitops-core --test yaml_test_suite -- --nocapture`
//! (set `YAML_SUITE_VERBOSE=1` to list the failing cases).

use std::fs;
use std::path::{Path, PathBuf};

use gitops_core::yaml::{Limits, format_test_event, parse_events};

/// Valid cases whose event stream must match.
const MIN_VALID_PASS: usize = 308;
/// Error cases that must be rejected.
const MIN_ERROR_PASS: usize = 94;

fn cases(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut dirs: Vec<PathBuf> = fs::read_dir(root)
        .expect("suite data directory")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    for d in dirs {
        if d.join("in.yaml").exists() {
            out.push(d);
        } else {
            let mut subs: Vec<PathBuf> = fs::read_dir(&d)
                .expect("case directory")
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.join("in.yaml").exists())
                .collect();
            subs.sort();
            out.extend(subs);
        }
    }
    out
}

fn events(input: &str) -> Result<Vec<String>, String> {
    let limits = Limits::default();
    parse_events(input, &limits)
        .map(|evs| evs.iter().map(format_test_event).collect())
        .map_err(|e| e.to_string())
}

#[test]
fn yaml_test_suite() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/yaml-test-suite");
    let verbose = std::env::var_os("YAML_SUITE_VERBOSE").is_some();
    let (mut valid, mut valid_ok, mut errs, mut errs_ok) = (0, 0, 0, 0);
    for case in cases(&root) {
        let name = case.strip_prefix(&root).unwrap_or(&case).display().to_string();
        let input = match fs::read(case.join("in.yaml")).map(String::from_utf8) {
            Ok(Ok(s)) => s,
            _ => continue,
        };
        let got = std::panic::catch_unwind(|| events(&input));
        let Ok(got) = got else {
            panic!("{name}: the parser panicked");
        };
        if case.join("error").exists() {
            errs += 1;
            if got.is_err() {
                errs_ok += 1;
            } else if verbose {
                println!("FAIL(accepted) {name}");
            }
        } else {
            valid += 1;
            let want = fs::read_to_string(case.join("test.event")).unwrap_or_default();
            let want: Vec<&str> = want.lines().collect();
            match got {
                Ok(lines) if lines == want => valid_ok += 1,
                Ok(lines) => {
                    if verbose {
                        println!("FAIL(events) {name}");
                        for (i, w) in want.iter().enumerate() {
                            let g = lines.get(i).map(String::as_str).unwrap_or("<none>");
                            if g != *w {
                                println!("  line {i}: want {w:?} got {g:?}");
                                break;
                            }
                        }
                    }
                }
                Err(e) => {
                    if verbose {
                        println!("FAIL(error) {name}: {e}");
                    }
                }
            }
        }
    }
    println!("yaml-test-suite: valid {valid_ok} of {valid}, errors rejected {errs_ok} of {errs}");
    assert!(valid_ok >= MIN_VALID_PASS, "valid cases passing fell to {valid_ok}");
    assert!(errs_ok >= MIN_ERROR_PASS, "error cases rejected fell to {errs_ok}");
}

/// Every valid case also composes into documents, and no prefix or single-byte mutation
/// of any case makes the parser panic.
#[test]
fn yaml_test_suite_compose_and_no_panic() {
    use gitops_core::yaml::{Error, parse_stream};
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/yaml-test-suite");
    let limits = Limits::default();
    let mut composed = 0;
    for case in cases(&root) {
        let name = case.strip_prefix(&root).unwrap_or(&case).display().to_string();
        let Ok(input) = fs::read_to_string(case.join("in.yaml")) else { continue };
        let res = parse_stream(&input, &limits);
        if !case.join("error").exists() {
            match res {
                Ok(_) => composed += 1,
                // The suite has aliases to anchors defined later on purpose; nothing else
                // may fail to compose.
                Err(Error::UnknownAnchor { .. }) => {}
                Err(e) => panic!("{name}: {e}"),
            }
        }
        let cuts: Vec<usize> = (0..=input.len()).filter(|&i| input.is_char_boundary(i)).collect();
        for &i in &cuts {
            let r = std::panic::catch_unwind(|| {
                let _ = parse_stream(&input[..i], &limits);
            });
            assert!(r.is_ok(), "{name}: panic on prefix of {i} bytes");
        }
        for (i, c) in input.char_indices() {
            for repl in [" ", "\t", "\n", ":", "-", "[", "{", "\"", "'", "|", "#", "!", "&", "*"] {
                let mut m = String::with_capacity(input.len() + 1);
                m.push_str(&input[..i]);
                m.push_str(repl);
                m.push_str(&input[i + c.len_utf8()..]);
                let r = std::panic::catch_unwind(|| {
                    let _ = parse_stream(&m, &limits);
                });
                assert!(r.is_ok(), "{name}: panic on mutation at {i} with {repl:?}");
            }
        }
    }
    println!("composed {composed} valid cases");
    assert!(composed >= 300, "only {composed} valid cases composed");
}
