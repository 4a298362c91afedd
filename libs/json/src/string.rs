//! Python strings in UTF-8, and the escaping rules of `json.dumps`.
//!
//! A Python `str` is a sequence of code points that may include lone surrogates
//! (`json.loads('"\\ud800"')` returns one). Such a string has no `&str` form, so this crate
//! represents strings as *Python UTF-8*: UTF-8 in which a surrogate code point is encoded like
//! any other (three bytes, `ED A0..BF xx`) and two surrogates are never joined. This is exactly
//! what Python's `'utf-8'` codec with `errors='surrogatepass'` produces and accepts, so the
//! mapping to and from a Python `str` is lossless both ways. Strings without surrogates are
//! plain UTF-8.

use std::borrow::Borrow;
use std::fmt;

/// A Python string: UTF-8 that may contain lone surrogates (see the module docs).
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct JsonString(Box<[u8]>);

impl JsonString {
    /// Wraps Python UTF-8 bytes.
    ///
    /// The caller promises that `bytes` is UTF-8 in which surrogate code points may appear as
    /// three-byte sequences; the parser only ever produces such bytes.
    pub(crate) fn from_python_utf8(bytes: &[u8]) -> JsonString {
        JsonString(bytes.into())
    }

    /// The string as `&str`, when it has no lone surrogates (the common case).
    pub fn as_str(&self) -> Option<&str> {
        std::str::from_utf8(&self.0).ok()
    }

    /// The Python UTF-8 bytes (`s.encode('utf-8', 'surrogatepass')` in Python).
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The string with each lone surrogate replaced by U+FFFD.
    pub fn to_string_lossy(&self) -> String {
        if let Some(s) = self.as_str() {
            return s.to_owned();
        }
        let mut out = String::with_capacity(self.0.len());
        let mut i = 0;
        while i < self.0.len() {
            let (c, len) = decode_at(&self.0, i);
            out.push(char::from_u32(c).unwrap_or(char::REPLACEMENT_CHARACTER));
            i += len;
        }
        out
    }

    /// Number of code points (Python's `len(s)`).
    pub fn char_count(&self) -> usize {
        char_count(&self.0)
    }
}

impl From<&str> for JsonString {
    fn from(s: &str) -> Self {
        JsonString(s.as_bytes().into())
    }
}

impl From<String> for JsonString {
    fn from(s: String) -> Self {
        JsonString(s.into_bytes().into_boxed_slice())
    }
}

impl PartialEq<str> for JsonString {
    fn eq(&self, other: &str) -> bool {
        &*self.0 == other.as_bytes()
    }
}

impl PartialEq<&str> for JsonString {
    fn eq(&self, other: &&str) -> bool {
        &*self.0 == other.as_bytes()
    }
}

impl Borrow<[u8]> for JsonString {
    fn borrow(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Debug for JsonString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.as_str() {
            Some(s) => fmt::Debug::fmt(s, f),
            None => write!(f, "{:?} (with lone surrogates)", self.to_string_lossy()),
        }
    }
}

impl fmt::Display for JsonString {
    /// Lone surrogates are shown as U+FFFD.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_string_lossy())
    }
}

/// Appends code point `c` (which may be a surrogate) to `out` as Python UTF-8.
pub(crate) fn push_code_point(out: &mut Vec<u8>, c: u32) {
    match c {
        0..=0x7F => out.push(c as u8),
        0x80..=0x7FF => out.extend_from_slice(&[0xC0 | (c >> 6) as u8, 0x80 | (c & 0x3F) as u8]),
        0x800..=0xFFFF => {
            out.extend_from_slice(&[0xE0 | (c >> 12) as u8, 0x80 | ((c >> 6) & 0x3F) as u8, 0x80 | (c & 0x3F) as u8]);
        }
        _ => out.extend_from_slice(&[
            0xF0 | (c >> 18) as u8,
            0x80 | ((c >> 12) & 0x3F) as u8,
            0x80 | ((c >> 6) & 0x3F) as u8,
            0x80 | (c & 0x3F) as u8,
        ]),
    }
}

const HEX: &[u8; 16] = b"0123456789abcdef";

fn push_u_escape(out: &mut Vec<u8>, c: u32) {
    out.extend_from_slice(&[
        b'\\',
        b'u',
        HEX[(c >> 12) as usize & 0xF],
        HEX[(c >> 8) as usize & 0xF],
        HEX[(c >> 4) as usize & 0xF],
        HEX[c as usize & 0xF],
    ]);
}

/// For each ASCII byte: 0 when it is written as is, else the character after the backslash
/// (`u` for a `\u00XX` escape). `encode_basestring` escapes `"`, `\` and control characters.
static ESCAPE: [u8; 128] = escape_table(false);

