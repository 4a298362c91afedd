//! The scanner: one JSON parser that drives a [`Sink`], with CPython's exact grammar,
//! messages and error positions (`Modules/_json.c` in CPython 3.11 is the reference).
//!
//! It is iterative: nesting lives in an explicit stack bounded by
//! [`ParseOptions::max_depth`], so no input can overflow the call stack.

use crate::error::{Error, ErrorKind};
use crate::string::{HIGHS, ONES, push_code_point};

/// Text to parse: Python UTF-8 (UTF-8 that may encode lone surrogates; see
/// [`crate::string`]), with a flag saying whether surrogates may occur.
#[derive(Debug, Clone, Copy)]
pub struct Input<'a> {
    bytes: &'a [u8],
    surrogates: bool,
}

impl<'a> Input<'a> {
    /// Text from a Rust string (no surrogates).
    pub fn from_text(text: &'a str) -> Input<'a> {
        Input { bytes: text.as_bytes(), surrogates: false }
    }

    /// Python UTF-8 bytes, as produced by `str.encode('utf-8', 'surrogatepass')`.
    ///
    /// Returns `None` unless `bytes` is Python UTF-8 (well-formed UTF-8, except that surrogate
    /// code points are allowed).
    pub fn from_python_utf8(bytes: &'a [u8]) -> Option<Input<'a>> {
        match std::str::from_utf8(bytes) {
            Ok(_) => Some(Input { bytes, surrogates: false }),
            Err(_) => crate::decode::is_python_utf8(bytes).then_some(Input { bytes, surrogates: true }),
        }
    }

    /// Bytes the caller already knows to be Python UTF-8 (for instance from CPython's UTF-8
    /// cache of a `str`), with whether they may contain surrogates; skips validation.
    ///
    /// Passing anything else is memory-safe but makes results unspecified.
    pub fn trusted(bytes: &'a [u8], may_contain_surrogates: bool) -> Input<'a> {
        Input { bytes, surrogates: may_contain_surrogates }
    }

    /// The bytes.
    pub fn as_bytes(&self) -> &'a [u8] {
        self.bytes
    }
}

/// A decoded JSON string handed to a [`Sink`]: Python UTF-8 bytes.
#[derive(Debug, Clone, Copy)]
pub struct Str<'a> {
    bytes: &'a [u8],
    surrogates: bool,
}

impl<'a> Str<'a> {
    /// The Python UTF-8 bytes.
    pub fn as_bytes(&self) -> &'a [u8] {
        self.bytes
    }

    /// The string as `&str`, unless it contains a lone surrogate.
    pub fn as_str(&self) -> Option<&'a str> {
        if self.surrogates { std::str::from_utf8(self.bytes).ok() } else { Some(self.utf8()) }
    }

    /// Whether the string may contain lone surrogates (if not, it is plain UTF-8).
    pub fn may_contain_surrogates(&self) -> bool {
        self.surrogates
    }

    fn utf8(&self) -> &'a str {
        // Input is validated as UTF-8 or Python UTF-8 on construction, strings are cut at ASCII
        // quotes, and escapes only add whole code points, so without surrogates this holds.
        std::str::from_utf8(self.bytes).unwrap_or_default()
    }
}

/// One of Python's non-standard constants, accepted by `json.loads` by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Constant {
    /// `NaN`
    NaN,
    /// `Infinity`
    Infinity,
    /// `-Infinity`
    NegInfinity,
}

impl Constant {
    /// The constant's JSON text, as passed to Python's `parse_constant`.
    pub fn as_str(self) -> &'static str {
        match self {
            Constant::NaN => "NaN",
            Constant::Infinity => "Infinity",
            Constant::NegInfinity => "-Infinity",
        }
    }

    /// The float it stands for.
    pub fn to_f64(self) -> f64 {
        match self {
            Constant::NaN => f64::NAN,
            Constant::Infinity => f64::INFINITY,
            Constant::NegInfinity => f64::NEG_INFINITY,
        }
    }
}

