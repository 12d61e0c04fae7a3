//! Table-driven tests of the parser: nodes and spans, comments, styles, tags, errors and
//! limits. (The yaml-test-suite conformance run lives in `tests/yaml_test_suite.rs`.)

use super::super::{
    CollectionStyle, Error, Limits, Mark, Node, NodeKind, ScalarStyle, parse_stream,
};
use super::{format_test_event, parse_events};

fn root(input: &str) -> Node {
    let docs = parse_stream(input, &Limits::default()).expect("parses");
    docs.into_iter().next().and_then(|d| d.root).expect("has a root")
}

/// Finds the value of `key` in a mapping node.
fn get<'n>(node: &'n Node, key: &str) -> &'n Node {
    match &node.kind {
        NodeKind::Mapping { entries, .. } => {
            entries.iter().find(|(k, _)| k.as_str() == Some(key)).map(|(_, v)| v).expect("key")
        }
        _ => panic!("not a mapping"),
    }
}

fn events(input: &str) -> Vec<String> {
    parse_events(input, &Limits::default()).expect("parses").iter().map(format_test_event).collect()
}

#[test]
fn scalar_values_and_styles() {
    let cases: &[(&str, &str, ScalarStyle)] = &[
        ("plain", "plain", ScalarStyle::Plain),
        ("a b\n  c\n\n  d", "a b c\nd", ScalarStyle::Plain),
        ("'it''s'", "it's", ScalarStyle::SingleQuoted),
        ("'a\n  b\n\n  c'", "a b\nc", ScalarStyle::SingleQuoted),
        (
            r#""a\tb\n\x41\u00e9\U0001F600\\\"\/\ \_\N\L\P\0\a\b\v\f\r\e""#,
            "a\tb\nAé😀\\\"/ \u{a0}\u{85}\u{2028}\u{2029}\0\x07\x08\x0b\x0c\r\x1b",
            ScalarStyle::DoubleQuoted,
        ),
        ("\"a\\\n   b\"", "ab", ScalarStyle::DoubleQuoted),
        ("\"a  \n  b\"", "a b", ScalarStyle::DoubleQuoted),
        ("|\n  a\n   b\n\n", "a\n b\n", ScalarStyle::Literal),
        ("|-\n  a\n\n", "a", ScalarStyle::Literal),
        ("|+\n  a\n\n", "a\n\n", ScalarStyle::Literal),
        ("|2\n   a\n  b\n", " a\nb\n", ScalarStyle::Literal),
        ("|\n\n  a\n", "\na\n", ScalarStyle::Literal),
        (">\n  a\n  b\n\n  c\n   d\n", "a b\nc\n d\n", ScalarStyle::Folded),
        (">-\n  a\n  b\n", "a b", ScalarStyle::Folded),
        ("\u{feff}bom", "bom", ScalarStyle::Plain),
        ("a\r\n  b\r\n", "a b", ScalarStyle::Plain),
    ];
    for (input, want, style) in cases {
        let n = root(input);
        match &n.kind {
            NodeKind::Scalar { value, style: s } => {
                assert_eq!(value, want, "value of {input:?}");
                assert_eq!(s, style, "style of {input:?}");
            }
            k => panic!("{input:?}: not a scalar: {k:?}"),
        }
    }
}

#[test]
fn collections_and_structure() {
    let n = root("a:\n- 1\n- 2\nb: {x: y, z}\nc: [p, q: r, [s]]\n? k\n: v\n: empty-key\n");
    let NodeKind::Mapping { entries, style } = &n.kind else { panic!("mapping") };
    assert_eq!(*style, CollectionStyle::Block);
    assert_eq!(entries.len(), 5);
    assert!(
        matches!(&get(&n, "a").kind, NodeKind::Sequence { items, style: CollectionStyle::Block } if items.len() == 2)
    );
    assert!(
        matches!(&get(&n, "b").kind, NodeKind::Mapping { entries, style: CollectionStyle::Flow } if entries.len() == 2 && entries[1].1.as_str() == Some(""))
    );
    let NodeKind::Sequence { items, .. } = &get(&n, "c").kind else { panic!("seq") };
    assert!(
        matches!(&items[1].kind, NodeKind::Mapping { entries, .. } if entries[0].0.as_str() == Some("q"))
    );
    assert_eq!(get(&n, "k").as_str(), Some("v"));
    assert_eq!(get(&n, "").as_str(), Some("empty-key"));
    // Duplicates are kept in order.
    let n = root("a: 1\na: 2\n");
    assert!(matches!(&n.kind, NodeKind::Mapping { entries, .. } if entries.len() == 2));
}

