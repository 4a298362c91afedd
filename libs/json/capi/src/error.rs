//! `pyaot_json_error`: a parse error with CPython's message and position.

use std::ffi::{CString, c_char};

use pyaot_json::{Error, ErrorKind};

use crate::guard;

/// Why and where parsing failed, as Python's `json.JSONDecodeError` reports it: `msg`
/// (`pyaot_json_error_get_message`), `pos`, `lineno`, `colno` and `str(e)`
/// (`pyaot_json_error_get_display`).
pub struct pyaot_json_error {
    error: Error,
    /// `error.message()` as a C string.
    message: CString,
    /// `error.to_string()` as a C string.
    display: CString,
}

impl pyaot_json_error {
    pub(crate) fn new(error: Error) -> pyaot_json_error {
        // CPython's messages never contain NUL; an empty text would be the fallback.
        pyaot_json_error {
            message: CString::new(error.message()).unwrap_or_default(),
            display: CString::new(error.to_string()).unwrap_or_default(),
            error,
        }
    }
}

/// The kind of a `pyaot_json_error`, one per message.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum pyaot_json_error_kind {
    /// A NULL error, or a kind newer than this header (not returned today).
    Other = 0,
    /// "Expecting value"
    ExpectingValue = 1,
    /// "Expecting property name enclosed in double quotes"
    ExpectingPropertyName = 2,
    /// "Expecting ':' delimiter"
    ExpectingColon = 3,
    /// "Expecting ',' delimiter"
    ExpectingComma = 4,
    /// "Unterminated string starting at" (the position is the opening quote).
    UnterminatedString = 5,
    /// "Invalid control character at": a raw character below U+0020 in a string.
    InvalidControlCharacter = 6,
    /// "Invalid \\escape" (the position is the backslash).
    InvalidEscape = 7,
    /// "Invalid \\uXXXX escape" (the position is the `u`).
    InvalidUnicodeEscape = 8,
    /// "Extra data": a complete value is followed by more than whitespace.
    ExtraData = 9,
    /// "Unexpected UTF-8 BOM (decode using utf-8-sig)": the text starts with U+FEFF.
    UnexpectedBom = 10,
    /// Bytes that do not decode (not returned by this API, which reports
    /// `PYAOT_JSON_RESULT_INVALID_UTF8` instead).
    InvalidEncoding = 11,
    /// Nesting deeper than 1000 arrays and objects (Python raises `RecursionError`); the
    /// display text is the message alone, without a position.
    DepthLimitExceeded = 12,
}

impl pyaot_json_error_kind {
    fn of(kind: ErrorKind) -> pyaot_json_error_kind {
        match kind {
            ErrorKind::ExpectingValue => pyaot_json_error_kind::ExpectingValue,
            ErrorKind::ExpectingPropertyName => pyaot_json_error_kind::ExpectingPropertyName,
            ErrorKind::ExpectingColon => pyaot_json_error_kind::ExpectingColon,
            ErrorKind::ExpectingComma => pyaot_json_error_kind::ExpectingComma,
            ErrorKind::UnterminatedString => pyaot_json_error_kind::UnterminatedString,
            ErrorKind::InvalidControlCharacter => pyaot_json_error_kind::InvalidControlCharacter,
            ErrorKind::InvalidEscape => pyaot_json_error_kind::InvalidEscape,
            ErrorKind::InvalidUnicodeEscape => pyaot_json_error_kind::InvalidUnicodeEscape,
            ErrorKind::ExtraData => pyaot_json_error_kind::ExtraData,
            ErrorKind::UnexpectedBom => pyaot_json_error_kind::UnexpectedBom,
            ErrorKind::InvalidEncoding(_) => pyaot_json_error_kind::InvalidEncoding,
            ErrorKind::DepthLimitExceeded { .. } => pyaot_json_error_kind::DepthLimitExceeded,
            _ => pyaot_json_error_kind::Other,
        }
    }
}

/// Reads the error behind `error` with `read`, or answers `fallback` for NULL.
///
/// # Safety
///
/// `error` must be NULL or a live error from this library.
unsafe fn read<T>(error: *const pyaot_json_error, fallback: T, get: impl FnOnce(&pyaot_json_error) -> T) -> T {
    // SAFETY: the caller promises NULL or a live error.
    unsafe { error.as_ref() }.map_or(fallback, get)
}

/// The kind of error; `PYAOT_JSON_ERROR_KIND_OTHER` for NULL.
///
/// # Safety
///
/// `error` must be NULL or a live error from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_json_error_get_kind(error: *const pyaot_json_error) -> pyaot_json_error_kind {
    guard(pyaot_json_error_kind::Other, || {
        // SAFETY: the caller's promise.
        unsafe { read(error, pyaot_json_error_kind::Other, |e| pyaot_json_error_kind::of(e.error.kind())) }
    })
}

