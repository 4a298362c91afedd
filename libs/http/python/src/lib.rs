//! `pyaot-http-py`: the Python binding of `pyaot-http`, installed as the package `pyaot_http`.
//!
//! **Status: not implemented yet** (tracked by the libs/http issue). When it lands, this folder
//! gains a `pyproject.toml` (maturin) and `pip install ./libs/http/python` builds it.
//!
//! It is shaped like requests (functions, `Session`, `Response`, the exception hierarchy),
//! releases the GIL during I/O and is thread-safe. It only converts types and errors.
