//! Parsing into Python objects: the [`PySink`] that `pyaot_json::scan` drives, and the
//! `_json`-compatible entry points built on it.

use pyaot_json::char_count;
use pyaot_json::number::parse_i64;
use pyaot_json::scan::{self, Constant, Input, ParseOptions, Sink, Str};
use pyaot_json::{ErrorKind, decode as bytes_decode};
use pyo3::exceptions::{PyStopIteration, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyByteArray, PyBytes, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use rustc_hash::FxHashMap;

use crate::text::{byte_offset, char_index, str_from_utf8, type_name, utf8_of};

/// The decoder's Python-level settings (a `JSONDecoder`'s attributes). `None` means the
/// default behaviour, done natively.
#[derive(Default)]
pub(crate) struct Hooks {
    object_hook: Option<Py<PyAny>>,
    object_pairs_hook: Option<Py<PyAny>>,
    parse_float: Option<Py<PyAny>>,
    parse_int: Option<Py<PyAny>>,
    parse_constant: Option<Py<PyAny>>,
}

/// A parse failure: a JSON error (converted with the document once known) or a Python error.
pub(crate) enum Failure {
    Json(pyaot_json::Error),
    Py(PyErr),
}

impl From<pyaot_json::Error> for Failure {
    fn from(e: pyaot_json::Error) -> Self {
        Failure::Json(e)
    }
}

impl From<PyErr> for Failure {
    fn from(e: PyErr) -> Self {
        Failure::Py(e)
    }
}

/// `pyaot_json.decoder.JSONDecodeError(msg, doc, pos)`, as CPython's `raise_errmsg` builds it.
pub(crate) fn decode_error(py: Python<'_>, msg: &str, doc: &Bound<'_, PyAny>, pos: isize) -> PyErr {
    static CLASS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    let class = match CLASS
        .get_or_try_init(py, || Ok::<_, PyErr>(py.import("pyaot_json.decoder")?.getattr("JSONDecodeError")?.unbind()))
    {
        Ok(class) => class.bind(py),
        Err(e) => return e,
    };
    match class.call1((msg, doc, pos)) {
        Ok(exc) => PyErr::from_value(exc),
        Err(e) => e,
    }
}

/// `json.decoder._CONSTANTS`: `NaN`, `Infinity`, `-Infinity` are the same float objects on
/// every parse, as in CPython.
fn constant_object<'py>(py: Python<'py>, constant: Constant) -> PyResult<Bound<'py, PyAny>> {
    static CONSTANTS: PyOnceLock<Py<PyDict>> = PyOnceLock::new();
    let table = CONSTANTS
        .get_or_try_init(py, || {
            Ok::<_, PyErr>(py.import("pyaot_json.decoder")?.getattr("_CONSTANTS")?.cast_into::<PyDict>()?.unbind())
        })?
        .bind(py);
    match table.get_item(constant.as_str())? {
        Some(value) => Ok(value),
        None => Ok(PyFloat::new(py, constant.to_f64()).into_any()),
    }
}

unsafe extern "C" {
    // Part of CPython's C API (ceval.h) since 3.9.
    fn Py_EnterRecursiveCall(location: *const std::ffi::c_char) -> std::ffi::c_int;
    fn Py_LeaveRecursiveCall();
}

/// Charges one level of CPython's recursion counter, as `_json` does for each nested array or
/// object, so that deep documents raise the same `RecursionError`.
pub(crate) fn enter_recursion(py: Python<'_>, location: &std::ffi::CStr) -> PyResult<()> {
    // SAFETY: the `Python` token proves the GIL is held; the location is a NUL-terminated
    // string that outlives the call.
    if unsafe { Py_EnterRecursiveCall(location.as_ptr()) } != 0 {
        return Err(PyErr::fetch(py));
    }
    Ok(())
}

/// Undoes one [`enter_recursion`].
pub(crate) fn leave_recursion() {
    // SAFETY: paired with a successful `enter_recursion` on the same thread, GIL held.
    unsafe { Py_LeaveRecursiveCall() }
}

