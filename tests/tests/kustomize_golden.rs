//! Differential test against the real kustomize v5.8.1.
//!
//! Every directory under `tests/fixtures/kustomize/` is one case: a kustomization
//! root, plus `expected.yaml` (what `kustomize build` printed) or `expected.err`
//! (its stderr when it failed), an optional `args` file (extra flags), an optional
//! `root` file (a sub-directory to build) and, for failures, a `fault` file: the
//! substring (or `|`-separated alternatives) that our one-line message must contain.
//! Every directory under `tests/fixtures/examples/` names, in its `root` file, a
//! directory under the repository's `examples/` to build.
//!
//! The goldens are written by `scripts/update-goldens.sh` (see README.md); this
//! test never runs kustomize itself.

use std::fmt::Write as _;
use std::fs;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use gitops_kustomize::{LoadRestrictor, Options, Reorder, build_yaml};

/// Cases that are allowed to differ, each with the reason. Keep this EMPTY:
/// only the lead adds entries here, for differences that are understood and
/// scheduled (`"NNN-case-name", // why`).
const KNOWN_FAILURES: &[&str] = &[];

/// How many mismatches are printed in full.
const SHOWN_DIFFS: usize = 5;

/// What the golden says kustomize did.
enum Expected {
    /// `kustomize build` printed this on stdout.
    Output(Vec<u8>),
    /// It failed; we must fail too, naming one of these (any message if empty).
    Failure { faults: Vec<String> },
}

struct Case {
    name: String,
    build_dir: PathBuf,
    args: String,
    expected: Expected,
}

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

fn read_trimmed(path: &Path) -> Option<String> {
    fs::read_to_string(path).ok().map(|s| s.trim().to_string())
}

fn load_case(dir: &Path, examples_root: Option<&Path>) -> Result<Case, String> {
    let name = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let root = read_trimmed(&dir.join("root"));
    let build_dir = match (examples_root, root) {
        (Some(ex), Some(r)) => ex.join(r),
        (Some(_), None) => return Err(format!("{name}: example case without a `root` file")),
        (None, Some(r)) => dir.join(r),
        (None, None) => dir.to_path_buf(),
    };
    let args = read_trimmed(&dir.join("args")).unwrap_or_default();
    let expected = if let Ok(out) = fs::read(dir.join("expected.yaml")) {
        Expected::Output(out)
    } else if dir.join("expected.err").is_file() {
        // Without a `fault` file we only require that we fail with one line.
        let faults = read_trimmed(&dir.join("fault"))
            .map(|f| f.split('|').map(str::to_string).collect())
            .unwrap_or_default();
        Expected::Failure { faults }
    } else {
        return Err(format!(
            "{name}: no expected.yaml or expected.err (run scripts/update-goldens.sh)"
        ));
    };
    Ok(Case { name, build_dir, args, expected })
}

fn list_cases(sub: &str, examples_root: Option<&Path>) -> Vec<Case> {
    let base = fixtures_dir().join(sub);
    let mut dirs: Vec<PathBuf> = match fs::read_dir(&base) {
        Ok(rd) => rd.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.is_dir()).collect(),
        Err(e) => panic!("cannot read {}: {e}", base.display()),
    };
    dirs.sort();
    dirs.iter()
        .map(|d| load_case(d, examples_root).unwrap_or_else(|e| panic!("bad fixture: {e}")))
        .collect()
}

