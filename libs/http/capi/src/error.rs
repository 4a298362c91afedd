//! `pyaot_http_error`: why a call failed, with `pyaot-http`'s message.

use std::ffi::{CString, c_char};

use pyaot_http::{Error, ErrorKind, Response};

use crate::response::{pyaot_http_response, write_response};
use crate::{c_string, guard, pyaot_http_result, required, run};

/// Why a call failed: its result code (`pyaot_http_error_get_result`), a message for people
/// (`pyaot_http_error_get_message`), and for `TOO_MANY_REDIRECTS` the last response
/// (`pyaot_http_error_take_response`).
pub struct pyaot_http_error {
    result: pyaot_http_result,
    /// The message as a C string.
    message: CString,
    /// The response that ended a redirect chain, until taken.
    response: Option<Response>,
}

/// How a function body failed, before it is reported to C.
#[derive(Debug)]
pub(crate) enum Failure {
    /// A NULL pointer, an index out of range or a request already sent: `INVALID_ARGUMENT`,
    /// without an error object.
    Argument,
    /// Text passed in is not UTF-8: `INVALID_UTF8`, without an error object (the functions that
    /// take text are setters, whose arguments say which text it was).
    Utf8,
    /// An error of the client.
    Http(Error),
}

impl From<Error> for Failure {
    fn from(error: Error) -> Failure {
        Failure::Http(error)
    }
}

impl Failure {
    /// The result code, writing an error object through `error_out` (unless NULL) for an
    /// HTTP error.
    ///
    /// # Safety
    ///
    /// `error_out` is NULL or valid for writing a pointer.
    pub(crate) unsafe fn report(self, error_out: *mut *mut pyaot_http_error) -> pyaot_http_result {
        let mut error = match self {
            Failure::Argument => return pyaot_http_result::InvalidArgument,
            Failure::Utf8 => return pyaot_http_result::InvalidUtf8,
            Failure::Http(error) => error,
        };
        let result = result_of(error.kind());
        if !error_out.is_null() {
            let message = c_string(error.message());
            let error = Box::into_raw(Box::new(pyaot_http_error { result, message, response: error.take_response() }));
            // SAFETY: not NULL, and the caller promises it is valid for a write.
            unsafe { error_out.write(error) };
        }
        result
    }
}

/// The result code of an error kind.
fn result_of(kind: ErrorKind) -> pyaot_http_result {
    match kind {
        ErrorKind::MissingSchema => pyaot_http_result::MissingSchema,
        ErrorKind::InvalidSchema => pyaot_http_result::InvalidSchema,
        ErrorKind::InvalidUrl => pyaot_http_result::InvalidUrl,
        ErrorKind::InvalidHeader => pyaot_http_result::InvalidHeader,
        ErrorKind::InvalidProxyUrl => pyaot_http_result::InvalidProxyUrl,
        ErrorKind::Connection => pyaot_http_result::Connection,
        ErrorKind::Proxy => pyaot_http_result::Proxy,
        ErrorKind::Tls => pyaot_http_result::Tls,
        ErrorKind::ConnectTimeout => pyaot_http_result::ConnectTimeout,
        ErrorKind::ReadTimeout => pyaot_http_result::ReadTimeout,
        ErrorKind::TooManyRedirects => pyaot_http_result::TooManyRedirects,
        ErrorKind::ContentDecoding => pyaot_http_result::ContentDecoding,
        ErrorKind::ChunkedEncoding => pyaot_http_result::ChunkedEncoding,
        ErrorKind::RetriesExhausted => pyaot_http_result::RetriesExhausted,
        ErrorKind::UnrewindableBody => pyaot_http_result::UnrewindableBody,
        ErrorKind::StreamConsumed => pyaot_http_result::StreamConsumed,
        ErrorKind::InvalidConfig => pyaot_http_result::InvalidConfig,
        ErrorKind::InvalidBody => pyaot_http_result::InvalidBody,
        _ => pyaot_http_result::OtherError,
    }
}

/// The result code the failing call returned with this error; `PYAOT_HTTP_RESULT_OK` for NULL.
///
/// # Safety
///
/// `error` must be NULL or a live error from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_http_error_get_result(error: *const pyaot_http_error) -> pyaot_http_result {
    guard(pyaot_http_result::Ok, || {
        // SAFETY: the caller promises NULL or a live error.
        unsafe { error.as_ref() }.map_or(pyaot_http_result::Ok, |e| e.result)
    })
}

