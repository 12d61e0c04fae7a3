//! Random kustomizations over a small in-memory tree (an overlay over a base): the build
//! returns output or an error, never panics or hangs.
#![no_main]
use std::path::Path;

use arbitrary::Arbitrary;
use gitops_kustomize::{LoadRestrictor, MemFs, Options, Reorder};
use libfuzzer_sys::fuzz_target;

/// One kustomization field, with fuzzer-chosen contents.
#[derive(Arbitrary, Debug)]
enum Field {
    NamePrefix(String),
    NameSuffix(String),
    Namespace(String),
    CommonLabels(Vec<(String, String)>),
    CommonAnnotations(Vec<(String, String)>),
    Image { name: String, new_tag: String },
    Replicas { name: String, count: i64 },
    PatchSmp(String),
    PatchJson6902 { kind: String, op: String, path: String, value: String },
    ConfigMap { name: String, literals: Vec<String> },
    Replacement { source_kind: String, field: String, target_kind: String, target_field: String },
    Raw(String),
}

#[derive(Arbitrary, Debug)]
struct Input {
    overlay: Vec<Field>,
    base: Vec<Field>,
    resources: Vec<String>,
}

/// A JSON string is a valid YAML scalar: it keeps the fuzzer's text intact.
fn q(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn render(fields: &[Field], resources: &[String]) -> String {
    let mut k = String::from("resources:\n");
    for r in resources {
        k.push_str(&format!("- {}\n", q(r)));
    }
    for f in fields.iter().take(8) {
        match f {
            Field::NamePrefix(s) => k.push_str(&format!("namePrefix: {}\n", q(s))),
            Field::NameSuffix(s) => k.push_str(&format!("nameSuffix: {}\n", q(s))),
            Field::Namespace(s) => k.push_str(&format!("namespace: {}\n", q(s))),
            Field::CommonLabels(kv) | Field::CommonAnnotations(kv) => {
                let key = if matches!(f, Field::CommonLabels(_)) { "commonLabels" } else { "commonAnnotations" };
                k.push_str(&format!("{key}:\n"));
                for (a, b) in kv.iter().take(4) {
                    k.push_str(&format!("  {}: {}\n", q(a), q(b)));
                }
            }
            Field::Image { name, new_tag } => {
                k.push_str(&format!("images:\n- name: {}\n  newTag: {}\n", q(name), q(new_tag)))
            }
            Field::Replicas { name, count } => {
                k.push_str(&format!("replicas:\n- name: {}\n  count: {count}\n", q(name)))
            }
            Field::PatchSmp(p) => k.push_str(&format!("patches:\n- patch: {}\n", q(p))),
            Field::PatchJson6902 { kind, op, path, value } => k.push_str(&format!(
                "patches:\n- target:\n    kind: {}\n  patch: {}\n",
                q(kind),
                q(&format!("[{{\"op\": {}, \"path\": {}, \"value\": {}}}]", q(op), q(path), q(value)))
            )),
            Field::ConfigMap { name, literals } => {
                k.push_str(&format!("configMapGenerator:\n- name: {}\n  literals:\n", q(name)));
                for l in literals.iter().take(4) {
                    k.push_str(&format!("  - {}\n", q(l)));
                }
            }
            Field::Replacement { source_kind, field, target_kind, target_field } => {
                k.push_str(&format!(
                    "replacements:\n- source:\n    kind: {}\n    fieldPath: {}\n  targets:\n  - select:\n      kind: {}\n    fieldPaths:\n    - {}\n",
                    q(source_kind), q(field), q(target_kind), q(target_field)
                ))
            }
            Field::Raw(s) => {
                k.push_str(s);
                k.push('\n');
            }
        }
    }
    k
}

const DEPLOYMENT: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 1\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.0\n        envFrom:\n        - configMapRef:\n            name: cfg\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  a: b\n";

fuzz_target!(|input: Input| {
    let mut fs = MemFs::new();
    let mut base_res = vec!["app.yaml".to_owned()];
    fs.add_file("/t/base/app.yaml", DEPLOYMENT);
    for (i, r) in input.resources.iter().take(3).enumerate() {
        let name = format!("r{i}.yaml");
        fs.add_file(format!("/t/base/{name}"), r.as_bytes());
        base_res.push(name);
    }
    fs.add_file("/t/base/kustomization.yaml", render(&input.base, &base_res));
    fs.add_file("/t/overlay/kustomization.yaml", render(&input.overlay, &["../base".to_owned()]));
    for reorder in [Reorder::Legacy, Reorder::None] {
        let options = Options { reorder, load_restrictor: LoadRestrictor::RootOnly, remote: None };
        if let Ok(list) = gitops_kustomize::build(&fs, Path::new("/t/overlay"), &options) {
            let _ = gitops_kustomize::to_yaml(&list);
        }
    }
});
