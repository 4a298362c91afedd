//! `pyaot_tokenizer_encoding`: the built-in encodings, custom ones, and what an encoding knows.

use std::sync::OnceLock;

use pyaot_tokenizer::{Encoding, Error};

use crate::error::{Failure, pyaot_tokenizer_error};
use crate::{bytes_arg, bytes_ptr, guard, input_array, pyaot_tokenizer_result, required, run, text_arg};

/// An encoding: a vocabulary of mergeable tokens, a split pattern and special tokens, with
/// tiktoken's behaviour (the same token ids as tiktoken for every input).
///
/// A built-in one (from `pyaot_tokenizer_encoding_get`) is shared and never freed; a custom one
/// (from `pyaot_tokenizer_encoding_new` or `pyaot_tokenizer_encoding_from_tiktoken`) is freed
/// with `pyaot_tokenizer_encoding_free`. Both are immutable and may be used from several threads
/// at once.
pub struct pyaot_tokenizer_encoding {
    held: Held,
}

/// Where the encoding behind a handle lives.
enum Held {
    /// `pyaot-tokenizer`'s shared instance of a built-in encoding.
    Builtin(&'static Encoding),
    /// A caller's encoding, owned by the handle.
    Custom(Box<Encoding>),
}

impl pyaot_tokenizer_encoding {
    fn encoding(&self) -> &Encoding {
        match &self.held {
            Held::Builtin(encoding) => encoding,
            Held::Custom(encoding) => encoding,
        }
    }
}

/// The encoding behind `encoding` ([`Failure::Argument`] for NULL).
///
/// # Safety
///
/// `encoding` must be NULL or a live encoding from this library, for `'a`.
pub(crate) unsafe fn encoding_arg<'a>(encoding: *const pyaot_tokenizer_encoding) -> Result<&'a Encoding, Failure> {
    // SAFETY: the caller promises NULL or a live encoding.
    unsafe { encoding.as_ref() }.map(pyaot_tokenizer_encoding::encoding).ok_or(Failure::Argument)
}

/// The shared handle of the built-in encoding `name`, made once per process.
fn builtin(name: &str) -> Result<&'static pyaot_tokenizer_encoding, Error> {
    static HANDLES: OnceLock<Box<[OnceLock<pyaot_tokenizer_encoding>]>> = OnceLock::new();
    let encoding = Encoding::get(name)?;
    let names = Encoding::names();
    let handles = HANDLES.get_or_init(|| names.iter().map(|_| OnceLock::new()).collect());
    let index = names.iter().position(|&n| n == name).expect("`Encoding::get` accepts only the names it lists");
    Ok(handles[index].get_or_init(|| pyaot_tokenizer_encoding { held: Held::Builtin(encoding) }))
}

/// A token and its rank, to build an encoding: a mergeable token's bytes, or a special token's
/// UTF-8 text.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct pyaot_tokenizer_ranked_bytes {
    /// The token's bytes (UTF-8 text for a special token); not NULL, even when `len` is 0.
    pub data: *const u8,
    /// The number of bytes at `data`.
    pub len: usize,
    /// The token's id.
    pub rank: u32,
}

/// The special tokens of a constructor as owned `(text, rank)` pairs.
///
/// # Safety
///
/// `specials` must be NULL or valid for reads of `len` entries, each valid as documented on
/// [`pyaot_tokenizer_ranked_bytes`].
unsafe fn special_tokens_arg(
    specials: *const pyaot_tokenizer_ranked_bytes,
    len: usize,
) -> Result<Vec<(String, u32)>, Failure> {
    // SAFETY: the caller's promise about the array.
    let specials = unsafe { input_array(specials, len) }?;
    let mut tokens = Vec::with_capacity(specials.len());
    for (i, special) in specials.iter().enumerate() {
        // SAFETY: the caller's promise about each entry.
        let text = unsafe { text_arg(special.data, special.len, format_args!("special token {i}")) }?;
        tokens.push((text.to_owned(), special.rank));
    }
    Ok(tokens)
}

/// Writes a new custom encoding to `out`.
///
/// # Safety
///
/// `out` must be valid for writing a pointer.
unsafe fn write_custom(out: *mut *const pyaot_tokenizer_encoding, encoding: Encoding) {
    let handle = Box::into_raw(Box::new(pyaot_tokenizer_encoding { held: Held::Custom(Box::new(encoding)) }));
    // SAFETY: the caller's promise.
    unsafe { out.write(handle) };
}

