//! ImageTagTransformer: `images:`.

use gitops_core::resource::{ResourceList, scalar_text};
use gitops_core::yaml::Value;

use super::retype::{Retypes, settle_resource};
use super::{Create, apply_selected, matches_gvk};
use crate::fieldspecs::IMAGES;
use crate::kustomization::{ImageArg, Kustomization};

fn tag_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '{' | '}' | '-')
}

/// The part of `image` after `name` read as kustomize's regexp: `.` matches any character
/// but a newline, every other character itself. (Other regexp syntax in an image name is
/// matched literally; kustomize itself crashes on names that are not valid regexps.)
fn strip_name<'a>(image: &'a str, name: &str) -> Option<&'a str> {
    let mut chars = image.char_indices();
    for want in name.chars() {
        let (_, got) = chars.next()?;
        if !(want == got || want == '.' && got != '\n') {
            return None;
        }
    }
    Some(chars.as_str())
}

/// kustomize's `IsImageMatched`: `^<name>(:[tag chars]*)?(@sha256:[tag chars]*)?$`, the
/// name being a regexp (see [`strip_name`]).
pub(crate) fn image_matches(image: &str, name: &str) -> bool {
    let Some(mut rest) = strip_name(image, name) else { return false };
    if let Some(r) = rest.strip_prefix(':') {
        let end = r.find(|c: char| !tag_char(c)).unwrap_or(r.len());
        rest = &r[end..];
    }
    if let Some(r) = rest.strip_prefix("@sha256:") {
        rest = r.trim_start_matches(tag_char);
    }
    rest.is_empty()
}

/// kustomize's `image.Split`: `(name, tag, digest)`.
pub(crate) fn split(image: &str) -> (String, String, String) {
    let slash = image.find('/').filter(|&i| i > 0).unwrap_or(0);
    let search = &image[slash..];
    let (id, ic) = (search.find('@'), search.find(':'));
    match (id, ic) {
        (None, None) => (image.to_owned(), String::new(), String::new()),
        (Some(d), c) if c.is_none_or(|c| d < c) => {
            let d = d + slash;
            (image[..d].to_owned(), String::new(), image[d + 1..].to_owned())
        }
        (Some(d), Some(c)) => {
            let (d, c) = (d + slash, c + slash);
            let tag = image.get(c + 1..d).unwrap_or("").to_owned();
            (image[..c].to_owned(), tag, image[d + 1..].to_owned())
        }
        (None, Some(c)) => {
            let c = c + slash;
            (image[..c].to_owned(), image[c + 1..].to_owned(), String::new())
        }
        (Some(_), None) => (image.to_owned(), String::new(), String::new()),
    }
}

/// The new image text, or `None` when `image` does not match.
pub(crate) fn updated(image: &str, arg: &ImageArg) -> Option<String> {
    if !image_matches(image, &arg.name) {
        return None;
    }
    let (mut name, mut tag, mut digest) = split(image);
    if !arg.new_name.is_empty() {
        name = arg.new_name.clone();
    }
    if !arg.new_tag.is_empty() && !arg.digest.is_empty() {
        tag = arg.new_tag.clone();
        digest = arg.digest.clone();
    } else if !arg.new_tag.is_empty() {
        tag = arg.new_tag.clone();
        digest.clear();
    } else if !arg.digest.is_empty() {
        tag.clear();
        digest = arg.digest.clone();
    } else if !arg.tag_suffix.is_empty() {
        tag.push_str(&arg.tag_suffix);
        digest.clear();
    }
    if !tag.is_empty() {
        name = format!("{name}:{tag}");
    }
    if !digest.is_empty() {
        name = format!("{name}@{digest}");
    }
    Some(name)
}

/// Update the image reference `n` (kyaml's `SetScalar`: see [`Retypes`]). A bool or a
/// number (`image: 190`) is matched by its text, as kustomize reads every scalar.
fn set_image(n: &mut Value, arg: &ImageArg, retypes: &mut Retypes) -> Result<(), String> {
    match n {
        Value::Map(_) | Value::Seq(_) => Err("wrong node kind: expected ScalarNode".into()),
        Value::Null => Ok(()),
        Value::String(s) => {
            if let Some(new) = updated(s, arg) {
                let old = std::mem::take(s);
                retypes.set(n, &old, new);
            }
            Ok(())
        }
        _ => {
            let old = scalar_text(n);
            if let Some(new) = updated(&old, arg) {
                retypes.set(n, &old, new);
            }
            Ok(())
        }
    }
}

