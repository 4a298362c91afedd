//! `pyaot_http_jar`: cookies kept across requests.

use pyaot_http::Jar;

use crate::error::Failure;
use crate::guard;

/// A cookie jar, as a requests `Session` keeps one: pass it to `pyaot_http_client_send` to send
/// the cookies it holds that match the request (by `http.cookiejar`'s domain, path, secure and
/// expiry rules) and to store the cookies responses set. It may be used from several threads at
/// once.
pub struct pyaot_http_jar {
    jar: Jar,
}

/// The jar behind `jar` ([`Failure::Argument`] for NULL).
///
/// # Safety
///
/// `jar` must be NULL or a live jar from this library, for `'a`.
pub(crate) unsafe fn jar_arg<'a>(jar: *const pyaot_http_jar) -> Result<&'a Jar, Failure> {
    // SAFETY: the caller promises NULL or a live jar.
    unsafe { jar.as_ref() }.map(|j| &j.jar).ok_or(Failure::Argument)
}

/// A new, empty jar; free it with `pyaot_http_jar_free`. NULL only if a panic was caught (a
/// bug).
#[unsafe(no_mangle)]
pub extern "C" fn pyaot_http_jar_new() -> *mut pyaot_http_jar {
    guard(std::ptr::null_mut(), || Box::into_raw(Box::new(pyaot_http_jar { jar: Jar::new() })))
}

/// The number of cookies in the jar (counting those that expired after they were stored); 0
/// for NULL.
///
/// # Safety
///
/// `jar` must be NULL or a live jar from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_http_jar_get_len(jar: *const pyaot_http_jar) -> usize {
    // SAFETY: the caller's promise.
    guard(0, || unsafe { jar_arg(jar) }.map_or(0, Jar::len))
}

/// Frees a jar; NULL does nothing.
///
/// # Safety
///
/// `jar` must be NULL or a jar from this library that was not freed yet, and no other thread
/// may be using it.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_http_jar_free(jar: *mut pyaot_http_jar) {
    guard((), || {
        if !jar.is_null() {
            // SAFETY: a jar is a `Box` leaked by `pyaot_http_jar_new`, freed once (the caller's
            // promise).
            drop(unsafe { Box::from_raw(jar) });
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_jar_is_empty() {
        let jar = pyaot_http_jar_new();
        // SAFETY: `jar` is live until freed; NULL is allowed.
        unsafe {
            assert_eq!(pyaot_http_jar_get_len(jar), 0);
            assert_eq!(pyaot_http_jar_get_len(std::ptr::null()), 0);
            pyaot_http_jar_free(jar);
            pyaot_http_jar_free(std::ptr::null_mut());
        }
    }
}
