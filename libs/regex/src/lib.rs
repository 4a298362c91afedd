//! `pyaot-regex`: Python `re` semantics on fast automata.
//!
//! **Status: not implemented yet** (tracked by the libs/regex issue). This crate holds only its
//! purpose until then.
//!
//! # What it is for
//!
//! - A parser that follows CPython 3.11's `re._parser`: the same accepted syntax and the same
//!   `re.error` messages and positions.
//! - Regular patterns compiled to `regex-automata` from our own parse (never by handing Python
//!   pattern text to `regex-syntax`), with Python's `\w \d \s` and case-folding rules.
//! - A backtracking engine with a step limit for what is not regular (backreferences,
//!   lookaround, conditionals, atomic and possessive forms).
//! - Python's matching rules in the glue: `$` before a final newline, empty-match rules in
//!   `sub`/`split`/`findall`/`finditer`, `pos`/`endpos`, `lastindex`/`lastgroup`.
//!
//! # What it is not for
//!
//! If you want Rust regex semantics, use the `regex` crate. This crate never depends on pyo3.
