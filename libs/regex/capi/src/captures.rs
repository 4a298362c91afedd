//! `pyaot_re_captures` and the matching functions that fill it: `search`, `match`, `fullmatch`.

use std::ffi::c_int;

use pyaot_regex::Anchor;

use crate::error::{Failure, pyaot_re_error_kind as Kind};
use crate::{guard, input, pyaot_re_error, pyaot_re_regex, run};

/// A capture slot that is not set (what `pyaot_regex` uses).
const UNSET: usize = usize::MAX;

/// The spans of one match: every group's start and end (byte offsets), and `lastindex`. Made
/// for one pattern by `pyaot_re_captures_new`, it may be reused for every match of that pattern
/// (or of any pattern with as many groups).
pub struct pyaot_re_captures {
    /// Two byte offsets per group, group 0 first; `UNSET` for groups that did not match.
    slots: Vec<usize>,
    lastindex: usize,
    /// Whether the last matching function found a match (and so the slots hold one).
    matched: bool,
}

impl pyaot_re_captures {
    /// The captures behind `caps` if it suits `regex`, or an error.
    ///
    /// # Safety
    ///
    /// `caps` must be NULL or live captures from this library, used by no one else now.
    pub(crate) unsafe fn get_mut<'a>(
        caps: *mut pyaot_re_captures,
        regex: &pyaot_re_regex,
    ) -> Result<Option<&'a mut pyaot_re_captures>, Failure> {
        // SAFETY: the caller promises NULL or live, unshared captures.
        let Some(caps) = (unsafe { caps.as_mut() }) else { return Ok(None) };
        if caps.slots.len() != regex.regex.slot_count() {
            return Err(Failure::new(
                Kind::InvalidArgument,
                format!(
                    "the captures hold {} groups but the pattern has {}",
                    caps.slots.len() / 2,
                    regex.regex.slot_count() / 2
                ),
            ));
        }
        caps.matched = false;
        Ok(Some(caps))
    }

    /// Runs `search` (a search through `regex.search_raw`) on these captures' slots, or on
    /// scratch slots when there are no captures, and records the answer: 1 for a match, 0 for
    /// none.
    pub(crate) fn fill(
        caps: Option<&mut pyaot_re_captures>,
        regex: &pyaot_re_regex,
        search: impl FnOnce(&mut [usize]) -> Result<Option<usize>, Failure>,
    ) -> Result<(c_int, usize, usize), Failure> {
        let mut scratch = Vec::new();
        let (found, slots) = match caps {
            Some(caps) => {
                let found = search(&mut caps.slots)?;
                caps.lastindex = found.unwrap_or(0);
                caps.matched = found.is_some();
                (found, &caps.slots)
            }
            None => {
                scratch.resize(regex.regex.slot_count(), UNSET);
                (search(&mut scratch)?, &scratch)
            }
        };
        Ok(match found {
            Some(_) => (1, slots[0], slots[1]),
            None => (0, 0, 0),
        })
    }
}

/// New captures for matches of `regex`; NULL for NULL. Free them with
/// `pyaot_re_captures_free`; they do not borrow the pattern.
///
/// # Safety
///
/// `regex` must be NULL or a live pattern from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_re_captures_new(regex: *const pyaot_re_regex) -> *mut pyaot_re_captures {
    guard(std::ptr::null_mut(), || {
        // SAFETY: the caller's promise.
        let Some(regex) = (unsafe { regex.as_ref() }) else { return std::ptr::null_mut() };
        let caps = pyaot_re_captures { slots: vec![UNSET; regex.regex.slot_count()], lastindex: 0, matched: false };
        Box::into_raw(Box::new(caps))
    })
}

/// Frees captures; NULL does nothing.
///
/// # Safety
///
/// `caps` must be NULL or captures from this library that were not freed yet.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_re_captures_free(caps: *mut pyaot_re_captures) {
    guard((), || {
        if !caps.is_null() {
            // SAFETY: captures are a `Box` leaked by `pyaot_re_captures_new`, freed once (the
            // caller's promise).
            drop(unsafe { Box::from_raw(caps) });
        }
    });
}

/// The number of groups the captures hold, group 0 included (`Pattern.groups + 1`); 0 for NULL.
///
/// # Safety
///
/// `caps` must be NULL or live captures from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_re_captures_len(caps: *const pyaot_re_captures) -> usize {
    // SAFETY: the caller's promise.
    guard(0, || unsafe { caps.as_ref() }.map_or(0, |c| c.slots.len() / 2))
}

