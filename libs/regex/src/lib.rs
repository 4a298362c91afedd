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
//!
//! # Example
//!
//! ```
//! use pyaot_regex::{Flags, Regex};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let re = Regex::with_flags(r"(?P<key>\w+)=(\d+)", Flags(Flags::IGNORECASE))?;
//! let mut values = Vec::new();
//! for caps in re.captures_iter("x=1, Y=22") {
//!     let caps = caps?; // an error only when the backtracker's step limit is reached
//!     values.push(caps.get(2).map(|m| m.as_str()));
//! }
//! assert_eq!(values, [Some("1"), Some("22")]);
//! // Python's template syntax, Python's empty-match rules.
//! assert_eq!(re.replace_all("a=1", r"\2:\g<key>")?, "1:a");
//! assert_eq!(Regex::new("x*")?.replace_all("abc", "-")?, "-a-b-c-");
//! // Bytes patterns search bytes.
//! let bytes = Regex::new_bytes(br"\d+", Flags(0))?;
//! assert_eq!(bytes.find(&b"ab 42"[..])?.map(|m| m.range()), Some(3..5));
//! # Ok(())
//! # }
//! ```

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
