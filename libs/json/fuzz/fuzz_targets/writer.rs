//! `writer`: the serializer with arbitrary `Options` (indent strings, separators,
//! `ensure_ascii`, `allow_nan`, `sort_keys`), driven two ways from structured fuzz input:
//!
//! 1. A `Value` (built from an `arbitrary` tree, strings may hold lone surrogates) through
//!    `to_string` / `Writer` / `to_writer`: never panics; fails only for NaN/infinity with
//!    `allow_nan` off; `ensure_ascii` output is ASCII; `to_string`, `to_writer` and the in-memory
//!    bytes agree; with standard separators (`,`/`:` with only JSON whitespace around them, and
//!    a whitespace-only indent) the output parses back to an equal value (order kept, or keys
//!    sorted with `sort_keys`) and re-serializes byte-identically.
//! 2. A sequence of raw `Writer` calls. Unrepaired sequences (unbalanced brackets, keys outside
//!    objects, ...) must only not panic, and the streaming writer (`Writer::to_writer` with
//!    `maybe_flush` between calls) must produce the same bytes as the in-memory one. Repaired
//!    sequences (calls that make no sense in the current state are dropped, open containers
//!    closed at the end) with standard separators must parse back to the value the calls
//!    describe (a repeated key keeps its first position and last value, as in the parser).

#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use pyaot_json::{JsonString, Object, Options, Value, Writer};
use pyaot_json_fuzz::{
    ascii_only, check_output_consistency, check_roundtrip, diff, has_non_finite, parse_python_utf8, standard_format,
    to_bytes,
};

#[derive(Arbitrary, Debug)]
struct Case {
    options: ArbOptions,
    doc: Doc,
    ops: Vec<Op>,
    repair: bool,
}

#[derive(Arbitrary, Debug)]
enum Ws {
    Space,
    Tab,
    Newline,
    Return,
}

impl Ws {
    fn as_str(&self) -> &'static str {
        match self {
            Ws::Space => " ",
            Ws::Tab => "\t",
            Ws::Newline => "\n",
            Ws::Return => "\r",
        }
    }
}

/// Indent units and separators are kept short: output grows with (unit length) x (depth) per
/// line, and a few KiB of fuzz input must not ask for gigabytes.
const MAX_UNIT: usize = 16;

fn ws(list: &[Ws]) -> String {
    list.iter().take(MAX_UNIT).map(Ws::as_str).collect()
}

fn short(s: &str) -> String {
    s.chars().take(MAX_UNIT).collect()
}

#[derive(Arbitrary, Debug)]
enum Indent {
    None,
    /// `indent=n`
    Spaces(u8),
    /// Any whitespace unit, including the empty string (`indent=""` still breaks lines).
    Whitespace(Vec<Ws>),
    /// Anything at all (not JSON unless it happens to be whitespace).
    Any(String),
}

#[derive(Arbitrary, Debug)]
enum Separators {
    Default,
    /// `(",", ":")`
    Compact,
    /// `,` and `:` with whitespace around them.
    Padded(Vec<Ws>, Vec<Ws>, Vec<Ws>, Vec<Ws>),
    /// Anything at all.
    Any(String, String),
}

#[derive(Arbitrary, Debug)]
struct ArbOptions {
    indent: Indent,
    separators: Separators,
    sort_keys: bool,
    ensure_ascii: bool,
    allow_nan: bool,
}

impl ArbOptions {
    fn build(&self) -> Options {
        Options {
            indent: match &self.indent {
                Indent::None => None,
                Indent::Spaces(n) => Some(" ".repeat(usize::from(n % 9))),
                Indent::Whitespace(list) => Some(ws(list)),
                Indent::Any(s) => Some(short(s)),
            },
            separators: match &self.separators {
                Separators::Default => None,
                Separators::Compact => Some((",".into(), ":".into())),
                Separators::Padded(a, b, c, d) => {
                    Some((format!("{},{}", ws(a), ws(b)), format!("{}:{}", ws(c), ws(d))))
                }
                Separators::Any(item, key) => Some((short(item), short(key))),
            },
            sort_keys: self.sort_keys,
            ensure_ascii: self.ensure_ascii,
            allow_nan: self.allow_nan,
        }
    }
}

/// One character of a Python string.
#[derive(Arbitrary, Debug, Clone, Copy)]
enum Ch {
    Ascii(u8),
    Char(char),
    /// A lone surrogate, U+D800 + (n % 0x800).
    Surrogate(u16),
}