/// The built-in encoding named by the `len` bytes at `name`: `gpt2`, `r50k_base`, `p50k_base`,
/// `p50k_edit`, `cl100k_base`, `o200k_base` or `o200k_harmony` (tiktoken's
/// `tiktoken.get_encoding(name)`), built from the rank files compiled into the library.
///
/// On success writes the encoding to `*encoding_out`. It is built on first use (tens of
/// milliseconds), then shared by every caller and thread for the rest of the process: never free
/// it (`pyaot_tokenizer_encoding_free` ignores it). Other results: `INVALID_ARGUMENT` (`name` or
/// `encoding_out` NULL), `INVALID_UTF8`, `UNKNOWN_ENCODING` (message `"Unknown encoding
/// <name>."`); on these, `*error_out` receives an error unless `error_out` is NULL or the
/// result is `INVALID_ARGUMENT`.
///
/// # Safety
///
/// `name` must be valid for reads of `name_len` bytes; `encoding_out` and `error_out` NULL or
/// valid for writing a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_tokenizer_encoding_get(
    name: *const u8,
    name_len: usize,
    encoding_out: *mut *const pyaot_tokenizer_encoding,
    error_out: *mut *mut pyaot_tokenizer_error,
) -> pyaot_tokenizer_result {
    // SAFETY: the caller's promises, passed on.
    unsafe {
        run(error_out, || {
            let out = required(encoding_out)?;
            let name = text_arg(name, name_len, "the encoding name")?;
            let handle = builtin(name)?;
            out.write(handle);
            Ok(())
        })
    }
}

/// A custom encoding from a rank table, as tiktoken's `Encoding(name, pat_str=pattern,
/// mergeable_ranks=..., special_tokens=...)`.
///
/// `name` (UTF-8, `name_len` bytes) is only a label. `pattern` (UTF-8, `pattern_len` bytes) is
/// the split pattern, in the syntax of Rust's fancy-regex (tiktoken's own patterns, which
/// `pyaot_tokenizer_encoding_get_pattern` returns, run on faster hand-written scanners).
/// `ranks` are the `ranks_len` mergeable tokens (any bytes); every single byte must be one.
/// `special_tokens` are `special_tokens_len` special tokens (non-empty UTF-8 text); either array
/// may be NULL when its count is 0.
///
/// On success writes a new encoding to `*encoding_out` (free it with
/// `pyaot_tokenizer_encoding_free`). Other results: `INVALID_ARGUMENT` (a NULL pointer),
/// `INVALID_UTF8` (the name, the pattern or a special token), `INVALID_VOCABULARY` (a rank or a
/// token given twice, a byte that is not a token, ranks too sparse, an empty special token),
/// `INVALID_PATTERN`; on these, `*error_out` receives an error unless `error_out` is NULL or the
/// result is `INVALID_ARGUMENT`.
///
/// # Safety
///
/// `name` and `pattern` must be valid for reads of `name_len` and `pattern_len` bytes; `ranks`
/// and `special_tokens` NULL or valid for reads of their counts of entries, each entry's
/// `data` valid for reads of its `len` bytes; `encoding_out` and `error_out` NULL or valid for
/// writing a pointer. Nothing is kept after the call returns.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_tokenizer_encoding_new(
    name: *const u8,
    name_len: usize,
    pattern: *const u8,
    pattern_len: usize,
    ranks: *const pyaot_tokenizer_ranked_bytes,
    ranks_len: usize,
    special_tokens: *const pyaot_tokenizer_ranked_bytes,
    special_tokens_len: usize,
    encoding_out: *mut *const pyaot_tokenizer_encoding,
    error_out: *mut *mut pyaot_tokenizer_error,
) -> pyaot_tokenizer_result {
    // SAFETY: the caller's promises, passed on.
    unsafe {
        run(error_out, || {
            let out = required(encoding_out)?;
            let name = text_arg(name, name_len, "the encoding name")?;
            let pattern = text_arg(pattern, pattern_len, "the pattern")?;
            let ranks = input_array(ranks, ranks_len)?
                .iter()
                .map(|token| Ok((bytes_arg(token.data, token.len)?.to_vec(), token.rank)))
                .collect::<Result<Vec<_>, Failure>>()?;
            let specials = special_tokens_arg(special_tokens, special_tokens_len)?;
            write_custom(out, Encoding::new(name, pattern, ranks, specials)?);
            Ok(())
        })
    }
}

