use proptest::prelude::*;

use super::*;
use crate::yaml::{Mapping, parse_values};

fn read(text: &str) -> Vec<Value> {
    parse_values(text, Profile::Kyaml, &Limits::default()).unwrap()
}

fn p(spec: &str) -> Vec<Seg> {
    // `a.b[0].c[name=x]`
    let mut out = Vec::new();
    for part in spec.split('.').filter(|s| !s.is_empty()) {
        let (head, rest) = part.split_once('[').map_or((part, ""), |(h, r)| (h, r));
        if !head.is_empty() {
            out.push(Seg::key(head));
        }
        for sel in rest.split('[').filter(|s| !s.is_empty()) {
            let sel = sel.trim_end_matches(']');
            match sel.split_once('=') {
                Some((k, v)) => out.push(Seg::item(k, v)),
                None => out.push(Seg::Index(sel.parse().unwrap())),
            }
        }
    }
    out
}

#[test]
fn set_scalar_table() {
    let s = |v: &str| Value::from(v);
    let cases: &[(&str, &str, Value, &str)] = &[
        ("a: v1\n", "a", s("v2"), "a: v2\n"),
        ("a: v1 # keep\n", "a", s("v2"), "a: v2 # keep\n"),
        ("a: 'v1'\n", "a", s("v2"), "a: 'v2'\n"),
        ("a: \"v1\"\n", "a", s("v2"), "a: \"v2\"\n"),
        ("a: v1\n", "a", s("1.10"), "a: \"1.10\"\n"),
        ("a: v1\n", "a", s("true"), "a: \"true\"\n"),
        ("a: v1\n", "a", s("yes"), "a: \"yes\"\n"),
        ("a: v1\n", "a", s(""), "a: \"\"\n"),
        ("a: v1\n", "a", s("x #y"), "a: \"x #y\"\n"),
        ("a: v1\n", "a", s("k: v"), "a: \"k: v\"\n"),
        ("a: 'v1'\n", "a", s("it's"), "a: 'it''s'\n"),
        ("a: 'v1'\n", "a", s("1.10"), "a: '1.10'\n"),
        ("a: \"v1\"\n", "a", s("say \"x\""), "a: \"say \\\"x\\\"\"\n"),
        ("a: 1\n", "a", Value::Int(3), "a: 3\n"),
        ("a: \"1\"\n", "a", Value::Int(3), "a: 3\n"),
        ("a: &x v1\n", "a", s("v2"), "a: &x v2\n"),
        ("a: !!str v1\n", "a", s("v2"), "a: !!str v2\n"),
        ("a: |\n  v1\nb: 2\n", "a", s("v2"), "a: \"v2\"\nb: 2\n"),
        ("a:\nb: 2\n", "a", s("v2"), "a: v2\nb: 2\n"),
        ("a: {b: v1, c: 2}\n", "a.b", s("x,y"), "a: {b: \"x,y\", c: 2}\n"),
        ("a: {b: v1, c: 2}\n", "a.b", s("v2"), "a: {b: v2, c: 2}\n"),
        (
            "images:\n- name: a\n  newTag: v1\n- name: b\n  newTag: v1\n",
            "images[name=b].newTag",
            s("v2"),
            "images:\n- name: a\n  newTag: v1\n- name: b\n  newTag: v2\n",
        ),
        (
            "spec:\n  containers:\n    - name: app\n      image: x:1 # {\"$imagepolicy\": \"a:b\"}\n",
            "spec.containers[0].image",
            s("x:2"),
            "spec:\n  containers:\n    - name: app\n      image: x:2 # {\"$imagepolicy\": \"a:b\"}\n",
        ),
    ];
    for (text, path, value, want) in cases {
        let got = set_scalar(text, 0, &p(path), value).unwrap();
        assert_eq!(&got, want, "{text:?} {path} {value:?}");
        // The value reads back.
        let docs = read(&got);
        let mut cur = &docs[0];
        for seg in p(path) {
            cur = match seg {
                Seg::Key(k) => cur.get(&k).unwrap(),
                Seg::Index(i) => &cur.as_seq().unwrap()[i],
                Seg::Item { key, value } => cur
                    .as_seq()
                    .unwrap()
                    .iter()
                    .find(|i| i.get(&key).and_then(Value::as_str) == Some(&value))
                    .unwrap(),
            };
        }
        assert_eq!(cur, value, "{got}");
    }
}

