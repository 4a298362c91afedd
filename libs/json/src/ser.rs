//! The serializer: a streaming [`Writer`] with every `json.dumps` formatting option, and the
//! [`Source`] trait through which any document type (this crate's [`Value`], Python objects,
//! runtime objects) drives it.

use std::fmt;
use std::io;

use crate::number::write_float_repr;
use crate::string::write_escaped;
use crate::value::Value;

/// `json.dumps` formatting options. [`Default`] is `json.dumps`' defaults.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// `indent`: `None` writes one line; `Some(unit)` puts each member on its own line, indented
    /// by `unit` per level (`indent=2` is `"  "`; `indent=0` and `""` still break lines).
    pub indent: Option<String>,
    /// `separators` as `(item, key)`; `None` means `(", ", ": ")`, or `(",", ": ")` when
    /// indenting, as in Python.
    pub separators: Option<(String, String)>,
    /// `sort_keys`: members in key order (code-point order).
    pub sort_keys: bool,
    /// `ensure_ascii`: escape every non-ASCII character as `\uXXXX`.
    pub ensure_ascii: bool,
    /// `allow_nan`: write `NaN`/`Infinity`/`-Infinity`; when false they are an error.
    pub allow_nan: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options { indent: None, separators: None, sort_keys: false, ensure_ascii: true, allow_nan: true }
    }
}

impl Options {
    /// `indent=n`: `n` spaces per level (a negative `n` in Python gives `""`; use 0).
    pub fn indent(mut self, spaces: usize) -> Self {
        self.indent = Some(" ".repeat(spaces));
        self
    }

    /// `sort_keys=True`.
    pub fn sort_keys(mut self, sort: bool) -> Self {
        self.sort_keys = sort;
        self
    }

    /// `separators=(item, key)`.
    pub fn separators(mut self, item: &str, key: &str) -> Self {
        self.separators = Some((item.to_owned(), key.to_owned()));
        self
    }

    /// `ensure_ascii=...`.
    pub fn ensure_ascii(mut self, ensure_ascii: bool) -> Self {
        self.ensure_ascii = ensure_ascii;
        self
    }

    /// `allow_nan=...`.
    pub fn allow_nan(mut self, allow_nan: bool) -> Self {
        self.allow_nan = allow_nan;
        self
    }

    /// The `(item, key)` separators in effect.
    pub fn effective_separators(&self) -> (&str, &str) {
        match &self.separators {
            Some((item, key)) => (item, key),
            None if self.indent.is_some() => (",", ": "),
            None => (", ", ": "),
        }
    }
}

/// Why writing failed.
#[derive(Debug)]
pub struct WriteError(WriteErrorKind);

/// The kinds of [`WriteError`].
#[derive(Debug)]
#[non_exhaustive]
pub enum WriteErrorKind {
    /// `NaN` or an infinity with `allow_nan` off (Python: `ValueError`).
    NonFiniteFloat(f64),
    /// The underlying writer failed.
    Io(io::Error),
    /// A [`Source`] could not be written (for example a Python `default` hook raised).
    Source(String),
}

impl WriteError {
    /// What went wrong.
    pub fn kind(&self) -> &WriteErrorKind {
        &self.0
    }

    /// An error raised by a [`Source`] implementation.
    pub fn source_error(message: impl Into<String>) -> WriteError {
        WriteError(WriteErrorKind::Source(message.into()))
    }
}

impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            WriteErrorKind::NonFiniteFloat(v) => {
                let repr = if v.is_nan() {
                    "nan"
                } else if *v > 0.0 {
                    "inf"
                } else {
                    "-inf"
                };
                write!(f, "Out of range float values are not JSON compliant: {repr}")
            }
            WriteErrorKind::Io(e) => write!(f, "write failed: {e}"),
            WriteErrorKind::Source(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for WriteError {}

impl From<io::Error> for WriteError {
    fn from(e: io::Error) -> Self {
        WriteError(WriteErrorKind::Io(e))
    }
}

/// Something that can write itself as JSON through a [`Writer`].
pub trait Source {
    /// Writes `self` as one JSON value.
    ///
    /// # Errors
    ///
    /// Whatever the writer or the source reports.
    fn write_json<W: io::Write>(&self, writer: &mut Writer<W>) -> Result<(), WriteError>;
}

const FLUSH_AT: usize = 64 * 1024;

/// A streaming JSON writer that formats exactly as `json.dumps` with its [`Options`].
///
/// Values are written in document order; the writer places separators, newlines and
/// indentation. Output goes to an internal buffer, flushed to the underlying [`io::Write`] in
/// large chunks (or kept, for [`Writer::into_bytes`]).
///
/// ```
/// use pyaot_json::{Options, Writer};
/// let mut w = Writer::new(Options::default().indent(2));
/// w.begin_object();
/// w.key("a");
/// w.begin_array();
/// w.int(1);
/// w.float(0.5)?;
/// w.end_array();
/// w.end_object();
/// assert_eq!(w.into_string(), "{\n  \"a\": [\n    1,\n    0.5\n  ]\n}");
/// # Ok::<(), pyaot_json::WriteError>(())
/// ```
pub struct Writer<W: io::Write = io::Sink> {
    out: Vec<u8>,
    sink: Option<W>,
    indent: Option<Vec<u8>>,
    item_separator: Vec<u8>,
    key_separator: Vec<u8>,
    ensure_ascii: bool,
    allow_nan: bool,
    sort_keys: bool,
    /// One entry per open container: whether it has no member yet.
    empty: Vec<bool>,
    /// A key was just written, so the next value follows the key separator.
    after_key: bool,
}

impl Writer<io::Sink> {
    /// A writer that keeps its output in memory (see [`Writer::into_string`]).
    pub fn new(options: Options) -> Self {
        Writer::build(options, None)
    }
}

impl<W: io::Write> Writer<W> {
    /// A writer that streams to `sink`; call [`Writer::finish`] at the end.
    pub fn to_writer(sink: W, options: Options) -> Self {
        Writer::build(options, Some(sink))
    }

    fn build(options: Options, sink: Option<W>) -> Self {
        let (item, key) = options.effective_separators();
        Writer {
            out: Vec::with_capacity(1024),
            item_separator: item.as_bytes().to_vec(),
            key_separator: key.as_bytes().to_vec(),
            indent: options.indent.map(String::into_bytes),
            ensure_ascii: options.ensure_ascii,
            allow_nan: options.allow_nan,
            sort_keys: options.sort_keys,
            sink,
            empty: Vec::new(),
            after_key: false,
        }
    }

    /// Whether keys should be written in sorted order (`sort_keys`); [`Source`]s consult it.
    pub fn sort_keys(&self) -> bool {
        self.sort_keys
    }

    /// The bytes written so far and not yet flushed.
    pub fn buffer(&self) -> &[u8] {
        &self.out
    }

    fn newline_indent(&mut self) {
        if let Some(unit) = &self.indent {
            self.out.push(b'\n');
            for _ in 0..self.empty.len() {
                self.out.extend_from_slice(unit);
            }
        }
    }

    /// Separator and indentation before a value or key at the current position.
    fn before_item(&mut self) {
        if self.after_key {
            self.after_key = false;
            return;
        }
        if let Some(empty) = self.empty.last_mut() {
            if !std::mem::replace(empty, false) {
                put(&mut self.out, &self.item_separator);
            }
            self.newline_indent();
        }
    }

    /// `null`
    pub fn null(&mut self) {
        self.before_item();
        self.out.extend_from_slice(b"null");
    }

    /// `true` or `false`
    pub fn bool(&mut self, value: bool) {
        self.before_item();
        self.out.extend_from_slice(if value { b"true" } else { b"false" });
    }

    /// An integer.
    pub fn int(&mut self, value: i64) {
        self.before_item();
        self.out.extend_from_slice(itoa::Buffer::new().format(value).as_bytes());
    }

    /// Pre-formatted number text (a big integer's digits, or Python's `repr` of a number).
    pub fn raw_number(&mut self, text: &str) {
        self.before_item();
        self.out.extend_from_slice(text.as_bytes());
    }

    /// A float as `float.__repr__` writes it; `NaN`/`Infinity`/`-Infinity` when allowed.
    ///
    /// # Errors
    ///
    /// A non-finite value with `allow_nan` off.
    pub fn float(&mut self, value: f64) -> Result<(), WriteError> {
        if !value.is_finite() && !self.allow_nan {
            return Err(WriteError(WriteErrorKind::NonFiniteFloat(value)));
        }
        self.before_item();
        write_float(&mut self.out, value);
        Ok(())
    }

    /// A string value.
    pub fn string(&mut self, value: &str) {
        self.string_python_utf8(value.as_bytes());
    }

    /// A string value given as Python UTF-8 (see [`crate::JsonString`]).
    pub fn string_python_utf8(&mut self, value: &[u8]) {
        self.before_item();
        write_escaped(&mut self.out, value, self.ensure_ascii);
    }

    /// A value given as finished JSON text, such as a string encoded by a caller's own
    /// function (Python's `JSONEncoder` accepts any `encoder` for strings).
    pub fn raw_value(&mut self, json: &[u8]) {
        self.before_item();
        self.out.extend_from_slice(json);
    }

    /// An object key given as finished JSON text (quotes included).
    pub fn raw_key(&mut self, json: &[u8]) {
        self.before_item();
        self.out.extend_from_slice(json);
        self.out.extend_from_slice(&self.key_separator);
        self.after_key = true;
    }

    /// An object key (must be inside an object, before its value).
    pub fn key(&mut self, key: &str) {
        self.key_python_utf8(key.as_bytes());
    }

    /// An object key given as Python UTF-8.
    pub fn key_python_utf8(&mut self, key: &[u8]) {
        self.before_item();
        write_escaped(&mut self.out, key, self.ensure_ascii);
        put(&mut self.out, &self.key_separator);
        self.after_key = true;
    }

    /// `[`
    pub fn begin_array(&mut self) {
        self.before_item();
        self.out.push(b'[');
        self.empty.push(true);
    }

    /// `]`
    pub fn end_array(&mut self) {
        self.close(b']');
    }

    /// `{`
    pub fn begin_object(&mut self) {
        self.before_item();
        self.out.push(b'{');
        self.empty.push(true);
    }

    /// `}`
    pub fn end_object(&mut self) {
        self.close(b'}');
    }

    fn close(&mut self, bracket: u8) {
        let was_empty = self.empty.pop().unwrap_or(true);
        if !was_empty {
            self.newline_indent();
        }
        self.out.push(bracket);
    }

    /// Hands buffered output to the underlying writer once enough has accumulated.
    ///
    /// # Errors
    ///
    /// The underlying writer's error.
    pub fn maybe_flush(&mut self) -> Result<(), WriteError> {
        if self.out.len() >= FLUSH_AT
            && let Some(sink) = &mut self.sink
        {
            sink.write_all(&self.out)?;
            self.out.clear();
        }
        Ok(())
    }

    /// Writes any buffered output and returns the underlying writer.
    ///
    /// # Errors
    ///
    /// The underlying writer's error.
    pub fn finish(mut self) -> Result<W, WriteError> {
        let mut sink =
            self.sink.take().ok_or_else(|| WriteError::source_error("this writer has no underlying writer"))?;
        sink.write_all(&self.out)?;
        sink.flush()?;
        Ok(sink)
    }

    /// The output (of an in-memory writer) as bytes: Python UTF-8, which is plain UTF-8
    /// unless a string with lone surrogates was written with `ensure_ascii` off.
    pub fn into_bytes(self) -> Vec<u8> {
        self.out
    }

    /// The output as a `String`; lone surrogates (possible only with `ensure_ascii` off)
    /// become U+FFFD.
    pub fn into_string(self) -> String {
        String::from_utf8(self.out)
            .unwrap_or_else(|e| crate::JsonString::from_python_utf8(e.as_bytes()).to_string_lossy())
    }
}

/// Appends `bytes`. Separators are a byte or two, for which a loop of pushes beats a call to
/// `memcpy` (measured: `memmove` was 9% of `dumps` on citm_catalog).
#[inline]
fn put(out: &mut Vec<u8>, bytes: &[u8]) {
    if bytes.len() <= 4 {
        for &b in bytes {
            out.push(b);
        }
    } else {
        out.extend_from_slice(bytes);
    }
}

/// Appends a float as JSON: `float.__repr__`, or `NaN`/`Infinity`/`-Infinity`.
pub fn write_float(out: &mut Vec<u8>, value: f64) {
    if value.is_finite() {
        write_float_repr(out, value);
    } else if value.is_nan() {
        out.extend_from_slice(b"NaN");
    } else if value > 0.0 {
        out.extend_from_slice(b"Infinity");
    } else {
        out.extend_from_slice(b"-Infinity");
    }
}

impl Source for Value {
    fn write_json<W: io::Write>(&self, w: &mut Writer<W>) -> Result<(), WriteError> {
        match self {
            Value::Null => w.null(),
            Value::Bool(b) => w.bool(*b),
            Value::Int(i) => w.int(*i),
            Value::BigInt(text) => w.raw_number(text),
            Value::Float(f) => w.float(*f)?,
            Value::String(s) => w.string_python_utf8(s.as_bytes()),
            Value::Array(items) => {
                w.begin_array();
                for item in items {
                    item.write_json(w)?;
                    w.maybe_flush()?;
                }
                w.end_array();
            }
            Value::Object(map) => {
                w.begin_object();
                if w.sort_keys() {
                    let mut members: Vec<_> = map.iter().collect();
                    // Python UTF-8 byte order is code-point order, which is how Python sorts str.
                    members.sort_unstable_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
                    write_members(w, members)?;
                } else {
                    write_members(w, map.iter())?;
                }
                w.end_object();
            }
        }
        Ok(())
    }
}

fn write_members<'v, W: io::Write>(
    w: &mut Writer<W>,
    members: impl IntoIterator<Item = (&'v crate::JsonString, &'v Value)>,
) -> Result<(), WriteError> {
    for (key, value) in members {
        w.key_python_utf8(key.as_bytes());
        value.write_json(w)?;
        w.maybe_flush()?;
    }
    Ok(())
}
