//! Errors.

use std::fmt;

use crate::Rank;

/// Everything that can go wrong building an encoding or encoding and decoding with it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// `Encoding::get` of a name that is not a built-in encoding.
    UnknownEncoding(String),
    /// A rank file or rank table that cannot make an encoding (the message says why).
    InvalidVocabulary(String),
    /// The split pattern does not compile (fancy-regex's message).
    InvalidPattern(String),
    /// The text contains a special token that the call disallows. The `Display` text is
    /// tiktoken's `ValueError` message.
    DisallowedSpecialToken(String),
    /// A piece contains a byte that is not a token on its own (only possible with custom ranks
    /// that lack some single bytes).
    UnencodableByte(u8),
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
        match self {
            Error::UnknownEncoding(name) => write!(f, "Unknown encoding {name}."),
            Error::InvalidVocabulary(message) => write!(f, "invalid vocabulary: {message}"),
            Error::InvalidPattern(message) => write!(f, "invalid split pattern: {message}"),
            Error::DisallowedSpecialToken(token) => {
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
            Error::UnencodableByte(byte) => write!(f, "no token for the byte 0x{byte:02x}"),
            Error::Split(message) => f.write_str(message),
            Error::UnknownToken(token) => write!(f, "Invalid token for decoding: {token}"),
            Error::NotAToken(bytes) => write!(f, "{:?} is not a token", crate::escape_bytes(bytes)),
            Error::InvalidUtf8(valid) => write!(f, "the decoded bytes are not UTF-8 after byte {valid}"),
        }
    }
}

impl std::error::Error for Error {}
