//! Errors.

use std::fmt::{self, Write as _};

use crate::Rank;

/// An error building an encoding, or encoding and decoding with one: its [`ErrorKind`], the
/// details the kind has (the special token, the token id), and a message (`Display`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error(Repr);

/// What kind of [`Error`] it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// `Encoding::get` of a name that is not a built-in encoding.
    UnknownEncoding,
    /// A rank file or rank table that cannot make an encoding.
    InvalidVocabulary,
    /// The split pattern does not compile (or is not a built-in one, without the
    /// `custom-patterns` feature).
    InvalidPattern,
    /// The text contains a special token that the call disallows ([`Error::special_token`]).
    DisallowedSpecialToken,
    /// The regex engine gave up on a custom split pattern (backtracking limit).
    Split,
    /// A token id that is neither a mergeable nor a special token ([`Error::token`]).
    UnknownToken,
    /// `encode_single_token` of bytes that are not one token.
    NotAToken,
    /// Decoded bytes that had to be UTF-8 are not.
    InvalidUtf8,
}

impl Error {
    /// The kind of error.
    pub fn kind(&self) -> ErrorKind {
        match self.0 {
            Repr::UnknownEncoding(_) => ErrorKind::UnknownEncoding,
            Repr::InvalidVocabulary(_) => ErrorKind::InvalidVocabulary,
            Repr::InvalidPattern(_) => ErrorKind::InvalidPattern,
            Repr::DisallowedSpecialToken(_) => ErrorKind::DisallowedSpecialToken,
            Repr::Split(_) => ErrorKind::Split,
            Repr::UnknownToken(_) => ErrorKind::UnknownToken,
            Repr::NotAToken(_) => ErrorKind::NotAToken,
            Repr::InvalidUtf8(_) => ErrorKind::InvalidUtf8,
        }
    }

    /// The disallowed special token's text, for [`ErrorKind::DisallowedSpecialToken`].
    pub fn special_token(&self) -> Option<&str> {
        match &self.0 {
            Repr::DisallowedSpecialToken(text) => Some(text),
            _ => None,
        }
    }

    /// The unknown token id, for [`ErrorKind::UnknownToken`].
    pub fn token(&self) -> Option<Rank> {
        match self.0 {
            Repr::UnknownToken(token) => Some(token),
            _ => None,
        }
    }

    /// The length of the valid UTF-8 prefix, for [`ErrorKind::InvalidUtf8`].
    pub fn valid_up_to(&self) -> Option<usize> {
        match self.0 {
            Repr::InvalidUtf8(valid) => Some(valid),
            _ => None,
        }
    }
}

#[allow(non_snake_case, reason = "constructors named after the kinds they make")]
impl Error {
    pub(crate) fn UnknownEncoding(name: String) -> Error {
        Error(Repr::UnknownEncoding(name))
    }
    pub(crate) fn InvalidVocabulary(message: String) -> Error {
        Error(Repr::InvalidVocabulary(message))
    }
    pub(crate) fn InvalidPattern(message: String) -> Error {
        Error(Repr::InvalidPattern(message))
    }
    pub(crate) fn DisallowedSpecialToken(token: String) -> Error {
        Error(Repr::DisallowedSpecialToken(token))
    }
    pub(crate) fn Split(message: String) -> Error {
        Error(Repr::Split(message))
    }
    pub(crate) fn UnknownToken(token: Rank) -> Error {
        Error(Repr::UnknownToken(token))
    }
    pub(crate) fn NotAToken(bytes: Vec<u8>) -> Error {
        Error(Repr::NotAToken(bytes))
    }
    pub(crate) fn InvalidUtf8(valid_up_to: usize) -> Error {
        Error(Repr::InvalidUtf8(valid_up_to))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Repr {
    /// `Encoding::get` of a name that is not a built-in encoding.
    UnknownEncoding(String),
    /// A rank file or rank table that cannot make an encoding (the message says why).
    InvalidVocabulary(String),
    /// The split pattern does not compile (fancy-regex's message), or custom patterns are not
    /// compiled in.
    InvalidPattern(String),
    /// The text contains a special token that the call disallows. The `Display` text is
    /// tiktoken's `ValueError` message.
    DisallowedSpecialToken(String),
    /// The regex engine gave up on a custom split pattern (backtracking limit).
    Split(String),
    /// A token id that is neither a mergeable nor a special token.
    UnknownToken(Rank),
    /// `encode_single_token` of bytes that are not one token.
    NotAToken(Vec<u8>),
    /// Decoded bytes that had to be UTF-8 are not; the number is the length of the valid prefix.
    InvalidUtf8(usize),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Repr::UnknownEncoding(name) => write!(f, "Unknown encoding {name}."),
            Repr::InvalidVocabulary(message) => write!(f, "invalid vocabulary: {message}"),
            Repr::InvalidPattern(message) => write!(f, "invalid split pattern: {message}"),
            Repr::DisallowedSpecialToken(token) => {
                let token = crate::python_repr(token);
                write!(
                    f,
                    "Encountered text corresponding to disallowed special token {token}.\n\
                     If you want this text to be encoded as a special token, pass it to `allowed_special`, \
                     e.g. `allowed_special={{{token}, ...}}`.\n\
                     If you want this text to be encoded as normal text, disable the check for this token \
                     by passing `disallowed_special=(enc.special_tokens_set - {{{token}}})`.\n\
                     To disable this check for all special tokens, pass `disallowed_special=()`.\n"
                )
            }
            Repr::Split(message) => f.write_str(message),
            Repr::UnknownToken(token) => write!(f, "Invalid token for decoding: {token}"),
            Repr::NotAToken(bytes) => {
                // `{:?}` of the escaped bytes, which are printable ASCII: only `\` and `"` are
                // escaped again (written out to keep `Debug`'s Unicode tables out of small builds).
                f.write_char('"')?;
                for c in crate::escape_bytes(bytes).chars() {
                    if c == '\\' || c == '"' {
                        f.write_char('\\')?;
                    }
                    f.write_char(c)?;
                }
                f.write_str("\" is not a token")
            }
            Repr::InvalidUtf8(valid) => write!(f, "the decoded bytes are not UTF-8 after byte {valid}"),
        }
    }
}

impl std::error::Error for Error {}
