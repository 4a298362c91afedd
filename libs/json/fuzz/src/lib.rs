//! Helpers shared by the fuzz targets in `fuzz_targets/`: a NaN-aware structural comparison of
//! [`Value`]s and the serialize-then-reparse check.

use pyaot_json::scan::{self, Input, ParseOptions};
use pyaot_json::{Error, Options, Value, ValueSink, WriteError, Writer};

/// Whether two floats are the same value: bit-identical (so `0.0` and `-0.0` differ), or both
/// NaN (any payload: every NaN is written as `NaN` and read back as the canonical one).
pub fn same_float(a: f64, b: f64) -> bool {
    a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan())
}

/// Compares two values structurally, NaN-aware (`Value::Float(NaN) != Value::Float(NaN)` under
/// `PartialEq`). With `ordered`, object members must also come in the same order. Returns a
/// description of the first difference, with its path.
pub fn diff(a: &Value, b: &Value, ordered: bool) -> Option<String> {
    let mut path = String::from("$");
    diff_at(a, b, ordered, &mut path)
}

fn diff_at(a: &Value, b: &Value, ordered: bool, path: &mut String) -> Option<String> {
    let here = |what: &str| Some(format!("at {path}: {what}: {a:?} vs {b:?}"));
    match (a, b) {
        (Value::Null, Value::Null) => None,
        (Value::Bool(x), Value::Bool(y)) if x == y => None,
        (Value::Int(x), Value::Int(y)) if x == y => None,
        (Value::BigInt(x), Value::BigInt(y)) if x == y => None,
        (Value::Float(x), Value::Float(y)) if same_float(*x, *y) => None,
        (Value::String(x), Value::String(y)) if x == y => None,
        (Value::Array(x), Value::Array(y)) => {
            if x.len() != y.len() {
                return Some(format!("at {path}: array lengths {} vs {}", x.len(), y.len()));
            }
            for (i, (x, y)) in x.iter().zip(y).enumerate() {
                let len = path.len();
                path.push_str(&format!("[{i}]"));
                if let Some(d) = diff_at(x, y, ordered, path) {
                    return Some(d);
                }
                path.truncate(len);
            }
            None
        }
        (Value::Object(x), Value::Object(y)) => {
            if x.len() != y.len() {
                return Some(format!("at {path}: object sizes {} vs {}", x.len(), y.len()));
            }
            if ordered {
                let xs: Vec<_> = x.keys().collect();
                let ys: Vec<_> = y.keys().collect();
                if xs != ys {
                    return Some(format!("at {path}: key order {xs:?} vs {ys:?}"));
                }
            }
            for (key, x) in x.iter() {
                let Some(y) = y.get(key.as_bytes()) else {
                    return Some(format!("at {path}: key {key:?} missing on the right"));
                };
                let len = path.len();
                path.push_str(&format!("[{key:?}]"));
                if let Some(d) = diff_at(x, y, ordered, path) {
                    return Some(d);
                }
                path.truncate(len);
            }
            None
        }
        _ => here("values differ"),
    }
}

/// Whether every object in `v` has its keys in code-point (= Python UTF-8 byte) order.
pub fn keys_sorted(v: &Value) -> bool {
    match v {
        Value::Array(items) => items.iter().all(keys_sorted),
        Value::Object(map) => {
            map.keys().zip(map.keys().skip(1)).all(|(a, b)| a.as_bytes() < b.as_bytes())
                && map.values().all(keys_sorted)
        }
        _ => true,
    }
}

/// Whether some string or key in `v` has a high surrogate code point directly followed by a low
/// surrogate code point (Python UTF-8 `ED A0..AF xx ED B0..BF xx`), a pair that `\u` escaping
/// would join.
pub fn has_split_pair(v: &Value) -> bool {
    fn split(s: &[u8]) -> bool {
        s.windows(6)
            .any(|w| w[0] == 0xED && (0xA0..0xB0).contains(&w[1]) && w[3] == 0xED && (0xB0..0xC0).contains(&w[4]))
    }
    match v {
        Value::String(s) => split(s.as_bytes()),
        Value::Array(items) => items.iter().any(has_split_pair),
        Value::Object(map) => map.iter().any(|(k, v)| split(k.as_bytes()) || has_split_pair(v)),
        _ => false,
    }
}

/// Whether `v` holds a NaN or an infinity anywhere.
pub fn has_non_finite(v: &Value) -> bool {
    match v {
        Value::Float(f) => !f.is_finite(),
        Value::Array(items) => items.iter().any(has_non_finite),
        Value::Object(map) => map.values().any(has_non_finite),
        _ => false,
    }
}