/// A Python string's code points. A high surrogate directly followed by a low one is dropped:
/// `json.dumps` writes such a pair as `\ud800\udc00`, which `json.loads` (CPython too) joins
/// into one astral character, so it cannot round-trip.
fn code_points(chars: &[Ch]) -> Vec<u32> {
    let mut out: Vec<u32> = Vec::with_capacity(chars.len());
    for ch in chars {
        let c = match *ch {
            Ch::Ascii(b) => u32::from(b & 0x7F),
            Ch::Char(c) => u32::from(c),
            Ch::Surrogate(n) => 0xD800 + u32::from(n % 0x800),
        };
        let after_high = out.last().is_some_and(|p| (0xD800..0xDC00).contains(p));
        if after_high && (0xDC00..0xE000).contains(&c) {
            continue;
        }
        out.push(c);
    }
    out
}

/// Python UTF-8 (`surrogatepass`) of some code points.
fn python_utf8(cps: &[u32]) -> Vec<u8> {
    let mut out = Vec::new();
    for &c in cps {
        match c {
            0..=0x7F => out.push(c as u8),
            0x80..=0x7FF => out.extend_from_slice(&[0xC0 | (c >> 6) as u8, 0x80 | (c & 0x3F) as u8]),
            0x800..=0xFFFF => out.extend_from_slice(&[
                0xE0 | (c >> 12) as u8,
                0x80 | ((c >> 6) & 0x3F) as u8,
                0x80 | (c & 0x3F) as u8,
            ]),
            _ => out.extend_from_slice(&[
                0xF0 | (c >> 18) as u8,
                0x80 | ((c >> 12) & 0x3F) as u8,
                0x80 | ((c >> 6) & 0x3F) as u8,
                0x80 | (c & 0x3F) as u8,
            ]),
        }
    }
    out
}

/// A `JsonString` for some code points. `JsonString` has no public constructor from Python
/// UTF-8, so strings with lone surrogates go through the parser as a `\uXXXX` literal.
fn json_string(cps: &[u32]) -> JsonString {
    if let Some(s) = cps.iter().map(|&c| char::from_u32(c)).collect::<Option<String>>() {
        return JsonString::from(s);
    }
    let mut literal = String::from("\"");
    for &c in cps {
        let mut units = [0u16; 2];
        let units: &[u16] = match char::from_u32(c) {
            Some(ch) => ch.encode_utf16(&mut units),
            None => {
                units[0] = c as u16;
                &units[..1]
            }
        };
        for u in units {
            literal.push_str(&format!("\\u{u:04x}"));
        }
    }
    literal.push('"');
    match pyaot_json::from_str(&literal) {
        Ok(Value::String(s)) => {
            assert_eq!(s.as_bytes(), python_utf8(cps), "the parser decodes {literal:?} wrongly");
            s
        }
        other => panic!("the parser rejects the string literal {literal:?}: {other:?}"),
    }
}

#[derive(Arbitrary, Debug)]
enum Doc {
    Null,
    Bool(bool),
    Int(i64),
    /// An integer literal of any size: sign and digits (each taken mod 10).
    BigInt(bool, Vec<u8>),
    Float(f64),
    NonFinite(u8),
    Str(Vec<Ch>),
    Array(Vec<Doc>),
    Object(Vec<(Vec<Ch>, Doc)>),
}

/// Integer text `-?[1-9][0-9]*` (or `0`) from fuzz bytes.
fn integer_text(negative: bool, digits: &[u8]) -> String {
    let mut text = String::from(if negative { "-" } else { "" });
    let digits: String = digits.iter().map(|d| char::from(b'0' + d % 10)).collect();
    let digits = digits.trim_start_matches('0');
    if digits.is_empty() {
        return "0".into();
    }
    text.push_str(digits);
    text
}

/// An integer as the parser would produce it: `Int` when it fits an i64, else `BigInt`.
fn integer_value(text: &str) -> Value {
    match pyaot_json::number::parse_i64(text) {
        Some(i) => Value::Int(i),
        None => Value::BigInt(text.into()),
    }
}

const MAX_DEPTH: usize = 200;

fn build(doc: &Doc, depth: usize) -> Value {
    match doc {
        Doc::Null => Value::Null,
        Doc::Bool(b) => Value::Bool(*b),
        Doc::Int(i) => Value::Int(*i),
        Doc::BigInt(negative, digits) => integer_value(&integer_text(*negative, digits)),
        Doc::Float(f) => Value::Float(*f),
        Doc::NonFinite(n) => Value::Float([f64::NAN, f64::INFINITY, f64::NEG_INFINITY][usize::from(n % 3)]),
        Doc::Str(chars) => Value::String(json_string(&code_points(chars))),
        Doc::Array(_) | Doc::Object(_) if depth >= MAX_DEPTH => Value::Null,
        Doc::Array(items) => Value::Array(items.iter().map(|d| build(d, depth + 1)).collect()),
        Doc::Object(members) => {
            let mut map = Object::default();
            for (key, value) in members {
                map.insert(json_string(&code_points(key)), build(value, depth + 1));
            }
            Value::Object(Box::new(map))
        }
    }
}

