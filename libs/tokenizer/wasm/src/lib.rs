//! `pyaot-tokenizer-wasm`: the WebAssembly build of `pyaot-tokenizer`, for Node and browsers.
//!
//! This crate is the `.wasm` behind the npm package `@pyaot/tokenizer` (`index.js` beside this
//! crate is the ESM wrapper; see `README.md`). It exports plain `extern "C"` functions over
//! linear memory and nothing else: no wasm-bindgen, no imports, so the module is small (the
//! size is checked by the tests) and instantiates with an empty import object. The caller
//! passes a built-in encoding's name and the bytes of its `.tiktoken` rank file (the rank
//! files are not in the module); token ids are tiktoken's.
//!
//! # What it is not for
//!
//! Custom split patterns (they need fancy-regex, which would triple the module) and the
//! HuggingFace-style pipeline: use the native crate for those.
//!
//! # The calling convention
//!
//! - Memory: `pyaot_wasm_alloc(len)` gives `len` bytes aligned to 8 (for text, rank files and
//!   token arrays), `pyaot_wasm_free(ptr, len)` gives them back.
//! - Calls that can fail return a negative number on failure; the error is then read with
//!   `pyaot_wasm_error_kind`, `pyaot_wasm_error_ptr` and `pyaot_wasm_error_len` (UTF-8).
//! - Calls that produce token ids or bytes leave them in an output buffer, valid until the next
//!   call: `pyaot_wasm_ids_ptr` (`u32`s) and `pyaot_wasm_bytes_ptr`; the call returns their
//!   count.
//!
//! The exports compile on every target (the host build is what clippy and the workspace tests
//! see); only the `wasm32-unknown-unknown` build is shipped.
//!
//! # Example (from JavaScript)
//!
//! ```js
//! import { readFile } from "node:fs/promises";
//! import { loadEncoding } from "@pyaot/tokenizer";
//!
//! const enc = await loadEncoding("cl100k_base", await readFile("cl100k_base.tiktoken"));
//! enc.encode("hello world"); // Uint32Array [15339, 1917]
//! ```
//!
//! # Features
//!
//! None. `pyaot-tokenizer` is used without its default features (`bundled`, `custom-patterns`).

#[cfg(target_arch = "wasm32")]
mod allocator;

#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: allocator::Classes = allocator::Classes::new();

use std::alloc::Layout;
use std::cell::RefCell;

use pyaot_tokenizer::{Encoding, Error, ErrorKind, Special};

/// What the last call left for the caller: token ids, bytes, or an error.
#[derive(Default)]
struct Output {
    ids: Vec<u32>,
    bytes: Vec<u8>,
    error: String,
    kind: u32,
}

thread_local! {
    static OUTPUT: RefCell<Output> = RefCell::new(Output::default());
}

/// Records `error` for the caller and returns the failure status, -1.
fn fail(error: &Error) -> i32 {
    let kind = match error.kind() {
        ErrorKind::UnknownEncoding => 1,
        ErrorKind::InvalidVocabulary => 2,
        ErrorKind::InvalidPattern => 3,
        ErrorKind::DisallowedSpecialToken => 4,
        ErrorKind::Split => 5,
        ErrorKind::UnknownToken => 6,
        ErrorKind::NotAToken => 7,
        ErrorKind::InvalidUtf8 => 8,
        _ => 0,
    };
    fail_with(kind, error.to_string())
}

/// Records an error of kind `kind` for the caller and returns -1.
fn fail_with(kind: u32, message: String) -> i32 {
    OUTPUT.with_borrow_mut(|output| {
        output.kind = kind;
        output.error = message;
    });
    -1
}

/// The error kind of a text that is not UTF-8 (the wrapper always passes UTF-8).
const KIND_BAD_TEXT: u32 = 9;

/// `len` bytes at `ptr` (a null or dangling pointer when `len` is 0).
///
/// # Safety
///
/// `ptr..ptr + len` is readable for the lifetime `'a` (unless `len` is 0).
unsafe fn bytes<'a>(ptr: *const u8, len: usize) -> &'a [u8] {
    if len == 0 {
        return &[];
    }
    // SAFETY: the caller promises `len` readable bytes at `ptr`.
    unsafe { std::slice::from_raw_parts(ptr, len) }
}

/// The UTF-8 text at `ptr`, or the failure status.
///
/// # Safety
///
/// As [`bytes`].
unsafe fn text<'a>(ptr: *const u8, len: usize) -> Result<&'a str, i32> {
    // SAFETY: forwarded from the caller.
    let bytes = unsafe { bytes(ptr, len) };
    std::str::from_utf8(bytes).map_err(|e| fail_with(KIND_BAD_TEXT, format!("the text is not UTF-8: {e}")))
}