/// Recursion levels held for the Python frames a native fast path stands in for, given back
/// on drop.
///
/// CPython's recursion counter counts Python frames as well as nested containers, so where a
/// document hits the limit depends on how many frames are below the scanner. `json.loads` runs
/// the C scanner under `JSONDecoder.decode` and `raw_decode`, `json.dumps` the C encoder under
/// `JSONEncoder.encode` and `iterencode`; our `loads`/`dumps` call Rust directly, so they charge
/// those two frames to fail at exactly the same depth (and on the same container) as CPython.
pub(crate) struct FrameCharge(usize);

impl FrameCharge {
    pub(crate) fn new(py: Python<'_>, frames: usize) -> PyResult<FrameCharge> {
        let mut charge = FrameCharge(0);
        for _ in 0..frames {
            enter_recursion(py, c"")?;
            charge.0 += 1;
        }
        Ok(charge)
    }
}

impl Drop for FrameCharge {
    fn drop(&mut self) {
        for _ in 0..self.0 {
            leave_recursion();
        }
    }
}

/// The Python frames between `json.loads`/`json.dumps` and CPython's C accelerator.
pub(crate) const STDLIB_FRAMES: usize = 2;

/// An object under construction: a dict, or the pairs for `object_pairs_hook`.
pub(crate) enum PyObjectBuilder<'py> {
    Dict(Bound<'py, PyDict>),
    Pairs(Vec<Bound<'py, PyAny>>),
}

/// The `str` being parsed and its UTF-8, so that strings copied verbatim from it can be cut
/// out of it (`PyUnicode_Substring`, a copy of same-width characters, as CPython's scanner
/// does) instead of being decoded from UTF-8 again.
pub(crate) struct Source<'a, 'py> {
    doc: &'a Bound<'py, PyString>,
    utf8: &'a [u8],
    /// A byte offset into `utf8` and the character index it corresponds to; strings arrive in
    /// document order, so counting resumes from here.
    cursor: (usize, usize),
}

impl<'a, 'py> Source<'a, 'py> {
    pub(crate) fn new(doc: &'a Bound<'py, PyString>, utf8: &'a [u8]) -> Self {
        Source { doc, utf8, cursor: (0, 0) }
    }

    /// The substring of the document that `bytes` is a slice of, if it is one.
    fn substring(&mut self, bytes: &[u8]) -> Option<PyResult<Bound<'py, PyString>>> {
        let start = (bytes.as_ptr() as usize).checked_sub(self.utf8.as_ptr() as usize)?;
        let end = start.checked_add(bytes.len())?;
        if end > self.utf8.len() || start < self.cursor.0 {
            return None;
        }
        let first = self.cursor.1 + char_count(&self.utf8[self.cursor.0..start]);
        let last = first + char_count(bytes);
        self.cursor = (end, last);
        // SAFETY: the GIL is held (we have a `Bound`); `doc` is a str and `first..last` lies within
        // it, because `utf8` is its UTF-8 and `start..end` lies within `utf8`.
        let raw = unsafe { pyo3::ffi::PyUnicode_Substring(self.doc.as_ptr(), first as isize, last as isize) };
        // SAFETY: a new reference to a str, or NULL with an exception set.
        Some(unsafe { Bound::from_owned_ptr_or_err(self.doc.py(), raw).map(|o| o.cast_into_unchecked()) })
    }
}

/// Builds Python objects from the scanner's events, with CPython's key memo and hooks.
pub(crate) struct PySink<'py, 'h, 'a> {
    py: Python<'py>,
    hooks: &'h Hooks,
    memo: FxHashMap<Box<[u8]>, Bound<'py, PyString>>,
    depth: usize,
    source: Option<Source<'a, 'py>>,
}

impl<'py, 'h, 'a> PySink<'py, 'h, 'a> {
    pub(crate) fn new(py: Python<'py>, hooks: &'h Hooks, source: Option<Source<'a, 'py>>) -> Self {
        PySink { py, hooks, memo: FxHashMap::default(), depth: 0, source }
    }

