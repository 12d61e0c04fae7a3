//! Table tests over hand-built node trees (no parser needed).

use super::*;
use crate::yaml::{CollectionStyle, Mapping, ScalarStyle, Span};

fn plain(t: &str) -> Node {
    Node::scalar(t, ScalarStyle::Plain, Span::default())
}
fn dq(t: &str) -> Node {
    Node::scalar(t, ScalarStyle::DoubleQuoted, Span::default())
}
fn tagged(tag: &str, t: &str, style: ScalarStyle) -> Node {
    let mut n = Node::scalar(t, style, Span::default());
    n.set_tag(Some(
        tag.strip_prefix("!!").map_or(tag.to_owned(), |r| format!("tag:yaml.org,2002:{r}")),
    ));
    n
}
fn map(entries: Vec<(Node, Node)>) -> Node {
    Node {
        kind: NodeKind::Mapping { entries, style: CollectionStyle::Block },
        props: None,
        span: Span::default(),
    }
}
fn seq(items: Vec<Node>) -> Node {
    Node {
        kind: NodeKind::Sequence { items, style: CollectionStyle::Flow },
        props: None,
        span: Span::default(),
    }
}
fn alias(name: &str) -> Node {
    Node { kind: NodeKind::Alias { name: name.into() }, props: None, span: Span::default() }
}
fn anchored(name: &str, mut n: Node) -> Node {
    n.set_anchor(Some(name.into()));
    n
}
fn doc(root: Node) -> Document {
    Document {
        root: Some(root),
        explicit_start: false,
        explicit_end: false,
        comments: vec![],
        span: Span::default(),
    }
}
fn run(root: Node, p: Profile) -> Result<Value, Error> {
    resolve(&doc(root), p, &Limits::default())
}
fn obj(pairs: &[(&str, Value)]) -> Value {
    Value::Map(pairs.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect::<Mapping>())
}
fn s(t: &str) -> Value {
    Value::from(t)
}

/// (node, kyaml value, API-server value); `None` = an error.
type Row = (Node, Option<Value>, Option<Value>);

