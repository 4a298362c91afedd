//! Writing Python objects as JSON: a walk over them with `_json`'s exact rules (type checks in
//! its order, key conversion, circular-reference markers, recursion accounting), writing
//! through `pyaot_json::Writer`.

use pyaot_json::{Options, Writer, write_escaped};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};

use crate::decode::{FrameCharge, STDLIB_FRAMES, enter_recursion, leave_recursion};
use crate::text::{str_from_utf8, type_name, utf8_of};

/// How strings are turned into JSON text.
enum StringEncoder {
    /// Natively, escaping non-ASCII (`encode_basestring_ascii`).
    Ascii,
    /// Natively, keeping non-ASCII (`encode_basestring`).
    Plain,
    /// By calling a Python function, which must return a `str`.
    Custom(Py<PyAny>),
}

/// Everything one encode needs besides the object.
///
/// CPython 3.11 encodes with its C accelerator only without `indent`; with an indent it runs
/// the pure-Python `_make_iterencode`, and the two differ in corners that we reproduce
/// ([`Config::python_rules`]): the message for a non-finite float (the Python encoder appends
/// its repr), and how subclasses of list and dict are found empty (their `__len__`/`__bool__`,
/// not their real size).
struct Config {
    check_circular: bool,
    /// `None`: `JSONEncoder.default`'s behaviour (raise `TypeError`).
    default: Option<Py<PyAny>>,
    strings: StringEncoder,
    indent: Option<String>,
    item_separator: String,
    key_separator: String,
    sort_keys: bool,
    skipkeys: bool,
    allow_nan: bool,
}

static ASCII_ENCODER: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static PLAIN_ENCODER: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// Records this module's two string encoders, so that `make_encoder` recognises them and
/// encodes strings natively instead of calling them (as `_json` does with its own).
pub(crate) fn remember_string_encoders(
    ascii: &Bound<'_, pyo3::types::PyCFunction>,
    plain: &Bound<'_, pyo3::types::PyCFunction>,
) {
    let py = ascii.py();
    let _ = ASCII_ENCODER.set(py, ascii.clone().into_any().unbind());
    let _ = PLAIN_ENCODER.set(py, plain.clone().into_any().unbind());
}

fn string_encoder(encoder: &Bound<'_, PyAny>) -> StringEncoder {
    let py = encoder.py();
    if ASCII_ENCODER.get(py).is_some_and(|f| encoder.is(f)) {
        StringEncoder::Ascii
    } else if PLAIN_ENCODER.get(py).is_some_and(|f| encoder.is(f)) {
        StringEncoder::Plain
    } else {
        StringEncoder::Custom(encoder.clone().unbind())
    }
}

fn text_of(obj: &Bound<'_, PyAny>, what: &str, position: usize) -> PyResult<String> {
    match obj.cast::<PyString>() {
        Ok(s) => Ok(s.to_str()?.to_owned()),
        Err(_) => Err(PyTypeError::new_err(format!(
            "make_encoder() argument {position} must be {what}, not {}",
            type_name(obj)
        ))),
    }
}

/// An `indent` as `_make_iterencode` understands it: `None`, a `str`, or `' ' * int`.
fn indent_of(indent: &Bound<'_, PyAny>) -> PyResult<Option<String>> {
    if indent.is_none() {
        return Ok(None);
    }
    if let Ok(s) = indent.cast::<PyString>() {
        return Ok(Some(s.to_str()?.to_owned()));
    }
    let spaces = PyString::new(indent.py(), " ").into_any().mul(indent)?;
    Ok(Some(spaces.cast::<PyString>()?.to_str()?.to_owned()))
}

struct Walk<'py, 'c> {
    py: Python<'py>,
    cfg: &'c Config,
    w: Writer,
    /// Containers (and objects handed to `default`) being encoded: CPython's `markers`.
    markers: Vec<*mut pyo3::ffi::PyObject>,
}

const WHERE: &std::ffi::CStr = c" while encoding a JSON object";

impl Config {
    /// Whether CPython 3.11 would use the pure-Python encoder (it does when indenting).
    fn python_rules(&self) -> bool {
        self.indent.is_some()
    }
}

impl<'py, 'c> Walk<'py, 'c> {
    fn new(py: Python<'py>, cfg: &'c Config) -> Self {
        let options = Options {
            indent: cfg.indent.clone(),
            separators: Some((cfg.item_separator.clone(), cfg.key_separator.clone())),
            sort_keys: false,
            ensure_ascii: matches!(cfg.strings, StringEncoder::Ascii),
            allow_nan: true,
        };
        Walk { py, cfg, w: Writer::new(options), markers: Vec::new() }
    }