/// A custom encoding from the contents of a `.tiktoken` rank file (`base64(token) rank` per
/// line, as tiktoken's `load_tiktoken_bpe` reads), a split pattern and special tokens.
///
/// `rank_file` is the file's `rank_file_len` bytes, read by the caller; the other arguments
/// are as in `pyaot_tokenizer_encoding_new`. On success writes a new encoding to
/// `*encoding_out` (free it with `pyaot_tokenizer_encoding_free`). Other results:
/// `INVALID_ARGUMENT` (a NULL pointer), `INVALID_UTF8` (the name, the pattern or a special
/// token), `INVALID_VOCABULARY` (a malformed line, named in the message, or the problems listed
/// for `pyaot_tokenizer_encoding_new`), `INVALID_PATTERN`; on these, `*error_out` receives an
/// error unless `error_out` is NULL or the result is `INVALID_ARGUMENT`.
///
/// # Safety
///
/// `name`, `pattern` and `rank_file` must be valid for reads of their lengths in bytes;
/// `special_tokens` NULL or valid for reads of `special_tokens_len` entries, each entry's
/// `data` valid for reads of its `len` bytes; `encoding_out` and `error_out` NULL or valid for
/// writing a pointer. Nothing is kept after the call returns.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_tokenizer_encoding_from_tiktoken(
    name: *const u8,
    name_len: usize,
    pattern: *const u8,
    pattern_len: usize,
    rank_file: *const u8,
    rank_file_len: usize,
    special_tokens: *const pyaot_tokenizer_ranked_bytes,
    special_tokens_len: usize,
    encoding_out: *mut *const pyaot_tokenizer_encoding,
    error_out: *mut *mut pyaot_tokenizer_error,
) -> pyaot_tokenizer_result {
    // SAFETY: the caller's promises, passed on.
    unsafe {
        run(error_out, || {
            let out = required(encoding_out)?;
            let name = text_arg(name, name_len, "the encoding name")?;
            let pattern = text_arg(pattern, pattern_len, "the pattern")?;
            let rank_file = bytes_arg(rank_file, rank_file_len)?;
            let specials = special_tokens_arg(special_tokens, special_tokens_len)?;
            write_custom(out, Encoding::from_tiktoken(name, pattern, rank_file, specials)?);
            Ok(())
        })
    }
}

/// Frees a custom encoding; NULL and built-in encodings do nothing.
///
/// Tokens and bytes obtained from the encoding stay valid (they are copies); pointers returned
/// by its getters (`pyaot_tokenizer_encoding_get_pattern`, `pyaot_tokenizer_encoding_token_bytes`)
/// do not.
///
/// # Safety
///
/// `encoding` must be NULL, a built-in encoding, or a custom encoding from this library that was
/// not freed yet and that no other thread is using.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_tokenizer_encoding_free(encoding: *const pyaot_tokenizer_encoding) {
    guard((), || {
        // SAFETY: the caller promises NULL or a live encoding.
        if let Some(handle) = unsafe { encoding.as_ref() }
            && matches!(handle.held, Held::Custom(_))
        {
            // SAFETY: a custom encoding is a `Box` leaked by `write_custom`, freed once (the
            // caller's promise); built-ins, which are not boxes, never get here.
            drop(unsafe { Box::from_raw(encoding.cast_mut()) });
        }
    });
}

/// The split pattern (tiktoken's `Encoding._pat_str`): writes a pointer to its UTF-8 bytes (not
/// NUL-terminated, valid until the encoding is freed, forever for a built-in) to `*data_out`
/// and their number to `*len_out`. Pass it to `pyaot_tokenizer_encoding_new` to build a
/// variant of a built-in encoding.
///
/// `INVALID_ARGUMENT` when a pointer is NULL.
///
/// # Safety
///
/// `encoding` must be NULL or a live encoding from this library; `data_out` and `len_out` NULL
/// or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_tokenizer_encoding_get_pattern(
    encoding: *const pyaot_tokenizer_encoding,
    data_out: *mut *const u8,
    len_out: *mut usize,
) -> pyaot_tokenizer_result {
    // SAFETY: the caller's promises.
    unsafe {
        run(std::ptr::null_mut(), || {
            let (data_out, len_out) = (required(data_out)?, required(len_out)?);
            let pattern = encoding_arg(encoding)?.pattern();
            data_out.write(bytes_ptr(pattern.as_bytes()));
            len_out.write(pattern.len());
            Ok(())
        })
    }
}