/// The legacy walk: every `containers`/`initContainers` list anywhere in the object.
fn legacy(
    node: &mut Value,
    arg: &ImageArg,
    retypes: &mut Retypes,
    depth: usize,
) -> Result<(), String> {
    if depth > 200 {
        return Ok(());
    }
    match node {
        Value::Map(m) => {
            for (k, v) in m.iter_mut() {
                legacy(v, arg, retypes, depth + 1)?;
                if let (true, Value::Seq(items)) = (k == "containers" || k == "initContainers", v) {
                    for c in items.iter_mut() {
                        if let Some(img) = c.get_mut("image") {
                            set_image(img, arg, retypes)?;
                        }
                    }
                }
            }
            Ok(())
        }
        Value::Seq(items) => items.iter_mut().try_for_each(|x| legacy(x, arg, retypes, depth + 1)),
        _ => Ok(()),
    }
}

/// Apply every `images` entry, in order (one pass over the list, each entry in turn on
/// each resource: entries touch one resource at a time, so the result is the same as one
/// pass per entry).
pub(crate) fn run(k: &Kustomization, list: &mut ResourceList) -> Result<(), String> {
    let specs = crate::crds::with_extra(IMAGES, &k.crd.images);
    run_all(&k.images, &specs, list)
}

/// One ImageTagTransformer with explicit field specs (also used by plugin configs).
pub(crate) fn run_one(
    arg: &ImageArg,
    specs: &[crate::fieldspecs::FieldSpec<'_>],
    list: &mut ResourceList,
) -> Result<(), String> {
    run_all(std::slice::from_ref(arg), specs, list)
}

fn run_all(
    args: &[ImageArg],
    specs: &[crate::fieldspecs::FieldSpec<'_>],
    list: &mut ResourceList,
) -> Result<(), String> {
    if args.is_empty() {
        return Ok(());
    }
    let mut selected = Vec::with_capacity(specs.len());
    list.update(|r| {
        if r.kind() == "CustomResourceDefinition" {
            return Ok(());
        }
        selected.clear();
        selected.extend(specs.iter().filter(|fs| matches_gvk(fs, r.gvk())));
        let mut retypes = Retypes::default();
        r.edit(|obj| {
            args.iter().try_for_each(|arg| {
                legacy(obj, arg, &mut retypes, 0)?;
                selected.iter().try_for_each(|fs| {
                    apply_selected(fs, obj, Create::Nothing, &mut |n| {
                        set_image(n, arg, &mut retypes)
                    })
                })
            })
        })?;
        settle_resource(r, retypes);
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_table() {
        let cases = [
            ("nginx", ("nginx", "", "")),
            ("nginx:1.2", ("nginx", "1.2", "")),
            ("nginx@sha256:abc", ("nginx", "", "sha256:abc")),
            ("nginx:1.2@sha256:abc", ("nginx", "1.2", "sha256:abc")),
            ("localhost:5000/app:v1", ("localhost:5000/app", "v1", "")),
            ("reg.io/team/app", ("reg.io/team/app", "", "")),
        ];
        for (i, (n, t, d)) in cases {
            assert_eq!(split(i), (n.to_owned(), t.to_owned(), d.to_owned()), "{i}");
        }
    }

    #[test]
    fn update_table() {
        let arg = |name: &str, nn: &str, nt: &str, d: &str, ts: &str| ImageArg {
            name: name.into(),
            new_name: nn.into(),
            new_tag: nt.into(),
            digest: d.into(),
            tag_suffix: ts.into(),
        };
        let cases = [
            ("nginx", arg("nginx", "", "1.25", "", ""), Some("nginx:1.25")),
            ("nginx:1.0", arg("nginx", "my/nginx", "", "", ""), Some("my/nginx:1.0")),
            ("nginx:1.0", arg("nginx", "", "", "sha256:ff", ""), Some("nginx@sha256:ff")),
            ("nginx:1.0", arg("nginx", "", "2", "sha256:ff", ""), Some("nginx:2@sha256:ff")),
            ("nginx:1.0", arg("nginx", "", "", "", "-x"), Some("nginx:1.0-x")),
            ("nginx-other:1", arg("nginx", "", "2", "", ""), None),
            ("my/nginx:1", arg("nginx", "", "2", "", ""), None),
        ];
        for (img, a, want) in cases {
            assert_eq!(updated(img, &a).as_deref(), want, "{img}");
        }
    }
}

#[cfg(test)]
mod match_tests {
    #[test]
    fn image_name_is_a_regexp() {
        for (image, name, want) in [
            ("docker.io/nginx:1", "docker.io/nginx", true),
            ("dockerXio/nginx:1", "docker.io/nginx", true),
            ("nginx@sha256:abc", "nginx", true),
            ("nginx-x", "nginx", false),
            ("ngin", "nginx", false),
        ] {
            assert_eq!(super::image_matches(image, name), want, "{image} {name}");
        }
    }
}