    fn finish(self) -> PyResult<Bound<'py, PyString>> {
        let bytes = self.w.into_bytes();
        str_from_utf8(self.py, &bytes, true)
    }

    fn mark(&mut self, obj: &Bound<'py, PyAny>) -> PyResult<()> {
        if self.cfg.check_circular {
            if self.markers.contains(&obj.as_ptr()) {
                return Err(PyValueError::new_err("Circular reference detected"));
            }
            self.markers.push(obj.as_ptr());
        }
        Ok(())
    }

    fn unmark(&mut self) {
        if self.cfg.check_circular {
            self.markers.pop();
        }
    }

    fn value(&mut self, obj: &Bound<'py, PyAny>) -> PyResult<()> {
        if obj.is_none() {
            self.w.null();
        } else if let Ok(b) = obj.cast_exact::<PyBool>() {
            self.w.bool(b.is_true());
        } else if let Ok(s) = obj.cast::<PyString>() {
            self.string(s)?;
        } else if let Ok(i) = obj.cast::<PyInt>() {
            match i.extract::<i64>() {
                Ok(small) => self.w.int(small),
                Err(_) => self.w.raw_number(&int_text(i)?),
            }
        } else if let Ok(f) = obj.cast::<PyFloat>() {
            let value = f.value();
            if !value.is_finite() && !self.cfg.allow_nan {
                return Err(non_finite_error(f, self.cfg));
            }
            // Non-finite values reach here only when allowed, so the writer cannot refuse them.
            self.w.float(value).map_err(|e| PyValueError::new_err(e.to_string()))?;
        } else if obj.cast::<PyList>().is_ok() || obj.cast::<PyTuple>().is_ok() {
            enter_recursion(self.py, WHERE)?;
            let result = self.list(obj);
            leave_recursion();
            result?;
        } else if let Ok(d) = obj.cast::<PyDict>() {
            enter_recursion(self.py, WHERE)?;
            let result = self.dict(d);
            leave_recursion();
            result?;
        } else {
            self.mark(obj)?;
            let replacement = match &self.cfg.default {
                Some(default) => default.bind(self.py).call1((obj,))?,
                None => return Err(not_serializable(obj)),
            };
            enter_recursion(self.py, WHERE)?;
            let result = self.value(&replacement);
            leave_recursion();
            result?;
            self.unmark();
        }
        Ok(())
    }

    fn string(&mut self, s: &Bound<'py, PyString>) -> PyResult<()> {
        match &self.cfg.strings {
            StringEncoder::Ascii | StringEncoder::Plain => {
                let (bytes, _) = utf8_of(s)?;
                self.w.string_python_utf8(&bytes);
            }
            StringEncoder::Custom(f) => {
                let encoded = call_encoder(f.bind(self.py), s.as_any())?;
                let (bytes, _) = utf8_of(&encoded)?;
                self.w.raw_value(&bytes);
            }
        }
        Ok(())
    }

    fn list(&mut self, seq: &Bound<'py, PyAny>) -> PyResult<()> {
        if !seq.is_exact_instance_of::<PyList>() && !seq.is_exact_instance_of::<PyTuple>() {
            return self.list_subclass(seq);
        }
        if seq.len()? == 0 {
            self.w.raw_value(b"[]");
            return Ok(());
        }
        self.mark(seq)?;
        self.w.begin_array();
        if let Ok(list) = seq.cast::<PyList>() {
            // Like PySequence_Fast over a list: re-read the length, since `default` may mutate it.
            let mut i = 0;
            while i < list.len() {
                let item = list.get_item(i)?;
                self.value(&item)?;
                i += 1;
            }
        } else {
            for item in seq.cast::<PyTuple>()?.iter() {
                self.value(&item)?;
            }
        }
        self.w.end_array();
        self.unmark();
        Ok(())
    }

    /// A subclass of list or tuple: its own `__iter__` gives the items, as with
    /// `PySequence_Fast` in C and `for value in lst` in Python; Python's encoder also asks its
    /// `__bool__`/`__len__` whether it is empty.
    fn list_subclass(&mut self, seq: &Bound<'py, PyAny>) -> PyResult<()> {
        let items: Vec<Bound<'py, PyAny>> = if self.cfg.python_rules() {
            if !seq.is_truthy()? {
                self.w.raw_value(b"[]");
                return Ok(());
            }
            self.mark(seq)?;
            self.w.begin_array();
            for item in seq.try_iter()? {
                self.value(&item?)?;
            }
            self.w.end_array();
            self.unmark();
            return Ok(());
        } else {
            seq.try_iter()?.collect::<PyResult<_>>()?
        };
        if items.is_empty() {
            self.w.raw_value(b"[]");
            return Ok(());
        }
        self.mark(seq)?;
        self.w.begin_array();
        for item in &items {
            self.value(item)?;
        }
        self.w.end_array();
        self.unmark();
        Ok(())
    }

    fn dict(&mut self, dict: &Bound<'py, PyDict>) -> PyResult<()> {
        let empty = if self.cfg.python_rules() && !dict.is_exact_instance_of::<PyDict>() {
            !dict.is_truthy()?
        } else {
            // PyDict_GET_SIZE: the real number of entries, whatever __len__ says.
            dict.len() == 0
        };
        if empty {
            self.w.raw_value(b"{}");
            return Ok(());
        }
        self.mark(dict.as_any())?;
        self.w.begin_object();
        let mut wrote = false;
        if self.cfg.sort_keys || !dict.is_exact_instance_of::<PyDict>() {
            // PyMapping_Items: a subclass's own items() is honoured; sorting compares the
            // (key, value) pairs with Python's rules (and raises as Python does).
            let items = self.py.get_type::<PyList>().call1((dict.call_method0("items")?,))?.cast_into::<PyList>()?;
            if self.cfg.sort_keys {
                items.sort()?;
            }
            for item in items.iter() {
                let pair = match item.cast::<PyTuple>() {
                    Ok(pair) if pair.len() == 2 => pair.clone(),
                    _ => return Err(PyValueError::new_err("items must return 2-tuples")),
                };
                wrote |= self.member(&pair.get_item(0)?, &pair.get_item(1)?)?;
            }
        } else {
            // PyDict_Next, as _json iterates (pyo3's iterator adds checks we do not need here).
            let (mut pos, mut key, mut value) = (0, std::ptr::null_mut(), std::ptr::null_mut());
            // SAFETY: the GIL is held and `dict` is a live dict; the out-pointers are valid locals.
            while unsafe { pyo3::ffi::PyDict_Next(dict.as_ptr(), &mut pos, &mut key, &mut value) } != 0 {
                // SAFETY: PyDict_Next yields borrowed references to live objects; we take our own
                // references at once, because `default` or a custom encoder may change the dict.
                let (key, value) =
                    unsafe { (Bound::from_borrowed_ptr(self.py, key), Bound::from_borrowed_ptr(self.py, value)) };
                wrote |= self.member(&key, &value)?;
            }
        }
        if !wrote && self.cfg.python_rules() {
            // Python's encoder writes the newline and indent after `{` before it looks at the
            // keys, so a dict whose keys were all skipped comes out as `{`, newline, `}`.
            self.w.raw_value(b"");
        }
        self.w.end_object();
        self.unmark();
        Ok(())
    }

    /// Writes one member; `false` when `skipkeys` skipped it.
    fn member(&mut self, key: &Bound<'py, PyAny>, value: &Bound<'py, PyAny>) -> PyResult<bool> {
        // Key conversion in _json's order: str, float, True/False/None, int, else skip or fail.
        let text: String;
        let key_str: Bound<'py, PyString>;
        let key_str = if let Ok(s) = key.cast::<PyString>() {
            s
        } else {
            text = if let Ok(f) = key.cast::<PyFloat>() {
                float_text(f, self.cfg)?.as_str().to_owned()
            } else if let Ok(b) = key.cast_exact::<PyBool>() {
                (if b.is_true() { "true" } else { "false" }).to_owned()
            } else if key.is_none() {
                "null".to_owned()
            } else if let Ok(i) = key.cast::<PyInt>() {
                int_text(i)?
            } else if self.cfg.skipkeys {
                return Ok(false);
            } else {
                return Err(PyTypeError::new_err(format!(
                    "keys must be str, int, float, bool or None, not {}",
                    type_name(key)
                )));
            };
            key_str = PyString::new(self.py, &text);
            &key_str
        };
        match &self.cfg.strings {
            StringEncoder::Ascii | StringEncoder::Plain => {
                let (bytes, _) = utf8_of(key_str)?;
                self.w.key_python_utf8(&bytes);
            }
            StringEncoder::Custom(f) => {
                let encoded = call_encoder(f.bind(self.py), key_str.as_any())?;
                let (bytes, _) = utf8_of(&encoded)?;
                self.w.raw_key(&bytes);
            }
        }
        self.value(value)?;
        Ok(true)
    }
}

