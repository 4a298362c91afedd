//! The bodies of the fuzz targets, shared by cargo-fuzz (`fuzz_targets/*.rs`, through this
//! crate's library) and by the stable never-panic test (`libs/regex/tests/never_panic.rs`, which
//! includes this file with `#[path]`). Each takes arbitrary bytes and panics only when
//! `pyaot-regex` breaks one of its promises: never panic, answer in bounded time (the step
//! limit), and return spans that make sense.
//!
//! Input layout, for both targets: the first byte chooses the kind of pattern and its flags
//! (bit 0: a str pattern, bits 1 to 6: `re.I L M S U X`, bit 7: `re.A`); for [`check_match`] the
//! rest is `pattern NUL haystack` (no NUL: the haystack is empty), read as UTF-8 (lossily) for
//! str patterns and as bytes otherwise.

use pyaot_regex::{Anchor, Flags, MatchError, Regex};

/// The step limit the targets compile with: low, so that a pattern that backtracks
/// exponentially costs milliseconds, not the default second, and fuzzing stays fast.
pub const STEP_LIMIT: u64 = 200_000;

/// Splits the flag byte: whether the pattern is a str pattern, and its `re` flags.
pub fn flags_of(byte: u8) -> (bool, u32) {
    let is_str = byte & 1 == 1;
    // Bits 1 to 6 are I L M S U X with their own values; bit 7 stands for ASCII (256).
    let flags = u32::from(byte & 0x7E) | if byte & 0x80 != 0 { Flags::ASCII } else { 0 };
    (is_str, flags)
}

/// One input of the matching targets: the flag byte read, then `pattern NUL haystack`.
pub struct Case<'a> {
    /// A str pattern (else bytes).
    pub is_str: bool,
    /// The `re` flags.
    pub flags: u32,
    /// The pattern's bytes.
    pub pattern: &'a [u8],
    /// The haystack's bytes (empty when there is no NUL).
    pub haystack: &'a [u8],
}

/// Reads `data` in the matching targets' layout; `None` when it is empty.
pub fn split_case(data: &[u8]) -> Option<Case<'_>> {
    let (&first, rest) = data.split_first()?;
    let (is_str, flags) = flags_of(first);
    let (pattern, haystack) = match rest.iter().position(|&b| b == 0) {
        Some(i) => (&rest[..i], &rest[i + 1..]),
        None => (rest, &[][..]),
    };
    Some(Case { is_str, flags, pattern, haystack })
}

/// Code points of `bytes`: characters of their lossy UTF-8 reading for str patterns, byte values
/// for bytes patterns.
pub fn code_points(bytes: &[u8], is_str: bool) -> Vec<u32> {
    if is_str {
        String::from_utf8_lossy(bytes).chars().map(u32::from).collect()
    } else {
        bytes.iter().map(|&b| u32::from(b)).collect()
    }
}

/// `parse`: the pattern parser and the template parser on anything. The template is parsed
/// against the groups of the pattern when it parses, and against none otherwise.
pub fn check_parse(data: &[u8]) {
    let Some((&first, rest)) = data.split_first() else { return };
    let (is_str, flags) = flags_of(first);
    let points = code_points(rest, is_str);
    let (groups, names) = match pyaot_regex::parse(&points, is_str, flags) {
        Ok(parsed) => {
            assert!(parsed.group_names.iter().all(|(_, i)| (1..=parsed.groups).contains(i)), "bad group numbers");
            (parsed.groups, parsed.group_names)
        }
        Err(error) => {
            if let Some(pos) = error.pos {
                assert!(pos <= points.len(), "error position {pos} beyond the pattern ({} chars)", points.len());
            }
            (0, Vec::new())
        }
    };
    if let Ok(items) = pyaot_regex::parse_template(&points, is_str, groups, &names) {
        for item in items {
            if let pyaot_regex::TemplateItem::Group(g) = item {
                assert!(g <= groups, "template group {g} beyond {groups}");
            }
        }
    }
}

/// Checks the slots of a match: group 0 set, every set span ordered, inside `pos..endpos` for
/// group 0 and inside the haystack for all, and on character boundaries for str haystacks.
fn check_slots(slots: &[usize], haystack: &[u8], is_str: bool, pos: usize, endpos: usize) {
    let boundary = |at: usize| !is_str || haystack.get(at).is_none_or(|&b| b & 0xC0 != 0x80);
    assert!(slots[0] != usize::MAX && slots[1] != usize::MAX, "group 0 unset in a match");
    assert!(pos <= slots[0] && slots[1] <= endpos, "match {:?} outside {pos}..{endpos}", &slots[..2]);
    for span in slots.chunks_exact(2) {
        if span[0] == usize::MAX || span[1] == usize::MAX {
            continue; // the group did not take part
        }
        assert!(span[0] <= span[1] && span[1] <= haystack.len(), "bad span {span:?}");
        assert!(boundary(span[0]) && boundary(span[1]), "span {span:?} inside a character");
    }
}