/// Builds values from what the scanner finds. The scanner calls these in document order;
/// containers are built bottom-up (a container is finished after all its children), which is
/// also the order in which CPython calls `object_hook`.
pub trait Sink {
    /// A finished value.
    type Value;
    /// An array under construction.
    type Array;
    /// An object under construction.
    type Object;
    /// An object key.
    type Key;
    /// Errors of the sink itself (a Python hook that raised, say); parse errors convert into it.
    type Error: From<Error>;

    /// `null`
    fn null(&mut self) -> Result<Self::Value, Self::Error>;
    /// `true` or `false`
    fn boolean(&mut self, value: bool) -> Result<Self::Value, Self::Error>;
    /// An integer literal such as `-12` (any length; no fraction or exponent).
    fn integer(&mut self, text: &str) -> Result<Self::Value, Self::Error>;
    /// A number with a fraction or an exponent, such as `1.5e3`.
    fn float(&mut self, text: &str) -> Result<Self::Value, Self::Error>;
    /// `NaN`, `Infinity` or `-Infinity`.
    fn constant(&mut self, constant: Constant) -> Result<Self::Value, Self::Error>;
    /// A string value.
    fn string(&mut self, text: Str<'_>) -> Result<Self::Value, Self::Error>;
    /// `[` was read.
    fn start_array(&mut self) -> Result<Self::Array, Self::Error>;
    /// An element of the innermost array.
    fn push(&mut self, array: &mut Self::Array, value: Self::Value) -> Result<(), Self::Error>;
    /// `]` was read.
    fn end_array(&mut self, array: Self::Array) -> Result<Self::Value, Self::Error>;
    /// `{` was read.
    fn start_object(&mut self) -> Result<Self::Object, Self::Error>;
    /// An object key was read.
    fn key(&mut self, text: Str<'_>) -> Result<Self::Key, Self::Error>;
    /// A member of the innermost object.
    fn insert(&mut self, object: &mut Self::Object, key: Self::Key, value: Self::Value) -> Result<(), Self::Error>;
    /// `}` was read.
    fn end_object(&mut self, object: Self::Object) -> Result<Self::Value, Self::Error>;
}

/// Parser settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParseOptions {
    /// Reject raw control characters (below U+0020) inside strings, like `strict=True`.
    pub strict: bool,
    /// Deepest nesting of arrays and objects accepted; deeper input is an
    /// [`ErrorKind::DepthLimitExceeded`] error.
    pub max_depth: usize,
}

impl Default for ParseOptions {
    /// Strict, and at most 1000 levels deep (CPython's default recursion limit).
    fn default() -> Self {
        ParseOptions { strict: true, max_depth: 1000 }
    }
}

enum Frame<S: Sink> {
    Array(S::Array),
    Object(S::Object, Option<S::Key>),
}

/// Parses one JSON value starting exactly at byte `start` (no whitespace skipped), returning it
/// with the byte offset just after it: CPython's `scan_once(string, idx)`.
///
/// # Errors
///
/// A parse error (converted into the sink's error type), or the sink's own error.
pub fn scan_once<S: Sink>(
    sink: &mut S,
    input: Input<'_>,
    start: usize,
    options: ParseOptions,
) -> Result<(S::Value, usize), S::Error> {
    Scanner { bytes: input.bytes, surrogates: input.surrogates, strict: options.strict, scratch: Vec::new() }.value(
        sink,
        start,
        options.max_depth,
    )
}

/// Parses a whole document: whitespace, one value, whitespace, end (`json.loads`).
///
/// # Errors
///
/// As [`scan_once`], plus [`ErrorKind::UnexpectedBom`] and [`ErrorKind::ExtraData`].
pub fn parse<S: Sink>(sink: &mut S, input: Input<'_>, options: ParseOptions) -> Result<S::Value, S::Error> {
    let bytes = input.bytes;
    if bytes.starts_with("\u{FEFF}".as_bytes()) {
        return Err(Error::at(ErrorKind::UnexpectedBom, bytes, 0).into());
    }
    let start = skip_whitespace(bytes, 0);
    let (value, end) = scan_once(sink, input, start, options)?;
    let end = skip_whitespace(bytes, end);
    if end != bytes.len() {
        return Err(Error::at(ErrorKind::ExtraData, bytes, end).into());
    }
    Ok(value)
}

/// Decodes the JSON string whose opening quote is just before byte `start`: CPython's
/// `scanstring(s, end, strict)`. Returns the decoded Python UTF-8, whether it may contain lone
/// surrogates, and the offset after the closing quote.
///
/// # Errors
///
/// CPython's string errors; an unterminated string is reported at `start - 1` (the quote).
pub fn scan_string(input: Input<'_>, start: usize, strict: bool) -> Result<(Vec<u8>, bool, usize), Error> {
    let mut scanner = Scanner { bytes: input.bytes, surrogates: input.surrogates, strict, scratch: Vec::new() };
    let (text, end) = scanner.string_from(start)?;
    Ok((text.bytes.to_vec(), text.surrogates, end))
}

/// The offset of the first byte at or after `at` that is not JSON whitespace.
pub fn skip_whitespace(bytes: &[u8], mut at: usize) -> usize {
    while let Some(b' ' | b'\t' | b'\n' | b'\r') = bytes.get(at) {
        at += 1;
    }
    at
}

struct Scanner<'a> {
    bytes: &'a [u8],
    surrogates: bool,
    strict: bool,
    scratch: Vec<u8>,
}