/// The number of token ids, `max_token_value + 1` (tiktoken's `n_vocab`); 0 for NULL.
///
/// # Safety
///
/// `encoding` must be NULL or a live encoding from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_tokenizer_encoding_get_n_vocab(encoding: *const pyaot_tokenizer_encoding) -> usize {
    // SAFETY: the caller's promise.
    guard(0, || unsafe { encoding_arg(encoding) }.map_or(0, Encoding::n_vocab))
}

/// The highest token id, mergeable or special (tiktoken's `max_token_value`); 0 for NULL.
///
/// # Safety
///
/// `encoding` must be NULL or a live encoding from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_tokenizer_encoding_get_max_token_value(
    encoding: *const pyaot_tokenizer_encoding,
) -> u32 {
    // SAFETY: the caller's promise.
    guard(0, || unsafe { encoding_arg(encoding) }.map_or(0, Encoding::max_token_value))
}

/// The id of `<|endoftext|>` (tiktoken's `eot_token`), written to `*token_out`.
///
/// `NOT_A_TOKEN` when the encoding has no `<|endoftext|>` (every built-in has one);
/// `INVALID_ARGUMENT` when a pointer is NULL.
///
/// # Safety
///
/// `encoding` must be NULL or a live encoding from this library; `token_out` NULL or valid for
/// a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_tokenizer_encoding_get_eot_token(
    encoding: *const pyaot_tokenizer_encoding,
    token_out: *mut u32,
) -> pyaot_tokenizer_result {
    // SAFETY: the caller's promises.
    unsafe {
        run(std::ptr::null_mut(), || {
            let out = required(token_out)?;
            let token = encoding_arg(encoding)?.eot_token().ok_or_else(|| Failure::not_a_token("<|endoftext|>"))?;
            out.write(token);
            Ok(())
        })
    }
}

/// The id of the special token whose text is the `len` bytes at `text` (e.g.
/// `"<|endofprompt|>"`), written to `*token_out`.
///
/// `NOT_A_TOKEN` when the encoding has no such special token; `INVALID_UTF8`;
/// `INVALID_ARGUMENT` when a pointer is NULL.
///
/// # Safety
///
/// `encoding` must be NULL or a live encoding from this library; `text` valid for reads of
/// `len` bytes; `token_out` NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_tokenizer_encoding_get_special_token(
    encoding: *const pyaot_tokenizer_encoding,
    text: *const u8,
    len: usize,
    token_out: *mut u32,
) -> pyaot_tokenizer_result {
    // SAFETY: the caller's promises.
    unsafe {
        run(std::ptr::null_mut(), || {
            let out = required(token_out)?;
            let encoding = encoding_arg(encoding)?;
            let text = text_arg(text, len, "the special token")?;
            let token = encoding.special_rank(text).ok_or_else(|| Failure::not_a_token(text))?;
            out.write(token);
            Ok(())
        })
    }
}

/// Whether `token` is the id of a special token of the encoding; false for NULL.
///
/// # Safety
///
/// `encoding` must be NULL or a live encoding from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_tokenizer_encoding_is_special_token(
    encoding: *const pyaot_tokenizer_encoding,
    token: u32,
) -> bool {
    // SAFETY: the caller's promise.
    guard(false, || unsafe { encoding_arg(encoding) }.is_ok_and(|e| e.is_special_token(token)))
}

#[cfg(test)]
pub(crate) mod tests {
    use std::ptr;

    use super::*;
    use crate::{pyaot_tokenizer_error_free, pyaot_tokenizer_error_get_message};

    /// The built-in encoding `name`.
    pub(crate) fn get(name: &str) -> *const pyaot_tokenizer_encoding {
        let mut encoding = ptr::null();
        // SAFETY: valid name and out-pointer.
        let result = unsafe { pyaot_tokenizer_encoding_get(name.as_ptr(), name.len(), &mut encoding, ptr::null_mut()) };
        assert_eq!(result, pyaot_tokenizer_result::Ok);
        encoding
    }

    /// A [`pyaot_tokenizer_ranked_bytes`] for `bytes`.
    pub(crate) fn ranked(bytes: &[u8], rank: u32) -> pyaot_tokenizer_ranked_bytes {
        pyaot_tokenizer_ranked_bytes { data: bytes.as_ptr(), len: bytes.len(), rank }
    }

