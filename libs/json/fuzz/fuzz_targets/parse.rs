//! `parse`: arbitrary bytes into `from_slice` (and `from_str` when they are UTF-8).
//!
//! Checks:
//! - parsing never panics, and errors format (`Display`) without panicking, with positions
//!   inside the decoded text;
//! - `from_slice` and `from_str` agree (same value, or the same error) on UTF-8 input that
//!   `json.detect_encoding` classifies as plain UTF-8;
//! - the same text re-encoded as UTF-8 with a BOM, UTF-16 and UTF-32 (with and without a BOM)
//!   parses through `from_slice` to the same result (when the text starts with an ASCII
//!   character and has no NUL, which is what encoding detection needs);
//! - non-strict parsing (`strict: false`) accepts whatever strict parsing accepts, with the
//!   same value;
//! - `scan_once` and `scan_string` (CPython's `scan_once(s, idx)` and `scanstring(s, end)`) at
//!   offsets in and past the text never panic, and what they read at a character boundary is
//!   what `from_str` reads from the same slice of text;
//! - `Input::trusted` with any bytes never panics while parsing (results are unspecified);
//! - every accepted document serializes (default options, `indent(2)` + `sort_keys`,
//!   `ensure_ascii(false)`, compact separators), the output parses back to an equal value
//!   (NaN-aware; member order kept unless sorted), and serializing again is byte-identical.

#![no_main]

use libfuzzer_sys::fuzz_target;
use pyaot_json::decode::{self, Encoding};
use pyaot_json::scan::{self, Input, ParseOptions};
use pyaot_json::{Error, Options, Value, ValueSink};
use pyaot_json_fuzz::{check_roundtrip, diff};

fuzz_target!(|data: &[u8]| {
    let from_bytes = pyaot_json::from_slice(data);
    check_result(data, &from_bytes);

    let Ok(text) = std::str::from_utf8(data) else { return };
    let from_text = pyaot_json::from_str(text);
    check_result(data, &from_text);
    if decode::detect_encoding(data) == Encoding::Utf8 {
        same_result(&from_text, &from_bytes, "from_str vs from_slice");
    }
    check_other_encodings(text, &from_text);

    check_scanners(data, text);
    for surrogates in [false, true] {
        let _ = scan::parse(&mut ValueSink, Input::trusted(data, surrogates), ParseOptions::default());
    }

    let lax = scan::parse(&mut ValueSink, Input::from_text(text), ParseOptions { strict: false, max_depth: 1000 });
    if let Ok(strict) = &from_text {
        match &lax {
            Ok(lax) => {
                if let Some(d) = diff(strict, lax, true) {
                    panic!("strict and non-strict parses differ: {d}");
                }
            }
            Err(e) => panic!("strict parsing accepts, non-strict rejects: {e}"),
        }
    }
});

fn check_result(data: &[u8], result: &Result<Value, Error>) {
    match result {
        Ok(value) => {
            check_roundtrip(value, &Options::default());
            check_roundtrip(value, &Options::default().indent(2).sort_keys(true));
            check_roundtrip(value, &Options::default().ensure_ascii(false));
            check_roundtrip(value, &Options::default().separators(",", ":").ensure_ascii(false).sort_keys(true));
        }
        Err(e) => {
            let message = e.to_string();
            assert!(message.starts_with(e.message()), "{message:?} does not start with {:?}", e.message());
            assert!(e.line() >= 1 && e.column() >= 1, "line/column not 1-based: {e:?}");
            assert!(e.column() <= e.position() + 1, "column past position: {e:?}");
            // Positions are in the decoded text (for from_str that is `data` itself).
            if let Ok(decoded) = decode::decode(data) {
                assert!(e.byte_offset() <= decoded.len().max(data.len()), "byte offset past the end: {e:?}");
                assert!(e.position() <= decoded.len().max(data.len()), "position past the end: {e:?}");
            }
        }
    }
}

