//! Tables modelled on `fluxcd/pkg envsubst` (`eval_test.go`, `parse/parse_test.go`,
//! `funcs_test.go`) and `kustomize/kustomize_varsub_test.go`; our own cases.

use super::*;

fn vars(pairs: &[(&str, &str)]) -> Vars {
    pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
}

/// (vars, input, strict, Ok(output) | Err(message))
type Case = (
    &'static [(&'static str, &'static str)],
    &'static str,
    bool,
    Result<&'static str, &'static str>,
);

const NOT_SET_X: Result<&str, &str> = Err("variable not set (strict mode): \"x\"");

#[rustfmt::skip]
const CASES: &[Case] = &[
    // plain text, escapes
    (&[], "abcdEFGH28ij", false, Ok("abcdEFGH28ij")),
    (&[], "}text", false, Ok("}text")),
    (&[], "http://github.com", false, Ok("http://github.com")),
    (&[("v", "x")], "$${v}", false, Ok("${v}")),
    (&[], "$$v", false, Ok("$v")),
    (&[], "pa$$w0rd", false, Ok("pa$w0rd")),
    (&[], "$$$", false, Ok("$$")),
    (&[], "$$$$", false, Ok("$$")),
    (&[("v", "x")], "$$${v}", false, Ok("$x")),
    (&[], r"\\.\pipe\pipename", false, Ok(r"\\.\pipe\pipename")),
    (&[("v", "x")], "$v $(cmd) $1 $", true, Ok("$v $(cmd) $1 $")),
    (&[("var01", "abcdEFGH28ij")], "some text ${var01}$${var$${var01}$var01${var01}", false,
        Ok("some text abcdEFGH28ij${var${var01}$var01abcdEFGH28ij")),
    (&[("default_var", "foo")], "something $${var=${default_var}}", false, Ok("something ${var=foo}")),
    (&[("d", "foo")], r"\\something ${var=${d}}", false, Ok(r"\\something foo")),
    // plain variables
    (&[("foo", "bar")], "${foo}", true, Ok("bar")),
    (&[("foo", "")], "${foo}", true, Ok("")),
    (&[], "${x}", false, Ok("")),
    (&[], "${x}", true, NOT_SET_X),
    (&[("_a1", "ok")], "${_a1}", true, Ok("ok")),
    (&[("a", "1"), ("b", "2")], "${a}${b}-${a}", true, Ok("12-1")),
    // length and case
    (&[("v", "abcdEFGH28ij")], "${#v}", true, Ok("12")),
    (&[("v", "héllo")], "${#v}", true, Ok("6")),
    (&[("v", "")], "${#v}", true, Ok("0")),
    (&[("v", "abcdEFGH28ij")], "${v^}", true, Ok("AbcdEFGH28ij")),
    (&[("v", "abcdEFGH28ij")], "${v^^}", true, Ok("ABCDEFGH28IJ")),
    (&[("v", "ABCDEFGH28IJ")], "${v,}", true, Ok("aBCDEFGH28IJ")),
    (&[("v", "ABCDEFGH28IJ")], "${v,,}", true, Ok("abcdefgh28ij")),
    (&[("v", "éa")], "${v^}", true, Ok("Éa")),
    (&[("v", "straße")], "${v^^}", true, Ok("STRAßE")),
    (&[("v", "aB")], "${v,^}", true, Ok("aB")),
    (&[("v", "")], "${v^}", true, Ok("")),
    // substrings
    (&[("p", "/home/bozo/ideas/thoughts.for.today")], "${p:11}", true, Ok("ideas/thoughts.for.today")),
    (&[("p", "/home/bozo/ideas/thoughts.for.today")], "${p:11:5}", true, Ok("ideas")),
    (&[("v", "abcdef")], "${v:-2}", true, Ok("abcdef")),
    (&[("v", "abcdef")], "${v: -2}", true, Ok("abcdef")),
    (&[("v", "abcdef")], "${v:-10}", true, Ok("abcdef")),
    (&[("v", "abcdef")], "${v:0:100}", true, Ok("abcdef")),
    (&[("v", "abcdef")], "${v:6}", true, Ok("")),
    (&[("v", "abcdef")], "${v:10:2}", true, Ok("")),
    (&[("v", "abcdef")], "${v:1:-1}", true, Ok("bcde")),
    (&[("v", "abcdef")], "${v:4:-3}", true, Ok("")),
    (&[("v", "abcdef")], "${v:x}", true, Ok("abcdef")),
    (&[("v", "abcdef")], "${v:1:x}", true, Ok("abcdef")),
    (&[("v", "abcdef")], "${v:1:2:3}", true, Ok("abcdef")),
    (&[("v", "abcdef")], "${v:1::2}", true, Ok("bc")),
    (&[("v", "abcdef"), ("p", "2")], "${v:${p}}", true, Ok("cdef")),
    (&[("v", "abcdef"), ("p", "2"), ("l", "3")], "${v:${p}:${l}}", true, Ok("cde")),
    (&[("v", "abcdef")], "${v:+1}", true, Ok("abcdef")),
    // glob trims (`*` and `?` also match `/`)
    (&[("f", "bash.string.txt")], "${f#*.}", true, Ok("string.txt")),
    (&[("f", "bash.string.txt")], "${f##*.}", true, Ok("txt")),
    (&[("f", "bash.string.txt")], "${f%.*}", true, Ok("bash.string")),
    (&[("f", "bash.string.txt")], "${f%%.*}", true, Ok("bash")),
    (&[("f", "path/to/file")], "${f#*/}", true, Ok("to/file")),
    (&[("f", "path/to/file")], "${f##*/}", true, Ok("file")),
    (&[("f", "/path/to/file")], "${f#*/}", true, Ok("path/to/file")),
    (&[("f", "/path/to/file")], "${f##*/}", true, Ok("file")),
    (&[("f", "path/to/file")], "${f%/*}", true, Ok("path/to")),
    (&[("f", "path/to/file")], "${f%%/*}", true, Ok("path")),
    (&[("f", "a/b")], "${f#a?}", true, Ok("b")),
    (&[("f", "v1.2.3")], "${f#v}", true, Ok("1.2.3")),
    (&[("f", "v1.2.3")], "${f#[a-z]}", true, Ok("1.2.3")),
    (&[("f", "v1.2.3")], "${f#[}", true, Ok("v1.2.3")),
    (&[("f", "abc")], "${f#x}", true, Ok("abc")),
    (&[("f", "abc")], "${f#abc}", true, Ok("")),
    (&[("f", "abc")], "${f###}", true, Ok("abc")),
    (&[("f", "a.b"), ("p", "*.")], "${f#${p}}", true, Ok("b")),
    (&[("f", "a*b")], r"${f#a\*}", true, Ok("b")),
    // literal replacements
    (&[("s", "abcABC123ABCabc")], "${s/%abc/XYZ}", true, Ok("abcABC123ABCXYZ")),
    (&[("s", "abcABC123ABCabc")], "${s/#abc/XYZ}", true, Ok("XYZABC123ABCabc")),
    (&[("s", "abcABC123ABCabc")], "${s//abc/xyz}", true, Ok("xyzABC123ABCxyz")),
    (&[("s", "abcABC123ABCabc")], "${s/abc/xyz}", true, Ok("xyzABC123ABCabc")),
    (&[("s", "somevalue")], "${s/#/prefix-}", true, Ok("prefix-somevalue")),
    (&[("s", "somevalue")], "${s/%/-suffix}", true, Ok("somevalue-suffix")),
    (&[("s", "foo/bar")], r"${s/\//-}", true, Ok("foo-bar")),
    (&[("s", "foo/bar/baz")], r"${s//\//-}", true, Ok("foo-bar-baz")),
    (&[("s", "foo.bar")], "${s/./}", true, Ok("foobar")),
    (&[("s", "a.b.c")], "${s//./}", true, Ok("abc")),
    (&[("s", "a*b")], "${s/*/-}", true, Ok("a-b")),
    (&[("s", "abc")], "${s/#b/X}", true, Ok("abc")),
    (&[("s", "abc")], "${s/#a/}", true, Ok("abc")),
    (&[("s", "ab")], "${s///-}", true, Ok("-a-b-")),
    (&[("s", r"a\b")], r"${s/\\/-}", true, Ok("a-b")),
    (&[("s", "a$b")], "${s/$$/-}", true, Ok("a-b")),
    (&[("s", "a}b")], "${s/a}b/x}", true, Ok("x")),
    (&[("s", "a-b"), ("o", "-"), ("n", "+")], "${s//${o}/${n}}", true, Ok("a+b")),
    // the default family: all mean "value if non-empty, else default"
    (&[("var", "abc")], "${var=xyz}", true, Ok("abc")),
    (&[], "${var=xyz}", true, Ok("xyz")),
    (&[], "${var:=xyz}", true, Ok("xyz")),
    (&[], "${var:-xyz}", true, Ok("xyz")),
    (&[], "${var:+xyz}", true, Ok("xyz")),
    (&[], "${var:?xyz}", true, Ok("xyz")),
    (&[("var", "set")], "${var:+xyz}", true, Ok("set")),
    (&[("var", "set")], "${var:?xyz}", true, Ok("set")),
    (&[("var", "")], "${var:=xyz}", true, Ok("xyz")),
    (&[("var", "")], "${var=xyz}", true, Ok("xyz")),
    (&[], "${var:=}", true, Ok("")),
    (&[], "${var:=a b}c", true, Ok("a bc")),
    (&[("d", "foo")], "something ${var=${d}}", true, Ok("something foo")),
    (&[("d", "foo1")], "foo: ${var=${d}-suffix}", true, Ok("foo: foo1-suffix")),
    (&[("d", "foo1")], "foo: ${var=prefix${d}-suffix}", true, Ok("foo: prefixfoo1-suffix")),
    (&[("v", "abcdEFGH28ij")], "${var=${v^^}}", true, Ok("ABCDEFGH28IJ")),
    (&[], "${var:=$$x}", true, Ok("$$x")),
    (&[], r"${var:=a\/b}", true, Ok(r"a\/b")),
    (&[], "${a:=${b:=${c:=deep}}}", true, Ok("deep")),
    (&[], "${var:=:}", true, Ok(":")),
    // strict mode: every non-default operator on a missing variable fails
    (&[], "${#x}", true, NOT_SET_X),
    (&[], "${x^}", true, NOT_SET_X),
    (&[], "${x^^}", true, NOT_SET_X),
    (&[], "${x,}", true, NOT_SET_X),
    (&[], "${x,,}", true, NOT_SET_X),
    (&[], "${x:0}", true, NOT_SET_X),
    (&[], "${x:0:10}", true, NOT_SET_X),
    (&[], "${x/a/b}", true, NOT_SET_X),
    (&[], "${x//a/b}", true, NOT_SET_X),
    (&[], "${x/#a/b}", true, NOT_SET_X),
    (&[], "${x/%a/b}", true, NOT_SET_X),
    (&[], "${x#a}", true, NOT_SET_X),
    (&[], "${x##a}", true, NOT_SET_X),
    (&[], "${x%a}", true, NOT_SET_X),
    (&[], "${x%%a}", true, NOT_SET_X),
    (&[], "${v:=${x}}", true, NOT_SET_X),
    (&[("v", "a")], "${v/${x}/b}", true, NOT_SET_X),
    (&[], "${x^^} ${y}", true, NOT_SET_X),
    (&[], "${x:0} ${x/a/b} ${#x}", false, Ok("  0")),
    (&[], "${ÿ}", true, Err("variable not set (strict mode): \"ÿ\"")),
    // parse errors
    (&[], "${}", true, Err("unable to parse variable name")),
    (&[], "${ v}", true, Err("unable to parse variable name")),
    (&[], "${-}", true, Err("unable to parse variable name")),
    (&[], "${", true, Err("unable to parse variable name")),
    (&[], "${v", true, Err("missing closing brace")),
    (&[], "${AUTH[@]}", true, Err("missing closing brace")),
    (&[], "${v-d}", true, Err("missing closing brace")),
    (&[], "${v+d}", true, Err("missing closing brace")),
    (&[], "${v?d}", true, Err("missing closing brace")),
    (&[], "${v }", true, Err("missing closing brace")),
    (&[], "${#}", true, Err("bad substitution")),
    (&[], "${#v:1}", true, Err("bad substitution")),
    (&[], "${v:}", true, Err("unable to parse substitution within function")),
    (&[], "${v::2}", true, Err("unable to parse substitution within function")),
    (&[], "${v#}", true, Err("unable to parse substitution within function")),
    (&[], "${v:=abc", true, Err("unable to parse substitution within function")),
    (&[], "${v:1${x}}", true, Err("bad substitution")),
    (&[], "${v#a${x}}", true, Err("bad substitution")),
    (&[], "${v/a}", true, Err("bad substitution")),
    (&[], "${v^x}", true, Err("bad substitution")),
    (&[], "${v^^^}", true, Err("bad substitution")),
    (&[("v", "x")], "ok ${v} then ${v", true, Err("missing closing brace")),
    // NUL ends the template as the end of input does
    (&[("v", "x")], "a\0${v}", true, Ok("a")),
];