fn scalar_rows() -> Vec<Row> {
    use Value::{Bool, Float, Int, Null, Uint};
    let both = |n: Node, v: Value| (n, Some(v.clone()), Some(v));
    let split = |n: Node, k: Value, a: Value| (n, Some(k), Some(a));
    let ts = |t: &str, k: &str| (plain(t), Some(s(k)), Some(s(t)));
    vec![
        both(plain("true"), Bool(true)),
        both(plain("True"), Bool(true)),
        both(plain("FALSE"), Bool(false)),
        both(plain("tRUE"), s("tRUE")),
        split(plain("yes"), s("yes"), Bool(true)),
        split(plain("Yes"), s("Yes"), Bool(true)),
        split(plain("y"), s("y"), Bool(true)),
        split(plain("ON"), s("ON"), Bool(true)),
        split(plain("no"), s("no"), Bool(false)),
        split(plain("N"), s("N"), Bool(false)),
        split(plain("off"), s("off"), Bool(false)),
        both(dq("yes"), s("yes")),
        both(plain("null"), Null),
        both(plain("~"), Null),
        both(plain(""), Null),
        both(plain("NULL"), Null),
        both(plain("nULL"), s("nULL")),
        both(dq(""), s("")),
        both(plain("0755"), Int(493)),
        both(plain("0o755"), Int(493)),
        both(plain("0x1F"), Int(31)),
        both(plain("0b1010"), Int(10)),
        both(plain("1_000"), Int(1000)),
        both(plain("+1"), Int(1)),
        both(plain("-0"), Int(0)),
        both(plain("08"), Float(8.0)),
        both(plain("18446744073709551615"), Uint(u64::MAX)),
        both(plain("1.0"), Float(1.0)),
        both(plain("1e3"), Float(1000.0)),
        both(plain(".5"), Float(0.5)),
        both(plain("1e400"), s("1e400")),
        both(plain(".inf"), Float(f64::INFINITY)),
        both(plain("-.Inf"), Float(f64::NEG_INFINITY)),
        both(plain("1:20"), s("1:20")),
        both(plain("0x"), s("0x")),
        ts("2001-12-14", "2001-12-14T00:00:00Z"),
        ts("2001-12-14T21:59:43.10-05:00", "2001-12-14T21:59:43.1-05:00"),
        ts("2001-12-14 21:59:43.10", "2001-12-14T21:59:43.1Z"),
        both(plain("2001-12-14T21:59:43"), s("2001-12-14T21:59:43")),
        both(dq("2001-12-14"), s("2001-12-14")),
        both(tagged("!!str", "123", ScalarStyle::Plain), s("123")),
        both(tagged("!!int", "12", ScalarStyle::DoubleQuoted), Int(12)),
        both(tagged("!!float", "12", ScalarStyle::Plain), Float(12.0)),
        both(tagged("!!bool", "true", ScalarStyle::SingleQuoted), Bool(true)),
        (tagged("!!bool", "yes", ScalarStyle::Plain), None, Some(Bool(true))),
        both(tagged("!!null", "", ScalarStyle::DoubleQuoted), Null),
        (tagged("!!int", "abc", ScalarStyle::Plain), None, None),
        (tagged("!!null", "x", ScalarStyle::Plain), None, None),
        both(tagged("!!binary", "aGVsbG8=", ScalarStyle::Plain), s("hello")),
        (tagged("!!binary", "not base64", ScalarStyle::Plain), None, None),
        both(tagged("!!timestamp", "2001-12-14", ScalarStyle::Plain), s("2001-12-14"))
            .clone_with_kyaml(s("2001-12-14T00:00:00Z")),
        (tagged("!!timestamp", "nope", ScalarStyle::Plain), None, None),
        both(tagged("!Ref", "foo", ScalarStyle::Plain), s("foo")),
        both(tagged("!Ref", "123", ScalarStyle::Plain), s("123")),
        split(tagged("!", "123", ScalarStyle::Plain), Int(123), s("123")),
        both(tagged("!", "123", ScalarStyle::DoubleQuoted), s("123")),
    ]
}

trait WithKyaml {
    fn clone_with_kyaml(self, v: Value) -> Self;
}
impl WithKyaml for Row {
    fn clone_with_kyaml(self, v: Value) -> Self {
        (self.0, Some(v), self.2)
    }
}

