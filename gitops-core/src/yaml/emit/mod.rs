//! Emitting: [`Value`] → text exactly as go-yaml v2. (Owned by the emitter work; placeholder.)
use super::{Error, Value};

/// One document, exactly as go-yaml v2 `Marshal` prints it.
pub fn emit(_value: &Value) -> Result<String, Error> {
    unimplemented!("emitter not written yet")
}

/// One resource exactly as `kustomize build` prints it: the value (as kyaml decoded it) goes
/// through Go's `encoding/json` and back through go-yaml v2 before it is emitted.
pub fn to_kustomize_yaml(_value: &Value) -> Result<String, Error> {
    unimplemented!("emitter not written yet")
}