impl<'a> Scanner<'a> {
    fn error(&self, kind: ErrorKind, at: usize) -> Error {
        Error::at(kind, self.bytes, at)
    }

    fn ws(&self, at: usize) -> usize {
        skip_whitespace(self.bytes, at)
    }

    fn value<S: Sink>(&mut self, sink: &mut S, start: usize, max_depth: usize) -> Result<(S::Value, usize), S::Error> {
        let bytes = self.bytes;
        let mut stack: Vec<Frame<S>> = Vec::new();
        let mut pos = start;
        'value: loop {
            // Read one value at `pos`; containers push a frame and read their first child.
            let mut value = match bytes.get(pos) {
                None => return Err(self.error(ErrorKind::ExpectingValue, pos).into()),
                Some(b'"') => {
                    let (text, end) = self.string(pos)?;
                    pos = end;
                    sink.string(text)?
                }
                Some(&open @ (b'{' | b'[')) => {
                    let object = open == b'{';
                    if stack.len() >= max_depth {
                        return Err(self.error(ErrorKind::DepthLimitExceeded { object }, pos).into());
                    }
                    pos = self.ws(pos + 1);
                    if object {
                        let obj = sink.start_object()?;
                        if bytes.get(pos) == Some(&b'}') {
                            pos += 1;
                            sink.end_object(obj)?
                        } else {
                            let key;
                            (key, pos) = self.key(sink, pos)?;
                            stack.push(Frame::Object(obj, Some(key)));
                            continue 'value;
                        }
                    } else {
                        let array = sink.start_array()?;
                        if bytes.get(pos) == Some(&b']') {
                            pos += 1;
                            sink.end_array(array)?
                        } else {
                            stack.push(Frame::Array(array));
                            continue 'value;
                        }
                    }
                }
                Some(b'n') if bytes[pos..].starts_with(b"null") => {
                    pos += 4;
                    sink.null()?
                }
                Some(b't') if bytes[pos..].starts_with(b"true") => {
                    pos += 4;
                    sink.boolean(true)?
                }
                Some(b'f') if bytes[pos..].starts_with(b"false") => {
                    pos += 5;
                    sink.boolean(false)?
                }
                Some(b'N') if bytes[pos..].starts_with(b"NaN") => {
                    pos += 3;
                    sink.constant(Constant::NaN)?
                }
                Some(b'I') if bytes[pos..].starts_with(b"Infinity") => {
                    pos += 8;
                    sink.constant(Constant::Infinity)?
                }
                Some(b'-') if bytes[pos..].starts_with(b"-Infinity") => {
                    pos += 9;
                    sink.constant(Constant::NegInfinity)?
                }
                Some(_) => {
                    let (end, is_float) = self.number(pos)?;
                    // Number text is ASCII, so this cannot fail.
                    let text = std::str::from_utf8(&bytes[pos..end]).unwrap_or_default();
                    pos = end;
                    if is_float { sink.float(text)? } else { sink.integer(text)? }
                }
            };
            // A value is complete: hand it to its container, and close containers as they end.
            loop {
                match stack.last_mut() {
                    None => return Ok((value, pos)),
                    Some(Frame::Array(array)) => {
                        sink.push(array, value)?;
                        pos = self.ws(pos);
                        match bytes.get(pos) {
                            Some(b']') => {
                                pos += 1;
                                let Some(Frame::Array(array)) = stack.pop() else { unreachable!() };
                                value = sink.end_array(array)?;
                            }
                            Some(b',') => {
                                pos = self.ws(pos + 1);
                                continue 'value;
                            }
                            _ => return Err(self.error(ErrorKind::ExpectingComma, pos).into()),
                        }
                    }
                    Some(Frame::Object(object, key)) => {
                        let k = key.take().expect("a key is pending while its value is read");
                        sink.insert(object, k, value)?;
                        pos = self.ws(pos);
                        match bytes.get(pos) {
                            Some(b'}') => {
                                pos += 1;
                                let Some(Frame::Object(object, _)) = stack.pop() else { unreachable!() };
                                value = sink.end_object(object)?;
                            }
                            Some(b',') => {
                                let next;
                                (next, pos) = self.key(sink, self.ws(pos + 1))?;
                                *key = Some(next);
                                continue 'value;
                            }
                            _ => return Err(self.error(ErrorKind::ExpectingComma, pos).into()),
                        }
                    }
                }
            }
        }
    }

    /// Reads `"key"`, whitespace, `:` and whitespace; returns the key and the value's offset.
    fn key<S: Sink>(&mut self, sink: &mut S, pos: usize) -> Result<(S::Key, usize), S::Error> {
        if self.bytes.get(pos) != Some(&b'"') {
            return Err(self.error(ErrorKind::ExpectingPropertyName, pos).into());
        }
        let (text, end) = self.string(pos)?;
        let key = sink.key(text)?;
        let colon = self.ws(end);
        if self.bytes.get(colon) != Some(&b':') {
            return Err(self.error(ErrorKind::ExpectingColon, colon).into());
        }
        Ok((key, self.ws(colon + 1)))
    }

    /// `_match_number_unicode`: the end of the number at `start` and whether it is a float.
    fn number(&self, start: usize) -> Result<(usize, bool), Error> {
        let b = self.bytes;
        let len = b.len();
        let digit = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
        let mut i = start;
        if b[i] == b'-' {
            i += 1;
        }
        match b.get(i) {
            Some(b'1'..=b'9') => {
                i += 1;
                while digit(i) {
                    i += 1;
                }
            }
            Some(b'0') => i += 1,
            _ => return Err(self.error(ErrorKind::ExpectingValue, start)),
        }
        let mut is_float = false;
        // A fraction needs a digit after the dot ("1." is the integer 1 followed by ".").
        if i + 1 < len && b[i] == b'.' && digit(i + 1) {
            is_float = true;
            i += 2;
            while digit(i) {
                i += 1;
            }
        }
        // An exponent needs digits; otherwise back off to before the 'e'. CPython only looks
        // for an 'e' or a sign when another character follows it.
        if i + 1 < len && (b[i] == b'e' || b[i] == b'E') {
            let e = i;
            i += 1;
            if i + 1 < len && (b[i] == b'-' || b[i] == b'+') {
                i += 1;
            }
            while digit(i) {
                i += 1;
            }
            if b[i - 1].is_ascii_digit() {
                is_float = true;
            } else {
                i = e;
            }
        }
        Ok((i, is_float))
    }

    /// `scanstring_unicode`: the string whose opening quote is at `quote`, and the offset after
    /// its closing quote.
    fn string(&mut self, quote: usize) -> Result<(Str<'_>, usize), Error> {
        self.string_from(quote + 1)
    }

    /// The string whose contents start at `start` (just after the opening quote).
    fn string_from(&mut self, start: usize) -> Result<(Str<'_>, usize), Error> {
        let b = self.bytes;
        let len = b.len();
        let quote = start.saturating_sub(1);
        let mut end = start;
        let mut escaped = false;
        let mut surrogates = self.surrogates;
        self.scratch.clear();
        loop {
            let next =
                if self.strict { find_quote_backslash_or_control(b, end) } else { find_quote_or_backslash(b, end) };
            let Some(&c) = b.get(next) else {
                return Err(self.error(ErrorKind::UnterminatedString, quote));
            };
            if c == b'"' {
                if !escaped {
                    return Ok((Str { bytes: &b[end..next], surrogates }, next + 1));
                }
                self.scratch.extend_from_slice(&b[end..next]);
                return Ok((Str { bytes: &self.scratch, surrogates }, next + 1));
            }
            if c != b'\\' {
                return Err(self.error(ErrorKind::InvalidControlCharacter, next));
            }
            self.scratch.extend_from_slice(&b[end..next]);
            escaped = true;
            let at = next + 1;
            let Some(&e) = b.get(at) else {
                return Err(self.error(ErrorKind::UnterminatedString, quote));
            };
            if e != b'u' {
                let decoded = match e {
                    b'"' | b'\\' | b'/' => e,
                    b'b' => 0x08,
                    b'f' => 0x0C,
                    b'n' => b'\n',
                    b'r' => b'\r',
                    b't' => b'\t',
                    _ => return Err(self.error(ErrorKind::InvalidEscape, next)),
                };
                self.scratch.push(decoded);
                end = at + 1;
                continue;
            }
            // \uXXXX: CPython wants a character after the four digits (at least the quote).
            let digits = at + 1;
            end = digits + 4;
            if end >= len {
                return Err(self.error(ErrorKind::InvalidUnicodeEscape, at));
            }
            let mut c = hex4(&b[digits..end]).ok_or_else(|| self.error(ErrorKind::InvalidUnicodeEscape, at))?;
            if (0xD800..0xDC00).contains(&c) && end + 6 < len && b[end] == b'\\' && b[end + 1] == b'u' {
                let low =
                    hex4(&b[end + 2..end + 6]).ok_or_else(|| self.error(ErrorKind::InvalidUnicodeEscape, end + 1))?;
                if (0xDC00..0xE000).contains(&low) {
                    c = 0x10000 + (((c - 0xD800) << 10) | (low - 0xDC00));
                    end += 6;
                }
            }
            surrogates |= (0xD800..0xE000).contains(&c);
            push_code_point(&mut self.scratch, c);
        }
    }
}

