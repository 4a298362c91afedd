//! Text to text: validate, minify, pretty-print.

use pyaot_json::Options;

use crate::buffer::pyaot_json_buffer;
use crate::error::pyaot_json_error;
use crate::value::{parse, write};
use crate::{guard, input_bytes, pyaot_json_result};

/// The indent `pyaot_json_pretty_print` callers usually want: 2 spaces per level.
pub const PYAOT_JSON_DEFAULT_INDENT: usize = 2;

/// Parses `input` and writes it with `options`: the body shared by minify and pretty-print.
///
/// # Safety
///
/// `input` must be NULL or valid for reads of `len` bytes; `buffer_out` and `error_out` NULL or
/// valid for writing a pointer.
unsafe fn reformat(
    input: *const u8,
    len: usize,
    options: impl FnOnce() -> Options,
    buffer_out: *mut *mut pyaot_json_buffer,
    error_out: *mut *mut pyaot_json_error,
) -> pyaot_json_result {
    guard(pyaot_json_result::Panic, || {
        // SAFETY: the caller promises `len` readable bytes at `input` for this call.
        let Some(text) = (unsafe { input_bytes(input, len) }) else {
            return pyaot_json_result::InvalidArgument;
        };
        if buffer_out.is_null() {
            return pyaot_json_result::InvalidArgument;
        }
        let value = match parse(text) {
            Ok(value) => value,
            // SAFETY: the caller promises `error_out` is NULL or valid for a write.
            Err(failure) => return unsafe { failure.report(error_out) },
        };
        match write(&value, &options()) {
            Ok(bytes) => {
                // SAFETY: not NULL, and the caller promises it is valid for a write.
                unsafe { buffer_out.write(pyaot_json_buffer::new_raw(bytes)) };
                pyaot_json_result::Ok
            }
            Err(result) => result,
        }
    })
}

/// Checks that `len` bytes of text at `input` are one JSON document, as Python's
/// `json.loads(str)` would accept it (the same rules as `pyaot_json_value_parse`; nothing is
/// kept).
///
/// `PYAOT_JSON_RESULT_OK` when it is valid. On `PYAOT_JSON_RESULT_PARSE_ERROR`, writes the error
/// to `*error_out` unless `error_out` is NULL (free it with `pyaot_json_error_free`). Other
/// results: `INVALID_ARGUMENT` (`input` NULL), `INVALID_UTF8`.
///
/// # Safety
///
/// `input` must be valid for reads of `len` bytes; `error_out` NULL or valid for writing a
/// pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_json_validate(
    input: *const u8,
    len: usize,
    error_out: *mut *mut pyaot_json_error,
) -> pyaot_json_result {
    guard(pyaot_json_result::Panic, || {
        // SAFETY: the caller promises `len` readable bytes at `input` for this call.
        let Some(text) = (unsafe { input_bytes(input, len) }) else {
            return pyaot_json_result::InvalidArgument;
        };
        match parse(text) {
            Ok(_) => pyaot_json_result::Ok,
            // SAFETY: the caller promises `error_out` is NULL or valid for a write.
            Err(failure) => unsafe { failure.report(error_out) },
        }
    })
}

/// Rewrites the JSON text at `input` (`len` bytes) as compactly as possible: Python's
/// `json.dumps(json.loads(text), separators=(",", ":"), ensure_ascii=False)`.
///
/// Non-ASCII text stays as it is (not `\u`-escaped); what `json.loads` normalises is
/// normalised: escapes are decoded where JSON allows (`"\u00e9"` becomes `"é"`), floats are
/// written as Python's `repr` (`1E2` becomes `100.0`, `1e400` becomes `Infinity`), and a repeated
/// key keeps its first position and last value. The result goes to a new buffer at
/// `*buffer_out` (free it with `pyaot_json_buffer_free`); errors as `pyaot_json_validate`.
///
/// # Safety
///
/// `input` must be valid for reads of `len` bytes; `buffer_out` and `error_out` NULL or valid
/// for writing a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_json_minify(
    input: *const u8,
    len: usize,
    buffer_out: *mut *mut pyaot_json_buffer,
    error_out: *mut *mut pyaot_json_error,
) -> pyaot_json_result {
    let options = || Options::default().separators(",", ":").ensure_ascii(false);
    // SAFETY: the caller's promises, passed on.
    unsafe { reformat(input, len, options, buffer_out, error_out) }
}

