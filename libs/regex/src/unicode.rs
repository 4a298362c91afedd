//! Python's character rules for `re`: exactly what CPython 3.11's `_sre` asks of a code point.
//!
//! Three families, one per kind of pattern:
//!
//! - Unicode (`str` patterns without `re.ASCII`): [`is_word`], [`is_digit`], [`is_space`],
//!   [`lower`], [`upper`], [`is_cased`], [`ignorecase_fixes`], and for the automaton compiler
//!   [`word_ranges`], [`digit_ranges`], [`space_ranges`], [`lower_pairs`] and
//!   [`case_equivalents`]. The data comes from CPython 3.11 (Unicode 14.0.0), generated into
//!   `unicode_data.rs` by `scripts/codegen/src/regex_unicode.rs`, which documents how each table
//!   is obtained from the interpreter.
//! - ASCII (`re.ASCII`, and bytes patterns without `re.LOCALE`): [`ascii_is_word`],
//!   [`ascii_is_digit`], [`ascii_is_space`], [`ascii_lower`], [`ascii_upper`], [`ascii_is_cased`].
//! - LOCALE (bytes patterns with `re.LOCALE`): `_sre` asks the C library (`isalnum`, `tolower`,
//!   `toupper`) for `\w` and case-insensitivity, and uses the ASCII rules for `\d` and `\s`. We
//!   fix the locale to what CPython gets under the C locale and under the UTF-8 locales (C.UTF-8,
//!   en_US.UTF-8), where no byte from 128 up is alphanumeric or has a case: so [`locale_is_word`],
//!   [`locale_lower`] and [`locale_upper`] are the ASCII rules. A single-byte locale such as
//!   Latin-1 would make `\xc0` a word character; we do not follow the process locale.
//!
//! Every function takes a code point as `u32`; values past U+10FFFF have no property and no case.
//! Each lookup answers ASCII first with a branch, then reads a three-stage table (three loads).
//!
//! ```
//! use pyaot_regex::unicode::{is_word, lower, upper};
//!
//! assert!(is_word('é' as u32) && is_word('_' as u32) && !is_word('-' as u32));
//! assert_eq!(lower(0x212A), 'k' as u32); // KELVIN SIGN
//! assert_eq!(upper('ß' as u32), 'S' as u32); // the first of "SS", as Py_UNICODE_TOUPPER
//! ```

use crate::unicode_data::{
    BY_LOWER, CASED, DIGIT, DIGIT_RANGES, FIXES, LEAF_SHIFT, LEAVES, LOWER_PAIRS, RECORD_FLAGS, RECORD_LOWER,
    RECORD_UPPER, RUN_SHIFT, RUNS, SPACE, SPACE_RANGES, TOP, WORD, WORD_RANGES,
};

