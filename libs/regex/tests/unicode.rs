//! The character tables against CPython 3.11, exhaustively over every code point.
//!
//! `unicode/expected.rs` is generated with the tables (`scripts/codegen/src/regex_unicode.rs`) but
//! from Python's answers before any packing: a count and a checksum of each property over
//! `0..=0x10FFFF`. Recomputing them through the public functions checks the packing and the
//! lookups without running Python here.

#[path = "unicode/expected.rs"]
mod expected;

use expected::Expected;
use pyaot_regex::unicode::{
    ascii_is_cased, ascii_is_digit, ascii_is_space, ascii_is_word, ascii_lower, ascii_upper, case_equivalents,
    digit_ranges, ignorecase_fixes, is_cased, is_digit, is_space, is_word, locale_is_word, locale_lower, locale_upper,
    lower, lower_pairs, space_ranges, upper, word_ranges,
};

const CODE_POINTS: u32 = 0x11_0000;

/// The generator's checksum (`regex_unicode::checksum`): FNV-1a over 32-bit words.
fn checksum(words: impl IntoIterator<Item = u32>) -> u64 {
    words.into_iter().fold(0xcbf2_9ce4_8422_2325, |h, w| (h ^ u64::from(w)).wrapping_mul(0x0000_0100_0000_01b3))
}

fn check_bool(name: &str, property: fn(u32) -> bool, expected: &Expected) {
    let count = (0..CODE_POINTS).filter(|&c| property(c)).count();
    assert_eq!(count, expected.count as usize, "{name}: code points with the property");
    let sum = checksum((0..CODE_POINTS).map(|c| u32::from(property(c))));
    assert_eq!(sum, expected.checksum, "{name}: checksum over all code points");
}

fn check_map(name: &str, map: fn(u32) -> u32, expected: &Expected) {
    let count = (0..CODE_POINTS).filter(|&c| map(c) != c).count();
    assert_eq!(count, expected.count as usize, "{name}: code points it changes");
    assert_eq!(checksum((0..CODE_POINTS).map(map)), expected.checksum, "{name}: checksum over all code points");
}

/// Every code point's list flattened as `len, items...`, as the generator flattens them.
fn check_lists(name: &str, list: impl Fn(u32) -> Vec<u32>, expected: &Expected) {
    let mut count = 0;
    let mut words = Vec::new();
    for c in 0..CODE_POINTS {
        let items = list(c);
        count += usize::from(!items.is_empty());
        words.push(items.len() as u32);
        words.extend(items);
    }
    assert_eq!(count, expected.count as usize, "{name}: code points with a non-empty list");
    assert_eq!(checksum(words), expected.checksum, "{name}: checksum over all code points");
}

fn equivalents(c: u32) -> Vec<u32> {
    let mut out = Vec::new();
    case_equivalents(c, &mut out);
    out
}

#[test]
fn properties_match_cpython_at_every_code_point() {
    check_bool("is_word", is_word, &expected::WORD);
    check_bool("is_digit", is_digit, &expected::DIGIT);
    check_bool("is_space", is_space, &expected::SPACE);
    check_bool("is_cased", is_cased, &expected::CASED);
}

#[test]
fn case_mappings_match_cpython_at_every_code_point() {
    check_map("lower", lower, &expected::LOWER);
    check_map("upper", upper, &expected::UPPER);
    check_lists("ignorecase_fixes", |c| ignorecase_fixes(c).to_vec(), &expected::FIXES);
    check_lists("case_equivalents", equivalents, &expected::EQUIVALENTS);
}

#[test]
fn past_the_last_code_point_nothing_has_a_property() {
    for c in [0x11_0000, 0x11_0041, 0xFFFF_FFFF] {
        assert!(!is_word(c) && !is_digit(c) && !is_space(c) && !is_cased(c));
        assert_eq!((lower(c), upper(c)), (c, c));
        assert!(equivalents(c).is_empty() && ignorecase_fixes(c).is_empty());
    }
}

