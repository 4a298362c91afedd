//! Regular patterns on regex-automata.
//!
//! The HIR is built from our own parse, never from pattern text, with every class computed by
//! the same rules the backtracker uses ([`crate::prog`]): a literal under IGNORECASE becomes
//! the set of characters whose Python lower case matches, `\w \d \s` are Python's tables.
//!
//! Only patterns whose leftmost-first answer is provably CPython's are accepted:
//! - no backreferences, lookaround, conditionals, atomic groups or possessive repeats;
//! - no repeat of something that can match the empty string (CPython stops such loops by its
//!   own rule);
//! - no `\b`/`\B` with Unicode classes (regex-automata's Unicode word differs from Python's
//!   `str.isalnum`): these are compiled with ASCII boundaries and run here only on ASCII text;
//! - `$` without MULTILINE ("the end, or before a final newline") is compiled as the end, and
//!   runs here only when the text before `endpos` does not end with a newline;
//! - IGNORECASE sets with categories or non-BMP ranges are left to the backtracker.
//!
//! [`Automaton::usable`] tells the glue whether a given search may run here.

use std::sync::OnceLock;

use regex_automata::meta;
use regex_automata::util::syntax;
use regex_syntax::hir::{
    self, Capture, Class, ClassBytes, ClassBytesRange, ClassUnicode, ClassUnicodeRange, Hir, Look,
};

use crate::ast::{At, Category, Flags, Greed, MAXREPEAT, Node, Parsed};
use crate::prog::{CharSet, Lower, One, combine, one_of};
use crate::unicode;

/// A regular pattern compiled to regex-automata.
#[derive(Clone, Debug)]
pub(crate) struct Automaton {
    pub re: meta::Regex,
    /// The pattern followed by the end, for `fullmatch` (the highest-priority match that ends
    /// at `endpos`, which is what CPython's backtracking finds): built on first use.
    full: OnceLock<Option<meta::Regex>>,
    hir: Hir,
    is_bytes: bool,
    /// The pattern has a `$` that stands for Python's "end or before a final newline".
    needs_no_final_newline: bool,
    /// The pattern has a Unicode `\b`/`\B`, compiled as ASCII boundaries.
    needs_ascii: bool,
    /// For each group, its parent group (0 for none): `lastindex` from spans.
    pub parents: Vec<usize>,
    /// Whether the automaton's answers are CPython's. When `false` the pattern repeats
    /// something that can match the empty string, where CPython's iteration rule differs, but
    /// the language is the same: the automaton still says exactly *where* the leftmost match
    /// starts (or that there is none), and the backtracker finds which match it is.
    pub exact: bool,
}

impl Automaton {
    /// The automaton for `fullmatch`.
    pub fn full(&self) -> Option<&meta::Regex> {
        self.full
            .get_or_init(|| compile_hir(&Hir::concat(vec![self.hir.clone(), Hir::look(Look::End)]), self.is_bytes))
            .as_ref()
    }

    /// Whether a search of `hay[..endpos]` may run on the automaton.
    #[inline]
    pub fn usable(&self, hay: &[u8], endpos: usize, ascii: Option<bool>) -> bool {
        if self.needs_no_final_newline && endpos > 0 && hay[endpos - 1] == b'\n' {
            return false;
        }
        if self.needs_ascii {
            return ascii.unwrap_or_else(|| hay.is_ascii());
        }
        true
    }
}

struct Builder {
    is_bytes: bool,
    /// Accept repeats of possibly-empty bodies (a non-exact automaton).
    relaxed: bool,
    needs_no_final_newline: bool,
    needs_ascii: bool,
    parents: Vec<usize>,
    names: Vec<Option<String>>,
}

/// Compile `parsed` to an automaton when it is regular in the sense above.
pub(crate) fn build(parsed: &Parsed, is_bytes: bool) -> Option<Automaton> {
    build_with(parsed, is_bytes, false).or_else(|| build_with(parsed, is_bytes, true))
}

