//! `pyaot_re_iter`: `Pattern.finditer`, one match at a time.

use std::ffi::{c_char, c_int};

use pyaot_regex::{Anchor, MatchError};

use crate::error::Failure;
use crate::{guard, input, pyaot_re_captures, pyaot_re_error, pyaot_re_regex, run};

/// Where the next match of an iteration is searched, with Python's empty-match rule: after an
/// empty match the next one may not be empty at the same position (3.7+ semantics), which
/// `search_raw`'s `must_advance` implements.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Cursor {
    pos: usize,
    endpos: usize,
    must_advance: bool,
    done: bool,
}

impl Cursor {
    /// A cursor over `pos..endpos` (already checked).
    pub(crate) fn new(pos: usize, endpos: usize) -> Cursor {
        Cursor { pos, endpos, must_advance: false, done: false }
    }

    /// The next match into `slots`: its `lastindex`, or `None` at the end (and after an error).
    pub(crate) fn next(
        &mut self,
        regex: &pyaot_re_regex,
        haystack: &[u8],
        slots: &mut [usize],
    ) -> Result<Option<usize>, MatchError> {
        if self.done {
            return Ok(None);
        }
        let found = regex.regex.search_raw(haystack, self.pos, self.endpos, Anchor::Search, self.must_advance, slots);
        match found {
            Ok(Some(lastindex)) => {
                self.must_advance = slots[0] == slots[1];
                self.pos = slots[1];
                Ok(Some(lastindex))
            }
            other => {
                self.done = true;
                other
            }
        }
    }
}

/// An iteration over the matches of a pattern in a haystack (`Pattern.finditer`). It borrows
/// both: the pattern and the haystack must stay alive and unchanged until the iterator is
/// freed.
pub struct pyaot_re_iter {
    regex: *const pyaot_re_regex,
    haystack: *const u8,
    len: usize,
    cursor: Cursor,
}

/// Starts `Pattern.finditer(haystack, pos, endpos)` (byte offsets, clamped to `len`; `SIZE_MAX`
/// for the end). Returns the iterator, or NULL with `*err` set (when `err` is not NULL) for the
/// errors `pyaot_re_search` checks before searching. The haystack is checked once here, not
/// again for each match. Free the iterator with `pyaot_re_iter_free`.
///
/// # Safety
///
/// `regex` must be NULL or a live pattern; `haystack` must be NULL or valid for reads of `len`
/// bytes; both must stay alive and unchanged until the iterator is freed. `err` must be NULL
/// or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_re_iter_new(
    regex: *const pyaot_re_regex,
    haystack: *const c_char,
    len: usize,
    pos: usize,
    endpos: usize,
    err: *mut *mut pyaot_re_error,
) -> *mut pyaot_re_iter {
    // SAFETY: the caller's promises about every pointer.
    unsafe {
        run(err, std::ptr::null_mut(), || {
            let pattern = pyaot_re_regex::get(regex)?;
            let bytes = input(haystack, len, "haystack")?;
            pattern.check_text(bytes, "haystack")?;
            let (pos, endpos) = pattern.bounds(bytes, pos, endpos)?;
            let iter = pyaot_re_iter { regex, haystack: bytes.as_ptr(), len, cursor: Cursor::new(pos, endpos) };
            Ok(Box::into_raw(Box::new(iter)))
        })
    }
}

/// The next match: returns 1 and fills `caps` (which may be NULL to only count), 0 at the end,
/// -1 for an error (`*err` set when `err` is not NULL): the step limit, NULL `iter`, or
/// captures made for another number of groups. After 0 or -1 the iteration is over.
///
/// # Safety
///
/// `iter` must be NULL or a live iterator whose pattern and haystack are still alive; `caps`
/// must be NULL or live captures used by no other thread; `err` must be NULL or valid for a
/// write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_re_iter_next(
    iter: *mut pyaot_re_iter,
    caps: *mut pyaot_re_captures,
    err: *mut *mut pyaot_re_error,
) -> c_int {
    // SAFETY: the caller's promises about every pointer.
    unsafe {
        run(err, -1, || {
            let iter = iter.as_mut().ok_or_else(|| Failure::null("iter"))?;
            // SAFETY: `pyaot_re_iter_new` checked both, and the caller keeps them alive.
            let regex = pyaot_re_regex::get(iter.regex)?;
            let haystack = std::slice::from_raw_parts(iter.haystack, iter.len);
            let caps = pyaot_re_captures::get_mut(caps, regex)?;
            let cursor = &mut iter.cursor;
            let (found, _, _) = pyaot_re_captures::fill(caps, regex, |slots| Ok(cursor.next(regex, haystack, slots)?))?;
            Ok(found)
        })
    }
}

/// Frees an iterator (not its pattern or haystack); NULL does nothing.
///
/// # Safety
///
/// `iter` must be NULL or an iterator from this library that was not freed yet.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_re_iter_free(iter: *mut pyaot_re_iter) {
    guard((), || {
        if !iter.is_null() {
            // SAFETY: an iterator is a `Box` leaked by `pyaot_re_iter_new`, freed once (the
            // caller's promise).
            drop(unsafe { Box::from_raw(iter) });
        }
    });
}

#[cfg(test)]
mod tests {
    use std::ptr;

    use super::*;
    use crate::{
        pyaot_re_captures_free, pyaot_re_captures_get, pyaot_re_captures_new, pyaot_re_compile, pyaot_re_free,
    };

    fn spans(pattern: &str, text: &str, pos: usize, endpos: usize) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        // SAFETY: valid buffers; the pattern and text outlive the iterator; all freed.
        unsafe {
            let regex = pyaot_re_compile(pattern.as_ptr().cast(), pattern.len(), 0, ptr::null_mut());
            let caps = pyaot_re_captures_new(regex);
            let iter = pyaot_re_iter_new(regex, text.as_ptr().cast(), text.len(), pos, endpos, ptr::null_mut());
            while pyaot_re_iter_next(iter, caps, ptr::null_mut()) == 1 {
                let (mut start, mut end) = (0, 0);
                assert_eq!(pyaot_re_captures_get(caps, 0, &mut start, &mut end), 1);
                out.push((start, end));
            }
            assert_eq!(pyaot_re_iter_next(iter, caps, ptr::null_mut()), 0);
            pyaot_re_iter_free(iter);
            pyaot_re_captures_free(caps);
            pyaot_re_free(regex);
        }
        out
    }

    #[test]
    fn empty_matches_follow_python() {
        assert_eq!(spans("x*", "abxd", 0, usize::MAX), [(0, 0), (1, 1), (2, 3), (3, 3), (4, 4)]);
        assert_eq!(spans("x*", "abxd", 1, 3), [(1, 1), (2, 3), (3, 3)]);
        assert_eq!(spans("", "", 0, 0), [(0, 0)]);
    }

    #[test]
    fn a_null_iterator_is_an_error() {
        // SAFETY: NULL is allowed.
        unsafe {
            assert_eq!(pyaot_re_iter_next(ptr::null_mut(), ptr::null_mut(), ptr::null_mut()), -1);
            assert!(pyaot_re_iter_new(ptr::null(), c"".as_ptr(), 0, 0, 0, ptr::null_mut()).is_null());
            pyaot_re_iter_free(ptr::null_mut());
        }
    }
}
