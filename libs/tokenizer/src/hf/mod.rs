//! A HuggingFace-`tokenizers`-compatible pipeline: normalizer, pre-tokenizer, model,
//! post-processor and decoder, with the same components, options, offsets and
//! `tokenizer.json` format.
//!
//! ```
//! use pyaot_tokenizer::hf::{Bpe, BpeOptions, Model, Tokenizer};
//!
//! let vocab = [("a", 0), ("b", 1), ("ab", 2)].map(|(t, id)| (t.to_owned(), id));
//! let bpe = Bpe::new(vocab, vec![("a".into(), "b".into())], BpeOptions::default())?;
//! let tokenizer = Tokenizer::new(Model::Bpe(bpe));
//! assert_eq!(tokenizer.encode("abab", None, true)?.ids(), [2, 2]);
//! # Ok::<(), pyaot_tokenizer::hf::Error>(())
//! ```
//!
//! Each component group is a Cargo feature (`normalizers`, `pre-tokenizers`, `processors`,
//! `decoders`, `wordpiece`, `json`); with a group off, its code is not compiled at all.

// Helpers shared by several component groups are unused when some groups are off.
#![cfg_attr(
    not(all(feature = "normalizers", feature = "pre-tokenizers", feature = "processors", feature = "decoders")),
    allow(dead_code)
)]

mod added;
mod encoding;
mod models;
mod normalized;
mod tokenizer;

#[cfg(feature = "decoders")]
pub mod decoders;
#[cfg(feature = "json")]
pub mod json;
#[cfg(feature = "normalizers")]
pub mod normalizers;
#[cfg(feature = "pre-tokenizers")]
pub mod pre_tokenizers;
#[cfg(feature = "processors")]
pub mod processors;

pub use added::AddedToken;
pub use encoding::{Encoding, OffsetType, PreTokenizedString, Token};
#[cfg(feature = "wordpiece")]
pub use models::WordPiece;
pub use models::{Bpe, BpeOptions, Model};
pub use normalized::{NormalizedString, SplitBehavior};
pub use tokenizer::{Input, Tokenizer};

use normalized::Matches;

/// How `Metaspace` puts the replacement character before the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrependScheme {
    /// Before every piece that does not start with it.
    Always,
    /// Never.
    Never,
    /// Only before the first piece of the text.
    First,
}

impl PrependScheme {
    /// The name in `tokenizer.json` and in Python (`"always"`...).
    pub fn name(self) -> &'static str {
        match self {
            PrependScheme::Always => "always",
            PrependScheme::Never => "never",
            PrependScheme::First => "first",
        }
    }

    /// The scheme named `name`.
    pub fn from_name(name: &str) -> Option<PrependScheme> {
        Some(match name {
            "always" => PrependScheme::Always,
            "never" => PrependScheme::Never,
            "first" => PrependScheme::First,
            _ => return None,
        })
    }
}

/// An error of the pipeline: a message in HuggingFace's words where it has one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error(String);

impl Error {
    pub(crate) fn new(message: impl Into<String>) -> Error {
        Error(message.into())
    }

    /// The message.
    pub fn message(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

/// A pattern for `Replace` and `Split`: a literal string or a regex.
#[derive(Debug, Clone)]
pub enum Pattern {
    /// A literal string.
    String(String),
    /// A regex (fancy-regex syntax, close to the Oniguruma syntax HuggingFace uses).
    #[cfg(feature = "pattern-regex")]
    Regex {
        /// The pattern as written.
        source: String,
        /// The compiled regex.
        regex: Box<fancy_regex::Regex>,
    },
}

impl Pattern {
    /// A regex pattern.
    #[cfg(feature = "pattern-regex")]
    pub fn regex(source: &str) -> Result<Pattern, Error> {
        let regex =
            fancy_regex::Regex::new(source).map_err(|e| Error::new(format!("Invalid regex {source:?}: {e}")))?;
        Ok(Pattern::Regex { source: source.to_owned(), regex: Box::new(regex) })
    }

    /// The spans of `text`, marked where the pattern matched.
    pub(crate) fn find_matches(&self, text: &str) -> Matches {
        match self {
            Pattern::String(needle) => normalized::str_matches(text, needle),
            #[cfg(feature = "pattern-regex")]
            Pattern::Regex { regex, .. } => {
                if text.is_empty() {
                    return vec![((0, 0), false)];
                }
                normalized::spans_to_matches(
                    text.len(),
                    regex.find_iter(text).filter_map(Result::ok).map(|m| (m.start(), m.end())),
                )
            }
        }
    }
}
