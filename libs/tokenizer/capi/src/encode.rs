//! Encoding text to tokens: ordinary, with tiktoken's special-token rules, counting, single
//! tokens.

use pyaot_tokenizer::{Encoding, Special, SpecialSet};

use crate::encoding::{encoding_arg, pyaot_tokenizer_encoding};
use crate::error::{Failure, pyaot_tokenizer_error};
use crate::tokens::pyaot_tokenizer_tokens;
use crate::{bytes_arg, input_array, pyaot_tokenizer_result, required, run, text_arg};

/// A pointer and a length: UTF-8 text, not NUL-terminated. `data` must not be NULL, even when
/// `len` is 0.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct pyaot_tokenizer_text {
    /// The first byte.
    pub data: *const u8,
    /// The number of bytes.
    pub len: usize,
}

/// The values of `pyaot_tokenizer_special.kind`.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum pyaot_tokenizer_special_kind {
    /// No special token (tiktoken's `set()` or `()`); what a zeroed `pyaot_tokenizer_special`
    /// means.
    None = 0,
    /// Every special token (tiktoken's `"all"`). As `disallowed`, every special token that is
    /// not allowed, as in tiktoken.
    All = 1,
    /// The texts listed in `tokens`. For `allowed`, texts that are not special tokens of the
    /// encoding mean nothing; for `disallowed`, any listed text found is refused, special token
    /// or not, as in tiktoken.
    List = 2,
}

/// Which special tokens `pyaot_tokenizer_encoding_encode` allows (encodes as their ids) or
/// disallows (refuses with `DISALLOWED_SPECIAL_TOKEN`), as tiktoken's `allowed_special` and
/// `disallowed_special` arguments. For example
/// `pyaot_tokenizer_special all = {PYAOT_TOKENIZER_SPECIAL_KIND_ALL, NULL, 0};`.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct pyaot_tokenizer_special {
    /// One of `pyaot_tokenizer_special_kind` (a `uint32_t`, so that a wrong number is an
    /// `INVALID_ARGUMENT` rather than undefined behaviour).
    pub kind: u32,
    /// For `PYAOT_TOKENIZER_SPECIAL_KIND_LIST`, the special tokens' texts (NULL allowed when
    /// `len` is 0); ignored for the other kinds.
    pub tokens: *const pyaot_tokenizer_text,
    /// The number of texts at `tokens`.
    pub len: usize,
}

/// Which of `pyaot_tokenizer_encoding_encode`'s arguments a [`pyaot_tokenizer_special`] is.
#[derive(Clone, Copy)]
enum Role {
    Allowed,
    Disallowed,
}

/// Resolves a C special-token choice to a set (NULL is tiktoken's default for the `role`).
///
/// # Safety
///
/// `special` must be NULL or valid for reads, its `tokens` as documented.
unsafe fn special_set(
    encoding: &Encoding,
    special: *const pyaot_tokenizer_special,
    role: Role,
    allowed: &SpecialSet,
) -> Result<SpecialSet, Failure> {
    // SAFETY: the caller's promise.
    let Some(special) = (unsafe { special.as_ref() }) else {
        return Ok(match role {
            Role::Allowed => SpecialSet::default(),
            Role::Disallowed => encoding.default_disallowed(allowed),
        });
    };
    const NONE: u32 = pyaot_tokenizer_special_kind::None as u32;
    const ALL: u32 = pyaot_tokenizer_special_kind::All as u32;
    const LIST: u32 = pyaot_tokenizer_special_kind::List as u32;
    Ok(match (special.kind, role) {
        (NONE, _) => SpecialSet::default(),
        (ALL, Role::Allowed) => encoding.special_set(Special::All),
        // tiktoken's `disallowed_special="all"` is every special token not allowed.
        (ALL, Role::Disallowed) => encoding.default_disallowed(allowed),
        (LIST, _) => {
            // SAFETY: the caller's promise about `tokens`.
            let texts = unsafe { input_array(special.tokens, special.len) }?;
            let what = match role {
                Role::Allowed => "allowed",
                Role::Disallowed => "disallowed",
            };
            let texts = texts
                .iter()
                .enumerate()
                // SAFETY: the caller's promise about each text.
                .map(|(i, t)| unsafe { text_arg(t.data, t.len, format_args!("{what} special token {i}")) })
                .collect::<Result<Vec<&str>, Failure>>()?;
            encoding.special_set(Special::Only(&texts))
        }
        _ => return Err(Failure::Argument),
    })
}

