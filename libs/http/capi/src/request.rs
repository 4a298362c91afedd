//! `pyaot_http_request`: a request being built, sent once by `pyaot_http_client_send`.

use std::path::PathBuf;
use std::time::Duration;

use pyaot_http::{Request, Timeouts, Verify, form_urlencode};

use crate::error::Failure;
use crate::{guard, input_array, pyaot_http_result, required, run, text_arg};

/// A timeout of `pyaot_http_request_set_timeouts` that means "no limit" (wait forever).
pub const PYAOT_HTTP_NO_TIMEOUT: u64 = u64::MAX;

/// A request: method, URL, query, headers, body and per-request settings, made by
/// `pyaot_http_request_new`, changed by the `pyaot_http_request_add_...`/`_set_...` functions and
/// sent once by `pyaot_http_client_send`. Nothing is checked before sending: a bad URL or
/// header is reported by `pyaot_http_client_send`, with requests' message.
pub struct pyaot_http_request {
    /// `None` once sent.
    request: Option<Request>,
}

impl pyaot_http_request {
    /// The request, to send ([`Failure::Argument`] when it was sent already).
    pub(crate) fn take(&mut self) -> Result<Request, Failure> {
        self.request.take().ok_or(Failure::Argument)
    }
}

/// Runs `change` on the request behind `request`: the body of every setter. NULL or a request
/// already sent is `INVALID_ARGUMENT`.
///
/// # Safety
///
/// `request` must be NULL or a live request from this library, not used by another thread.
unsafe fn change(
    request: *mut pyaot_http_request,
    change: impl FnOnce(&mut Request) -> Result<(), Failure>,
) -> pyaot_http_result {
    // SAFETY: the caller's promise; setters write no error object.
    unsafe {
        run(std::ptr::null_mut(), || {
            let request = request.as_mut().and_then(|r| r.request.as_mut()).ok_or(Failure::Argument)?;
            change(request)
        })
    }
}

/// A new request for `method` (UTF-8, `method_len` bytes; upper-cased, as requests does, so
/// `"get"` is `GET`) and `url` (UTF-8, `url_len` bytes; `http://` or `https://`, prepared by
/// requests' rules when the request is sent).
///
/// Until changed, it follows redirects, reads the whole body before `pyaot_http_client_send`
/// returns, and uses the client's timeouts and certificate verification. On success writes the
/// request to `*request_out` (free it with `pyaot_http_request_free`). Other results:
/// `INVALID_ARGUMENT` (a NULL pointer), `INVALID_UTF8`. The URL is checked when the request is
/// sent.
///
/// # Safety
///
/// `method` and `url` must be valid for reads of `method_len` and `url_len` bytes;
/// `request_out` NULL or valid for writing a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_http_request_new(
    method: *const u8,
    method_len: usize,
    url: *const u8,
    url_len: usize,
    request_out: *mut *mut pyaot_http_request,
) -> pyaot_http_result {
    // SAFETY: the caller's promises, passed on.
    unsafe {
        run(std::ptr::null_mut(), || {
            let out = required(request_out)?;
            let method = text_arg(method, method_len)?;
            let url = text_arg(url, url_len)?;
            let request = pyaot_http_request { request: Some(Request::new(method, url)) };
            out.write(Box::into_raw(Box::new(request)));
            Ok(())
        })
    }
}

/// Sets the header `name` to `value` (UTF-8, `name_len` and `value_len` bytes), replacing a
/// header of the same name (compared case-insensitively), as requests' `headers={name: value}`.
/// It also replaces a default header of the client (`User-Agent`, `Accept-Encoding`, `Accept`,
/// `Connection`).
///
/// A name or value that requests refuses (CR or LF anywhere, leading whitespace, a `:` in the
/// name, a code point of 256 or more in the value) is reported as `INVALID_HEADER` by
/// `pyaot_http_client_send`. Results: `OK`, `INVALID_ARGUMENT` (a NULL pointer or a request
/// already sent), `INVALID_UTF8`.
///
/// # Safety
///
/// `request` must be NULL or a live request from this library; `name` and `value` valid for
/// reads of `name_len` and `value_len` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_http_request_set_header(
    request: *mut pyaot_http_request,
    name: *const u8,
    name_len: usize,
    value: *const u8,
    value_len: usize,
) -> pyaot_http_result {
    // SAFETY: the caller's promises, passed on.
    unsafe {
        change(request, |r| {
            r.set_header(text_arg(name, name_len)?, text_arg(value, value_len)?);
            Ok(())
        })
    }
}

