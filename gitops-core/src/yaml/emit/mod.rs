//! Emitting: [`Value`] → text exactly as go-yaml v2. (Owned by the emitter work; placeholder.)
use super::{Error, Value};

/// One document, exactly as go-yaml v2 `Marshal` prints it.
pub fn emit(_value: &Value) -> Result<String, Error> {
    unimplemented!("emitter not written yet")
}