/// Bit `c` is set for the ASCII word characters `[0-9A-Za-z_]`.
const ASCII_WORD: u128 = ascii_mask(b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz");
/// Bit `c` is set for the ASCII whitespace of `Py_ISSPACE`: `\t \n \v \f \r` and space.
const ASCII_SPACE: u128 = ascii_mask(b"\t\n\x0b\x0c\r ");
/// Bit `c` is set for the code points below 128 that `str.isspace()` accepts: `Py_ISSPACE`'s
/// and the separators U+001C..U+001F.
const UNICODE_SPACE_BELOW_128: u128 = ASCII_SPACE | ascii_mask(b"\x1c\x1d\x1e\x1f");

const fn ascii_mask(bytes: &[u8]) -> u128 {
    let mut mask = 0;
    let mut i = 0;
    while i < bytes.len() {
        mask |= 1 << bytes[i];
        i += 1;
    }
    mask
}

/// The record number of a non-ASCII code point (0, no flag and no case, past U+10FFFF).
#[inline]
fn record(c: u32) -> usize {
    let Some(&run) = TOP.get((c >> (LEAF_SHIFT + RUN_SHIFT)) as usize) else { return 0 };
    let leaf = RUNS[(usize::from(run) << RUN_SHIFT) | ((c >> LEAF_SHIFT) as usize & ((1 << RUN_SHIFT) - 1))];
    usize::from(LEAVES[(usize::from(leaf) << LEAF_SHIFT) | (c as usize & ((1 << LEAF_SHIFT) - 1))])
}

#[inline]
fn flags(c: u32) -> u8 {
    RECORD_FLAGS[record(c)]
}

/// `\w` in a Unicode pattern (`SRE_UNI_IS_WORD`): `chr(c).isalnum() or c == '_'`.
///
/// ```
/// use pyaot_regex::unicode::is_word;
///
/// assert!(is_word('Ω' as u32) && is_word('٣' as u32) && is_word('²' as u32));
/// assert!(!is_word(' ' as u32) && !is_word(0x0345));
/// ```
#[inline]
pub fn is_word(c: u32) -> bool {
    if c < 128 {
        return ASCII_WORD >> c & 1 != 0;
    }
    flags(c) & WORD != 0
}

/// `\d` in a Unicode pattern (`Py_UNICODE_ISDECIMAL`): `chr(c).isdecimal()`.
///
/// ```
/// use pyaot_regex::unicode::is_digit;
///
/// assert!(is_digit('7' as u32) && is_digit('٣' as u32));
/// assert!(!is_digit('²' as u32)); // a digit, but not decimal
/// ```
#[inline]
pub fn is_digit(c: u32) -> bool {
    if c < 128 {
        return c.wrapping_sub(u32::from(b'0')) < 10;
    }
    flags(c) & DIGIT != 0
}

/// `\s` in a Unicode pattern (`Py_UNICODE_ISSPACE`): `chr(c).isspace()`, which includes
/// U+001C..U+001F.
///
/// ```
/// use pyaot_regex::unicode::is_space;
///
/// assert!(is_space(0x1C) && is_space(0x85) && is_space(0x3000));
/// assert!(!is_space(0x200B));
/// ```
#[inline]
pub fn is_space(c: u32) -> bool {
    if c < 128 {
        return UNICODE_SPACE_BELOW_128 >> c & 1 != 0;
    }
    flags(c) & SPACE != 0
}

/// Whether `c` has a case (`_sre.unicode_iscased`): `lower(c) != c or upper(c) != c`.
///
/// ```
/// use pyaot_regex::unicode::is_cased;
///
/// assert!(is_cased('a' as u32) && is_cased(0x0345));
/// assert!(!is_cased('1' as u32) && !is_cased(0x00AA));
/// ```
#[inline]
pub fn is_cased(c: u32) -> bool {
    if c < 128 {
        return (c | 0x20).wrapping_sub(u32::from(b'a')) < 26;
    }
    flags(c) & CASED != 0
}

/// The lowercase `_sre` compares under IGNORECASE (`_sre.unicode_tolower`, that is
/// `_PyUnicode_ToLowercase`): one code point; where the full lowercase has several it is their
/// first (U+0130 gives `i`).
///
/// ```
/// use pyaot_regex::unicode::lower;
///
/// assert_eq!(lower('A' as u32), 'a' as u32);
/// assert_eq!(lower(0x0130), 'i' as u32);
/// assert_eq!(lower(0x10400), 0x10428); // Deseret
/// ```
#[inline]
pub fn lower(c: u32) -> u32 {
    if c < 128 {
        return ascii_lower(c);
    }
    c.wrapping_add_signed(RECORD_LOWER[record(c)])
}

/// The uppercase `_sre` uses for `RANGE_UNI_IGNORE` (`Py_UNICODE_TOUPPER`, that is
/// `_PyUnicode_ToUppercase`): one code point; where the full uppercase has several it is their
/// first (`ß` gives `S`), so it equals `chr(c).upper()[0]`.
///
/// ```
/// use pyaot_regex::unicode::upper;
///
/// assert_eq!(upper('a' as u32), 'A' as u32);
/// assert_eq!(upper(0x017F), 'S' as u32); // LATIN SMALL LETTER LONG S
/// assert_eq!(upper(0x0345), 0x0399);
/// ```
#[inline]
pub fn upper(c: u32) -> u32 {
    if c < 128 {
        return ascii_upper(c);
    }
    c.wrapping_add_signed(RECORD_UPPER[record(c)])
}

/// The other lowercase code points that match the lowercase `c` case-insensitively although
/// their lowercase differs (`re._casefix._EXTRA_CASES[c]`); empty for most.
///
/// ```
/// use pyaot_regex::unicode::ignorecase_fixes;
///
/// assert_eq!(ignorecase_fixes('s' as u32), &[0x017F]);
/// assert_eq!(ignorecase_fixes(0x03B9), &[0x0345, 0x1FBE]);
/// assert!(ignorecase_fixes('a' as u32).is_empty());
/// ```
pub fn ignorecase_fixes(c: u32) -> &'static [u32] {
    match FIXES.binary_search_by_key(&c, |&(key, _)| key) {
        Ok(i) => FIXES[i].1,
        Err(_) => &[],
    }
}