fn hex4(digits: &[u8]) -> Option<u32> {
    digits.iter().try_fold(0u32, |acc, &d| Some((acc << 4) | char::from(d).to_digit(16)?))
}

/// Marks (with the high bit) each byte of `x` that is `"`, `\` or below 0x20; the lowest
/// marked byte is exact (higher marks may be spurious, which is fine for finding the first).
#[inline]
fn special_bytes(x: u64) -> u64 {
    let quote = x ^ (ONES * u64::from(b'"'));
    let backslash = x ^ (ONES * u64::from(b'\\'));
    let zero_quote = quote.wrapping_sub(ONES) & !quote;
    let zero_backslash = backslash.wrapping_sub(ONES) & !backslash;
    let control = x.wrapping_sub(ONES * 0x20) & !x;
    (zero_quote | zero_backslash | control) & HIGHS
}

/// The first offset at or after `from` holding `"`, `\` or a control byte, or `len`.
#[inline]
fn find_quote_backslash_or_control(b: &[u8], mut from: usize) -> usize {
    #[cfg(target_arch = "x86_64")]
    {
        from = sse2::skip_plain(b, from);
    }
    while from + 8 <= b.len() {
        let chunk = u64::from_le_bytes(b[from..from + 8].try_into().expect("8 bytes"));
        let marks = special_bytes(chunk);
        if marks != 0 {
            return from + (marks.trailing_zeros() / 8) as usize;
        }
        from += 8;
    }
    while from < b.len() && !matches!(b[from], b'"' | b'\\' | 0..=0x1F) {
        from += 1;
    }
    from
}

