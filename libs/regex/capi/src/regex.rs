//! `pyaot_re_regex`: a compiled pattern (`re.compile`).

use std::ffi::{CString, c_char};

use pyaot_regex::{Flags, Regex};

use crate::error::{Failure, pyaot_re_error_kind as Kind};
use crate::{guard, input, pyaot_re_error, run};

// The flags are literals, CPython's values, because cbindgen writes only literal constants into
// the header; a test checks them against `pyaot_regex::Flags`.

/// `re.IGNORECASE` (`re.I`).
pub const PYAOT_RE_IGNORECASE: u32 = 2;
/// `re.LOCALE` (`re.L`): bytes patterns only.
pub const PYAOT_RE_LOCALE: u32 = 4;
/// `re.MULTILINE` (`re.M`).
pub const PYAOT_RE_MULTILINE: u32 = 8;
/// `re.DOTALL` (`re.S`).
pub const PYAOT_RE_DOTALL: u32 = 16;
/// `re.UNICODE` (`re.U`): the default for str patterns.
pub const PYAOT_RE_UNICODE: u32 = 32;
/// `re.VERBOSE` (`re.X`).
pub const PYAOT_RE_VERBOSE: u32 = 64;
/// `re.ASCII` (`re.A`).
pub const PYAOT_RE_ASCII: u32 = 256;

/// A compiled pattern, str or bytes (`re.Pattern`). Immutable once compiled (except through
/// `pyaot_re_set_step_limit`), so it may be searched from several threads at once.
pub struct pyaot_re_regex {
    pub(crate) regex: Regex,
    /// The name of each group (index 0 is group 0), NUL-terminated for C; `None` when unnamed.
    names: Vec<Option<CString>>,
}

impl pyaot_re_regex {
    fn new_raw(regex: Regex) -> *mut pyaot_re_regex {
        let mut names = vec![None; regex.groups() + 1];
        for (name, index) in regex.group_names() {
            if let Some(slot) = names.get_mut(*index) {
                // Group names are identifiers, which never hold NUL.
                *slot = CString::new(name.as_str()).ok();
            }
        }
        Box::into_raw(Box::new(pyaot_re_regex { regex, names }))
    }

    /// The pattern behind `regex`, or an error for NULL.
    ///
    /// # Safety
    ///
    /// `regex` must be NULL or a live pattern from this library.
    pub(crate) unsafe fn get<'a>(regex: *const pyaot_re_regex) -> Result<&'a pyaot_re_regex, Failure> {
        // SAFETY: the caller promises NULL or a live pattern.
        unsafe { regex.as_ref() }.ok_or_else(|| Failure::null("regex"))
    }

    /// Checks that `text` (named `what` in errors) suits the pattern: UTF-8 for a str pattern.
    pub(crate) fn check_text(&self, text: &[u8], what: &str) -> Result<(), Failure> {
        if !self.regex.is_bytes() && std::str::from_utf8(text).is_err() {
            return Err(Failure::utf8(what));
        }
        Ok(())
    }

    /// `pos` and `endpos` clamped to the haystack as Python clamps them, refusing positions
    /// inside a character of a str haystack (already checked to be UTF-8).
    pub(crate) fn bounds(&self, haystack: &[u8], pos: usize, endpos: usize) -> Result<(usize, usize), Failure> {
        let (pos, endpos) = (pos.min(haystack.len()), endpos.min(haystack.len()));
        if !self.regex.is_bytes() {
            for (name, at) in [("pos", pos), ("endpos", endpos)] {
                // A continuation byte is never the first byte of a character.
                if haystack.get(at).is_some_and(|&b| b & 0xC0 == 0x80) {
                    return Err(Failure::new(
                        Kind::InvalidArgument,
                        format!("{name} {at} is inside a character of the haystack"),
                    ));
                }
            }
        }
        Ok((pos, endpos))
    }
}

/// Compiles a str pattern (`re.compile(pattern, flags)`): UTF-8 text and `PYAOT_RE_*` flags.
/// Returns the pattern, or NULL with `*err` set (when `err` is not NULL) to an error of kind
/// `PYAOT_RE_ERROR_KIND_ERROR` (an invalid pattern, with CPython's message and position),
/// `..._VALUE_ERROR` or `..._OVERFLOW_ERROR` (as CPython raises them), `..._INVALID_UTF8` or
/// `..._INVALID_ARGUMENT`. Free the pattern with `pyaot_re_free`.
///
/// # Safety
///
/// `pattern` must be valid for reads of `len` bytes; `err` must be NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_re_compile(
    pattern: *const c_char,
    len: usize,
    flags: u32,
    err: *mut *mut pyaot_re_error,
) -> *mut pyaot_re_regex {
    // SAFETY: the caller's promises about `pattern` and `err`.
    unsafe {
        run(err, std::ptr::null_mut(), || {
            let bytes = input(pattern, len, "pattern")?;
            let text = std::str::from_utf8(bytes).map_err(|_| Failure::utf8("pattern"))?;
            Ok(pyaot_re_regex::new_raw(Regex::with_flags(text, Flags(flags))?))
        })
    }
}