#[test]
fn set_scalar_second_document() {
    let text = "a: 1\n---\nkind: K\nmetadata:\n  name: x\nspec:\n  v: old\n";
    assert_eq!(documents_of(text, "K", "x").unwrap(), [1]);
    assert_eq!(documents_of(text, "", "x").unwrap(), [1]);
    assert!(documents_of(text, "K", "y").unwrap().is_empty());
    let got = set_scalar(text, 1, &p("spec.v"), &Value::from("new")).unwrap();
    assert_eq!(got, "a: 1\n---\nkind: K\nmetadata:\n  name: x\nspec:\n  v: new\n");
}

#[test]
fn errors_table() {
    let text = "a:\n  b: [1]\nc: 1\n";
    let text_alias = "x: &x 1\nc: *x\n";
    let e = set_scalar(text, 0, &p("a.z"), &Value::Int(1)).unwrap_err();
    assert_eq!(e.to_string(), "document 0: path .a.z not found");
    let e = set_scalar(text, 3, &p("a"), &Value::Int(1)).unwrap_err();
    assert_eq!(e.to_string(), "document 3 does not exist or is empty");
    let e = set_scalar(text, 0, &p("a"), &Value::Int(1)).unwrap_err();
    assert_eq!(e.to_string(), "document 0: line 2: .a is not a scalar");
    let e = set_scalar(text_alias, 0, &p("c"), &Value::Int(1)).unwrap_err();
    assert_eq!(e.to_string(), "document 0: line 2: .c is an alias");
    let e = insert_key(text, 0, &p("a"), "b", &Value::Int(1)).unwrap_err();
    assert_eq!(e.to_string(), "document 0: line 2: key 'b' exists already at .a");
    let e = append_item(text, 0, &p("a.b"), &Value::Int(1)).unwrap_err();
    assert_eq!(e.to_string(), "document 0: line 2: .a.b is not a block sequence");
    let e = remove_key(text, 0, &p("a"), "q").unwrap_err();
    assert_eq!(e.to_string(), "document 0: path .a.q not found");
}

fn image(name: &str, tag: &str) -> Value {
    let mut m = Mapping::new();
    m.insert("name".into(), Value::from(name));
    m.insert("newTag".into(), Value::from(tag));
    Value::Map(m)
}

#[test]
fn append_item_table() {
    let cases: &[(&str, &str, Value, &str)] = &[
        // Indentless (kustomize style).
        (
            "images:\n- name: a\n  newTag: v1\nreplicas: []\n",
            "images",
            image("b", "1.10"),
            "images:\n- name: a\n  newTag: v1\n- name: b\n  newTag: \"1.10\"\nreplicas: []\n",
        ),
        // Indented.
        (
            "spec:\n  images:\n    - name: a # c\n      newTag: v1\n\n# tail\n",
            "spec.images",
            image("b", "v2"),
            "spec:\n  images:\n    - name: a # c\n      newTag: v1\n    - name: b\n      newTag: v2\n\n# tail\n",
        ),
        // No final newline.
        ("l:\n- a", "l", Value::from("b"), "l:\n- a\n- b\n"),
        // An empty value becomes a list, in the file's style.
        (
            "images:\nres:\n- x\n",
            "images",
            image("b", "v2"),
            "images:\n- name: b\n  newTag: v2\nres:\n- x\n",
        ),
        (
            "a:\n  images:\n  res:\n    - x\n",
            "a.images",
            Value::from("z"),
            "a:\n  images:\n    - z\n  res:\n    - x\n",
        ),
    ];
    for (text, path, value, want) in cases {
        let got = append_item(text, 0, &p(path), value).unwrap();
        assert_eq!(&got, want, "{text:?}");
        read(&got);
    }
}

