//! The parser against CPython 3.11: trees and errors from `tests/data/parse_cases.rs`, which
//! `tests/data/gen_parse_cases.py` writes by running `python3` (CPython 3.11).

use pyaot_regex::ast::{At, Category, Greed, MAXREPEAT, Node, SetItem};
use pyaot_regex::{Error, ErrorKind, TemplateItem, WarningCategory, parse, parse_template, parse_template_warned};

#[path = "data/parse_cases.rs"]
mod cases;

/// A pattern: `"..."` is a str pattern, `b"..."` a bytes pattern.
trait Pattern {
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
struct Success {
    pattern: &'static dyn Pattern,
    flags: u32,
    tree: &'static str,
    final_flags: u32,
    groups: usize,
    names: &'static [(&'static str, usize)],
}

/// A pattern (and a replacement template for it, when `template` is set) with the warnings
/// CPython emits for it: `(category, message, nesting)`; `outcome` is `ok` or `err MSG`.
struct WarnCase {
    pattern: &'static dyn Pattern,
    template: Option<&'static dyn Pattern>,
    warnings: &'static [(WarningCategory, &'static str, usize)],
    outcome: &'static str,
}

/// Which exception CPython raises.
#[derive(Debug, PartialEq)]
enum Kind {
    /// `re.error`.
    Error,
    /// `ValueError` (`ErrorKind::Value`).
    Value,
    /// `OverflowError` (an `Error` without a position here).
    Overflow,
}

/// One pattern CPython rejects.
struct Failure {
    pattern: &'static dyn Pattern,
    flags: u32,
    kind: Kind,
    msg: &'static str,
    pos: Option<usize>,
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
                let names: Vec<(String, usize)> = case.names.iter().map(|&(n, g)| (n.to_string(), g)).collect();
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
        let kind = match case.kind {
            Kind::Error => ErrorKind::Re,
            Kind::Value => ErrorKind::Value,
            Kind::Overflow => ErrorKind::Overflow,
        };
        let want = Error { msg: case.msg.to_string(), pos: case.pos, kind };
        match parse(&units, is_str, case.flags) {
            Ok(_) => failures.push(format!("{units:?}: accepted, want {want:?}")),
            Err(got) if got != want => failures.push(format!("{units:?}: got {got:?}, want {want:?}")),
            Err(_) => {}
        }
    }
    assert!(failures.is_empty(), "{} mismatches:\n{}", failures.len(), failures.join("\n"));
}

/// `ok TREE|FLAGS|GROUPS` or `err MSG|POS`, as `gen_parse_cases.py` writes them.
fn outcome(units: &[u32], is_str: bool) -> String {
    match parse(units, is_str, 0) {
        Ok(p) => format!("ok {}|{}|{}", render(&p.body), p.flags.0, p.groups),
        Err(e) => format!("err {}|{}", e.msg, e.pos.map_or("None".to_string(), |p| p.to_string())),
    }
}