/// `json.dumps` output as raw Python UTF-8 bytes (lossless even for lone surrogates with
/// `ensure_ascii` off, unlike [`pyaot_json::to_string`]).
pub fn to_bytes(v: &Value, options: &Options) -> Result<Vec<u8>, WriteError> {
    use pyaot_json::Source;
    let mut w = Writer::new(options.clone());
    v.write_json(&mut w)?;
    Ok(w.into_bytes())
}

/// Parses Python UTF-8 bytes (as the writer produces them) with default options.
pub fn parse_python_utf8(bytes: &[u8]) -> Result<Value, Error> {
    let input = Input::from_python_utf8(bytes).expect("writer output must be Python UTF-8");
    scan::parse(&mut ValueSink, input, ParseOptions::default())
}

fn is_json_ws(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r')
}

/// Whether output written with `options` is JSON this crate can read back: the indent unit is
/// JSON whitespace only, and the separators are `,` and `:` with only JSON whitespace around
/// them (`(", ", ": ")`, `(",", ":")`, `(" ,\n", " : ")`, ...).
pub fn standard_format(options: &Options) -> bool {
    let (item, key) = options.effective_separators();
    let indent_ok = options.indent.as_deref().is_none_or(|unit| unit.chars().all(is_json_ws));
    indent_ok && item.trim_matches(is_json_ws) == "," && key.trim_matches(is_json_ws) == ":"
}

/// Serializes `v` with `options`, which must succeed (`allow_nan` on, or no NaN/infinity),
/// reparses the output, and checks that the result equals `v` (member order too, or sorted
/// keys with `sort_keys`), that writing the result again gives identical bytes, that
/// `to_string`/`to_writer` agree with the raw bytes, and that `ensure_ascii` output is ASCII
/// (given ASCII separators and indent).
pub fn check_roundtrip(v: &Value, options: &Options) {
    assert!(standard_format(options), "check_roundtrip needs standard separators: {options:?}");
    let bytes = match to_bytes(v, options) {
        Ok(bytes) => bytes,
        Err(e) => {
            assert!(!options.allow_nan && has_non_finite(v), "serializing failed: {e} with {options:?}");
            return;
        }
    };
    check_output_consistency(v, options, &bytes);
    let back = parse_python_utf8(&bytes).unwrap_or_else(|e| {
        panic!("output does not parse back: {e}\noptions: {options:?}\noutput: {:?}", String::from_utf8_lossy(&bytes))
    });
    // A lone high surrogate directly followed by a lone low one (possible from raw surrogate
    // bytes in `from_slice` input, or a raw one next to a `\uXXXX` one) is written by
    // `ensure_ascii` as `\ud800\udc00`, which reads back as one astral character: CPython does
    // exactly the same (`json.loads(json.dumps('\ud800\udc00')) == '\U00010000'`). Such values
    // only get the parse-back and idempotence checks.
    let exact = !(options.ensure_ascii && has_split_pair(v));
    if !exact {
        // Nothing to compare.
    } else if let Some(d) = diff(v, &back, !options.sort_keys) {
        panic!(
            "round trip changed the value: {d}\noptions: {options:?}\noutput: {:?}",
            String::from_utf8_lossy(&bytes)
        );
    }
    if exact && options.sort_keys {
        assert!(keys_sorted(&back), "sort_keys output has unsorted keys: {:?}", String::from_utf8_lossy(&bytes));
    }
    let again = to_bytes(&back, options).expect("the reparsed value serializes");
    assert!(
        again == bytes,
        "serializing is not idempotent:\nfirst:  {:?}\nsecond: {:?}",
        String::from_utf8_lossy(&bytes),
        String::from_utf8_lossy(&again)
    );
}

/// Whether output with `options` must be ASCII: `ensure_ascii` escapes strings, but the indent
/// unit and separators are written as given (by CPython too), so they must be ASCII as well.
pub fn ascii_only(options: &Options) -> bool {
    let (item, key) = options.effective_separators();
    options.ensure_ascii && item.is_ascii() && key.is_ascii() && options.indent.as_deref().is_none_or(str::is_ascii)
}

/// Checks that `to_string` and `to_writer` agree with the raw bytes of `to_bytes`, and that
/// `ensure_ascii` output is ASCII.
pub fn check_output_consistency(v: &Value, options: &Options, bytes: &[u8]) {
    if ascii_only(options) {
        assert!(bytes.is_ascii(), "ensure_ascii output is not ASCII: {:?}", String::from_utf8_lossy(bytes));
    }
    let text = pyaot_json::to_string(v, options).expect("to_string fails where Writer did not");
    if let Ok(utf8) = std::str::from_utf8(bytes) {
        assert_eq!(text, utf8, "to_string differs from the writer's bytes");
    }
    let streamed = pyaot_json::to_writer(Vec::new(), v, options).expect("to_writer fails where Writer did not");
    assert!(streamed == bytes, "to_writer output differs from the in-memory writer's");
}
