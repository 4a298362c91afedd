//! `pyaot_re_split` and the `pyaot_re_pieces` it returns.

use std::ffi::{c_char, c_int};

use crate::iter::Cursor;
use crate::{guard, input, pyaot_re_error, pyaot_re_regex, run};

/// What `Pattern.split` returns, as spans of the haystack: the text between matches, with the
/// groups of each match between them (`None` for groups that did not take part).
pub struct pyaot_re_pieces {
    /// Byte spans into the haystack; `None` where Python's list holds `None`.
    spans: Vec<Option<(usize, usize)>>,
}

/// `Pattern.split(haystack, maxsplit)`: splits at up to `maxsplit` matches (0 for all), with
/// Python's rules for empty matches. Returns the pieces as spans of `haystack` (which they do
/// not borrow), or NULL with `*err` set (when `err` is not NULL) for the errors of
/// `pyaot_re_search`. Free them with `pyaot_re_pieces_free`.
///
/// # Safety
///
/// `regex` must be NULL or a live pattern; `haystack` must be NULL or valid for reads of `len`
/// bytes; `err` must be NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_re_split(
    regex: *const pyaot_re_regex,
    haystack: *const c_char,
    len: usize,
    maxsplit: usize,
    err: *mut *mut pyaot_re_error,
) -> *mut pyaot_re_pieces {
    // SAFETY: the caller's promises about every pointer.
    unsafe {
        run(err, std::ptr::null_mut(), || {
            let regex = pyaot_re_regex::get(regex)?;
            let haystack = input(haystack, len, "haystack")?;
            regex.check_text(haystack, "haystack")?;
            let mut slots = vec![usize::MAX; regex.regex.slot_count()];
            let mut cursor = Cursor::new(0, haystack.len());
            let mut spans = Vec::new();
            let mut last = 0;
            let mut n = 0;
            while maxsplit == 0 || n < maxsplit {
                if cursor.next(regex, haystack, &mut slots)?.is_none() {
                    break;
                }
                spans.push(Some((last, slots[0])));
                for span in slots[2..].chunks_exact(2) {
                    spans.push((span[0] != usize::MAX && span[1] != usize::MAX).then_some((span[0], span[1])));
                }
                last = slots[1];
                n += 1;
            }
            spans.push(Some((last, haystack.len())));
            Ok(Box::into_raw(Box::new(pyaot_re_pieces { spans })))
        })
    }
}

/// The number of pieces (the length of Python's list); 0 for NULL.
///
/// # Safety
///
/// `pieces` must be NULL or live pieces from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_re_pieces_len(pieces: *const pyaot_re_pieces) -> usize {
    // SAFETY: the caller's promise.
    guard(0, || unsafe { pieces.as_ref() }.map_or(0, |p| p.spans.len()))
}

/// Piece `index`: returns 1 and writes its span of the haystack to `*start` and `*end` (each
/// may be NULL); 0, writing nothing, for a group that did not take part (`None` in Python's
/// list); -1 for an index out of range or NULL.
///
/// # Safety
///
/// `pieces` must be NULL or live pieces from this library; `start` and `end` must each be NULL
/// or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_re_pieces_get(
    pieces: *const pyaot_re_pieces,
    index: usize,
    start: *mut usize,
    end: *mut usize,
) -> c_int {
    guard(-1, || {
        // SAFETY: the caller's promise.
        let Some(piece) = (unsafe { pieces.as_ref() }).and_then(|p| p.spans.get(index)) else { return -1 };
        let Some((s, e)) = *piece else { return 0 };
        for (out, value) in [(start, s), (end, e)] {
            if !out.is_null() {
                // SAFETY: not NULL, and the caller promises it is writable.
                unsafe { *out = value };
            }
        }
        1
    })
}

/// Frees pieces; NULL does nothing.
///
/// # Safety
///
/// `pieces` must be NULL or pieces from this library that were not freed yet.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_re_pieces_free(pieces: *mut pyaot_re_pieces) {
    guard((), || {
        if !pieces.is_null() {
            // SAFETY: pieces are a `Box` leaked by `pyaot_re_split`, freed once (the caller's
            // promise).
            drop(unsafe { Box::from_raw(pieces) });
        }
    });
}

#[cfg(test)]
mod tests {
    use std::ptr;

    use super::*;
    use crate::{pyaot_re_compile, pyaot_re_free};

    /// `re.split(pattern, text, maxsplit)` through the C API, `None` pieces as `None`.
    fn split(pattern: &str, text: &str, maxsplit: usize) -> Vec<Option<String>> {
        // SAFETY: valid buffers and out-pointers; everything made is freed.
        unsafe {
            let regex = pyaot_re_compile(pattern.as_ptr().cast(), pattern.len(), 0, ptr::null_mut());
            let pieces = pyaot_re_split(regex, text.as_ptr().cast(), text.len(), maxsplit, ptr::null_mut());
            let mut out = Vec::new();
            for i in 0..pyaot_re_pieces_len(pieces) {
                let (mut start, mut end) = (0, 0);
                out.push(
                    (pyaot_re_pieces_get(pieces, i, &mut start, &mut end) == 1).then(|| text[start..end].to_string()),
                );
            }
            assert_eq!(pyaot_re_pieces_get(pieces, out.len(), ptr::null_mut(), ptr::null_mut()), -1);
            pyaot_re_pieces_free(pieces);
            pyaot_re_free(regex);
            out
        }
    }

    fn some(pieces: &[&str]) -> Vec<Option<String>> {
        pieces.iter().map(|p| Some((*p).to_string())).collect()
    }

    #[test]
    fn split_follows_python() {
        assert_eq!(split(",", "a,b,,c", 0), some(&["a", "b", "", "c"]));
        assert_eq!(split(",", "a,b,,c", 2), some(&["a", "b", ",c"]));
        assert_eq!(split("x*", "axbc", 0), some(&["", "a", "", "b", "c", ""]));
        assert_eq!(split("(,)|(;)", "a,b", 0), vec![Some("a".into()), Some(",".into()), None, Some("b".into())]);
    }

    #[test]
    fn null_pieces_give_neutral_answers() {
        // SAFETY: NULL is allowed.
        unsafe {
            assert_eq!(pyaot_re_pieces_len(ptr::null()), 0);
            assert_eq!(pyaot_re_pieces_get(ptr::null(), 0, ptr::null_mut(), ptr::null_mut()), -1);
            pyaot_re_pieces_free(ptr::null_mut());
            assert!(pyaot_re_split(ptr::null(), c"".as_ptr(), 0, 0, ptr::null_mut()).is_null());
        }
    }
}
