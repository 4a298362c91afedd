//! `pyaot-json`: JSON parsing and serialization with exactly CPython 3.11's `json` semantics.
//!
//! **Status: not implemented yet** (tracked by the libs/json issue). This crate holds only its
//! purpose until then; nothing here is usable.
//!
//! # What it is for
//!
//! - One scanner driving a sink trait, so the same parser builds this crate's own `Value`, Python
//!   objects (in `pyaot-json-py`) and runtime objects (in programs compiled by `pyaot`).
//! - One serializer over a source trait, byte-identical to `json.dumps` for every option
//!   (`indent`, `separators`, `sort_keys`, `ensure_ascii`, `allow_nan`).
//! - Python number semantics: integers of any size, correctly rounded floats, overflow to `inf`,
//!   `NaN`/`Infinity` accepted, float text identical to `float.__repr__`.
//! - Errors as values carrying CPython's message and the character position, line and column.
//!
//! # What it is not for
//!
//! It does not map JSON onto Rust types with serde; use `serde_json` for that. It never depends
//! on pyo3: the Python binding lives in `libs/json/python`, the C ABI in `libs/json/capi`.
