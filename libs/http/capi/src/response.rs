//! `pyaot_http_response`: status, reason, URL, headers, history and the body.

use std::ffi::{CString, c_char};
use std::sync::Mutex;

use pyaot_http::Response;

use crate::error::{Failure, pyaot_http_error};
use crate::{bytes_ptr, c_string, guard, pyaot_http_result, required, run, text_arg};

/// A response: its status, reason phrase, final URL, headers, the redirect responses that led
/// to it (its history) and its body, read once (whole with `pyaot_http_response_read_body`, or
/// streamed with `pyaot_http_response_read`).
///
/// The strings its getters return are NUL-terminated UTF-8 borrowed from it, valid until it is
/// freed. A response must be used by one thread at a time.
pub struct pyaot_http_response {
    response: Response,
    /// `response.url()` as a C string.
    url: CString,
    /// `response.reason()` as a C string.
    reason: CString,
    /// `response.headers()` as C strings.
    headers: Vec<(CString, CString)>,
    /// `response.history()`, taken out of it, as responses of their own.
    history: Vec<pyaot_http_response>,
    /// The values `pyaot_http_response_get_header` returned, by the name asked, kept so that
    /// the pointers stay valid (a `CString` keeps its bytes where they are when the list grows).
    looked_up: Mutex<Vec<(String, Option<CString>)>>,
}

impl pyaot_http_response {
    fn new(mut response: Response) -> pyaot_http_response {
        let history = response.take_history().into_iter().map(pyaot_http_response::new).collect();
        pyaot_http_response {
            url: c_string(response.url()),
            reason: c_string(response.reason()),
            headers: response.headers().iter().map(|(name, value)| (c_string(name), c_string(value))).collect(),
            history,
            looked_up: Mutex::new(Vec::new()),
            response,
        }
    }
}

/// Writes `response` to `out` as a new handle.
///
/// # Safety
///
/// `out` must be valid for writing a pointer.
pub(crate) unsafe fn write_response(out: *mut *mut pyaot_http_response, response: Response) {
    let handle = Box::into_raw(Box::new(pyaot_http_response::new(response)));
    // SAFETY: the caller's promise.
    unsafe { out.write(handle) };
}

/// Reads the response behind `response` with `get`, or answers `fallback` for NULL.
///
/// # Safety
///
/// `response` must be NULL or a live response from this library.
unsafe fn read<T>(response: *const pyaot_http_response, fallback: T, get: impl FnOnce(&pyaot_http_response) -> T) -> T {
    // SAFETY: the caller promises NULL or a live response.
    unsafe { response.as_ref() }.map_or(fallback, get)
}

/// The status code, such as 200 or 404; 0 for NULL.
///
/// # Safety
///
/// `response` must be NULL or a live response from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_http_response_get_status(response: *const pyaot_http_response) -> u16 {
    // SAFETY: the caller's promise.
    guard(0, || unsafe { read(response, 0, |r| r.response.status()) })
}

/// The reason phrase the server sent (`"OK"`, or `"I'm a Teapot"` when a server says so), as
/// requests' `reason`; the standard phrase of the code when none could be read, `""` for an
/// unknown code. NULL for NULL.
///
/// # Safety
///
/// `response` must be NULL or a live response from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_http_response_get_reason(response: *const pyaot_http_response) -> *const c_char {
    // SAFETY: the caller's promise.
    guard(std::ptr::null(), || unsafe { read(response, std::ptr::null(), |r| r.reason.as_ptr()) })
}

/// The URL of this response: the last one of a redirect chain, with the query, as requests'
/// `url`. NULL for NULL.
///
/// # Safety
///
/// `response` must be NULL or a live response from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_http_response_get_url(response: *const pyaot_http_response) -> *const c_char {
    // SAFETY: the caller's promise.
    guard(std::ptr::null(), || unsafe { read(response, std::ptr::null(), |r| r.url.as_ptr()) })
}

/// The number of header lines received (a repeated header counts once per line); 0 for NULL.
///
/// # Safety
///
/// `response` must be NULL or a live response from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_http_response_get_headers_len(response: *const pyaot_http_response) -> usize {
    // SAFETY: the caller's promise.
    guard(0, || unsafe { read(response, 0, |r| r.headers.len()) })
}

