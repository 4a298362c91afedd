//! `pyaot_http_client`: settings and connection pools, and sending a request.

use pyaot_http::Client;

use crate::error::{Failure, pyaot_http_error};
use crate::jar::{jar_arg, pyaot_http_jar};
use crate::request::pyaot_http_request;
use crate::response::{pyaot_http_response, write_response};
use crate::{guard, pyaot_http_result, required, run};

/// A client: default settings (10 s connect and 60 s read timeouts, at most 30 redirects,
/// certificates verified against the system's and Mozilla's roots, proxies from
/// `HTTP_PROXY`/`HTTPS_PROXY`/`ALL_PROXY`/`NO_PROXY`) and connection pools, shared by every
/// request sent with it. It may be used from several threads at once.
pub struct pyaot_http_client {
    client: Client,
}

/// A new client with the default settings; free it with `pyaot_http_client_free`. NULL only
/// if a panic was caught (a bug).
#[unsafe(no_mangle)]
pub extern "C" fn pyaot_http_client_new() -> *mut pyaot_http_client {
    guard(std::ptr::null_mut(), || Box::into_raw(Box::new(pyaot_http_client { client: Client::new() })))
}

/// Frees a client and its idle connections; NULL does nothing. Responses it returned stay
/// valid.
///
/// # Safety
///
/// `client` must be NULL or a client from this library that was not freed yet, and no other
/// thread may be using it.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_http_client_free(client: *mut pyaot_http_client) {
    guard((), || {
        if !client.is_null() {
            // SAFETY: a client is a `Box` leaked by `pyaot_http_client_new`, freed once (the
            // caller's promise).
            drop(unsafe { Box::from_raw(client) });
        }
    });
}

/// Sends `request` with `client`, as requests' `session.send(request)`: redirects followed as
/// requests follows them (unless turned off), cookies from `jar` sent and cookies the
/// responses set stored in it (`jar` may be NULL: cookies then still carry along one redirect
/// chain), the body read and decoded (gzip, deflate, brotli) before returning unless the
/// request asked to stream it. A status of 4xx or 5xx is a response, not an error.
///
/// A request is sent once: the handle is spent whether or not sending succeeds (sending it
/// again, or changing it, gives `INVALID_ARGUMENT`), and must still be freed with
/// `pyaot_http_request_free`.
///
/// On success writes a new response to `*response_out` (free it with
/// `pyaot_http_response_free`). Other results: `INVALID_ARGUMENT` (`client`, `request` or
/// `response_out` NULL, or the request already sent); an HTTP error code such as
/// `MISSING_SCHEMA`, `INVALID_URL`, `INVALID_HEADER`, `CONNECTION`, `TLS`, `CONNECT_TIMEOUT`,
/// `READ_TIMEOUT`, `TOO_MANY_REDIRECTS`, `CONTENT_DECODING` or `INVALID_CONFIG`, with an error
/// written to `*error_out` unless `error_out` is NULL.
///
/// # Safety
///
/// `client` and `jar` must be NULL or live objects from this library; `request` NULL or a live
/// request not used by another thread; `response_out` and `error_out` NULL or valid for writing
/// a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_http_client_send(
    client: *const pyaot_http_client,
    request: *mut pyaot_http_request,
    jar: *const pyaot_http_jar,
    response_out: *mut *mut pyaot_http_response,
    error_out: *mut *mut pyaot_http_error,
) -> pyaot_http_result {
    // SAFETY: the caller's promises, passed on.
    unsafe {
        run(error_out, || {
            let out = required(response_out)?;
            let client = &client.as_ref().ok_or(Failure::Argument)?.client;
            let jar = if jar.is_null() { None } else { Some(jar_arg(jar)?) };
            let request = request.as_mut().ok_or(Failure::Argument)?.take()?;
            write_response(out, client.execute(request, jar)?);
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use std::ptr;

    use super::*;
    use crate::{pyaot_http_request_free, pyaot_http_request_new};

    #[test]
    fn null_arguments_are_refused() {
        let client = pyaot_http_client_new();
        let mut request = ptr::null_mut();
        let mut response = ptr::null_mut();
        let mut error = ptr::null_mut();
        // SAFETY: valid objects and out-pointers, or NULL where NULL is being tested.
        unsafe {
            let url = "http://127.0.0.1:9/";
            assert_eq!(
                pyaot_http_request_new(b"GET".as_ptr(), 3, url.as_ptr(), url.len(), &mut request),
                pyaot_http_result::Ok
            );
            let refused = pyaot_http_result::InvalidArgument;
            assert_eq!(pyaot_http_client_send(ptr::null(), request, ptr::null(), &mut response, &mut error), refused);
            assert_eq!(
                pyaot_http_client_send(client, ptr::null_mut(), ptr::null(), &mut response, &mut error),
                refused
            );
            assert_eq!(pyaot_http_client_send(client, request, ptr::null(), ptr::null_mut(), &mut error), refused);
            assert!(response.is_null() && error.is_null());
            pyaot_http_request_free(request);
            pyaot_http_client_free(client);
            pyaot_http_client_free(ptr::null_mut());
        }
    }
}
