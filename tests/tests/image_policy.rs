//! ImagePolicy selection: tables whose expected results come from the real libraries
//! (Masterminds/semver v3.5.0 and Go's regexp/strconv, driven by a small Go program with
//! image-reflector-controller's selection steps; candidates in first-appearance order).
use gitops_core::image::goregex;
use gitops_core::image::policy::{self, Error, Policy, exclude_tags, parse_go_float};
use gitops_core::image::semver::{Constraints, Version};
use gitops_core::yaml::{Mapping, Value};

type Row = (
    &'static str,
    &'static str,
    &'static str,
    Option<(&'static str, &'static str)>,
    &'static [&'static str],
    Result<&'static str, &'static str>,
);

const POLICY_CASES: &[Row] = &[
    ("semver basic", "semver", "1.0.x", None, &["1.0.0", "1.0.1", "1.0.10", "1.1.0"], Ok("1.0.10")),
    ("semver caret", "semver", "^1.0", None, &["1.0.0", "1.9.3", "2.0.0", "1.10.0"], Ok("1.10.0")),
    ("semver exact", "semver", "=1.0.0", None, &["1.0.0", "1.0.1"], Ok("1.0.0")),
    ("semver tilde", "semver", "~1.0", None, &["1.0.0", "1.0.9", "1.1.0"], Ok("1.0.9")),
    ("semver gte", "semver", ">=1.0", None, &["0.9.0", "1.0.0", "3.4.5"], Ok("3.4.5")),
    ("semver and comma", "semver", ">0,<2.0", None, &["0.1.0", "1.9.9", "2.0.0"], Ok("1.9.9")),
    (
        "semver v prefix data",
        "semver",
        ">=1.0.0",
        None,
        &["v1.0.0", "v1.2.0", "v1.1.9"],
        Ok("v1.2.0"),
    ),
    ("semver v prefix range", "semver", ">=v1.0.0", None, &["1.0.0", "1.4.0"], Ok("1.4.0")),
    (
        "semver mixed prefixes",
        "semver",
        ">=1.0.0",
        None,
        &["1.3.0", "v1.4.0", "1.3.9"],
        Ok("v1.4.0"),
    ),
    ("semver skips prerelease", "semver", ">=1.0.0", None, &["1.0.0", "1.1.0-rc.1"], Ok("1.0.0")),
    (
        "semver includes prerelease",
        "semver",
        ">=1.0.0-0",
        None,
        &["1.0.0", "1.1.0-rc.1"],
        Ok("1.1.0-rc.1"),
    ),
    (
        "semver rc numeric",
        "semver",
        ">=1.0.0-0",
        None,
        &["1.0.0-rc.9", "1.0.0-rc.10"],
        Ok("1.0.0-rc.10"),
    ),
    (
        "semver rc lexical",
        "semver",
        ">=1.0.0-0",
        None,
        &["1.0.0-rc9", "1.0.0-rc10"],
        Ok("1.0.0-rc9"),
    ),
    ("semver release beats rc", "semver", ">=1.0.0-0", None, &["1.0.0-rc.9", "1.0.0"], Ok("1.0.0")),
    (
        "semver ignores non-semver",
        "semver",
        "*",
        None,
        &["latest", "main", "1.2", "1.2.3.4", "0.1.0"],
        Ok("0.1.0"),
    ),
    (
        "semver none match",
        "semver",
        ">=5.0.0",
        None,
        &["1.0.0", "2.0.0"],
        Err("unable to determine latest version from provided list"),
    ),
    (
        "semver empty list",
        "semver",
        ">=1.0.0",
        None,
        &[],
        Err("version list argument cannot be empty"),
    ),
    (
        "semver invalid range",
        "semver",
        "1.0.0p",
        None,
        &["1.0.0"],
        Err("improper constraint: \"1.0.0p\""),
    ),
    ("semver invalid range x1", "semver", "x1", None, &["1.0.0"], Err("constraint parser error")),
    ("semver empty range", "semver", "", None, &["1.0.0"], Err("improper constraint: \"\"")),
    (
        "semver leading zeros",
        "semver",
        ">=2025.1.0",
        None,
        &["v2025.02.03", "v2025.10.01", "v2025.9.30"],
        Ok("v2025.10.01"),
    ),
    (
        "semver calver rc",
        "semver",
        ">=2025.0.0-0",
        None,
        &["v2025.02.03-rc.1", "v2025.02.03-rc.2", "v2025.02.03"],
        Ok("v2025.02.03"),
    ),
    (
        "semver equal versions first wins",
        "semver",
        ">=1.0.0",
        None,
        &["1.0.0", "v1.0.0", "1.0.0+b"],
        Ok("1.0.0"),
    ),
    (
        "semver equal versions first wins 2",
        "semver",
        ">=1.0.0",
        None,
        &["v1.0.0+b", "1.0.0"],
        Ok("v1.0.0+b"),
    ),
    (
        "semver build metadata",
        "semver",
        "~1.2",
        None,
        &["1.2.3+build.1", "1.2.4+build.0"],
        Ok("1.2.4+build.0"),
    ),
    (
        "semver or groups",
        "semver",
        "<1.0.0 || >=3.0.0",
        None,
        &["0.9.0", "2.5.0", "1.0.0"],
        Ok("0.9.0"),
    ),
    (
        "semver hyphen",
        "semver",
        "1.1 - 2.0",
        None,
        &["1.0.0", "2.0.0", "2.0.9", "2.1.0"],
        Ok("2.0.9"),
    ),
    (
        "semver two-part coerced pre",
        "semver",
        ">=1.0.0-0",
        None,
        &["1.2-rc.1", "1.1.0"],
        Ok("1.2-rc.1"),
    ),
    ("semver caret zero", "semver", "^0.2.3", None, &["0.2.3", "0.2.9", "0.3.0"], Ok("0.2.9")),
    (
        "semver not equal",
        "semver",
        "!=1.2.3",
        None,
        &["1.2.3"],
        Err("unable to determine latest version from provided list"),
    ),
    ("semver wildcard all", "semver", "*", None, &["3.0.0-rc.1", "2.9.9"], Ok("2.9.9")),
    (
        "seed staging stable",
        "semver",
        ">=1.0.0",
        None,
        &[
            "v1.2.3-rc.3f2a1bc",
            "v1.2.3-rc.9e8d7c6",
            "v1.2.2",
            "v1.2.3",
            "production-latest",
            "v1.2.4-rc.0a0b0c0",
            "latest",
            "v1.2.3.sig",
            "sha256-abc.sig",
            "v1.3.0-rc.1234abc",
            "v1.2.10",
        ],
        Ok("v1.2.10"),
    ),
    (
        "seed develop rc",
        "semver",
        ">=1.0.0-0",
        None,
        &[
            "v1.2.3-rc.3f2a1bc",
            "v1.2.3-rc.9e8d7c6",
            "v1.2.2",
            "v1.2.3",
            "production-latest",
            "v1.2.4-rc.0a0b0c0",
            "latest",
            "v1.2.3.sig",
            "sha256-abc.sig",
            "v1.3.0-rc.1234abc",
            "v1.2.10",
        ],
        Ok("v1.3.0-rc.1234abc"),
    ),
    (
        "seed develop rc only",
        "semver",
        ">=1.2.3-rc.0 <1.2.4",
        None,
        &["v1.2.3-rc.3f2a1bc", "v1.2.3-rc.9e8d7c6", "v1.2.3-rc.0a1"],
        Ok("v1.2.3-rc.9e8d7c6"),
    ),
    (
        "seed develop rc filter",
        "semver",
        ">=1.0.0-0",
        Some(("^v\\d+\\.\\d+\\.\\d+-rc\\.[0-9a-f]+$", "")),
        &[
            "v1.2.3-rc.3f2a1bc",
            "v1.2.3-rc.9e8d7c6",
            "v1.2.2",
            "v1.2.3",
            "production-latest",
            "v1.2.4-rc.0a0b0c0",
            "latest",
            "v1.2.3.sig",
            "sha256-abc.sig",
            "v1.3.0-rc.1234abc",
            "v1.2.10",
        ],
        Ok("v1.3.0-rc.1234abc"),
    ),
    (
        "seed develop rc extract version",
        "semver",
        ">=1.0.0",
        Some(("^v(?P<version>\\d+\\.\\d+\\.\\d+)-rc\\.[0-9a-f]+$", "$version")),
        &[
            "v1.2.3-rc.3f2a1bc",
            "v1.2.3-rc.9e8d7c6",
            "v1.2.2",
            "v1.2.3",
            "production-latest",
            "v1.2.4-rc.0a0b0c0",
            "latest",
            "v1.2.3.sig",
            "sha256-abc.sig",
            "v1.3.0-rc.1234abc",
            "v1.2.10",
        ],
        Ok("v1.3.0-rc.1234abc"),
    ),
    (
        "seed staging filter anchored",
        "semver",
        ">=1.0.0",
        Some(("^v\\d+\\.\\d+\\.\\d+$", "")),
        &[
            "v1.2.3-rc.3f2a1bc",
            "v1.2.3-rc.9e8d7c6",
            "v1.2.2",
            "v1.2.3",
            "production-latest",
            "v1.2.4-rc.0a0b0c0",
            "latest",
            "v1.2.3.sig",
            "sha256-abc.sig",
            "v1.3.0-rc.1234abc",
            "v1.2.10",
        ],
        Ok("v1.2.10"),
    ),
    (
        "seed production alphabetical",
        "alphabetical",
        "asc",
        Some(("^production-latest$", "")),
        &[
            "v1.2.3-rc.3f2a1bc",
            "v1.2.3-rc.9e8d7c6",
            "v1.2.2",
            "v1.2.3",
            "production-latest",
            "v1.2.4-rc.0a0b0c0",
            "latest",
            "v1.2.3.sig",
            "sha256-abc.sig",
            "v1.3.0-rc.1234abc",
            "v1.2.10",
        ],
        Ok("production-latest"),
    ),
    ("alpha asc", "alphabetical", "asc", None, &["a", "c", "b"], Ok("c")),
    ("alpha desc", "alphabetical", "desc", None, &["b", "a", "c"], Ok("a")),
    ("alpha default", "alphabetical", "", None, &["b", "c", "a"], Ok("c")),
    ("alpha upper order", "alphabetical", "DESC", None, &["b", "c", "a"], Ok("a")),
    (
        "alpha calver",
        "alphabetical",
        "asc",
        None,
        &[
            "RELEASE.2023-01-31T08-42-01Z",
            "RELEASE.2023-02-01T00-00-00Z",
            "RELEASE.2022-12-31T23-59-59Z",
        ],
        Ok("RELEASE.2023-02-01T00-00-00Z"),
    ),
    (
        "alpha ubuntu",
        "alphabetical",
        "asc",
        None,
        &["xenial", "bionic", "focal", "jammy", "noble"],
        Ok("xenial"),
    ),
    (
        "alpha ubuntu desc",
        "alphabetical",
        "desc",
        None,
        &["xenial", "bionic", "focal", "jammy", "noble"],
        Ok("bionic"),
    ),
    ("alpha bytewise case", "alphabetical", "asc", None, &["Zebra", "apple", "Apple"], Ok("apple")),
    (
        "alpha bytewise desc case",
        "alphabetical",
        "desc",
        None,
        &["zebra", "Apple", "apple"],
        Ok("Apple"),
    ),
    ("alpha digits not numeric", "alphabetical", "asc", None, &["9", "10", "100"], Ok("9")),
    ("alpha unicode bytes", "alphabetical", "asc", None, &["é", "z", "e"], Ok("é")),
    (
        "alpha timestamps",
        "alphabetical",
        "asc",
        None,
        &["1652878000", "1652878100", "1652877000"],
        Ok("1652878100"),
    ),
    ("alpha empty", "alphabetical", "asc", None, &[], Err("version list argument cannot be empty")),
    (
        "alpha invalid order",
        "alphabetical",
        "up",
        None,
        &["a"],
        Err("invalid order argument provided: 'UP', must be one of: ASC, DESC"),
    ),
    (
        "alpha filter extract",
        "alphabetical",
        "asc",
        Some(("^main-[a-f]+-(?P<n>\\d+)$", "$n")),
        &["main-abc-1", "main-def-3", "dev-zzz-9"],
        Ok("main-def-3"),
    ),
    (
        "alpha filter none match",
        "alphabetical",
        "asc",
        Some(("^zzz$", "")),
        &["a", "b"],
        Err("version list argument cannot be empty"),
    ),
    ("numerical ints", "numerical", "asc", None, &["1", "10", "2", "9"], Ok("10")),
    ("numerical desc", "numerical", "desc", None, &["1", "10", "2", "9"], Ok("1")),
    ("numerical floats", "numerical", "asc", None, &["1.5", "1.25", "1.75"], Ok("1.75")),
    ("numerical negative", "numerical", "asc", None, &["-1", "-10", "-2"], Ok("-1")),
    ("numerical exp", "numerical", "asc", None, &["1e3", "999", "1000.5"], Ok("1000.5")),
    ("numerical underscores", "numerical", "asc", None, &["1_000", "999"], Ok("1_000")),
    ("numerical hexfloat", "numerical", "asc", None, &["0x1p4", "15"], Ok("0x1p4")),
    ("numerical inf", "numerical", "asc", None, &["1", "inf", "2"], Ok("inf")),
    (
        "numerical timestamps",
        "numerical",
        "asc",
        None,
        &["1652878000", "1652878100", "1652877000"],
        Ok("1652878100"),
    ),
    ("numerical single", "numerical", "asc", None, &["42"], Ok("42")),
    (
        "numerical invalid",
        "numerical",
        "asc",
        None,
        &["1", "two", "3"],
        Err("failed to parse invalid numeric value 'two'"),
    ),
    (
        "numerical invalid first",
        "numerical",
        "asc",
        None,
        &["v1", "1"],
        Err("failed to parse invalid numeric value 'v1'"),
    ),
    (
        "numerical out of range",
        "numerical",
        "asc",
        None,
        &["1e400"],
        Err("failed to parse invalid numeric value '1e400'"),
    ),
    (
        "numerical hex int",
        "numerical",
        "asc",
        None,
        &["0x10"],
        Err("failed to parse invalid numeric value '0x10'"),
    ),
    (
        "numerical empty",
        "numerical",
        "asc",
        None,
        &[],
        Err("version list argument cannot be empty"),
    ),
    ("numerical tie later wins", "numerical", "asc", None, &["1", "1.0", "01"], Ok("01")),
    ("numerical tie desc later wins", "numerical", "desc", None, &["2", "2.0"], Ok("2.0")),
    ("numerical nan", "numerical", "asc", None, &["1", "NaN"], Ok("NaN")),
    (
        "numerical filter ts",
        "numerical",
        "asc",
        Some(("^main-[a-f0-9]+-(?P<ts>[0-9]+)$", "$ts")),
        &["main-abc-1652878000", "main-def-1652878100", "dev-1", "latest"],
        Ok("main-def-1652878100"),
    ),
    (
        "numerical filter braces",
        "numerical",
        "asc",
        Some(("^build-(\\d+)$", "${1}")),
        &["build-7", "build-12", "build-3"],
        Ok("build-12"),
    ),
    (
        "numerical filter dollar dollar",
        "numerical",
        "asc",
        Some(("^b-(\\d+)$", "$1$$")),
        &["b-7", "b-12"],
        Err("failed to parse invalid numeric value '7$'"),
    ),
    (
        "numerical without filter fails",
        "numerical",
        "asc",
        None,
        &["build-7", "build-12"],
        Err("failed to parse invalid numeric value 'build-7'"),
    ),
    (
        "numerical order invalid",
        "numerical",
        "sideways",
        None,
        &["1"],
        Err("invalid order argument provided: 'SIDEWAYS', must be one of: ASC, DESC"),
    ),
    (
        "filter unanchored",
        "alphabetical",
        "asc",
        Some(("main-\\d", "")),
        &["xx-main-1", "main-2", "other"],
        Ok("xx-main-1"),
    ),
    ("filter empty pattern", "alphabetical", "asc", Some(("", "")), &["a", "b"], Ok("b")),
    (
        "filter invalid pattern",
        "alphabetical",
        "asc",
        Some(("^(main", "")),
        &["a"],
        Err(
            "failed to filter tags: invalid regular expression pattern '^(main': error parsing regexp: missing closing ): `^(main`",
        ),
    ),
    (
        "filter unknown group",
        "alphabetical",
        "asc",
        Some(("^main-(\\d)$", "$nope")),
        &["main-1", "main-2"],
        Ok("main-2"),
    ),
    (
        "filter extract overwrite later",
        "alphabetical",
        "asc",
        Some(("^(\\d)-\\w$", "$1")),
        &["1-a", "1-b", "0-c"],
        Ok("1-b"),
    ),
    (
        "filter extract constant",
        "alphabetical",
        "asc",
        Some(("^x\\d$", "same")),
        &["x1", "x2", "x3"],
        Ok("x3"),
    ),
    ("filter ascii digit", "alphabetical", "asc", Some(("^v\\d$", "")), &["v٤", "v2"], Ok("v2")),
    ("filter ascii word", "alphabetical", "asc", Some(("^\\w+$", "")), &["aé", "ab"], Ok("ab")),
    (
        "filter ascii space",
        "alphabetical",
        "asc",
        Some(("^a\\sb$", "")),
        &["a b", "a b"],
        Ok("a b"),
    ),
    (
        "filter named group braces",
        "semver",
        ">=1.0.0",
        Some(("^rel-(?P<v>.*)$", "${v}")),
        &["rel-1.2.3", "rel-1.10.0", "rel-x"],
        Ok("rel-1.10.0"),
    ),
    (
        "filter semver extract keeps original",
        "semver",
        "^1",
        Some(("^app-(v.*)$", "$1")),
        &["app-v1.0.0", "app-v1.5.0", "app-v2.0.0"],
        Ok("app-v1.5.0"),
    ),
    (
        "filter malformed dollar",
        "alphabetical",
        "asc",
        Some(("^t(\\d)$", "$-$1")),
        &["t1"],
        Ok("t1"),
    ),
    ("filter brace unclosed", "alphabetical", "asc", Some(("^t(\\d)$", "${1")), &["t1"], Ok("t1")),
    (
        "filter leading zero group",
        "alphabetical",
        "asc",
        Some(("^t(\\d)$", "$01|$1")),
        &["t1"],
        Ok("t1"),
    ),
    (
        "filter suffix greedy name",
        "alphabetical",
        "asc",
        Some(("^t(\\d)$", "$1x|${1}x")),
        &["t1"],
        Ok("t1"),
    ),
    (
        "filter case insensitive",
        "alphabetical",
        "asc",
        Some(("(?i)^main-\\d$", "")),
        &["Main-1", "main-2", "MAIN-3"],
        Ok("main-2"),
    ),
    (
        "filter class digit inside",
        "alphabetical",
        "asc",
        Some(("^a[\\d-]$", "")),
        &["a1", "a-", "ab"],
        Ok("a1"),
    ),
    (
        "filter negated class",
        "alphabetical",
        "asc",
        Some(("^a[^\\d]$", "")),
        &["a1", "ab", "a-"],
        Ok("ab"),
    ),
    (
        "filter quote meta",
        "alphabetical",
        "asc",
        Some(("^\\Qa.b\\E$", "")),
        &["a.b", "axb"],
        Ok("a.b"),
    ),
    (
        "filter word boundary",
        "alphabetical",
        "asc",
        Some(("\\bmain", "")),
        &["x-main", "xmain"],
        Ok("x-main"),
    ),
    (
        "semver filter empty result",
        "semver",
        ">=1.0.0",
        Some(("^v", "")),
        &["a", "b"],
        Err("version list argument cannot be empty"),
    ),
    (
        "semver prerelease filter rc",
        "semver",
        ">=0.0.0-0",
        None,
        &["1.0.0-rc.1", "1.0.0-beta.2", "1.0.0-alpha"],
        Ok("1.0.0-rc.1"),
    ),
    (
        "semver alpha vs numeric pre",
        "semver",
        ">=1.0.0-0",
        None,
        &["1.0.0-1", "1.0.0-alpha"],
        Ok("1.0.0-alpha"),
    ),
    (
        "semver longer pre wins",
        "semver",
        ">=1.0.0-0",
        None,
        &["1.0.0-rc", "1.0.0-rc.1"],
        Ok("1.0.0-rc.1"),
    ),
    (
        "semver big numbers",
        "semver",
        "*",
        None,
        &["18446744073709551615.0.0", "18446744073709551616.0.0"],
        Ok("18446744073709551615.0.0"),
    ),
    ("semver caret x", "semver", "^1.x", None, &["1.99.0", "2.0.0"], Ok("1.99.0")),
    ("semver lt prerelease", "semver", "<1.0.0-0", None, &["0.9.0", "1.0.0-rc.1"], Ok("0.9.0")),
    ("semver comma no space", "semver", ">=1.2.0,<1.3.0", None, &["1.2.9", "1.3.0"], Ok("1.2.9")),
    ("semver tilde gt", "semver", "~>2.1", None, &["2.1.5", "2.2.0"], Ok("2.1.5")),
    ("semver le x", "semver", "<=1.x", None, &["1.9.9", "2.0.0"], Ok("1.9.9")),
    ("semver gt patch dirty", "semver", ">1.2", None, &["1.2.9", "1.3.0"], Ok("1.3.0")),
    ("semver uppercase V", "semver", "*", None, &["V1.2.3", "1.0.0"], Ok("1.0.0")),
];