    /// A `str` for a decoded JSON string: copied if ASCII, cut from the document if it is a
    /// verbatim piece of it, else decoded.
    fn new_str(&mut self, text: Str<'_>) -> PyResult<Bound<'py, PyString>> {
        let bytes = text.as_bytes();
        if !text.may_contain_surrogates()
            && !bytes.is_ascii()
            && let Some(source) = &mut self.source
            && let Some(result) = source.substring(bytes)
        {
            return result;
        }
        str_from_utf8(self.py, bytes, text.may_contain_surrogates())
    }

    fn enter(&mut self, object: bool) -> PyResult<()> {
        enter_recursion(
            self.py,
            if object {
                c" while decoding a JSON object from a unicode string"
            } else {
                c" while decoding a JSON array from a unicode string"
            },
        )?;
        self.depth += 1;
        Ok(())
    }

    fn leave(&mut self) {
        self.depth -= 1;
        leave_recursion();
    }
}

impl Drop for PySink<'_, '_, '_> {
    fn drop(&mut self) {
        // An error left containers open: give back their recursion levels.
        while self.depth > 0 {
            self.leave();
        }
    }
}

impl<'py> Sink for PySink<'py, '_, '_> {
    type Value = Bound<'py, PyAny>;
    type Array = Vec<Bound<'py, PyAny>>;
    type Object = PyObjectBuilder<'py>;
    type Key = Bound<'py, PyString>;
    type Error = Failure;

    fn null(&mut self) -> Result<Self::Value, Failure> {
        Ok(self.py.None().into_bound(self.py))
    }

    fn boolean(&mut self, value: bool) -> Result<Self::Value, Failure> {
        Ok(pyo3::types::PyBool::new(self.py, value).to_owned().into_any())
    }

    fn integer(&mut self, text: &str) -> Result<Self::Value, Failure> {
        if let Some(hook) = &self.hooks.parse_int {
            return Ok(hook.bind(self.py).call1((text,))?);
        }
        match parse_i64(text) {
            Some(i) => Ok(i.into_pyobject(self.py).map_err(PyErr::from)?.into_any()),
            // int() applies CPython's digit limit and message, as PyLong_FromString does.
            None => Ok(self.py.get_type::<PyInt>().call1((text,))?),
        }
    }

    fn float(&mut self, text: &str) -> Result<Self::Value, Failure> {
        if let Some(hook) = &self.hooks.parse_float {
            return Ok(hook.bind(self.py).call1((text,))?);
        }
        // Correctly rounded, overflowing to inf: the same double as float(text).
        Ok(PyFloat::new(self.py, text.parse().unwrap_or(f64::NAN)).into_any())
    }

    fn constant(&mut self, constant: Constant) -> Result<Self::Value, Failure> {
        match &self.hooks.parse_constant {
            Some(hook) => Ok(hook.bind(self.py).call1((constant.as_str(),))?),
            None => Ok(constant_object(self.py, constant)?),
        }
    }

    fn string(&mut self, text: Str<'_>) -> Result<Self::Value, Failure> {
        Ok(self.new_str(text)?.into_any())
    }

    fn start_array(&mut self) -> Result<Self::Array, Failure> {
        self.enter(false)?;
        Ok(Vec::new())
    }

    fn push(&mut self, array: &mut Self::Array, value: Self::Value) -> Result<(), Failure> {
        array.push(value);
        Ok(())
    }

    fn end_array(&mut self, array: Self::Array) -> Result<Self::Value, Failure> {
        self.leave();
        Ok(PyList::new(self.py, array)?.into_any())
    }

    fn start_object(&mut self) -> Result<Self::Object, Failure> {
        self.enter(true)?;
        Ok(if self.hooks.object_pairs_hook.is_some() {
            PyObjectBuilder::Pairs(Vec::new())
        } else {
            PyObjectBuilder::Dict(PyDict::new(self.py))
        })
    }

