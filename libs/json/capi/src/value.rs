//! `pyaot_json_value`: a parsed document (the core [`Value`]), its getters, and writing it.

use pyaot_json::scan::{self, Input, ParseOptions};
use pyaot_json::{Options, Source, Value, ValueSink, WriteErrorKind, Writer};

use crate::buffer::pyaot_json_buffer;
use crate::error::pyaot_json_error;
use crate::options::pyaot_json_options;
use crate::{bytes_ptr, guard, input_bytes, pyaot_json_result};

/// A JSON value: a whole parsed document (owned, from `pyaot_json_value_parse`) or a part of
/// one (borrowed from its root, from the walking getters).
///
/// Numbers follow Python: integers that fit in an `int64_t` are `INT`, larger ones `BIG_INT`
/// (kept exactly, as decimal text); numbers with a fraction or exponent are `FLOAT` (correctly
/// rounded, overflowing to infinity like Python's `float()`), as are `NaN`, `Infinity` and
/// `-Infinity`. An object keeps its keys in first-appearance order; a repeated key keeps its
/// first position and its last value, like a Python `dict`.
pub struct pyaot_json_value {
    // Never constructed: a `*const pyaot_json_value` is a `*const Value` under its C name.
    _private: [u8; 0],
}

/// The kind of a `pyaot_json_value`.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum pyaot_json_value_kind {
    /// Not a value: what `pyaot_json_value_get_kind` answers for NULL.
    Invalid = 0,
    /// `null`
    Null = 1,
    /// `true` or `false`: `pyaot_json_value_get_bool`.
    Bool = 2,
    /// An integer that fits in an `int64_t`: `pyaot_json_value_get_int`.
    Int = 3,
    /// An integer that does not fit in an `int64_t`, as decimal text:
    /// `pyaot_json_value_get_big_int`.
    BigInt = 4,
    /// A float (including NaN and the infinities): `pyaot_json_value_get_float`.
    Float = 5,
    /// A string: `pyaot_json_value_get_string`.
    String = 6,
    /// An array: `pyaot_json_value_array_len` and `pyaot_json_value_array_get`.
    Array = 7,
    /// An object: `pyaot_json_value_object_len`, `pyaot_json_value_object_entry` and
    /// `pyaot_json_value_object_get`.
    Object = 8,
}

/// The [`Value`] behind a C handle, or `None` for NULL.
///
/// # Safety
///
/// `value` is NULL or a pointer this crate handed out (a root from
/// [`pyaot_json_value_parse`] or a part of one), not yet freed, for `'a`.
unsafe fn value_ref<'a>(value: *const pyaot_json_value) -> Option<&'a Value> {
    // SAFETY: every non-NULL `pyaot_json_value` pointer is a `Value` pointer (the caller's
    // promise), valid and unchanged while the root lives.
    unsafe { value.cast::<Value>().as_ref() }
}

/// The C handle of a borrowed value.
fn handle(value: &Value) -> *const pyaot_json_value {
    std::ptr::from_ref(value).cast()
}

/// Why text could not be parsed.
pub(crate) enum ParseFailure {
    /// Not (Python) UTF-8.
    Utf8,
    /// Not JSON.
    Json(pyaot_json::Error),
}

impl ParseFailure {
    /// The result code, writing an error object through `error_out` (unless NULL) for a
    /// parse error.
    ///
    /// # Safety
    ///
    /// `error_out` is NULL or valid for writing a pointer.
    pub(crate) unsafe fn report(self, error_out: *mut *mut pyaot_json_error) -> pyaot_json_result {
        match self {
            ParseFailure::Utf8 => pyaot_json_result::InvalidUtf8,
            ParseFailure::Json(error) => {
                if !error_out.is_null() {
                    let error = Box::into_raw(Box::new(pyaot_json_error::new(error)));
                    // SAFETY: not NULL, and the caller promises it is valid for a write.
                    unsafe { error_out.write(error) };
                }
                pyaot_json_result::ParseError
            }
        }
    }
}

/// `json.loads` of Python UTF-8 text, into the crate's [`Value`].
pub(crate) fn parse(text: &[u8]) -> Result<Value, ParseFailure> {
    let input = Input::from_python_utf8(text).ok_or(ParseFailure::Utf8)?;
    scan::parse(&mut ValueSink, input, ParseOptions::default()).map_err(ParseFailure::Json)
}