/// CPython's message without the position (`JSONDecodeError.msg`), e.g. `"Expecting value"`:
/// a NUL-terminated string valid until the error is freed; NULL for NULL.
///
/// # Safety
///
/// `error` must be NULL or a live error from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_json_error_get_message(error: *const pyaot_json_error) -> *const c_char {
    guard(std::ptr::null(), || {
        // SAFETY: the caller's promise.
        unsafe { read(error, std::ptr::null(), |e| e.message.as_ptr()) }
    })
}

/// The full text, as `str(e)` shows a `JSONDecodeError`, e.g.
/// `"Expecting value: line 1 column 1 (char 0)"`: a NUL-terminated string valid until the
/// error is freed; NULL for NULL.
///
/// # Safety
///
/// `error` must be NULL or a live error from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_json_error_get_display(error: *const pyaot_json_error) -> *const c_char {
    guard(std::ptr::null(), || {
        // SAFETY: the caller's promise.
        unsafe { read(error, std::ptr::null(), |e| e.display.as_ptr()) }
    })
}

/// Where the error is, in characters (code points) from the start of the input, from 0
/// (`JSONDecodeError.pos`); 0 for NULL.
///
/// # Safety
///
/// `error` must be NULL or a live error from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_json_error_get_position(error: *const pyaot_json_error) -> usize {
    // SAFETY: the caller's promise.
    guard(0, || unsafe { read(error, 0, |e| e.error.position()) })
}

/// Where the error is, in bytes from the start of the input (for indexing the C buffer); 0
/// for NULL.
///
/// # Safety
///
/// `error` must be NULL or a live error from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_json_error_get_byte_offset(error: *const pyaot_json_error) -> usize {
    // SAFETY: the caller's promise.
    guard(0, || unsafe { read(error, 0, |e| e.error.byte_offset()) })
}

/// The line of the error, from 1 (`JSONDecodeError.lineno`); 0 for NULL.
///
/// # Safety
///
/// `error` must be NULL or a live error from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_json_error_get_line(error: *const pyaot_json_error) -> usize {
    // SAFETY: the caller's promise.
    guard(0, || unsafe { read(error, 0, |e| e.error.line()) })
}

/// The column of the error in characters, from 1 (`JSONDecodeError.colno`); 0 for NULL.
///
/// # Safety
///
/// `error` must be NULL or a live error from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_json_error_get_column(error: *const pyaot_json_error) -> usize {
    // SAFETY: the caller's promise.
    guard(0, || unsafe { read(error, 0, |e| e.error.column()) })
}

/// Frees an error; NULL does nothing.
///
/// # Safety
///
/// `error` must be NULL or an error from this library that was not freed yet.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_json_error_free(error: *mut pyaot_json_error) {
    guard((), || {
        if !error.is_null() {
            // SAFETY: an error is a `Box` leaked by a parsing function, freed once (the caller's
            // promise).
            drop(unsafe { Box::from_raw(error) });
        }
    });
}

#[cfg(test)]
mod tests {
    use std::ffi::CStr;
    use std::ptr;

    use super::*;
    use crate::pyaot_json_validate;

    #[test]
    fn an_error_reports_cpythons_message_and_position() {
        let text = "[1,\n 2,]";
        let mut error = ptr::null_mut();
        // SAFETY: valid input and out-pointer; `error` is live until freed.
        unsafe {
            assert_eq!(
                pyaot_json_validate(text.as_ptr(), text.len(), &mut error),
                crate::pyaot_json_result::ParseError
            );
            assert_eq!(pyaot_json_error_get_kind(error), pyaot_json_error_kind::ExpectingValue);
            let message = CStr::from_ptr(pyaot_json_error_get_message(error));
            assert_eq!(message.to_str(), Ok("Expecting value"));
            let display = CStr::from_ptr(pyaot_json_error_get_display(error));
            assert_eq!(display.to_str(), Ok("Expecting value: line 2 column 4 (char 7)"));
            assert_eq!(pyaot_json_error_get_position(error), 7);
            assert_eq!(pyaot_json_error_get_byte_offset(error), 7);
            assert_eq!(pyaot_json_error_get_line(error), 2);
            assert_eq!(pyaot_json_error_get_column(error), 4);
            pyaot_json_error_free(error);
        }
    }

    #[test]
    fn a_null_error_gives_neutral_answers() {
        // SAFETY: NULL is allowed everywhere.
        unsafe {
            assert_eq!(pyaot_json_error_get_kind(ptr::null()), pyaot_json_error_kind::Other);
            assert!(pyaot_json_error_get_message(ptr::null()).is_null());
            assert!(pyaot_json_error_get_display(ptr::null()).is_null());
            assert_eq!(pyaot_json_error_get_position(ptr::null()), 0);
            assert_eq!(pyaot_json_error_get_byte_offset(ptr::null()), 0);
            assert_eq!(pyaot_json_error_get_line(ptr::null()), 0);
            assert_eq!(pyaot_json_error_get_column(ptr::null()), 0);
            pyaot_json_error_free(ptr::null_mut());
        }
    }
}