/// Turn the `args` file into build options, as the CLI would. An invalid
/// flag value is an error (the CLI's failure, which some cases expect).
fn parse_args(args: &str) -> Result<Options, String> {
    let mut opts = Options::default();
    let mut words = args.split_whitespace().flat_map(|w| {
        // Accept both `--flag value` and `--flag=value`.
        match w.split_once('=') {
            Some((f, v)) if f.starts_with("--") => vec![f.to_string(), v.to_string()],
            _ => vec![w.to_string()],
        }
    });
    while let Some(flag) = words.next() {
        let value = words.next().ok_or_else(|| format!("flag {flag} needs a value"))?;
        match (flag.as_str(), value.as_str()) {
            ("--reorder", "legacy") => opts.reorder = Reorder::Legacy,
            ("--reorder", "none") => opts.reorder = Reorder::None,
            ("--reorder", v) => {
                return Err(format!(
                    "illegal flag value --reorder {v}; legal values: [legacy none]"
                ));
            }
            ("--load-restrictor", "LoadRestrictionsRootOnly") => {
                opts.load_restrictor = LoadRestrictor::RootOnly
            }
            ("--load-restrictor", "LoadRestrictionsNone") => {
                opts.load_restrictor = LoadRestrictor::None
            }
            ("--load-restrictor", v) => {
                return Err(format!("illegal flag value --load-restrictor {v}"));
            }
            (f, _) => return Err(format!("unknown flag {f}")),
        }
    }
    Ok(opts)
}

/// Run one case; `Err` holds a report of the difference.
fn run_case(case: &Case) -> Result<(), String> {
    let result = match parse_args(&case.args) {
        Err(e) => Err(e),
        Ok(opts) => match catch_unwind(AssertUnwindSafe(|| build_yaml(&case.build_dir, &opts))) {
            Ok(r) => r.map_err(|e| e.to_string()),
            Err(_) => return Err("build_yaml panicked".to_string()),
        },
    };
    match (&case.expected, result) {
        (Expected::Output(want), Ok(got)) => {
            if got.as_bytes() == want.as_slice() {
                Ok(())
            } else {
                Err(line_diff(&String::from_utf8_lossy(want), &got))
            }
        }
        (Expected::Output(_), Err(e)) => Err(format!("kustomize succeeded, we failed: {e}")),
        (Expected::Failure { .. }, Ok(got)) => {
            Err(format!("kustomize failed, we succeeded with {} bytes of output", got.len()))
        }
        (Expected::Failure { faults }, Err(e)) => {
            if e.contains('\n') {
                Err(format!("our error message is not one line: {e:?}"))
            } else if !faults.is_empty() && !faults.iter().any(|f| e.contains(f.as_str())) {
                Err(format!("our error does not name any of {faults:?}: {e}"))
            } else {
                Ok(())
            }
        }
    }
}

/// A minimal line diff: common head and tail are skipped; the middle is shown
/// as an LCS diff when small, else as the first differing lines.
fn line_diff(want: &str, got: &str) -> String {
    let a: Vec<&str> = want.split_inclusive('\n').collect();
    let b: Vec<&str> = got.split_inclusive('\n').collect();
    let head = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let tail =
        a[head..].iter().rev().zip(b[head..].iter().rev()).take_while(|(x, y)| x == y).count();
    let (mid_a, mid_b) = (&a[head..a.len() - tail], &b[head..b.len() - tail]);
    let show = |s: &str| match s.strip_suffix('\n') {
        Some("") => "⟨blank line⟩".to_string(),
        Some(l) => l.to_string(),
        None => format!("{s}⏎(no newline)"),
    };
    // First line: a one-line summary (used in the short list of failures).
    let mut out = format!(
        "output differs from line {}: -{} +{}\n--- kustomize (expected)\n+++ gitops (got)\n",
        head + 1,
        mid_a.first().map_or("(end)".to_string(), |l| show(l)),
        mid_b.first().map_or("(end)".to_string(), |l| show(l)),
    );
    const MAX_LCS: usize = 300;
    if mid_a.len() <= MAX_LCS && mid_b.len() <= MAX_LCS {
        // Classic LCS table, then walk it.
        let (n, m) = (mid_a.len(), mid_b.len());
        let mut t = vec![vec![0u16; m + 1]; n + 1];
        for i in (0..n).rev() {
            for j in (0..m).rev() {
                t[i][j] = if mid_a[i] == mid_b[j] {
                    t[i + 1][j + 1] + 1
                } else {
                    t[i + 1][j].max(t[i][j + 1])
                };
            }
        }
        let (mut i, mut j, mut lines) = (0, 0, 0);
        while (i < n || j < m) && lines < 40 {
            if i < n && j < m && mid_a[i] == mid_b[j] {
                let _ = writeln!(out, " {}", show(mid_a[i]));
                i += 1;
                j += 1;
            } else if i < n && (j == m || t[i + 1][j] >= t[i][j + 1]) {
                let _ = writeln!(out, "-{}", show(mid_a[i]));
                i += 1;
            } else {
                let _ = writeln!(out, "+{}", show(mid_b[j]));
                j += 1;
            }
            lines += 1;
        }
        if i < n || j < m {
            out.push_str("… (diff truncated)\n");
        }
    } else {
        for l in mid_a.iter().take(10) {
            let _ = writeln!(out, "-{}", show(l));
        }
        for l in mid_b.iter().take(10) {
            let _ = writeln!(out, "+{}", show(l));
        }
        let _ = writeln!(out, "… ({} vs {} differing lines)", mid_a.len(), mid_b.len());
    }
    out
}