    fn key(&mut self, text: Str<'_>) -> Result<Self::Key, Failure> {
        // Equal keys share one str object within a document, as CPython's memo does.
        if let Some(key) = self.memo.get(text.as_bytes()) {
            return Ok(key.clone());
        }
        let key = self.new_str(text)?;
        self.memo.insert(text.as_bytes().into(), key.clone());
        Ok(key)
    }

    fn insert(&mut self, object: &mut Self::Object, key: Self::Key, value: Self::Value) -> Result<(), Failure> {
        match object {
            PyObjectBuilder::Dict(dict) => dict.set_item(key, value)?,
            PyObjectBuilder::Pairs(pairs) => {
                pairs.push(PyTuple::new(self.py, [key.into_any(), value])?.into_any());
            }
        }
        Ok(())
    }

    fn end_object(&mut self, object: Self::Object) -> Result<Self::Value, Failure> {
        self.leave();
        let py = self.py;
        match object {
            PyObjectBuilder::Pairs(pairs) => {
                let hook = self.hooks.object_pairs_hook.as_ref().expect("pairs are only built for object_pairs_hook");
                Ok(hook.bind(py).call1((PyList::new(py, pairs)?,))?)
            }
            PyObjectBuilder::Dict(dict) => match &self.hooks.object_hook {
                Some(hook) => Ok(hook.bind(py).call1((dict,))?),
                None => Ok(dict.into_any()),
            },
        }
    }
}

/// Pauses CPython's cyclic garbage collector while a document is built, restoring its state on
/// drop. Building thousands of dicts and lists otherwise triggers young-generation collections
/// that traverse the half-built document again and again (a quarter of the time on
/// citm_catalog) and can find nothing: a fresh document has no cycles, and with default
/// options no Python code runs during the parse. The allocations still count towards the next
/// collection, which happens as usual afterwards.
struct GcPause(bool);

impl GcPause {
    fn new() -> GcPause {
        // SAFETY: called with the GIL held (only from `loads`, which has a `Python` token).
        GcPause(unsafe { pyo3::ffi::PyGC_Disable() } == 1)
    }
}

impl Drop for GcPause {
    fn drop(&mut self) {
        if self.0 {
            // SAFETY: the GIL is still held (the guard lives inside `loads`).
            unsafe { pyo3::ffi::PyGC_Enable() };
        }
    }
}

/// What to do with an "Expecting value" error: `scan_once` reports it as `StopIteration(pos)`
/// (the decoder turns that into the error), whole-document parsing as the error itself.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    ScanOnce,
    Document,
}

fn to_pyerr(py: Python<'_>, failure: Failure, doc: &Bound<'_, PyAny>, mode: Mode) -> PyErr {
    match failure {
        Failure::Py(e) => e,
        Failure::Json(e) if mode == Mode::ScanOnce && e.kind() == ErrorKind::ExpectingValue => {
            PyStopIteration::new_err(e.position())
        }
        Failure::Json(e) => decode_error(py, e.message(), doc, e.position() as isize),
    }
}

fn input_of(bytes: &[u8], surrogates: bool) -> Input<'_> {
    // Bytes from `utf8_of` are Python UTF-8 by construction (CPython's UTF-8 of a str).
    Input::trusted(bytes, surrogates)
}

/// No depth limit in the scanner: the sink charges CPython's recursion counter instead.
const UNBOUNDED: ParseOptions = ParseOptions { strict: true, max_depth: usize::MAX };

/// `pyaot_json.loads(s)` with default settings, as a callable object (`_native.loads`).
///
/// It is an object called through `tp_call`, not a function, for the same reason CPython's
/// scanner is: such calls always charge one level of the recursion counter, whereas CPython
/// 3.11's specialised calls to builtin functions skip it once the caller is warm. With
/// [`STDLIB_FRAMES`] that makes the depth at which a document fails identical to `json.loads`.
///
/// Calling it returns `NotImplemented` for input it leaves to the Python layer (anything but
/// `str`, and bytes that are not plainly UTF-8), which then raises exactly what CPython raises.
#[pyclass(frozen, module = "pyaot_json._native", name = "Loads")]
pub(crate) struct Loads;