fn map(entries: Vec<(&str, Value)>) -> Value {
    let mut m = Mapping::new();
    for (k, v) in entries {
        m.insert(k.to_string(), v);
    }
    Value::Map(m)
}

fn s(v: &str) -> Value {
    Value::String(v.to_string())
}

fn policy_object(api_version: &str, kind: &str, arg: &str, filter: Option<(&str, &str)>) -> Value {
    let choice = match kind {
        "semver" => map(vec![("semver", map(vec![("range", s(arg))]))]),
        other => map(vec![(other, map(vec![("order", s(arg))]))]),
    };
    let mut spec = vec![("imageRepositoryRef", map(vec![("name", s("app"))])), ("policy", choice)];
    if let Some((pattern, extract)) = filter {
        spec.push(("filterTags", map(vec![("pattern", s(pattern)), ("extract", s(extract))])));
    }
    map(vec![
        ("apiVersion", s(api_version)),
        ("kind", s("ImagePolicy")),
        ("metadata", map(vec![("name", s("app")), ("namespace", s("flux-system"))])),
        ("spec", map(spec)),
    ])
}

#[test]
fn policy_table() {
    let mut failures = Vec::new();
    for (i, (name, kind, arg, filter, tags, want)) in POLICY_CASES.iter().enumerate() {
        let api = if i % 2 == 0 {
            "image.toolkit.fluxcd.io/v1"
        } else {
            "image.toolkit.fluxcd.io/v1beta2"
        };
        let obj = policy_object(api, kind, arg, *filter);
        let got = policy::select_latest(&obj, tags).map_err(|e| e.to_string());
        let ok = match (want, &got) {
            (Ok(w), Ok(g)) => w == g,
            (Err(w), Err(g)) if w.starts_with("failed to filter tags") => {
                // Go's regexp error detail differs; the prefix is Flux's.
                let cut = w.find("error parsing regexp: ").map_or(w.len(), |i| i + 22);
                g.starts_with(&w[..cut])
            }
            (Err(w), Err(g)) => w == g,
            _ => false,
        };
        if !ok {
            failures.push(format!("{name}: want {want:?}, got {got:?}"));
        }
    }
    assert!(POLICY_CASES.len() >= 100, "{}", POLICY_CASES.len());
    assert!(
        failures.is_empty(),
        "{} of {} failed:\n{}",
        failures.len(),
        POLICY_CASES.len(),
        failures.join("\n")
    );
}

