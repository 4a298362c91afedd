//! `pyaot_tokenizer_bytes`: output bytes owned by the caller.

use crate::{bytes_ptr, guard};

/// Output bytes (decoded tokens): UTF-8 from `pyaot_tokenizer_encoding_decode`, any bytes from
/// `pyaot_tokenizer_encoding_decode_bytes`.
///
/// The data is followed by a NUL byte that the length does not count, so that text can be
/// printed as a C string (the data itself may hold NUL bytes: a token can be the byte 0).
pub struct pyaot_tokenizer_bytes {
    /// The output followed by one NUL byte.
    bytes: Box<[u8]>,
}

impl pyaot_tokenizer_bytes {
    /// New bytes holding `bytes`, leaked for C.
    pub(crate) fn new_raw(mut bytes: Vec<u8>) -> *mut pyaot_tokenizer_bytes {
        bytes.push(0);
        Box::into_raw(Box::new(pyaot_tokenizer_bytes { bytes: bytes.into_boxed_slice() }))
    }

    /// The output, without the trailing NUL.
    pub(crate) fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.bytes.len() - 1]
    }
}

/// The first byte of the data (NUL-terminated, see `pyaot_tokenizer_bytes`), valid until the
/// bytes are freed; NULL for NULL.
///
/// # Safety
///
/// `bytes` must be NULL or live bytes from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_tokenizer_bytes_get_data(bytes: *const pyaot_tokenizer_bytes) -> *const u8 {
    guard(std::ptr::null(), || {
        // SAFETY: the caller promises NULL or live bytes.
        unsafe { bytes.as_ref() }.map_or(std::ptr::null(), |b| bytes_ptr(&b.bytes))
    })
}

/// The length of the data in bytes, without the trailing NUL; 0 for NULL.
///
/// # Safety
///
/// `bytes` must be NULL or live bytes from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_tokenizer_bytes_get_len(bytes: *const pyaot_tokenizer_bytes) -> usize {
    guard(0, || {
        // SAFETY: the caller promises NULL or live bytes.
        unsafe { bytes.as_ref() }.map_or(0, |b| b.as_bytes().len())
    })
}

/// Frees bytes; NULL does nothing.
///
/// # Safety
///
/// `bytes` must be NULL or bytes from this library that were not freed yet.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_tokenizer_bytes_free(bytes: *mut pyaot_tokenizer_bytes) {
    guard((), || {
        if !bytes.is_null() {
            // SAFETY: bytes are a `Box` leaked by `new_raw`, freed once (the caller's promise).
            drop(unsafe { Box::from_raw(bytes) });
        }
    });
}

#[cfg(test)]
mod tests {
    use std::ptr;

    use super::*;

    #[test]
    fn bytes_are_nul_terminated_and_their_length_excludes_the_nul() {
        let bytes = pyaot_tokenizer_bytes::new_raw(b"hi\0".to_vec());
        // SAFETY: `bytes` is live until freed at the end; NULL is allowed.
        unsafe {
            assert_eq!(pyaot_tokenizer_bytes_get_len(bytes), 3);
            assert_eq!(std::slice::from_raw_parts(pyaot_tokenizer_bytes_get_data(bytes), 4), b"hi\0\0");
            assert!(pyaot_tokenizer_bytes_get_data(ptr::null()).is_null());
            assert_eq!(pyaot_tokenizer_bytes_get_len(ptr::null()), 0);
            pyaot_tokenizer_bytes_free(bytes);
            pyaot_tokenizer_bytes_free(ptr::null_mut());
        }
    }
}