/// As [`ESCAPE`] for `encode_basestring_ascii`, which also escapes DEL (0x7F): only `' '..='~'`
/// is written as is.
static ESCAPE_ASCII: [u8; 128] = escape_table(true);

const fn escape_table(ensure_ascii: bool) -> [u8; 128] {
    let mut table = [0u8; 128];
    let mut i = 0;
    while i < 0x20 {
        table[i] = b'u';
        i += 1;
    }
    if ensure_ascii {
        table[0x7F] = b'u';
    }
    table[b'"' as usize] = b'"';
    table[b'\\' as usize] = b'\\';
    table[0x08] = b'b';
    table[0x0C] = b'f';
    table[b'\n' as usize] = b'n';
    table[b'\r' as usize] = b'r';
    table[b'\t' as usize] = b't';
    table
}

fn push_ascii_escape(out: &mut Vec<u8>, b: u8, escape: u8) {
    match escape {
        b'u' => push_u_escape(out, u32::from(b)),
        e => out.extend_from_slice(&[b'\\', e]),
    }
}

/// Decodes the code point starting at `bytes[i]` and its length. Input is Python UTF-8 by
/// contract; should a caller break it (`Input::trusted`, `Writer::raw_value`), a truncated
/// sequence decodes as U+FFFD instead of reading out of bounds.
fn decode_at(bytes: &[u8], i: usize) -> (u32, usize) {
    let b0 = u32::from(bytes[i]);
    let len = match b0 {
        0..=0x7F => return (b0, 1),
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        _ => 4,
    };
    let Some(tail) = bytes.get(i + 1..i + len) else {
        return (0xFFFD, 1);
    };
    let lead = b0 & (0x7F >> len);
    (tail.iter().fold(lead, |acc, &b| (acc << 6) | u32::from(b & 0x3F)), len)
}

/// A byte in every lane of a word (SWAR scans, here and in `scan`).
pub(crate) const ONES: u64 = 0x0101_0101_0101_0101;
/// The high bit of every lane of a word.
pub(crate) const HIGHS: u64 = 0x8080_8080_8080_8080;

/// The number of code points in (Python) UTF-8 `bytes`, Python's `len()` of the text: the bytes
/// that are not continuation bytes (`10xxxxxx`), counted sixteen at a time with SSE2 on x86_64,
/// else a word at a time. Error positions, `JsonString::char_count` and the Python binding's
/// index conversions all use it.
pub fn char_count(bytes: &[u8]) -> usize {
    let mut continuation = 0;
    let mut i = 0;
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{__m128i, _mm_cmplt_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_set1_epi8};
        while i + 16 <= bytes.len() {
            // SAFETY: SSE2 is part of the x86_64 baseline; `i + 16 <= len` keeps the unaligned
            // load inside `bytes`. Continuation bytes are -128..=-65 as signed bytes.
            let mask = unsafe {
                let chunk = _mm_loadu_si128(bytes.as_ptr().add(i).cast::<__m128i>());
                _mm_movemask_epi8(_mm_cmplt_epi8(chunk, _mm_set1_epi8(-64)))
            };
            continuation += mask.count_ones() as usize;
            i += 16;
        }
    }
    while i + 8 <= bytes.len() {
        let x = u64::from_le_bytes(bytes[i..i + 8].try_into().expect("8 bytes"));
        // Bit 7 set and bit 6 clear: shifting left by one moves each byte's bit 6 to its bit 7.
        continuation += (x & !(x << 1) & HIGHS).count_ones() as usize;
        i += 8;
    }
    continuation += bytes[i..].iter().filter(|&&b| (b as i8) < -0x40).count();
    bytes.len() - continuation
}

/// Whether any byte of `x` needs escaping: below 0x20, `"` or `\\`, and with `ensure_ascii`
/// also 0x7F and above (non-ASCII). Exact: a plain word is never flagged.
#[inline]
fn word_needs_escape(x: u64, ensure_ascii: bool) -> bool {
    let has_zero = |v: u64| v.wrapping_sub(ONES) & !v & HIGHS;
    let quote = has_zero(x ^ (ONES * u64::from(b'"')));
    let backslash = has_zero(x ^ (ONES * u64::from(b'\\')));
    // Bytes below 0x20: (b | 0x80) - 0x20 never borrows across lanes and loses the high bit
    // for b < 0x20 (and for 0x80..0xA0, which `!x` excludes).
    let control = !((x | HIGHS).wrapping_sub(ONES * 0x20)) & !x & HIGHS;
    let high = if ensure_ascii {
        // 0x7F and above: b + 1 overflows into the high bit for 0x7F; b >= 0x80 has it already.
        (x | (x & !HIGHS).wrapping_add(ONES)) & HIGHS
    } else {
        0
    };
    (quote | backslash | control | high) != 0
}

