//! Any YAML text, path and value: the byte-preserving edits return Ok or Err, never
//! panic; a successful `set_scalar` leaves a text that still parses.
#![no_main]
use gitops_core::yaml::edit::{self, Seg};
use gitops_core::yaml::{Limits, Profile, Value, parse_values};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (&str, Vec<(bool, String, u8)>, String, u8)| {
    let (text, raw_path, value, op) = input;
    let path: Vec<Seg> = raw_path
        .into_iter()
        .take(8)
        .map(|(is_key, key, index)| if is_key { Seg::Key(key) } else { Seg::Index(usize::from(index)) })
        .collect();
    let v = Value::from(value.as_str());
    let out = match op % 4 {
        0 => edit::set_scalar(text, 0, &path, &v),
        1 => edit::insert_key(text, 0, &path, &value, &v),
        2 => edit::append_item(text, 0, &path, &v),
        _ => edit::remove_key(text, 0, &path, &value),
    };
    if let (0, Ok(new)) = (op % 4, &out) {
        assert!(parse_values(new, Profile::Kyaml, &Limits::default()).is_ok(), "{new:?}");
    }
});
