//! The parser against CPython 3.11: trees and errors from `tests/data/parse_cases.rs`, which
//! `tests/data/gen_parse_cases.py` writes by running `python3` (CPython 3.11).

use pyaot_regex::ast::{At, Category, Greed, MAXREPEAT, Node, SetItem};
use pyaot_regex::{Error, TemplateItem, parse, parse_template};

#[path = "data/parse_cases.rs"]
mod cases;

/// A pattern: `"..."` is a str pattern, `b"..."` a bytes pattern.
pub trait Pattern {
    /// The code points or bytes, and whether it is a str pattern.
    fn units(&self) -> (Vec<u32>, bool);
}

impl Pattern for &str {
    fn units(&self) -> (Vec<u32>, bool) {
        (self.chars().map(u32::from).collect(), true)
    }
}

impl<const N: usize> Pattern for &[u8; N] {
    fn units(&self) -> (Vec<u32>, bool) {
        (self.iter().map(|&b| u32::from(b)).collect(), false)
    }
}

/// One pattern CPython accepts, with its tree rendered by `render`.
pub struct Success {
    pub pattern: &'static dyn Pattern,
    pub flags: u32,
    pub tree: &'static str,
    pub final_flags: u32,
    pub groups: usize,
    pub names: &'static [(&'static str, usize)],
}

/// Which exception CPython raises.
#[derive(Debug, PartialEq)]
pub enum Kind {
    /// `re.error`.
    Error,
    /// `ValueError` (`value_error` set).
    Value,
    /// `OverflowError` (an `Error` without a position here).
    Overflow,
}

/// One pattern CPython rejects.
pub struct Failure {
    pub pattern: &'static dyn Pattern,
    pub flags: u32,
    pub kind: Kind,
    pub msg: &'static str,
    pub pos: Option<usize>,
}

fn render_items(items: &[SetItem]) -> String {
    let parts: Vec<String> = items
        .iter()
        .map(|item| match item {
            SetItem::Negate => "NEG".to_string(),
            SetItem::Literal(c) => format!("L{c}"),
            SetItem::Range(lo, hi) => format!("R{lo}-{hi}"),
            SetItem::Category(cat) => format!("C{}", category(*cat)),
        })
        .collect();
    parts.join(",")
}

fn category(cat: Category) -> &'static str {
    match cat {
        Category::Digit => "digit",
        Category::NotDigit => "not_digit",
        Category::Space => "space",
        Category::NotSpace => "not_space",
        Category::Word => "word",
        Category::NotWord => "not_word",
    }
}

/// The same compact rendering as `gen_parse_cases.py`'s `render`.
fn render(nodes: &[Node]) -> String {
    let parts: Vec<String> = nodes
        .iter()
        .map(|node| match node {
            Node::Literal(c) => format!("L{c}"),
            Node::NotLiteral(c) => format!("NL{c}"),
            Node::Any => "ANY".to_string(),
            Node::In(items) => format!("IN[{}]", render_items(items)),
            Node::At(at) => format!(
                "AT:{}",
                match at {
                    At::Beginning => "beginning",
                    At::BeginningString => "beginning_string",
                    At::End => "end",
                    At::EndString => "end_string",
                    At::Boundary => "boundary",
                    At::NonBoundary => "non_boundary",
                }
            ),
            Node::Branch(items) => {
                let alts: Vec<String> = items.iter().map(|a| render(a)).collect();
                format!("BR({})", alts.join("|"))
            }
            Node::Repeat { min, max, greed, body } => {
                let max = if *max == MAXREPEAT { "M".to_string() } else { max.to_string() };
                let g = match greed {
                    Greed::Greedy => "g",
                    Greed::Lazy => "l",
                    Greed::Possessive => "p",
                };
                format!("REP{min},{max}{g}({})", render(body))
            }
            Node::Group { group, add_flags, del_flags, body } => {
                let g = group.map_or("_".to_string(), |g| g.to_string());
                format!("G{g},{add_flags},{del_flags}({})", render(body))
            }
            Node::Atomic(body) => format!("ATOM({})", render(body)),
            Node::GroupRef(g) => format!("REF{g}"),
            Node::GroupRefExists { group, yes, no } => {
                let mut s = format!("IF{group}({})", render(yes));
                if let Some(no) = no {
                    s += &format!("ELSE({})", render(no));
                }
                s
            }
            Node::Assert { behind, negate, width, body } => {
                let dir = if *behind { "B" } else { "A" };
                let neg = if *negate { "!" } else { "=" };
                let w = if *behind { format!("w{width}") } else { String::new() };
                format!("AS{dir}{neg}{w}({})", render(body))
            }
        })
        .collect();
    parts.join(" ")
}

#[test]
fn trees_match_cpython() {
    let mut failures = Vec::new();
    for case in cases::SUCCESSES {
        let (units, is_str) = case.pattern.units();
        match parse(&units, is_str, case.flags) {
            Ok(p) => {
                let names: Vec<(String, usize)> =
                    case.names.iter().map(|&(n, g)| (n.to_string(), g)).collect();
                let got = (render(&p.body), p.flags.0, p.groups, p.group_names);
                let want = (case.tree.to_string(), case.final_flags, case.groups, names);
                if got != want {
                    failures.push(format!("{units:?}: got {got:?}, want {want:?}"));
                }
            }
            Err(e) => failures.push(format!("{units:?}: unexpected error {e:?}")),
        }
    }
    assert!(failures.is_empty(), "{} mismatches:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn errors_match_cpython() {
    let mut failures = Vec::new();
    for case in cases::ERRORS {
        let (units, is_str) = case.pattern.units();
        let want = Error {
            msg: case.msg.to_string(),
            pos: case.pos,
            value_error: case.kind == Kind::Value,
        };
        match parse(&units, is_str, case.flags) {
            Ok(_) => failures.push(format!("{units:?}: accepted, want {want:?}")),
            Err(got) if got != want => failures.push(format!("{units:?}: got {got:?}, want {want:?}")),
            Err(_) => {}
        }
    }
    assert!(failures.is_empty(), "{} mismatches:\n{}", failures.len(), failures.join("\n"));
}
