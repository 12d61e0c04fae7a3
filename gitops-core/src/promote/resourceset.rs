//! Promotion of Flux Operator ResourceSet inline inputs: the fields of `spec.resources`
//! written as `<< ... >>` templates are compared as rendered (by the ResourceSet template
//! engine) with each environment's inputs; the `from` input values that feed a differing promoted field are
//! copied into the `to` ResourceSet's `spec.inputs`.

use std::collections::BTreeSet;
use std::path::Path;

use super::{Change, Env, Error, FileEdit, Promotion, Shared, rel};
use crate::fs::FileSystem;
use crate::resource::Resource;
use crate::yaml::Value;
use crate::yaml::edit::{self, Seg};

/// Keys whose templated values are promoted: image references and tags, chart versions.
const PROMOTED: &[&str] = &["image", "newName", "newTag", "digest", "tag", "version"];

/// The input paths (`["backend", "tag"]`) that the actions of `template` name as
/// `inputs.x.y` (also inside pipelines and function calls, `<< inputs.tag | quote >>`);
/// `None` when an action is not closed.
pub(super) fn input_refs(template: &str) -> Option<Vec<Vec<String>>> {
    let mut out: Vec<Vec<String>> = Vec::new();
    let mut rest = template;
    while let Some(i) = rest.find("<<") {
        let after = rest.get(i + 2..)?;
        let j = after.find(">>")?;
        let mut action = after.get(..j)?;
        while let Some(k) = action.find("inputs.") {
            let preceded = action.get(..k).and_then(|b| b.chars().last());
            let tail = action.get(k + "inputs.".len()..)?;
            let end = tail
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
                .unwrap_or(tail.len());
            let path = tail.get(..end)?.trim_end_matches('.');
            let word_start = !preceded
                .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '$');
            if word_start && !path.is_empty() {
                let p: Vec<String> = path.split('.').map(str::to_owned).collect();
                if !out.contains(&p) {
                    out.push(p);
                }
            }
            action = tail.get(end..)?;
        }
        rest = after.get(j + 2..)?;
    }
    Some(out)
}

fn input_at<'a>(input: &'a Value, path: &[String]) -> Option<&'a Value> {
    path.iter().try_fold(input, |v, k| v.get(k))
}

fn text_of(v: &Value) -> Option<String> {
    super::scalar_text(v)
}

/// `template` rendered with one input set by the ResourceSet template engine
/// ([`crate::resourceset::template`]: Go `text/template` with `<< >>`, slim-sprig
/// functions, `missingkey=error`); `None` when it does not render.
pub(super) fn substitute(template: &str, input: &Value) -> Option<String> {
    crate::resourceset::template::render_str(template, input).ok()
}

/// Template strings in `v`: (path, key, template).
fn templates(v: &Value, here: &mut Vec<Seg>, out: &mut Vec<(Vec<Seg>, String)>, depth: usize) {
    if depth > 128 {
        return;
    }
    match v {
        Value::String(s) if s.contains("<<") => out.push((here.clone(), s.clone())),
        Value::Map(m) => {
            for (k, c) in m {
                here.push(Seg::key(k.as_str()));
                templates(c, here, out, depth + 1);
                here.pop();
            }
        }
        Value::Seq(items) => {
            for (i, c) in items.iter().enumerate() {
                here.push(Seg::Index(i));
                templates(c, here, out, depth + 1);
                here.pop();
            }
        }
        _ => {}
    }
}

fn at<'a>(v: &'a Value, path: &[Seg]) -> Option<&'a Value> {
    path.iter().try_fold(v, |v, s| match (v, s) {
        (Value::Map(m), Seg::Key(k)) => m.get(k),
        (Value::Seq(items), Seg::Index(i)) => items.get(*i),
        _ => None,
    })
}

fn check_inputs_from(env: &Env, rs: &Resource) -> Result<(), Error> {
    let from = rs.value().get_path(&["spec", "inputsFrom"]).and_then(Value::as_seq);
    if let Some(list) = from.filter(|l| !l.is_empty()) {
        let providers: Vec<String> = list
            .iter()
            .map(|p| {
                let kind =
                    p.get("kind").and_then(Value::as_str).unwrap_or("ResourceSetInputProvider");
                let name = p.get("name").and_then(Value::as_str).unwrap_or("<selector>");
                format!("{kind}/{name}")
            })
            .collect();
        return Err(Error::InputsFrom {
            env: env.name.clone(),
            name: format!("{}/{}", rs.namespace(), rs.name()),
            providers: providers.join(", "),
        });
    }
    Ok(())
}

fn inputs(rs: &Resource) -> Vec<Value> {
    rs.value().get_path(&["spec", "inputs"]).and_then(Value::as_seq).cloned().unwrap_or_default()
}

