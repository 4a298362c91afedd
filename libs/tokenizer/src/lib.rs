//! `pyaot-tokenizer`: BPE tokenization with token ids identical to tiktoken's.
//!
//! ```
//! use pyaot_tokenizer::{Encoding, Special};
//!
//! let enc = Encoding::get("cl100k_base")?;
//! assert_eq!(enc.encode_ordinary("hello world")?, [15339, 1917]);
//! assert_eq!(enc.encode("hello <|endoftext|>", Special::All, Special::None)?, [15339, 220, 100257]);
//! // tiktoken's default: special-token text is an error unless allowed.
//! let refused = enc.encode("<|endoftext|>", Special::None, Special::All);
//! assert_eq!(refused.unwrap_err().kind(), pyaot_tokenizer::ErrorKind::DisallowedSpecialToken);
//! assert_eq!(enc.decode(&[15339, 1917])?, "hello world");
//! # Ok::<(), pyaot_tokenizer::Error>(())
//! ```
//!
//! # What is here
//!
//! - The encodings `gpt2`, `r50k_base`, `p50k_base`, `p50k_edit`, `cl100k_base`, `o200k_base`
//!   and `o200k_harmony`, from rank files bundled in the crate (no network, no cache
//!   directory), with tiktoken's special tokens; [`Encoding::new`] and
//!   [`Encoding::from_tiktoken`] build custom ones from a caller's ranks and pattern.
//! - tiktoken's whole encoding surface: `encode` with allowed/disallowed special tokens,
//!   `encode_ordinary`, `encode_with_unstable`, `encode_single_token`, single pieces, raw
//!   bytes; decoding to bytes, to text, per token and with character offsets.
//!
//! # How it is fast
//!
//! - **Splitting** (most of tiktoken's time) runs on hand-written scanners that reproduce the
//!   three built-in patterns exactly, including their lookahead and possessive parts
//!   (`split.rs` documents each alternative); other patterns run on fancy-regex, tiktoken's own
//!   engine, so they split identically.
//! - **Merging** looks a whole piece up first, then runs tiktoken's merge loop on small
//!   arrays, or a heap over a linked list for long pieces (a megabyte without spaces is
//!   O(n log n), not quadratic). Token bytes sit in one buffer; lookups by bytes go through a
//!   half-empty open-addressing table, and pairs of bytes through a direct table.
//!
//! # What it is not for
//!
//! It is not a general regex engine and it never depends on pyo3; bindings live in `capi/` and
//! `python/`.

mod bpe;
mod builtin;
pub mod byte_level;
mod cache;
mod encoding;
mod error;
mod split;
mod unicode;
mod vocab;

#[cfg(feature = "pipeline")]
pub mod hf;
#[cfg(feature = "train")]
pub mod train;

#[cfg(feature = "bundled")]
pub use builtin::bundled_rank_file;
pub use encoding::{Encoding, Special, SpecialSet};
pub use error::{Error, ErrorKind};
pub use split::{CL100K_PATTERN, O200K_PATTERN, R50K_PATTERN};

/// A token id.
pub type Rank = u32;

/// Bytes shown with non-printable ASCII and non-ASCII bytes escaped, for messages.
pub(crate) fn escape_bytes(bytes: &[u8]) -> String {
    bytes.escape_ascii().to_string()
}

/// A string in Python `repr` style (single quotes unless it contains one and no double quote;
/// control characters escaped), for tiktoken's messages.
pub(crate) fn python_repr(text: &str) -> String {
    let quote = if text.contains('\'') && !text.contains('"') { '"' } else { '\'' };
    let mut out = String::with_capacity(text.len() + 2);
    out.push(quote);
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || (0x7f..0xa1).contains(&(c as u32)) => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn python_repr() {
        assert_eq!(super::python_repr("<|endoftext|>"), "'<|endoftext|>'");
        assert_eq!(super::python_repr("it's"), "\"it's\"");
        assert_eq!(super::python_repr("a\n\x01"), "'a\\n\\x01'");
    }
}
