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
            Value::Float(f) => serde_json::Number::from_f64(*f)
                .map_or(serde_json::Value::Null, serde_json::Value::Number),
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
            serde_json::Value::Object(o) => {
                Value::Map(o.into_iter().map(|(k, v)| (k, v.into())).collect())
            }
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
/// The value is read in place (no copy). Errors are [`Error::Data`] with serde's message,
/// prefixed by the path to the offending field (`spec.ports[0].port: invalid type: ...`).
///
/// ```
/// use gitops_core::yaml::{from_value, Value};
/// let v = Value::Seq(vec![Value::Int(1), Value::from("x")]);
/// assert_eq!(from_value::<Vec<Value>>(&v).unwrap().len(), 2);
/// let err = from_value::<Vec<u8>>(&v).unwrap_err();
/// assert_eq!(err.to_string(), "[1]: invalid type: string \"x\", expected u8");
/// ```
pub fn from_value<T: DeserializeOwned>(v: &Value) -> Result<T, Error> {
    T::deserialize(De(v)).map_err(|e| Error::Data { message: e.to_string() })
}

/// A serde error with the path (innermost segment first) where it arose.
#[derive(Debug)]
struct DeError {
    message: String,
    path: Vec<Segment>,
}

#[derive(Debug)]
enum Segment {
    Key(String),
    Index(usize),
}

impl DeError {
    fn at(mut self, s: Segment) -> DeError {
        self.path.push(s);
        self
    }
}

impl fmt::Display for DeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for s in self.path.iter().rev() {
            match s {
                Segment::Key(k) if first => write!(f, "{k}")?,
                Segment::Key(k) => write!(f, ".{k}")?,
                Segment::Index(i) => write!(f, "[{i}]")?,
            }
            first = false;
        }
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, ": {}", self.message)
        }
    }
}

impl std::error::Error for DeError {}

impl de::Error for DeError {
    fn custom<M: fmt::Display>(msg: M) -> Self {
        DeError { message: msg.to_string(), path: Vec::new() }
    }
}

/// A deserializer reading a borrowed [`Value`].
struct De<'a>(&'a Value);

impl<'de> de::Deserializer<'de> for De<'de> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.0 {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(*b),
            Value::Int(i) => visitor.visit_i64(*i),
            Value::Uint(u) => visitor.visit_u64(*u),
            Value::Float(f) => visitor.visit_f64(*f),
            Value::String(s) => visitor.visit_borrowed_str(s),
            Value::Seq(items) => visitor.visit_seq(Seq { iter: items.iter().enumerate() }),
            Value::Map(m) => visitor.visit_map(Map { iter: m.iter(), value: None }),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.0 {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        match self.0 {
            Value::String(s) => visitor.visit_enum(de::value::BorrowedStrDeserializer::new(s)),
            Value::Map(m) if m.len() == 1 => match m.iter().next() {
                Some((k, v)) => visitor.visit_enum(Enum { key: k, value: v }),
                None => Err(de::Error::custom("expected an enum")),
            },
            other => Err(de::Error::invalid_type(unexpected(other), &"a string or a one-key map")),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map struct identifier
    }
}

fn unexpected(v: &Value) -> de::Unexpected<'_> {
    match v {
        Value::Null => de::Unexpected::Unit,
        Value::Bool(b) => de::Unexpected::Bool(*b),
        Value::Int(i) => de::Unexpected::Signed(*i),
        Value::Uint(u) => de::Unexpected::Unsigned(*u),
        Value::Float(f) => de::Unexpected::Float(*f),
        Value::String(s) => de::Unexpected::Str(s),
        Value::Seq(_) => de::Unexpected::Seq,
        Value::Map(_) => de::Unexpected::Map,
    }
}

struct Seq<'a> {
    iter: std::iter::Enumerate<std::slice::Iter<'a, Value>>,
}

impl<'de> SeqAccess<'de> for Seq<'de> {
    type Error = DeError;

    fn next_element_seed<T: de::DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, DeError> {
        match self.iter.next() {
            Some((i, v)) => seed.deserialize(De(v)).map(Some).map_err(|e| e.at(Segment::Index(i))),
            None => Ok(None),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.iter.len())
    }
}