fn call_encoder<'py>(encoder: &Bound<'py, PyAny>, s: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyString>> {
    let encoded = encoder.call1((s,))?;
    match encoded.cast_into::<PyString>() {
        Ok(text) => Ok(text),
        Err(e) => {
            Err(PyTypeError::new_err(format!("encoder() must return a string, not {}", type_name(&e.into_inner()))))
        }
    }
}

fn not_serializable(obj: &Bound<'_, PyAny>) -> PyErr {
    // JSONEncoder.default: f'Object of type {o.__class__.__name__} is not JSON serializable'.
    let name =
        obj.getattr("__class__").and_then(|c| c.getattr("__name__")).map_or_else(|_| type_name(obj), |n| n.to_string());
    PyTypeError::new_err(format!("Object of type {name} is not JSON serializable"))
}

/// `int.__repr__(i)` (also for subclasses, whose own `__repr__` is ignored, as in CPython).
fn int_text(i: &Bound<'_, PyInt>) -> PyResult<String> {
    if let Ok(small) = i.extract::<i64>() {
        return Ok(small.to_string());
    }
    static INT_REPR: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    let py = i.py();
    let repr = INT_REPR.get_or_try_init(py, || Ok::<_, PyErr>(py.get_type::<PyInt>().getattr("__repr__")?.unbind()))?;
    Ok(repr.bind(py).call1((i,))?.cast_into::<PyString>()?.to_str()?.to_owned())
}