/// The ranges hold exactly the code points of their predicate, sorted and merged.
fn check_ranges(name: &str, ranges: &[(u32, u32)], property: fn(u32) -> bool) {
    for pair in ranges.windows(2) {
        assert!(pair[0].1 + 1 < pair[1].0, "{name}: {:X?} not sorted and merged", pair);
    }
    let mut flat = vec![false; CODE_POINTS as usize];
    for &(start, end) in ranges {
        assert!(start <= end && end < CODE_POINTS, "{name}: bad range {start:X}-{end:X}");
        flat[start as usize..=end as usize].fill(true);
    }
    for c in 0..CODE_POINTS {
        assert_eq!(flat[c as usize], property(c), "{name}: U+{c:04X}");
    }
}

#[test]
fn range_tables_hold_exactly_their_class() {
    check_ranges("word_ranges", word_ranges(), is_word);
    check_ranges("digit_ranges", digit_ranges(), is_digit);
    check_ranges("space_ranges", space_ranges(), is_space);
}

#[test]
fn lower_pairs_list_every_changed_code_point() {
    let pairs = lower_pairs();
    assert!(pairs.windows(2).all(|p| p[0].0 < p[1].0), "sorted by code point");
    let changed: Vec<(u32, u32)> = (0..CODE_POINTS).filter(|&c| lower(c) != c).map(|c| (c, lower(c))).collect();
    assert_eq!(pairs, changed.as_slice());
}

#[test]
fn case_equivalents_follow_sres_rule() {
    // d matches the literal c iff lower(d) == lower(c) or lower(d) is in fixes(lower(c)), for a
    // cased c; checked here for every cased c from the pairs alone.
    for c in (0..CODE_POINTS).filter(|&c| is_cased(c)) {
        let low = lower(c);
        let keys: Vec<u32> = std::iter::once(low).chain(ignorecase_fixes(low).iter().copied()).collect();
        let mut want: Vec<u32> = lower_pairs().iter().filter(|(_, l)| keys.contains(l)).map(|&(d, _)| d).collect();
        want.extend(keys.iter().copied().filter(|&k| lower(k) == k));
        want.sort_unstable();
        want.dedup();
        want.retain(|&d| d != c);
        assert_eq!(equivalents(c), want, "U+{c:04X}");
    }
    // The output is appended, not replaced.
    let mut out = vec![7];
    case_equivalents('a' as u32, &mut out);
    assert_eq!(out, [7, 'A' as u32]);
}