#[pymethods]
impl Loads {
    fn __call__<'py>(&self, py: Python<'py>, s: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        loads(py, s)
    }
}

fn loads<'py>(py: Python<'py>, s: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    let hooks = Hooks::default();
    let _frames = FrameCharge::new(py, STDLIB_FRAMES)?;
    if let Ok(text) = s.cast::<PyString>() {
        let (bytes, surrogates) = utf8_of(text)?;
        if bytes.starts_with("\u{FEFF}".as_bytes()) {
            return Err(decode_error(py, "Unexpected UTF-8 BOM (decode using utf-8-sig)", s, 0));
        }
        let source = (!surrogates).then(|| Source::new(text, &bytes));
        let _gc = GcPause::new();
        let mut sink = PySink::new(py, &hooks, source);
        return scan::parse(&mut sink, input_of(&bytes, surrogates), UNBOUNDED)
            .map_err(|f| to_pyerr(py, f, s, Mode::Document));
    }
    let raw: Vec<u8>;
    let bytes: &[u8] = if let Ok(b) = s.cast::<PyBytes>() {
        b.as_bytes()
    } else if let Ok(b) = s.cast::<PyByteArray>() {
        raw = b.to_vec();
        &raw
    } else {
        return Ok(py.NotImplemented().into_bound(py));
    };
    if bytes_decode::detect_encoding(bytes) != bytes_decode::Encoding::Utf8 {
        return Ok(py.NotImplemented().into_bound(py));
    }
    let Some(input) = Input::from_python_utf8(bytes) else {
        return Ok(py.NotImplemented().into_bound(py));
    };
    let _gc = GcPause::new();
    let mut sink = PySink::new(py, &hooks, None);
    scan::parse(&mut sink, input, UNBOUNDED).map_err(|f| match f {
        // The error's document is the decoded str, as in CPython.
        Failure::Json(e) => match str_from_utf8(py, bytes, true) {
            Ok(doc) => to_pyerr(py, Failure::Json(e), doc.as_any(), Mode::Document),
            Err(err) => err,
        },
        Failure::Py(e) => e,
    })
}

/// `_json.scanstring(string, end, strict=True) -> (str, end)`.
#[pyfunction]
// `strict` is read with Python truthiness, as `_json` does; the signature shows its meaning.
#[pyo3(signature = (string, end, strict = None), text_signature = "(string, end, strict=True)")]
pub(crate) fn scanstring<'py>(
    py: Python<'py>,
    string: &Bound<'py, PyAny>,
    end: isize,
    strict: Option<&Bound<'py, PyAny>>,
) -> PyResult<(Bound<'py, PyString>, isize)> {
    let strict = strict.map_or(Ok(true), PyAnyMethods::is_truthy)?;
    let Ok(text) = string.cast::<PyString>() else {
        return Err(PyTypeError::new_err(format!("first argument must be a string, not {}", type_name(string))));
    };
    let length = string.len()? as isize;
    if end < 0 || end > length {
        return Err(PyValueError::new_err("end is out of bounds"));
    }
    let (bytes, surrogates) = utf8_of(text)?;
    let start = if bytes.len() as isize == length { end as usize } else { byte_offset(&bytes, end as usize) };
    match scan::scan_string(input_of(&bytes, surrogates), start, strict) {
        Ok((decoded, has_surrogates, next)) => {
            let next_char = if bytes.len() as isize == length { next } else { char_index(&bytes, next) };
            Ok((str_from_utf8(py, &decoded, has_surrogates)?, next_char as isize))
        }
        Err(e) if e.kind() == ErrorKind::UnterminatedString => Err(decode_error(py, e.message(), string, end - 1)),
        Err(e) => Err(decode_error(py, e.message(), string, e.position() as isize)),
    }
}