struct Map<'a> {
    iter: indexmap::map::Iter<'a, String, Value>,
    value: Option<(&'a str, &'a Value)>,
}

impl<'de> MapAccess<'de> for Map<'de> {
    type Error = DeError;

    fn next_key_seed<K: de::DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, DeError> {
        match self.iter.next() {
            Some((k, v)) => {
                self.value = Some((k, v));
                seed.deserialize(de::value::BorrowedStrDeserializer::<DeError>::new(k))
                    .map(Some)
                    .map_err(|e: DeError| e.at(Segment::Key(k.clone())))
            }
            None => Ok(None),
        }
    }

    fn next_value_seed<S: de::DeserializeSeed<'de>>(
        &mut self,
        seed: S,
    ) -> Result<S::Value, DeError> {
        match self.value.take() {
            Some((k, v)) => seed.deserialize(De(v)).map_err(|e| e.at(Segment::Key(k.to_owned()))),
            None => Err(de::Error::custom("value asked for before its key")),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.iter.len())
    }
}

struct Enum<'a> {
    key: &'a str,
    value: &'a Value,
}

impl<'de> de::EnumAccess<'de> for Enum<'de> {
    type Error = DeError;
    type Variant = De<'de>;

    fn variant_seed<S: de::DeserializeSeed<'de>>(
        self,
        seed: S,
    ) -> Result<(S::Value, De<'de>), DeError> {
        let key = self.key;
        let v = seed
            .deserialize(de::value::BorrowedStrDeserializer::<DeError>::new(key))
            .map_err(|e| e.at(Segment::Key(key.to_owned())))?;
        Ok((v, De(self.value)))
    }
}

impl<'de> de::VariantAccess<'de> for De<'de> {
    type Error = DeError;

    fn unit_variant(self) -> Result<(), DeError> {
        match self.0 {
            Value::Null => Ok(()),
            other => Err(de::Error::invalid_type(unexpected(other), &"unit variant")),
        }
    }

    fn newtype_variant_seed<T: de::DeserializeSeed<'de>>(
        self,
        seed: T,
    ) -> Result<T::Value, DeError> {
        seed.deserialize(self)
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, DeError> {
        de::Deserializer::deserialize_seq(self, visitor)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        de::Deserializer::deserialize_map(self, visitor)
    }
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
        assert_eq!(err.to_string(), "name: invalid type: integer `1`, expected a string");
    }

    #[test]
    fn typed_access_paths_enums_and_options() {
        #[derive(serde::Deserialize, Debug, PartialEq)]
        enum Kind {
            A,
            B(u8),
            C { x: i32 },
        }
        #[derive(serde::Deserialize, Debug, PartialEq)]
        struct Port {
            port: u16,
        }
        #[derive(serde::Deserialize, Debug, PartialEq)]
        struct Spec {
            ports: Vec<Port>,
            kinds: Vec<Kind>,
            opt: Option<String>,
            #[serde(default)]
            missing: Option<bool>,
            big: u64,
            f: f64,
        }
        let text = r#"{"ports":[{"port":80},{"port":443}],"kinds":["A",{"B":7},{"C":{"x":-1}}],"opt":null,"big":18446744073709551615,"f":1}"#;
        let v = Value::from(serde_json::from_str::<serde_json::Value>(text).unwrap());
        let s: Spec = from_value(&v).unwrap();
        assert_eq!(s.ports, [Port { port: 80 }, Port { port: 443 }]);
        assert_eq!(s.kinds, [Kind::A, Kind::B(7), Kind::C { x: -1 }]);
        assert_eq!((s.opt, s.missing, s.big, s.f), (None, None, u64::MAX, 1.0));
        let bad = text.replace("443", "70000");
        let v = Value::from(serde_json::from_str::<serde_json::Value>(&bad).unwrap());
        let err = from_value::<Spec>(&v).unwrap_err().to_string();
        assert_eq!(err, "ports[1].port: invalid value: integer `70000`, expected u16");
    }
}
