//! The crate's own document type and the sink that builds it.

use std::hash::BuildHasherDefault;

use indexmap::IndexMap;
use rustc_hash::FxHasher;

use crate::error::Error;
use crate::number::parse_i64;
use crate::scan::{Constant, Sink, Str};
use crate::string::JsonString;

/// A JSON object: keys in first-insertion order, a repeated key keeps its first position and
/// its last value (what a Python `dict` does with `json.loads('{"a":1,"a":2}')`).
pub type Object = IndexMap<JsonString, Value, BuildHasherDefault<FxHasher>>;

/// A parsed document, with Python's number semantics.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `null`
    Null,
    /// `true` / `false`
    Bool(bool),
    /// An integer that fits in an `i64`.
    Int(i64),
    /// An integer that does not fit in an `i64`, kept exactly as its decimal text
    /// (for example `-123456789012345678901234567890`).
    BigInt(Box<str>),
    /// A number with a fraction or an exponent (correctly rounded; overflow gives `inf`,
    /// as Python's `float()`), or `NaN`/`Infinity`/`-Infinity`.
    Float(f64),
    /// A string (possibly with lone surrogates, see [`JsonString`]).
    String(JsonString),
    /// An array.
    Array(Vec<Value>),
    /// An object, boxed: most values are scalars and arrays, and an inline map would make every
    /// `Value` 56 bytes instead of 24 (measured: serializing number arrays was bound by cache
    /// misses on the larger values).
    Object(Box<Object>),
}

impl Value {
    /// The member `key` of an object, or `None`.
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Object(map) => map.get(key.as_bytes()),
            _ => None,
        }
    }

    /// The string, if this is a string without lone surrogates.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => s.as_str(),
            _ => None,
        }
    }

    /// The number as an `f64` (integers are converted, big ones with rounding).
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Int(i) => Some(*i as f64),
            Value::BigInt(text) => text.parse().ok(),
            Value::Float(f) => Some(*f),
            _ => None,
        }
    }
}

/// The [`Sink`] that builds [`Value`]s.
#[derive(Debug, Default)]
pub struct ValueSink;

impl Sink for ValueSink {
    type Value = Value;
    type Array = Vec<Value>;
    type Object = Object;
    type Key = JsonString;
    type Error = Error;

    fn null(&mut self) -> Result<Value, Error> {
        Ok(Value::Null)
    }

    fn boolean(&mut self, value: bool) -> Result<Value, Error> {
        Ok(Value::Bool(value))
    }

    fn integer(&mut self, text: &str) -> Result<Value, Error> {
        Ok(match parse_i64(text) {
            Some(i) => Value::Int(i),
            None => Value::BigInt(text.into()),
        })
    }

    fn float(&mut self, text: &str) -> Result<Value, Error> {
        // The scanner only passes `-?(0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?`, which Rust parses
        // correctly rounded, with overflow to infinity like Python's float().
        Ok(Value::Float(text.parse().unwrap_or(f64::NAN)))
    }

    fn constant(&mut self, constant: Constant) -> Result<Value, Error> {
        Ok(Value::Float(constant.to_f64()))
    }

    fn string(&mut self, text: Str<'_>) -> Result<Value, Error> {
        Ok(Value::String(JsonString::from_python_utf8(text.as_bytes())))
    }

    fn start_array(&mut self) -> Result<Vec<Value>, Error> {
        Ok(Vec::new())
    }

    fn push(&mut self, array: &mut Vec<Value>, value: Value) -> Result<(), Error> {
        array.push(value);
        Ok(())
    }

    fn end_array(&mut self, array: Vec<Value>) -> Result<Value, Error> {
        Ok(Value::Array(array))
    }

    fn start_object(&mut self) -> Result<Object, Error> {
        Ok(Object::default())
    }

    fn key(&mut self, text: Str<'_>) -> Result<JsonString, Error> {
        Ok(JsonString::from_python_utf8(text.as_bytes()))
    }

    fn insert(&mut self, object: &mut Object, key: JsonString, value: Value) -> Result<(), Error> {
        object.insert(key, value);
        Ok(())
    }

    fn end_object(&mut self, object: Object) -> Result<Value, Error> {
        Ok(Value::Object(Box::new(object)))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn values_are_small() {
        assert!(size_of::<super::Value>() <= 24, "{} bytes", size_of::<super::Value>());
    }
}