fn layout(len: usize) -> Option<Layout> {
    Layout::from_size_align(len.max(1), 8).ok()
}

/// Allocates `len` bytes aligned to 8; null if memory is exhausted.
#[unsafe(no_mangle)]
pub extern "C" fn pyaot_wasm_alloc(len: usize) -> *mut u8 {
    match layout(len) {
        // SAFETY: the layout has a non-zero size.
        Some(layout) => unsafe { std::alloc::alloc(layout) },
        None => std::ptr::null_mut(),
    }
}

/// Frees memory from [`pyaot_wasm_alloc`].
///
/// # Safety
///
/// `ptr` came from `pyaot_wasm_alloc(len)` with this `len` and is not used afterwards (null is
/// ignored).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_wasm_free(ptr: *mut u8, len: usize) {
    if let (false, Some(layout)) = (ptr.is_null(), layout(len)) {
        // SAFETY: allocated by `pyaot_wasm_alloc(len)`, so with this layout.
        unsafe { std::alloc::dealloc(ptr, layout) };
    }
}

/// The built-in encoding named by the UTF-8 `name` with the ranks of a `.tiktoken` file; null
/// on failure (the error says why). Free it with [`pyaot_wasm_encoding_free`].
///
/// # Safety
///
/// `name_ptr..+name_len` and `ranks_ptr..+ranks_len` are readable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_wasm_encoding_new(
    name_ptr: *const u8,
    name_len: usize,
    ranks_ptr: *const u8,
    ranks_len: usize,
) -> *mut Encoding {
    // SAFETY: forwarded from the caller.
    let Ok(name) = (unsafe { text(name_ptr, name_len) }) else { return std::ptr::null_mut() };
    // SAFETY: forwarded from the caller.
    let ranks = unsafe { bytes(ranks_ptr, ranks_len) };
    match Encoding::load_with_rank_file(name, ranks) {
        Ok(encoding) => Box::into_raw(Box::new(encoding)),
        Err(e) => {
            fail(&e);
            std::ptr::null_mut()
        }
    }
}

/// Frees an encoding.
///
/// # Safety
///
/// `encoding` came from [`pyaot_wasm_encoding_new`] and is not used afterwards (null is ignored).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_wasm_encoding_free(encoding: *mut Encoding) {
    if !encoding.is_null() {
        // SAFETY: made by `Box::into_raw` in `pyaot_wasm_encoding_new`, freed once.
        drop(unsafe { Box::from_raw(encoding) });
    }
}

/// `n_vocab`: the highest token id plus one.
///
/// # Safety
///
/// `encoding` is a live encoding from [`pyaot_wasm_encoding_new`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_wasm_n_vocab(encoding: *const Encoding) -> u32 {
    // SAFETY: the caller passes a live encoding.
    let encoding = unsafe { &*encoding };
    encoding.n_vocab() as u32
}

/// The special tokens: their ranks in the ids output, their texts in the bytes output, each
/// followed by a NUL byte. Returns how many there are.
///
/// # Safety
///
/// `encoding` is a live encoding from [`pyaot_wasm_encoding_new`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_wasm_special_tokens(encoding: *const Encoding) -> i32 {
    // SAFETY: the caller passes a live encoding.
    let encoding = unsafe { &*encoding };
    OUTPUT.with_borrow_mut(|output| {
        output.ids.clear();
        output.bytes.clear();
        for (text, rank) in encoding.special_tokens() {
            output.ids.push(rank);
            output.bytes.extend_from_slice(text.as_bytes());
            output.bytes.push(0);
        }
        output.ids.len() as i32
    })
}

/// A choice of special tokens: mode 0 is none, 1 all, 2 the NUL-separated UTF-8 texts at
/// `ptr..+len`.
///
/// # Safety
///
/// In mode 2, `ptr..+len` is readable.
unsafe fn special_texts<'a>(mode: u32, ptr: *const u8, len: usize) -> Result<Option<Vec<&'a str>>, i32> {
    match mode {
        0 | 1 => Ok(None),
        // SAFETY: forwarded from the caller.
        _ => Ok(Some(unsafe { text(ptr, len) }?.split('\0').filter(|t| !t.is_empty()).collect())),
    }
}