/// `json.dumps(value, **options)` as bytes (Python UTF-8, see the crate docs).
pub(crate) fn write(value: &Value, options: &Options) -> Result<Vec<u8>, pyaot_json_result> {
    let mut writer = Writer::new(options.clone());
    value.write_json(&mut writer).map_err(|e| match e.kind() {
        WriteErrorKind::NonFiniteFloat(_) => pyaot_json_result::NonFiniteFloat,
        // In-memory output of a `Value` has no I/O or source errors.
        _ => pyaot_json_result::Panic,
    })?;
    Ok(writer.into_bytes())
}

/// Parses `len` bytes of text at `input` like Python's `json.loads(str)`.
///
/// On success writes a new document to `*value_out` (free it with `pyaot_json_value_free`).
/// On `PYAOT_JSON_RESULT_PARSE_ERROR`, writes the error to `*error_out` unless `error_out` is
/// NULL (free it with `pyaot_json_error_free`). Other results: `INVALID_ARGUMENT` (`input` or
/// `value_out` NULL), `INVALID_UTF8`.
///
/// # Safety
///
/// `input` must be valid for reads of `len` bytes; `value_out` and `error_out` must each be
/// NULL or valid for writing a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_json_value_parse(
    input: *const u8,
    len: usize,
    value_out: *mut *mut pyaot_json_value,
    error_out: *mut *mut pyaot_json_error,
) -> pyaot_json_result {
    guard(pyaot_json_result::Panic, || {
        // SAFETY: the caller promises `len` readable bytes at `input` for this call.
        let Some(text) = (unsafe { input_bytes(input, len) }) else {
            return pyaot_json_result::InvalidArgument;
        };
        if value_out.is_null() {
            return pyaot_json_result::InvalidArgument;
        }
        match parse(text) {
            Ok(value) => {
                let value = Box::into_raw(Box::new(value)).cast::<pyaot_json_value>();
                // SAFETY: not NULL, and the caller promises it is valid for a write.
                unsafe { value_out.write(value) };
                pyaot_json_result::Ok
            }
            // SAFETY: the caller promises `error_out` is NULL or valid for a write.
            Err(failure) => unsafe { failure.report(error_out) },
        }
    })
}

/// Frees a document returned by `pyaot_json_value_parse`, with every part of it; NULL does
/// nothing.
///
/// # Safety
///
/// `value` must be NULL or a root from `pyaot_json_value_parse` that was not freed yet (never
/// a value borrowed from one). Pointers into the document are invalid afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_json_value_free(value: *mut pyaot_json_value) {
    guard((), || {
        if !value.is_null() {
            // SAFETY: a root is a `Box<Value>` leaked by `pyaot_json_value_parse`, freed once.
            drop(unsafe { Box::from_raw(value.cast::<Value>()) });
        }
    });
}

/// The kind of `value`; `PYAOT_JSON_VALUE_KIND_INVALID` for NULL.
///
/// # Safety
///
/// `value` must be NULL or a live value from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_json_value_get_kind(value: *const pyaot_json_value) -> pyaot_json_value_kind {
    guard(pyaot_json_value_kind::Invalid, || {
        // SAFETY: the caller promises NULL or a live value.
        match unsafe { value_ref(value) } {
            None => pyaot_json_value_kind::Invalid,
            Some(Value::Null) => pyaot_json_value_kind::Null,
            Some(Value::Bool(_)) => pyaot_json_value_kind::Bool,
            Some(Value::Int(_)) => pyaot_json_value_kind::Int,
            Some(Value::BigInt(_)) => pyaot_json_value_kind::BigInt,
            Some(Value::Float(_)) => pyaot_json_value_kind::Float,
            Some(Value::String(_)) => pyaot_json_value_kind::String,
            Some(Value::Array(_)) => pyaot_json_value_kind::Array,
            Some(Value::Object(_)) => pyaot_json_value_kind::Object,
        }
    })
}