/// Sixteen bytes at a time with SSE2, which every x86_64 CPU has (no runtime detection needed):
/// string contents are most of a document's bytes, and this doubles the scan rate of the word
/// loop that finishes the job.
#[cfg(target_arch = "x86_64")]
mod sse2 {
    use std::arch::x86_64::{
        __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_max_epu8, _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8,
    };

    /// The first offset at or after `from` of a 16-byte block holding `"`, `\` or a byte below
    /// 0x20, exact to the byte; or the start of the last partial block.
    #[inline]
    pub(super) fn skip_plain(b: &[u8], mut from: usize) -> usize {
        while from + 16 <= b.len() {
            // SAFETY: SSE2 is part of the x86_64 baseline; `from + 16 <= b.len()`, so the
            // unaligned 16-byte load stays inside `b`.
            let mask = unsafe {
                let chunk = _mm_loadu_si128(b.as_ptr().add(from).cast::<__m128i>());
                let quote = _mm_cmpeq_epi8(chunk, _mm_set1_epi8(b'"' as i8));
                let backslash = _mm_cmpeq_epi8(chunk, _mm_set1_epi8(b'\\' as i8));
                // Unsigned x <= 0x1F exactly when max(x, 0x1F) == 0x1F.
                let control = _mm_cmpeq_epi8(_mm_max_epu8(chunk, _mm_set1_epi8(0x1F)), _mm_set1_epi8(0x1F));
                _mm_movemask_epi8(_mm_or_si128(_mm_or_si128(quote, backslash), control))
            };
            if mask != 0 {
                return from + mask.trailing_zeros() as usize;
            }
            from += 16;
        }
        from
    }
}