#[derive(Arbitrary, Debug)]
enum Op {
    Null,
    Bool(bool),
    Int(i64),
    RawNumber(bool, Vec<u8>),
    Float(f64),
    NonFinite(u8),
    String(Vec<Ch>),
    /// `Writer::string` (a `&str`, no surrogates).
    Str(String),
    Key(Vec<Ch>),
    /// `Writer::key` (a `&str`).
    KeyStr(String),
    /// `raw_value` with a string literal the crate itself escaped.
    RawValue(Vec<Ch>),
    /// `raw_key` with a string literal the crate itself escaped.
    RawKey(Vec<Ch>),
    BeginArray,
    EndArray,
    BeginObject,
    EndObject,
}

/// What the repaired op sequence describes, built alongside the writer.
enum Frame {
    Array(Vec<Value>),
    Object(Object, Option<JsonString>),
}

struct Model {
    stack: Vec<Frame>,
    done: Option<Value>,
}

impl Model {
    /// Whether a value may be written now.
    fn wants_value(&self) -> bool {
        match self.stack.last() {
            None => self.done.is_none(),
            Some(Frame::Array(_)) => true,
            Some(Frame::Object(_, key)) => key.is_some(),
        }
    }

    fn wants_key(&self) -> bool {
        matches!(self.stack.last(), Some(Frame::Object(_, None)))
    }

    fn value(&mut self, v: Value) {
        match self.stack.last_mut() {
            None => self.done = Some(v),
            Some(Frame::Array(items)) => items.push(v),
            Some(Frame::Object(map, key)) => {
                map.insert(key.take().expect("wants_value checked"), v);
            }
        }
    }

    fn close(&mut self) {
        let v = match self.stack.pop().expect("close needs an open container") {
            Frame::Array(items) => Value::Array(items),
            Frame::Object(map, _) => Value::Object(Box::new(map)),
        };
        self.value(v);
    }
}

/// Escapes a string literal with the crate's own escaper, for `raw_value`/`raw_key`.
fn literal(cps: &[u32], ensure_ascii: bool) -> Vec<u8> {
    let mut out = Vec::new();
    pyaot_json::write_escaped(&mut out, &python_utf8(cps), ensure_ascii);
    out
}

/// Applies `op` to a writer.
fn apply<W: std::io::Write>(w: &mut Writer<W>, op: &Op, ensure_ascii: bool) {
    match op {
        Op::Null => w.null(),
        Op::Bool(b) => w.bool(*b),
        Op::Int(i) => w.int(*i),
        Op::RawNumber(negative, digits) => w.raw_number(&integer_text(*negative, digits)),
        Op::Float(f) => {
            if w.float(*f).is_err() {
                assert!(!f.is_finite(), "float({f}) failed");
            }
        }
        Op::NonFinite(n) => {
            let f = [f64::NAN, f64::INFINITY, f64::NEG_INFINITY][usize::from(n % 3)];
            let _ = w.float(f);
        }
        Op::String(chars) => w.string_python_utf8(&python_utf8(&code_points(chars))),
        Op::Str(s) => w.string(s),
        Op::Key(chars) => w.key_python_utf8(&python_utf8(&code_points(chars))),
        Op::KeyStr(s) => w.key(s),
        Op::RawValue(chars) => w.raw_value(&literal(&code_points(chars), ensure_ascii)),
        Op::RawKey(chars) => w.raw_key(&literal(&code_points(chars), ensure_ascii)),
        Op::BeginArray => w.begin_array(),
        Op::EndArray => w.end_array(),
        Op::BeginObject => w.begin_object(),
        Op::EndObject => w.end_object(),
    }
}