/// The message, for people (requests' wording where requests has one), e.g.
/// `"failed to connect to http://127.0.0.1:1/: connection refused"`: a NUL-terminated UTF-8
/// string valid until the error is freed; NULL for NULL.
///
/// # Safety
///
/// `error` must be NULL or a live error from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_http_error_get_message(error: *const pyaot_http_error) -> *const c_char {
    guard(std::ptr::null(), || {
        // SAFETY: the caller promises NULL or a live error.
        unsafe { error.as_ref() }.map_or(std::ptr::null(), |e| e.message.as_ptr())
    })
}

/// Takes the response out of a `TOO_MANY_REDIRECTS` error (the last redirect response, with
/// the earlier ones as its history), as requests' `exception.response`.
///
/// On success writes a new response to `*response_out` (free it with
/// `pyaot_http_response_free`); its body was already read. `INVALID_ARGUMENT` when a pointer
/// is NULL or the error holds no response (another kind, or taken already).
///
/// # Safety
///
/// `error` must be NULL or a live error from this library; `response_out` NULL or valid for
/// writing a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_http_error_take_response(
    error: *mut pyaot_http_error,
    response_out: *mut *mut pyaot_http_response,
) -> pyaot_http_result {
    // SAFETY: the caller's promises, passed on.
    unsafe {
        run(std::ptr::null_mut(), || {
            let out = required(response_out)?;
            let error = error.as_mut().ok_or(Failure::Argument)?;
            let response = error.response.take().ok_or(Failure::Argument)?;
            write_response(out, response);
            Ok(())
        })
    }
}

/// Frees an error; NULL does nothing.
///
/// # Safety
///
/// `error` must be NULL or an error from this library that was not freed yet.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_http_error_free(error: *mut pyaot_http_error) {
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

    use super::*;

    #[test]
    fn failures_become_codes_and_messages() {
        let client = pyaot_http::Client::new();
        let error = client.get("example.com/x").send().unwrap_err();
        let mut out = ptr::null_mut();
        // SAFETY: a valid out-pointer; the error written is read and freed once.
        unsafe {
            assert_eq!(Failure::Argument.report(&mut out), pyaot_http_result::InvalidArgument);
            assert_eq!(Failure::Utf8.report(&mut out), pyaot_http_result::InvalidUtf8);
            assert!(out.is_null());
            assert_eq!(Failure::from(error).report(&mut out), pyaot_http_result::MissingSchema);
            assert_eq!(pyaot_http_error_get_result(out), pyaot_http_result::MissingSchema);
            let message = CStr::from_ptr(pyaot_http_error_get_message(out)).to_str().unwrap();
            assert!(message.contains("example.com/x"), "{message}");
            let mut response = ptr::null_mut();
            assert_eq!(pyaot_http_error_take_response(out, &mut response), pyaot_http_result::InvalidArgument);
            assert!(response.is_null());
            pyaot_http_error_free(out);
        }
    }

    #[test]
    fn every_kind_has_its_own_code() {
        let kinds = [
            ErrorKind::MissingSchema,
            ErrorKind::InvalidSchema,
            ErrorKind::InvalidUrl,
            ErrorKind::InvalidHeader,
            ErrorKind::InvalidProxyUrl,
            ErrorKind::Connection,
            ErrorKind::Proxy,
            ErrorKind::Tls,
            ErrorKind::ConnectTimeout,
            ErrorKind::ReadTimeout,
            ErrorKind::TooManyRedirects,
            ErrorKind::ContentDecoding,
            ErrorKind::ChunkedEncoding,
            ErrorKind::RetriesExhausted,
            ErrorKind::UnrewindableBody,
            ErrorKind::StreamConsumed,
            ErrorKind::InvalidConfig,
            ErrorKind::InvalidBody,
        ];
        let codes: std::collections::HashSet<_> = kinds.iter().map(|&k| result_of(k)).collect();
        assert_eq!(codes.len(), kinds.len());
        assert!(!codes.contains(&pyaot_http_result::OtherError));
    }

    #[test]
    fn a_null_error_gives_neutral_answers() {
        // SAFETY: NULL is allowed everywhere.
        unsafe {
            assert_eq!(pyaot_http_error_get_result(ptr::null()), pyaot_http_result::Ok);
            assert!(pyaot_http_error_get_message(ptr::null()).is_null());
            let mut response = ptr::null_mut();
            assert_eq!(
                pyaot_http_error_take_response(ptr::null_mut(), &mut response),
                pyaot_http_result::InvalidArgument
            );
            pyaot_http_error_free(ptr::null_mut());
        }
    }
}
