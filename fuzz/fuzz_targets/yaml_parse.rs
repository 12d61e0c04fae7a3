//! Any bytes: parsing and resolving (both profiles) must return Ok or Err, never panic or hang.
#![no_main]
use gitops_core::yaml::{self, Limits, Profile};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let limits = Limits { max_input_bytes: 1 << 20, max_depth: 200, max_alias_nodes: 100_000 };
    if let Ok(docs) = yaml::parse_stream(text, &limits) {
        for d in &docs {
            let _ = yaml::resolve(d, Profile::Kyaml, &limits);
            let _ = yaml::resolve(d, Profile::ApiServer, &limits);
        }
    }
});
