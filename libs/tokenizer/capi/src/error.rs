//! `pyaot_tokenizer_error`: why a call failed, with `pyaot-tokenizer`'s message.

use std::ffi::{CString, c_char};

use pyaot_tokenizer::{Error, ErrorKind};

use crate::{guard, pyaot_tokenizer_result};

/// Why a call failed: its result code (`pyaot_tokenizer_error_get_result`) and a message
/// (`pyaot_tokenizer_error_get_message`), the `Display` text of `pyaot-tokenizer`'s error, which
/// is tiktoken's message where tiktoken has one.
pub struct pyaot_tokenizer_error {
    result: pyaot_tokenizer_result,
    /// The message as a C string.
    message: CString,
}

/// How a function body failed, before it is reported to C.
#[derive(Debug)]
pub(crate) enum Failure {
    /// A NULL pointer or a bad length or kind: `INVALID_ARGUMENT`, without an error object.
    Argument,
    /// Text passed in is not UTF-8: `INVALID_UTF8` with this message.
    Utf8(String),
    /// An error of the tokenizer.
    Tokenizer(Error),
    /// `NOT_A_TOKEN` with this message (a special token the encoding does not have).
    NotAToken(String),
}

impl From<Error> for Failure {
    fn from(error: Error) -> Failure {
        Failure::Tokenizer(error)
    }
}

impl Failure {
    /// `NOT_A_TOKEN` for a special token the encoding does not have.
    pub(crate) fn not_a_token(text: &str) -> Failure {
        Failure::NotAToken(format!("{text:?} is not a special token of this encoding"))
    }

    /// The result code, writing an error object through `error_out` (unless NULL) for every
    /// failure but `INVALID_ARGUMENT`.
    ///
    /// # Safety
    ///
    /// `error_out` is NULL or valid for writing a pointer.
    pub(crate) unsafe fn report(self, error_out: *mut *mut pyaot_tokenizer_error) -> pyaot_tokenizer_result {
        let (result, message) = match self {
            Failure::Argument => return pyaot_tokenizer_result::InvalidArgument,
            Failure::Utf8(message) => (pyaot_tokenizer_result::InvalidUtf8, message),
            Failure::Tokenizer(error) => (result_of(&error), error.to_string()),
            Failure::NotAToken(message) => (pyaot_tokenizer_result::NotAToken, message),
        };
        if !error_out.is_null() {
            // A message never holds NUL today (tokens and bytes are shown escaped), but an unknown
            // encoding's name is shown as given: escape NUL so the C string is the whole message.
            let message = CString::new(message.replace('\0', "\\0")).unwrap_or_default();
            let error = Box::into_raw(Box::new(pyaot_tokenizer_error { result, message }));
            // SAFETY: not NULL, and the caller promises it is valid for a write.
            unsafe { error_out.write(error) };
        }
        result
    }
}

/// The result code of a tokenizer error.
fn result_of(error: &Error) -> pyaot_tokenizer_result {
    match error.kind() {
        ErrorKind::UnknownEncoding => pyaot_tokenizer_result::UnknownEncoding,
        ErrorKind::InvalidVocabulary => pyaot_tokenizer_result::InvalidVocabulary,
        ErrorKind::InvalidPattern => pyaot_tokenizer_result::InvalidPattern,
        ErrorKind::DisallowedSpecialToken => pyaot_tokenizer_result::DisallowedSpecialToken,
        ErrorKind::Split => pyaot_tokenizer_result::SplitError,
        ErrorKind::UnknownToken => pyaot_tokenizer_result::UnknownToken,
        ErrorKind::NotAToken => pyaot_tokenizer_result::NotAToken,
        ErrorKind::InvalidUtf8 => pyaot_tokenizer_result::InvalidUtf8,
        _ => pyaot_tokenizer_result::OtherError,
    }
}

/// The result code the failing call returned with this error; `PYAOT_TOKENIZER_RESULT_OK` for
/// NULL.
///
/// # Safety
///
/// `error` must be NULL or a live error from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_tokenizer_error_get_result(
    error: *const pyaot_tokenizer_error,
) -> pyaot_tokenizer_result {
    guard(pyaot_tokenizer_result::Ok, || {
        // SAFETY: the caller promises NULL or a live error.
        unsafe { error.as_ref() }.map_or(pyaot_tokenizer_result::Ok, |e| e.result)
    })
}

