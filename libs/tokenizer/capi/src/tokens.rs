//! `pyaot_tokenizer_tokens`: token ids owned by the caller.

use crate::guard;

/// Token ids (`uint32_t`), the output of the encoding functions; read them with
/// `pyaot_tokenizer_tokens_get_data` and `pyaot_tokenizer_tokens_get_len`.
pub struct pyaot_tokenizer_tokens {
    tokens: Box<[u32]>,
}

impl pyaot_tokenizer_tokens {
    /// New tokens holding `tokens`, leaked for C.
    pub(crate) fn new_raw(tokens: Vec<u32>) -> *mut pyaot_tokenizer_tokens {
        Box::into_raw(Box::new(pyaot_tokenizer_tokens { tokens: tokens.into_boxed_slice() }))
    }

    /// The token ids.
    #[cfg(test)]
    pub(crate) fn as_slice(&self) -> &[u32] {
        &self.tokens
    }
}

/// The first token id (never NULL for live tokens, even when there are none), valid until the
/// tokens are freed; NULL for NULL.
///
/// # Safety
///
/// `tokens` must be NULL or live tokens from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_tokenizer_tokens_get_data(tokens: *const pyaot_tokenizer_tokens) -> *const u32 {
    static EMPTY: [u32; 1] = [0];
    guard(std::ptr::null(), || {
        // SAFETY: the caller promises NULL or live tokens.
        unsafe { tokens.as_ref() }.map_or(std::ptr::null(), |t| {
            // Rust's empty slices may point at a dangling address, which C must not receive.
            if t.tokens.is_empty() { EMPTY.as_ptr() } else { t.tokens.as_ptr() }
        })
    })
}

/// The number of token ids; 0 for NULL.
///
/// # Safety
///
/// `tokens` must be NULL or live tokens from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_tokenizer_tokens_get_len(tokens: *const pyaot_tokenizer_tokens) -> usize {
    guard(0, || {
        // SAFETY: the caller promises NULL or live tokens.
        unsafe { tokens.as_ref() }.map_or(0, |t| t.tokens.len())
    })
}

/// Frees tokens; NULL does nothing.
///
/// # Safety
///
/// `tokens` must be NULL or tokens from this library that were not freed yet.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_tokenizer_tokens_free(tokens: *mut pyaot_tokenizer_tokens) {
    guard((), || {
        if !tokens.is_null() {
            // SAFETY: tokens are a `Box` leaked by `new_raw`, freed once (the caller's promise).
            drop(unsafe { Box::from_raw(tokens) });
        }
    });
}

#[cfg(test)]
mod tests {
    use std::ptr;

    use super::*;

    #[test]
    fn tokens_expose_their_ids() {
        let tokens = pyaot_tokenizer_tokens::new_raw(vec![15339, 1917]);
        let empty = pyaot_tokenizer_tokens::new_raw(Vec::new());
        // SAFETY: both are live until freed at the end; NULL is allowed.
        unsafe {
            assert_eq!(pyaot_tokenizer_tokens_get_len(tokens), 2);
            assert_eq!(std::slice::from_raw_parts(pyaot_tokenizer_tokens_get_data(tokens), 2), [15339, 1917]);
            assert_eq!(pyaot_tokenizer_tokens_get_len(empty), 0);
            assert!(!pyaot_tokenizer_tokens_get_data(empty).is_null());
            assert!(pyaot_tokenizer_tokens_get_data(ptr::null()).is_null());
            assert_eq!(pyaot_tokenizer_tokens_get_len(ptr::null()), 0);
            pyaot_tokenizer_tokens_free(tokens);
            pyaot_tokenizer_tokens_free(empty);
            pyaot_tokenizer_tokens_free(ptr::null_mut());
        }
    }
}