/// Promote the inline inputs of ResourceSet `t` (in `to`) from `f` (in `from`).
pub(super) fn promote(
    fs: &dyn FileSystem,
    root: &Path,
    from: &Env,
    to: &Env,
    app: &str,
    f: &Resource,
    t: &Resource,
) -> Result<Promotion, Error> {
    check_inputs_from(from, f)?;
    check_inputs_from(to, t)?;
    let (fin, tin) = (inputs(f), inputs(t));
    let empty = Value::Null;
    let fres = f.value().get_path(&["spec", "resources"]).unwrap_or(&empty);
    let tres = t.value().get_path(&["spec", "resources"]).unwrap_or(&empty);
    let mut found = Vec::new();
    templates(fres, &mut Vec::new(), &mut found, 0);
    // The input values to copy: (input index, path) → (old, new, field description).
    let mut copies: Vec<(usize, Vec<String>, String, String, String)> = Vec::new();
    let mut seen = BTreeSet::new();
    for (path, template) in &found {
        let Some(Seg::Key(last)) = path.last() else { continue };
        if !PROMOTED.contains(&last.as_str()) {
            continue;
        }
        if at(tres, path).and_then(Value::as_str) != Some(template.as_str()) {
            continue;
        }
        let Some(refs) = input_refs(template) else { continue };
        for (i, (fi, ti)) in fin.iter().zip(tin.iter()).enumerate() {
            let (Some(fv), Some(tv)) = (substitute(template, fi), substitute(template, ti)) else {
                continue;
            };
            if fv == tv {
                continue;
            }
            for r in &refs {
                let (Some(new), Some(old)) =
                    (input_at(fi, r).and_then(text_of), input_at(ti, r).and_then(text_of))
                else {
                    continue;
                };
                if new != old && seen.insert((i, r.clone())) {
                    let object = format!(
                        "ResourceSet/{} spec.resources{} (inputs.{})",
                        t.name(),
                        edit::path_text(path),
                        r.join(".")
                    );
                    copies.push((i, r.clone(), old, new, object));
                }
            }
        }
    }
    let mut promotion = Promotion {
        from: from.name.clone(),
        to: to.name.clone(),
        app: app.to_owned(),
        changes: Vec::new(),
        edits: Vec::new(),
    };
    if copies.is_empty() {
        return Ok(promotion);
    }
    // The file declaring the `to` ResourceSet.
    let mut file = None;
    for p in &to.reads {
        let Ok(bytes) = fs.read_file(p) else { continue };
        let Ok(text) = String::from_utf8(bytes) else { continue };
        if let Ok(docs) = edit::documents_of(&text, "ResourceSet", t.name())
            && let Some(d) = docs.first()
        {
            file = Some((p.clone(), *d, text));
            break;
        }
    }
    let Some((path, doc, original)) = file else {
        return Err(Error::Verify(format!("no file declares ResourceSet '{}'", t.name())));
    };
    if from.reads.contains(&path) {
        let Some((_, r, old, new, object)) = copies.first() else { return Ok(promotion) };
        return Err(Error::Shared(Box::new(Shared {
            what: format!("input {object} inputs.{}", r.join(".")),
            old: old.clone(),
            new: new.clone(),
            file: rel(root, &path),
            from: from.name.clone(),
            to: to.name.clone(),
        })));
    }
    let mut text = original.clone();
    for (i, r, old, new, object) in &copies {
        let mut segs = vec![Seg::key("spec"), Seg::key("inputs"), Seg::Index(*i)];
        segs.extend(r.iter().map(|k| Seg::key(k.as_str())));
        let fvalue = fin
            .get(*i)
            .and_then(|fi| input_at(fi, r))
            .cloned()
            .unwrap_or(Value::from(new.as_str()));
        text = edit::set_scalar(&text, doc, &segs, &fvalue)
            .map_err(|source| Error::Edit { path: path.clone(), source })?;
        let line = edit::get(&text, doc, &segs).ok().flatten().map_or(0, |n| n.span.start.line);
        promotion.changes.push(Change {
            what: "input".into(),
            object: object.clone(),
            old: old.clone(),
            new: new.clone(),
            file: rel(root, &path),
            line,
        });
    }
    // Verify: the edited ResourceSet renders every promoted field as the `from` one does.
    let values = crate::yaml::parse_values(
        &text,
        crate::yaml::Profile::ApiServer,
        &crate::yaml::Limits::default(),
    )
    .map_err(|e| Error::File { path: path.clone(), message: e.to_string() })?;
    let edited = values.get(doc).map(|v| Resource::new(v.clone()));
    let new_in = edited.as_ref().map(inputs).unwrap_or_default();
    for (p, template) in &found {
        if at(tres, p).and_then(Value::as_str) != Some(template.as_str()) {
            continue;
        }
        let Some(Seg::Key(last)) = p.last() else { continue };
        if !PROMOTED.contains(&last.as_str()) {
            continue;
        }
        for (fi, ni) in fin.iter().zip(new_in.iter()) {
            if substitute(template, fi) != substitute(template, ni) {
                return Err(Error::Verify(format!(
                    "ResourceSet/{} spec.resources{} still differs after the edit",
                    t.name(),
                    edit::path_text(p)
                )));
            }
        }
    }
    promotion.edits.push(FileEdit { path: rel(root, &path), old: original, new: text });
    Ok(promotion)
}
