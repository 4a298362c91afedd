//! `pyaot_json_buffer`: output bytes owned by the caller.

use crate::{bytes_ptr, guard};

/// Output bytes (the JSON text written by `pyaot_json_value_serialize`, `pyaot_json_minify` or
/// `pyaot_json_pretty_print`): UTF-8, or Python UTF-8 when a string with a lone surrogate was
/// written with `ensure_ascii` off.
///
/// The data is followed by a NUL byte that the length does not count, so it can be printed as
/// a C string (JSON output escapes every control character in strings, so the data itself holds
/// no NUL unless an indent or separator you set does).
pub struct pyaot_json_buffer {
    /// The output followed by one NUL byte.
    bytes: Box<[u8]>,
}

impl pyaot_json_buffer {
    /// A new buffer holding `bytes`, leaked for C.
    pub(crate) fn new_raw(mut bytes: Vec<u8>) -> *mut pyaot_json_buffer {
        bytes.push(0);
        Box::into_raw(Box::new(pyaot_json_buffer { bytes: bytes.into_boxed_slice() }))
    }

    /// The output, without the trailing NUL.
    pub(crate) fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.bytes.len() - 1]
    }
}

/// The first byte of the buffer's data (NUL-terminated, see `pyaot_json_buffer`), valid until
/// the buffer is freed; NULL for NULL.
///
/// # Safety
///
/// `buffer` must be NULL or a live buffer from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_json_buffer_get_data(buffer: *const pyaot_json_buffer) -> *const u8 {
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
pub unsafe extern "C" fn pyaot_json_buffer_get_len(buffer: *const pyaot_json_buffer) -> usize {
    guard(0, || {
        // SAFETY: the caller promises NULL or a live buffer.
        unsafe { buffer.as_ref() }.map_or(0, |b| b.as_bytes().len())
    })
}

/// Frees a buffer; NULL does nothing.
///
/// # Safety
///
/// `buffer` must be NULL or a buffer from this library that was not freed yet.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_json_buffer_free(buffer: *mut pyaot_json_buffer) {
    guard((), || {
        if !buffer.is_null() {
            // SAFETY: a buffer is a `Box` leaked by `new_raw`, freed once (the caller's promise).
            drop(unsafe { Box::from_raw(buffer) });
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_buffer_is_nul_terminated_and_its_length_excludes_the_nul() {
        let buffer = pyaot_json_buffer::new_raw(b"[1]".to_vec());
        // SAFETY: `buffer` is live until freed at the end; NULL is allowed.
        unsafe {
            assert_eq!(pyaot_json_buffer_get_len(buffer), 3);
            let data = pyaot_json_buffer_get_data(buffer);
            assert_eq!(std::slice::from_raw_parts(data, 4), b"[1]\0");
            assert!(pyaot_json_buffer_get_data(std::ptr::null()).is_null());
            assert_eq!(pyaot_json_buffer_get_len(std::ptr::null()), 0);
            pyaot_json_buffer_free(buffer);
            pyaot_json_buffer_free(std::ptr::null_mut());
        }
    }
}
