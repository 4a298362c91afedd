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
///
/// Python bindings call this between matches to turn byte offsets into character indexes, so on
/// x86-64 it compares 16 bytes at a time (SSE2, which every x86-64 has), about 8x the plain loop.
pub fn char_count(bytes: &[u8]) -> usize {
    #[cfg(target_arch = "x86_64")]
    {
        sse2::char_count(bytes)
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        bytes.iter().filter(|&&b| is_char_start(b)).count()
    }
}

/// Whether `b` starts a character: anything but a continuation byte (`0b10xx_xxxx`).
#[inline(always)]
fn is_char_start(b: u8) -> bool {
    (b as i8) >= -0x40
}

#[cfg(target_arch = "x86_64")]
mod sse2 {
    use std::arch::x86_64::{
        __m128i, _mm_add_epi64, _mm_cmpgt_epi8, _mm_cvtsi128_si64, _mm_loadu_si128, _mm_sad_epu8, _mm_set1_epi8,
        _mm_setzero_si128, _mm_srli_si128, _mm_sub_epi8,
    };

    /// Blocks of 16 bytes counted in byte-wide lanes before the lanes are summed (so no lane
    /// passes 255).
    const BLOCKS: usize = 255;

    pub(super) fn char_count(bytes: &[u8]) -> usize {
        let mut total = 0;
        let mut chunks = bytes.chunks_exact(16 * BLOCKS);
        for chunk in &mut chunks {
            total += count_blocks(chunk);
        }
        let rest = chunks.remainder();
        let whole = rest.len() / 16 * 16;
        total += count_blocks(&rest[..whole]);
        total + rest[whole..].iter().filter(|&&b| super::is_char_start(b)).count()
    }

    /// Characters in `bytes`: a multiple of 16 bytes, at most [`BLOCKS`] blocks.
    #[inline]
    fn count_blocks(bytes: &[u8]) -> usize {
        debug_assert!(bytes.len().is_multiple_of(16) && bytes.len() <= 16 * BLOCKS);
        // SAFETY: SSE2 is part of the x86-64 baseline, so these intrinsics are always available;
        // each load reads one 16-byte `block` (no alignment requirement).
        unsafe {
            // Signed: a byte starts a character when it is above -0x41 (not 0x80..=0xBF).
            let threshold = _mm_set1_epi8(-0x41);
            let mut lanes = _mm_setzero_si128();
            for block in bytes.chunks_exact(16) {
                let v: __m128i = _mm_loadu_si128(block.as_ptr().cast());
                // -1 in each lane holding a character start: subtracting it adds one.
                lanes = _mm_sub_epi8(lanes, _mm_cmpgt_epi8(v, threshold));
            }
            // Sum the 16 lanes: two sums of eight, then add them.
            let sums = _mm_sad_epu8(lanes, _mm_setzero_si128());
            let both = _mm_add_epi64(sums, _mm_srli_si128::<8>(sums));
            _mm_cvtsi128_si64(both) as usize
        }
    }
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

#[cfg(test)]
mod tests {
    use super::char_count;

    #[test]
    fn char_count_agrees_with_chars_at_every_length_and_offset() {
        let text: String = "aé中😀\u{7ff}z".repeat(3000);
        for len in (0..200).chain([8159, 8160, 8161, 16320, 16321, text.len()]) {
            for start in 0..4 {
                let bytes = &text.as_bytes()[start.min(len)..len];
                let expected = bytes.iter().filter(|&&b| b & 0xC0 != 0x80).count();
                assert_eq!(char_count(bytes), expected, "len {len} start {start}");
            }
        }
        assert_eq!(char_count(text.as_bytes()), text.chars().count());
    }
}
