//! `pyaot-json-py`: the Python binding of `pyaot-json`, installed as the package `pyaot_json`.
//!
//! **Status: not implemented yet** (tracked by the libs/json issue). When it lands, this folder
//! gains a `pyproject.toml` (maturin) and `pip install ./libs/json/python` builds it.
//!
//! `import pyaot_json as json` must change nothing but speed: `loads`, `dumps`, `load`, `dump`,
//! `JSONDecoder`, `JSONEncoder` and `JSONDecodeError` (a subclass of the stdlib's) with the
//! stdlib's signatures, hooks and subclassing. The Rust side replaces what CPython's C
//! accelerator does (scanning, encoding) and only converts types and errors.