/// The message, e.g. `"Unknown encoding nope."` or tiktoken's "Encountered text corresponding to
/// disallowed special token ..." text: a NUL-terminated UTF-8 string valid until the error is
/// freed; NULL for NULL.
///
/// # Safety
///
/// `error` must be NULL or a live error from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_tokenizer_error_get_message(error: *const pyaot_tokenizer_error) -> *const c_char {
    guard(std::ptr::null(), || {
        // SAFETY: the caller promises NULL or a live error.
        unsafe { error.as_ref() }.map_or(std::ptr::null(), |e| e.message.as_ptr())
    })
}

/// Frees an error; NULL does nothing.
///
/// # Safety
///
/// `error` must be NULL or an error from this library that was not freed yet.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_tokenizer_error_free(error: *mut pyaot_tokenizer_error) {
    guard((), || {
        if !error.is_null() {
            // SAFETY: an error is a `Box` leaked by `Failure::report`, freed once (the caller's
            // promise).
            drop(unsafe { Box::from_raw(error) });
        }
    });
}

#[cfg(test)]
mod tests {
    use std::ffi::CStr;
    use std::ptr;

    use pyaot_tokenizer::{Encoding, Special};

    use super::*;

    /// Reports `failure`, returning the code and the message of the error object, if any.
    fn report(failure: Failure) -> (pyaot_tokenizer_result, Option<String>) {
        let mut error = ptr::null_mut();
        // SAFETY: a valid out-pointer; the error, if written, is read and freed once.
        unsafe {
            let result = failure.report(&mut error);
            if error.is_null() {
                return (result, None);
            }
            assert_eq!(pyaot_tokenizer_error_get_result(error), result);
            let message = CStr::from_ptr(pyaot_tokenizer_error_get_message(error)).to_str().unwrap().to_owned();
            pyaot_tokenizer_error_free(error);
            (result, Some(message))
        }
    }

    #[test]
    fn failures_become_codes_and_messages() {
        assert_eq!(report(Failure::Argument), (pyaot_tokenizer_result::InvalidArgument, None));
        assert_eq!(
            report(Failure::Utf8("the text is not UTF-8 after byte 3".into())),
            (pyaot_tokenizer_result::InvalidUtf8, Some("the text is not UTF-8 after byte 3".into()))
        );
        let unknown = |name: &str| Encoding::get(name).unwrap_err();
        assert_eq!(
            report(unknown("nope").into()),
            (pyaot_tokenizer_result::UnknownEncoding, Some("Unknown encoding nope.".into()))
        );
        assert_eq!(
            report(unknown("a\0b").into()),
            (pyaot_tokenizer_result::UnknownEncoding, Some("Unknown encoding a\\0b.".into()))
        );
        let cl100k = Encoding::get("cl100k_base").unwrap();
        assert_eq!(
            report(cl100k.decode_bytes(&[100256]).unwrap_err().into()),
            (pyaot_tokenizer_result::UnknownToken, Some("Invalid token for decoding: 100256".into()))
        );
        let disallowed = cl100k.encode("<|endoftext|>", Special::None, Special::All).unwrap_err();
        assert_eq!(report(disallowed.into()).0, pyaot_tokenizer_result::DisallowedSpecialToken);
        assert_eq!(
            report(cl100k.decode_with_offsets(&[9468]).unwrap_err().into()).0,
            pyaot_tokenizer_result::InvalidUtf8
        );
        assert_eq!(report(Failure::not_a_token("<|x|>")).0, pyaot_tokenizer_result::NotAToken);
        // SAFETY: NULL `error_out` is allowed.
        let result =
            unsafe { Failure::from(cl100k.encode_single_token(b"no such").unwrap_err()).report(ptr::null_mut()) };
        assert_eq!(result, pyaot_tokenizer_result::NotAToken);
    }

    #[test]
    fn a_null_error_gives_neutral_answers() {
        // SAFETY: NULL is allowed everywhere.
        unsafe {
            assert_eq!(pyaot_tokenizer_error_get_result(ptr::null()), pyaot_tokenizer_result::Ok);
            assert!(pyaot_tokenizer_error_get_message(ptr::null()).is_null());
            pyaot_tokenizer_error_free(ptr::null_mut());
        }
    }
}
