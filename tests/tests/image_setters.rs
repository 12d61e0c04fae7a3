//! Image setters: fixture tables modelled on image-automation-controller's setters tests,
//! and a property: output = input except for the marked values.
use std::fs;
use std::path::{Path, PathBuf};

use gitops_core::image::setters::{self, Error, ImageRef, Options, Setters, set_text};
use indexmap::IndexMap;
use proptest::prelude::*;

fn policies(list: &[(&str, &str)]) -> IndexMap<String, ImageRef> {
    list.iter().map(|(k, v)| (k.to_string(), ImageRef::parse(v).unwrap())).collect()
}

fn std_setters() -> Setters {
    Setters::new(
        &policies(&[
            ("automation-ns:policy", "index.repo.fake/updated:v1.0.1"),
            ("automation-ns:unchanged", "image:v1.0.0"),
            ("automation-ns:policy-with-digest", "image:v1.0.0@sha256:6745aaad46d795c9836632e1fb62f24b7e7f4c843144da8e47a5465c411a14be"),
            ("automation-ns:numeric", "registry.io/app:5.1"),
        ]),
        Some("automation-ns"),
    )
    .unwrap()
}

const M: &str = "automation-ns";

/// (name, input, expected output; `None` = unchanged, list of (setter, old, new)).
/// (setter, old, new).
type Expected = Vec<(&'static str, &'static str, &'static str)>;
/// (name, input, expected output, expected changes).
type Case = (&'static str, String, Option<String>, Expected);

fn cases() -> Vec<Case> {
    let mk = |s: &str| s.replace("NS", M);
    vec![
        (
            "line comment plain",
            mk(
                "kind: Deployment\nspec:\n  image: image:v1.0.0 # {\"$imagepolicy\": \"NS:policy\"}\n",
            ),
            Some(mk(
                "kind: Deployment\nspec:\n  image: index.repo.fake/updated:v1.0.1 # {\"$imagepolicy\": \"NS:policy\"}\n",
            )),
            vec![("automation-ns:policy", "image:v1.0.0", "index.repo.fake/updated:v1.0.1")],
        ),
        (
            "unchanged value not touched",
            mk("image: image:v1.0.0 # {\"$imagepolicy\": \"NS:unchanged\"}\n"),
            None,
            vec![],
        ),
        (
            "tag name digest setters",
            mk(
                "images:\n- name: image\n  newName: old # {\"$imagepolicy\": \"NS:policy:name\"}\n  newTag: v0 # {\"$imagepolicy\": \"NS:policy:tag\"}\n  digest: sha256:00 # {\"$imagepolicy\": \"NS:policy-with-digest:digest\"}\n",
            ),
            Some(mk(
                "images:\n- name: image\n  newName: index.repo.fake/updated # {\"$imagepolicy\": \"NS:policy:name\"}\n  newTag: v1.0.1 # {\"$imagepolicy\": \"NS:policy:tag\"}\n  digest: sha256:6745aaad46d795c9836632e1fb62f24b7e7f4c843144da8e47a5465c411a14be # {\"$imagepolicy\": \"NS:policy-with-digest:digest\"}\n",
            )),
            vec![
                ("automation-ns:policy:name", "old", "index.repo.fake/updated"),
                ("automation-ns:policy:tag", "v0", "v1.0.1"),
                (
                    "automation-ns:policy-with-digest:digest",
                    "sha256:00",
                    "sha256:6745aaad46d795c9836632e1fb62f24b7e7f4c843144da8e47a5465c411a14be",
                ),
            ],
        ),
        (
            "digest ref",
            mk("image: image:v0.9.0 # {\"$imagepolicy\": \"NS:policy-with-digest\"}\n"),
            Some(mk(
                "image: image:v1.0.0@sha256:6745aaad46d795c9836632e1fb62f24b7e7f4c843144da8e47a5465c411a14be # {\"$imagepolicy\": \"NS:policy-with-digest\"}\n",
            )),
            vec![(
                "automation-ns:policy-with-digest",
                "image:v0.9.0",
                "image:v1.0.0@sha256:6745aaad46d795c9836632e1fb62f24b7e7f4c843144da8e47a5465c411a14be",
            )],
        ),
        (
            "empty digest becomes double quoted",
            mk("digest: sha256:00 # {\"$imagepolicy\": \"NS:policy:digest\"}\n"),
            Some(mk("digest: \"\" # {\"$imagepolicy\": \"NS:policy:digest\"}\n")),
            vec![("automation-ns:policy:digest", "sha256:00", "")],
        ),
        (
            "double quoted kept",
            mk("image: \"image:v1\"   # {\"$imagepolicy\": \"NS:policy\"}\n"),
            Some(mk(
                "image: \"index.repo.fake/updated:v1.0.1\"   # {\"$imagepolicy\": \"NS:policy\"}\n",
            )),
            vec![("automation-ns:policy", "image:v1", "index.repo.fake/updated:v1.0.1")],
        ),
        (
            "single quoted kept",
            mk("image: 'image:v1' #{\"$imagepolicy\":\"NS:policy\"}\n"),
            Some(mk("image: 'index.repo.fake/updated:v1.0.1' #{\"$imagepolicy\":\"NS:policy\"}\n")),
            vec![("automation-ns:policy", "image:v1", "index.repo.fake/updated:v1.0.1")],
        ),
        (
            "plain non-string becomes double quoted",
            mk("tag: v5 # {\"$imagepolicy\": \"NS:numeric:tag\"}\n"),
            Some(mk("tag: \"5.1\" # {\"$imagepolicy\": \"NS:numeric:tag\"}\n")),
            vec![("automation-ns:numeric:tag", "v5", "5.1")],
        ),
        (
            "single quoted non-string stays single",
            mk("tag: 'v5' # {\"$imagepolicy\": \"NS:numeric:tag\"}\n"),
            Some(mk("tag: '5.1' # {\"$imagepolicy\": \"NS:numeric:tag\"}\n")),
            vec![("automation-ns:numeric:tag", "v5", "5.1")],
        ),
        (
            "sequence item head comment",
            mk("args:\n  # {\"$imagepolicy\": \"NS:policy\"}\n  - image:v1\n  - other\n"),
            Some(mk(
                "args:\n  # {\"$imagepolicy\": \"NS:policy\"}\n  - index.repo.fake/updated:v1.0.1\n  - other\n",
            )),
            vec![("automation-ns:policy", "image:v1", "index.repo.fake/updated:v1.0.1")],
        ),
        (
            "sequence item line comment",
            mk("args: [\n  a,\n  image:v1, # {\"$imagepolicy\": \"NS:policy\"}\n]\n"),
            None,
            vec![],
        ),
        (
            "flow mapping value",
            mk("c: {image: image:v1} # {\"$imagepolicy\": \"NS:policy\"}\n"),
            None,
            vec![],
        ),
        (
            "head comment over mapping key is the key's",
            mk("spec:\n  # {\"$imagepolicy\": \"NS:policy\"}\n  image: image:v1\n"),
            None,
            vec![],
        ),
        (
            "other namespace ignored",
            "image: image:v1 # {\"$imagepolicy\": \"other-ns:policy\"}\n".to_string(),
            None,
            vec![],
        ),
        (
            "marker inside block scalar ignored",
            mk("script: |\n  image: image:v1 # {\"$imagepolicy\": \"NS:policy\"}\n"),
            None,
            vec![],
        ),
        (
            "marker needs json double quotes",
            mk("image: image:v1 # {'$imagepolicy': 'NS:policy'}\n"),
            None,
            vec![],
        ),
        (
            "unknown suffix ignored",
            mk("image: image:v1 # {\"$imagepolicy\": \"NS:policy:label\"}\n"),
            None,
            vec![],
        ),
        (
            "long form ref",
            mk("image: image:v1 # {\"$ref\": \"#/definitions/io.k8s.cli.setters.NS:policy\"}\n"),
            Some(mk(
                "image: index.repo.fake/updated:v1.0.1 # {\"$ref\": \"#/definitions/io.k8s.cli.setters.NS:policy\"}\n",
            )),
            vec![("automation-ns:policy", "image:v1", "index.repo.fake/updated:v1.0.1")],
        ),
        (
            "double hash comment",
            mk("image: image:v1 ## {\"$imagepolicy\": \"NS:policy\"}\n"),
            Some(mk(
                "image: index.repo.fake/updated:v1.0.1 ## {\"$imagepolicy\": \"NS:policy\"}\n",
            )),
            vec![("automation-ns:policy", "image:v1", "index.repo.fake/updated:v1.0.1")],
        ),
        (
            "multi docs, crlf-free, comments elsewhere kept",
            mk(
                "# top\napiVersion: v1\nkind: A\nmetadata: {name: a}\n---\n# doc 2\napiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: b\n  namespace: x\nspec:\n      containers:\n      -   image:   image:v1     # {\"$imagepolicy\": \"NS:policy\"}\n          name: c   # trailing\n",
            ),
            Some(mk(
                "# top\napiVersion: v1\nkind: A\nmetadata: {name: a}\n---\n# doc 2\napiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: b\n  namespace: x\nspec:\n      containers:\n      -   image:   index.repo.fake/updated:v1.0.1     # {\"$imagepolicy\": \"NS:policy\"}\n          name: c   # trailing\n",
            )),
            vec![("automation-ns:policy", "image:v1", "index.repo.fake/updated:v1.0.1")],
        ),
        (
            "value escapes in double quotes",
            mk("image: \"im\\x61ge:v1\" # {\"$imagepolicy\": \"NS:policy\"}\n"),
            Some(mk(
                "image: \"index.repo.fake/updated:v1.0.1\" # {\"$imagepolicy\": \"NS:policy\"}\n",
            )),
            vec![("automation-ns:policy", "image:v1", "index.repo.fake/updated:v1.0.1")],
        ),
        (
            "tagged scalar",
            mk("image: !!str image:v1 # {\"$imagepolicy\": \"NS:policy\"}\n"),
            Some(mk(
                "image: !!str index.repo.fake/updated:v1.0.1 # {\"$imagepolicy\": \"NS:policy\"}\n",
            )),
            vec![("automation-ns:policy", "image:v1", "index.repo.fake/updated:v1.0.1")],
        ),
        (
            "anchored scalar",
            mk("image: &img image:v1 # {\"$imagepolicy\": \"NS:policy\"}\nother: *img\n"),
            Some(mk(
                "image: &img index.repo.fake/updated:v1.0.1 # {\"$imagepolicy\": \"NS:policy\"}\nother: *img\n",
            )),
            vec![("automation-ns:policy", "image:v1", "index.repo.fake/updated:v1.0.1")],
        ),
    ]
}

#[test]
fn setters_table() {
    let setters = std_setters();
    let mut failures = Vec::new();
    for (name, input, want, want_changes) in cases() {
        let edit = match set_text(&input, &setters) {
            Ok(e) => e,
            Err(e) => {
                failures.push(format!("{name}: parse error {e}"));
                continue;
            }
        };
        if edit.text != want {
            failures.push(format!("{name}:\n--- want\n{want:?}\n--- got\n{:?}", edit.text));
        }
        let got: Vec<(String, String, String)> = edit
            .changes
            .iter()
            .map(|c| (c.setter.clone(), c.old_value.clone(), c.new_value.clone()))
            .collect();
        let want_c: Vec<(String, String, String)> = want_changes
            .iter()
            .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
            .collect();
        if got != want_c {
            failures.push(format!("{name}: changes want {want_c:?} got {got:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn object_identity_and_warnings() {
    let setters = std_setters();
    let text = "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: foo\n  namespace: bar\nspec:\n  a: image:v1 # {\"$imagepolicy\": \"automation-ns:policy\"}\n  b: x # {\"$imagepolicy\": \"automation-ns:missing\"}\n";
    let edit = set_text(text, &setters).unwrap();
    assert_eq!(edit.changes.len(), 1);
    let c = &edit.changes[0];
    assert_eq!(
        (
            c.object.api_version.as_str(),
            c.object.kind.as_str(),
            c.object.name.as_str(),
            c.object.namespace.as_str()
        ),
        ("batch/v1", "CronJob", "foo", "bar")
    );
    assert_eq!((c.line, c.column), (7, 6));
    assert_eq!(edit.warnings.len(), 1);
    assert_eq!(edit.warnings[0].setter, "automation-ns:missing");
    assert_eq!(
        edit.warnings[0].to_string(),
        "-:8:6: no policy for setter \"automation-ns:missing\""
    );
}

#[test]
fn invalid_refs_and_keys() {
    let bad = Setters::new(&policies(&[("ns:p", "Bad/Upper:v1")]), None).unwrap_err();
    assert!(
        bad.to_string().starts_with(
            "encountered invalid image ref \"Bad/Upper:v1\": repository can only contain"
        ),
        "{bad}"
    );
    let bad_key = Setters::new(&policies(&[("nocolon", "image:v1")]), None).unwrap_err();
    assert!(matches!(bad_key, Error::InvalidPolicyKey { .. }));
    let r = ImageRef::parse("localhost:5000/app:1.2@sha256:ab").unwrap();
    assert_eq!(
        (r.name.as_str(), r.tag.as_str(), r.digest.as_deref()),
        ("localhost:5000/app", "1.2", Some("sha256:ab"))
    );
    assert!(ImageRef::parse("localhost:5000/app").is_none());
}

fn tmpdir(name: &str) -> PathBuf {
    let d =
        std::env::temp_dir().join(format!("gitops-image-setters-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&d);
    fs::create_dir_all(&d).unwrap();
    d
}

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(p, text).unwrap();
}

#[test]
fn tree_update_like_flux_fixture() {
    let root = tmpdir("tree");
    let marked = "apiVersion: batch/v1beta1\nkind: CronJob\nmetadata:\n  name: foo\n  namespace: bar\nspec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers:\n          - name: c\n            image: image:v1.0.0 # {\"$imagepolicy\": \"automation-ns:policy\"}\n          - name: d\n            image: image:v1.0.0 # {\"$imagepolicy\": \"automation-ns:unchanged\"}\n";
    let kust = "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nimages:\n- name: image\n  newName: image # {\"$imagepolicy\": \"automation-ns:policy:name\"}\n  newTag: v1.0.0 # {\"$imagepolicy\": \"automation-ns:policy:tag\"}\n";
    let other = "image: image:v1.0.0 # {\"$imagepolicy\": \"other-ns:policy\"}\n";
    let unmarked = "image: image:v1.0.0\n";
    let broken = "image: [unclosed # {\"$imagepolicy\": \"automation-ns:policy\"}\n";
    write(&root, "marked.yaml", marked);
    write(&root, "sub/Kustomization", kust);
    write(&root, "otherns.yaml", other);
    write(&root, "unmarked.yaml", unmarked);
    write(&root, "broken.yml", broken);
    write(&root, "notes.txt", marked);
    #[cfg(unix)]
    std::os::unix::fs::symlink(root.join("does-not-exist.yaml"), root.join("test.yaml")).unwrap();
    let before_unmarked = fs::metadata(root.join("unmarked.yaml")).unwrap().modified().unwrap();

    let out = setters::update_tree(&root, &std_setters(), &Options::default()).unwrap();
    let files: Vec<&str> = out.files.iter().map(|f| f.file.as_str()).collect();
    assert_eq!(files, ["marked.yaml", "sub/Kustomization"]);
    assert_eq!(out.problem_files, ["broken.yml"]);
    // Flux ignores the other-namespace marker silently; we report it.
    let warned: Vec<String> = out.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(warned, ["otherns.yaml:1:8: no policy for setter \"other-ns:policy\""]);
    assert_eq!(
        fs::read_to_string(root.join("marked.yaml")).unwrap(),
        marked.replacen(
            "image: image:v1.0.0 # {\"$imagepolicy\": \"automation-ns:policy\"}",
            "image: index.repo.fake/updated:v1.0.1 # {\"$imagepolicy\": \"automation-ns:policy\"}",
            1
        )
    );
    assert_eq!(
        fs::read_to_string(root.join("sub/Kustomization")).unwrap(),
        kust.replace("newName: image ", "newName: index.repo.fake/updated ")
            .replace("newTag: v1.0.0", "newTag: v1.0.1")
    );
    assert_eq!(fs::read_to_string(root.join("otherns.yaml")).unwrap(), other);
    assert_eq!(fs::read_to_string(root.join("notes.txt")).unwrap(), marked);
    assert_eq!(
        fs::metadata(root.join("unmarked.yaml")).unwrap().modified().unwrap(),
        before_unmarked
    );
    let by = out.by_object();
    let objs: Vec<String> = by["marked.yaml"].keys().map(|o| o.to_string()).collect();
    assert_eq!(objs, ["batch/CronJob/bar/foo"]);
    // No temp files left behind.
    let leftovers: Vec<_> = fs::read_dir(&root)
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().contains("gitops-tmp"))
        .collect();
    assert!(leftovers.is_empty());
    // A second run changes nothing.
    let again = setters::update_tree(&root, &std_setters(), &Options::default()).unwrap();
    assert!(again.files.is_empty());

    // Strict mode turns an unknown setter into an error; the other-namespace marker now
    // names a policy that exists but is filtered out by the automation namespace.
    let strict = Options { strict: true, ..Options::default() };
    let all = Setters::new(
        &policies(&[("automation-ns:policy", "image:v2"), ("other-ns:policy", "image:v3")]),
        Some("automation-ns"),
    )
    .unwrap();
    let marked_now = fs::read_to_string(root.join("marked.yaml")).unwrap();
    let err = setters::update_tree(&root, &all, &strict).unwrap_err();
    assert!(matches!(err, Error::MissingPolicy { .. }), "{err}");
    // marked.yaml (walked before otherns.yaml) would change to image:v2, but the error
    // comes first: nothing is written.
    assert_eq!(fs::read_to_string(root.join("marked.yaml")).unwrap(), marked_now);
    let _ = fs::remove_dir_all(&root);
}

// ---- property: only the marked values' bytes change ----

#[derive(Debug, Clone)]
enum Val {
    Marked { quote: u8, old: String, setter: usize },
    Plain(String),
}

fn scalar_text(s: &str, quote: u8) -> String {
    match quote {
        0 => s.to_string(),
        1 => format!("'{s}'"),
        _ => format!("\"{s}\""),
    }
}

fn arb_word() -> impl Strategy<Value = String> {
    "[a-z][a-z0-9./-]{0,10}:[a-z0-9.]{1,6}"
}

fn arb_val() -> impl Strategy<Value = Val> {
    prop_oneof![
        (0u8..3, arb_word(), 0usize..4).prop_map(|(quote, old, setter)| Val::Marked {
            quote,
            old,
            setter
        }),
        arb_word().prop_map(Val::Plain),
    ]
}

const SETTER_NAMES: [&str; 4] = [
    "automation-ns:policy",
    "automation-ns:policy:tag",
    "automation-ns:policy:name",
    "automation-ns:policy-with-digest",
];

/// Render a document: block mappings/sequences with random indentation and comments,
/// and the expected output alongside.
fn render(vals: &[(Val, u8, bool)], indent: usize, seq_style: bool) -> (String, String) {
    let setters = std_setters();
    let pad = " ".repeat(indent);
    let mut input = String::from(
        "# leading comment\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: generated # name\nspec:\n",
    );
    let mut expect = input.clone();
    for (i, (v, layout, extra_comment)) in vals.iter().enumerate() {
        if *extra_comment {
            let c = format!("{pad}# comment {i}\n");
            input.push_str(&c);
            expect.push_str(&c);
        }
        let lead = if seq_style { format!("{pad}- k{i}: ") } else { format!("{pad}k{i}: ") };
        match v {
            Val::Plain(s) => {
                let line = format!("{lead}{s}\n");
                input.push_str(&line);
                expect.push_str(&line);
            }
            Val::Marked { quote, old, setter } => {
                let name = SETTER_NAMES[*setter];
                let marker = format!("# {{\"$imagepolicy\": \"{name}\"}}");
                let new_value = setters.get(name).unwrap().value.clone();
                let new_text = if new_value == *old {
                    scalar_text(old, *quote)
                } else {
                    scalar_text(&new_value, *quote)
                };
                let gap = " ".repeat(1 + (*layout as usize % 3));
                if *layout % 2 == 0 || seq_style {
                    input.push_str(&format!("{lead}{}{gap}{marker}\n", scalar_text(old, *quote)));
                    expect.push_str(&format!("{lead}{new_text}{gap}{marker}\n"));
                } else {
                    // A sequence of one scalar with the marker as its head comment.
                    let item_pad = format!("{pad}  ");
                    let head = format!("{lead}\n{item_pad}{marker}\n{item_pad}- ");
                    input.push_str(&format!("{head}{}\n", scalar_text(old, *quote)));
                    expect.push_str(&format!("{head}{new_text}\n"));
                }
            }
        }
    }
    input.push_str("# trailing comment\n");
    expect.push_str("# trailing comment\n");
    (input, expect)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]
    #[test]
    fn only_marked_bytes_change(
        docs in prop::collection::vec((prop::collection::vec((arb_val(), 0u8..6, any::<bool>()), 1..8), 1usize..5, any::<bool>()), 1..4)
    ) {
        let mut input = String::new();
        let mut expect = String::new();
        for (i, (vals, indent, seq)) in docs.iter().enumerate() {
            if i > 0 {
                input.push_str("---\n");
                expect.push_str("---\n");
            }
            let (a, b) = render(vals, *indent, *seq);
            input.push_str(&a);
            expect.push_str(&b);
        }
        let edit = set_text(&input, &std_setters()).unwrap();
        let out = edit.text.clone().unwrap_or_else(|| input.clone());
        prop_assert_eq!(&out, &expect, "input:\n{}", input);
        // And setting again is a fixed point.
        let again = set_text(&out, &std_setters()).unwrap();
        prop_assert!(again.text.is_none());
    }
}