#[test]
fn spans_lines_and_columns() {
    // (input, path of keys, start (line, col), end (line, col))
    type Case<'s> = (&'s str, &'s [&'s str], (u32, u32), (u32, u32));
    let cases: &[Case] = &[
        ("a: b\n", &["a"], (1, 4), (1, 5)),
        ("x:\n  yy: 'zz'\n", &["x", "yy"], (2, 7), (2, 11)),
        ("x:\n  yy: 'zz'\n", &["x"], (2, 3), (2, 11)),
        ("é: ü\n", &["é"], (1, 4), (1, 5)),
        ("k: &a !!str v\n", &["k"], (1, 4), (1, 14)),
        ("k: [1, 2]\n", &["k"], (1, 4), (1, 10)),
        ("k: |\n  a\n  b\nz: 1\n", &["k"], (1, 4), (3, 4)),
        ("k: a\n  b\n", &["k"], (1, 4), (2, 4)),
    ];
    for (input, path, start, end) in cases {
        let r = root(input);
        let mut n = &r;
        for k in *path {
            n = get(n, k);
        }
        assert_eq!((n.span.start.line, n.span.start.column), *start, "start in {input:?}");
        assert_eq!((n.span.end.line, n.span.end.column), *end, "end in {input:?}");
    }
    // Byte index versus character column.
    let r = root("é: ü\n");
    let v = get(&r, "é");
    assert_eq!(v.span.start, Mark { index: 4, line: 1, column: 4 });
}

#[test]
fn comments_are_collected() {
    let docs = parse_stream(
        "# head\na: 1 # one\n# between\n---\nb: 2\n  # indented\n",
        &Limits::default(),
    )
    .expect("parses");
    assert_eq!(docs.len(), 2);
    let texts: Vec<&str> = docs[0].comments.iter().map(|c| c.text.as_str()).collect();
    assert_eq!(texts, [" head", " one", " between"]);
    let c = &docs[0].comments[1];
    assert_eq!((c.span.start.line, c.span.start.column, c.span.end.column), (2, 6, 11));
    let texts: Vec<&str> = docs[1].comments.iter().map(|c| c.text.as_str()).collect();
    assert_eq!(texts, [" indented"]);
    // A `#` inside scalars is not a comment.
    let docs = parse_stream("a: 'x # y'\nb: c#d\n", &Limits::default()).expect("parses");
    assert!(docs[0].comments.is_empty());
}

#[test]
fn documents_and_markers() {
    let cases: &[(&str, &[(bool, bool)])] = &[
        ("a\n", &[(false, false)]),
        ("--- a\n...\n", &[(true, true)]),
        ("a\n---\nb\n", &[(false, false), (true, false)]),
        ("a\n...\nb\n", &[(false, true), (false, false)]),
        ("%YAML 1.2\n---\na\n", &[(true, false)]),
        ("", &[]),
        ("# only a comment\n", &[]),
        ("---\n---\n", &[(true, false), (true, false)]),
    ];
    for (input, want) in cases {
        let docs = parse_stream(input, &Limits::default()).expect("parses");
        let got: Vec<(bool, bool)> =
            docs.iter().map(|d| (d.explicit_start, d.explicit_end)).collect();
        assert_eq!(&got, want, "{input:?}");
    }
    let docs = parse_stream("---\n", &Limits::default()).expect("parses");
    assert!(docs[0].root.is_none() || docs[0].root.as_ref().and_then(Node::as_str) == Some(""));
}