fn build_with(parsed: &Parsed, is_bytes: bool, relaxed: bool) -> Option<Automaton> {
    let mut names = vec![None; parsed.groups + 1];
    for (name, index) in &parsed.group_names {
        names[*index] = Some(name.clone());
    }
    let mut b = Builder {
        is_bytes,
        relaxed,
        needs_no_final_newline: false,
        needs_ascii: false,
        parents: vec![0; parsed.groups + 1],
        names,
    };
    let body = b.seq(&parsed.body, parsed.flags.0, 0)?;
    let hir = Hir::capture(Capture { index: 0, name: None, sub: Box::new(body) });
    let re = compile_hir(&hir, is_bytes)?;
    Some(Automaton {
        re,
        full: OnceLock::new(),
        hir,
        is_bytes,
        needs_no_final_newline: b.needs_no_final_newline,
        needs_ascii: b.needs_ascii,
        parents: b.parents,
        exact: !relaxed,
    })
}

fn compile_hir(hir: &Hir, is_bytes: bool) -> Option<meta::Regex> {
    let config = meta::Config::new()
        .match_kind(regex_automata::MatchKind::LeftmostFirst)
        .utf8_empty(!is_bytes)
        .nfa_size_limit(Some(20 << 20))
        .dfa_size_limit(Some(20 << 20));
    meta::Builder::new().configure(config).syntax(syntax::Config::new().utf8(!is_bytes)).build_from_hir(hir).ok()
}

impl Builder {
    fn seq(&mut self, nodes: &[Node], flags: u32, parent: usize) -> Option<Hir> {
        let mut items = Vec::with_capacity(nodes.len());
        for node in nodes {
            items.push(self.node(node, flags, parent)?);
        }
        Some(Hir::concat(items))
    }

    fn node(&mut self, node: &Node, flags: u32, parent: usize) -> Option<Hir> {
        if let Some(one) = one_of(node, flags) {
            return self.class(&one);
        }
        Some(match node {
            Node::At(at) => {
                let multi = flags & Flags::MULTILINE != 0;
                let unicode_classes = flags & Flags::UNICODE != 0 && flags & Flags::LOCALE == 0;
                let look = match at {
                    At::Beginning if multi => Look::StartLF,
                    At::Beginning | At::BeginningString => Look::Start,
                    At::End if multi => Look::EndLF,
                    At::End => {
                        self.needs_no_final_newline = true;
                        Look::End
                    }
                    At::EndString => Look::End,
                    At::Boundary | At::NonBoundary => {
                        // CPython: no boundary at all in an empty string, even for \B.
                        if *at == At::NonBoundary {
                            return None;
                        }
                        if unicode_classes {
                            self.needs_ascii = true;
                        }
                        Look::WordAscii
                    }
                };
                Hir::look(look)
            }
            Node::Branch(alts) => {
                let mut out = Vec::with_capacity(alts.len());
                for alt in alts {
                    out.push(self.seq(alt, flags, parent)?);
                }
                Hir::alternation(out)
            }
            Node::Repeat { min, max, greed, body } => {
                if *greed == Greed::Possessive || (min_width(body) == 0 && !self.relaxed) {
                    return None;
                }
                let sub = self.seq(body, flags, parent)?;
                Hir::repetition(hir::Repetition {
                    min: *min,
                    max: (*max != MAXREPEAT).then_some(*max),
                    greedy: *greed == Greed::Greedy,
                    sub: Box::new(sub),
                })
            }
            Node::Group { group, add_flags, del_flags, body } => {
                let inner = combine(flags, *add_flags, *del_flags);
                match group {
                    Some(g) => {
                        self.parents[*g] = parent;
                        let sub = self.seq(body, inner, *g)?;
                        let name = self.names[*g].clone().map(Box::from);
                        Hir::capture(Capture { index: u32::try_from(*g).ok()?, name, sub: Box::new(sub) })
                    }
                    None => self.seq(body, inner, parent)?,
                }
            }
            _ => return None,
        })
    }

