//! `pyaot-runtime`: the object model that programs compiled by `pyaot` link.
//!
//! **Status: not implemented yet** (tracked by the compiler + runtime issue). This crate holds
//! only its purpose until then.
//!
//! # What it is for
//!
//! - Refcounted (non-atomic) objects with unboxed fast paths for `int` and `float`; `int` exact
//!   at any size (an `i64` fast path that overflows into a bigint).
//! - `str` with code-point semantics, `bytes`, `list`, `tuple`, ordered `dict`, `set`/`frozenset`
//!   (iteration order as CPython's), `range`, slices, classes, instances, bound methods,
//!   closures, and CPython's exceptions with their messages and traceback format.
//! - `print`, the format-spec mini-language, `%` formatting and `str.format`, byte-identical to
//!   CPython.
//! - In-place mutation of uniquely referenced objects, so `s += x` in a loop stays linear.
//!
//! # What it is not for
//!
//! It is not an interpreter: it has no bytecode and no `eval`. The shared Python rules it uses
//! (float repr, int/str conversion, unicode classes) have one implementation that `pyaot-json`
//! and `pyaot-regex` call too.