fn run_ops(case: &Case, options: &Options) {
    let mut memory = Writer::new(options.clone());
    let mut streamed = Writer::to_writer(Vec::new(), options.clone());
    let mut model = Model { stack: Vec::new(), done: None };
    let mut depth = 0usize;
    for op in &case.ops {
        // Bound nesting, for the same reason as MAX_UNIT.
        let open = if case.repair { model.stack.len() } else { depth };
        match op {
            Op::BeginArray | Op::BeginObject if open >= MAX_DEPTH => continue,
            Op::BeginArray | Op::BeginObject => depth += 1,
            Op::EndArray | Op::EndObject => depth = depth.saturating_sub(1),
            _ => {}
        }
        if case.repair {
            // Drop the calls that make no sense here, and keep the model in step.
            let (is_value, is_key) = match op {
                Op::Key(_) | Op::KeyStr(_) | Op::RawKey(_) => (false, true),
                Op::EndArray => {
                    if !matches!(model.stack.last(), Some(Frame::Array(_))) {
                        continue;
                    }
                    (false, false)
                }
                Op::EndObject => {
                    if !model.wants_key() {
                        continue;
                    }
                    (false, false)
                }
                _ => (true, false),
            };
            if (is_value && !model.wants_value()) || (is_key && !model.wants_key()) {
                continue;
            }
            // A non-finite float with allow_nan off writes nothing: the model skips it too.
            let skipped = match op {
                Op::NonFinite(_) => !options.allow_nan,
                Op::Float(f) => !f.is_finite() && !options.allow_nan,
                _ => false,
            };
            if !skipped {
                model_step(&mut model, op);
            }
        }
        apply(&mut memory, op, options.ensure_ascii);
        apply(&mut streamed, op, options.ensure_ascii);
        streamed.maybe_flush().expect("flushing to a Vec cannot fail");
    }
    if case.repair {
        while let Some(frame) = model.stack.last() {
            if let Frame::Object(_, Some(_)) = frame {
                // A key without its value: give it one.
                model.value(Value::Null);
                memory.null();
                streamed.null();
            }
            let array = matches!(model.stack.last(), Some(Frame::Array(_)));
            model.close();
            if array {
                memory.end_array();
                streamed.end_array();
            } else {
                memory.end_object();
                streamed.end_object();
            }
        }
    }
    let bytes = memory.into_bytes();
    let streamed = streamed.finish().expect("flushing to a Vec cannot fail");
    assert!(streamed == bytes, "to_writer output differs from the in-memory writer's");
    if ascii_only(options) {
        assert!(bytes.is_ascii(), "ensure_ascii output is not ASCII: {:?}", String::from_utf8_lossy(&bytes));
    }
    let _ = Writer::new(options.clone()).into_string();
    if case.repair && standard_format(options) {
        let Some(expected) = model.done else { return };
        let back = parse_python_utf8(&bytes).unwrap_or_else(|e| {
            panic!(
                "writer output does not parse: {e}\noptions: {options:?}\noutput: {:?}",
                String::from_utf8_lossy(&bytes)
            )
        });
        if let Some(d) = diff(&expected, &back, true) {
            panic!(
                "writer output parses to another value: {d}\noptions: {options:?}\noutput: {:?}",
                String::from_utf8_lossy(&bytes)
            );
        }
    }
}

fn model_step(model: &mut Model, op: &Op) {
    let string = |chars: &[Ch]| json_string(&code_points(chars));
    match op {
        Op::Null => model.value(Value::Null),
        Op::Bool(b) => model.value(Value::Bool(*b)),
        Op::Int(i) => model.value(Value::Int(*i)),
        Op::RawNumber(negative, digits) => model.value(integer_value(&integer_text(*negative, digits))),
        Op::Float(f) => model.value(Value::Float(*f)),
        Op::NonFinite(n) => model.value(Value::Float([f64::NAN, f64::INFINITY, f64::NEG_INFINITY][usize::from(n % 3)])),
        Op::String(chars) | Op::RawValue(chars) => model.value(Value::String(string(chars))),
        Op::Str(s) => model.value(Value::String(JsonString::from(s.as_str()))),
        Op::Key(chars) | Op::RawKey(chars) => {
            if let Some(Frame::Object(_, key)) = model.stack.last_mut() {
                *key = Some(string(chars));
            }
        }
        Op::KeyStr(s) => {
            if let Some(Frame::Object(_, key)) = model.stack.last_mut() {
                *key = Some(JsonString::from(s.as_str()));
            }
        }
        Op::BeginArray => model.stack.push(Frame::Array(Vec::new())),
        Op::BeginObject => model.stack.push(Frame::Object(Object::default(), None)),
        Op::EndArray | Op::EndObject => model.close(),
    }
}

fuzz_target!(|case: Case| {
    let options = case.options.build();

    // 1. A Value through to_string / Writer / to_writer.
    let value = build(&case.doc, 0);
    if standard_format(&options) {
        check_roundtrip(&value, &options);
    } else {
        match to_bytes(&value, &options) {
            Ok(bytes) => check_output_consistency(&value, &options, &bytes),
            Err(e) => assert!(!options.allow_nan && has_non_finite(&value), "serializing failed: {e}"),
        }
    }
    if !options.allow_nan && !has_non_finite(&value) {
        // Sanity: the error path is only for non-finite floats.
        to_bytes(&value, &options).expect("finite values always serialize");
    }

    // 2. Raw writer calls.
    run_ops(&case, &options);
});
