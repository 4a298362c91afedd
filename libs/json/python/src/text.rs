//! Moving text between Python `str` objects and Python UTF-8 bytes.

use std::borrow::Cow;

use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyString};

/// The Python UTF-8 bytes of `s` and whether they may contain lone surrogates. ASCII strings
/// are read in place; other strings without surrogates borrow CPython's cached UTF-8.
pub(crate) fn utf8_of<'a>(s: &'a Bound<'_, PyString>) -> PyResult<(Cow<'a, [u8]>, bool)> {
    let ptr = s.as_ptr();
    // SAFETY: `s` is a live str (we hold a reference and the GIL). A compact ASCII string stores
    // its `length` characters as that many ASCII bytes right after its header, which are also
    // its UTF-8, and they live as long as the object.
    unsafe {
        if ffi::PyUnicode_IS_COMPACT_ASCII(ptr) != 0 {
            let bytes =
                std::slice::from_raw_parts(ffi::PyUnicode_1BYTE_DATA(ptr), ffi::PyUnicode_GET_LENGTH(ptr) as usize);
            return Ok((Cow::Borrowed(bytes), false));
        }
    }
    match s.to_str() {
        Ok(text) => Ok((Cow::Borrowed(text.as_bytes()), false)),
        Err(_) => {
            let encoded = s.call_method1("encode", ("utf-8", "surrogatepass"))?;
            let bytes = encoded.cast::<PyBytes>()?.as_bytes().to_vec();
            Ok((Cow::Owned(bytes), true))
        }
    }
}

/// A `str` from Python UTF-8 bytes (lone surrogates allowed when `surrogates`).
///
/// ASCII text (most JSON) is copied straight into a new compact ASCII string; anything else
/// goes through CPython's UTF-8 decoder, with `surrogatepass` when needed.
pub(crate) fn str_from_utf8<'py>(py: Python<'py>, bytes: &[u8], surrogates: bool) -> PyResult<Bound<'py, PyString>> {
    let len = bytes.len() as ffi::Py_ssize_t;
    let raw = if bytes.is_ascii() {
        // SAFETY: the GIL is held (`py`). PyUnicode_New(len, 127) returns a new compact ASCII
        // string with room for exactly `len` one-byte characters (or NULL with an exception set),
        // and ASCII bytes are valid characters for it.
        unsafe {
            let obj = ffi::PyUnicode_New(len, 127);
            if !obj.is_null() {
                std::ptr::copy_nonoverlapping(bytes.as_ptr(), ffi::PyUnicode_DATA(obj).cast::<u8>(), bytes.len());
            }
            obj
        }
    } else {
        let errors: *const std::ffi::c_char = if surrogates { c"surrogatepass".as_ptr() } else { std::ptr::null() };
        // SAFETY: the GIL is held; the pointer and length describe `bytes`, which outlives the
        // call; `errors` is NULL or a NUL-terminated string. The decoder validates the bytes.
        unsafe { ffi::PyUnicode_DecodeUTF8(bytes.as_ptr().cast(), len, errors) }
    };
    // SAFETY: `raw` is a new reference to a str, or NULL with an exception set.
    let obj = unsafe { Bound::from_owned_ptr_or_err(py, raw)? };
    // SAFETY: both constructors return `str` objects.
    Ok(unsafe { obj.cast_into_unchecked() })
}

/// The byte offset in `bytes` of character index `chars` (clamped to the end).
pub(crate) fn byte_offset(bytes: &[u8], chars: usize) -> usize {
    let mut seen = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if (b as i8) >= -0x40 {
            if seen == chars {
                return i;
            }
            seen += 1;
        }
    }
    bytes.len()
}

/// The character index of byte offset `offset`.
pub(crate) fn char_index(bytes: &[u8], offset: usize) -> usize {
    pyaot_json::char_count(&bytes[..offset.min(bytes.len())])
}

/// The C-level name of `obj`'s type (`tp_name`), as `_json`'s messages show it: the class
/// name for classes defined in Python, a dotted name for some extension types.
pub(crate) fn type_name(obj: &Bound<'_, PyAny>) -> String {
    let ty = obj.get_type();
    // SAFETY: `ty` is a live type object (we hold a reference and the GIL), and every type
    // object's `tp_name` is a NUL-terminated string that lives as long as the type.
    let name = unsafe { std::ffi::CStr::from_ptr((*ty.as_type_ptr()).tp_name) };
    name.to_string_lossy().into_owned()
}