/// `_json.make_scanner(context)`: a callable `scan_once(string, idx) -> (value, end)` with the
/// context's settings, as `JSONDecoder` builds it.
#[pyclass(frozen, module = "pyaot_json._native", name = "Scanner")]
pub(crate) struct Scanner {
    strict: bool,
    object_hook: Py<PyAny>,
    object_pairs_hook: Py<PyAny>,
    parse_float: Py<PyAny>,
    parse_int: Py<PyAny>,
    parse_constant: Py<PyAny>,
}

fn hook(value: &Py<PyAny>, py: Python<'_>, default: Option<&Bound<'_, PyAny>>) -> Option<Py<PyAny>> {
    let bound = value.bind(py);
    if bound.is_none() || default.is_some_and(|d| bound.is(d)) { None } else { Some(value.clone_ref(py)) }
}

#[pymethods]
impl Scanner {
    #[new]
    fn new(context: &Bound<'_, PyAny>) -> PyResult<Self> {
        Ok(Scanner {
            strict: context.getattr("strict")?.is_truthy()?,
            object_hook: context.getattr("object_hook")?.unbind(),
            object_pairs_hook: context.getattr("object_pairs_hook")?.unbind(),
            parse_float: context.getattr("parse_float")?.unbind(),
            parse_int: context.getattr("parse_int")?.unbind(),
            parse_constant: context.getattr("parse_constant")?.unbind(),
        })
    }

    #[getter]
    fn strict(&self) -> bool {
        self.strict
    }
    #[getter]
    fn object_hook(&self, py: Python<'_>) -> Py<PyAny> {
        self.object_hook.clone_ref(py)
    }
    #[getter]
    fn object_pairs_hook(&self, py: Python<'_>) -> Py<PyAny> {
        self.object_pairs_hook.clone_ref(py)
    }
    #[getter]
    fn parse_float(&self, py: Python<'_>) -> Py<PyAny> {
        self.parse_float.clone_ref(py)
    }
    #[getter]
    fn parse_int(&self, py: Python<'_>) -> Py<PyAny> {
        self.parse_int.clone_ref(py)
    }
    #[getter]
    fn parse_constant(&self, py: Python<'_>) -> Py<PyAny> {
        self.parse_constant.clone_ref(py)
    }

    #[pyo3(signature = (string, idx))]
    fn __call__<'py>(
        &self,
        py: Python<'py>,
        string: &Bound<'py, PyAny>,
        idx: isize,
    ) -> PyResult<(Bound<'py, PyAny>, isize)> {
        let Ok(text) = string.cast::<PyString>() else {
            return Err(PyTypeError::new_err(format!("first argument must be a string, not {}", type_name(string))));
        };
        if idx < 0 {
            return Err(PyValueError::new_err("idx cannot be negative"));
        }
        let length = string.len()? as isize;
        if idx >= length {
            return Err(PyStopIteration::new_err(idx));
        }
        let float_type = py.get_type::<PyFloat>();
        let int_type = py.get_type::<PyInt>();
        let hooks = Hooks {
            object_hook: hook(&self.object_hook, py, None),
            object_pairs_hook: hook(&self.object_pairs_hook, py, None),
            parse_float: hook(&self.parse_float, py, Some(float_type.as_any())),
            parse_int: hook(&self.parse_int, py, Some(int_type.as_any())),
            // CPython always calls parse_constant; JSONDecoder's default is _CONSTANTS.__getitem__.
            parse_constant: Some(self.parse_constant.clone_ref(py)),
        };
        let (bytes, surrogates) = utf8_of(text)?;
        let ascii = bytes.len() as isize == length;
        let start = if ascii { idx as usize } else { byte_offset(&bytes, idx as usize) };
        let options = ParseOptions { strict: self.strict, max_depth: usize::MAX };
        let source = (!surrogates && !ascii).then(|| Source::new(text, &bytes));
        let mut sink = PySink::new(py, &hooks, source);
        let (value, end) = scan::scan_once(&mut sink, input_of(&bytes, surrogates), start, options)
            .map_err(|f| to_pyerr(py, f, string, Mode::ScanOnce))?;
        let end = if ascii { end } else { char_index(&bytes, end) };
        Ok((value, end as isize))
    }
}
