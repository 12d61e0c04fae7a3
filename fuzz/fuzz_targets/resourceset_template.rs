//! Any template text and any inputs (as YAML): parsing and executing a ResourceSet
//! template returns Ok or Err, never panics or hangs (nesting, loop and output limits).
#![no_main]
use gitops_core::resourceset::template;
use gitops_core::yaml::{Limits, Profile, Value, parse_values};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (&str, &str)| {
    let (text, inputs) = input;
    let inputs = parse_values(inputs, Profile::Kyaml, &Limits::default())
        .ok()
        .and_then(|mut docs| if docs.is_empty() { None } else { Some(docs.swap_remove(0)) })
        .unwrap_or(Value::Null);
    let _ = template::render_str(text, &inputs);
});