enum R {
    Check(bool),
    BadTag,
    Err(&'static str),
}

const SEMVER_CASES: &[(&str, &str, R)] = &[
    (">=1.0.0", "1.0.0", R::Check(true)),
    (">=1.0.0", "v1.0.0", R::Check(true)),
    (">=1.0.0", "1.0.0-rc.1", R::Check(false)),
    (">=1.0.0-0", "1.0.0-rc.1", R::Check(true)),
    (">=1.0.0-0", "1.2.3-rc.abc123", R::Check(true)),
    (">1.0.0", "1.0.0", R::Check(false)),
    (">1.0", "1.0.5", R::Check(false)),
    (">1.0", "1.1.0", R::Check(true)),
    (">1", "1.9.9", R::Check(false)),
    (">1", "2.0.0", R::Check(true)),
    (">1.x", "1.5.0", R::Check(false)),
    (">1.2.x", "1.3.0", R::Check(true)),
    (">1.2.x", "1.2.9", R::Check(false)),
    ("<2.0.0", "1.9.9", R::Check(true)),
    ("<2.0.0", "2.0.0", R::Check(false)),
    ("<2.0.0", "2.0.0-rc.1", R::Check(false)),
    ("<=1.2", "1.2.9", R::Check(true)),
    ("<=1.2", "1.3.0", R::Check(false)),
    ("<=1.2.3", "1.2.3", R::Check(true)),
    ("<=1.2.3", "1.2.4", R::Check(false)),
    ("<=1", "1.9.0", R::Check(true)),
    ("<=1.x", "2.0.0", R::Check(false)),
    ("=1.2.3", "1.2.3", R::Check(true)),
    ("=1.2.3", "1.2.3+build.5", R::Check(true)),
    ("1.2.3", "v1.2.3", R::Check(true)),
    ("1.2", "1.2.7", R::Check(true)),
    ("1.2", "1.3.0", R::Check(false)),
    ("1.x", "1.99.0", R::Check(true)),
    ("1.x", "2.0.0", R::Check(false)),
    ("*", "5.6.7", R::Check(true)),
    ("*", "5.6.7-beta", R::Check(false)),
    ("x", "0.0.0", R::Check(true)),
    ("!=1.2.3", "1.2.4", R::Check(true)),
    ("!=1.2.3", "1.2.3", R::Check(false)),
    ("!=1.2", "1.2.5", R::Check(false)),
    ("!=1.2", "1.3.0", R::Check(true)),
    ("!=1.x", "1.0.0", R::Check(false)),
    ("!=1.x", "2.0.0", R::Check(true)),
    ("!=1.2.x", "1.2.0-rc.1", R::Check(false)),
    ("~1.2.3", "1.2.9", R::Check(true)),
    ("~1.2.3", "1.3.0", R::Check(false)),
    ("~1.2.3", "1.2.2", R::Check(false)),
    ("~1.2", "1.2.0", R::Check(true)),
    ("~1.2", "1.3.0", R::Check(false)),
    ("~1", "1.9.9", R::Check(true)),
    ("~1", "2.0.0", R::Check(false)),
    ("~0", "0.9.0", R::Check(true)),
    ("~0.0.0", "5.0.0", R::Check(true)),
    ("~>1.2.3", "1.2.5", R::Check(true)),
    ("^1.2.3", "1.9.9", R::Check(true)),
    ("^1.2.3", "2.0.0", R::Check(false)),
    ("^1.2.3", "1.2.2", R::Check(false)),
    ("^0.2.3", "0.2.9", R::Check(true)),
    ("^0.2.3", "0.3.0", R::Check(false)),
    ("^0.0.3", "0.0.3", R::Check(true)),
    ("^0.0.3", "0.0.4", R::Check(false)),
    ("^0", "0.9.0", R::Check(true)),
    ("^0", "1.0.0", R::Check(false)),
    ("^0.0", "0.0.5", R::Check(true)),
    ("^0.0", "0.1.0", R::Check(false)),
    ("^1.x", "1.5.0", R::Check(true)),
    ("^0.x", "0.5.0", R::Check(true)),
    ("^1.2.3-beta.2", "1.2.3-beta.4", R::Check(true)),
    ("^1.2.3-beta.2", "1.2.4-beta.1", R::Check(true)),
    ("^1.2.3-beta.2", "1.2.3-alpha.9", R::Check(false)),
    (">= 1.0, < 2", "1.5.0", R::Check(true)),
    (">=1.0,<2", "1.5.0", R::Check(true)),
    (">=1.0 <2 || >=3.0", "3.1.0", R::Check(true)),
    (">=1.0 <2 || >=3.0", "2.5.0", R::Check(false)),
    (">1.1 <2 || >=3.0-0", "3.0.0-rc.1", R::Check(true)),
    ("1.1 - 2", "1.5.0", R::Check(true)),
    ("1.1 - 2", "2.0.0", R::Check(true)),
    ("1.1 - 2", "2.1.0", R::Check(true)),
    ("1.1 - 2.0.5", "2.0.5", R::Check(true)),
    ("1.1 - 2.0.5", "2.0.6", R::Check(false)),
    ("1.0.0 - 2.0.0-rc.5", "2.0.0-rc.1", R::Check(true)),
    (">=1.0.0-rc.10", "1.0.0-rc.9", R::Check(false)),
    (">=1.0.0-rc.9", "1.0.0-rc.10", R::Check(true)),
    (">=1.0.0-rc9", "1.0.0-rc10", R::Check(false)),
    (">=v1.0.0", "1.0.0", R::Check(true)),
    ("=>1.0.0", "1.0.0", R::Check(true)),
    ("=<1.0.0", "1.0.0", R::Check(true)),
    (">=1.0.0", "1.2", R::BadTag),
    (">=1.0.0", "1.2.3.4", R::BadTag),
    (">=1.0.0", "01.02.03", R::Check(true)),
    (">=1.0.0", "v2025.02.03", R::Check(true)),
    (">=1.0.0", "1.2-rc.1", R::Check(false)),
    (">=1.0.0", "V1.2.3", R::BadTag),
    (">=1.0.0", "1.2.3-01", R::BadTag),
    (">=1.0.0", "1.2.3-rc..1", R::BadTag),
    (">=1.0.0", "1.2.3+", R::BadTag),
    (">=1.0.0", "1.2.3+b_1", R::BadTag),
    (">=1.0.0", "18446744073709551616.0.0", R::BadTag),
    (">=1.0.0", "1.2.3-rc_1", R::BadTag),
    ("1.0.0p", "1.0.0", R::Err("improper constraint: \"1.0.0p\"")),
    ("1x", "1.0.0", R::Err("constraint parser error")),
    ("x1", "1.0.0", R::Err("constraint parser error")),
    ("-1", "1.0.0", R::Err("improper constraint: \"-1\"")),
    ("a", "1.0.0", R::Err("improper constraint: \"a\"")),
    ("", "1.0.0", R::Err("improper constraint: \"\"")),
    (">=1.0 <2 |", "1.0.0", R::Err("constraint parser error")),
    ("1.0 || 2.0 ||", "1.0.0", R::Err("improper constraint: \"\"")),
    ("~> 1.2", "1.2.5", R::Check(true)),
    ("> = 1.0", "1.0.0", R::Err("improper constraint: \"> = 1.0\"")),
    (">= 1.0, <= 2.0, != 1.5.0", "1.5.0", R::Check(false)),
    ("1.2.3 || 2.x", "2.3.0", R::Check(true)),
    (">=1.2.3-alpha", "1.2.4", R::Check(true)),
];

#[test]
fn semver_constraint_table() {
    let mut failures = Vec::new();
    for (range, tag, want) in SEMVER_CASES {
        let got = match Constraints::parse(range) {
            Err(e) => R::Err(Box::leak(e.to_string().into_boxed_str())),
            Ok(c) => match Version::parse_tag(tag) {
                Err(_) => R::BadTag,
                Ok(v) => R::Check(c.check(&v)),
            },
        };
        let same = match (want, &got) {
            (R::Check(a), R::Check(b)) => a == b,
            (R::BadTag, R::BadTag) => true,
            (R::Err(a), R::Err(b)) => a == b,
            _ => false,
        };
        if !same {
            let show = |r: &R| match r {
                R::Check(b) => format!("check={b}"),
                R::BadTag => "bad tag".to_string(),
                R::Err(e) => format!("error {e}"),
            };
            failures.push(format!("{range:?} / {tag:?}: want {}, got {}", show(want), show(&got)));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} failed:\n{}",
        failures.len(),
        SEMVER_CASES.len(),
        failures.join("\n")
    );
}

#[test]
fn choice_errors() {
    let obj = map(vec![
        ("apiVersion", s("image.toolkit.fluxcd.io/v1")),
        ("kind", s("ImagePolicy")),
        ("spec", map(vec![("policy", map(vec![]))])),
    ]);
    assert_eq!(
        Policy::from_object(&obj).unwrap_err().to_string(),
        "given ImagePolicyChoice object is invalid"
    );
    let nulled = map(vec![
        ("apiVersion", s("image.toolkit.fluxcd.io/v1")),
        ("kind", s("ImagePolicy")),
        ("spec", map(vec![("policy", map(vec![("semver", Value::Null)]))])),
    ]);
    assert!(matches!(Policy::from_object(&nulled), Err(Error::InvalidChoice)));
    let wrong = map(vec![("apiVersion", s("apps/v1")), ("kind", s("Deployment"))]);
    assert!(matches!(Policy::from_object(&wrong), Err(Error::NotImagePolicy { .. })));
    // Semver is chosen before alphabetical when both are given (Flux's switch order).
    let both = map(vec![
        ("apiVersion", s("image.toolkit.fluxcd.io/v1")),
        ("kind", s("ImagePolicy")),
        (
            "spec",
            map(vec![(
                "policy",
                map(vec![
                    ("alphabetical", map(vec![("order", s("asc"))])),
                    ("semver", map(vec![("range", s(">=1.0.0"))])),
                ]),
            )]),
        ),
    ]);
    assert_eq!(policy::select_latest(&both, &["zzz", "1.0.0", "0.5.0"]).unwrap(), "1.0.0");
    // The policy is built before the pattern is compiled: a bad range wins.
    let order = policy_object("image.toolkit.fluxcd.io/v1", "semver", "a", Some(("(", "")));
    assert_eq!(
        policy::select_latest(&order, &["1.0.0"]).unwrap_err().to_string(),
        r#"improper constraint: "a""#
    );
}

#[test]
fn exclusion_list() {
    let tags = ["v1.0.0", "sha256-abc.sig", "v1.0.0.sig", "sig", "v1.0.0.att", "latest"];
    assert_eq!(exclude_tags(&tags, None).unwrap(), ["v1.0.0", "sig", "v1.0.0.att", "latest"]);
    let custom = vec![r"^.*\.(sig|att)$".to_string(), "^latest$".to_string()];
    assert_eq!(exclude_tags(&tags, Some(&custom)).unwrap(), ["v1.0.0", "sig"]);
    assert_eq!(exclude_tags(&tags, Some(&[])).unwrap(), tags);
    let bad = vec!["(".to_string()];
    assert!(matches!(exclude_tags(&tags, Some(&bad)), Err(Error::InvalidExclusion { .. })));
}

#[test]
fn go_parse_float_table() {
    // Expected values from Go's strconv.ParseFloat(s, 64).
    let cases: &[(&str, Option<f64>)] = &[
        ("1_000", Some(1000.0)),
        ("0x1p3", Some(8.0)),
        ("0x10", None),
        ("0x1.8p1", Some(3.0)),
        ("1e400", None),
        ("1e-400", Some(0.0)),
        ("+nan", None),
        ("-Inf", Some(f64::NEG_INFINITY)),
        ("+infinity", Some(f64::INFINITY)),
        ("1.", Some(1.0)),
        (".", None),
        (".5", Some(0.5)),
        ("1e", None),
        ("1e+", None),
        ("0b101", None),
        ("0o7", None),
        ("01.5", Some(1.5)),
        ("1__0", None),
        ("0x_1p0", Some(1.0)),
        ("1_0.5", Some(10.5)),
        ("_1", None),
        ("+.5e-3", Some(0.0005)),
        ("１", None),
        ("", None),
        ("infinit", None),
        ("1_", None),
    ];
    for (s, want) in cases {
        assert_eq!(parse_go_float(s), *want, "{s:?}");
    }
    assert!(parse_go_float("NaN").is_some_and(f64::is_nan));
}

#[test]
fn go_expand_table() {
    // Expected values from Go's Regexp.ExpandString on "v12-3" with `(?P<a>\d+)-(x)?`.
    let re = goregex::compile(r"(?P<a>\d+)-(x)?").unwrap();
    let caps = re.captures("v12-3").unwrap();
    let cases = [
        ("$1", "12"),
        ("${1}", "12"),
        ("$a", "12"),
        ("${a}", "12"),
        ("$$", "$"),
        ("$", "$"),
        ("$-", "$-"),
        ("${}", "${}"),
        ("${a", "${a"),
        ("$1a", ""),
        ("$01", ""),
        ("$2", ""),
        ("$ab", ""),
        ("$a_", ""),
        ("${a}_", "12_"),
        ("$é", ""),
        ("x$0y", "x"),
        ("x${0}y", "x12-y"),
    ];
    for (t, want) in cases {
        assert_eq!(goregex::expand(&re, &caps, t), want, "{t:?}");
    }
}

#[test]
fn semver_precedence_and_original() {
    let mut tags: Vec<&str> = vec![
        "1.0.0",
        "1.0.0-alpha",
        "1.0.0-alpha.1",
        "1.0.0-alpha.beta",
        "1.0.0-beta",
        "1.0.0-beta.2",
        "1.0.0-beta.11",
        "1.0.0-rc.1",
    ];
    tags.reverse();
    let mut parsed: Vec<Version> = tags.iter().map(|t| Version::parse_tag(t).unwrap()).collect();
    parsed.sort_by(|a, b| a.compare(b));
    let order: Vec<&str> = parsed.iter().map(|v| v.original.as_str()).collect();
    assert_eq!(
        order,
        [
            "1.0.0-alpha",
            "1.0.0-alpha.1",
            "1.0.0-alpha.beta",
            "1.0.0-beta",
            "1.0.0-beta.2",
            "1.0.0-beta.11",
            "1.0.0-rc.1",
            "1.0.0"
        ]
    );
    assert_eq!(Version::parse_tag("v01.02.03+meta").unwrap().canonical(), "1.2.3+meta");
    assert_eq!(
        Version::parse_tag(&"1.2.3-".repeat(60)).unwrap_err().to_string(),
        "version string is too long (max 256 bytes)"
    );
    assert_eq!(
        Constraints::parse(&"1".repeat(513)).unwrap_err().to_string(),
        "constraint string is too long (max 512 bytes)"
    );
    assert_eq!(
        Constraints::parse(&vec!["1.0.0"; 33].join("||")).unwrap_err().to_string(),
        "too many constraint groups (max 32)"
    );
}
