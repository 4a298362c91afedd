//! Decoding tokens to bytes or text.

use pyaot_tokenizer::Encoding;

use crate::bytes::pyaot_tokenizer_bytes;
use crate::encoding::{encoding_arg, pyaot_tokenizer_encoding};
use crate::error::{Failure, pyaot_tokenizer_error};
use crate::{bytes_ptr, input_array, pyaot_tokenizer_result, required, run};

/// The body shared by the two decoders: checks the arguments, decodes with `decode` and writes
/// the bytes.
///
/// # Safety
///
/// As `pyaot_tokenizer_encoding_decode`.
unsafe fn decode_with(
    encoding: *const pyaot_tokenizer_encoding,
    tokens: *const u32,
    len: usize,
    bytes_out: *mut *mut pyaot_tokenizer_bytes,
    error_out: *mut *mut pyaot_tokenizer_error,
    decode: impl FnOnce(&Encoding, &[u32]) -> Result<Vec<u8>, pyaot_tokenizer::Error>,
) -> pyaot_tokenizer_result {
    // SAFETY: the caller's promises, passed on.
    unsafe {
        run(error_out, || {
            let out = required(bytes_out)?;
            let encoding = encoding_arg(encoding)?;
            let tokens = input_array(tokens, len)?;
            out.write(pyaot_tokenizer_bytes::new_raw(decode(encoding, tokens)?));
            Ok(())
        })
    }
}

/// The bytes of the `len` tokens at `tokens` (mergeable or special) concatenated, which need
/// not be UTF-8 (tiktoken's `decode_bytes`).
///
/// On success writes new bytes to `*bytes_out` (free them with `pyaot_tokenizer_bytes_free`).
/// Other results: `INVALID_ARGUMENT` (a required pointer NULL; `tokens` may be NULL when `len`
/// is 0), `UNKNOWN_TOKEN` (message `"Invalid token for decoding: <id>"`); on the latter,
/// `*error_out` receives an error unless `error_out` is NULL.
///
/// # Safety
///
/// `encoding` must be NULL or a live encoding from this library; `tokens` NULL or valid for
/// reads of `len` ids; `bytes_out` and `error_out` NULL or valid for writing a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_tokenizer_encoding_decode_bytes(
    encoding: *const pyaot_tokenizer_encoding,
    tokens: *const u32,
    len: usize,
    bytes_out: *mut *mut pyaot_tokenizer_bytes,
    error_out: *mut *mut pyaot_tokenizer_error,
) -> pyaot_tokenizer_result {
    // SAFETY: the caller's promises, passed on.
    unsafe { decode_with(encoding, tokens, len, bytes_out, error_out, Encoding::decode_bytes) }
}

/// The text of the `len` tokens at `tokens`, as UTF-8 in which every invalid sequence is
/// replaced by U+FFFD (tiktoken's `decode`, with its default `errors="replace"`).
///
/// On success writes new bytes to `*bytes_out` (free them with `pyaot_tokenizer_bytes_free`);
/// they are NUL-terminated, so text without NUL prints as a C string. Other results: as
/// `pyaot_tokenizer_encoding_decode_bytes`.
///
/// # Safety
///
/// `encoding` must be NULL or a live encoding from this library; `tokens` NULL or valid for
/// reads of `len` ids; `bytes_out` and `error_out` NULL or valid for writing a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_tokenizer_encoding_decode(
    encoding: *const pyaot_tokenizer_encoding,
    tokens: *const u32,
    len: usize,
    bytes_out: *mut *mut pyaot_tokenizer_bytes,
    error_out: *mut *mut pyaot_tokenizer_error,
) -> pyaot_tokenizer_result {
    let decode = |encoding: &Encoding, tokens: &[u32]| encoding.decode(tokens).map(String::into_bytes);
    // SAFETY: the caller's promises, passed on.
    unsafe { decode_with(encoding, tokens, len, bytes_out, error_out, decode) }
}

