//! `pyaot-regex`: Python `re` semantics on fast automata.
//!
//! - [`parse`] follows CPython 3.11's `re._parser`: the same accepted syntax and the same
//!   `re.error` messages and positions.
//! - Regular patterns are compiled to `regex-automata` from our own parse (never by handing
//!   Python pattern text to `regex-syntax`), with Python's `\w \d \s` and case-folding rules.
//! - A backtracking engine with a step limit runs what is not regular (backreferences,
//!   lookaround, conditionals, atomic and possessive forms).
//! - Python's matching rules live in the glue: `$` before a final newline, empty-match rules in
//!   `sub`/`split`/`findall`/`finditer`, `pos`/`endpos`, `lastindex`/`lastgroup`.
//!
//! If you want Rust regex semantics, use the `regex` crate. This crate never depends on pyo3.

pub mod ast;
mod parse;
mod template;
pub mod unicode;
mod unicode_data;

pub use ast::{Error, ErrorKind, Flags, Parsed, TemplateItem, Warning, WarningCategory};
pub use parse::{parse, parse_warned};
pub use template::{parse_template, parse_template_warned};
mod automata;
mod prog;
mod regex;
mod text;
mod vm;

pub use regex::{
    Anchor, CaptureMatches, Captures, DEFAULT_STEP_LIMIT, Haystack, Match, MatchError, Regex, ReplaceError,
};
pub use text::{char_count, char_to_byte};
