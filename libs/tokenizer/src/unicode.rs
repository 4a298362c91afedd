//! Character classes of the split patterns, as one byte of flags per code point.
//!
//! The classes come from `regex-syntax`, the crate whose Unicode tables tiktoken's regex engine
//! (fancy-regex over regex) uses, so `\p{L}`, `\p{N}`, `\s`, ... mean exactly what they mean in
//! tiktoken (same Unicode version). `pyaot-codegen` folds them into the three-stage table of
//! `unicode_table.rs` (generated, committed, checked fresh by `scripts/test`), so the crate
//! needs neither regex-syntax nor a start-up step.

#[path = "unicode_table.rs"]
mod table;

use table::{LEAF_SHIFT, LEAVES, RUN_SHIFT, RUNS, TOP, VALUES};

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
    /// The flags of the ASCII characters, for the scanners' fast path.
    pub(crate) ascii: [u8; 128],
}

static CLASSES: Classes = Classes { ascii: ascii() };

/// The flags of the ASCII characters, from the table.
const fn ascii() -> [u8; 128] {
    let mut ascii = [0u8; 128];
    let mut c = 0;
    while c < 128 {
        ascii[c] = lookup(c);
        c += 1;
    }
    ascii
}

/// The flags of code point `c` (below 0x110000).
#[inline(always)]
const fn lookup(c: usize) -> u8 {
    let run = TOP[c >> (LEAF_SHIFT + RUN_SHIFT)] as usize;
    let leaf = RUNS[run << RUN_SHIFT | (c >> LEAF_SHIFT & ((1 << RUN_SHIFT) - 1))] as usize;
    let at = leaf << LEAF_SHIFT | (c & ((1 << LEAF_SHIFT) - 1));
    VALUES[(LEAVES[at >> 1] >> ((at & 1) << 2) & 15) as usize]
}

impl Classes {
    /// The table (static data).
    #[inline(always)]
    pub(crate) fn get() -> &'static Classes {
        &CLASSES
    }

    /// The flags of `c`.
    #[inline(always)]
    pub(crate) fn of(&self, c: char) -> u8 {
        lookup(c as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The code point ranges of a character-class pattern, as regex-syntax reads it.
    #[cfg(feature = "custom-patterns")]
    fn class_ranges(pattern: &str) -> Vec<(u32, u32)> {
        use regex_syntax::hir::{Class, HirKind};
        let hir = regex_syntax::parse(pattern).expect("built-in class pattern parses");
        match hir.kind() {
            HirKind::Class(Class::Unicode(class)) => {
                class.ranges().iter().map(|range| (range.start() as u32, range.end() as u32)).collect()
            }
            other => unreachable!("{pattern} is not a Unicode class: {other:?}"),
        }
    }

    /// The generated table is regex-syntax's classes, code point by code point.
    #[test]
    #[cfg(feature = "custom-patterns")]
    fn table_agrees_with_regex_syntax() {
        let classes = Classes::get();
        for (pattern, flag) in [
            (r"\p{L}", LETTER),
            (r"\p{N}", NUMBER),
            (r"\s", SPACE),
            (r"[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]", UPPERISH),
            (r"[\p{Ll}\p{Lm}\p{Lo}\p{M}]", LOWERISH),
        ] {
            let ranges = class_ranges(pattern);
            for c in (0..0x110000u32).filter_map(char::from_u32) {
                let after = ranges.partition_point(|&(_, end)| end < c as u32);
                let inside = ranges.get(after).is_some_and(|&(start, _)| start <= c as u32);
                assert_eq!(classes.of(c) & flag != 0, inside, "{pattern} {c:?}");
            }
        }
        for c in 0..128u8 {
            assert_eq!(classes.ascii[c as usize], classes.of(c as char));
        }
    }

    #[test]
    fn known_code_points() {
        let classes = Classes::get();
        assert_eq!(classes.of('a'), LETTER | LOWERISH);
        assert_eq!(classes.of('A'), LETTER | UPPERISH);
        assert_eq!(classes.of('\u{0301}'), UPPERISH | LOWERISH);
        assert_eq!(classes.of('\u{3000}'), SPACE);
        assert_eq!(classes.of('7'), NUMBER);
        assert_eq!(classes.of('\u{10FFFF}'), 0);
        assert_eq!(classes.ascii[b' ' as usize], SPACE);
    }
}
