//! Parse errors: CPython's messages, with character positions.

use std::fmt;

use crate::decode::Encoding;
use crate::string::char_count;

/// What went wrong while parsing. The [`fmt::Display`] text of each kind is CPython's message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// `Expecting value`: no JSON value starts here.
    ExpectingValue,
    /// `Expecting property name enclosed in double quotes`.
    ExpectingPropertyName,
    /// `Expecting ':' delimiter`.
    ExpectingColon,
    /// `Expecting ',' delimiter`.
    ExpectingComma,
    /// `Unterminated string starting at`: the position is the opening quote.
    UnterminatedString,
    /// `Invalid control character at`: a raw character below U+0020 in a string (strict mode).
    InvalidControlCharacter,
    /// `Invalid \escape`: the position is the backslash.
    InvalidEscape,
    /// `Invalid \uXXXX escape`: the position is the `u`.
    InvalidUnicodeEscape,
    /// `Extra data`: a complete value is followed by more than whitespace.
    ExtraData,
    /// `Unexpected UTF-8 BOM (decode using utf-8-sig)`: text starts with U+FEFF.
    UnexpectedBom,
    /// Bytes that do not decode in the encoding detected for them (CPython raises
    /// `UnicodeDecodeError`).
    InvalidEncoding(Encoding),
    /// Nesting deeper than the configured limit (CPython raises `RecursionError` here).
    DepthLimitExceeded {
        /// Whether the container that went too deep is an object (else an array).
        object: bool,
    },
}

impl ErrorKind {
    /// CPython's message for this kind (without the position suffix).
    pub fn message(self) -> &'static str {
        match self {
            ErrorKind::ExpectingValue => "Expecting value",
            ErrorKind::ExpectingPropertyName => "Expecting property name enclosed in double quotes",
            ErrorKind::ExpectingColon => "Expecting ':' delimiter",
            ErrorKind::ExpectingComma => "Expecting ',' delimiter",
            ErrorKind::UnterminatedString => "Unterminated string starting at",
            ErrorKind::InvalidControlCharacter => "Invalid control character at",
            ErrorKind::InvalidEscape => "Invalid \\escape",
            ErrorKind::InvalidUnicodeEscape => "Invalid \\uXXXX escape",
            ErrorKind::ExtraData => "Extra data",
            ErrorKind::UnexpectedBom => "Unexpected UTF-8 BOM (decode using utf-8-sig)",
            ErrorKind::InvalidEncoding(encoding) => match encoding {
                Encoding::Utf8 => "input is not valid utf-8",
                Encoding::Utf8Sig => "input is not valid utf-8-sig",
                Encoding::Utf16 => "input is not valid utf-16",
                Encoding::Utf16Be => "input is not valid utf-16-be",
                Encoding::Utf16Le => "input is not valid utf-16-le",
                Encoding::Utf32 => "input is not valid utf-32",
                Encoding::Utf32Be => "input is not valid utf-32-be",
                Encoding::Utf32Le => "input is not valid utf-32-le",
            },
            ErrorKind::DepthLimitExceeded { object: true } => {
                "maximum recursion depth exceeded while decoding a JSON object from a unicode string"
            }
            ErrorKind::DepthLimitExceeded { object: false } => {
                "maximum recursion depth exceeded while decoding a JSON array from a unicode string"
            }
        }
    }
}

/// A parse error: its kind, and where it happened as CPython reports it.
///
/// Positions count characters (code points), not bytes, like Python's `str` indices;
/// `line` and `column` are 1-based, as in `json.JSONDecodeError`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
    byte_offset: usize,
    pos: usize,
    line: usize,
    column: usize,
}

impl Error {
    /// Builds an error at `byte_offset` of `input`, computing the character position, line and
    /// column the way `json.JSONDecodeError` does.
    pub(crate) fn at(kind: ErrorKind, input: &[u8], byte_offset: usize) -> Error {
        let byte_offset = byte_offset.min(input.len());
        let before = &input[..byte_offset];
        // Every byte that does not continue a UTF-8 sequence starts a character.
        let pos = char_count(before);
        let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
        let line_start = before.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        let column = 1 + char_count(&before[line_start..]);
        Error { kind, byte_offset, pos, line, column }
    }

    /// Bytes that do not decode; the position is 0 (the whole input is rejected).
    pub(crate) fn encoding(encoding: Encoding) -> Error {
        Error { kind: ErrorKind::InvalidEncoding(encoding), byte_offset: 0, pos: 0, line: 1, column: 1 }
    }

    /// What went wrong.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// CPython's message, without the position (`JSONDecodeError.msg`).
    pub fn message(&self) -> &'static str {
        self.kind.message()
    }

    /// Character (code point) index in the input (`JSONDecodeError.pos`).
    pub fn position(&self) -> usize {
        self.pos
    }

    /// Byte offset in the input.
    pub fn byte_offset(&self) -> usize {
        self.byte_offset
    }

    /// 1-based line (`JSONDecodeError.lineno`).
    pub fn line(&self) -> usize {
        self.line
    }

    /// 1-based column in characters (`JSONDecodeError.colno`).
    pub fn column(&self) -> usize {
        self.column
    }

    /// Whether this is the nesting-depth error (CPython raises `RecursionError`, not
    /// `JSONDecodeError`).
    pub fn is_depth_limit(&self) -> bool {
        matches!(self.kind, ErrorKind::DepthLimitExceeded { .. })
    }
}

impl fmt::Display for Error {
    /// `JSONDecodeError`'s text: `Expecting value: line 1 column 1 (char 0)`; the depth error
    /// has no position, like CPython's `RecursionError`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_depth_limit() || matches!(self.kind, ErrorKind::InvalidEncoding(_)) {
            return f.write_str(self.message());
        }
        write!(f, "{}: line {} column {} (char {})", self.message(), self.line, self.column, self.pos)
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_characters_lines_and_columns() {
        let input = "[\n \"é\",\n  x]".as_bytes();
        let at = input.iter().position(|&b| b == b'x').unwrap();
        let err = Error::at(ErrorKind::ExpectingValue, input, at);
        assert_eq!((err.position(), err.line(), err.column()), (10, 3, 3));
        assert_eq!(err.to_string(), "Expecting value: line 3 column 3 (char 10)");
        assert_eq!(err.byte_offset(), 11);
    }
}
