//! The serde bridge: [`Value`] ⇄ `serde_json::Value`, `Serialize`/`Deserialize` for
//! [`Value`], and typed access through [`from_value`] / [`to_value`].

use std::fmt;

use serde::de::{self, DeserializeOwned, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeMap, SerializeSeq};

use crate::yaml::{Error, Mapping, Value};

impl From<&Value> for serde_json::Value {
    /// Converts a [`Value`]; non-finite floats, which JSON cannot carry, become `null`.
    fn from(v: &Value) -> Self {
        match v {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Int(i) => serde_json::Value::from(*i),
            Value::Uint(u) => serde_json::Value::from(*u),
            Value::Float(f) => {
                serde_json::Number::from_f64(*f).map_or(serde_json::Value::Null, serde_json::Value::Number)
            }
            Value::String(s) => serde_json::Value::String(s.clone()),
            Value::Seq(items) => serde_json::Value::Array(items.iter().map(Into::into).collect()),
            Value::Map(m) => {
                serde_json::Value::Object(m.iter().map(|(k, v)| (k.clone(), v.into())).collect())
            }
        }
    }
}

impl From<serde_json::Value> for Value {
    /// Converts JSON: integers that fit `i64` become [`Value::Int`], larger ones
    /// [`Value::Uint`], other numbers [`Value::Float`]; object order is kept.
    fn from(v: serde_json::Value) -> Self {
        match v {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(b) => Value::Bool(b),
            serde_json::Value::Number(n) => {
                if let Some(i) = n.as_i64() {
                    Value::Int(i)
                } else if let Some(u) = n.as_u64() {
                    Value::Uint(u)
                } else {
                    n.as_f64().filter(|f| !f.is_nan()).map_or(Value::Null, Value::Float)
                }
            }
            serde_json::Value::String(s) => Value::String(s),
            serde_json::Value::Array(a) => Value::Seq(a.into_iter().map(Into::into).collect()),
            serde_json::Value::Object(o) => Value::Map(o.into_iter().map(|(k, v)| (k, v.into())).collect()),
        }
    }
}

impl serde::Serialize for Value {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Null => s.serialize_unit(),
            Value::Bool(b) => s.serialize_bool(*b),
            Value::Int(i) => s.serialize_i64(*i),
            Value::Uint(u) => s.serialize_u64(*u),
            Value::Float(f) => s.serialize_f64(*f),
            Value::String(v) => s.serialize_str(v),
            Value::Seq(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for i in items {
                    seq.serialize_element(i)?;
                }
                seq.end()
            }
            Value::Map(m) => {
                let mut map = s.serialize_map(Some(m.len()))?;
                for (k, v) in m {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
        }
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML/JSON value")
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        de::Deserialize::deserialize(d)
    }
    fn visit_bool<E>(self, b: bool) -> Result<Value, E> {
        Ok(Value::Bool(b))
    }
    fn visit_i64<E>(self, i: i64) -> Result<Value, E> {
        Ok(Value::Int(i))
    }
    fn visit_u64<E>(self, u: u64) -> Result<Value, E> {
        Ok(i64::try_from(u).map_or(Value::Uint(u), Value::Int))
    }
    fn visit_f64<E>(self, f: f64) -> Result<Value, E> {
        Ok(if f.is_nan() { Value::Null } else { Value::Float(f) })
    }
    fn visit_str<E>(self, s: &str) -> Result<Value, E> {
        Ok(Value::String(s.to_owned()))
    }
    fn visit_string<E>(self, s: String) -> Result<Value, E> {
        Ok(Value::String(s))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(v) = seq.next_element()? {
            out.push(v);
        }
        Ok(Value::Seq(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Mapping::with_capacity(map.size_hint().unwrap_or(0).min(4096));
        while let Some((k, v)) = map.next_entry::<Key, Value>()? {
            out.insert(k.0, v);
        }
        Ok(Value::Map(out))
    }
}

/// A mapping key: strings, and scalars that read as strings (numbers, booleans).
struct Key(String);

impl<'de> de::Deserialize<'de> for Key {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Key, D::Error> {
        struct KeyVisitor;
        impl Visitor<'_> for KeyVisitor {
            type Value = Key;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string, number or boolean mapping key")
            }
            fn visit_str<E>(self, s: &str) -> Result<Key, E> {
                Ok(Key(s.to_owned()))
            }
            fn visit_string<E>(self, s: String) -> Result<Key, E> {
                Ok(Key(s))
            }
            fn visit_bool<E>(self, b: bool) -> Result<Key, E> {
                Ok(Key(b.to_string()))
            }
            fn visit_i64<E>(self, i: i64) -> Result<Key, E> {
                Ok(Key(i.to_string()))
            }
            fn visit_u64<E>(self, u: u64) -> Result<Key, E> {
                Ok(Key(u.to_string()))
            }
        }
        d.deserialize_any(KeyVisitor)
    }
}