/// The header line at `index` (from 0, in the order received): writes its lower-case name to
/// `*name_out` and its value to `*value_out` (see the conventions for how values are decoded).
///
/// `INVALID_ARGUMENT` when a pointer is NULL or `index` is not below
/// `pyaot_http_response_get_headers_len`.
///
/// # Safety
///
/// `response` must be NULL or a live response from this library; `name_out` and `value_out`
/// NULL or valid for writing a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_http_response_get_header_at(
    response: *const pyaot_http_response,
    index: usize,
    name_out: *mut *const c_char,
    value_out: *mut *const c_char,
) -> pyaot_http_result {
    // SAFETY: the caller's promises, passed on.
    unsafe {
        run(std::ptr::null_mut(), || {
            let (name_out, value_out) = (required(name_out)?, required(value_out)?);
            let response = response.as_ref().ok_or(Failure::Argument)?;
            let (name, value) = response.headers.get(index).ok_or(Failure::Argument)?;
            name_out.write(name.as_ptr());
            value_out.write(value.as_ptr());
            Ok(())
        })
    }
}

/// The value of the header `name` (UTF-8, `name_len` bytes, compared case-insensitively), as
/// requests' `headers[name]`: the values of repeated lines joined with `", "`.
///
/// On success writes the value to `*value_out`, or NULL when the response has no such header.
/// Other results: `INVALID_ARGUMENT` (a NULL pointer), `INVALID_UTF8`.
///
/// # Safety
///
/// `response` must be NULL or a live response from this library; `name` valid for reads of
/// `name_len` bytes; `value_out` NULL or valid for writing a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_http_response_get_header(
    response: *const pyaot_http_response,
    name: *const u8,
    name_len: usize,
    value_out: *mut *const c_char,
) -> pyaot_http_result {
    // SAFETY: the caller's promises, passed on.
    unsafe {
        run(std::ptr::null_mut(), || {
            let out = required(value_out)?;
            let response = response.as_ref().ok_or(Failure::Argument)?;
            let name = text_arg(name, name_len)?;
            let mut looked_up = response.looked_up.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            let index = match looked_up.iter().position(|(asked, _)| asked == name) {
                Some(index) => index,
                None => {
                    looked_up.push((name.to_owned(), response.response.header(name).as_deref().map(c_string)));
                    looked_up.len() - 1
                }
            };
            out.write(looked_up[index].1.as_ref().map_or(std::ptr::null(), |value| value.as_ptr()));
            Ok(())
        })
    }
}

/// The number of redirect responses that led to this one (requests' `len(r.history)`): 0 when
/// no redirect was followed, and for NULL.
///
/// # Safety
///
/// `response` must be NULL or a live response from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_http_response_get_history_len(response: *const pyaot_http_response) -> usize {
    // SAFETY: the caller's promise.
    guard(0, || unsafe { read(response, 0, |r| r.history.len()) })
}

/// The redirect response at `index` of the history, oldest first (requests' `r.history[index]`),
/// borrowed from `response` and valid until it is freed: read its status, reason, URL and
/// headers with the getters above; never free it. NULL for NULL or an index out of range.
///
/// # Safety
///
/// `response` must be NULL or a live response from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_http_response_get_history(
    response: *const pyaot_http_response,
    index: usize,
) -> *const pyaot_http_response {
    guard(std::ptr::null(), || {
        // SAFETY: the caller's promise.
        unsafe {
            read(response, std::ptr::null(), |r| r.history.get(index).map_or(std::ptr::null(), |h| h as *const _))
        }
    })
}

/// The whole body, decoded (gzip, deflate and brotli, bounded to 1 GiB), as requests'
/// `content`: read on the first call (unless `pyaot_http_client_send` read it already) and kept,
/// so later calls give the same bytes.
///
/// On success writes a pointer to the bytes to `*data_out` (valid until the response is freed;
/// not NUL-terminated, never NULL) and their number to `*len_out`. Other results:
/// `INVALID_ARGUMENT` (a NULL pointer); `STREAM_CONSUMED` (the body was streamed to its end
/// with `pyaot_http_response_read`; after part of it was streamed, this gives the rest, as
/// requests does); `READ_TIMEOUT`, `CONNECTION`, `CHUNKED_ENCODING`, `CONTENT_DECODING` while
/// reading a streamed body. On these, `*error_out` receives an error
/// unless `error_out` is NULL.
///
/// # Safety
///
/// `response` must be NULL or a live response from this library, not used by another thread;
/// `data_out`, `len_out` and `error_out` NULL or valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_http_response_read_body(
    response: *mut pyaot_http_response,
    data_out: *mut *const u8,
    len_out: *mut usize,
    error_out: *mut *mut pyaot_http_error,
) -> pyaot_http_result {
    // SAFETY: the caller's promises, passed on.
    unsafe {
        run(error_out, || {
            let (data_out, len_out) = (required(data_out)?, required(len_out)?);
            let response = &mut response.as_mut().ok_or(Failure::Argument)?.response;
            let body = response.bytes()?;
            data_out.write(bytes_ptr(body));
            len_out.write(body.len());
            Ok(())
        })
    }
}