/// Reads a `BOOL` value into `*out`.
///
/// `INVALID_ARGUMENT` when `value` or `out` is NULL or `value` is not a `BOOL`.
///
/// # Safety
///
/// `value` must be NULL or a live value from this library; `out` NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_json_value_get_bool(
    value: *const pyaot_json_value,
    out: *mut bool,
) -> pyaot_json_result {
    guard(pyaot_json_result::Panic, || {
        // SAFETY: the caller promises NULL or a live value.
        match unsafe { value_ref(value) } {
            Some(&Value::Bool(b)) if !out.is_null() => {
                // SAFETY: not NULL, and the caller promises it is valid for a write.
                unsafe { out.write(b) };
                pyaot_json_result::Ok
            }
            _ => pyaot_json_result::InvalidArgument,
        }
    })
}

/// Reads an `INT` value into `*out`.
///
/// `INVALID_ARGUMENT` when `value` or `out` is NULL or `value` is not an `INT` (a `BIG_INT` is
/// not: use `pyaot_json_value_get_big_int`).
///
/// # Safety
///
/// `value` must be NULL or a live value from this library; `out` NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_json_value_get_int(value: *const pyaot_json_value, out: *mut i64) -> pyaot_json_result {
    guard(pyaot_json_result::Panic, || {
        // SAFETY: the caller promises NULL or a live value.
        match unsafe { value_ref(value) } {
            Some(&Value::Int(i)) if !out.is_null() => {
                // SAFETY: not NULL, and the caller promises it is valid for a write.
                unsafe { out.write(i) };
                pyaot_json_result::Ok
            }
            _ => pyaot_json_result::InvalidArgument,
        }
    })
}

/// Reads a `FLOAT` value (possibly NaN or infinite) into `*out`.
///
/// `INVALID_ARGUMENT` when `value` or `out` is NULL or `value` is not a `FLOAT` (integers are
/// not converted).
///
/// # Safety
///
/// `value` must be NULL or a live value from this library; `out` NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_json_value_get_float(
    value: *const pyaot_json_value,
    out: *mut f64,
) -> pyaot_json_result {
    guard(pyaot_json_result::Panic, || {
        // SAFETY: the caller promises NULL or a live value.
        match unsafe { value_ref(value) } {
            Some(&Value::Float(f)) if !out.is_null() => {
                // SAFETY: not NULL, and the caller promises it is valid for a write.
                unsafe { out.write(f) };
                pyaot_json_result::Ok
            }
            _ => pyaot_json_result::InvalidArgument,
        }
    })
}

/// Writes two outputs after checking both.
///
/// # Safety
///
/// Each of `data_out` and `len_out` must be NULL or valid for a write.
unsafe fn write_bytes(bytes: &[u8], data_out: *mut *const u8, len_out: *mut usize) -> pyaot_json_result {
    if data_out.is_null() || len_out.is_null() {
        return pyaot_json_result::InvalidArgument;
    }
    // SAFETY: neither is NULL, and the caller promises both are valid for a write.
    unsafe {
        data_out.write(bytes_ptr(bytes));
        len_out.write(bytes.len());
    }
    pyaot_json_result::Ok
}

/// Reads a `BIG_INT` value: its decimal text (ASCII digits, with a leading `-` when negative;
/// not NUL-terminated), as `*data_out` and `*len_out`, borrowed from `value`.
///
/// `INVALID_ARGUMENT` when a pointer is NULL or `value` is not a `BIG_INT`.
///
/// # Safety
///
/// `value` must be NULL or a live value from this library; `data_out` and `len_out` NULL or
/// valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_json_value_get_big_int(
    value: *const pyaot_json_value,
    data_out: *mut *const u8,
    len_out: *mut usize,
) -> pyaot_json_result {
    guard(pyaot_json_result::Panic, || {
        // SAFETY: the caller promises NULL or a live value.
        match unsafe { value_ref(value) } {
            // SAFETY: the caller promises the out-pointers are NULL or valid for a write.
            Some(Value::BigInt(text)) => unsafe { write_bytes(text.as_bytes(), data_out, len_out) },
            _ => pyaot_json_result::InvalidArgument,
        }
    })
}

/// Reads a `STRING` value: its Python UTF-8 bytes (see "Strings" in the conventions; not
/// NUL-terminated) as `*data_out` and `*len_out`, borrowed from `value`.
///
/// `INVALID_ARGUMENT` when a pointer is NULL or `value` is not a `STRING`.
///
/// # Safety
///
/// `value` must be NULL or a live value from this library; `data_out` and `len_out` NULL or
/// valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_json_value_get_string(
    value: *const pyaot_json_value,
    data_out: *mut *const u8,
    len_out: *mut usize,
) -> pyaot_json_result {
    guard(pyaot_json_result::Panic, || {
        // SAFETY: the caller promises NULL or a live value.
        match unsafe { value_ref(value) } {
            // SAFETY: the caller promises the out-pointers are NULL or valid for a write.
            Some(Value::String(s)) => unsafe { write_bytes(s.as_bytes(), data_out, len_out) },
            _ => pyaot_json_result::InvalidArgument,
        }
    })
}

