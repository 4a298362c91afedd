//! Haystacks: Python `str`/bytes-like objects as the bytes the engine searches, and positions
//! between the engine's byte offsets and Python's character indexes.

use std::borrow::Cow;

use pyo3::buffer::PyBuffer;
use pyo3::exceptions::PyTypeError;
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyString};

/// A haystack ready for the engine.
pub(crate) struct Hay<'a> {
    /// UTF-8 (WTF-8 with lone surrogates) for `str`, the bytes for bytes-like objects.
    pub bytes: Cow<'a, [u8]>,
    /// Whether the haystack is a `str`.
    pub is_str: bool,
    /// Whether byte offsets equal character indexes (bytes, or ASCII `str`).
    pub ascii: bool,
    /// The length in characters (`len(string)`).
    pub len: usize,
    /// A `str` holding lone surrogates, encoded with `surrogatepass` (not valid UTF-8).
    pub wtf8: bool,
}

impl Hay<'_> {
    /// What the engine may assume about ASCII-ness (known for `str`).
    pub(crate) fn ascii_hint(&self) -> Option<bool> {
        self.is_str.then_some(self.ascii)
    }
}

/// Read `obj` as a haystack for a pattern of the given kind, with `re`'s `TypeError`s.
pub(crate) fn haystack<'a>(obj: &'a Bound<'_, PyAny>, pattern_is_bytes: bool) -> PyResult<Hay<'a>> {
    if let Ok(s) = obj.cast::<PyString>() {
        if pattern_is_bytes {
            return Err(PyTypeError::new_err("cannot use a bytes pattern on a string-like object"));
        }
        let ptr = s.as_ptr();
        // SAFETY: `s` is a live str (we hold a reference and the GIL). A compact ASCII string
        // stores its `length` characters as that many ASCII bytes right after its header, which
        // are also its UTF-8, and they live as long as the object.
        unsafe {
            let len = ffi::PyUnicode_GET_LENGTH(ptr) as usize;
            if ffi::PyUnicode_IS_COMPACT_ASCII(ptr) != 0 {
                let bytes = std::slice::from_raw_parts(ffi::PyUnicode_1BYTE_DATA(ptr), len);
                return Ok(Hay { bytes: Cow::Borrowed(bytes), is_str: true, ascii: true, len, wtf8: false });
            }
            let (bytes, wtf8) = match s.to_str() {
                Ok(text) => (Cow::Borrowed(text.as_bytes()), false),
                Err(_) => {
                    let encoded = s.call_method1("encode", ("utf-8", "surrogatepass"))?;
                    (Cow::Owned(encoded.cast::<PyBytes>()?.as_bytes().to_vec()), true)
                }
            };
            let ascii = bytes.len() == len;
            return Ok(Hay { bytes, is_str: true, ascii, len, wtf8 });
        }
    }
    let bytes: Cow<'a, [u8]> = if let Ok(b) = obj.cast::<PyBytes>() {
        Cow::Borrowed(b.as_bytes())
    } else {
        match PyBuffer::<u8>::get(obj) {
            Ok(buffer) => Cow::Owned(buffer.to_vec(obj.py())?),
            Err(_) => {
                // Buffers of other item types (array('i'), memoryview casts) as raw bytes.
                let raw = obj.py().import("builtins")?.getattr("memoryview").and_then(|mv| mv.call1((obj,)));
                match raw.and_then(|mv| mv.call_method0("tobytes")) {
                    Ok(b) => Cow::Owned(b.cast::<PyBytes>()?.as_bytes().to_vec()),
                    Err(_) => {
                        let name = obj.get_type().name()?;
                        return Err(PyTypeError::new_err(format!(
                            "expected string or bytes-like object, got '{name}'"
                        )));
                    }
                }
            }
        }
    };
    if !pattern_is_bytes {
        return Err(PyTypeError::new_err("cannot use a string pattern on a bytes-like object"));
    }
    let len = bytes.len();
    Ok(Hay { bytes, is_str: false, ascii: true, len, wtf8: false })
}

/// Converts byte offsets to character indexes for one haystack, walking from the previous
/// answer: a scan over a haystack converts each byte once.
pub(crate) struct Cursor<'a> {
    bytes: &'a [u8],
    ascii: bool,
    len: usize,
    byte: usize,
    chr: usize,
}