#[test]
fn tricky_characters() {
    // KELVIN SIGN: lowercases to k, so K, k and U+212A match each other.
    assert_eq!(lower(0x212A), 'k' as u32);
    assert_eq!(upper(0x212A), 0x212A);
    assert_eq!(equivalents('K' as u32), ['k' as u32, 0x212A]);
    assert_eq!(equivalents(0x212A), ['K' as u32, 'k' as u32]);
    // U+0130 (İ) lowercases to i (the first of "i̇"); U+0131 (ı) is an extra case of i.
    assert_eq!(lower(0x0130), 'i' as u32);
    assert_eq!(upper(0x0131), 'I' as u32);
    assert_eq!(ignorecase_fixes('i' as u32), &[0x0131]);
    assert_eq!(equivalents('i' as u32), ['I' as u32, 0x0130, 0x0131]);
    assert_eq!(equivalents(0x0131), ['I' as u32, 'i' as u32, 0x0130]);
    // U+017F (ſ) uppercases to S and is an extra case of s.
    assert_eq!(upper(0x017F), 'S' as u32);
    assert_eq!(lower(0x017F), 0x017F);
    assert_eq!(equivalents('s' as u32), ['S' as u32, 0x017F]);
    // U+1E9E (ẞ) lowercases to ß; ß uppercases to S (the first of "SS"), not to ẞ.
    assert_eq!(lower(0x1E9E), 0xDF);
    assert_eq!(upper(0xDF), 'S' as u32);
    assert_eq!(equivalents(0xDF), [0x1E9E]);
    // Greek sigma: Σ σ ς all match.
    assert_eq!(lower(0x03A3), 0x03C3);
    assert_eq!(upper(0x03C2), 0x03A3);
    assert_eq!(equivalents(0x03C2), [0x03A3, 0x03C3]);
    // U+0345 (COMBINING YPOGEGRAMMENI): cased, not a word character, an extra case of ι.
    assert!(is_cased(0x0345) && !is_word(0x0345));
    assert_eq!(upper(0x0345), 0x0399);
    assert_eq!(ignorecase_fixes(0x0345), &[0x03B9, 0x1FBE]);
    assert_eq!(equivalents(0x0345), [0x0399, 0x03B9, 0x1FBE]);
    // Cherokee: the capitals lowercase to the small letters of U+AB70.., which uppercase back.
    assert_eq!(lower(0x13A0), 0xAB70);
    assert_eq!(upper(0xAB70), 0x13A0);
    assert_eq!(upper(0x13F8), 0x13F0);
    // Deseret, outside the BMP.
    assert_eq!(lower(0x10400), 0x10428);
    assert_eq!(upper(0x10428), 0x10400);
    assert!(is_word(0x10400) && is_cased(0x10400));
    assert_eq!(equivalents(0x10428), [0x10400]);
    // Titlecase digraphs: ǅ lowercases to ǆ and uppercases to Ǆ.
    assert_eq!((lower(0x01C5), upper(0x01C5)), (0x01C6, 0x01C4));
    assert_eq!(equivalents(0x01C6), [0x01C4, 0x01C5]);
    // Uncased: no equivalents even where a class would lower them.
    assert!(equivalents('1' as u32).is_empty() && equivalents(0x00AA).is_empty());
    // Surrogates are in no class here, but Python's tables could hold them.
    assert!(!is_word(0xD800) && !is_space(0xDFFF));
    // Word characters that are not letters, and spaces below 128.
    assert!(is_word(0xB2) && is_word(0x0663) && !is_digit(0xB2) && is_digit(0x0663));
    assert!(is_space(0x1C) && is_space(0x85) && is_space(0xA0) && !is_space(0x200B) && !is_space(0xFEFF));
}

#[test]
fn ascii_and_locale_rules() {
    for c in 0..0x200 {
        let byte = u8::try_from(c).ok().filter(u8::is_ascii);
        let want_word = byte.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_');
        assert_eq!(ascii_is_word(c), want_word, "U+{c:04X}");
        assert_eq!(locale_is_word(c), want_word, "U+{c:04X}");
        assert_eq!(ascii_is_digit(c), byte.is_some_and(|b| b.is_ascii_digit()), "U+{c:04X}");
        // Py_ISSPACE: \t \n \v \f \r and space (Rust's is_ascii_whitespace has no \v).
        assert_eq!(ascii_is_space(c), byte.is_some_and(|b| b.is_ascii_whitespace() || b == 0x0B), "U+{c:04X}");
        assert_eq!(ascii_is_cased(c), byte.is_some_and(|b| b.is_ascii_alphabetic()), "U+{c:04X}");
        let (low, up) = byte.map_or((c, c), |b| (u32::from(b.to_ascii_lowercase()), u32::from(b.to_ascii_uppercase())));
        assert_eq!((ascii_lower(c), ascii_upper(c)), (low, up), "U+{c:04X}");
        assert_eq!((locale_lower(c), locale_upper(c)), (low, up), "U+{c:04X}");
        if c < 128 {
            // The Unicode rules agree below 128, except that str.isspace() also takes U+001C..U+001F.
            assert_eq!(is_word(c), want_word);
            assert_eq!((lower(c), upper(c)), (low, up));
            assert_eq!(is_space(c), ascii_is_space(c) || (0x1C..=0x1F).contains(&c));
        }
    }
    assert!(!ascii_is_word(0x10400) && !ascii_is_space(0x3000) && ascii_lower(0x10400) == 0x10400);
}