    /// A small encoding: every byte (rank = byte), `ab` 256 and `abab` 257, split on spaces,
    /// with the special token `<|end|>` 300.
    pub(crate) fn small() -> *const pyaot_tokenizer_encoding {
        let bytes: Vec<[u8; 1]> = (0..=255u8).map(|b| [b]).collect();
        let mut ranks: Vec<_> = bytes.iter().map(|b| ranked(b, b[0].into())).collect();
        ranks.extend([ranked(b"ab", 256), ranked(b"abab", 257)]);
        let specials = [ranked(b"<|end|>", 300)];
        let (name, pattern) = ("small", r"\S+|\s+");
        let mut encoding = ptr::null();
        // SAFETY: every pointer is valid for its length.
        let result = unsafe {
            pyaot_tokenizer_encoding_new(
                name.as_ptr(),
                name.len(),
                pattern.as_ptr(),
                pattern.len(),
                ranks.as_ptr(),
                ranks.len(),
                specials.as_ptr(),
                specials.len(),
                &mut encoding,
                ptr::null_mut(),
            )
        };
        assert_eq!(result, pyaot_tokenizer_result::Ok);
        encoding
    }

    /// Calls `pyaot_tokenizer_encoding_new` with `specials` and the ranks of every byte,
    /// returning the result and the error message.
    fn new_with_specials(pattern: &str, specials: &[pyaot_tokenizer_ranked_bytes]) -> (pyaot_tokenizer_result, String) {
        let bytes: Vec<[u8; 1]> = (0..=255u8).map(|b| [b]).collect();
        let ranks: Vec<_> = bytes.iter().map(|b| ranked(b, b[0].into())).collect();
        let (mut encoding, mut error) = (ptr::null(), ptr::null_mut());
        // SAFETY: every pointer is valid for its length; the outputs are freed once.
        unsafe {
            let result = pyaot_tokenizer_encoding_new(
                b"x".as_ptr(),
                1,
                pattern.as_ptr(),
                pattern.len(),
                ranks.as_ptr(),
                ranks.len(),
                specials.as_ptr(),
                specials.len(),
                &mut encoding,
                &mut error,
            );
            let message = if error.is_null() {
                String::new()
            } else {
                std::ffi::CStr::from_ptr(pyaot_tokenizer_error_get_message(error)).to_string_lossy().into_owned()
            };
            pyaot_tokenizer_error_free(error);
            pyaot_tokenizer_encoding_free(encoding);
            (result, message)
        }
    }

    #[test]
    fn builtins_are_shared_and_never_freed() {
        let cl100k = get("cl100k_base");
        assert_eq!(cl100k, get("cl100k_base"));
        assert_ne!(cl100k, get("gpt2"));
        // SAFETY: built-ins live forever; freeing one does nothing.
        unsafe {
            pyaot_tokenizer_encoding_free(cl100k);
            assert_eq!(pyaot_tokenizer_encoding_get_n_vocab(cl100k), 100_277);
            assert_eq!(pyaot_tokenizer_encoding_get_max_token_value(cl100k), 100_276);
            let mut eot = 0;
            assert_eq!(pyaot_tokenizer_encoding_get_eot_token(get("gpt2"), &mut eot), pyaot_tokenizer_result::Ok);
            assert_eq!(eot, 50256);
            let mut token = 0;
            let text = "<|endofprompt|>";
            let result = pyaot_tokenizer_encoding_get_special_token(cl100k, text.as_ptr(), text.len(), &mut token);
            assert_eq!((result, token), (pyaot_tokenizer_result::Ok, 100_276));
            let result = pyaot_tokenizer_encoding_get_special_token(get("gpt2"), text.as_ptr(), text.len(), &mut token);
            assert_eq!((result, token), (pyaot_tokenizer_result::NotAToken, 100_276));
            assert!(pyaot_tokenizer_encoding_is_special_token(cl100k, 100_276));
            assert!(!pyaot_tokenizer_encoding_is_special_token(cl100k, 15339));
            let (mut data, mut len) = (ptr::null(), 0);
            assert_eq!(pyaot_tokenizer_encoding_get_pattern(cl100k, &mut data, &mut len), pyaot_tokenizer_result::Ok);
            assert_eq!(std::slice::from_raw_parts(data, len), pyaot_tokenizer::CL100K_PATTERN.as_bytes());
        }
    }

