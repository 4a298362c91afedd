//! Character classes of the split patterns, as one byte of flags per code point.
//!
//! The classes come from `regex-syntax`, the crate whose Unicode tables tiktoken's regex engine
//! (fancy-regex over regex) uses, so `\p{L}`, `\p{N}`, `\s`, ... mean exactly what they mean in
//! tiktoken (same Unicode version). They are folded once per process into a two-stage table: a
//! 256-entry block index per 256 code points, then the deduplicated blocks.

use std::sync::OnceLock;

use regex_syntax::hir::{Class, HirKind};

/// `\p{L}`.
pub(crate) const LETTER: u8 = 1;
/// `\p{N}`.
pub(crate) const NUMBER: u8 = 2;
/// `\s` (Unicode `White_Space`).
pub(crate) const SPACE: u8 = 4;
/// `[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]` (o200k's upper-case-like class).
pub(crate) const UPPERISH: u8 = 8;
/// `[\p{Ll}\p{Lm}\p{Lo}\p{M}]` (o200k's lower-case-like class).
pub(crate) const LOWERISH: u8 = 16;

/// The classes of every code point.
pub(crate) struct Classes {
    blocks: Box<[u16; 0x1100]>,
    data: Vec<u8>,
    /// The flags of the ASCII characters, for the scanners' fast path.
    pub(crate) ascii: [u8; 128],
}

impl Classes {
    /// The process-wide table (built on first use, in about a millisecond).
    pub(crate) fn get() -> &'static Classes {
        static TABLE: OnceLock<Classes> = OnceLock::new();
        TABLE.get_or_init(Classes::build)
    }

    /// The flags of `c`.
    #[inline(always)]
    pub(crate) fn of(&self, c: char) -> u8 {
        let c = c as usize;
        self.data[(self.blocks[c >> 8] as usize) << 8 | (c & 0xff)]
    }

    fn build() -> Classes {
        let mut flat = vec![0u8; 0x110000];
        for (pattern, flag) in [
            (r"\p{L}", LETTER),
            (r"\p{N}", NUMBER),
            (r"\s", SPACE),
            (r"[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]", UPPERISH),
            (r"[\p{Ll}\p{Lm}\p{Lo}\p{M}]", LOWERISH),
        ] {
            for (start, end) in class_ranges(pattern) {
                for slot in &mut flat[start as usize..=end as usize] {
                    *slot |= flag;
                }
            }
        }
        let mut blocks = Box::new([0u16; 0x1100]);
        let mut data: Vec<u8> = Vec::new();
        let mut seen: rustc_hash::FxHashMap<&[u8], u16> = rustc_hash::FxHashMap::default();
        for (index, block) in flat.chunks_exact(256).enumerate() {
            let next = seen.len() as u16;
            let id = *seen.entry(block).or_insert(next);
            if id == next {
                data.extend_from_slice(block);
            }
            blocks[index] = id;
        }
        let mut ascii = [0u8; 128];
        ascii.copy_from_slice(&data[..128]);
        Classes { blocks, data, ascii }
    }
}

/// The code point ranges of a character-class pattern, as regex-syntax reads it.
pub(crate) fn class_ranges(pattern: &str) -> Vec<(u32, u32)> {
    let hir = regex_syntax::parse(pattern).expect("built-in class pattern parses");
    match hir.kind() {
        HirKind::Class(Class::Unicode(class)) => {
            class.ranges().iter().map(|range| (range.start() as u32, range.end() as u32)).collect()
        }
        other => unreachable!("{pattern} is not a Unicode class: {other:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_agrees_with_the_ranges() {
        let classes = Classes::get();
        for (pattern, flag) in [(r"\p{L}", LETTER), (r"\p{N}", NUMBER), (r"\s", SPACE)] {
            let ranges = class_ranges(pattern);
            for c in (0..0x110000u32).filter_map(char::from_u32) {
                let after = ranges.partition_point(|&(_, end)| end < c as u32);
                let inside = ranges.get(after).is_some_and(|&(start, _)| start <= c as u32);
                assert_eq!(classes.of(c) & flag != 0, inside, "{pattern} {c:?}");
            }
        }
        assert_eq!(classes.of('a'), LETTER | LOWERISH);
        assert_eq!(classes.of('A'), LETTER | UPPERISH);
        assert_eq!(classes.of('\u{0301}'), UPPERISH | LOWERISH);
        assert_eq!(classes.of('\u{3000}'), SPACE);
        assert_eq!(classes.of('7'), NUMBER);
    }
}