/// Compiles a bytes pattern (`re.compile(b"...", flags)`): any bytes. Returns as
/// `pyaot_re_compile` does.
///
/// # Safety
///
/// `pattern` must be valid for reads of `len` bytes; `err` must be NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_re_compile_bytes(
    pattern: *const c_char,
    len: usize,
    flags: u32,
    err: *mut *mut pyaot_re_error,
) -> *mut pyaot_re_regex {
    // SAFETY: the caller's promises about `pattern` and `err`.
    unsafe {
        run(err, std::ptr::null_mut(), || {
            let bytes = input(pattern, len, "pattern")?;
            Ok(pyaot_re_regex::new_raw(Regex::new_bytes(bytes, Flags(flags))?))
        })
    }
}

/// Frees a pattern; NULL does nothing. Captures and pieces made for it stay valid; an iterator
/// over it must not be advanced afterwards (freeing it is still fine).
///
/// # Safety
///
/// `regex` must be NULL or a pattern from this library that was not freed yet.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_re_free(regex: *mut pyaot_re_regex) {
    guard((), || {
        if !regex.is_null() {
            // SAFETY: a pattern is a `Box` leaked by `new_raw`, freed once (the caller's promise).
            drop(unsafe { Box::from_raw(regex) });
        }
    });
}

/// The number of capturing groups (`Pattern.groups`); 0 for NULL.
///
/// # Safety
///
/// `regex` must be NULL or a live pattern from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_re_groups(regex: *const pyaot_re_regex) -> usize {
    // SAFETY: the caller's promise.
    guard(0, || unsafe { regex.as_ref() }.map_or(0, |r| r.regex.groups()))
}

/// The number of the group named by the UTF-8 `name` (`Pattern.groupindex[name]`); -1 when no
/// group has that name, and for NULL arguments.
///
/// # Safety
///
/// `regex` must be NULL or a live pattern from this library; `name` must be NULL or valid for
/// reads of `len` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_re_group_index(regex: *const pyaot_re_regex, name: *const c_char, len: usize) -> i64 {
    guard(-1, || {
        // SAFETY: the caller's promises.
        let (Some(regex), Ok(name)) = (unsafe { regex.as_ref() }, unsafe { input(name, len, "name") }) else {
            return -1;
        };
        let index = std::str::from_utf8(name).ok().and_then(|name| regex.regex.group_index(name));
        index.and_then(|i| i64::try_from(i).ok()).unwrap_or(-1)
    })
}

/// The name of group `group` as a NUL-terminated string valid until the pattern is freed (what
/// `Match.lastgroup` reports for `lastindex`); NULL for an unnamed group, a group out of range
/// and NULL.
///
/// # Safety
///
/// `regex` must be NULL or a live pattern from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_re_group_name(regex: *const pyaot_re_regex, group: usize) -> *const c_char {
    guard(std::ptr::null(), || {
        // SAFETY: the caller's promise.
        let name = unsafe { regex.as_ref() }.and_then(|r| r.names.get(group)?.as_ref());
        name.map_or(std::ptr::null(), |n| n.as_ptr())
    })
}

/// The flags as `Pattern.flags` reports them (the argument, inline flags such as `(?i)`, and
/// `PYAOT_RE_UNICODE` for str patterns without `PYAOT_RE_ASCII`); 0 for NULL.
///
/// # Safety
///
/// `regex` must be NULL or a live pattern from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_re_flags(regex: *const pyaot_re_regex) -> u32 {
    // SAFETY: the caller's promise.
    guard(0, || unsafe { regex.as_ref() }.map_or(0, |r| r.regex.flags().0))
}

/// Whether this is a bytes pattern (from `pyaot_re_compile_bytes`); false for NULL.
///
/// # Safety
///
/// `regex` must be NULL or a live pattern from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_re_is_bytes(regex: *const pyaot_re_regex) -> bool {
    // SAFETY: the caller's promise.
    guard(false, || unsafe { regex.as_ref() }.is_some_and(|r| r.regex.is_bytes()))
}

/// Sets how many backtracking steps one search may take before failing with an error of kind
/// `PYAOT_RE_ERROR_KIND_STEP_LIMIT` (the default is about a second of backtracking). Returns 0,
/// or -1 for NULL. Not to be called while another thread uses the pattern.
///
/// # Safety
///
/// `regex` must be NULL or a live pattern from this library, used by no other thread now.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_re_set_step_limit(regex: *mut pyaot_re_regex, limit: u64) -> i32 {
    guard(-1, || {
        // SAFETY: the caller promises NULL or a live pattern nobody else uses now.
        let Some(regex) = (unsafe { regex.as_mut() }) else { return -1 };
        regex.regex = regex.regex.clone().with_step_limit(limit);
        0
    })
}

