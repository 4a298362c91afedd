//! The differential target: pyaot-regex and CPython 3.11's `re` (embedded with pyo3) on the same
//! pattern, flags and haystack, in the input layout of `../targets.rs` (flag byte, then
//! `pattern NUL haystack`).
//!
//! Checked: both compile or both fail; a `re.error` is ours too, with the same message and
//! position; otherwise every `finditer` match agrees: the span of each group (in characters for
//! str, unset groups as `(-1, -1)`) and `lastindex`. Cases where our backtracker reaches its step
//! limit are skipped. Patterns and haystacks are kept short, since CPython backtracks
//! exponentially on some patterns and has no limit. Build with `cargo +nightly fuzz build`,
//! with a `python3` 3.11 on `PATH` (pyo3 embeds the interpreter it finds there).

use std::ffi::CString;
use std::sync::OnceLock;

use pyaot_regex::{ErrorKind, Flags, MatchError, Regex};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyModule, PyString};

use crate::{Case, STEP_LIMIT, code_points, split_case};

/// Longest pattern tried, in bytes of input.
const MAX_PATTERN: usize = 48;
/// Longest haystack tried, in bytes of input: CPython's exponential cases stay cheap.
const MAX_HAYSTACK: usize = 16;

/// What CPython is asked, once per input.
const HELPER: &str = r#"
import re, warnings
warnings.simplefilter("ignore")

def run(pattern, flags, haystack):
    try:
        compiled = re.compile(pattern, flags)
    except re.error as e:
        return ("error", e.msg, e.pos)
    except Exception as e:
        return ("other", type(e).__name__, None)
    out = []
    for m in compiled.finditer(haystack):
        out.append(([m.span(g) for g in range(compiled.groups + 1)], m.lastindex))
    return ("ok", out, None)
"#;

/// One match: the span of every group, then `lastindex`.
type Found = (Vec<(isize, isize)>, Option<usize>);

/// CPython's answer for one input.
enum Reference {
    /// `re.error(msg)` at `pos`.
    Error(String, Option<usize>),
    /// Another exception (`ValueError` for LOCALE with a str pattern, `OverflowError`...).
    Other(String),
    /// The `finditer` matches.
    Matches(Vec<Found>),
}

fn helper(py: Python<'_>) -> &'static Py<PyAny> {
    static RUN: OnceLock<Py<PyAny>> = OnceLock::new();
    RUN.get_or_init(|| {
        let code = CString::new(HELPER).expect("no NUL in the helper");
        let module =
            PyModule::from_code(py, &code, c"pyaot_regex_fuzz.py", c"pyaot_regex_fuzz").expect("the helper compiles");
        module.getattr("run").expect("the helper defines run").unbind()
    })
}

fn reference(is_str: bool, pattern: &[u32], flags: u32, haystack: &[u32]) -> Reference {
    Python::attach(|py| {
        let text = |points: &[u32]| -> Bound<'_, PyAny> {
            if is_str {
                let s: String = points.iter().map(|&c| char::from_u32(c).expect("a char of a str")).collect();
                PyString::new(py, &s).into_any()
            } else {
                let b: Vec<u8> = points.iter().map(|&c| c as u8).collect();
                PyBytes::new(py, &b).into_any()
            }
        };
        let result = helper(py)
            .bind(py)
            .call1((text(pattern), flags, text(haystack)))
            .expect("the helper catches every exception");
        let tag: String = result.get_item(0).and_then(|t| t.extract()).expect("a tag");
        let item = result.get_item(1).expect("a second item");
        match tag.as_str() {
            "error" => Reference::Error(
                item.extract().expect("re.error.msg"),
                result.get_item(2).and_then(|p| p.extract()).expect("re.error.pos"),
            ),
            "other" => Reference::Other(item.extract().expect("an exception name")),
            _ => Reference::Matches(item.extract().expect("the matches")),
        }
    })
}

/// Our `finditer` matches in CPython's units (characters for str haystacks), or `None` when the
/// step limit was reached.
fn ours(regex: &Regex, is_str: bool, haystack: &[u32]) -> Option<Vec<Found>> {
    let text: String;
    let bytes: Vec<u8>;
    let (matches, hay): (_, &[u8]) = if is_str {
        text = haystack.iter().map(|&c| char::from_u32(c).expect("a char")).collect();
        (regex.captures_iter(text.as_str()), text.as_bytes())
    } else {
        bytes = haystack.iter().map(|&c| c as u8).collect();
        (regex.captures_iter(bytes.as_slice()), &bytes)
    };
    // Byte offsets to CPython's indices.
    let index =
        |at: usize| -> isize { if is_str { pyaot_regex::char_count(&hay[..at]) as isize } else { at as isize } };
    let mut out = Vec::new();
    for caps in matches {
        let caps = match caps {
            Ok(caps) => caps,
            Err(MatchError::StepLimit(_)) => return None,
            Err(error) => panic!("finditer failed: {error}"),
        };
        let spans = caps
            .slots()
            .chunks_exact(2)
            .map(|s| if s[0] == usize::MAX { (-1, -1) } else { (index(s[0]), index(s[1])) })
            .collect();
        out.push((spans, caps.lastindex()));
    }
    Some(out)
}

/// The differential check on one input.
pub fn check_against_cpython(data: &[u8]) {
    let Some(Case { is_str, flags, pattern, haystack }) = split_case(data) else { return };
    if pattern.len() > MAX_PATTERN || haystack.len() > MAX_HAYSTACK {
        return;
    }
    let (pattern, haystack) = (code_points(pattern, is_str), code_points(haystack, is_str));
    let compiled = Regex::from_code_points(&pattern, !is_str, Flags(flags));
    let shown = || format!("pattern {pattern:x?} flags {flags:#x} str {is_str} haystack {haystack:x?}");
    match (reference(is_str, &pattern, flags, &haystack), compiled) {
        (Reference::Error(msg, pos), Err(error)) => {
            assert_eq!(error.kind, ErrorKind::Re, "{}: re.error, ours {error:?}", shown());
            assert_eq!((&error.msg, error.pos), (&msg, pos), "{}: error message or position", shown());
        }
        (Reference::Other(name), Err(error)) => {
            assert_ne!(error.kind, ErrorKind::Re, "{}: CPython raised {name}, ours {error:?}", shown());
        }
        (Reference::Matches(expected), Ok(regex)) => {
            if let Some(found) = ours(&regex.with_step_limit(STEP_LIMIT), is_str, &haystack) {
                assert_eq!(found, expected, "{}: finditer", shown());
            }
        }
        (Reference::Matches(_), Err(error)) => panic!("{}: CPython compiles it, ours fails: {error:?}", shown()),
        (Reference::Error(msg, _) | Reference::Other(msg), Ok(_)) => {
            panic!("{}: CPython fails ({msg}), ours compiles", shown())
        }
    }
}