/// Appends the query parameter `key=value` (UTF-8 text, form-encoded as requests' `params=`
/// encodes it: `a b&c` becomes `a+b%26c`) to the URL's query.
///
/// Results: `OK`, `INVALID_ARGUMENT` (a NULL pointer or a request already sent),
/// `INVALID_UTF8`.
///
/// # Safety
///
/// `request` must be NULL or a live request from this library; `key` and `value` valid for
/// reads of `key_len` and `value_len` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_http_request_add_query_param(
    request: *mut pyaot_http_request,
    key: *const u8,
    key_len: usize,
    value: *const u8,
    value_len: usize,
) -> pyaot_http_result {
    // SAFETY: the caller's promises, passed on.
    unsafe {
        change(request, |r| {
            r.add_raw_query(&form_urlencode(&[(text_arg(key, key_len)?, text_arg(value, value_len)?)]));
            Ok(())
        })
    }
}

/// Appends an already encoded query string (`query`, UTF-8, `query_len` bytes, such as
/// `"a=1&b=2"`) to the URL's query, as requests' `params="a=1&b=2"`; an empty one does nothing.
///
/// Results: `OK`, `INVALID_ARGUMENT` (a NULL pointer or a request already sent),
/// `INVALID_UTF8`.
///
/// # Safety
///
/// `request` must be NULL or a live request from this library; `query` valid for reads of
/// `query_len` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_http_request_add_raw_query(
    request: *mut pyaot_http_request,
    query: *const u8,
    query_len: usize,
) -> pyaot_http_result {
    // SAFETY: the caller's promises, passed on.
    unsafe {
        change(request, |r| {
            r.add_raw_query(text_arg(query, query_len)?);
            Ok(())
        })
    }
}

/// Sets the body to a copy of the `len` bytes at `data` (`data` may be NULL when `len` is 0),
/// sent with a `Content-Length` unless a `Content-Length` or `Transfer-Encoding` header was
/// set. No `Content-Type` is added: set one with `pyaot_http_request_set_header`. The body is
/// sent again on a 307 or 308 redirect and dropped on the others, as requests does.
///
/// Results: `OK`, `INVALID_ARGUMENT` (`request` NULL or already sent, `data` NULL with a
/// non-zero `len`).
///
/// # Safety
///
/// `request` must be NULL or a live request from this library; `data` NULL or valid for reads
/// of `len` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_http_request_set_body(
    request: *mut pyaot_http_request,
    data: *const u8,
    len: usize,
) -> pyaot_http_result {
    // SAFETY: the caller's promises, passed on.
    unsafe {
        change(request, |r| {
            r.set_body(input_array(data, len)?.to_vec(), None);
            Ok(())
        })
    }
}

/// HTTP basic authentication with `user` and `password` (UTF-8; sent as ISO-8859-1 when every
/// code point fits, as requests does), replacing an `Authorization` header. It is dropped when a
/// redirect leaves the origin.
///
/// Results: `OK`, `INVALID_ARGUMENT` (a NULL pointer or a request already sent),
/// `INVALID_UTF8`.
///
/// # Safety
///
/// `request` must be NULL or a live request from this library; `user` and `password` valid for
/// reads of `user_len` and `password_len` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_http_request_set_basic_auth(
    request: *mut pyaot_http_request,
    user: *const u8,
    user_len: usize,
    password: *const u8,
    password_len: usize,
) -> pyaot_http_result {
    // SAFETY: the caller's promises, passed on.
    unsafe {
        change(request, |r| {
            r.set_basic_auth(text_arg(user, user_len)?, text_arg(password, password_len)?);
            Ok(())
        })
    }
}

/// Timeouts for this request instead of the client's, in milliseconds: `connect_ms` for
/// resolving the host, connecting and the TLS handshake (`CONNECT_TIMEOUT` when it runs out),
/// `read_ms` for each wait for bytes from the server, not the whole download (`READ_TIMEOUT`),
/// as requests' `timeout=(connect, read)`. `PYAOT_HTTP_NO_TIMEOUT` means no limit for that
/// phase.
///
/// Results: `OK`, `INVALID_ARGUMENT` (`request` NULL or already sent).
///
/// # Safety
///
/// `request` must be NULL or a live request from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_http_request_set_timeouts(
    request: *mut pyaot_http_request,
    connect_ms: u64,
    read_ms: u64,
) -> pyaot_http_result {
    let limit = |ms| (ms != PYAOT_HTTP_NO_TIMEOUT).then(|| Duration::from_millis(ms));
    // SAFETY: the caller's promise, passed on.
    unsafe {
        change(request, |r| {
            r.set_timeouts(Timeouts { connect: limit(connect_ms), read: limit(read_ms) });
            Ok(())
        })
    }
}