#[cfg(test)]
mod tests {
    use std::ffi::CStr;
    use std::ptr;

    use super::*;
    use crate::{pyaot_re_error_free, pyaot_re_error_get_kind, pyaot_re_error_get_position};

    fn compile(pattern: &str) -> *mut pyaot_re_regex {
        // SAFETY: a valid pattern buffer; no error out-pointer.
        unsafe { pyaot_re_compile(pattern.as_ptr().cast(), pattern.len(), 0, ptr::null_mut()) }
    }

    #[test]
    fn a_pattern_reports_its_groups_names_and_flags() {
        let regex = compile("(?i)(?P<first>a)(b)");
        assert!(!regex.is_null());
        // SAFETY: `regex` is live until freed; the names are valid buffers.
        unsafe {
            assert_eq!(pyaot_re_groups(regex), 2);
            assert_eq!(pyaot_re_group_index(regex, c"first".as_ptr(), 5), 1);
            assert_eq!(pyaot_re_group_index(regex, c"second".as_ptr(), 6), -1);
            assert_eq!(CStr::from_ptr(pyaot_re_group_name(regex, 1)), c"first");
            assert!(pyaot_re_group_name(regex, 2).is_null());
            assert!(pyaot_re_group_name(regex, 3).is_null());
            assert_eq!(pyaot_re_flags(regex), PYAOT_RE_IGNORECASE | PYAOT_RE_UNICODE);
            assert!(!pyaot_re_is_bytes(regex));
            assert_eq!(pyaot_re_set_step_limit(regex, 10), 0);
            pyaot_re_free(regex);
        }
    }

    #[test]
    fn the_flags_are_cpythons() {
        let ours = [PYAOT_RE_IGNORECASE, PYAOT_RE_LOCALE, PYAOT_RE_MULTILINE, PYAOT_RE_DOTALL];
        assert_eq!(ours, [Flags::IGNORECASE, Flags::LOCALE, Flags::MULTILINE, Flags::DOTALL]);
        assert_eq!(
            [PYAOT_RE_UNICODE, PYAOT_RE_VERBOSE, PYAOT_RE_ASCII],
            [Flags::UNICODE, Flags::VERBOSE, Flags::ASCII]
        );
    }

    #[test]
    fn bad_patterns_and_arguments_are_errors() {
        let mut error = ptr::null_mut();
        // SAFETY: valid buffers and out-pointers; every error is freed.
        unsafe {
            assert!(pyaot_re_compile(c"a(b".as_ptr(), 3, 0, &mut error).is_null());
            assert_eq!(pyaot_re_error_get_kind(error), Kind::Error);
            assert_eq!(pyaot_re_error_get_position(error), 1);
            pyaot_re_error_free(error);
            assert!(pyaot_re_compile(c"\xff".as_ptr(), 1, 0, &mut error).is_null());
            assert_eq!(pyaot_re_error_get_kind(error), Kind::InvalidUtf8);
            pyaot_re_error_free(error);
            assert!(pyaot_re_compile(ptr::null(), 0, 0, &mut error).is_null());
            assert_eq!(pyaot_re_error_get_kind(error), Kind::InvalidArgument);
            pyaot_re_error_free(error);
            assert!(pyaot_re_compile(c"a".as_ptr(), 1, PYAOT_RE_LOCALE, &mut error).is_null());
            assert_eq!(pyaot_re_error_get_kind(error), Kind::ValueError);
            pyaot_re_error_free(error);
            let bytes = pyaot_re_compile_bytes(c"\xff".as_ptr(), 1, PYAOT_RE_LOCALE, &mut error);
            assert!(!bytes.is_null());
            assert!(pyaot_re_is_bytes(bytes));
            pyaot_re_free(bytes);
        }
    }

    #[test]
    fn null_patterns_give_neutral_answers() {
        // SAFETY: NULL is allowed everywhere.
        unsafe {
            assert_eq!(pyaot_re_groups(ptr::null()), 0);
            assert_eq!(pyaot_re_group_index(ptr::null(), c"a".as_ptr(), 1), -1);
            assert!(pyaot_re_group_name(ptr::null(), 0).is_null());
            assert_eq!(pyaot_re_flags(ptr::null()), 0);
            assert!(!pyaot_re_is_bytes(ptr::null()));
            assert_eq!(pyaot_re_set_step_limit(ptr::null_mut(), 1), -1);
            pyaot_re_free(ptr::null_mut());
        }
    }
}
