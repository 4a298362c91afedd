//! `pyaot-regex-py`: the native half of the Python package `pyaot_re`.
//!
//! `Pattern`, `Match` and the scanner are native types with `re`'s exact attributes and
//! methods; the module-level functions, the compiled-pattern cache, `escape` and `Scanner` are
//! in the package's Python layer, as in CPython's `re`. Every matching rule is in `pyaot-regex`;
//! this crate converts haystacks and positions and builds result objects.
//!
//! Building Python objects is what costs at this layer, so results are made directly from the
//! engine's byte offsets: a `str` haystack is searched as its UTF-8 (read in place for ASCII,
//! CPython's cached UTF-8 otherwise) and offsets become character indexes through a cursor that
//! only walks forward from the previous match ([`text::Cursor`]).

mod objects;
mod text;

use pyo3::prelude::*;

/// The extension module `pyaot_re._native`.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(objects::compile, m)?)?;
    m.add_class::<objects::Pattern>()?;
    m.add_class::<objects::Match>()?;
    m.add_class::<objects::Scanner>()?;
    m.add_class::<objects::MatchIter>()?;
    m.add("BacktrackLimitError", objects::backtrack_limit_error(m.py()))?;
    m.add("MAXREPEAT", pyaot_regex::ast::MAXREPEAT)?;
    m.add("MAXGROUPS", pyaot_regex::ast::MAXGROUPS)?;
    m.add("DEFAULT_STEP_LIMIT", pyaot_regex::DEFAULT_STEP_LIMIT)?;
    Ok(())
}