/// CPython's error for a non-finite float with `allow_nan` off (its Python encoder adds the repr).
fn non_finite_error(f: &Bound<'_, PyFloat>, cfg: &Config) -> PyErr {
    const MESSAGE: &str = "Out of range float values are not JSON compliant";
    if !cfg.python_rules() {
        return PyValueError::new_err(MESSAGE);
    }
    match f.repr() {
        Ok(repr) => PyValueError::new_err(format!("{MESSAGE}: {repr}")),
        Err(e) => e,
    }
}

/// A float key's JSON text: `float.__repr__`, or `NaN`/`Infinity`/`-Infinity` when allowed.
fn float_text(f: &Bound<'_, PyFloat>, cfg: &Config) -> PyResult<FloatText> {
    let value = f.value();
    if !value.is_finite() && !cfg.allow_nan {
        return Err(non_finite_error(f, cfg));
    }
    let mut buf = Vec::with_capacity(24);
    pyaot_json::write_float(&mut buf, value);
    Ok(FloatText(buf))
}

struct FloatText(Vec<u8>);

impl FloatText {
    fn as_str(&self) -> &str {
        // Float text is ASCII.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }
}

/// `_json.encode_basestring_ascii(s)`: `s` as a JSON string literal with only ASCII.
#[pyfunction]
#[pyo3(signature = (s, /))]
pub(crate) fn encode_basestring_ascii<'py>(s: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyString>> {
    encode_basestring_impl(s, true)
}

/// `_json.encode_basestring(s)`: `s` as a JSON string literal.
#[pyfunction]
#[pyo3(signature = (s, /))]
pub(crate) fn encode_basestring<'py>(s: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyString>> {
    encode_basestring_impl(s, false)
}

fn encode_basestring_impl<'py>(s: &Bound<'py, PyAny>, ensure_ascii: bool) -> PyResult<Bound<'py, PyString>> {
    let Ok(text) = s.cast::<PyString>() else {
        return Err(PyTypeError::new_err(format!("first argument must be a string, not {}", type_name(s))));
    };
    let (bytes, surrogates) = utf8_of(text)?;
    let mut out = Vec::with_capacity(bytes.len() + 2);
    write_escaped(&mut out, &bytes, ensure_ascii);
    str_from_utf8(s.py(), &out, surrogates)
}

/// `_json.make_encoder(...)`: a callable `_iterencode(obj, _current_indent_level)` returning a
/// one-element tuple with the whole text. Unlike `_json`'s, it honours `indent` (a `str`, or an
/// int meaning that many spaces).
#[pyclass(frozen, module = "pyaot_json._native", name = "Encoder")]
pub(crate) struct Encoder {
    cfg: Config,
    markers: Py<PyAny>,
    default: Py<PyAny>,
    encoder: Py<PyAny>,
    indent: Py<PyAny>,
}