/// The span of group `group` (0 for the whole match) in the last match, as byte offsets
/// (`Match.span(group)`): returns 1 and writes `*start` and `*end` (each may be NULL) when the
/// group took part in the match; 0, writing nothing, when it did not; -1 when the captures hold
/// no match (the last matching function returned 0 or -1), `group` is out of range, or `caps`
/// is NULL.
///
/// # Safety
///
/// `caps` must be NULL or live captures from this library; `start` and `end` must each be NULL
/// or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_re_captures_get(
    caps: *const pyaot_re_captures,
    group: usize,
    start: *mut usize,
    end: *mut usize,
) -> c_int {
    guard(-1, || {
        // SAFETY: the caller's promise.
        let Some(caps) = (unsafe { caps.as_ref() }).filter(|c| c.matched) else { return -1 };
        let Some(span) = group.checked_mul(2).and_then(|i| caps.slots.get(i..i + 2)) else { return -1 };
        if span[0] == UNSET || span[1] == UNSET {
            return 0;
        }
        for (out, value) in [(start, span[0]), (end, span[1])] {
            if !out.is_null() {
                // SAFETY: not NULL, and the caller promises it is writable.
                unsafe { *out = value };
            }
        }
        1
    })
}

/// `Match.lastindex`: the number of the last group closed in the last match; 0 when no group
/// matched, when the captures hold no match, and for NULL.
///
/// # Safety
///
/// `caps` must be NULL or live captures from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_re_captures_lastindex(caps: *const pyaot_re_captures) -> usize {
    // SAFETY: the caller's promise.
    guard(0, || unsafe { caps.as_ref() }.filter(|c| c.matched).map_or(0, |c| c.lastindex))
}

/// One matching function: checks the arguments and runs the search with `anchor`.
///
/// # Safety
///
/// As for `pyaot_re_search`.
#[allow(clippy::too_many_arguments, reason = "the C signature, spelled out once")]
unsafe fn find(
    regex: *const pyaot_re_regex,
    haystack: *const std::ffi::c_char,
    len: usize,
    pos: usize,
    endpos: usize,
    anchor: Anchor,
    caps: *mut pyaot_re_captures,
    err: *mut *mut pyaot_re_error,
) -> c_int {
    // SAFETY: the caller's promises about every pointer.
    unsafe {
        run(err, -1, || {
            let regex = pyaot_re_regex::get(regex)?;
            let caps = pyaot_re_captures::get_mut(caps, regex)?;
            let haystack = input(haystack, len, "haystack")?;
            regex.check_text(haystack, "haystack")?;
            let (pos, endpos) = regex.bounds(haystack, pos, endpos)?;
            let (found, _, _) = pyaot_re_captures::fill(caps, regex, |slots| {
                Ok(regex.regex.search_raw(haystack, pos, endpos, anchor, false, slots)?)
            })?;
            Ok(found)
        })
    }
}

/// `Pattern.search(haystack, pos, endpos)`: the first match in `haystack[pos..endpos]` (byte
/// offsets, clamped to `len`; pass `SIZE_MAX` for the end). Returns 1 for a match, whose spans
/// go to `caps` (which may be NULL to only test), 0 for none, -1 for an error (`*err` set when
/// `err` is not NULL): a str pattern's haystack that is not UTF-8, `pos` or `endpos` inside a
/// character, captures made for another number of groups, NULL `regex` or `haystack`, or the
/// step limit.
///
/// # Safety
///
/// `regex` must be NULL or a live pattern; `haystack` must be NULL or valid for reads of `len`
/// bytes; `caps` must be NULL or live captures used by no other thread; `err` must be NULL or
/// valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_re_search(
    regex: *const pyaot_re_regex,
    haystack: *const std::ffi::c_char,
    len: usize,
    pos: usize,
    endpos: usize,
    caps: *mut pyaot_re_captures,
    err: *mut *mut pyaot_re_error,
) -> c_int {
    // SAFETY: the caller's promises, passed on.
    unsafe { find(regex, haystack, len, pos, endpos, Anchor::Search, caps, err) }
}

/// `Pattern.match(haystack, pos, endpos)`: a match starting at `pos`. Arguments and results as
/// for `pyaot_re_search`.
///
/// # Safety
///
/// As for `pyaot_re_search`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_re_match(
    regex: *const pyaot_re_regex,
    haystack: *const std::ffi::c_char,
    len: usize,
    pos: usize,
    endpos: usize,
    caps: *mut pyaot_re_captures,
    err: *mut *mut pyaot_re_error,
) -> c_int {
    // SAFETY: the caller's promises, passed on.
    unsafe { find(regex, haystack, len, pos, endpos, Anchor::Match, caps, err) }
}

/// `Pattern.fullmatch(haystack, pos, endpos)`: a match of all of `haystack[pos..endpos]`.
/// Arguments and results as for `pyaot_re_search`.
///
/// # Safety
///
/// As for `pyaot_re_search`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_re_fullmatch(
    regex: *const pyaot_re_regex,
    haystack: *const std::ffi::c_char,
    len: usize,
    pos: usize,
    endpos: usize,
    caps: *mut pyaot_re_captures,
    err: *mut *mut pyaot_re_error,
) -> c_int {
    // SAFETY: the caller's promises, passed on.
    unsafe { find(regex, haystack, len, pos, endpos, Anchor::Full, caps, err) }
}