/// The code points of `\w` in a Unicode pattern ([`is_word`]): sorted, merged, inclusive ranges.
/// Python's tables may include surrogates (U+D800..U+DFFF); they are kept here.
///
/// ```
/// use pyaot_regex::unicode::word_ranges;
///
/// assert_eq!(&word_ranges()[..3], &[(0x30, 0x39), (0x41, 0x5A), (0x5F, 0x5F)]);
/// ```
pub fn word_ranges() -> &'static [(u32, u32)] {
    &WORD_RANGES
}

/// The code points of `\d` in a Unicode pattern ([`is_digit`]): sorted, merged, inclusive ranges.
///
/// ```
/// assert_eq!(pyaot_regex::unicode::digit_ranges()[0], (0x30, 0x39));
/// ```
pub fn digit_ranges() -> &'static [(u32, u32)] {
    &DIGIT_RANGES
}

/// The code points of `\s` in a Unicode pattern ([`is_space`]): sorted, merged, inclusive ranges.
///
/// ```
/// assert_eq!(pyaot_regex::unicode::space_ranges()[..2], [(0x09, 0x0D), (0x1C, 0x20)]);
/// ```
pub fn space_ranges() -> &'static [(u32, u32)] {
    &SPACE_RANGES
}

/// Every `(c, lower(c))` with `lower(c) != c`, sorted by `c`.
///
/// ```
/// assert_eq!(pyaot_regex::unicode::lower_pairs()[0], (0x41, 0x61));
/// ```
pub fn lower_pairs() -> &'static [(u32, u32)] {
    &LOWER_PAIRS
}

/// Pushes onto `out`, in ascending order, every code point `d != c` that matches the literal `c`
/// in a Unicode IGNORECASE pattern. sre's rule: an uncased `c` matches only itself; otherwise `d`
/// matches when `lower(d) == lower(c)` or `lower(d)` is in `ignorecase_fixes(lower(c))`.
///
/// ```
/// use pyaot_regex::unicode::case_equivalents;
///
/// let mut out = Vec::new();
/// case_equivalents('k' as u32, &mut out);
/// assert_eq!(out, ['K' as u32, 0x212A]); // KELVIN SIGN
/// out.clear();
/// case_equivalents(0x03C3, &mut out); // σ
/// assert_eq!(out, [0x03A3, 0x03C2]); // Σ ς
/// ```
pub fn case_equivalents(c: u32, out: &mut Vec<u32>) {
    if !is_cased(c) {
        return;
    }
    let low = lower(c);
    let mut found = Vec::new();
    for key in std::iter::once(low).chain(ignorecase_fixes(low).iter().copied()) {
        if lower(key) == key {
            found.push(key);
        }
        let start = BY_LOWER.partition_point(|&(l, _)| l < key);
        found.extend(BY_LOWER[start..].iter().take_while(|&&(l, _)| l == key).map(|&(_, d)| d));
    }
    found.sort_unstable();
    found.dedup();
    out.extend(found.into_iter().filter(|&d| d != c));
}

/// `\w` under `re.ASCII` and in bytes patterns (`SRE_IS_WORD`): `[0-9A-Za-z_]`.
///
/// ```
/// assert!(pyaot_regex::unicode::ascii_is_word('_' as u32) && !pyaot_regex::unicode::ascii_is_word(0xE9));
/// ```
#[inline]
pub fn ascii_is_word(c: u32) -> bool {
    c < 128 && ASCII_WORD >> c & 1 != 0
}