impl<'a> Cursor<'a> {
    pub(crate) fn new(hay: &'a Hay<'_>) -> Cursor<'a> {
        Cursor::at(hay, 0, 0)
    }

    /// A cursor that knows byte offset `byte` is character index `chr`.
    pub(crate) fn at(hay: &'a Hay<'_>, byte: usize, chr: usize) -> Cursor<'a> {
        Cursor { bytes: &hay.bytes, ascii: hay.ascii, len: hay.len, byte, chr }
    }

    /// The character index of byte offset `at`.
    #[inline]
    pub(crate) fn char_at(&mut self, at: usize) -> usize {
        if self.ascii {
            return at;
        }
        if at >= self.byte {
            self.chr += pyaot_regex::char_count(&self.bytes[self.byte..at]);
        } else {
            self.chr -= pyaot_regex::char_count(&self.bytes[at..self.byte]);
        }
        self.byte = at;
        self.chr
    }

    /// The byte offset of character index `index` (clamped to the length).
    pub(crate) fn byte_at(&mut self, index: usize) -> usize {
        if self.ascii {
            return index.min(self.bytes.len());
        }
        if index >= self.len {
            return self.bytes.len();
        }
        if index >= self.chr {
            let rest = &self.bytes[self.byte..];
            let b = self.byte + pyaot_regex::char_to_byte(rest, index - self.chr);
            self.byte = b;
            self.chr = index;
            b
        } else {
            let b = pyaot_regex::char_to_byte(self.bytes, index);
            self.byte = b;
            self.chr = index;
            b
        }
    }
}

/// `string[start:end]` as `re` returns group text: `str` for str (even for subclasses), `bytes`
/// for every bytes-like haystack.
pub(crate) fn slice<'py>(
    py: Python<'py>,
    string: &Bound<'py, PyAny>,
    data: &[u8],
    is_str: bool,
    start: usize,
    end: usize,
) -> PyResult<Bound<'py, PyAny>> {
    if is_str {
        // SAFETY: `string` is a str (checked when the haystack was read) and the GIL is held;
        // PyUnicode_Substring returns a new reference or NULL with an exception set.
        unsafe {
            let raw = ffi::PyUnicode_Substring(string.as_ptr(), start as ffi::Py_ssize_t, end as ffi::Py_ssize_t);
            Bound::from_owned_ptr_or_err(py, raw)
        }
    } else {
        Ok(PyBytes::new(py, &data[start..end]).into_any())
    }
}

/// A `str` from code points (lone surrogates allowed).
pub(crate) fn str_from_points<'py>(py: Python<'py>, points: &[u32]) -> PyResult<Bound<'py, PyAny>> {
    // SAFETY: the GIL is held; the pointer and length describe `points`, UCS4 data.
    unsafe {
        let raw = ffi::PyUnicode_FromKindAndData(
            ffi::PyUnicode_4BYTE_KIND as std::ffi::c_int,
            points.as_ptr().cast(),
            points.len() as ffi::Py_ssize_t,
        );
        Bound::from_owned_ptr_or_err(py, raw)
    }
}

/// The code points of a `str` or the byte values of a bytes-like object.
pub(crate) fn points_of(obj: &Bound<'_, PyAny>) -> PyResult<(Vec<u32>, bool)> {
    if let Ok(s) = obj.cast::<PyString>() {
        let ptr = s.as_ptr();
        // SAFETY: `s` is a live str and the GIL is held; PyUnicode_AsUCS4Copy returns a new
        // NUL-terminated buffer of `len + 1` code points (freed below) or NULL with an error.
        unsafe {
            let len = ffi::PyUnicode_GET_LENGTH(ptr) as usize;
            let buf = ffi::PyUnicode_AsUCS4Copy(ptr);
            if buf.is_null() {
                return Err(PyErr::fetch(obj.py()));
            }
            let points = std::slice::from_raw_parts(buf, len).to_vec();
            ffi::PyMem_Free(buf.cast());
            return Ok((points, true));
        }
    }
    let hay = haystack(obj, true)?;
    Ok((hay.bytes.iter().map(|&b| u32::from(b)).collect(), false))
}
