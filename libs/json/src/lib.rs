//! `pyaot-json`: JSON with exactly CPython 3.11's `json` semantics, fast.
//!
//! # What it is for
//!
//! - Parsing with `json.loads`' grammar and results: Python's number rules (integers of any
//!   size, correctly rounded floats, overflow to `inf`, `NaN`/`Infinity`/`-Infinity`
//!   accepted), strings that may hold lone surrogates ([`JsonString`]), duplicate keys resolved
//!   like a `dict`, and errors that carry CPython's message with the character position, line
//!   and column ([`Error`]). Nesting is bounded ([`ParseOptions::max_depth`]): deep input is an
//!   error, never a stack overflow.
//! - Writing byte-identical to `json.dumps` for every formatting option ([`Options`]): `indent`,
//!   `separators`, `sort_keys`, `ensure_ascii`, `allow_nan`, with floats as `float.__repr__`.
//! - One scanner for every consumer: [`scan::parse`] drives a [`Sink`], which builds this
//!   crate's [`Value`] here, Python objects in `pyaot-json-py`, and runtime objects in
//!   compiled programs. Likewise one [`Writer`] serves every [`Source`].
//!
//! # What it is not for
//!
//! Mapping JSON onto Rust structs (use `serde_json`), or JSON5 and other dialects. It has no
//! Python dependency: the binding lives in `libs/json/python`, the C ABI in `libs/json/capi`.
//!
//! # Example
//!
//! ```
//! use pyaot_json::{from_str, to_string, Options, Value};
//!
//! let value = from_str(r#"{"big": 123456789012345678901234567890, "x": 1e400, "s": "\u00e9"}"#)?;
//! assert_eq!(value.get("big"), Some(&Value::BigInt("123456789012345678901234567890".into())));
//! assert_eq!(value.get("x"), Some(&Value::Float(f64::INFINITY)));
//! assert_eq!(to_string(&value, &Options::default())?, r#"{"big": 123456789012345678901234567890, "x": Infinity, "s": "\u00e9"}"#);
//!
//! let err = from_str("[1, 2,]").unwrap_err();
//! assert_eq!(err.to_string(), "Expecting value: line 1 column 7 (char 6)");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Cargo features
//!
//! None.

pub mod decode;
mod error;
pub mod number;
pub mod scan;
mod ser;
mod string;
mod value;

use std::io;

pub use error::{Error, ErrorKind};
pub use scan::{Constant, Input, ParseOptions, Sink, Str};
pub use ser::{Options, Source, WriteError, WriteErrorKind, Writer, write_float};
pub use string::{JsonString, char_count, write_escaped};
pub use value::{Object, Value, ValueSink};

/// Parses a document from text, like `json.loads(str)`.
///
/// # Errors
///
/// CPython's error for the first problem, with its position; text starting with a byte-order
/// mark is [`ErrorKind::UnexpectedBom`], as in CPython.
pub fn from_str(text: &str) -> Result<Value, Error> {
    from_str_with(text, ParseOptions::default())
}

/// [`from_str`] with explicit [`ParseOptions`].
///
/// # Errors
///
/// As [`from_str`].
pub fn from_str_with(text: &str, options: ParseOptions) -> Result<Value, Error> {
    if text.starts_with('\u{FEFF}') {
        return Err(Error::at(ErrorKind::UnexpectedBom, text.as_bytes(), 0));
    }
    scan::parse(&mut ValueSink, Input::from_text(text), options)
}

/// Parses a document from bytes, like `json.loads(bytes)`: the encoding (UTF-8, UTF-16 or
/// UTF-32, with or without a BOM) is detected as CPython does, and surrogates pass.
///
/// # Errors
///
/// [`ErrorKind::InvalidEncoding`] when the bytes do not decode, else as [`from_str`] (except
/// that a UTF-8 BOM is skipped, not an error).
pub fn from_slice(bytes: &[u8]) -> Result<Value, Error> {
    let text = decode::decode(bytes).map_err(Error::encoding)?;
    // Decoding produced Python UTF-8, which is what `Input` requires.
    let input = Input::from_python_utf8(&text).ok_or_else(|| Error::encoding(decode::Encoding::Utf8))?;
    scan::parse(&mut ValueSink, input, ParseOptions::default())
}

/// Writes `value` as `json.dumps(value, **options)` does.
///
/// # Errors
///
/// `NaN` or an infinity with `allow_nan` off.
pub fn to_string(value: &impl Source, options: &Options) -> Result<String, WriteError> {
    let mut writer = Writer::new(options.clone());
    value.write_json(&mut writer)?;
    Ok(writer.into_string())
}

/// Writes `value` into `out` as `json.dumps(value, **options)` does, streaming in chunks.
///
/// # Errors
///
/// `NaN` or an infinity with `allow_nan` off, or the writer's error.
pub fn to_writer<W: io::Write>(out: W, value: &impl Source, options: &Options) -> Result<W, WriteError> {
    let mut writer = Writer::to_writer(out, options.clone());
    value.write_json(&mut writer)?;
    writer.finish()
}