/// The number of elements of an `ARRAY`; 0 for NULL or another kind.
///
/// # Safety
///
/// `value` must be NULL or a live value from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_json_value_array_len(value: *const pyaot_json_value) -> usize {
    guard(0, || {
        // SAFETY: the caller promises NULL or a live value.
        match unsafe { value_ref(value) } {
            Some(Value::Array(items)) => items.len(),
            _ => 0,
        }
    })
}

/// Element `index` (from 0) of an `ARRAY`, borrowed from it; NULL when `value` is NULL, not an
/// array, or `index` is out of range.
///
/// # Safety
///
/// `value` must be NULL or a live value from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_json_value_array_get(
    value: *const pyaot_json_value,
    index: usize,
) -> *const pyaot_json_value {
    guard(std::ptr::null(), || {
        // SAFETY: the caller promises NULL or a live value.
        match unsafe { value_ref(value) } {
            Some(Value::Array(items)) => items.get(index).map_or(std::ptr::null(), handle),
            _ => std::ptr::null(),
        }
    })
}

/// The number of members of an `OBJECT` (distinct keys); 0 for NULL or another kind.
///
/// # Safety
///
/// `value` must be NULL or a live value from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_json_value_object_len(value: *const pyaot_json_value) -> usize {
    guard(0, || {
        // SAFETY: the caller promises NULL or a live value.
        match unsafe { value_ref(value) } {
            Some(Value::Object(members)) => members.len(),
            _ => 0,
        }
    })
}

/// Member `index` (from 0, in document order) of an `OBJECT`: its key as Python UTF-8 bytes
/// (`*key_out`, `*key_len_out`; not NUL-terminated) and its value (`*value_out`), all borrowed
/// from `value`.
///
/// `INVALID_ARGUMENT` when a pointer is NULL, `value` is not an `OBJECT`, or `index` is out of
/// range.
///
/// # Safety
///
/// `value` must be NULL or a live value from this library; the out-pointers NULL or valid for
/// a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_json_value_object_entry(
    value: *const pyaot_json_value,
    index: usize,
    key_out: *mut *const u8,
    key_len_out: *mut usize,
    value_out: *mut *const pyaot_json_value,
) -> pyaot_json_result {
    guard(pyaot_json_result::Panic, || {
        // SAFETY: the caller promises NULL or a live value.
        let Some(Value::Object(members)) = (unsafe { value_ref(value) }) else {
            return pyaot_json_result::InvalidArgument;
        };
        let Some((key, member)) = members.get_index(index) else {
            return pyaot_json_result::InvalidArgument;
        };
        if key_out.is_null() || key_len_out.is_null() || value_out.is_null() {
            return pyaot_json_result::InvalidArgument;
        }
        // SAFETY: none is NULL, and the caller promises each is valid for a write.
        unsafe {
            key_out.write(bytes_ptr(key.as_bytes()));
            key_len_out.write(key.as_bytes().len());
            value_out.write(handle(member));
        }
        pyaot_json_result::Ok
    })
}

/// The value of member `key` (`key_len` bytes of Python UTF-8, compared exactly) of an
/// `OBJECT`, borrowed from it; NULL when `value` or `key` is NULL, `value` is not an object, or
/// it has no such key.
///
/// # Safety
///
/// `value` must be NULL or a live value from this library; `key` NULL or valid for reads of
/// `key_len` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_json_value_object_get(
    value: *const pyaot_json_value,
    key: *const u8,
    key_len: usize,
) -> *const pyaot_json_value {
    guard(std::ptr::null(), || {
        // SAFETY: the caller promises NULL or a live value, and `key_len` bytes at `key`.
        let (Some(Value::Object(members)), Some(key)) = (unsafe { (value_ref(value), input_bytes(key, key_len)) })
        else {
            return std::ptr::null();
        };
        members.get(key).map_or(std::ptr::null(), handle)
    })
}