/// The bytes of one token, mergeable or special (tiktoken's `decode_single_token_bytes`),
/// without copying: writes a pointer to them (not NUL-terminated, valid until the encoding is
/// freed, forever for a built-in) to `*data_out` and their number to `*len_out`.
///
/// Other results: `INVALID_ARGUMENT` (a NULL pointer), `UNKNOWN_TOKEN`; on the latter,
/// `*error_out` receives an error unless `error_out` is NULL.
///
/// # Safety
///
/// `encoding` must be NULL or a live encoding from this library; `data_out` and `len_out` NULL
/// or valid for a write; `error_out` NULL or valid for writing a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_tokenizer_encoding_token_bytes(
    encoding: *const pyaot_tokenizer_encoding,
    token: u32,
    data_out: *mut *const u8,
    len_out: *mut usize,
    error_out: *mut *mut pyaot_tokenizer_error,
) -> pyaot_tokenizer_result {
    // SAFETY: the caller's promises, passed on.
    unsafe {
        run(error_out, || {
            let (data_out, len_out) = (required(data_out)?, required(len_out)?);
            let bytes = encoding_arg(encoding)?.token_bytes(token).map_err(Failure::from)?;
            data_out.write(bytes_ptr(bytes));
            len_out.write(bytes.len());
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use std::ffi::CStr;
    use std::ptr;

    use super::*;
    use crate::encoding::tests::get;
    use crate::{pyaot_tokenizer_bytes_free, pyaot_tokenizer_error_free, pyaot_tokenizer_error_get_message};

    type Decoder = unsafe extern "C" fn(
        *const pyaot_tokenizer_encoding,
        *const u32,
        usize,
        *mut *mut pyaot_tokenizer_bytes,
        *mut *mut pyaot_tokenizer_error,
    ) -> pyaot_tokenizer_result;

    /// Runs `decoder` on `tokens` with cl100k_base, returning the bytes or the result and message.
    fn run_decode(decoder: Decoder, tokens: &[u32]) -> Result<Vec<u8>, (pyaot_tokenizer_result, String)> {
        let (mut bytes, mut error) = (ptr::null_mut(), ptr::null_mut());
        // SAFETY: valid arguments; the outputs are freed once.
        unsafe {
            let result = decoder(get("cl100k_base"), tokens.as_ptr(), tokens.len(), &mut bytes, &mut error);
            if result == pyaot_tokenizer_result::Ok {
                let out = (*bytes).as_bytes().to_vec();
                pyaot_tokenizer_bytes_free(bytes);
                return Ok(out);
            }
            assert!(bytes.is_null());
            let message = CStr::from_ptr(pyaot_tokenizer_error_get_message(error)).to_str().unwrap().to_owned();
            pyaot_tokenizer_error_free(error);
            Err((result, message))
        }
    }

    #[test]
    fn decoding_gives_bytes_or_replaced_text() {
        let decode = pyaot_tokenizer_encoding_decode as Decoder;
        let decode_bytes = pyaot_tokenizer_encoding_decode_bytes as Decoder;
        assert_eq!(run_decode(decode, &[15339, 220, 100257]), Ok(b"hello <|endoftext|>".to_vec()));
        assert_eq!(run_decode(decode_bytes, &[9468, 239]), Ok(b"\xf0\x9f\x91".to_vec()));
        assert_eq!(run_decode(decode, &[9468, 239]), Ok("\u{fffd}".as_bytes().to_vec()));
        assert_eq!(run_decode(decode, &[]), Ok(Vec::new()));
        let unknown = (pyaot_tokenizer_result::UnknownToken, "Invalid token for decoding: 100256".to_owned());
        assert_eq!(run_decode(decode, &[15339, 100256]), Err(unknown.clone()));
        assert_eq!(run_decode(decode_bytes, &[100256]), Err(unknown));
    }

    #[test]
    fn token_bytes_are_borrowed_from_the_encoding() {
        let (mut data, mut len, mut error) = (ptr::null(), 0, ptr::null_mut());
        // SAFETY: valid arguments; the error is freed once.
        unsafe {
            let result =
                pyaot_tokenizer_encoding_token_bytes(get("cl100k_base"), 15339, &mut data, &mut len, &mut error);
            assert_eq!(result, pyaot_tokenizer_result::Ok);
            assert_eq!(std::slice::from_raw_parts(data, len), b"hello");
            let result =
                pyaot_tokenizer_encoding_token_bytes(get("cl100k_base"), 100276, &mut data, &mut len, &mut error);
            assert_eq!(result, pyaot_tokenizer_result::Ok);
            assert_eq!(std::slice::from_raw_parts(data, len), b"<|endofprompt|>");
            let result =
                pyaot_tokenizer_encoding_token_bytes(get("cl100k_base"), u32::MAX, &mut data, &mut len, &mut error);
            assert_eq!(result, pyaot_tokenizer_result::UnknownToken);
            assert_eq!(len, 15);
            assert_eq!(
                CStr::from_ptr(pyaot_tokenizer_error_get_message(error)).to_str(),
                Ok("Invalid token for decoding: 4294967295")
            );
            pyaot_tokenizer_error_free(error);
        }
    }

    #[test]
    fn null_arguments_are_rejected() {
        let cl100k = get("cl100k_base");
        let (mut bytes, mut error, mut data, mut len) = (ptr::null_mut(), ptr::null_mut(), ptr::null(), 0);
        // SAFETY: NULL is what is being tested; everything else is valid.
        unsafe {
            for decoder in [pyaot_tokenizer_encoding_decode as Decoder, pyaot_tokenizer_encoding_decode_bytes] {
                assert_eq!(
                    decoder(ptr::null(), [1].as_ptr(), 1, &mut bytes, &mut error),
                    pyaot_tokenizer_result::InvalidArgument
                );
                assert_eq!(
                    decoder(cl100k, ptr::null(), 1, &mut bytes, &mut error),
                    pyaot_tokenizer_result::InvalidArgument
                );
                assert_eq!(
                    decoder(cl100k, [1].as_ptr(), 1, ptr::null_mut(), &mut error),
                    pyaot_tokenizer_result::InvalidArgument
                );
                // No tokens may come as NULL.
                assert_eq!(decoder(cl100k, ptr::null(), 0, &mut bytes, &mut error), pyaot_tokenizer_result::Ok);
                assert_eq!((*bytes).as_bytes(), b"");
                pyaot_tokenizer_bytes_free(bytes);
                bytes = ptr::null_mut();
            }
            assert_eq!(
                pyaot_tokenizer_encoding_token_bytes(ptr::null(), 1, &mut data, &mut len, &mut error),
                pyaot_tokenizer_result::InvalidArgument
            );
            assert_eq!(
                pyaot_tokenizer_encoding_token_bytes(cl100k, 1, ptr::null_mut(), &mut len, &mut error),
                pyaot_tokenizer_result::InvalidArgument
            );
            assert_eq!(
                pyaot_tokenizer_encoding_token_bytes(cl100k, 1, &mut data, ptr::null_mut(), &mut error),
                pyaot_tokenizer_result::InvalidArgument
            );
        }
        assert!(error.is_null() && data.is_null() && len == 0);
    }
}
