//! `pyaot_re_error`: why compiling, matching or substituting failed, with CPython's message.

use std::ffi::{CString, c_char};

use pyaot_regex::{Error, ErrorKind, MatchError};

use crate::guard;

/// The kind of a `pyaot_re_error`: which Python exception CPython raises, or which misuse of
/// this API was refused.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum pyaot_re_error_kind {
    /// A NULL error (not returned by this API).
    Other = 0,
    /// `re.error`: an invalid pattern or replacement template; the position is set when CPython
    /// gives one.
    Error = 1,
    /// `ValueError`: incompatible flags, such as `PYAOT_RE_LOCALE` with a str pattern.
    ValueError = 2,
    /// `IndexError`: a template's `\g<name>` names no group of the pattern.
    IndexError = 3,
    /// `OverflowError`: a number in the pattern is too large (a repeat count, a `\U` escape).
    OverflowError = 4,
    /// The backtracking engine took more steps than the pattern's step limit allows (see
    /// `pyaot_re_set_step_limit`); CPython would run for a very long time instead.
    StepLimit = 5,
    /// `TypeError`: a str pattern used on bytes or a bytes pattern on text.
    TypeError = 6,
    /// A NULL pointer, a position off a character boundary, a group out of range, or captures
    /// made for a pattern with a different number of groups.
    InvalidArgument = 7,
    /// A str pattern, haystack or template that is not UTF-8.
    InvalidUtf8 = 8,
    /// A bug: a Rust panic was caught at the C boundary.
    Panic = 9,
}

/// An error about to be reported to C.
#[derive(Debug)]
pub(crate) struct Failure {
    kind: pyaot_re_error_kind,
    message: String,
    position: Option<usize>,
}

impl Failure {
    /// A failure of `kind` without a position.
    pub(crate) fn new(kind: pyaot_re_error_kind, message: impl Into<String>) -> Failure {
        Failure { kind, message: message.into(), position: None }
    }

    /// A NULL (or otherwise unusable) argument named `what`.
    pub(crate) fn null(what: &str) -> Failure {
        Failure::new(pyaot_re_error_kind::InvalidArgument, format!("{what} is NULL"))
    }

    /// Input that is not UTF-8 where a str pattern needs it.
    pub(crate) fn utf8(what: &str) -> Failure {
        Failure::new(pyaot_re_error_kind::InvalidUtf8, format!("{what} is not valid utf-8"))
    }
}

impl From<Error> for Failure {
    fn from(error: Error) -> Failure {
        let kind = match error.kind {
            ErrorKind::Value => pyaot_re_error_kind::ValueError,
            ErrorKind::Overflow => pyaot_re_error_kind::OverflowError,
            ErrorKind::Index => pyaot_re_error_kind::IndexError,
            // `re.error`, and any class added to the crate after this was written.
            _ => pyaot_re_error_kind::Error,
        };
        Failure { kind, message: error.msg, position: error.pos }
    }
}

impl From<MatchError> for Failure {
    fn from(error: MatchError) -> Failure {
        let kind = match error {
            MatchError::StepLimit(_) => pyaot_re_error_kind::StepLimit,
            MatchError::KindMismatch { .. } => pyaot_re_error_kind::TypeError,
        };
        Failure::new(kind, error.to_string())
    }
}

/// Why an operation failed: a kind, CPython's message and, for errors in a pattern or template,
/// the position in characters.
pub struct pyaot_re_error {
    kind: pyaot_re_error_kind,
    position: Option<usize>,
    /// The message as a C string.
    message: CString,
    /// The message with " at position N" when there is a position, as `str(e)` shows it.
    display: CString,
}

impl pyaot_re_error {
    /// Writes `failure` to `err_out` as a new error, when `err_out` is not NULL.
    ///
    /// # Safety
    ///
    /// `err_out` must be NULL or valid for a write.
    pub(crate) unsafe fn report(err_out: *mut *mut pyaot_re_error, failure: Failure) {
        if err_out.is_null() {
            return;
        }
        let display = match failure.position {
            Some(pos) => format!("{} at position {pos}", failure.message),
            None => failure.message.clone(),
        };
        // A message may quote the pattern, which may hold NUL: C strings stop there.
        let c_string = |s: String| {
            CString::new(s).unwrap_or_else(|e| {
                let end = e.nul_position();
                let mut bytes = e.into_vec();
                bytes.truncate(end);
                CString::new(bytes).unwrap_or_default()
            })
        };
        let error = pyaot_re_error {
            kind: failure.kind,
            position: failure.position,
            message: c_string(failure.message),
            display: c_string(display),
        };
        // SAFETY: `err_out` is not NULL and the caller promises it is writable.
        unsafe { *err_out = Box::into_raw(Box::new(error)) };
    }
}

/// Reads the error behind `error` with `get`, or answers `fallback` for NULL.
///
/// # Safety
///
/// `error` must be NULL or a live error from this library.
unsafe fn read<T>(error: *const pyaot_re_error, fallback: T, get: impl FnOnce(&pyaot_re_error) -> T) -> T {
    // SAFETY: the caller promises NULL or a live error.
    unsafe { error.as_ref() }.map_or(fallback, get)
}