/// Writes `value` as `json.dumps(value, **options)` does, into a new buffer at `*buffer_out`
/// (free it with `pyaot_json_buffer_free`). `value` may be any value, not only a root.
///
/// The output is UTF-8 (Python UTF-8 if a string with a lone surrogate is written with
/// `ensure_ascii` off). Other results: `INVALID_ARGUMENT` (a NULL pointer), `NON_FINITE_FLOAT`
/// (NaN or an infinity with `allow_nan` off).
///
/// # Safety
///
/// `value` and `options` must be NULL or live objects from this library; `buffer_out` NULL or
/// valid for writing a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pyaot_json_value_serialize(
    value: *const pyaot_json_value,
    options: *const pyaot_json_options,
    buffer_out: *mut *mut pyaot_json_buffer,
) -> pyaot_json_result {
    guard(pyaot_json_result::Panic, || {
        // SAFETY: the caller promises NULL or live objects.
        let (Some(value), Some(options)) = (unsafe { (value_ref(value), options.as_ref()) }) else {
            return pyaot_json_result::InvalidArgument;
        };
        if buffer_out.is_null() {
            return pyaot_json_result::InvalidArgument;
        }
        match write(value, &options.0) {
            Ok(bytes) => {
                // SAFETY: not NULL, and the caller promises it is valid for a write.
                unsafe { buffer_out.write(pyaot_json_buffer::new_raw(bytes)) };
                pyaot_json_result::Ok
            }
            Err(result) => result,
        }
    })
}

#[cfg(test)]
mod tests {
    use std::ptr;

    use super::*;
    use crate::{pyaot_json_buffer_free, pyaot_json_error_free, pyaot_json_options_new};

    fn parse_ok(text: &str) -> *mut pyaot_json_value {
        let mut value = ptr::null_mut();
        // SAFETY: valid text and out-pointer; no error wanted.
        let rc = unsafe { pyaot_json_value_parse(text.as_ptr(), text.len(), &mut value, ptr::null_mut()) };
        assert_eq!(rc, pyaot_json_result::Ok);
        value
    }

    #[test]
    fn null_arguments_are_rejected_and_outputs_left_alone() {
        let sentinel = 0x1234usize as *mut pyaot_json_value;
        let mut value = sentinel;
        let mut error = 0x5678usize as *mut pyaot_json_error;
        // SAFETY: every pointer is NULL or valid; the functions must check for NULL.
        unsafe {
            assert_eq!(
                pyaot_json_value_parse(ptr::null(), 0, &mut value, &mut error),
                pyaot_json_result::InvalidArgument
            );
            assert_eq!(
                pyaot_json_value_parse(b"1".as_ptr(), 1, ptr::null_mut(), &mut error),
                pyaot_json_result::InvalidArgument
            );
            assert_eq!(value, sentinel);
            assert_eq!(error as usize, 0x5678);
            assert_eq!(pyaot_json_value_get_kind(ptr::null()), pyaot_json_value_kind::Invalid);
            let mut b = true;
            assert_eq!(pyaot_json_value_get_bool(ptr::null(), &mut b), pyaot_json_result::InvalidArgument);
            assert_eq!(pyaot_json_value_array_len(ptr::null()), 0);
            assert!(pyaot_json_value_array_get(ptr::null(), 0).is_null());
            assert_eq!(pyaot_json_value_object_len(ptr::null()), 0);
            assert!(pyaot_json_value_object_get(ptr::null(), b"a".as_ptr(), 1).is_null());
            let mut buffer = ptr::null_mut();
            let options = pyaot_json_options_new();
            assert_eq!(
                pyaot_json_value_serialize(ptr::null(), options, &mut buffer),
                pyaot_json_result::InvalidArgument
            );
            assert!(buffer.is_null());
            crate::pyaot_json_options_free(options);
            pyaot_json_value_free(ptr::null_mut());
        }
    }