#[pymethods]
impl Encoder {
    #[new]
    #[expect(clippy::too_many_arguments, reason = "the signature of CPython's _json.make_encoder")]
    fn new(
        markers: &Bound<'_, PyAny>,
        default: &Bound<'_, PyAny>,
        encoder: &Bound<'_, PyAny>,
        indent: &Bound<'_, PyAny>,
        key_separator: &Bound<'_, PyAny>,
        item_separator: &Bound<'_, PyAny>,
        sort_keys: &Bound<'_, PyAny>,
        skipkeys: &Bound<'_, PyAny>,
        allow_nan: &Bound<'_, PyAny>,
    ) -> PyResult<Self> {
        let key_separator = text_of(key_separator, "str", 5)?;
        let item_separator = text_of(item_separator, "str", 6)?;
        let (sort_keys, skipkeys, allow_nan) = (sort_keys.is_truthy()?, skipkeys.is_truthy()?, allow_nan.is_truthy()?);
        if !markers.is_none() && markers.cast::<PyDict>().is_err() {
            return Err(PyTypeError::new_err(format!(
                "make_encoder() argument 1 must be dict or None, not {}",
                type_name(markers)
            )));
        }
        let cfg = Config {
            check_circular: !markers.is_none(),
            default: Some(default.clone().unbind()),
            strings: string_encoder(encoder),
            indent: indent_of(indent)?,
            item_separator,
            key_separator,
            sort_keys,
            skipkeys,
            allow_nan,
        };
        Ok(Encoder {
            cfg,
            markers: markers.clone().unbind(),
            default: default.clone().unbind(),
            encoder: encoder.clone().unbind(),
            indent: indent.clone().unbind(),
        })
    }

    #[getter]
    fn markers(&self, py: Python<'_>) -> Py<PyAny> {
        self.markers.clone_ref(py)
    }
    #[getter]
    fn default(&self, py: Python<'_>) -> Py<PyAny> {
        self.default.clone_ref(py)
    }
    #[getter]
    fn encoder(&self, py: Python<'_>) -> Py<PyAny> {
        self.encoder.clone_ref(py)
    }
    #[getter]
    fn indent(&self, py: Python<'_>) -> Py<PyAny> {
        self.indent.clone_ref(py)
    }
    #[getter]
    fn key_separator(&self) -> &str {
        &self.cfg.key_separator
    }
    #[getter]
    fn item_separator(&self) -> &str {
        &self.cfg.item_separator
    }
    #[getter]
    fn sort_keys(&self) -> bool {
        self.cfg.sort_keys
    }
    #[getter]
    fn skipkeys(&self) -> bool {
        self.cfg.skipkeys
    }

    #[pyo3(signature = (obj, _current_indent_level))]
    fn __call__<'py>(
        &self,
        py: Python<'py>,
        obj: &Bound<'py, PyAny>,
        _current_indent_level: isize,
    ) -> PyResult<Bound<'py, PyTuple>> {
        let mut walk = Walk::new(py, &self.cfg);
        walk.value(obj)?;
        PyTuple::new(py, [walk.finish()?])
    }
}

/// `pyaot_json.dumps(obj, ...)` without a `cls`, as a callable object (`_native.dumps`; an
/// object for the recursion accounting explained at `decode::Loads`): `JSONEncoder(...).encode(obj)`
/// with the options already normalised by the Python layer (separators resolved, indent a str
/// or None).
#[pyclass(frozen, module = "pyaot_json._native", name = "Dumps")]
pub(crate) struct Dumps;

#[pymethods]
impl Dumps {
    #[expect(clippy::too_many_arguments, reason = "the keyword arguments of json.dumps")]
    fn __call__<'py>(
        &self,
        py: Python<'py>,
        obj: &Bound<'py, PyAny>,
        skipkeys: &Bound<'py, PyAny>,
        ensure_ascii: &Bound<'py, PyAny>,
        check_circular: &Bound<'py, PyAny>,
        allow_nan: &Bound<'py, PyAny>,
        sort_keys: &Bound<'py, PyAny>,
        indent: &Bound<'py, PyAny>,
        item_separator: &Bound<'py, PyAny>,
        key_separator: &Bound<'py, PyAny>,
        default: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyString>> {
        let cfg = Config {
            check_circular: check_circular.is_truthy()?,
            default: (!default.is_none()).then(|| default.clone().unbind()),
            strings: if ensure_ascii.is_truthy()? { StringEncoder::Ascii } else { StringEncoder::Plain },
            indent: indent_of(indent)?,
            key_separator: text_of(key_separator, "str", 5)?,
            item_separator: text_of(item_separator, "str", 6)?,
            sort_keys: sort_keys.is_truthy()?,
            skipkeys: skipkeys.is_truthy()?,
            allow_nan: allow_nan.is_truthy()?,
        };
        let _frames = FrameCharge::new(py, STDLIB_FRAMES)?;
        let mut walk = Walk::new(py, &cfg);
        walk.value(obj)?;
        walk.finish()
    }
}
