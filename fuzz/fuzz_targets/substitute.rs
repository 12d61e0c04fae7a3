//! Any text and variables: `substitute_str` (strict and not) and `substitute_resource`
//! return Ok or Err, never panic or hang; with no `${` or `$$` the text is unchanged.
#![no_main]
use gitops_core::resource::Resource;
use gitops_core::substitute::{self, Options, Strategy, Vars};
use gitops_core::yaml::{Mapping, Value};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (&str, Vec<(String, String)>, bool)| {
    let (text, pairs, strict) = input;
    let vars: Vars = pairs.into_iter().take(16).collect();
    let out = substitute::substitute_str(text, &vars, strict);
    if !text.contains('$') && !text.contains('\0') {
        assert_eq!(out.as_deref(), Ok(text));
    }
    // The same text as a value inside an object, through the YAML round trip.
    let mut meta = Mapping::new();
    meta.insert("name".into(), Value::from("fuzz"));
    let mut data = Mapping::new();
    data.insert("text".into(), Value::from(text));
    let mut obj = Mapping::new();
    obj.insert("apiVersion".into(), Value::from("v1"));
    obj.insert("kind".into(), Value::from("ConfigMap"));
    obj.insert("metadata".into(), Value::Map(meta));
    obj.insert("data".into(), Value::Map(data));
    let res = Resource::new(Value::Map(obj));
    let options = Options { strict, strategy: Strategy::Always };
    let _ = substitute::substitute_resource(&res, &vars, &options);
});
