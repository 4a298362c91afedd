//! The two kinds of haystack the matcher walks: bytes (one character per byte, for `bytes`
//! patterns) and UTF-8 text (for `str` patterns).
//!
//! Positions are byte offsets in both. UTF-8 text may also hold lone surrogates encoded as
//! three-byte sequences (WTF-8, what Python's `surrogatepass` error handler produces), because a
//! Python `str` can contain them; decoding accepts them.

/// A haystack: its bytes and how characters are decoded from them.
pub(crate) trait Text: Copy {
    /// The bytes.
    fn bytes(&self) -> &[u8];
    /// The character starting at `at` (`at < len`) and its length in bytes.
    fn next(&self, at: usize) -> (u32, usize);
    /// The character ending at `at` (`at > 0`) and its length in bytes.
    fn prev(&self, at: usize) -> (u32, usize);
    /// Whether characters are bytes (a `bytes` pattern).
    const BYTES: bool;
}

/// A `bytes` haystack.
#[derive(Clone, Copy)]
pub(crate) struct Bytes<'h>(pub &'h [u8]);

impl Text for Bytes<'_> {
    const BYTES: bool = true;

    #[inline(always)]
    fn bytes(&self) -> &[u8] {
        self.0
    }

    #[inline(always)]
    fn next(&self, at: usize) -> (u32, usize) {
        (u32::from(self.0[at]), 1)
    }

    #[inline(always)]
    fn prev(&self, at: usize) -> (u32, usize) {
        (u32::from(self.0[at - 1]), 1)
    }
}

/// A `str` haystack as UTF-8 (or WTF-8).
#[derive(Clone, Copy)]
pub(crate) struct Utf8<'h>(pub &'h [u8]);

impl Text for Utf8<'_> {
    const BYTES: bool = false;

    #[inline(always)]
    fn bytes(&self) -> &[u8] {
        self.0
    }

    #[inline(always)]
    fn next(&self, at: usize) -> (u32, usize) {
        let b = self.0;
        let b0 = b[at];
        if b0 < 0x80 {
            return (u32::from(b0), 1);
        }
        decode_multi(b, at)
    }

    #[inline(always)]
    fn prev(&self, at: usize) -> (u32, usize) {
        let b = self.0;
        let last = b[at - 1];
        if last < 0x80 {
            return (u32::from(last), 1);
        }
        let mut start = at - 1;
        while start > 0 && at - start < 4 && b[start] & 0xC0 == 0x80 {
            start -= 1;
        }
        let (c, len) = decode_multi(b, start);
        (c, len)
    }
}

#[cold]
fn decode_multi(b: &[u8], at: usize) -> (u32, usize) {
    let b0 = u32::from(b[at]);
    let cont = |i: usize| b.get(at + i).map_or(0, |&x| u32::from(x) & 0x3F);
    if b0 >= 0xF0 {
        (((b0 & 0x07) << 18) | (cont(1) << 12) | (cont(2) << 6) | cont(3), 4)
    } else if b0 >= 0xE0 {
        (((b0 & 0x0F) << 12) | (cont(1) << 6) | cont(2), 3)
    } else if b0 >= 0xC0 {
        (((b0 & 0x1F) << 6) | cont(1), 2)
    } else {
        // A stray continuation byte (never produced from a Python str): one unit.
        (b0, 1)
    }
}

/// The number of characters in UTF-8 `bytes` (continuation bytes are not counted).
pub fn char_count(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b & 0xC0 != 0x80).count()
}

/// The byte offset of character `index` in UTF-8 `bytes` (the length when past the end).
pub fn char_to_byte(bytes: &[u8], index: usize) -> usize {
    let mut seen = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if b & 0xC0 != 0x80 {
            if seen == index {
                return i;
            }
            seen += 1;
        }
    }
    bytes.len()
}