#[test]
fn random_patterns_match_cpython() {
    let mut failures = Vec::new();
    for &(pattern, want) in cases::RANDOM {
        let (units, is_str) = (&pattern).units();
        let got = outcome(&units, is_str);
        if got != want {
            failures.push(format!("{pattern:?}: got {got:?}, want {want:?}"));
        }
    }
    assert!(failures.is_empty(), "{} mismatches:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn templates_match_cpython() {
    let names = [("n".to_string(), 1)];
    let mut failures = Vec::new();
    for &(template, groups, want) in cases::TEMPLATES {
        let (units, is_str) = (&template).units();
        let names: &[(String, usize)] = if groups == 2 { &names } else { &[] };
        let got = match parse_template(&units, is_str, groups, names) {
            Ok(items) => {
                let parts: Vec<String> = items
                    .iter()
                    .map(|item| match item {
                        TemplateItem::Group(g) => format!("G{g}"),
                        TemplateItem::Literal(l) => {
                            let codes: Vec<String> = l.iter().map(u32::to_string).collect();
                            format!("L{}", codes.join(","))
                        }
                    })
                    .collect();
                format!("ok {}", parts.join(" "))
            }
            Err(e) => format!("err {}|{}", e.msg, e.pos.map_or("None".to_string(), |p| p.to_string())),
        };
        if got != want {
            failures.push(format!("{template:?} ({groups} groups): got {got:?}, want {want:?}"));
        }
    }
    assert!(failures.is_empty(), "{} mismatches:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn bytes_templates_stay_bytes() {
    let t: Vec<u32> = b"\\-\\377\xff".iter().map(|&b| u32::from(b)).collect();
    let items = parse_template(&t, false, 0, &[]).unwrap();
    let want: Vec<u32> = vec![92, 45, 0o377, 0xff];
    assert_eq!(items, vec![TemplateItem::Literal(want)]);
}

/// Deep nesting fails cleanly (CPython raises RecursionError near 500 levels) instead of
/// overflowing the stack, and so does every nesting construct.
#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let limit = 200;
    for open in ["(", "(?:", "(?=", "(?<=", "(?>", "(?i:", "(?P<n>", "(a)(?(1)"] {
        let ok: String = open.repeat(limit) + &")".repeat(limit);
        let units: Vec<u32> = ok.chars().map(u32::from).collect();
        let res = parse(&units, true, 0);
        if let Err(e) = &res {
            assert_ne!(e.msg, "pattern too deeply nested", "{open}");
        }
        let deep: String = open.repeat(100_000) + &")".repeat(100_000);
        let units: Vec<u32> = deep.chars().map(u32::from).collect();
        let err = parse(&units, true, 0).unwrap_err();
        assert!(
            err.msg == "pattern too deeply nested"
                || err.msg.starts_with("redefinition")
                || err.msg.starts_with("cannot refer"),
            "{open}: {err:?}"
        );
    }
}

/// Huge and odd inputs parse or fail without panicking.
#[test]
fn huge_inputs_do_not_panic() {
    let big = "a|".repeat(200_000) + "b";
    let units: Vec<u32> = big.chars().map(u32::from).collect();
    assert!(parse(&units, true, 0).is_ok());
    let groups = "(a)".repeat(20_000) + "\\20000";
    let units: Vec<u32> = groups.chars().map(u32::from).collect();
    assert_eq!(parse(&units, true, 0).unwrap().groups, 20_000);
    let set = format!("[{}]", "a-z\\d".repeat(50_000));
    let units: Vec<u32> = set.chars().map(u32::from).collect();
    assert!(parse(&units, true, 0).is_ok());
    // Code points beyond Unicode and lone surrogates (possible in Python str).
    for units in [vec![0xD800], vec![0x5B, 0xDFFF, 0x2D, 0x61, 0x5D], vec![0x28, 0x3F, 0x50, 0x3C, 0xD800, 0x3E, 0x29]]
    {
        let _ = parse(&units, true, 0);
        let _ = parse_template(&units, true, 0, &[]);
    }
    // Every short pattern over a small alphabet, str and bytes.
    let alphabet: Vec<u32> = "()?P<>=!|*+{}[]^$\\1-:#x,ia".chars().map(u32::from).collect();
    let n = alphabet.len();
    for i in 0..n * n * n {
        let units = [alphabet[i % n], alphabet[i / n % n], alphabet[i / n / n % n]];
        for is_str in [true, false] {
            let _ = parse(&units, is_str, 0);
            let _ = parse_template(&units, is_str, 1, &[]);
        }
    }
}

/// The warnings of patterns and templates against CPython's `warnings.warn` calls: category,
/// message and nesting, in order. A parse that fails returns no warnings (CPython emits the ones
/// found before the error), so for those only the error is checked.
#[test]
fn warnings_match_cpython() {
    let mut failures = Vec::new();
    for case in cases::WARNINGS {
        let (units, is_str) = case.pattern.units();
        let parsed = parse(&units, is_str, 0);
        let got = match (case.template, &parsed) {
            (None, Ok(p)) => Ok(p.warnings.clone()),
            (None, Err(e)) => Err(e.clone()),
            (Some(t), Ok(p)) => {
                let (t, t_is_str) = t.units();
                parse_template_warned(&t, t_is_str, p.groups, &p.group_names)
                    .0
                    .map(|_| parse_template_warned(&t, t_is_str, p.groups, &p.group_names).1)
            }
            (Some(_), Err(e)) => {
                failures.push(format!("{units:?}: pattern error {e:?}"));
                continue;
            }
        };
        let got = match got {
            Ok(w) => {
                let w: Vec<_> = w.into_iter().map(|w| (w.category, w.msg, w.nesting)).collect();
                format!("ok {w:?}")
            }
            Err(e) => format!("err {}", e.msg),
        };
        let want = if case.outcome == "ok" {
            let w: Vec<_> = case.warnings.iter().map(|&(c, m, n)| (c, m.to_string(), n)).collect();
            format!("ok {w:?}")
        } else {
            case.outcome.to_string()
        };
        if got != want {
            failures.push(format!("{units:?} {:?}: got {got}, want {want}", case.template.map(|t| t.units().0)));
        }
    }
    assert!(failures.is_empty(), "{} mismatches:\n{}", failures.len(), failures.join("\n"));
}