/// Reads the next bytes of a streamed body (a request sent with
/// `pyaot_http_request_set_stream(request, true)`), decoded, into `buf`, as requests'
/// `iter_content`: at most `capacity` bytes.
///
/// On success writes the number of bytes read to `*read_out`: 0 only at the end of the body
/// (and for every read after it), or when `capacity` is 0. Other results: `INVALID_ARGUMENT` (a
/// NULL pointer; `buf` may be NULL when `capacity` is 0); `STREAM_CONSUMED` (the body was read
/// whole, by `pyaot_http_client_send` when not streaming or by `pyaot_http_response_read_body`);
/// `READ_TIMEOUT`, `CONNECTION`, `CHUNKED_ENCODING`, `CONTENT_DECODING`. On these, `*error_out`
/// receives an error unless `error_out` is NULL; after one, the rest of the body is lost.
///
/// # Safety
///
/// `response` must be NULL or a live response from this library, not used by another thread;
/// `buf` NULL or valid for writing `capacity` bytes (they need not be initialised);
/// `read_out` and `error_out` NULL or valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_http_response_read(
    response: *mut pyaot_http_response,
    buf: *mut u8,
    capacity: usize,
    read_out: *mut usize,
    error_out: *mut *mut pyaot_http_error,
) -> pyaot_http_result {
    // SAFETY: the caller's promises, passed on.
    unsafe {
        run(error_out, || {
            let read_out = required(read_out)?;
            let response = &mut response.as_mut().ok_or(Failure::Argument)?.response;
            let buf: &mut [u8] = if capacity == 0 {
                &mut []
            } else {
                if buf.is_null() || capacity > isize::MAX as usize {
                    return Err(Failure::Argument);
                }
                // The caller's bytes may be uninitialised, which a `&mut [u8]` must not see:
                // zero them first (cheap next to the read itself).
                buf.write_bytes(0, capacity);
                std::slice::from_raw_parts_mut(buf, capacity)
            };
            read_out.write(response.read_chunk(buf)?);
            Ok(())
        })
    }
}

/// Frees a response written through a `response_out` (with its history and body); NULL does
/// nothing. Never pass a response from `pyaot_http_response_get_history`.
///
/// # Safety
///
/// `response` must be NULL or a response from this library's `response_out` pointers that was
/// not freed yet.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_http_response_free(response: *mut pyaot_http_response) {
    guard((), || {
        if !response.is_null() {
            // SAFETY: a response is a `Box` leaked by `write_response`, freed once (the caller's
            // promise).
            drop(unsafe { Box::from_raw(response) });
        }
    });
}

#[cfg(test)]
mod tests {
    use std::ptr;

    use super::*;

    #[test]
    fn a_null_response_gives_neutral_answers() {
        let refused = pyaot_http_result::InvalidArgument;
        let (mut name, mut value) = (ptr::null(), ptr::null());
        let (mut data, mut len) = (ptr::null(), 0);
        let mut buf = [0u8; 4];
        // SAFETY: NULL is allowed everywhere; the out-pointers are valid.
        unsafe {
            assert_eq!(pyaot_http_response_get_status(ptr::null()), 0);
            assert!(pyaot_http_response_get_reason(ptr::null()).is_null());
            assert!(pyaot_http_response_get_url(ptr::null()).is_null());
            assert_eq!(pyaot_http_response_get_headers_len(ptr::null()), 0);
            assert_eq!(pyaot_http_response_get_header_at(ptr::null(), 0, &mut name, &mut value), refused);
            assert_eq!(pyaot_http_response_get_header(ptr::null(), b"a".as_ptr(), 1, &mut value), refused);
            assert_eq!(pyaot_http_response_get_history_len(ptr::null()), 0);
            assert!(pyaot_http_response_get_history(ptr::null(), 0).is_null());
            let mut error = ptr::null_mut();
            assert_eq!(pyaot_http_response_read_body(ptr::null_mut(), &mut data, &mut len, &mut error), refused);
            assert_eq!(pyaot_http_response_read(ptr::null_mut(), buf.as_mut_ptr(), 4, &mut len, &mut error), refused);
            assert!(error.is_null() && name.is_null() && value.is_null() && data.is_null());
            pyaot_http_response_free(ptr::null_mut());
        }
    }
}