#[cfg(test)]
mod tests {
    use std::ptr;

    use super::*;
    use crate::{pyaot_re_compile, pyaot_re_error_free, pyaot_re_error_get_kind, pyaot_re_free};

    fn compile(pattern: &str) -> *mut pyaot_re_regex {
        // SAFETY: a valid pattern buffer; no error out-pointer.
        unsafe { pyaot_re_compile(pattern.as_ptr().cast(), pattern.len(), 0, ptr::null_mut()) }
    }

    fn span(caps: *const pyaot_re_captures, group: usize) -> Option<(usize, usize)> {
        let (mut start, mut end) = (0, 0);
        // SAFETY: live captures and valid out-pointers.
        (unsafe { pyaot_re_captures_get(caps, group, &mut start, &mut end) } == 1).then_some((start, end))
    }

    #[test]
    fn search_match_and_fullmatch_fill_the_captures() {
        let regex = compile("(a)|(b)");
        let text = "xba";
        // SAFETY: live pattern and captures, valid buffers.
        unsafe {
            let caps = pyaot_re_captures_new(regex);
            assert_eq!(pyaot_re_captures_len(caps), 3);
            let search =
                |pos, caps| pyaot_re_search(regex, text.as_ptr().cast(), 3, pos, usize::MAX, caps, ptr::null_mut());
            assert_eq!(search(0, caps), 1);
            assert_eq!((span(caps, 0), span(caps, 1), span(caps, 2)), (Some((1, 2)), None, Some((1, 2))));
            assert_eq!(pyaot_re_captures_get(caps, 1, ptr::null_mut(), ptr::null_mut()), 0);
            assert_eq!(pyaot_re_captures_get(caps, 3, ptr::null_mut(), ptr::null_mut()), -1);
            assert_eq!(pyaot_re_captures_lastindex(caps), 2);
            assert_eq!(search(2, ptr::null_mut()), 1);
            assert_eq!(pyaot_re_match(regex, text.as_ptr().cast(), 3, 0, 3, caps, ptr::null_mut()), 0);
            assert_eq!(pyaot_re_captures_get(caps, 0, ptr::null_mut(), ptr::null_mut()), -1);
            assert_eq!(pyaot_re_captures_lastindex(caps), 0);
            assert_eq!(pyaot_re_fullmatch(regex, text.as_ptr().cast(), 3, 2, 3, caps, ptr::null_mut()), 1);
            assert_eq!(span(caps, 1), Some((2, 3)));
            assert_eq!(pyaot_re_fullmatch(regex, text.as_ptr().cast(), 3, 1, 3, caps, ptr::null_mut()), 0);
            pyaot_re_captures_free(caps);
            pyaot_re_free(regex);
        }
    }

    #[test]
    fn bad_arguments_are_errors_not_undefined_behaviour() {
        let regex = compile("a");
        let other = compile("(a)");
        let mut error = ptr::null_mut();
        // SAFETY: live patterns and captures, valid buffers; every error is freed.
        unsafe {
            let caps = pyaot_re_captures_new(other);
            let expect = |found: c_int, error: *mut pyaot_re_error, kind| {
                assert_eq!(found, -1);
                assert_eq!(pyaot_re_error_get_kind(error), kind);
                pyaot_re_error_free(error);
            };
            let found = pyaot_re_search(regex, c"a".as_ptr(), 1, 0, 1, caps, &mut error);
            expect(found, error, Kind::InvalidArgument);
            let found = pyaot_re_search(regex, ptr::null(), 0, 0, 0, ptr::null_mut(), &mut error);
            expect(found, error, Kind::InvalidArgument);
            let found = pyaot_re_search(ptr::null(), c"a".as_ptr(), 1, 0, 1, ptr::null_mut(), &mut error);
            expect(found, error, Kind::InvalidArgument);
            let found = pyaot_re_search(regex, c"\xff".as_ptr(), 1, 0, 1, ptr::null_mut(), &mut error);
            expect(found, error, Kind::InvalidUtf8);
            let e_acute = "é";
            let found = pyaot_re_search(regex, e_acute.as_ptr().cast(), 2, 1, 2, ptr::null_mut(), &mut error);
            expect(found, error, Kind::InvalidArgument);
            assert!(pyaot_re_captures_new(ptr::null()).is_null());
            assert_eq!(pyaot_re_captures_len(ptr::null()), 0);
            assert_eq!(pyaot_re_captures_lastindex(ptr::null()), 0);
            assert_eq!(pyaot_re_captures_get(ptr::null(), 0, ptr::null_mut(), ptr::null_mut()), -1);
            pyaot_re_captures_free(ptr::null_mut());
            pyaot_re_captures_free(caps);
            pyaot_re_free(other);
            pyaot_re_free(regex);
        }
    }
}