    fn class(&self, one: &One) -> Option<Hir> {
        let max = if self.is_bytes { 0xFF } else { 0x10FFFF };
        let (ranges, negate) = match one {
            One::Char(c) => return Some(self.literal(*c)),
            One::NotChar(c) => (vec![(*c, *c)], true),
            One::CharLower(lo, lower) => (matching_lower(&[(*lo, *lo)], *lower), false),
            One::NotCharLower(lo, lower) => (matching_lower(&[(*lo, *lo)], *lower), true),
            One::Any => (vec![(u32::from(b'\n'), u32::from(b'\n'))], true),
            One::AnyAll => (vec![(0, max)], false),
            One::Set(set) => set_ranges(set)?,
        };
        let mut ranges = normalize(ranges);
        if negate {
            ranges = complement(&ranges, max);
        }
        Some(self.hir_class(&ranges))
    }

    fn literal(&self, c: u32) -> Hir {
        if self.is_bytes {
            return Hir::literal(vec![c as u8]);
        }
        match char::from_u32(c) {
            Some(ch) => Hir::literal(ch.encode_utf8(&mut [0; 4]).as_bytes().to_vec()),
            // A lone surrogate never appears in UTF-8 text.
            None => Hir::fail(),
        }
    }

    fn hir_class(&self, ranges: &[(u32, u32)]) -> Hir {
        if self.is_bytes {
            let ranges = ranges
                .iter()
                .filter(|&&(a, _)| a <= 0xFF)
                .map(|&(a, b)| ClassBytesRange::new(a as u8, b.min(0xFF) as u8));
            return Hir::class(Class::Bytes(ClassBytes::new(ranges)));
        }
        let mut out = Vec::with_capacity(ranges.len() + 1);
        for &(a, b) in ranges {
            // Surrogates are not characters of UTF-8 text: cut them out.
            let pieces = [(a, b.min(0xD7FF)), (a.max(0xE000), b)];
            for (x, y) in pieces {
                if x <= y
                    && let (Some(x), Some(y)) = (char::from_u32(x), char::from_u32(y))
                {
                    out.push(ClassUnicodeRange::new(x, y));
                }
            }
        }
        Hir::class(Class::Unicode(ClassUnicode::new(out)))
    }
}

/// The characters a set matches, as ranges, and whether they are negated.
fn set_ranges(set: &CharSet) -> Option<(Vec<(u32, u32)>, bool)> {
    if !set.wide.is_empty() || (set.lower != Lower::No && !set.cats.is_empty()) {
        return None;
    }
    // The lowered set: the bitmap below 256 and the ranges above.
    let mut lowered: Vec<(u32, u32)> = Vec::new();
    for c in 0..256u32 {
        if set.low[(c >> 6) as usize] >> (c & 63) & 1 == 1 {
            lowered.push((c, c));
        }
    }
    lowered.extend(set.ranges.iter().copied());
    let mut ranges = if set.lower == Lower::No { lowered } else { matching_lower(&normalize(lowered), set.lower) };
    if set.lower == Lower::No {
        for &cat in &set.cats {
            ranges.extend(category_ranges(cat, set.classes == crate::prog::Classes::Unicode));
        }
    }
    Some((ranges, set.negate))
}

/// `{ch : lower(ch) in lowered}`: `lowered` minus the characters lower-casing changes, plus
/// every character whose lower case is in `lowered`.
fn matching_lower(lowered: &[(u32, u32)], lower: Lower) -> Vec<(u32, u32)> {
    let lowered = normalize(lowered.to_vec());
    /// For one case rule: the sorted characters that lower-casing changes, and the
    /// `(lower(c), c)` pairs for them sorted by lower case.
    struct Table {
        changed: Vec<u32>,
        by_lower: Vec<(u32, u32)>,
    }
    fn table(pairs: impl Iterator<Item = (u32, u32)>) -> Table {
        let mut by_lower: Vec<(u32, u32)> = pairs.map(|(c, lo)| (lo, c)).collect();
        let mut changed: Vec<u32> = by_lower.iter().map(|&(_, c)| c).collect();
        changed.sort_unstable();
        by_lower.sort_unstable();
        Table { changed, by_lower }
    }
    static ASCII: OnceLock<Table> = OnceLock::new();
    static UNICODE: OnceLock<Table> = OnceLock::new();
    // Computed once: a pattern under IGNORECASE asks for every literal it has.
    let Table { changed, by_lower } = match lower {
        Lower::No => return lowered,
        Lower::Ascii => ASCII.get_or_init(|| table((u32::from(b'A')..=u32::from(b'Z')).map(|c| (c, c + 32)))),
        Lower::Unicode => UNICODE.get_or_init(|| table(unicode::lower_pairs().iter().copied())),
    };
    let mut out = Vec::with_capacity(lowered.len());
    // Remove the changed characters from the lowered ranges.
    for &(a, b) in &lowered {
        let mut start = a;
        let first = changed.partition_point(|&c| c < a);
        for &c in changed[first..].iter().take_while(|&&c| c <= b) {
            if c > start {
                out.push((start, c - 1));
            }
            start = c + 1;
        }
        if start <= b {
            out.push((start, b));
        }
    }
    // Add the characters whose lower case is in the lowered ranges.
    for &(a, b) in &lowered {
        let first = by_lower.partition_point(|&(lo, _)| lo < a);
        out.extend(by_lower[first..].iter().take_while(|&&(lo, _)| lo <= b).map(|&(_, c)| (c, c)));
    }
    normalize(out)
}