#[test]
fn envsubst_table() {
    assert!(CASES.len() >= 80, "{} cases", CASES.len());
    for (pairs, input, strict, want) in CASES {
        let got = substitute_str(input, &vars(pairs), *strict).map_err(|e| e.to_string());
        let want = want.map(str::to_owned).map_err(str::to_owned);
        assert_eq!(got, want, "input {input:?} strict={strict}");
    }
}

#[test]
fn deep_nesting_is_bounded() {
    let mut s = String::new();
    for _ in 0..200 {
        s.push_str("${a:=");
    }
    s.push('x');
    for _ in 0..200 {
        s.push('}');
    }
    let err = substitute_str(&s, &Vars::new(), true).unwrap_err();
    assert_eq!(err, Error::TooDeep { limit: parse::MAX_NESTING });
    // many siblings are fine (no recursion per node)
    let flat = "${a:=x}".repeat(50_000);
    assert_eq!(substitute_str(&flat, &Vars::new(), true).unwrap(), "x".repeat(50_000));
}

#[test]
fn var_names() {
    for (name, ok) in [
        ("a", true),
        ("_", true),
        ("A_1", true),
        ("1a", false),
        ("my-var", false),
        ("", false),
        ("é", false),
        ("a.b", false),
    ] {
        assert_eq!(is_valid_var_name(name), ok, "{name}");
    }
}

#[test]
fn base64() {
    assert_eq!(decode_base64("aGVsbG8=").unwrap(), b"hello");
    assert_eq!(decode_base64("aGk=").unwrap(), b"hi");
    assert_eq!(decode_base64("aGVs\nbG8=").unwrap(), b"hello");
    assert_eq!(decode_base64("").unwrap(), b"");
    assert!(decode_base64("aGVsbG8").is_none());
    assert!(decode_base64("a===").is_none());
    assert!(decode_base64("aG=k").is_none());
    assert!(decode_base64("a*==").is_none());
}

#[test]
fn go_quoting() {
    assert_eq!(go_quote("a\"b"), "\"a\\\"b\"");
    assert_eq!(go_quote("x\u{1}"), "\"x\\x01\"");
}