    #[test]
    fn unknown_names_are_errors_with_tiktokens_message() {
        let (mut encoding, mut error) = (ptr::null(), ptr::null_mut());
        // SAFETY: valid arguments; the error is freed once.
        unsafe {
            let result = pyaot_tokenizer_encoding_get(b"nope".as_ptr(), 4, &mut encoding, &mut error);
            assert_eq!(result, pyaot_tokenizer_result::UnknownEncoding);
            assert!(encoding.is_null());
            let message = std::ffi::CStr::from_ptr(pyaot_tokenizer_error_get_message(error));
            assert_eq!(message.to_str(), Ok("Unknown encoding nope."));
            pyaot_tokenizer_error_free(error);
            let result = pyaot_tokenizer_encoding_get(b"\xff".as_ptr(), 1, &mut encoding, ptr::null_mut());
            assert_eq!(result, pyaot_tokenizer_result::InvalidUtf8);
            let result = pyaot_tokenizer_encoding_get(ptr::null(), 0, &mut encoding, ptr::null_mut());
            assert_eq!(result, pyaot_tokenizer_result::InvalidArgument);
            let result = pyaot_tokenizer_encoding_get(b"gpt2".as_ptr(), 4, ptr::null_mut(), ptr::null_mut());
            assert_eq!(result, pyaot_tokenizer_result::InvalidArgument);
            assert!(encoding.is_null());
        }
    }

    #[test]
    fn a_custom_encoding_from_ranks() {
        let encoding = small();
        // SAFETY: `encoding` is live until freed at the end.
        unsafe {
            assert_eq!(pyaot_tokenizer_encoding_get_n_vocab(encoding), 301);
            let mut eot = 7;
            assert_eq!(pyaot_tokenizer_encoding_get_eot_token(encoding, &mut eot), pyaot_tokenizer_result::NotAToken);
            assert_eq!(eot, 7);
            assert!(pyaot_tokenizer_encoding_is_special_token(encoding, 300));
            let (mut data, mut len) = (ptr::null(), 0);
            assert_eq!(pyaot_tokenizer_encoding_get_pattern(encoding, &mut data, &mut len), pyaot_tokenizer_result::Ok);
            assert_eq!(std::slice::from_raw_parts(data, len), br"\S+|\s+");
            pyaot_tokenizer_encoding_free(encoding);
        }
    }

    #[test]
    fn constructors_report_bad_vocabularies_and_patterns() {
        assert_eq!(new_with_specials(r"\S+", &[]).0, pyaot_tokenizer_result::Ok);
        let (result, message) = new_with_specials("(", &[]);
        assert_eq!(result, pyaot_tokenizer_result::InvalidPattern);
        assert!(message.starts_with("invalid split pattern: "), "{message}");
        let (result, message) = new_with_specials(r"\S+", &[ranked(b"<|a|>", 300), ranked(b"", 301)]);
        assert_eq!(
            (result, message.as_str()),
            (pyaot_tokenizer_result::InvalidVocabulary, "invalid vocabulary: the special token with id 301 is empty")
        );
        let (result, message) = new_with_specials(r"\S+", &[ranked(b"<|\xff|>", 300)]);
        assert_eq!(
            (result, message.as_str()),
            (pyaot_tokenizer_result::InvalidUtf8, "special token 0 is not UTF-8 after byte 2")
        );
        let null = pyaot_tokenizer_ranked_bytes { data: ptr::null(), len: 0, rank: 300 };
        assert_eq!(new_with_specials(r"\S+", &[null]).0, pyaot_tokenizer_result::InvalidArgument);

        let (mut encoding, mut error) = (ptr::null(), ptr::null_mut());
        let file = b"YQ== 0\nYWJj\n";
        // SAFETY: valid arguments (NULL arrays with count 0); the error is freed once.
        unsafe {
            let result = pyaot_tokenizer_encoding_from_tiktoken(
                b"x".as_ptr(),
                1,
                b".".as_ptr(),
                1,
                file.as_ptr(),
                file.len(),
                ptr::null(),
                0,
                &mut encoding,
                &mut error,
            );
            assert_eq!(result, pyaot_tokenizer_result::InvalidVocabulary);
            let message = std::ffi::CStr::from_ptr(pyaot_tokenizer_error_get_message(error));
            assert_eq!(message.to_str(), Ok("invalid vocabulary: line 2: expected `base64 rank`"));
            pyaot_tokenizer_error_free(error);
            let result = pyaot_tokenizer_encoding_new(
                b"x".as_ptr(),
                1,
                b".".as_ptr(),
                1,
                ptr::null(),
                0,
                ptr::null(),
                0,
                &mut encoding,
                ptr::null_mut(),
            );
            assert_eq!(result, pyaot_tokenizer_result::InvalidVocabulary);
            let result = pyaot_tokenizer_encoding_new(
                b"x".as_ptr(),
                1,
                b".".as_ptr(),
                1,
                ptr::null(),
                1,
                ptr::null(),
                0,
                &mut encoding,
                ptr::null_mut(),
            );
            assert_eq!(result, pyaot_tokenizer_result::InvalidArgument);
            assert!(encoding.is_null());
        }
    }

