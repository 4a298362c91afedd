//! `pyaot_json_options`: the `json.dumps` formatting options.

use pyaot_json::Options;

use crate::{guard, input_bytes, pyaot_json_result};

/// `json.dumps` formatting options for `pyaot_json_value_serialize`. A new one has
/// `json.dumps`' defaults: `indent=None`, `separators=None` (`", "` and `": "`, or `","` and
/// `": "` when indenting), `sort_keys=False`, `ensure_ascii=True`, `allow_nan=True`.
pub struct pyaot_json_options(pub(crate) Options);

/// New options with `json.dumps`' defaults; free them with `pyaot_json_options_free`. NULL only
/// if a panic was caught.
#[unsafe(no_mangle)]
pub extern "C" fn pyaot_json_options_new() -> *mut pyaot_json_options {
    guard(std::ptr::null_mut(), || Box::into_raw(Box::new(pyaot_json_options(Options::default()))))
}

/// Frees options; NULL does nothing.
///
/// # Safety
///
/// `options` must be NULL or options from `pyaot_json_options_new` that were not freed yet.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_json_options_free(options: *mut pyaot_json_options) {
    guard((), || {
        if !options.is_null() {
            // SAFETY: options are a `Box` leaked by `pyaot_json_options_new`, freed once (the
            // caller's promise).
            drop(unsafe { Box::from_raw(options) });
        }
    });
}

/// Applies `change` to the options behind `options`.
///
/// # Safety
///
/// `options` must be NULL or live options from this library, not used elsewhere meanwhile.
unsafe fn update(
    options: *mut pyaot_json_options,
    change: impl FnOnce(&mut Options) -> pyaot_json_result,
) -> pyaot_json_result {
    guard(pyaot_json_result::Panic, || {
        // SAFETY: the caller promises NULL or live options with no other user.
        match unsafe { options.as_mut() } {
            Some(options) => change(&mut options.0),
            None => pyaot_json_result::InvalidArgument,
        }
    })
}

/// `len` bytes of UTF-8 at `data` as a `&str`.
///
/// # Safety
///
/// `data` must be NULL or valid for reads of `len` bytes during the call.
unsafe fn text_arg<'a>(data: *const u8, len: usize) -> Result<&'a str, pyaot_json_result> {
    // SAFETY: the caller's promise.
    let bytes = unsafe { input_bytes(data, len) }.ok_or(pyaot_json_result::InvalidArgument)?;
    std::str::from_utf8(bytes).map_err(|_| pyaot_json_result::InvalidUtf8)
}

/// `indent=spaces`: one member per line, indented by `spaces` spaces per level (0 still breaks
/// lines, as in Python).
///
/// `INVALID_ARGUMENT` when `options` is NULL.
///
/// # Safety
///
/// `options` must be NULL or live options from this library, not used elsewhere meanwhile.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_json_options_set_indent(
    options: *mut pyaot_json_options,
    spaces: usize,
) -> pyaot_json_result {
    // SAFETY: the caller's promise about `options`.
    unsafe {
        update(options, |o| {
            o.indent = Some(" ".repeat(spaces));
            pyaot_json_result::Ok
        })
    }
}

/// `indent="..."`: indent by the `len` bytes of UTF-8 at `indent` per level (an empty string
/// still breaks lines, as in Python).
///
/// `INVALID_ARGUMENT` when a pointer is NULL; `INVALID_UTF8` when the text is not UTF-8.
/// The options are unchanged unless the result is OK.
///
/// # Safety
///
/// `options` must be NULL or live options from this library, not used elsewhere meanwhile;
/// `indent` NULL or valid for reads of `len` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_json_options_set_indent_string(
    options: *mut pyaot_json_options,
    indent: *const u8,
    len: usize,
) -> pyaot_json_result {
    // SAFETY: the caller's promises about `options` and `indent`.
    unsafe {
        update(options, |o| match text_arg(indent, len) {
            Ok(unit) => {
                o.indent = Some(unit.to_owned());
                pyaot_json_result::Ok
            }
            Err(result) => result,
        })
    }
}

/// `separators=(item, key)`: `item_len` bytes of UTF-8 at `item` between members and
/// elements, `key_len` bytes at `key` between a key and its value (`","` and `":"` give the
/// most compact output).
///
/// `INVALID_ARGUMENT` when a pointer is NULL; `INVALID_UTF8` when a text is not UTF-8.
/// The options are unchanged unless the result is OK.
///
/// # Safety
///
/// `options` must be NULL or live options from this library, not used elsewhere meanwhile;
/// `item` and `key` NULL or valid for reads of `item_len` and `key_len` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_json_options_set_separators(
    options: *mut pyaot_json_options,
    item: *const u8,
    item_len: usize,
    key: *const u8,
    key_len: usize,
) -> pyaot_json_result {
    // SAFETY: the caller's promises about `options`, `item` and `key`.
    unsafe {
        update(options, |o| match (text_arg(item, item_len), text_arg(key, key_len)) {
            (Ok(item), Ok(key)) => {
                o.separators = Some((item.to_owned(), key.to_owned()));
                pyaot_json_result::Ok
            }
            (Err(result), _) | (_, Err(result)) => result,
        })
    }
}