    #[test]
    fn a_document_is_walked_and_written_back() {
        let doc = parse_ok(r#"{"a": [true, -7, 1.5, 123456789012345678901234567890], "a": {"\ud800": ""}}"#);
        // SAFETY: `doc` is a live root; every pointer passed is valid or NULL.
        unsafe {
            assert_eq!(pyaot_json_value_get_kind(doc), pyaot_json_value_kind::Object);
            assert_eq!(pyaot_json_value_object_len(doc), 1);
            // A repeated key keeps its last value.
            let inner = pyaot_json_value_object_get(doc, b"a".as_ptr(), 1);
            assert_eq!(pyaot_json_value_get_kind(inner), pyaot_json_value_kind::Object);
            let (mut key, mut key_len, mut member) = (ptr::null(), 0, ptr::null());
            assert_eq!(
                pyaot_json_value_object_entry(inner, 0, &mut key, &mut key_len, &mut member),
                pyaot_json_result::Ok
            );
            assert_eq!(std::slice::from_raw_parts(key, key_len), b"\xed\xa0\x80");
            let (mut data, mut len) = (ptr::null(), 99);
            assert_eq!(pyaot_json_value_get_string(member, &mut data, &mut len), pyaot_json_result::Ok);
            assert_eq!(len, 0);
            assert!(!data.is_null());
            assert_eq!(
                pyaot_json_value_object_entry(inner, 1, &mut key, &mut key_len, &mut member),
                pyaot_json_result::InvalidArgument
            );
            let mut buffer = ptr::null_mut();
            let options = pyaot_json_options_new();
            assert_eq!(pyaot_json_value_serialize(doc, options, &mut buffer), pyaot_json_result::Ok);
            let out = &*buffer;
            assert_eq!(out.as_bytes(), br#"{"a": {"\ud800": ""}}"#);
            pyaot_json_buffer_free(buffer);
            crate::pyaot_json_options_free(options);
            pyaot_json_value_free(doc);
        }
    }

    #[test]
    fn scalar_getters_check_the_kind() {
        let doc = parse_ok("[true, -7, 1.5, 123456789012345678901234567890, NaN]");
        // SAFETY: `doc` is a live root and the out-pointers are valid.
        unsafe {
            let item = |i| pyaot_json_value_array_get(doc, i);
            let (mut b, mut i, mut f) = (false, 0i64, 0f64);
            assert_eq!(pyaot_json_value_get_bool(item(0), &mut b), pyaot_json_result::Ok);
            assert!(b);
            assert_eq!(pyaot_json_value_get_int(item(1), &mut i), pyaot_json_result::Ok);
            assert_eq!(i, -7);
            assert_eq!(pyaot_json_value_get_float(item(2), &mut f), pyaot_json_result::Ok);
            assert_eq!(f, 1.5);
            assert_eq!(pyaot_json_value_get_float(item(4), &mut f), pyaot_json_result::Ok);
            assert!(f.is_nan());
            let (mut data, mut len) = (ptr::null(), 0);
            assert_eq!(pyaot_json_value_get_big_int(item(3), &mut data, &mut len), pyaot_json_result::Ok);
            assert_eq!(std::slice::from_raw_parts(data, len), b"123456789012345678901234567890");
            // Wrong kinds leave the outputs alone.
            assert_eq!(pyaot_json_value_get_int(item(2), &mut i), pyaot_json_result::InvalidArgument);
            assert_eq!(pyaot_json_value_get_float(item(1), &mut f), pyaot_json_result::InvalidArgument);
            assert_eq!(pyaot_json_value_get_bool(item(1), &mut b), pyaot_json_result::InvalidArgument);
            assert_eq!(pyaot_json_value_get_string(item(0), &mut data, &mut len), pyaot_json_result::InvalidArgument);
            assert_eq!((i, b, len), (-7, true, 30));
            assert!(item(5).is_null());
            pyaot_json_value_free(doc);
        }
    }

    #[test]
    fn parse_errors_are_optional_outputs() {
        let mut value = ptr::null_mut();
        let mut error = ptr::null_mut();
        // SAFETY: valid input and out-pointers.
        unsafe {
            assert_eq!(
                pyaot_json_value_parse(b"[1,]".as_ptr(), 4, &mut value, ptr::null_mut()),
                pyaot_json_result::ParseError
            );
            assert_eq!(
                pyaot_json_value_parse(b"[1,]".as_ptr(), 4, &mut value, &mut error),
                pyaot_json_result::ParseError
            );
            assert!(value.is_null());
            assert!(!error.is_null());
            pyaot_json_error_free(error);
            assert_eq!(
                pyaot_json_value_parse(b"\"\xff\"".as_ptr(), 3, &mut value, &mut error),
                pyaot_json_result::InvalidUtf8
            );
        }
    }
}
