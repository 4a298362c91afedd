//! `differential_serde`: `pyaot_json::from_str` against `serde_json::from_str::<Value>` (with
//! `float_roundtrip`, so both parse floats correctly rounded) on arbitrary UTF-8 text.
//!
//! Checks:
//! - whatever serde_json accepts, pyaot_json accepts too;
//! - where both accept, the documents agree structurally (see `compare`).
//!
//! Intentional differences (pyaot_json follows CPython's `json.loads`, serde_json RFC 8259):
//! - Only pyaot_json accepts `NaN`, `Infinity` and `-Infinity`, numbers whose magnitude
//!   overflows to infinity (`1e400` is `inf` in Python; serde_json: "number out of range"),
//!   and `\uXXXX` escapes that leave a lone surrogate (`"\ud800"`; serde_json: "lone leading
//!   surrogate"). These are one-directional, so they never fail the check.
//! - Nesting limits: serde_json stops at 128 levels, pyaot_json at 1000 (`ParseOptions`), so
//!   again only pyaot_json accepts the deeper documents.
//! - Integers: pyaot_json keeps `Int(i64)` or the exact text (`BigInt`); serde_json gives i64,
//!   u64, or (past u64, or below i64::MIN) an f64 rounded from the integer, and parses `-0` as
//!   the float `-0.0` where Python has the integer 0. Compared by value: `Int` against i64/u64
//!   or (for `-0` only) against the float zero; `BigInt` text against a u64's digits, or
//!   rounded to f64 (Rust's `str::parse`, correctly rounded) against serde_json's f64.
//! - Objects: both resolve a repeated key last-value-wins (serde_json's `Map::insert`
//!   overwrites; pyaot_json's `IndexMap::insert` keeps the first position and the last value,
//!   like a `dict`). serde_json's default `Map` is sorted by key, so member order is not
//!   compared, only the key sets and the values.

#![no_main]

use libfuzzer_sys::fuzz_target;
use pyaot_json::Value;
use serde_json::Value as Serde;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let theirs = serde_json::from_str::<Serde>(text);
    let ours = pyaot_json::from_str(text);
    match (&ours, &theirs) {
        (Ok(a), Ok(b)) => {
            if let Some(d) = compare(a, b, &mut String::from("$")) {
                panic!("pyaot_json and serde_json disagree on {text:?}: {d}");
            }
        }
        (Err(e), Ok(_)) => panic!("serde_json accepts {text:?} but pyaot_json rejects it: {e}"),
        _ => {}
    }
});

fn compare(a: &Value, b: &Serde, path: &mut String) -> Option<String> {
    let differ = |path: &str| Some(format!("at {path}: {a:?} vs serde's {b:?}"));
    match (a, b) {
        (Value::Null, Serde::Null) => None,
        (Value::Bool(x), Serde::Bool(y)) if x == y => None,
        (Value::Int(i), Serde::Number(n)) => {
            let same = if let Some(j) = n.as_i64() {
                *i == j
            } else if let Some(u) = n.as_u64() {
                u64::try_from(*i).is_ok_and(|i| i == u)
            } else {
                // serde_json reads the integer `-0` as the float -0.0.
                *i == 0 && n.as_f64() == Some(0.0)
            };
            if same { None } else { differ(path) }
        }
        (Value::BigInt(text), Serde::Number(n)) => {
            let same = if let Some(u) = n.as_u64() {
                **text == *u.to_string()
            } else if n.is_f64() {
                // Past u64 (or below i64::MIN) serde_json rounds the integer to f64.
                text.parse::<f64>().ok().zip(n.as_f64()).is_some_and(|(x, y)| x.to_bits() == y.to_bits())
            } else {
                false // an i64 would have been Value::Int
            };
            if same { None } else { differ(path) }
        }
        (Value::Float(x), Serde::Number(n)) => {
            // Same bits: 0.0 and -0.0 must agree too (Python keeps the sign of "-0.0").
            if n.is_f64() && n.as_f64().is_some_and(|y| y.to_bits() == x.to_bits()) { None } else { differ(path) }
        }
        (Value::String(x), Serde::String(y)) if x.as_bytes() == y.as_bytes() => None,
        (Value::Array(x), Serde::Array(y)) => {
            if x.len() != y.len() {
                return differ(path);
            }
            for (i, (x, y)) in x.iter().zip(y).enumerate() {
                let len = path.len();
                path.push_str(&format!("[{i}]"));
                if let Some(d) = compare(x, y, path) {
                    return Some(d);
                }
                path.truncate(len);
            }
            None
        }
        (Value::Object(x), Serde::Object(y)) => {
            if x.len() != y.len() {
                return Some(format!(
                    "at {path}: key sets differ: {:?} vs serde's {:?}",
                    x.keys().collect::<Vec<_>>(),
                    y.keys().collect::<Vec<_>>()
                ));
            }
            for (key, y) in y {
                let Some(x) = x.get(key.as_bytes()) else {
                    return Some(format!("at {path}: serde has key {key:?}, pyaot_json does not"));
                };
                let len = path.len();
                path.push_str(&format!("[{key:?}]"));
                if let Some(d) = compare(x, y, path) {
                    return Some(d);
                }
                path.truncate(len);
            }
            None
        }
        _ => differ(path),
    }
}