#[test]
fn scalar_table_both_profiles() {
    let mut failures = Vec::new();
    for (node, kyaml, api) in scalar_rows() {
        for (p, want) in [(Profile::Kyaml, &kyaml), (Profile::ApiServer, &api)] {
            let got = run(node.clone(), p).ok();
            let same = match (&got, want) {
                (Some(Value::Float(a)), Some(Value::Float(b))) => {
                    a == b || (a.is_nan() && b.is_nan())
                }
                (g, w) => g == w,
            };
            if !same {
                failures.push(format!("{:?} {p:?}: got {got:?}, want {want:?}", node.as_str()));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn empty_document_is_null() {
    let d = Document {
        root: None,
        explicit_start: true,
        explicit_end: false,
        comments: vec![],
        span: Span::default(),
    };
    assert_eq!(resolve(&d, Profile::Kyaml, &Limits::default()), Ok(Value::Null));
    assert_eq!(resolve(&d, Profile::ApiServer, &Limits::default()), Ok(Value::Null));
}

#[test]
fn keys_by_profile() {
    let m = map(vec![
        (plain("1"), plain("a")),
        (plain("true"), plain("b")),
        (plain("on"), plain("c")),
        (plain("1.5"), plain("d")),
        (plain("0x10"), plain("e")),
    ]);
    assert_eq!(
        run(m.clone(), Profile::Kyaml),
        Ok(obj(&[
            ("1", s("a")),
            ("true", s("b")),
            ("on", s("c")),
            ("1.5", s("d")),
            ("0x10", s("e"))
        ]))
    );
    assert_eq!(
        run(m, Profile::ApiServer),
        Ok(obj(&[
            ("1", s("a")),
            ("true", s("b")),
            ("true", s("c")),
            ("1.5", s("d")),
            ("16", s("e"))
        ]))
    );
    // A null key: dropped by kyaml at the top, refused by the API server.
    let n = map(vec![(plain("~"), plain("a")), (plain("k"), plain("v"))]);
    assert_eq!(run(n.clone(), Profile::Kyaml), Ok(obj(&[("k", s("v"))])));
    assert!(run(n, Profile::ApiServer).is_err());
    // Nested non-string keys: kyaml cannot make JSON of them.
    let nested = map(vec![(plain("x"), map(vec![(plain("1"), plain("a"))]))]);
    assert!(run(nested.clone(), Profile::Kyaml).is_err());
    assert_eq!(run(nested, Profile::ApiServer), Ok(obj(&[("x", obj(&[("1", s("a"))]))])));
    // Collection keys fail everywhere.
    let complex = map(vec![(seq(vec![plain("a")]), plain("b"))]);
    assert!(run(complex.clone(), Profile::Kyaml).is_err());
    assert!(run(complex, Profile::ApiServer).is_err());
    // Float keys use Go's 32-bit %g.
    let f = map(vec![
        (plain("1e6"), plain("a")),
        (plain("0.1"), plain("b")),
        (plain("123456"), plain("c")),
    ]);
    let got = run(f, Profile::ApiServer).unwrap();
    assert_eq!(got.as_map().unwrap().keys().collect::<Vec<_>>(), ["1e+06", "0.1", "123456"]);
}

#[test]
fn duplicate_keys() {
    let m = map(vec![(plain("a"), plain("1")), (dq("a"), plain("2"))]);
    let err = run(m.clone(), Profile::Kyaml).unwrap_err();
    assert!(err.to_string().contains("already defined"), "{err}");
    assert_eq!(run(m, Profile::ApiServer), Ok(obj(&[("a", Value::Int(2))])));
}

#[test]
fn merge_keys() {
    let base = anchored("b", map(vec![(plain("a"), plain("1")), (plain("b"), plain("2"))]));
    let other = anchored("o", map(vec![(plain("b"), plain("3")), (plain("c"), plain("4"))]));
    // own key before the merge: kyaml keeps own; v2 lets the merge overwrite.
    let root = map(vec![
        (plain("base"), base),
        (plain("other"), other),
        (
            plain("m"),
            map(vec![(plain("a"), plain("0")), (plain("<<"), seq(vec![alias("b"), alias("o")]))]),
        ),
    ]);
    let k = run(root.clone(), Profile::Kyaml).unwrap();
    assert_eq!(
        k.get("m"),
        Some(&obj(&[("a", Value::Int(0)), ("b", Value::Int(2)), ("c", Value::Int(4))]))
    );
    let a = run(root, Profile::ApiServer).unwrap();
    assert_eq!(
        a.get("m"),
        Some(&obj(&[("a", Value::Int(1)), ("b", Value::Int(2)), ("c", Value::Int(4))]))
    );
    let bad = map(vec![(plain("<<"), plain("x"))]);
    assert!(run(bad.clone(), Profile::Kyaml).is_err());
    assert!(run(bad, Profile::ApiServer).is_err());
}

#[test]
fn aliases_and_limits() {
    let root =
        seq(vec![anchored("a", plain("x")), alias("a"), anchored("a", plain("y")), alias("a")]);
    assert_eq!(run(root, Profile::Kyaml), Ok(Value::Seq(vec![s("x"), s("x"), s("y"), s("y")])));
    let err = run(seq(vec![alias("nope")]), Profile::Kyaml).unwrap_err();
    assert!(matches!(err, Error::UnknownAnchor { ref name, .. } if name == "nope"));
    // Self-reference.
    let selfref = anchored("s", seq(vec![alias("s")]));
    assert!(run(selfref, Profile::ApiServer).is_err());
    // Billion laughs: nine levels of ten aliases each.
    let mut entries = vec![(plain("l0"), anchored("l0", seq(vec![plain("lol"); 10])))];
    for i in 1..10 {
        let prev = format!("l{}", i - 1);
        entries.push((
            plain(&format!("l{i}")),
            anchored(&format!("l{i}"), seq(vec![alias(&prev); 10])),
        ));
    }
    let laughs = doc(map(entries));
    let start = std::time::Instant::now();
    // go-yaml's own guard (mostly-alias documents) stops it first with default limits...
    for p in [Profile::Kyaml, Profile::ApiServer] {
        let err = resolve(&laughs, p, &Limits::default()).unwrap_err();
        assert!(err.to_string().contains("excessive aliasing"), "{err}");
    }
    // ...and our budget when it is lower.
    let small = Limits { max_alias_nodes: 500, ..Limits::default() };
    let err = resolve(&laughs, Profile::Kyaml, &small).unwrap_err();
    assert!(matches!(err, Error::Limit { what: "alias expansion (nodes)", .. }), "{err}");
    assert!(start.elapsed().as_secs() < 5);
    // Depth.
    let mut deep = plain("x");
    for _ in 0..2000 {
        deep = seq(vec![deep]);
    }
    let err = run(deep, Profile::ApiServer).unwrap_err();
    assert!(matches!(err, Error::Limit { what: "nesting depth", .. }), "{err}");
}

#[test]
fn ambiguities() {
    let root = map(vec![
        (plain("a"), plain("on")),
        (plain("b"), plain("0755")),
        (plain("c"), plain("2001-12-14")),
        (plain("d"), dq("yes")),
        (plain("n"), plain("true")),
    ]);
    let found: Vec<String> = yaml11_ambiguities(&doc(root)).into_iter().map(|(_, m)| m).collect();
    assert_eq!(found.len(), 3, "{found:?}");
    assert!(found[0].starts_with("`on`"));
    assert!(found[1].starts_with("`2001-12-14`"));
    assert!(found[2].starts_with("`n`"));
}

/// go-yaml's "excessive aliasing" guard fires at exactly the step where the Go readers
/// fire it. Thresholds measured with the oracle (`tojson-v2` / `tojson-v3`) on the same
/// documents, written as YAML:
/// flat: `a: &a [x × 100]` + `b: [*a × k]` → first failing k = 3924 for both;
/// merge: `a: &a {k0: 0 … k19: 19}` + `b: [{<<: *a, z: 1} × k]` → 15985 (v2), 18640 (v3).
#[test]
fn excessive_aliasing_thresholds_match_go() {
    let flat = |k: usize| {
        map(vec![
            (plain("a"), anchored("a", seq(vec![plain("x"); 100]))),
            (plain("b"), seq(vec![alias("a"); k])),
        ])
    };
    let merged = |k: usize| {
        let src = (0..20).map(|i| (plain(&format!("k{i}")), plain(&i.to_string()))).collect();
        let item = map(vec![(plain("<<"), alias("a")), (plain("z"), plain("1"))]);
        map(vec![(plain("a"), anchored("a", map(src))), (plain("b"), seq(vec![item; k]))])
    };
    let big = Limits { max_alias_nodes: usize::MAX, ..Limits::default() };
    let fails = |root: Node, p: Profile| match resolve(&doc(root), p, &big) {
        Err(e) => e.to_string().contains("excessive aliasing"),
        Ok(_) => false,
    };
    for p in [Profile::Kyaml, Profile::ApiServer] {
        assert!(!fails(flat(3923), p), "{p:?}");
        assert!(fails(flat(3924), p), "{p:?}");
    }
    assert!(!fails(merged(15984), Profile::ApiServer));
    assert!(fails(merged(15985), Profile::ApiServer));
    assert!(!fails(merged(18639), Profile::Kyaml));
    assert!(fails(merged(18640), Profile::Kyaml));
}

mod props {
    use super::*;
    use proptest::prelude::*;

    fn scalar_text() -> impl Strategy<Value = String> {
        prop_oneof![
            "[-+0-9._:eExXoObB ]{0,24}",
            "[0-9]{4}-[0-9]{1,3}-[0-9]{1,3}([Tt ][0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}([.,][0-9]{0,12})?(Z|[-+][0-9]{2}:[0-9]{2})?)?",
            any::<String>(),
        ]
    }

    proptest! {
        /// No scalar text or tag makes resolution panic, under either profile and in
        /// either position (value, key; block or flow).
        #[test]
        fn scalars_never_panic(text in scalar_text(), tag in 0usize..8, quoted in any::<bool>(), flow in any::<bool>()) {
            let tags = [None, Some("!!int"), Some("!!float"), Some("!!timestamp"), Some("!!binary"), Some("!"), Some("!x"), Some("!!bool")];
            let mut n = if quoted { dq(&text) } else { plain(&text) };
            n.set_tag(tags[tag].map(|t| t.strip_prefix("!!").map_or(t.to_owned(), |r| format!("tag:yaml.org,2002:{r}"))));
            let value = if flow { seq(vec![n.clone()]) } else { n.clone() };
            let root = map(vec![(n, plain("v")), (plain("k"), value)]);
            for p in [Profile::Kyaml, Profile::ApiServer] {
                let _ = run(root.clone(), p);
            }
            let _ = yaml11_ambiguities(&doc(root));
        }
    }
}

/// Nesting up to the depth limit resolves even on a small (1 MiB) thread stack in debug
/// builds, and past it fails cleanly: the walk moves to fresh stacks as it goes deeper.
#[test]
fn deep_nesting_never_overflows_the_stack() {
    let r = std::thread::Builder::new()
        .stack_size(1 << 20)
        .spawn(|| {
            for (depth, ok) in [(999usize, true), (1000, true), (1001, false), (5000, false)] {
                let mut deep = plain("x");
                for i in 0..depth {
                    deep = if i % 2 == 0 { seq(vec![deep]) } else { map(vec![(plain("k"), deep)]) };
                }
                let d = doc(deep);
                for p in [Profile::Kyaml, Profile::ApiServer] {
                    let r = resolve(&d, p, &Limits::default());
                    assert_eq!(r.is_ok(), ok, "{depth} {p:?}");
                    if let Err(e) = r {
                        assert!(matches!(e, Error::Limit { what: "nesting depth", .. }), "{e}");
                    }
                }
                // Dropping a tree this deep recurses; that is the node type's business.
                std::mem::forget(d);
            }
            // A long chain of merges (each mapping merges the previous one).
            let mut entries =
                vec![(plain("m0"), anchored("m0", map(vec![(plain("a0"), plain("0"))])))];
            for i in 1..100 {
                let body = map(vec![
                    (plain("<<"), alias(&format!("m{}", i - 1))),
                    (plain(&format!("a{i}")), plain("1")),
                ]);
                entries.push((plain(&format!("m{i}")), anchored(&format!("m{i}"), body)));
            }
            let d = doc(map(entries));
            for p in [Profile::Kyaml, Profile::ApiServer] {
                let v = resolve(&d, p, &Limits::default()).unwrap();
                assert_eq!(v.get("m99").and_then(Value::as_map).map(Mapping::len), Some(100));
            }
        })
        .unwrap()
        .join();
    assert!(r.is_ok());
}

/// Inputs for the direct-path differential test: every resolve golden, every
/// yaml-test-suite stream, and a few Kubernetes-shaped documents.
fn differential_inputs() -> Vec<String> {
    let mut out: Vec<String> = include_str!("../../../tests/data/resolve/cases.yaml0")
        .split('\0')
        .map(str::to_owned)
        .collect();
    let suite = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/yaml-test-suite");
    let mut dirs: Vec<_> = std::fs::read_dir(&suite)
        .map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    dirs.sort();
    for d in dirs {
        if let Ok(t) = std::fs::read_to_string(d.join("in.yaml")) {
            out.push(t);
        }
    }
    for t in [
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  on: yes\n  n: 0755\n---\nkind: B\nspec: {a: 1, b: [x, 2001-12-14, 1.5e3, ~, '', \"q\"]}\n",
        "1: a\n2001-12-14: b\n~: c\n",
        "a:\n  1: x\n",
        "a: {b: }\n",
        "a: [2001-12-14T10:00:00Z, {k: 2001-12-14}]\n",
        "a: 1\na: 2\n",
        "a: 1\n'a': 2\n",
        "<<: {a: 1}\nb: 2\n",
        "'<<': 1\n",
        "a: !!str 1\nb: !!int '2'\nc: !!binary aGk=\nd: !!float 3\n",
        "a: !!int x\n",
        "? [a]\n: b\n",
        "a: &x 1\nb: *x\n",
        "t: 2001-12-14 21:59:43.10 -5\n",
        "[a, b]: c\n",
        "k: [a: b]\n",
        "",
        "---\n...\n---\n",
        "a: b\n  c: d\n",
        "- .inf\n- -.Inf\n- .nan\n- 0x1F\n- 0o17\n- 1_000\n- 18446744073709551615\n",
        "\"\": 1\n",
        "? \n: 1\n",
        "a:\n  ~: 1\n",
        "a: {b: c, d: [1, {e: ]}]}\n",
        "a: 1\n---\nb: &x [1]\nc: *x\n---\nd: yes\n",
        "a: 1\n---\nb: 1\nb: 2\n---\nd: yes\n",
        "a: 1\n---\nb: [\n",
    ] {
        out.push(t.to_owned());
    }
    out
}

#[test]
fn direct_path_agrees_with_tree() {
    let limits = Limits::default();
    let mut direct_ok = 0;
    let inputs = differential_inputs();
    for text in &inputs {
        for p in [Profile::Kyaml, Profile::ApiServer] {
            let tree: Result<Vec<Value>, Error> = crate::yaml::parse_stream(text, &limits)
                .and_then(|docs| docs.iter().map(|d| resolve(d, p, &limits)).collect());
            if let Ok(values) = direct::values(text, p, &limits) {
                direct_ok += 1;
                assert_eq!(
                    format!("{:?}", Ok::<_, Error>(values)),
                    format!("{tree:?}"),
                    "{p:?} on {text:?}"
                );
            }
            let both = parse_values(text, p, &limits);
            assert_eq!(format!("{both:?}"), format!("{tree:?}"), "{p:?} on {text:?}");
        }
    }
    // Most inputs are simple enough for the direct path.
    assert!(
        direct_ok > inputs.len(),
        "direct path taken {direct_ok} times of {}",
        inputs.len() * 2
    );
}

#[test]
#[cfg(target_pointer_width = "64")]
fn nodes_stay_compact() {
    // 32-bit positions and out-of-line properties: ~100,000 nodes per MB of YAML.
    assert_eq!(std::mem::size_of::<crate::yaml::Span>(), 24);
    assert_eq!(std::mem::size_of::<Node>(), 64);
    let mut n = plain("x");
    n.set_anchor(Some("a".into()));
    n.set_tag(Some("!t".into()));
    assert_eq!((n.tag(), n.anchor()), (Some("!t"), Some("a")));
    n.set_tag(None);
    n.set_anchor(None);
    assert_eq!(n.props, None);
}