impl<'de> serde::Deserialize<'de> for Value {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Value, D::Error> {
        d.deserialize_any(ValueVisitor)
    }
}

/// Read a typed value out of a [`Value`] through serde.
///
/// Errors are [`Error::Data`] with serde's message.
///
/// ```
/// use gitops_core::yaml::{from_value, Value};
/// let v = Value::Seq(vec![Value::Int(1), Value::Int(2)]);
/// let nums: Vec<u8> = from_value(&v).unwrap();
/// assert_eq!(nums, [1, 2]);
/// assert!(from_value::<Vec<String>>(&v).is_err());
/// ```
pub fn from_value<T: DeserializeOwned>(v: &Value) -> Result<T, Error> {
    serde_json::from_value(serde_json::Value::from(v)).map_err(|e| Error::Data { message: e.to_string() })
}

/// Turn any `Serialize` type into a [`Value`] (map order as serialized).
///
/// ```
/// use gitops_core::yaml::{to_value, Value};
/// let v = to_value(&vec![("a", 1)]).unwrap();
/// assert_eq!(v, Value::Seq(vec![Value::Seq(vec![Value::from("a"), Value::Int(1)])]));
/// ```
pub fn to_value<T: serde::Serialize>(t: &T) -> Result<Value, Error> {
    serde_json::to_value(t).map(Value::from).map_err(|e| Error::Data { message: e.to_string() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_round_trip_keeps_order_and_number_kinds() {
        let text = r#"{"z":1,"a":[18446744073709551615,-3,1.5,null,true,"s"],"m":{"y":{},"b":[]}}"#;
        let j: serde_json::Value = serde_json::from_str(text).unwrap();
        let v = Value::from(j.clone());
        let a = v.get("a").and_then(Value::as_seq).unwrap();
        assert_eq!(a[0], Value::Uint(u64::MAX));
        assert_eq!(a[1], Value::Int(-3));
        assert_eq!(a[2], Value::Float(1.5));
        assert_eq!(v.as_map().unwrap().keys().collect::<Vec<_>>(), ["z", "a", "m"]);
        assert_eq!(serde_json::Value::from(&v), j);
        assert_eq!(serde_json::to_string(&v).unwrap(), text);
        let back: Value = serde_json::from_str(text).unwrap();
        assert_eq!(back, v);
    }

    #[test]
    fn non_finite_floats_become_null() {
        assert_eq!(serde_json::Value::from(&Value::Float(f64::NAN)), serde_json::Value::Null);
        assert_eq!(serde_json::Value::from(&Value::Float(f64::INFINITY)), serde_json::Value::Null);
    }

    #[test]
    fn typed_access() {
        #[derive(serde::Deserialize, serde::Serialize, Debug, PartialEq)]
        struct Obj {
            name: String,
            replicas: Option<u32>,
        }
        let mut m = Mapping::new();
        m.insert("name".into(), Value::from("web"));
        m.insert("replicas".into(), Value::Int(3));
        let v = Value::Map(m);
        let o: Obj = from_value(&v).unwrap();
        assert_eq!(o, Obj { name: "web".into(), replicas: Some(3) });
        assert_eq!(to_value(&o).unwrap(), v);
        let bad = Value::Map([("name".to_string(), Value::Int(1))].into_iter().collect());
        let err = from_value::<Obj>(&bad).unwrap_err();
        assert!(matches!(err, Error::Data { .. }), "{err}");
    }
}