/// Encodes the `len` bytes of UTF-8 text at `text`, treating special-token text as ordinary
/// text (tiktoken's `encode_ordinary`).
///
/// On success writes new tokens to `*tokens_out` (free them with `pyaot_tokenizer_tokens_free`).
/// Other results: `INVALID_ARGUMENT` (a NULL pointer), `INVALID_UTF8`, `SPLIT_ERROR` (custom
/// patterns only); on these, `*error_out` receives an error unless `error_out` is NULL or the
/// result is `INVALID_ARGUMENT`.
///
/// # Safety
///
/// `encoding` must be NULL or a live encoding from this library; `text` valid for reads of
/// `len` bytes; `tokens_out` and `error_out` NULL or valid for writing a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_tokenizer_encoding_encode_ordinary(
    encoding: *const pyaot_tokenizer_encoding,
    text: *const u8,
    len: usize,
    tokens_out: *mut *mut pyaot_tokenizer_tokens,
    error_out: *mut *mut pyaot_tokenizer_error,
) -> pyaot_tokenizer_result {
    // SAFETY: the caller's promises, passed on.
    unsafe {
        run(error_out, || {
            let out = required(tokens_out)?;
            let encoding = encoding_arg(encoding)?;
            let text = text_arg(text, len, "the text")?;
            let tokens = encoding.encode_ordinary(text)?;
            out.write(pyaot_tokenizer_tokens::new_raw(tokens));
            Ok(())
        })
    }
}

/// Encodes the `len` bytes of UTF-8 text at `text` with tiktoken's special-token rules
/// (tiktoken's `encode(text, allowed_special=..., disallowed_special=...)`).
///
/// Special tokens in `allowed` become their ids. If the text contains a special token in
/// `disallowed`, the result is `DISALLOWED_SPECIAL_TOKEN` with tiktoken's `ValueError` message
/// (the check comes first, so a token both allowed and disallowed is refused). Special-token
/// text that is neither is encoded as ordinary text. NULL means tiktoken's default: `allowed`
/// NULL allows none, `disallowed` NULL disallows every special token that is not allowed, so
/// `(NULL, NULL)` is tiktoken's `encode(text)` and `(&all, NULL)` its
/// `encode(text, allowed_special="all")`.
///
/// On success writes new tokens to `*tokens_out` (free them with `pyaot_tokenizer_tokens_free`).
/// Other results: `INVALID_ARGUMENT` (a required pointer NULL, or an unknown `kind`),
/// `INVALID_UTF8` (the text or a listed special token), `DISALLOWED_SPECIAL_TOKEN`,
/// `SPLIT_ERROR` (custom patterns only); on these, `*error_out` receives an error unless
/// `error_out` is NULL or the result is `INVALID_ARGUMENT`.
///
/// # Safety
///
/// `encoding` must be NULL or a live encoding from this library; `text` valid for reads of
/// `len` bytes; `allowed` and `disallowed` NULL or valid for reads, with their `tokens` as
/// documented on `pyaot_tokenizer_special`; `tokens_out` and `error_out` NULL or valid for
/// writing a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_tokenizer_encoding_encode(
    encoding: *const pyaot_tokenizer_encoding,
    text: *const u8,
    len: usize,
    allowed: *const pyaot_tokenizer_special,
    disallowed: *const pyaot_tokenizer_special,
    tokens_out: *mut *mut pyaot_tokenizer_tokens,
    error_out: *mut *mut pyaot_tokenizer_error,
) -> pyaot_tokenizer_result {
    // SAFETY: the caller's promises, passed on.
    unsafe {
        run(error_out, || {
            let out = required(tokens_out)?;
            let encoding = encoding_arg(encoding)?;
            let text = text_arg(text, len, "the text")?;
            let allowed = special_set(encoding, allowed, Role::Allowed, &SpecialSet::default())?;
            let disallowed = special_set(encoding, disallowed, Role::Disallowed, &allowed)?;
            let (tokens, _) = encoding.encode_with_sets(text, &allowed, &disallowed)?;
            out.write(pyaot_tokenizer_tokens::new_raw(tokens));
            Ok(())
        })
    }
}

/// The number of tokens `pyaot_tokenizer_encoding_encode_ordinary` would give for the `len`
/// bytes of UTF-8 text at `text`, without making them, written to `*count_out`.
///
/// Other results: as `pyaot_tokenizer_encoding_encode_ordinary`.
///
/// # Safety
///
/// `encoding` must be NULL or a live encoding from this library; `text` valid for reads of
/// `len` bytes; `count_out` NULL or valid for a write; `error_out` NULL or valid for writing a
/// pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_tokenizer_encoding_count_ordinary(
    encoding: *const pyaot_tokenizer_encoding,
    text: *const u8,
    len: usize,
    count_out: *mut usize,
    error_out: *mut *mut pyaot_tokenizer_error,
) -> pyaot_tokenizer_result {
    // SAFETY: the caller's promises, passed on.
    unsafe {
        run(error_out, || {
            let out = required(count_out)?;
            let encoding = encoding_arg(encoding)?;
            let text = text_arg(text, len, "the text")?;
            out.write(encoding.count_ordinary(text)?);
            Ok(())
        })
    }
}