/// Whether to follow redirects (301, 302, 303, 307, 308 with a `Location`); the default is to
/// follow them. Not following, the redirect itself is the response.
///
/// Results: `OK`, `INVALID_ARGUMENT` (`request` NULL or already sent).
///
/// # Safety
///
/// `request` must be NULL or a live request from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_http_request_set_allow_redirects(
    request: *mut pyaot_http_request,
    follow: bool,
) -> pyaot_http_result {
    // SAFETY: the caller's promise, passed on.
    unsafe {
        change(request, |r| {
            r.set_allow_redirects(follow);
            Ok(())
        })
    }
}

/// How many redirects to follow before `TOO_MANY_REDIRECTS`, instead of the client's limit
/// (30, as requests).
///
/// Results: `OK`, `INVALID_ARGUMENT` (`request` NULL or already sent).
///
/// # Safety
///
/// `request` must be NULL or a live request from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_http_request_set_max_redirects(
    request: *mut pyaot_http_request,
    max_redirects: u32,
) -> pyaot_http_result {
    // SAFETY: the caller's promise, passed on.
    unsafe {
        change(request, |r| {
            r.set_max_redirects(max_redirects);
            Ok(())
        })
    }
}

/// Whether `pyaot_http_client_send` returns as soon as the response headers are in, leaving
/// the body to be read with `pyaot_http_response_read` (requests' `stream=True`); the default
/// reads the whole body first (and frees the connection).
///
/// Results: `OK`, `INVALID_ARGUMENT` (`request` NULL or already sent).
///
/// # Safety
///
/// `request` must be NULL or a live request from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_http_request_set_stream(
    request: *mut pyaot_http_request,
    stream: bool,
) -> pyaot_http_result {
    // SAFETY: the caller's promise, passed on.
    unsafe {
        change(request, |r| {
            r.set_stream(stream);
            Ok(())
        })
    }
}

/// Certificate verification for this request: `true` verifies against the system's roots
/// plus Mozilla's (or the bundle named by `REQUESTS_CA_BUNDLE`/`CURL_CA_BUNDLE`, as requests
/// does), `false` does not verify at all (requests' `verify=False`: the connection is then open
/// to interception). Replaces a CA bundle set before.
///
/// Results: `OK`, `INVALID_ARGUMENT` (`request` NULL or already sent).
///
/// # Safety
///
/// `request` must be NULL or a live request from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_http_request_set_verify(
    request: *mut pyaot_http_request,
    verify: bool,
) -> pyaot_http_result {
    // SAFETY: the caller's promise, passed on.
    unsafe {
        change(request, |r| {
            r.set_verify(if verify { Verify::Default } else { Verify::Disabled });
            Ok(())
        })
    }
}

/// Verifies certificates against the PEM file (or every PEM file in the folder) at `path`
/// (UTF-8, `path_len` bytes) instead of the default roots, as requests' `verify="/path"`.
///
/// The file is read when the request is sent: one that cannot be read or holds no certificate
/// is `INVALID_CONFIG` then. Results: `OK`, `INVALID_ARGUMENT` (a NULL pointer or a request
/// already sent), `INVALID_UTF8`.
///
/// # Safety
///
/// `request` must be NULL or a live request from this library; `path` valid for reads of
/// `path_len` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_http_request_set_ca_bundle(
    request: *mut pyaot_http_request,
    path: *const u8,
    path_len: usize,
) -> pyaot_http_result {
    // SAFETY: the caller's promises, passed on.
    unsafe {
        change(request, |r| {
            r.set_verify(Verify::CaBundle(PathBuf::from(text_arg(path, path_len)?)));
            Ok(())
        })
    }
}

/// Frees a request, sent or not; NULL does nothing.
///
/// # Safety
///
/// `request` must be NULL or a request from this library that was not freed yet.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_http_request_free(request: *mut pyaot_http_request) {
    guard((), || {
        if !request.is_null() {
            // SAFETY: a request is a `Box` leaked by `pyaot_http_request_new`, freed once (the
            // caller's promise).
            drop(unsafe { Box::from_raw(request) });
        }
    });
}