/// The kind of error; `PYAOT_RE_ERROR_KIND_OTHER` for NULL.
///
/// # Safety
///
/// `error` must be NULL or a live error from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_re_error_get_kind(error: *const pyaot_re_error) -> pyaot_re_error_kind {
    // SAFETY: the caller's promise.
    guard(pyaot_re_error_kind::Other, || unsafe { read(error, pyaot_re_error_kind::Other, |e| e.kind) })
}

/// The message without the position (`re.error.msg`), e.g.
/// `"missing ), unterminated subpattern"`: a NUL-terminated string valid until the error is
/// freed; NULL for NULL.
///
/// # Safety
///
/// `error` must be NULL or a live error from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_re_error_get_message(error: *const pyaot_re_error) -> *const c_char {
    // SAFETY: the caller's promise.
    guard(std::ptr::null(), || unsafe { read(error, std::ptr::null(), |e| e.message.as_ptr()) })
}

/// The full text as `str(e)` shows it, e.g. `"missing ), unterminated subpattern at position
/// 1"`: a NUL-terminated string valid until the error is freed; NULL for NULL.
///
/// # Safety
///
/// `error` must be NULL or a live error from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_re_error_get_display(error: *const pyaot_re_error) -> *const c_char {
    // SAFETY: the caller's promise.
    guard(std::ptr::null(), || unsafe { read(error, std::ptr::null(), |e| e.display.as_ptr()) })
}

/// Where in the pattern (or template) the error is, in characters from 0 (`re.error.pos`);
/// -1 when there is no position, and for NULL.
///
/// # Safety
///
/// `error` must be NULL or a live error from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_re_error_get_position(error: *const pyaot_re_error) -> i64 {
    guard(-1, || {
        // SAFETY: the caller's promise.
        unsafe { read(error, -1, |e| e.position.and_then(|p| i64::try_from(p).ok()).unwrap_or(-1)) }
    })
}

/// Frees an error; NULL does nothing.
///
/// # Safety
///
/// `error` must be NULL or an error from this library that was not freed yet.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_re_error_free(error: *mut pyaot_re_error) {
    guard((), || {
        if !error.is_null() {
            // SAFETY: an error is a `Box` leaked by `report`, freed once (the caller's promise).
            drop(unsafe { Box::from_raw(error) });
        }
    });
}

#[cfg(test)]
mod tests {
    use std::ffi::CStr;
    use std::ptr;

    use super::*;

    fn reported(failure: Failure) -> *mut pyaot_re_error {
        let mut error = ptr::null_mut();
        // SAFETY: `error` is a valid out-pointer.
        unsafe { pyaot_re_error::report(&mut error, failure) };
        error
    }

    #[test]
    fn an_error_keeps_the_message_position_and_kind() {
        let error = reported(Error::at("missing ), unterminated subpattern", 1).into());
        // SAFETY: `error` is live until freed.
        unsafe {
            assert_eq!(pyaot_re_error_get_kind(error), pyaot_re_error_kind::Error);
            assert_eq!(CStr::from_ptr(pyaot_re_error_get_message(error)), c"missing ), unterminated subpattern");
            assert_eq!(
                CStr::from_ptr(pyaot_re_error_get_display(error)),
                c"missing ), unterminated subpattern at position 1"
            );
            assert_eq!(pyaot_re_error_get_position(error), 1);
            pyaot_re_error_free(error);
        }
    }

    #[test]
    fn python_exception_classes_are_told_apart() {
        let kind = |f: Failure| f.kind;
        assert_eq!(
            kind(Error::value("cannot use LOCALE flag with a str pattern").into()),
            pyaot_re_error_kind::ValueError
        );
        assert_eq!(
            kind(Error::of_kind(ErrorKind::Index, "unknown group name 'x'").into()),
            pyaot_re_error_kind::IndexError
        );
        assert_eq!(
            kind(Error::of_kind(ErrorKind::Overflow, "the repetition number is too large").into()),
            pyaot_re_error_kind::OverflowError
        );
        assert_eq!(kind(Error::new("nothing to repeat").into()), pyaot_re_error_kind::Error);
        assert_eq!(kind(MatchError::StepLimit(10).into()), pyaot_re_error_kind::StepLimit);
        assert_eq!(kind(MatchError::KindMismatch { pattern_is_bytes: true }.into()), pyaot_re_error_kind::TypeError);
    }

    #[test]
    fn a_message_with_nul_is_cut_there() {
        let error = reported(Error::new("bad\0tail").into());
        // SAFETY: `error` is live until freed.
        unsafe {
            assert_eq!(CStr::from_ptr(pyaot_re_error_get_message(error)), c"bad");
            assert_eq!(pyaot_re_error_get_position(error), -1);
            pyaot_re_error_free(error);
        }
    }

    #[test]
    fn a_null_error_gives_neutral_answers() {
        // SAFETY: NULL is allowed everywhere; reporting to a NULL out-pointer does nothing.
        unsafe {
            assert_eq!(pyaot_re_error_get_kind(ptr::null()), pyaot_re_error_kind::Other);
            assert!(pyaot_re_error_get_message(ptr::null()).is_null());
            assert!(pyaot_re_error_get_display(ptr::null()).is_null());
            assert_eq!(pyaot_re_error_get_position(ptr::null()), -1);
            pyaot_re_error_free(ptr::null_mut());
            pyaot_re_error::report(ptr::null_mut(), Failure::null("x"));
        }
    }
}