/// `sort_keys=...`: write object members in key order (code-point order, as Python sorts
/// `str`).
///
/// `INVALID_ARGUMENT` when `options` is NULL.
///
/// # Safety
///
/// `options` must be NULL or live options from this library, not used elsewhere meanwhile.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_json_options_set_sort_keys(
    options: *mut pyaot_json_options,
    sort_keys: bool,
) -> pyaot_json_result {
    // SAFETY: the caller's promise about `options`.
    unsafe {
        update(options, |o| {
            o.sort_keys = sort_keys;
            pyaot_json_result::Ok
        })
    }
}

/// `ensure_ascii=...`: escape every non-ASCII character as `\uXXXX` (the default), or write
/// it as UTF-8.
///
/// `INVALID_ARGUMENT` when `options` is NULL.
///
/// # Safety
///
/// `options` must be NULL or live options from this library, not used elsewhere meanwhile.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_json_options_set_ensure_ascii(
    options: *mut pyaot_json_options,
    ensure_ascii: bool,
) -> pyaot_json_result {
    // SAFETY: the caller's promise about `options`.
    unsafe {
        update(options, |o| {
            o.ensure_ascii = ensure_ascii;
            pyaot_json_result::Ok
        })
    }
}

/// `allow_nan=...`: write NaN and the infinities as `NaN`, `Infinity`, `-Infinity` (the
/// default), or fail with `PYAOT_JSON_RESULT_NON_FINITE_FLOAT`.
///
/// `INVALID_ARGUMENT` when `options` is NULL.
///
/// # Safety
///
/// `options` must be NULL or live options from this library, not used elsewhere meanwhile.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_json_options_set_allow_nan(
    options: *mut pyaot_json_options,
    allow_nan: bool,
) -> pyaot_json_result {
    // SAFETY: the caller's promise about `options`.
    unsafe {
        update(options, |o| {
            o.allow_nan = allow_nan;
            pyaot_json_result::Ok
        })
    }
}

#[cfg(test)]
mod tests {
    use std::ptr;

    use super::*;

    #[test]
    fn setters_change_only_on_success() {
        let options = pyaot_json_options_new();
        // SAFETY: `options` is live until freed at the end; the byte strings are valid.
        unsafe {
            assert_eq!((*options).0, Options::default());
            assert_eq!(pyaot_json_options_set_indent(options, 3), pyaot_json_result::Ok);
            assert_eq!((*options).0.indent.as_deref(), Some("   "));
            assert_eq!(
                pyaot_json_options_set_indent_string(options, b"\xff".as_ptr(), 1),
                pyaot_json_result::InvalidUtf8
            );
            assert_eq!(
                pyaot_json_options_set_indent_string(options, ptr::null(), 0),
                pyaot_json_result::InvalidArgument
            );
            assert_eq!((*options).0.indent.as_deref(), Some("   "));
            assert_eq!(pyaot_json_options_set_indent_string(options, b"\t".as_ptr(), 1), pyaot_json_result::Ok);
            assert_eq!((*options).0.indent.as_deref(), Some("\t"));
            assert_eq!(
                pyaot_json_options_set_separators(options, b",".as_ptr(), 1, ptr::null(), 0),
                pyaot_json_result::InvalidArgument
            );
            assert_eq!((*options).0.separators, None);
            assert_eq!(
                pyaot_json_options_set_separators(options, b",".as_ptr(), 1, b":".as_ptr(), 1),
                pyaot_json_result::Ok
            );
            assert_eq!((*options).0.effective_separators(), (",", ":"));
            assert_eq!(pyaot_json_options_set_sort_keys(options, true), pyaot_json_result::Ok);
            assert_eq!(pyaot_json_options_set_ensure_ascii(options, false), pyaot_json_result::Ok);
            assert_eq!(pyaot_json_options_set_allow_nan(options, false), pyaot_json_result::Ok);
            assert!((*options).0.sort_keys && !(*options).0.ensure_ascii && !(*options).0.allow_nan);
            for result in [
                pyaot_json_options_set_indent(ptr::null_mut(), 2),
                pyaot_json_options_set_sort_keys(ptr::null_mut(), true),
                pyaot_json_options_set_ensure_ascii(ptr::null_mut(), true),
                pyaot_json_options_set_allow_nan(ptr::null_mut(), true),
            ] {
                assert_eq!(result, pyaot_json_result::InvalidArgument);
            }
            pyaot_json_options_free(options);
            pyaot_json_options_free(ptr::null_mut());
        }
    }
}