#[test]
fn insert_and_remove_table() {
    let imgs = Value::Seq(vec![image("app", "v2")]);
    let cases: &[(&str, &str, &str, Value, &str)] = &[
        ("a: 1\n", "", "b", Value::from("x"), "a: 1\nb: x\n"),
        (
            "kind: K\nresources:\n- a\n",
            "",
            "images",
            imgs.clone(),
            "kind: K\nresources:\n- a\nimages:\n- name: app\n  newTag: v2\n",
        ),
        (
            "kind: K\nresources:\n  - a\n",
            "",
            "images",
            imgs.clone(),
            "kind: K\nresources:\n  - a\nimages:\n  - name: app\n    newTag: v2\n",
        ),
        (
            "s:\n  a: 1\n  # own\nt: 2\n",
            "s",
            "b",
            Value::Int(2),
            "s:\n  a: 1\n  b: 2\n  # own\nt: 2\n",
        ),
        ("s:\nt: 2\n", "s", "b", Value::from("x"), "s:\n  b: x\nt: 2\n"),
    ];
    for (text, path, key, value, want) in cases {
        let got = insert_key(text, 0, &p(path), key, value).unwrap();
        assert_eq!(&got, want, "{text:?}");
        read(&got);
    }
    let removes: &[(&str, &str, &str, &str)] = &[
        ("a: 1\nb: 2 # c\nd: 3\n", "", "b", "a: 1\nd: 3\n"),
        ("a: 1\nb:\n  - x\n  - y\nd: 3\n", "", "b", "a: 1\nd: 3\n"),
        (
            "l:\n- name: a\n  digest: sha256:x\n  newTag: v1\n",
            "l[0]",
            "digest",
            "l:\n- name: a\n  newTag: v1\n",
        ),
        ("l:\n- name: a\n  newTag: v1\n", "l[0]", "name", "l:\n- newTag: v1\n"),
        ("s:\n  a: 1\nt: 2\n", "s", "a", "s:\n  {}\nt: 2\n"),
        ("a: 1\nb: 2", "", "b", "a: 1\n"),
    ];
    for (text, path, key, want) in removes {
        let got = remove_key(text, 0, &p(path), key).unwrap();
        assert_eq!(&got, want, "{text:?}");
        read(&got);
    }
}

// ---- property: random files, one edit, every other byte the same ----

#[derive(Debug, Clone)]
enum Tree {
    Scalar(String, u8),
    Map(Vec<Tree>),
    Seq(Vec<Tree>, bool),
}

const WORDS: &[&str] = &[
    "v1.2.3",
    "1.10",
    "true",
    "",
    "a #b",
    "x: y",
    "it's",
    "ghcr.io/a/b:1.0",
    "null",
    "~",
    "123",
    "-",
    "0x1F",
    "say \"hi\"",
    "plain words",
    "@at",
    "sha256:abc",
    "yes",
    "no",
    "1e3",
    "é",
];

fn scalar() -> impl Strategy<Value = Tree> {
    (prop_oneof![prop::sample::select(WORDS).prop_map(str::to_owned), "[a-z0-9.:/-]{1,12}"], 0u8..3)
        .prop_map(|(s, st)| Tree::Scalar(s, st))
}

fn tree() -> impl Strategy<Value = Tree> {
    let leaf = scalar();
    leaf.prop_recursive(4, 40, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 1..5).prop_map(Tree::Map),
            (prop::collection::vec(inner, 1..4), any::<bool>()).prop_map(|(v, b)| Tree::Seq(v, b)),
        ]
    })
}

fn root() -> impl Strategy<Value = Tree> {
    prop::collection::vec(tree(), 1..6).prop_map(Tree::Map)
}

fn scalar_text(s: &str, st: u8) -> String {
    match st {
        0 => encode_string(s, ScalarStyle::Plain, false),
        1 => encode_string(s, ScalarStyle::SingleQuoted, false),
        _ => encode_string(s, ScalarStyle::DoubleQuoted, false),
    }
}

/// Render `t` as the value after `key:` (or `- `), at `indent`; comments sprinkled in.
fn render(t: &Tree, indent: usize, in_map: bool, out: &mut String, comment: &mut u32) {
    *comment += 1;
    match t {
        Tree::Scalar(s, st) => {
            out.push(' ');
            out.push_str(&scalar_text(s, *st));
            if comment.is_multiple_of(3) {
                out.push_str(" # c");
            }
            out.push('\n');
        }
        Tree::Map(entries) => {
            out.push('\n');
            for (i, e) in entries.iter().enumerate() {
                if comment.is_multiple_of(4) {
                    out.push_str(&format!("{}# comment {i}\n", " ".repeat(indent)));
                }
                out.push_str(&format!("{}k{i}:", " ".repeat(indent)));
                render(e, indent + 2, true, out, comment);
                if comment.is_multiple_of(5) {
                    out.push('\n');
                }
            }
        }
        Tree::Seq(items, indentless) => {
            out.push('\n');
            let dash = if *indentless && in_map { indent.saturating_sub(2) } else { indent };
            for it in items {
                out.push_str(&format!("{}-", " ".repeat(dash)));
                render(it, dash + 2, false, out, comment);
            }
        }
    }
}

