//! `pyaot-regex-capi`: the C ABI of `pyaot-regex`.
//!
//! **Status: not implemented yet** (tracked by the libs/regex issue).
//!
//! It will export compile, find, captures, iterate, replace and split under names
//! `pyaot_regex_<type>_<verb>`, as a `cdylib` and a `staticlib` with a cbindgen-generated header.
//! It only converts types and errors; every rule lives in `pyaot-regex`.