fn run_all(label: &str, cases: &[Case]) {
    let mut failures: Vec<(String, String)> = Vec::new();
    let mut known_hit = Vec::new();
    for case in cases {
        if let Err(report) = run_case(case) {
            if KNOWN_FAILURES.contains(&case.name.as_str()) {
                known_hit.push(case.name.clone());
            } else {
                failures.push((case.name.clone(), report));
            }
        }
    }
    let total = cases.len();
    let identical = total - failures.len() - known_hit.len();
    println!("{label}: {identical} of {total} identical");
    if !known_hit.is_empty() {
        println!("{label}: {} known failures still failing: {known_hit:?}", known_hit.len());
    }
    for (name, report) in failures.iter().take(SHOWN_DIFFS) {
        println!("\n==== {name}\n{report}");
    }
    if failures.len() > SHOWN_DIFFS {
        println!("\n… and {} more:", failures.len() - SHOWN_DIFFS);
        for (name, report) in &failures[SHOWN_DIFFS..] {
            let first = report.lines().next().unwrap_or_default();
            println!("  {name}: {first}");
        }
    }
    assert!(failures.is_empty(), "{label}: {} of {total} cases differ", failures.len());
}

#[test]
fn kustomize_goldens() {
    let cases = list_cases("kustomize", None);
    assert!(cases.len() >= 260, "expected at least 260 fixture cases, found {}", cases.len());
    run_all("kustomize goldens", &cases);
}

#[test]
fn example_goldens() {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join("examples");
    let cases = list_cases("examples", Some(&examples));
    assert!(!cases.is_empty(), "no example cases");
    run_all("example goldens", &cases);
}

#[test]
fn known_failures_name_real_cases() {
    let cases = list_cases("kustomize", None);
    for known in KNOWN_FAILURES {
        assert!(cases.iter().any(|c| c.name == *known), "KNOWN_FAILURES names no case: {known}");
    }
}

#[test]
fn args_parsing() {
    let cases: &[(&str, Option<(Reorder, LoadRestrictor)>)] = &[
        ("", Some((Reorder::Legacy, LoadRestrictor::RootOnly))),
        ("--reorder none", Some((Reorder::None, LoadRestrictor::RootOnly))),
        ("--reorder=legacy", Some((Reorder::Legacy, LoadRestrictor::RootOnly))),
        ("--load-restrictor LoadRestrictionsNone", Some((Reorder::Legacy, LoadRestrictor::None))),
        (
            "--reorder none --load-restrictor=LoadRestrictionsNone",
            Some((Reorder::None, LoadRestrictor::None)),
        ),
        ("--reorder sideways", None),
        ("--reorder", None),
        ("--frobnicate x", None),
    ];
    for (args, want) in cases {
        let got = parse_args(args).ok().map(|o| (o.reorder, o.load_restrictor));
        assert_eq!(got, *want, "args {args:?}");
    }
}

#[test]
fn line_diff_shows_changed_line() {
    let d = line_diff("a\nb\nc\n", "a\nB\nc\n");
    assert!(d.contains("-b\n") && d.contains("+B\n"), "{d}");
    let d = line_diff("a\n", "a");
    assert!(d.contains("(no newline)"), "{d}");
}