fn same_result(a: &Result<Value, Error>, b: &Result<Value, Error>, what: &str) {
    match (a, b) {
        (Ok(x), Ok(y)) => {
            if let Some(d) = diff(x, y, true) {
                panic!("{what}: values differ: {d}");
            }
        }
        (Err(x), Err(y)) => assert_eq!(x, y, "{what}: errors differ"),
        _ => panic!("{what}: one accepts, one rejects: {a:?} vs {b:?}"),
    }
}

/// `text` in every encoding `json.loads(bytes)` detects must parse as `text` itself does.
fn check_other_encodings(text: &str, expected: &Result<Value, Error>) {
    // Detection looks at zero bytes, so it needs an ASCII first character and no NUL (in
    // CPython too: "1\0" in UTF-16-LE looks like UTF-32-LE).
    if !text.chars().next().is_some_and(|c| c.is_ascii()) || text.contains('\0') {
        return;
    }
    let utf16 = |big: bool| -> Vec<u8> {
        text.encode_utf16().flat_map(|u| if big { u.to_be_bytes() } else { u.to_le_bytes() }).collect()
    };
    let utf32 = |big: bool| -> Vec<u8> {
        text.chars().flat_map(|c| if big { u32::from(c).to_be_bytes() } else { u32::from(c).to_le_bytes() }).collect()
    };
    let with = |prefix: &[u8], body: Vec<u8>| -> Vec<u8> { prefix.iter().copied().chain(body).collect() };
    let cases: [(&str, Vec<u8>); 7] = [
        ("utf-8-sig", with(b"\xEF\xBB\xBF", text.as_bytes().to_vec())),
        ("utf-16-le", utf16(false)),
        ("utf-16-be", utf16(true)),
        ("utf-16 (LE BOM)", with(b"\xFF\xFE", utf16(false))),
        ("utf-32-le", utf32(false)),
        ("utf-32-be", utf32(true)),
        ("utf-32 (BE BOM)", with(b"\x00\x00\xFE\xFF", utf32(true))),
    ];
    for (name, bytes) in cases {
        same_result(expected, &pyaot_json::from_slice(&bytes), &format!("from_str vs from_slice({name})"));
    }
}

/// `scan_once` and `scan_string` at a few offsets: one derived from the input (it may be past
/// the end or inside a character), and just after each of the first quotes.
fn check_scanners(data: &[u8], text: &str) {
    let derived = (usize::from(data.first().copied().unwrap_or(0)) * 256
        + usize::from(data.last().copied().unwrap_or(0)))
        % (text.len() + 3);
    let after_quotes = text.bytes().enumerate().filter(|&(_, b)| b == b'"').map(|(i, _)| i + 1).take(4);
    for start in std::iter::once(derived).chain(after_quotes) {
        for strict in [true, false] {
            let options = ParseOptions { strict, max_depth: 1000 };
            let once = scan::scan_once(&mut ValueSink, Input::from_text(text), start, options);
            let string = Some(scan::scan_string(Input::from_text(text), start, strict));
            if !text.is_char_boundary(start) {
                continue;
            }
            if let Ok((value, end)) = &once {
                let alone =
                    scan::parse(&mut ValueSink, Input::from_text(&text[start..*end]), options).unwrap_or_else(|e| {
                        panic!("scan_once read {:?} at {start}, which alone fails: {e}", &text[start..*end])
                    });
                if let Some(d) = diff(value, &alone, true) {
                    panic!("scan_once at {start} and from_str of {:?} differ: {d}", &text[start..*end]);
                }
            }
            if let Some(Ok((decoded, _, end))) = &string
                && start >= 1
                && text.as_bytes()[start - 1] == b'"'
            {
                let literal = &text[start - 1..*end];
                match scan::parse(&mut ValueSink, Input::from_text(literal), options) {
                    Ok(Value::String(s)) => {
                        assert!(
                            s.as_bytes() == decoded.as_slice(),
                            "scan_string at {start} and from_str of {literal:?} differ"
                        )
                    }
                    other => panic!("scan_string read {literal:?} at {start}, which alone gives {other:?}"),
                }
            }
        }
    }
}