/// Rewrites the JSON text at `input` (`len` bytes) with one member per line, indented by
/// `indent` spaces per level (`PYAOT_JSON_DEFAULT_INDENT` is 2): Python's
/// `json.dumps(json.loads(text), indent=indent, ensure_ascii=False)`.
///
/// Normalises as `pyaot_json_minify` does. The result goes to a new buffer at `*buffer_out`
/// (free it with `pyaot_json_buffer_free`); errors as `pyaot_json_validate`.
///
/// # Safety
///
/// `input` must be valid for reads of `len` bytes; `buffer_out` and `error_out` NULL or valid
/// for writing a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_json_pretty_print(
    input: *const u8,
    len: usize,
    indent: usize,
    buffer_out: *mut *mut pyaot_json_buffer,
    error_out: *mut *mut pyaot_json_error,
) -> pyaot_json_result {
    let options = || Options::default().indent(indent).ensure_ascii(false);
    // SAFETY: the caller's promises, passed on.
    unsafe { reformat(input, len, options, buffer_out, error_out) }
}

#[cfg(test)]
mod tests {
    use std::ptr;

    use super::*;
    use crate::{pyaot_json_buffer_free, pyaot_json_error_free};

    /// Runs minify or pretty-print on `text`, returning the output.
    fn run(
        text: &[u8],
        f: impl FnOnce(*const u8, usize, *mut *mut pyaot_json_buffer) -> pyaot_json_result,
    ) -> Result<Vec<u8>, pyaot_json_result> {
        let mut buffer = ptr::null_mut();
        match f(text.as_ptr(), text.len(), &mut buffer) {
            pyaot_json_result::Ok => {
                // SAFETY: OK means `buffer` holds a new buffer, freed here once.
                let bytes = unsafe { (*buffer).as_bytes().to_vec() };
                // SAFETY: as above.
                unsafe { pyaot_json_buffer_free(buffer) };
                Ok(bytes)
            }
            result => {
                assert!(buffer.is_null());
                Err(result)
            }
        }
    }

    fn minify(text: &[u8]) -> Result<Vec<u8>, pyaot_json_result> {
        // SAFETY: `run` passes a valid input and out-pointer.
        run(text, |p, n, out| unsafe { pyaot_json_minify(p, n, out, ptr::null_mut()) })
    }

    #[test]
    fn minify_is_dumps_of_loads_with_compact_separators() {
        // Expected values are what CPython 3.11 prints for
        // json.dumps(json.loads(text), separators=(",", ":"), ensure_ascii=False).
        let mut expected = b"{\"a\":[100.0,Infinity,-0.0,\"".to_vec();
        expected.extend_from_slice("é".as_bytes());
        expected.extend_from_slice(b"\xed\xa0\x80\",NaN],\"b\":{}}");
        assert_eq!(minify(br#" { "a" : [1E2, 1e400, -0.0, "\u00e9\ud800", NaN] , "b" : {} } "#).unwrap(), expected);
        assert_eq!(minify(b"[1,]"), Err(pyaot_json_result::ParseError));
        assert_eq!(minify(b"\xff"), Err(pyaot_json_result::InvalidUtf8));
    }

    #[test]
    fn pretty_print_indents_like_dumps() {
        let pretty = |text: &[u8], indent| {
            run(text, |p, n, out| {
                // SAFETY: `run` passes a valid input and out-pointer.
                unsafe { pyaot_json_pretty_print(p, n, indent, out, ptr::null_mut()) }
            })
        };
        assert_eq!(
            pretty(br#"{"a":[1,{}],"b":"\u00e9"}"#, PYAOT_JSON_DEFAULT_INDENT).unwrap(),
            "{\n  \"a\": [\n    1,\n    {}\n  ],\n  \"b\": \"é\"\n}".as_bytes()
        );
        assert_eq!(pretty(b"[1]", 0).unwrap(), b"[\n1\n]");
    }

    #[test]
    fn validate_reports_errors_only_when_asked() {
        let mut error = ptr::null_mut();
        // SAFETY: valid inputs and out-pointers; `error` is freed once.
        unsafe {
            assert_eq!(pyaot_json_validate(b" [] ".as_ptr(), 4, &mut error), pyaot_json_result::Ok);
            assert!(error.is_null());
            assert_eq!(pyaot_json_validate(b"[".as_ptr(), 1, ptr::null_mut()), pyaot_json_result::ParseError);
            assert_eq!(pyaot_json_validate(b"".as_ptr(), 0, &mut error), pyaot_json_result::ParseError);
            assert!(!error.is_null());
            pyaot_json_error_free(error);
            assert_eq!(pyaot_json_validate(ptr::null(), 0, ptr::null_mut()), pyaot_json_result::InvalidArgument);
            let mut buffer = ptr::null_mut();
            assert_eq!(
                pyaot_json_minify(b"1".as_ptr(), 1, ptr::null_mut(), ptr::null_mut()),
                pyaot_json_result::InvalidArgument
            );
            assert_eq!(
                pyaot_json_pretty_print(ptr::null(), 0, 2, &mut buffer, ptr::null_mut()),
                pyaot_json_result::InvalidArgument
            );
            assert!(buffer.is_null());
        }
    }
}
