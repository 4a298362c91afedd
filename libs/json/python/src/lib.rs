//! `pyaot-json-py`: the native half of the Python package `pyaot_json`.
//!
//! The package vendors the standard library's Python layer (`json/__init__.py`, `decoder.py`,
//! `encoder.py`, `scanner.py`), so that `cls=`, hooks and subclassing behave exactly as in
//! CPython, and this module replaces what CPython's `_json` accelerator does, with the same
//! names and semantics: `scanstring`, `make_scanner`, `encode_basestring_ascii`,
//! `encode_basestring` and `make_encoder` (which, unlike `_json`, also indents). Two
//! extra entry points, `loads` and `dumps`, serve `pyaot_json.loads`/`dumps` without building
//! decoder or encoder objects.
//!
//! Exactness extends to `RecursionError`: CPython's recursion counter counts Python frames,
//! calls through `tp_call`, and each nested container, so the native entry points charge the
//! frames they stand in for and are called the way `_json`'s objects are (see `decode::Loads`).
//!
//! Parsing is `pyaot_json::scan` driving [`decode::PySink`]; writing is `pyaot_json::Writer`
//! driven by [`encode`]'s walk over Python objects. This crate only converts; every JSON rule
//! lives in `pyaot-json`.

mod decode;
mod encode;
mod text;

use pyo3::prelude::*;

/// The extension module `pyaot_json._native`.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(decode::scanstring, m)?)?;
    m.add("loads", decode::Loads)?;
    m.add("make_scanner", m.py().get_type::<decode::Scanner>())?;
    let ascii = wrap_pyfunction!(encode::encode_basestring_ascii, m)?;
    let plain = wrap_pyfunction!(encode::encode_basestring, m)?;
    encode::remember_string_encoders(&ascii, &plain);
    m.add_function(ascii)?;
    m.add_function(plain)?;
    m.add("dumps", encode::Dumps)?;
    m.add("make_encoder", m.py().get_type::<encode::Encoder>())?;
    Ok(())
}
