//! The resolved data model: what a YAML document means once its scalars are typed.
//!
//! [`Value`] is JSON's data model with YAML's integer/float distinction kept, and mapping
//! keys as strings (Kubernetes objects travel as JSON, so every key becomes a string on the
//! way). Mappings keep insertion order; removal shifts, so order is never scrambled.
//!
//! ```
//! use gitops_core::yaml::{Mapping, Value};
//! let mut m = Mapping::new();
//! m.insert("b".into(), Value::Int(1));
//! m.insert("a".into(), Value::from("x"));
//! let v = Value::Map(m);
//! assert_eq!(v.get("a").and_then(Value::as_str), Some("x"));
//! assert_eq!(v.as_map().unwrap().keys().collect::<Vec<_>>(), ["b", "a"]);
//! ```

use indexmap::IndexMap;

/// An ordered mapping from string keys to values.
pub type Mapping = IndexMap<String, Value>;

/// A resolved YAML (or JSON) value.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Value {
    /// `null`, `~`, or an empty scalar.
    #[default]
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// A signed integer.
    Int(i64),
    /// An unsigned integer too large for `i64`.
    Uint(u64),
    /// A floating-point number.
    Float(f64),
    /// A string.
    String(String),
    /// A sequence.
    Seq(Vec<Value>),
    /// A mapping with string keys in insertion order.
    Map(Mapping),
}

impl Value {
    /// Look a key up in a mapping; `None` for other kinds.
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Map(m) => m.get(key),
            _ => None,
        }
    }

    /// Mutable lookup of a key in a mapping.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Value> {
        match self {
            Value::Map(m) => m.get_mut(key),
            _ => None,
        }
    }

    /// Follow a path of mapping keys.
    pub fn get_path(&self, path: &[&str]) -> Option<&Value> {
        path.iter().try_fold(self, |v, k| v.get(k))
    }

    /// The string, if this is a string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The mapping, if this is a mapping.
    pub fn as_map(&self) -> Option<&Mapping> {
        match self {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    /// The mapping, mutably, if this is a mapping.
    pub fn as_map_mut(&mut self) -> Option<&mut Mapping> {
        match self {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    /// The items, if this is a sequence.
    pub fn as_seq(&self) -> Option<&Vec<Value>> {
        match self {
            Value::Seq(s) => Some(s),
            _ => None,
        }
    }

    /// The items, mutably, if this is a sequence.
    pub fn as_seq_mut(&mut self) -> Option<&mut Vec<Value>> {
        match self {
            Value::Seq(s) => Some(s),
            _ => None,
        }
    }

    /// The boolean, if this is one.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// Whether this is `Null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// A short name of the value's kind, for error messages (`string`, `map`, ...).
    pub fn kind_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "bool",
            Value::Int(_) | Value::Uint(_) => "int",
            Value::Float(_) => "float",
            Value::String(_) => "string",
            Value::Seq(_) => "sequence",
            Value::Map(_) => "map",
        }
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::String(s.to_owned())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::String(s)
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Value {
        Value::Bool(b)
    }
}

impl From<i64> for Value {
    fn from(i: i64) -> Value {
        Value::Int(i)
    }
}

impl From<Mapping> for Value {
    fn from(m: Mapping) -> Value {
        Value::Map(m)
    }
}

impl From<Vec<Value>> for Value {
    fn from(s: Vec<Value>) -> Value {
        Value::Seq(s)
    }
}