    #[test]
    fn a_custom_encoding_from_the_shared_rank_file_matches_the_builtin() {
        let path = pyaot_testdata::path("vocab/r50k_base.tiktoken").unwrap();
        let file = std::fs::read(path).unwrap();
        let gpt2 = get("gpt2");
        let (mut pattern, mut pattern_len) = (ptr::null(), 0);
        let specials = [ranked(b"<|endoftext|>", 50256)];
        let mut encoding = ptr::null();
        // SAFETY: valid arguments; the encoding is freed once.
        unsafe {
            assert_eq!(
                pyaot_tokenizer_encoding_get_pattern(gpt2, &mut pattern, &mut pattern_len),
                pyaot_tokenizer_result::Ok
            );
            let result = pyaot_tokenizer_encoding_from_tiktoken(
                b"mine".as_ptr(),
                4,
                pattern,
                pattern_len,
                file.as_ptr(),
                file.len(),
                specials.as_ptr(),
                specials.len(),
                &mut encoding,
                ptr::null_mut(),
            );
            assert_eq!(result, pyaot_tokenizer_result::Ok);
            assert_eq!(pyaot_tokenizer_encoding_get_n_vocab(encoding), pyaot_tokenizer_encoding_get_n_vocab(gpt2));
            let mut eot = 0;
            assert_eq!(pyaot_tokenizer_encoding_get_eot_token(encoding, &mut eot), pyaot_tokenizer_result::Ok);
            assert_eq!(eot, 50256);
            pyaot_tokenizer_encoding_free(encoding);
        }
    }

    #[test]
    fn null_encodings_give_neutral_answers() {
        let mut token = 0;
        let (mut data, mut len) = (ptr::null(), 0);
        // SAFETY: NULL is allowed everywhere.
        unsafe {
            assert_eq!(pyaot_tokenizer_encoding_get_n_vocab(ptr::null()), 0);
            assert_eq!(pyaot_tokenizer_encoding_get_max_token_value(ptr::null()), 0);
            assert!(!pyaot_tokenizer_encoding_is_special_token(ptr::null(), 0));
            assert_eq!(
                pyaot_tokenizer_encoding_get_eot_token(ptr::null(), &mut token),
                pyaot_tokenizer_result::InvalidArgument
            );
            assert_eq!(
                pyaot_tokenizer_encoding_get_eot_token(get("gpt2"), ptr::null_mut()),
                pyaot_tokenizer_result::InvalidArgument
            );
            assert_eq!(
                pyaot_tokenizer_encoding_get_special_token(ptr::null(), b"a".as_ptr(), 1, &mut token),
                pyaot_tokenizer_result::InvalidArgument
            );
            assert_eq!(
                pyaot_tokenizer_encoding_get_special_token(get("gpt2"), ptr::null(), 0, &mut token),
                pyaot_tokenizer_result::InvalidArgument
            );
            assert_eq!(
                pyaot_tokenizer_encoding_get_pattern(ptr::null(), &mut data, &mut len),
                pyaot_tokenizer_result::InvalidArgument
            );
            assert_eq!(
                pyaot_tokenizer_encoding_get_pattern(get("gpt2"), ptr::null_mut(), &mut len),
                pyaot_tokenizer_result::InvalidArgument
            );
            assert_eq!(
                pyaot_tokenizer_encoding_get_pattern(get("gpt2"), &mut data, ptr::null_mut()),
                pyaot_tokenizer_result::InvalidArgument
            );
            assert!(data.is_null() && len == 0 && token == 0);
            pyaot_tokenizer_encoding_free(ptr::null());
        }
    }
}
