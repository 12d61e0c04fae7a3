//! Whatever parses must print (as kustomize prints) and read back to the same value.
#![no_main]
use gitops_core::yaml::{self, Limits, Profile};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let limits = Limits { max_input_bytes: 1 << 20, max_depth: 200, max_alias_nodes: 100_000 };
    let Ok(values) = yaml::parse_values(text, Profile::Kyaml, &limits) else { return };
    for v in values {
        let Ok(normal) = yaml::json_roundtrip(&v) else { continue };
        let printed = yaml::emit(&normal).expect("a normalised value always prints");
        let back = yaml::parse_values(&printed, Profile::Kyaml, &limits)
            .unwrap_or_else(|e| panic!("emitted text does not parse: {e}\n{printed}"));
        assert_eq!(back.len(), 1, "one document in, one out:\n{printed}");
        assert_eq!(back[0], normal, "round trip changed the value:\n{printed}");
    }
});