fn normalize(mut ranges: Vec<(u32, u32)>) -> Vec<(u32, u32)> {
    ranges.sort_unstable();
    let mut out: Vec<(u32, u32)> = Vec::with_capacity(ranges.len());
    for (a, b) in ranges {
        match out.last_mut() {
            Some(last) if a <= last.1.saturating_add(1) => last.1 = last.1.max(b),
            _ => out.push((a, b)),
        }
    }
    out
}

fn complement(ranges: &[(u32, u32)], max: u32) -> Vec<(u32, u32)> {
    let mut out = Vec::new();
    let mut next = 0u32;
    for &(a, b) in ranges {
        if a > next {
            out.push((next, a - 1));
        }
        next = b.saturating_add(1);
    }
    if next <= max {
        out.push((next, max));
    }
    out
}

/// The shortest text `nodes` can match (0 when they can match the empty string).
fn min_width(nodes: &[Node]) -> u64 {
    nodes.iter().map(node_min_width).fold(0u64, u64::saturating_add)
}

fn node_min_width(node: &Node) -> u64 {
    match node {
        Node::Literal(_) | Node::NotLiteral(_) | Node::Any | Node::In(_) => 1,
        Node::Branch(alts) => alts.iter().map(|a| min_width(a)).min().unwrap_or(0),
        Node::Repeat { min, body, .. } => min_width(body).saturating_mul(u64::from(*min)),
        Node::Group { body, .. } | Node::Atomic(body) => min_width(body),
        Node::GroupRefExists { yes, no, .. } => min_width(yes).min(no.as_deref().map_or(0, min_width)),
        Node::At(_) | Node::GroupRef(_) | Node::Assert { .. } => 0,
    }
}

/// The characters of a category (`\\d`, `\\W`, ...), Python's Unicode or ASCII definition.
fn category_ranges(cat: Category, unicode_classes: bool) -> Vec<(u32, u32)> {
    const ASCII_DIGIT: &[(u32, u32)] = &[(0x30, 0x39)];
    const ASCII_SPACE: &[(u32, u32)] = &[(0x09, 0x0D), (0x20, 0x20)];
    const ASCII_WORD: &[(u32, u32)] = &[(0x30, 0x39), (0x41, 0x5A), (0x5F, 0x5F), (0x61, 0x7A)];
    let (table, negated): (&[(u32, u32)], bool) = match (cat, unicode_classes) {
        (Category::Digit | Category::NotDigit, false) => (ASCII_DIGIT, cat == Category::NotDigit),
        (Category::Space | Category::NotSpace, false) => (ASCII_SPACE, cat == Category::NotSpace),
        (Category::Word | Category::NotWord, false) => (ASCII_WORD, cat == Category::NotWord),
        (Category::Digit | Category::NotDigit, true) => (unicode::digit_ranges(), cat == Category::NotDigit),
        (Category::Space | Category::NotSpace, true) => (unicode::space_ranges(), cat == Category::NotSpace),
        (Category::Word | Category::NotWord, true) => (unicode::word_ranges(), cat == Category::NotWord),
    };
    if negated { complement(&normalize(table.to_vec()), 0x10FFFF) } else { table.to_vec() }
}