#[test]
fn tags_and_anchors() {
    let cases: &[(&str, &str)] = &[
        ("!!str a", "tag:yaml.org,2002:str"),
        ("!local a", "!local"),
        ("!<tag:example.com,2000:x> a", "tag:example.com,2000:x"),
        ("! a", "!"),
        ("%TAG !e! tag:example.com,2000:app/\n--- !e!foo a", "tag:example.com,2000:app/foo"),
        ("%TAG ! tag:example.com,2000:\n--- !foo a", "tag:example.com,2000:foo"),
        ("!e%21x a", "!e!x"),
    ];
    for (input, want) in cases {
        assert_eq!(root(input).tag(), Some(*want), "{input:?}");
    }
    let n = root("a: &x [1]\nb: *x\n");
    assert_eq!(get(&n, "a").anchor(), Some("x"));
    assert!(matches!(&get(&n, "b").kind, NodeKind::Alias { name } if name == "x"));
    assert_eq!(
        events("- &a !!map {k: v}\n- *a\n"),
        [
            "+STR",
            "+DOC",
            "+SEQ",
            "+MAP {} &a <tag:yaml.org,2002:map>",
            "=VAL :k",
            "=VAL :v",
            "-MAP",
            "=ALI *a",
            "-SEQ",
            "-DOC",
            "-STR"
        ]
    );
}

#[test]
fn syntax_errors_have_positions() {
    // (input, line, column, message fragment)
    let cases: &[(&str, u32, u32, &str)] = &[
        ("a: b: c\n", 1, 5, "mapping values are not allowed in this context"),
        ("a: 1\n b: 2\n", 2, 3, "mapping values are not allowed"),
        ("a:\n  b: 1\n c: 2\n", 3, 2, "did not find expected key"),
        ("[a, b\n", 2, 1, "did not find expected ',' or ']'"),
        ("{a: 1\n", 2, 1, "did not find expected ',' or ']'"),
        ("@x\n", 1, 1, "found character that cannot start any token"),
        ("\"abc\n", 1, 1, "found unexpected end of stream"),
        ("\"\\q\"\n", 1, 2, "found unknown escape character"),
        ("a: !x!y b\n", 1, 4, "found undefined tag handle"),
        ("- a\nb: c\n", 2, 1, "did not find expected '-' indicator"),
        ("key: 'x'# c\n", 1, 9, "comments must be separated"),
        ("a:\n\tb: 1\n", 2, 2, "found a tab character that violates indentation"),
        ("%FOO\n", 2, 1, "did not find expected <document start>"),
        ("a: 1\n%YAML 1.2\n---\n", 2, 1, "did not find expected <document start>"),
        ("%YAML 1.2\n%YAML 1.2\n---\n", 2, 1, "found duplicate %YAML directive"),
        ("- [a\n- b\n", 2, 1, "found flow content with insufficient indentation"),
        ("a: |0\n", 1, 5, "indentation indicator equal to 0"),
        ("&a &b x\n", 1, 4, "more than one anchor"),
    ];
    for (input, line, column, msg) in cases {
        match parse_stream(input, &Limits::default()) {
            Err(Error::Syntax { mark, message }) => {
                assert!(message.contains(msg), "{input:?}: message {message:?}");
                assert_eq!((mark.line, mark.column), (*line, *column), "{input:?}: {message}");
            }
            other => panic!("{input:?}: expected a syntax error, got {other:?}"),
        }
    }
    match parse_stream("a: *nope\n", &Limits::default()) {
        Err(Error::UnknownAnchor { mark, name }) => {
            assert_eq!((mark.line, mark.column, name.as_str()), (1, 4, "nope"));
        }
        other => panic!("expected an unknown anchor error, got {other:?}"),
    }
}