fn special<'a>(mode: u32, texts: Option<&'a [&'a str]>) -> Special<'a> {
    match (mode, texts) {
        (_, Some(texts)) => Special::Only(texts),
        (1, None) => Special::All,
        _ => Special::None,
    }
}

/// tiktoken's `encode(text, allowed_special=..., disallowed_special=...)`: the ids go to the
/// ids output; returns their number, or -1 (a disallowed special token, say). The special-token
/// choices are as in [`special_texts`] (tiktoken's defaults: allowed none, disallowed all).
///
/// # Safety
///
/// `encoding` is a live encoding from [`pyaot_wasm_encoding_new`]; the text and, in mode 2, the
/// lists are readable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_wasm_encode(
    encoding: *const Encoding,
    text_ptr: *const u8,
    text_len: usize,
    allowed_mode: u32,
    allowed_ptr: *const u8,
    allowed_len: usize,
    disallowed_mode: u32,
    disallowed_ptr: *const u8,
    disallowed_len: usize,
) -> i32 {
    // SAFETY: the caller passes a live encoding.
    let encoding = unsafe { &*encoding };
    let run = || -> Result<Vec<u32>, i32> {
        // SAFETY: forwarded from the caller.
        let text = unsafe { text(text_ptr, text_len) }?;
        // SAFETY: forwarded from the caller.
        let allowed = unsafe { special_texts(allowed_mode, allowed_ptr, allowed_len) }?;
        // SAFETY: forwarded from the caller.
        let disallowed = unsafe { special_texts(disallowed_mode, disallowed_ptr, disallowed_len) }?;
        let allowed = special(allowed_mode, allowed.as_deref());
        let disallowed = special(disallowed_mode, disallowed.as_deref());
        encoding.encode(text, allowed, disallowed).map_err(|e| fail(&e))
    };
    match run() {
        Ok(ids) => OUTPUT.with_borrow_mut(|output| {
            let count = ids.len() as i32;
            output.ids = ids;
            count
        }),
        Err(status) => status,
    }
}

/// Decodes `ids_len` token ids at `ids_ptr` to the bytes output: the text with invalid UTF-8
/// replaced by U+FFFD when `lossy` is 1 (tiktoken's `decode`), the raw bytes otherwise
/// (`decode_bytes`). Returns the number of bytes, or -1 for an unknown id.
///
/// # Safety
///
/// `encoding` is a live encoding from [`pyaot_wasm_encoding_new`]; `ids_ptr` is aligned to 4
/// and `ids_ptr..+ids_len` `u32`s are readable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_wasm_decode(
    encoding: *const Encoding,
    ids_ptr: *const u32,
    ids_len: usize,
    lossy: u32,
) -> i32 {
    // SAFETY: the caller passes a live encoding.
    let encoding = unsafe { &*encoding };
    let ids = if ids_len == 0 {
        &[][..]
    } else {
        // SAFETY: the caller promises `ids_len` aligned, readable `u32`s.
        unsafe { std::slice::from_raw_parts(ids_ptr, ids_len) }
    };
    let result = if lossy == 1 { encoding.decode(ids).map(String::into_bytes) } else { encoding.decode_bytes(ids) };
    match result {
        Ok(bytes) => OUTPUT.with_borrow_mut(|output| {
            let len = bytes.len() as i32;
            output.bytes = bytes;
            len
        }),
        Err(e) => fail(&e),
    }
}

/// Where the ids output is.
#[unsafe(no_mangle)]
pub extern "C" fn pyaot_wasm_ids_ptr() -> *const u32 {
    OUTPUT.with_borrow(|output| output.ids.as_ptr())
}

/// Where the bytes output is.
#[unsafe(no_mangle)]
pub extern "C" fn pyaot_wasm_bytes_ptr() -> *const u8 {
    OUTPUT.with_borrow(|output| output.bytes.as_ptr())
}

/// The kind of the last error: 1 unknown encoding, 2 invalid vocabulary, 3 invalid pattern,
/// 4 disallowed special token, 5 split, 6 unknown token, 7 not a token, 8 invalid UTF-8 in
/// decoded bytes, 9 a text that is not UTF-8, 0 other.
#[unsafe(no_mangle)]
pub extern "C" fn pyaot_wasm_error_kind() -> u32 {
    OUTPUT.with_borrow(|output| output.kind)
}

/// Where the last error's message (UTF-8) is.
#[unsafe(no_mangle)]
pub extern "C" fn pyaot_wasm_error_ptr() -> *const u8 {
    OUTPUT.with_borrow(|output| output.error.as_ptr())
}

/// The length of the last error's message in bytes.
#[unsafe(no_mangle)]
pub extern "C" fn pyaot_wasm_error_len() -> usize {
    OUTPUT.with_borrow(|output| output.error.len())
}