/// The first offset at or after `from` holding `"` or `\`, or `len`.
fn find_quote_or_backslash(b: &[u8], from: usize) -> usize {
    // A start past the end (possible through `scan_string`) finds nothing: unterminated.
    let rest = b.get(from..).unwrap_or_default();
    rest.iter().position(|&c| c == b'"' || c == b'\\').map_or(b.len(), |i| from + i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scan_string_past_the_end_is_an_error_not_a_panic() {
        // Found by the `parse` fuzz target (libs/json/fuzz/regressions.md).
        for strict in [false, true] {
            let err = scan_string(Input::from_text("\n"), 2, strict).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::UnterminatedString);
        }
    }

    #[test]
    fn the_special_byte_finder_agrees_with_a_plain_scan() {
        let text: Vec<u8> = (0u8..=255).chain(b"abcdefgh\"ijklmnop\\qrs".iter().copied()).collect();
        for start in 0..text.len() {
            let slow = (start..text.len()).find(|&i| matches!(text[i], b'"' | b'\\' | 0..=0x1F)).unwrap_or(text.len());
            assert_eq!(find_quote_backslash_or_control(&text, start), slow, "from {start}");
        }
        let plain = b"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\xe9\xff";
        assert_eq!(find_quote_backslash_or_control(plain, 0), plain.len());
    }
}