#[cfg(test)]
mod tests {
    use std::ptr;

    use super::*;

    /// A new request for `url`.
    fn new(url: &str) -> *mut pyaot_http_request {
        let mut request = ptr::null_mut();
        // SAFETY: valid text and out-pointer.
        let result = unsafe { pyaot_http_request_new(b"get".as_ptr(), 3, url.as_ptr(), url.len(), &mut request) };
        assert_eq!(result, pyaot_http_result::Ok);
        request
    }

    #[test]
    fn setters_change_the_request_until_it_is_sent() {
        let request = new("http://example.org/");
        let ok = pyaot_http_result::Ok;
        // SAFETY: `request` is live until freed; the text arguments are valid for their lengths.
        unsafe {
            assert_eq!(pyaot_http_request_set_header(request, b"X-A".as_ptr(), 3, b"1".as_ptr(), 1), ok);
            assert_eq!(pyaot_http_request_add_query_param(request, b"q".as_ptr(), 1, b"a b".as_ptr(), 3), ok);
            assert_eq!(pyaot_http_request_add_raw_query(request, b"x=1".as_ptr(), 3), ok);
            assert_eq!(pyaot_http_request_set_body(request, ptr::null(), 0), ok);
            assert_eq!(pyaot_http_request_set_body(request, b"abc".as_ptr(), 3), ok);
            assert_eq!(pyaot_http_request_set_basic_auth(request, b"u".as_ptr(), 1, b"p".as_ptr(), 1), ok);
            assert_eq!(pyaot_http_request_set_timeouts(request, 1000, PYAOT_HTTP_NO_TIMEOUT), ok);
            assert_eq!(pyaot_http_request_set_allow_redirects(request, false), ok);
            assert_eq!(pyaot_http_request_set_max_redirects(request, 3), ok);
            assert_eq!(pyaot_http_request_set_stream(request, true), ok);
            assert_eq!(pyaot_http_request_set_verify(request, false), ok);
            assert_eq!(pyaot_http_request_set_ca_bundle(request, b"/ca.pem".as_ptr(), 7), ok);

            // What each setter does to the request is checked end to end by the C test
            // (ctest/test_http.c), against a server that echoes requests back.
            assert!((*request).take().is_ok());
            let refused = pyaot_http_result::InvalidArgument;
            assert_eq!(pyaot_http_request_set_stream(request, true), refused);
            assert!((*request).take().is_err());
            pyaot_http_request_free(request);
        }
    }

    #[test]
    fn bad_arguments_are_refused() {
        let request = new("http://example.org/");
        let (refused, utf8) = (pyaot_http_result::InvalidArgument, pyaot_http_result::InvalidUtf8);
        let mut out = ptr::null_mut();
        // SAFETY: NULL where NULL is being tested; otherwise valid pointers and lengths.
        unsafe {
            assert_eq!(pyaot_http_request_new(ptr::null(), 0, b"u".as_ptr(), 1, &mut out), refused);
            assert_eq!(pyaot_http_request_new(b"GET".as_ptr(), 3, ptr::null(), 0, &mut out), refused);
            assert_eq!(pyaot_http_request_new(b"GET".as_ptr(), 3, b"u".as_ptr(), 1, ptr::null_mut()), refused);
            assert_eq!(pyaot_http_request_new(b"GET".as_ptr(), 3, b"\xff".as_ptr(), 1, &mut out), utf8);
            assert!(out.is_null());
            assert_eq!(pyaot_http_request_set_header(ptr::null_mut(), b"a".as_ptr(), 1, b"b".as_ptr(), 1), refused);
            assert_eq!(pyaot_http_request_set_header(request, b"a".as_ptr(), 1, ptr::null(), 0), refused);
            assert_eq!(pyaot_http_request_set_header(request, b"a".as_ptr(), 1, b"\xc3".as_ptr(), 1), utf8);
            assert_eq!(pyaot_http_request_set_body(request, ptr::null(), 1), refused);
            assert_eq!(pyaot_http_request_set_timeouts(ptr::null_mut(), 1, 1), refused);
            pyaot_http_request_free(request);
            pyaot_http_request_free(ptr::null_mut());
        }
    }
}