#[test]
fn limits_are_enforced() {
    let small = Limits { max_input_bytes: 4, ..Limits::default() };
    assert!(matches!(
        parse_stream("a: 12345\n", &small),
        Err(Error::Limit { what: "input size in bytes", limit: 4, .. })
    ));
    assert!(matches!(
        parse_events("a: 12345\n", &small),
        Err(Error::Limit { what: "input size in bytes", .. })
    ));
    let shallow = Limits { max_depth: 3, ..Limits::default() };
    let cases: &[(&str, bool)] = &[
        ("[[[a]]]", true),
        ("[[[[a]]]]", false),
        ("a:\n b:\n  c: d\n", true),
        ("a:\n b:\n  c:\n   d: e\n", false),
        ("- - - a\n", true),
        ("- - - - a\n", false),
        ("a: {b: [c: [d]]}\n", false),
    ];
    for (input, ok) in cases {
        let r = parse_stream(input, &shallow);
        if *ok {
            assert!(r.is_ok(), "{input:?}: {r:?}");
        } else {
            assert!(
                matches!(r, Err(Error::Limit { what: "nesting depth", limit: 3, .. })),
                "{input:?}: {r:?}"
            );
        }
    }
    // Hostile nesting with the default limits: a clean error, no stack overflow.
    for deep in ["[".repeat(200_000), "{a: ".repeat(200_000), "- ".repeat(200_000)] {
        assert!(matches!(
            parse_stream(&deep, &Limits::default()),
            Err(Error::Limit { what: "nesting depth", .. })
        ));
    }
    // Deep but allowed nesting composes and drops without overflowing the stack.
    let ok = format!("{}{}", "[".repeat(900), "]".repeat(900));
    assert!(parse_stream(&ok, &Limits::default()).is_ok());
}

/// A large Kubernetes-like stream: run with
/// `cargo test --release -p gitops-core --lib parse::tests::throughput -- --ignored --nocapture`.
#[test]
#[ignore]
fn throughput() {
    let mut s = String::new();
    for i in 0..2000 {
        s.push_str(&format!(
            "---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web-{i}\n  namespace: prod\n  labels:\n    app.kubernetes.io/name: web\n    app.kubernetes.io/instance: \"web-{i}\"\n  annotations:\n    description: >\n      A folded description\n      over two lines.\nspec:\n  replicas: 3\n  selector:\n    matchLabels: {{app: web, tier: frontend}}\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: web # the main container\n        image: 'registry.example.com/web:1.{i}'\n        args: [\"--port=8080\", \"--verbose\"]\n        ports:\n        - containerPort: 8080\n          protocol: TCP\n        env:\n        - name: A_LONG_ENVIRONMENT_VARIABLE_NAME\n          value: some plain value with several words in it\n        resources:\n          limits: {{cpu: 500m, memory: 128Mi}}\n        command:\n        - /bin/sh\n        - -c\n        - |\n          echo start\n          exec /app --serve\n"
        ));
    }
    let limits = Limits::default();
    let docs = parse_stream(&s, &limits).expect("parses");
    assert_eq!(docs.len(), 2000);
    drop(docs);
    let mb = s.len() as f64 / 1e6;
    println!(
        "sizes: Node {} B, Event {} B, Token {} B",
        std::mem::size_of::<Node>(),
        std::mem::size_of::<super::Event<'_>>(),
        std::mem::size_of::<super::scanner::Token<'_>>()
    );
    // The best of several rounds: the machine may be shared.
    let bench = |name: &str, f: &dyn Fn()| {
        let mut best = f64::MAX;
        let rounds =
            std::env::var("PARSER_BENCH_ROUNDS").ok().and_then(|r| r.parse().ok()).unwrap_or(30);
        for _ in 0..rounds {
            let t = std::time::Instant::now();
            f();
            best = best.min(t.elapsed().as_secs_f64());
        }
        println!("{name}: {mb:.2} MB in {:.1} ms = {:.1} MB/s", best * 1e3, mb / best);
    };
    bench("parse_stream (documents)", &|| {
        std::hint::black_box(parse_stream(&s, &limits).expect("parses"));
    });
    let mut best_drop = f64::MAX;
    for _ in 0..10 {
        let d = parse_stream(&s, &limits).expect("parses");
        let t = std::time::Instant::now();
        drop(d);
        best_drop = best_drop.min(t.elapsed().as_secs_f64());
    }
    println!("  of which dropping the documents: {:.1} ms", best_drop * 1e3);
    bench("parse_events", &|| {
        let mut p = super::parser::Parser::new(&s, 1000, super::Dialect::Yaml12);
        while let Some(ev) = p.next_event().expect("parses") {
            std::hint::black_box(&ev);
        }
    });
    bench("scanner only", &|| {
        let mut sc = super::scanner::Scanner::new(&s, 1000);
        while sc.next_token().expect("scans").kind != super::scanner::TokenKind::StreamEnd {}
    });
    bench("calibration: count ':' and lines", &|| {
        std::hint::black_box(s.bytes().filter(|&b| b == b':').count() + s.lines().count());
    });
}