/// `match`: compiles `pattern NUL haystack` and runs `search`, `match` and `fullmatch` at a few
/// `pos`/`endpos`, `finditer` (checking progress and the empty-match rule), `sub` with a template
/// using every group, and `split`. Only step-limit errors may come out of matching.
pub fn check_match(data: &[u8]) {
    let Some(Case { is_str, flags, pattern, haystack }) = split_case(data) else { return };
    let Ok(regex) = Regex::from_code_points(&code_points(pattern, is_str), !is_str, Flags(flags)) else { return };
    let regex = regex.with_step_limit(STEP_LIMIT);
    let text;
    let haystack: &[u8] = if is_str {
        text = String::from_utf8_lossy(haystack).into_owned();
        text.as_bytes()
    } else {
        haystack
    };
    let n = haystack.len();
    let mut slots = vec![usize::MAX; regex.slot_count()];
    assert_eq!(slots.len(), 2 * (regex.groups() + 1), "slot count");

    // search / match / fullmatch at pos/endpos on character boundaries (and past the end).
    let boundaries: Vec<usize> = (0..=n).filter(|&i| !is_str || i == n || haystack[i] & 0xC0 != 0x80).collect();
    let picks = [0, n / 2, n, n + 3];
    for &pos in &picks {
        let pos = if pos > n { pos } else { *boundaries.iter().find(|&&b| b >= pos).unwrap_or(&n) };
        for &endpos in &picks {
            let endpos = if endpos > n { endpos } else { *boundaries.iter().find(|&&b| b >= endpos).unwrap_or(&n) };
            for anchor in [Anchor::Search, Anchor::Match, Anchor::Full] {
                for must_advance in [false, true] {
                    let found = regex.search_raw(haystack, pos, endpos, anchor, must_advance, &mut slots);
                    let lastindex = match found {
                        Ok(Some(lastindex)) => lastindex,
                        Ok(None) | Err(MatchError::StepLimit(_)) => continue,
                        Err(error) => panic!("search failed: {error}"),
                    };
                    assert!(lastindex <= regex.groups(), "lastindex {lastindex}");
                    // `match` still runs at a `pos` beyond `endpos` (as `_sre` does), where only an
                    // empty match at `pos` can succeed.
                    check_slots(&slots, haystack, is_str, pos.min(n), endpos.min(n).max(pos.min(n)));
                    if anchor != Anchor::Search {
                        assert_eq!(slots[0], pos.min(n), "match/fullmatch must start at pos");
                    }
                    if anchor == Anchor::Full {
                        assert_eq!(slots[1], endpos.min(n), "fullmatch must end at endpos");
                    }
                    if must_advance {
                        assert!(slots[1] > pos.min(n) || slots[0] != slots[1], "empty match at pos with must_advance");
                    }
                }
            }
        }
    }

    // finditer: matches move forward, an empty match never repeats a position, and there are at
    // most two matches per position (one empty, one not).
    let mut count = 0;
    let mut last: Option<(usize, usize)> = None;
    let matches = if is_str {
        regex.captures_iter(std::str::from_utf8(haystack).expect("UTF-8 by construction"))
    } else {
        regex.captures_iter(haystack)
    };
    for caps in matches {
        let caps = match caps {
            Ok(caps) => caps,
            Err(MatchError::StepLimit(_)) => break,
            Err(error) => panic!("finditer failed: {error}"),
        };
        let m = caps.get(0).expect("group 0 is set");
        check_slots(caps.slots(), haystack, is_str, 0, n);
        if let Some((s, e)) = last {
            assert!(m.start() >= e, "match {:?} overlaps the previous {s}..{e}", m.range());
            assert!(!(m.start() == m.end() && m.start() == e && s == e), "two empty matches at {e}");
        }
        last = Some((m.start(), m.end()));
        count += 1;
        assert!(count <= 2 * (n + 1), "too many matches");
    }

    // sub with a template naming every group, and split.
    let template: String = (0..=regex.groups()).map(|g| format!("<\\g<{g}>>")).collect();
    let points: Vec<u32> = template.chars().map(u32::from).collect();
    let items = regex.template(&points).expect("a template of valid group numbers parses");
    if let Ok((out, replaced)) = regex.replace_raw(haystack, &items, 0) {
        assert!(replaced <= count, "sub replaced {replaced} of {count} matches");
        if is_str {
            assert!(std::str::from_utf8(&out).is_ok(), "sub made invalid UTF-8 from UTF-8");
        }
    }
    if is_str {
        let text = std::str::from_utf8(haystack).expect("UTF-8 by construction");
        if let Ok(pieces) = regex.split(text, 0) {
            // The text before each split point and the groups, then the rest.
            assert!((pieces.len() - 1) % (regex.groups() + 1) == 0, "split gave {} pieces", pieces.len());
        }
    }
}