/// Appends `s` (Python UTF-8) as a JSON string literal, quotes included, exactly as
/// `json.dumps` does: with `ensure_ascii` every non-ASCII code point becomes `\uXXXX` (lowercase
/// hex, a surrogate pair above U+FFFF); without it only `"`, `\` and control characters are
/// escaped.
pub fn write_escaped(out: &mut Vec<u8>, s: &[u8], ensure_ascii: bool) {
    out.reserve(s.len() + 2);
    out.push(b'"');
    let table = if ensure_ascii { &ESCAPE_ASCII } else { &ESCAPE };
    let mut start = 0;
    let mut i = 0;
    while i < s.len() {
        // Skip a word at a time over text that is written as is.
        while i + 8 <= s.len()
            && !word_needs_escape(u64::from_le_bytes(s[i..i + 8].try_into().expect("8 bytes")), ensure_ascii)
        {
            i += 8;
        }
        if i >= s.len() {
            break;
        }
        let b = s[i];
        if b < 0x80 {
            let escape = table[b as usize];
            if escape == 0 {
                i += 1;
                continue;
            }
            out.extend_from_slice(&s[start..i]);
            push_ascii_escape(out, b, escape);
            i += 1;
            start = i;
        } else if ensure_ascii {
            out.extend_from_slice(&s[start..i]);
            let (c, len) = decode_at(s, i);
            if c >= 0x10000 {
                let v = c - 0x10000;
                push_u_escape(out, 0xD800 | (v >> 10));
                push_u_escape(out, 0xDC00 | (v & 0x3FF));
            } else {
                push_u_escape(out, c);
            }
            i += len;
            start = i;
        } else {
            i += 1;
        }
    }
    out.extend_from_slice(&s[start..]);
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn escaped(s: &str, ensure_ascii: bool) -> String {
        let mut out = Vec::new();
        write_escaped(&mut out, s.as_bytes(), ensure_ascii);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn escapes_like_json_dumps() {
        // Expected values are what CPython 3.11's json.dumps prints.
        assert_eq!(escaped("a\"b\\c/\u{8}\u{c}\n\r\t\u{1}\u{7f}", true), r#""a\"b\\c/\b\f\n\r\t\u0001\u007f""#);
        assert_eq!(escaped("\u{7f}", false), "\"\u{7f}\"");
        assert_eq!(escaped("é😀\u{2028}", true), r#""\u00e9\ud83d\ude00\u2028""#);
        assert_eq!(escaped("é😀\u{1f}", false), "\"é😀\\u001f\"");
    }

    #[test]
    fn the_word_scan_flags_exactly_the_bytes_that_need_escaping() {
        for ensure_ascii in [false, true] {
            for b in 0..=255u8 {
                let expected = b < 0x20 || b == b'"' || b == b'\\' || (ensure_ascii && b >= 0x7F);
                for lane in 0..8 {
                    let mut word = [b'a'; 8];
                    word[lane] = b;
                    assert_eq!(
                        word_needs_escape(u64::from_le_bytes(word), ensure_ascii),
                        expected,
                        "{b:#x} in lane {lane}"
                    );
                }
            }
        }
    }

    #[test]
    fn broken_input_is_escaped_without_panicking() {
        // Bytes that break the Python UTF-8 contract (fuzz: libs/json/fuzz/regressions.md).
        for bytes in [&b"\xf0"[..], b"\xe9a", b"a\xc3"] {
            let mut out = Vec::new();
            write_escaped(&mut out, bytes, true);
            assert!(out.is_ascii() && out.starts_with(b"\"") && out.ends_with(b"\""));
        }
        assert_eq!(JsonString::from_python_utf8(b"\xf0").to_string_lossy(), "\u{FFFD}");
    }

    #[test]
    fn char_count_counts_code_points() {
        for text in [
            "",
            "a",
            "é",
            "宋太祖趙匡胤😀x",
            "abcdefghé😀ijklmnop宋太祖",
            "宋太祖趙匡胤😀x宋太祖趙匡胤😀x宋太祖趙匡胤😀xabcdefghijklmnopq",
        ] {
            for cut in 0..text.len() {
                if let Some(prefix) = text.get(..cut) {
                    assert_eq!(char_count(prefix.as_bytes()), prefix.chars().count(), "{prefix:?}");
                }
            }
        }
    }

    #[test]
    fn lone_surrogates_round_trip_through_python_utf8() {
        let mut bytes = Vec::new();
        push_code_point(&mut bytes, 0xD800);
        push_code_point(&mut bytes, 0x41);
        let s = JsonString::from_python_utf8(&bytes);
        assert_eq!(s.as_str(), None);
        assert_eq!(s.char_count(), 2);
        assert_eq!(s.to_string_lossy(), "\u{FFFD}A");
        let mut out = Vec::new();
        write_escaped(&mut out, s.as_bytes(), true);
        assert_eq!(out, br#""\ud800A""#);
    }
}