/// `\d` under `re.ASCII`, in bytes patterns and under `re.LOCALE` (`SRE_IS_DIGIT`): `[0-9]`.
///
/// ```
/// assert!(pyaot_regex::unicode::ascii_is_digit('0' as u32) && !pyaot_regex::unicode::ascii_is_digit(0x0663));
/// ```
#[inline]
pub fn ascii_is_digit(c: u32) -> bool {
    c.wrapping_sub(u32::from(b'0')) < 10
}

/// `\s` under `re.ASCII`, in bytes patterns and under `re.LOCALE` (`SRE_IS_SPACE`):
/// `[ \t\n\r\f\v]`, without U+001C..U+001F.
///
/// ```
/// assert!(pyaot_regex::unicode::ascii_is_space(0x0B) && !pyaot_regex::unicode::ascii_is_space(0x1C));
/// ```
#[inline]
pub fn ascii_is_space(c: u32) -> bool {
    c < 128 && ASCII_SPACE >> c & 1 != 0
}

/// The lowercase under `re.ASCII` and in bytes patterns (`sre_lower_ascii`): `A-Z` to `a-z`,
/// every other code point unchanged.
///
/// ```
/// assert_eq!(pyaot_regex::unicode::ascii_lower('Q' as u32), 'q' as u32);
/// assert_eq!(pyaot_regex::unicode::ascii_lower(0xC0), 0xC0);
/// ```
#[inline]
pub fn ascii_lower(c: u32) -> u32 {
    if c.wrapping_sub(u32::from(b'A')) < 26 { c | 0x20 } else { c }
}

/// The uppercase under `re.ASCII` and in bytes patterns (`sre_upper_ascii`): `a-z` to `A-Z`,
/// every other code point unchanged.
///
/// ```
/// assert_eq!(pyaot_regex::unicode::ascii_upper('q' as u32), 'Q' as u32);
/// assert_eq!(pyaot_regex::unicode::ascii_upper(0xE0), 0xE0);
/// ```
#[inline]
pub fn ascii_upper(c: u32) -> u32 {
    if c.wrapping_sub(u32::from(b'a')) < 26 { c & !0x20 } else { c }
}

/// Whether `c` has a case under `re.ASCII` and in bytes patterns (`_sre.ascii_iscased`): `A-Za-z`.
///
/// ```
/// assert!(pyaot_regex::unicode::ascii_is_cased('z' as u32) && !pyaot_regex::unicode::ascii_is_cased(0xE0));
/// ```
#[inline]
pub fn ascii_is_cased(c: u32) -> bool {
    c < 128 && (c | 0x20).wrapping_sub(u32::from(b'a')) < 26
}

/// `\w` under `re.LOCALE` (`SRE_LOC_IS_WORD`, `isalnum` of the C library). We use the C and
/// UTF-8 locales' answer, in which no byte from 128 up is alphanumeric: [`ascii_is_word`]. See
/// the module docs.
///
/// ```
/// assert!(pyaot_regex::unicode::locale_is_word('a' as u32) && !pyaot_regex::unicode::locale_is_word(0xC0));
/// ```
#[inline]
pub fn locale_is_word(c: u32) -> bool {
    ascii_is_word(c)
}

/// The lowercase under `re.LOCALE` (`sre_lower_locale`, `tolower` of the C library) in the C and
/// UTF-8 locales: [`ascii_lower`]. See the module docs.
///
/// ```
/// assert_eq!(pyaot_regex::unicode::locale_lower(0xC0), 0xC0);
/// ```
#[inline]
pub fn locale_lower(c: u32) -> u32 {
    ascii_lower(c)
}

/// The uppercase under `re.LOCALE` (`sre_upper_locale`, `toupper` of the C library) in the C and
/// UTF-8 locales: [`ascii_upper`]. See the module docs.
///
/// ```
/// assert_eq!(pyaot_regex::unicode::locale_upper(0xE0), 0xE0);
/// ```
#[inline]
pub fn locale_upper(c: u32) -> u32 {
    ascii_upper(c)
}
