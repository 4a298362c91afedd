//! `pyaot_re_sub` and the `pyaot_re_buffer` it returns.

use std::ffi::c_char;

use crate::error::Failure;
use crate::{bytes_ptr, guard, input, pyaot_re_error, pyaot_re_regex, run};

/// Output bytes owned by the caller (the text `pyaot_re_sub` makes): UTF-8 for a str pattern.
/// The data is followed by a NUL byte that the length does not count, so it can be printed as
/// a C string when the text itself holds no NUL.
pub struct pyaot_re_buffer {
    /// The output followed by one NUL byte.
    bytes: Box<[u8]>,
}

/// `Pattern.subn(template, haystack, count)`: `haystack` with its first `count` matches (0 for
/// all) replaced by the expansion of `template` (`\1`, `\g<name>`, `\g<0>`, escapes such as
/// `\n`, as Python reads a replacement string). Returns a new buffer, and the number of
/// replacements through `n_out` (may be NULL); NULL with `*err` set (when `err` is not NULL)
/// for an invalid template (kind `PYAOT_RE_ERROR_KIND_ERROR` with CPython's message and
/// position, or `..._INDEX_ERROR` for an unknown group name), text that is not UTF-8 for a str
/// pattern, a NULL argument, or the step limit. Free the buffer with `pyaot_re_buffer_free`.
///
/// # Safety
///
/// `regex` must be NULL or a live pattern; `haystack` and `template` must each be NULL or valid
/// for reads of `len` and `template_len` bytes; `n_out` and `err` must each be NULL or valid
/// for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_re_sub(
    regex: *const pyaot_re_regex,
    haystack: *const c_char,
    len: usize,
    template: *const c_char,
    template_len: usize,
    count: usize,
    n_out: *mut usize,
    err: *mut *mut pyaot_re_error,
) -> *mut pyaot_re_buffer {
    // SAFETY: the caller's promises about every pointer.
    unsafe {
        run(err, std::ptr::null_mut(), || {
            let regex = pyaot_re_regex::get(regex)?;
            let haystack = input(haystack, len, "haystack")?;
            regex.check_text(haystack, "haystack")?;
            let template = input(template, template_len, "template")?;
            let points: Vec<u32> = if regex.regex.is_bytes() {
                template.iter().map(|&b| u32::from(b)).collect()
            } else {
                let text = std::str::from_utf8(template).map_err(|_| Failure::utf8("template"))?;
                text.chars().map(u32::from).collect()
            };
            let items = regex.regex.template(&points)?;
            let (mut out, n) = regex.regex.replace_raw(haystack, &items, count)?;
            if !n_out.is_null() {
                *n_out = n;
            }
            out.push(0);
            Ok(Box::into_raw(Box::new(pyaot_re_buffer { bytes: out.into_boxed_slice() })))
        })
    }
}

/// The first byte of the buffer's data (NUL-terminated, see `pyaot_re_buffer`), valid until the
/// buffer is freed; NULL for NULL.
///
/// # Safety
///
/// `buffer` must be NULL or a live buffer from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_re_buffer_get_data(buffer: *const pyaot_re_buffer) -> *const c_char {
    guard(std::ptr::null(), || {
        // SAFETY: the caller promises NULL or a live buffer.
        unsafe { buffer.as_ref() }.map_or(std::ptr::null(), |b| bytes_ptr(&b.bytes))
    })
}

/// The length of the buffer's data in bytes, without the trailing NUL; 0 for NULL.
///
/// # Safety
///
/// `buffer` must be NULL or a live buffer from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_re_buffer_get_len(buffer: *const pyaot_re_buffer) -> usize {
    // SAFETY: the caller promises NULL or a live buffer.
    guard(0, || unsafe { buffer.as_ref() }.map_or(0, |b| b.bytes.len() - 1))
}

/// Frees a buffer; NULL does nothing.
///
/// # Safety
///
/// `buffer` must be NULL or a buffer from this library that was not freed yet.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_re_buffer_free(buffer: *mut pyaot_re_buffer) {
    guard((), || {
        if !buffer.is_null() {
            // SAFETY: a buffer is a `Box` leaked by `pyaot_re_sub`, freed once (the caller's
            // promise).
            drop(unsafe { Box::from_raw(buffer) });
        }
    });
}

#[cfg(test)]
mod tests {
    use std::ptr;

    use super::*;
    use crate::error::pyaot_re_error_kind as Kind;
    use crate::{
        pyaot_re_compile, pyaot_re_compile_bytes, pyaot_re_error_free, pyaot_re_error_get_kind,
        pyaot_re_error_get_position, pyaot_re_free,
    };

    /// `re.subn(pattern, template, text, count)` through the C API, or the error's kind and
    /// position.
    fn subn(
        pattern: &[u8],
        bytes: bool,
        template: &[u8],
        text: &[u8],
        count: usize,
    ) -> Result<(Vec<u8>, usize), (Kind, i64)> {
        // SAFETY: valid buffers and out-pointers; everything made is freed.
        unsafe {
            let compile = if bytes { pyaot_re_compile_bytes } else { pyaot_re_compile };
            let regex = compile(pattern.as_ptr().cast(), pattern.len(), 0, ptr::null_mut());
            assert!(!regex.is_null());
            let (mut n, mut error) = (0, ptr::null_mut());
            let buffer = pyaot_re_sub(
                regex,
                text.as_ptr().cast(),
                text.len(),
                template.as_ptr().cast(),
                template.len(),
                count,
                &mut n,
                &mut error,
            );
            pyaot_re_free(regex);
            if buffer.is_null() {
                let answer = (pyaot_re_error_get_kind(error), pyaot_re_error_get_position(error));
                pyaot_re_error_free(error);
                return Err(answer);
            }
            let data = std::slice::from_raw_parts(
                pyaot_re_buffer_get_data(buffer).cast::<u8>(),
                pyaot_re_buffer_get_len(buffer) + 1,
            );
            assert_eq!(data.last(), Some(&0));
            let out = data[..data.len() - 1].to_vec();
            pyaot_re_buffer_free(buffer);
            Ok((out, n))
        }
    }

    #[test]
    fn sub_expands_templates_with_python_rules() {
        assert_eq!(subn(b"(?P<d>\\d)", false, b"<\\g<d>\\1>", b"a1b22", 0), Ok((b"a<11>b<22><22>".to_vec(), 3)));
        assert_eq!(subn(b"x*", false, b"-", b"abxd", 0), Ok((b"-a-b--d-".to_vec(), 5)));
        assert_eq!(subn(b"a", false, b"b", b"aaa", 2), Ok((b"bba".to_vec(), 2)));
        assert_eq!(subn(b"\xff", true, b"\\n\xfe", b"a\xff", 0), Ok((b"a\n\xfe".to_vec(), 1)));
    }

    #[test]
    fn bad_templates_are_errors() {
        assert_eq!(subn(b"a", false, b"\\g<x>", b"a", 0), Err((Kind::IndexError, -1)));
        assert_eq!(subn(b"a", false, b"x\\2", b"a", 0), Err((Kind::Error, 2)));
        assert_eq!(subn(b"a", false, b"\xff", b"a", 0), Err((Kind::InvalidUtf8, -1)));
    }

    #[test]
    fn a_null_buffer_gives_neutral_answers() {
        // SAFETY: NULL is allowed.
        unsafe {
            assert!(pyaot_re_buffer_get_data(ptr::null()).is_null());
            assert_eq!(pyaot_re_buffer_get_len(ptr::null()), 0);
            pyaot_re_buffer_free(ptr::null_mut());
        }
    }
}