/// The id of the single token whose bytes are the `len` bytes at `bytes` (a mergeable token's
/// bytes, not necessarily UTF-8, or a special token's text), written to `*token_out`
/// (tiktoken's `encode_single_token`).
///
/// Other results: `INVALID_ARGUMENT` (a NULL pointer), `NOT_A_TOKEN` (message
/// `"\"hello world\" is not a token"`); on the latter, `*error_out` receives an error unless
/// `error_out` is NULL.
///
/// # Safety
///
/// `encoding` must be NULL or a live encoding from this library; `bytes` valid for reads of
/// `len` bytes; `token_out` NULL or valid for a write; `error_out` NULL or valid for writing a
/// pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_tokenizer_encoding_encode_single_token(
    encoding: *const pyaot_tokenizer_encoding,
    bytes: *const u8,
    len: usize,
    token_out: *mut u32,
    error_out: *mut *mut pyaot_tokenizer_error,
) -> pyaot_tokenizer_result {
    // SAFETY: the caller's promises, passed on.
    unsafe {
        run(error_out, || {
            let out = required(token_out)?;
            let encoding = encoding_arg(encoding)?;
            let bytes = bytes_arg(bytes, len)?;
            out.write(encoding.encode_single_token(bytes)?);
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use std::ffi::CStr;
    use std::ptr;

    use super::*;
    use crate::encoding::tests::{get, small};
    use crate::{
        pyaot_tokenizer_encoding_free, pyaot_tokenizer_error_free, pyaot_tokenizer_error_get_message,
        pyaot_tokenizer_tokens_free,
    };

    /// Runs an encoding function on `text`, returning the tokens, or the result and message.
    fn run_encode(
        text: &[u8],
        f: impl FnOnce(
            *const u8,
            usize,
            *mut *mut pyaot_tokenizer_tokens,
            *mut *mut pyaot_tokenizer_error,
        ) -> pyaot_tokenizer_result,
    ) -> Result<Vec<u32>, (pyaot_tokenizer_result, String)> {
        let (mut tokens, mut error) = (ptr::null_mut(), ptr::null_mut());
        let result = f(text.as_ptr(), text.len(), &mut tokens, &mut error);
        // SAFETY: the outputs are live (or NULL) and freed once.
        unsafe {
            if result == pyaot_tokenizer_result::Ok {
                assert!(error.is_null());
                let ids = (*tokens).as_slice().to_vec();
                pyaot_tokenizer_tokens_free(tokens);
                return Ok(ids);
            }
            assert!(tokens.is_null());
            let message = if error.is_null() {
                String::new()
            } else {
                CStr::from_ptr(pyaot_tokenizer_error_get_message(error)).to_str().unwrap().to_owned()
            };
            pyaot_tokenizer_error_free(error);
            Err((result, message))
        }
    }

    fn ordinary(
        encoding: *const pyaot_tokenizer_encoding,
        text: &[u8],
    ) -> Result<Vec<u32>, (pyaot_tokenizer_result, String)> {
        // SAFETY: `run_encode` passes valid pointers; `encoding` is live.
        run_encode(text, |p, n, out, err| unsafe { pyaot_tokenizer_encoding_encode_ordinary(encoding, p, n, out, err) })
    }

    fn encode(
        encoding: *const pyaot_tokenizer_encoding,
        text: &[u8],
        allowed: Option<&pyaot_tokenizer_special>,
        disallowed: Option<&pyaot_tokenizer_special>,
    ) -> Result<Vec<u32>, (pyaot_tokenizer_result, String)> {
        let allowed = allowed.map_or(ptr::null(), ptr::from_ref);
        let disallowed = disallowed.map_or(ptr::null(), ptr::from_ref);
        // SAFETY: `run_encode` passes valid pointers; `encoding` and the choices are live.
        run_encode(text, |p, n, out, err| unsafe {
            pyaot_tokenizer_encoding_encode(encoding, p, n, allowed, disallowed, out, err)
        })
    }

    fn special(kind: pyaot_tokenizer_special_kind, tokens: &[pyaot_tokenizer_text]) -> pyaot_tokenizer_special {
        pyaot_tokenizer_special { kind: kind as u32, tokens: tokens.as_ptr(), len: tokens.len() }
    }

    fn text_of(s: &str) -> pyaot_tokenizer_text {
        pyaot_tokenizer_text { data: s.as_ptr(), len: s.len() }
    }

    #[test]
    fn encode_ordinary_gives_tiktokens_ids() {
        assert_eq!(ordinary(get("cl100k_base"), b"hello world"), Ok(vec![15339, 1917]));
        assert_eq!(ordinary(get("gpt2"), b"hello world"), Ok(vec![31373, 995]));
        assert_eq!(ordinary(get("cl100k_base"), b"<|endoftext|>"), Ok(vec![27, 91, 8862, 728, 428, 91, 29]));
        assert_eq!(ordinary(get("cl100k_base"), b""), Ok(vec![]));
        let error = (pyaot_tokenizer_result::InvalidUtf8, "the text is not UTF-8 after byte 6".to_owned());
        assert_eq!(ordinary(get("cl100k_base"), b"hello \xff"), Err(error));
        let encoding = small();
        assert_eq!(ordinary(encoding, b"abab ab a"), Ok(vec![257, 32, 256, 32, 97]));
        // SAFETY: `encoding` is live and freed once.
        unsafe { pyaot_tokenizer_encoding_free(encoding) };
    }

    #[test]
    fn special_tokens_follow_tiktokens_rules() {
        let cl100k = get("cl100k_base");
        let text = b"hello <|endoftext|>";
        let all = special(pyaot_tokenizer_special_kind::All, &[]);
        let none = special(pyaot_tokenizer_special_kind::None, &[]);
        assert_eq!(encode(cl100k, text, Some(&all), None), Ok(vec![15339, 220, 100257]));
        assert_eq!(encode(cl100k, text, Some(&all), Some(&all)), Ok(vec![15339, 220, 100257]));
        let (result, message) = encode(cl100k, text, None, None).unwrap_err();
        assert_eq!(result, pyaot_tokenizer_result::DisallowedSpecialToken);
        assert!(message.starts_with("Encountered text corresponding to disallowed special token '<|endoftext|>'.\n"));
        assert_eq!(encode(cl100k, text, None, Some(&none)), ordinary(cl100k, text));

        // Lists: allowing one token; disallowing another that is absent; a token both allowed
        // and disallowed is refused, as in tiktoken.
        let eot = [text_of("<|endoftext|>")];
        let fim = [text_of("<|fim_prefix|>"), text_of("not special")];
        let (eot, fim) =
            (special(pyaot_tokenizer_special_kind::List, &eot), special(pyaot_tokenizer_special_kind::List, &fim));
        assert_eq!(encode(cl100k, text, Some(&eot), None), Ok(vec![15339, 220, 100257]));
        assert_eq!(encode(cl100k, text, None, Some(&fim)), ordinary(cl100k, text));
        // A disallowed text that is not a special token is refused too, as in tiktoken.
        let hello = [text_of("hello")];
        let hello = special(pyaot_tokenizer_special_kind::List, &hello);
        let (result, message) = encode(cl100k, text, None, Some(&hello)).unwrap_err();
        assert_eq!(result, pyaot_tokenizer_result::DisallowedSpecialToken);
        assert!(message.contains("disallowed special token 'hello'"), "{message}");
        assert_eq!(
            encode(cl100k, b"<|fim_prefix|>", Some(&eot), None).unwrap_err().0,
            pyaot_tokenizer_result::DisallowedSpecialToken
        );
        assert_eq!(
            encode(cl100k, text, Some(&eot), Some(&eot)).unwrap_err().0,
            pyaot_tokenizer_result::DisallowedSpecialToken
        );

        // Bad choices.
        let unknown = pyaot_tokenizer_special { kind: 3, tokens: ptr::null(), len: 0 };
        assert_eq!(
            encode(cl100k, text, Some(&unknown), None),
            Err((pyaot_tokenizer_result::InvalidArgument, String::new()))
        );
        let null_list = pyaot_tokenizer_special { kind: 2, tokens: ptr::null(), len: 1 };
        assert_eq!(
            encode(cl100k, text, None, Some(&null_list)).unwrap_err().0,
            pyaot_tokenizer_result::InvalidArgument
        );
        let empty_list = pyaot_tokenizer_special { kind: 2, tokens: ptr::null(), len: 0 };
        assert_eq!(encode(cl100k, text, Some(&empty_list), Some(&none)), ordinary(cl100k, text));
        let bad = [text_of("ok"), pyaot_tokenizer_text { data: b"\xff".as_ptr(), len: 1 }];
        let bad = special(pyaot_tokenizer_special_kind::List, &bad);
        let error =
            (pyaot_tokenizer_result::InvalidUtf8, "allowed special token 1 is not UTF-8 after byte 0".to_owned());
        assert_eq!(encode(cl100k, text, Some(&bad), None), Err(error));
    }

    #[test]
    fn count_and_single_tokens() {
        let cl100k = get("cl100k_base");
        let (mut count, mut token, mut error) = (0, 0, ptr::null_mut());
        // SAFETY: valid arguments; the error is freed once.
        unsafe {
            let text = "hello world, hello tokens";
            let result =
                pyaot_tokenizer_encoding_count_ordinary(cl100k, text.as_ptr(), text.len(), &mut count, &mut error);
            assert_eq!(result, pyaot_tokenizer_result::Ok);
            assert_eq!(count, ordinary(cl100k, text.as_bytes()).unwrap().len());
            let result =
                pyaot_tokenizer_encoding_count_ordinary(cl100k, b"\xc3".as_ptr(), 1, &mut count, ptr::null_mut());
            assert_eq!(result, pyaot_tokenizer_result::InvalidUtf8);
            let result =
                pyaot_tokenizer_encoding_encode_single_token(cl100k, b"hello".as_ptr(), 5, &mut token, &mut error);
            assert_eq!((result, token), (pyaot_tokenizer_result::Ok, 15339));
            let eot = "<|endoftext|>";
            let result =
                pyaot_tokenizer_encoding_encode_single_token(cl100k, eot.as_ptr(), eot.len(), &mut token, &mut error);
            assert_eq!((result, token), (pyaot_tokenizer_result::Ok, 100257));
            let result = pyaot_tokenizer_encoding_encode_single_token(
                cl100k,
                b"hello world".as_ptr(),
                11,
                &mut token,
                &mut error,
            );
            assert_eq!((result, token), (pyaot_tokenizer_result::NotAToken, 100257));
            assert_eq!(
                CStr::from_ptr(pyaot_tokenizer_error_get_message(error)).to_str(),
                Ok("\"hello world\" is not a token")
            );
            pyaot_tokenizer_error_free(error);
        }
    }

    #[test]
    fn null_arguments_are_rejected_and_outputs_left_alone() {
        let cl100k = get("cl100k_base");
        let (mut tokens, mut error, mut count, mut token) = (ptr::null_mut(), ptr::null_mut(), 0, 0);
        let all = special(pyaot_tokenizer_special_kind::All, &[]);
        // SAFETY: NULL is what is being tested; everything else is valid.
        unsafe {
            for result in [
                pyaot_tokenizer_encoding_encode_ordinary(ptr::null(), b"a".as_ptr(), 1, &mut tokens, &mut error),
                pyaot_tokenizer_encoding_encode_ordinary(cl100k, ptr::null(), 0, &mut tokens, &mut error),
                pyaot_tokenizer_encoding_encode_ordinary(cl100k, b"a".as_ptr(), 1, ptr::null_mut(), &mut error),
                pyaot_tokenizer_encoding_encode(ptr::null(), b"a".as_ptr(), 1, &all, &all, &mut tokens, &mut error),
                pyaot_tokenizer_encoding_encode(cl100k, ptr::null(), 0, &all, &all, &mut tokens, &mut error),
                pyaot_tokenizer_encoding_encode(cl100k, b"a".as_ptr(), 1, &all, &all, ptr::null_mut(), &mut error),
                pyaot_tokenizer_encoding_count_ordinary(ptr::null(), b"a".as_ptr(), 1, &mut count, &mut error),
                pyaot_tokenizer_encoding_count_ordinary(cl100k, ptr::null(), 0, &mut count, &mut error),
                pyaot_tokenizer_encoding_count_ordinary(cl100k, b"a".as_ptr(), 1, ptr::null_mut(), &mut error),
                pyaot_tokenizer_encoding_encode_single_token(ptr::null(), b"a".as_ptr(), 1, &mut token, &mut error),
                pyaot_tokenizer_encoding_encode_single_token(cl100k, ptr::null(), 0, &mut token, &mut error),
                pyaot_tokenizer_encoding_encode_single_token(cl100k, b"a".as_ptr(), 1, ptr::null_mut(), &mut error),
            ] {
                assert_eq!(result, pyaot_tokenizer_result::InvalidArgument);
            }
        }
        assert!(tokens.is_null() && error.is_null() && count == 0 && token == 0);
    }
}