fn to_text(t: &Tree) -> String {
    let mut out = String::from("# header\n");
    let mut c = 0;
    if let Tree::Map(entries) = t {
        for (i, e) in entries.iter().enumerate() {
            out.push_str(&format!("k{i}:"));
            render(e, 2, true, &mut out, &mut c);
        }
    }
    out
}

/// Every path to a scalar / mapping / sequence.
fn paths(t: &Tree, here: Vec<Seg>, out: &mut Vec<(Vec<Seg>, u8)>) {
    match t {
        Tree::Scalar(..) => out.push((here, 0)),
        Tree::Map(e) => {
            out.push((here.clone(), 1));
            for (i, c) in e.iter().enumerate() {
                let mut p = here.clone();
                p.push(Seg::Key(format!("k{i}")));
                paths(c, p, out);
            }
        }
        Tree::Seq(items, _) => {
            out.push((here.clone(), 2));
            for (i, c) in items.iter().enumerate() {
                let mut p = here.clone();
                p.push(Seg::Index(i));
                paths(c, p, out);
            }
        }
    }
}

fn value_at<'a>(v: &'a mut Value, path: &[Seg]) -> &'a mut Value {
    let mut cur = v;
    for s in path {
        cur = match s {
            Seg::Key(k) => cur.get_mut(k).unwrap(),
            Seg::Index(i) => &mut cur.as_seq_mut().unwrap()[*i],
            Seg::Item { .. } => unreachable!(),
        };
    }
    cur
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn edits_change_only_their_span(t in root(), pick in any::<prop::sample::Index>(), new in prop_oneof![prop::sample::select(WORDS).prop_map(str::to_owned), "[ -~]{0,10}"]) {
        let text = to_text(&t);
        let before = parse_values(&text, Profile::Kyaml, &Limits::default()).map_err(|e| TestCaseError::fail(format!("{e}: {text:?}")))?;
        prop_assert_eq!(before.len(), 1, "{}", text);
        let mut all = Vec::new();
        paths(&t, Vec::new(), &mut all);
        let (path, kind) = pick.get(&all).clone();
        let mut want = before[0].clone();
        let got = match kind {
            0 => {
                let out = set_scalar(&text, 0, &path, &Value::from(new.as_str())).unwrap();
                *value_at(&mut want, &path) = Value::from(new.as_str());
                // Bytes outside the value's span are the same.
                let node = get(&text, 0, &path).unwrap().unwrap();
                let start = content_start(&text, &node);
                let end = node.span.end.index as usize;
                prop_assert_eq!(&out[..start], &text[..start]);
                let tail = &text[end..];
                prop_assert!(out.ends_with(tail), "{:?} -> {:?}", text, out);
                out
            }
            1 => {
                let out = insert_key(&text, 0, &path, "added", &Value::from(new.as_str())).unwrap();
                value_at(&mut want, &path).as_map_mut().unwrap().insert("added".into(), Value::from(new.as_str()));
                out
            }
            _ => {
                let out = append_item(&text, 0, &path, &image("n", &new)).unwrap();
                value_at(&mut want, &path).as_seq_mut().unwrap().push(image("n", &new));
                out
            }
        };
        // Insertions only add bytes: the original is the output minus one contiguous run.
        if kind != 0 {
            let pre = text.bytes().zip(got.bytes()).take_while(|(a, b)| a == b).count();
            let added = got.len() - text.len();
            prop_assert_eq!(&got[pre + added..], &text[pre..], "{:?} -> {:?}", text, got);
        }
        let after = parse_values(&got, Profile::Kyaml, &Limits::default()).map_err(|e| TestCaseError::fail(format!("{e}: {text:?} -> {got:?}")))?;
        prop_assert_eq!(&after[0], &want, "{:?} -> {:?}", text, got);
        // And removing what was inserted gives the original text back.
        if kind == 1 {
            prop_assert_eq!(remove_key(&got, 0, &path, "added").unwrap(), text.clone());
        }
    }
}
