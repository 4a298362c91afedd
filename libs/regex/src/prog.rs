//! The backtracking program: what CPython's `re._compiler` makes of a parsed pattern, in a form
//! our matcher ([`crate::vm`]) runs.
//!
//! Every Python rule that depends on the flags is resolved here, once: which characters a
//! literal matches under IGNORECASE (`_sre`'s lower-case rule plus `re._casefix`'s extra
//! cases), what `\w \d \s \b` mean (ASCII, Unicode or locale), what `^ $ .` mean (MULTILINE,
//! DOTALL). Possessive repeats become atomic groups of atomic iterations, which is what
//! `POSSESSIVE_REPEAT` does.

use crate::ast::{At, Category, Flags, Greed, MAXREPEAT, Node, Parsed, SetItem};
use crate::unicode;

/// How characters are lower-cased before comparing (IGNORECASE).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Lower {
    /// Case-sensitive.
    No,
    /// ASCII letters only (bytes patterns, `re.ASCII`, `re.LOCALE`).
    Ascii,
    /// Python's Unicode simple lower case.
    Unicode,
}

impl Lower {
    #[inline(always)]
    pub(crate) fn apply(self, c: u32) -> u32 {
        match self {
            Lower::No => c,
            Lower::Ascii => unicode::ascii_lower(c),
            Lower::Unicode => unicode::lower(c),
        }
    }
}

/// Which definition of `\w \d \s` applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Classes {
    /// ASCII only (bytes patterns, `re.ASCII`; and `re.LOCALE`, see `unicode`).
    Ascii,
    /// Python's Unicode definitions.
    Unicode,
}

impl Classes {
    #[inline]
    pub(crate) fn is_word(self, c: u32) -> bool {
        match self {
            Classes::Ascii => unicode::ascii_is_word(c),
            Classes::Unicode => unicode::is_word(c),
        }
    }

    pub(crate) fn category(self, cat: Category, c: u32) -> bool {
        type Test = fn(u32) -> bool;
        let (ascii, uni): (Test, Test) = match cat {
            Category::Digit | Category::NotDigit => (unicode::ascii_is_digit, unicode::is_digit),
            Category::Space | Category::NotSpace => (unicode::ascii_is_space, unicode::is_space),
            Category::Word | Category::NotWord => (unicode::ascii_is_word, unicode::is_word),
        };
        let yes = match self {
            Classes::Ascii => ascii(c),
            Classes::Unicode => uni(c),
        };
        let negated = matches!(cat, Category::NotDigit | Category::NotSpace | Category::NotWord);
        yes != negated
    }
}

/// A character set (`IN`) with its flags resolved.
#[derive(Clone, Debug)]
pub(crate) struct CharSet {
    /// `[^...]`.
    pub negate: bool,
    /// Applied to the haystack character before the tests.
    pub lower: Lower,
    /// The answer (before `negate`) for lowered characters below 256.
    pub low: [u64; 4],
    /// Sorted inclusive ranges for lowered characters from 256.
    pub ranges: Vec<(u32, u32)>,
    /// `RANGE_UNI_IGNORE` tests for non-BMP ranges: the lowered character or its upper case in
    /// the range.
    pub wide: Vec<(u32, u32)>,
    /// Categories.
    pub cats: Vec<Category>,
    /// What the categories mean.
    pub classes: Classes,
}

impl CharSet {
    #[inline]
    pub(crate) fn matches(&self, ch: u32) -> bool {
        let c = self.lower.apply(ch);
        let hit = if c < 256 { self.low[(c >> 6) as usize] >> (c & 63) & 1 == 1 } else { self.slow(c) };
        hit != self.negate
    }

    fn slow(&self, c: u32) -> bool {
        let i = self.ranges.partition_point(|&(_, hi)| hi < c);
        if i < self.ranges.len() && self.ranges[i].0 <= c {
            return true;
        }
        if self.wide.iter().any(|&(lo, hi)| (lo..=hi).contains(&c) || (lo..=hi).contains(&unicode::upper(c))) {
            return true;
        }
        self.cats.iter().any(|&cat| self.classes.category(cat, c))
    }
}

/// A test of one character.
#[derive(Clone, Debug)]
pub(crate) enum One {
    /// Exactly this character.
    Char(u32),
    /// Anything but this character.
    NotChar(u32),
    /// A character whose lower case is this (`LITERAL_*_IGNORE`).
    CharLower(u32, Lower),
    /// A character whose lower case is not this.
    NotCharLower(u32, Lower),
    /// `.` without DOTALL: anything but `\n`.
    Any,
    /// `.` with DOTALL.
    AnyAll,
    /// A set.
    Set(Box<CharSet>),
}

impl One {
    #[inline(always)]
    pub(crate) fn matches(&self, ch: u32) -> bool {
        match *self {
            One::Char(c) => ch == c,
            One::NotChar(c) => ch != c,
            One::CharLower(c, lower) => lower.apply(ch) == c,
            One::NotCharLower(c, lower) => lower.apply(ch) != c,
            One::Any => ch != u32::from(b'\n'),
            One::AnyAll => true,
            One::Set(ref set) => set.matches(ch),
        }
    }
}

/// A zero-width test with its flags resolved.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Look {
    /// `\A`, and `^` without MULTILINE: the start of the string (not `pos`).
    Start,
    /// `^` with MULTILINE.
    StartLine,
    /// `$` without MULTILINE: the end, or before a final `\n`.
    End,
    /// `$` with MULTILINE.
    EndLine,
    /// `\Z`.
    EndString,
    /// `\b`.
    Boundary(Classes),
    /// `\B`.
    NonBoundary(Classes),
}

/// One instruction.
#[derive(Clone, Debug)]
pub(crate) enum Inst {
    /// Consume one character passing the test.
    One(One),
    /// A zero-width test.
    Look(Look),
    /// Go to the first target; on backtracking, to the second.
    Split(usize, usize),
    /// Go to the target.
    Jmp(usize),
    /// Record the position in a capture slot (`MARK`); closing slots set `lastindex`.
    Save(usize),
    /// Match the text of a group again.
    GroupRef(usize, Lower),
    /// Continue when the group has matched, else go to the target.
    IfGroup(usize, usize),
    /// Start a general repeat (`REPEAT`): its counter is reset, then go to its `Until`.
    RepeatInit { id: usize, until: usize },
    /// The loop test of a general repeat (`MAX_UNTIL`/`MIN_UNTIL`).
    Until { id: usize, min: u32, max: u32, greedy: bool, body: usize, exit: usize },
    /// A repeat of a single-character test (`REPEAT_ONE`/`MIN_REPEAT_ONE`); the tail follows.
    RepeatOne { one: One, min: u32, max: u32, greed: Greed },
    /// Enter an atomic group (its register keeps the backtrack-stack height).
    AtomicStart(usize),
    /// Leave an atomic group: drop its backtracking choices.
    AtomicEnd(usize),
    /// Enter a lookaround: `behind` characters back; `end` is the instruction after its
    /// `LookEnd`.
    LookStart { reg: usize, behind: usize, negate: bool, end: usize },
    /// The lookaround's body matched.
    LookEnd { reg: usize, negate: bool },
    /// Success (with `fullmatch`, only at the end).
    Match,
}

/// A compiled program.
#[derive(Clone, Debug)]
pub(crate) struct Prog {
    pub insts: Vec<Inst>,
    /// Capture slots: two per group, group 0 included.
    pub slots: usize,
    /// Counters of general repeats.
    pub repeats: usize,
    /// Registers of atomic groups and lookarounds.
    pub regs: usize,
    /// A literal every match starts with (case-sensitive), for a memmem prefilter.
    pub prefix: Vec<u8>,
    /// The pattern can only match at the start of the string (`\A`, or `^` without MULTILINE).
    pub anchored_start: bool,
}

struct Compiler {
    insts: Vec<Inst>,
    repeats: usize,
    regs: usize,
}

/// Compile a parsed pattern. `is_bytes` is whether it is a bytes pattern.
pub(crate) fn compile(parsed: &Parsed, is_bytes: bool) -> Prog {
    let mut c = Compiler { insts: Vec::new(), repeats: 0, regs: 0 };
    c.seq(&parsed.body, parsed.flags.0);
    c.insts.push(Inst::Match);
    let prefix = literal_prefix(&parsed.body, parsed.flags.0, is_bytes);
    let anchored_start = starts_anchored(&parsed.body, parsed.flags.0);
    Prog { insts: c.insts, slots: 2 * (parsed.groups + 1), repeats: c.repeats, regs: c.regs, prefix, anchored_start }
}

pub(crate) fn combine(flags: u32, add: u32, del: u32) -> u32 {
    // `_combine_flags`: a scoped ASCII/UNICODE/LOCALE replaces the others.
    let type_flags = Flags::ASCII | Flags::LOCALE | Flags::UNICODE;
    let mut flags = flags;
    if add & type_flags != 0 {
        flags &= !type_flags;
    }
    (flags | add) & !del
}

fn lower_of(flags: u32) -> Lower {
    if flags & Flags::IGNORECASE == 0 {
        Lower::No
    } else if flags & Flags::UNICODE != 0 && flags & Flags::LOCALE == 0 {
        Lower::Unicode
    } else {
        Lower::Ascii
    }
}

fn classes_of(flags: u32) -> Classes {
    if flags & Flags::UNICODE != 0 && flags & Flags::LOCALE == 0 { Classes::Unicode } else { Classes::Ascii }
}

fn is_cased(lower: Lower, c: u32) -> bool {
    match lower {
        Lower::No => false,
        Lower::Ascii => unicode::ascii_is_cased(c),
        Lower::Unicode => unicode::is_cased(c),
    }
}

impl Compiler {
    fn emit(&mut self, inst: Inst) -> usize {
        self.insts.push(inst);
        self.insts.len() - 1
    }

    fn seq(&mut self, nodes: &[Node], flags: u32) {
        for node in nodes {
            self.node(node, flags);
        }
    }

    fn node(&mut self, node: &Node, flags: u32) {
        if let Some(one) = one_of(node, flags) {
            self.emit(Inst::One(one));
            return;
        }
        match node {
            Node::At(at) => {
                let multi = flags & Flags::MULTILINE != 0;
                let look = match at {
                    At::Beginning if multi => Look::StartLine,
                    At::Beginning | At::BeginningString => Look::Start,
                    At::End if multi => Look::EndLine,
                    At::End => Look::End,
                    At::EndString => Look::EndString,
                    At::Boundary => Look::Boundary(classes_of(flags)),
                    At::NonBoundary => Look::NonBoundary(classes_of(flags)),
                };
                self.emit(Inst::Look(look));
            }
            Node::Branch(alts) => {
                let mut jumps = Vec::new();
                for (i, alt) in alts.iter().enumerate() {
                    if i + 1 < alts.len() {
                        let split = self.emit(Inst::Split(0, 0));
                        self.seq(alt, flags);
                        jumps.push(self.emit(Inst::Jmp(0)));
                        let next = self.insts.len();
                        self.insts[split] = Inst::Split(split + 1, next);
                    } else {
                        self.seq(alt, flags);
                    }
                }
                let end = self.insts.len();
                for j in jumps {
                    self.insts[j] = Inst::Jmp(end);
                }
            }
            Node::Repeat { min, max, greed, body } => self.repeat(*min, *max, *greed, body, flags),
            Node::Group { group, add_flags, del_flags, body } => {
                if let Some(g) = group {
                    self.emit(Inst::Save(2 * g));
                }
                self.seq(body, combine(flags, *add_flags, *del_flags));
                if let Some(g) = group {
                    self.emit(Inst::Save(2 * g + 1));
                }
            }
            Node::Atomic(body) => self.atomic(|c| c.seq(body, flags)),
            Node::GroupRef(g) => {
                self.emit(Inst::GroupRef(*g, lower_of(flags)));
            }
            Node::GroupRefExists { group, yes, no } => {
                let test = self.emit(Inst::IfGroup(*group, 0));
                self.seq(yes, flags);
                match no {
                    Some(no) => {
                        let jmp = self.emit(Inst::Jmp(0));
                        let else_pc = self.insts.len();
                        self.seq(no, flags);
                        let end = self.insts.len();
                        self.insts[jmp] = Inst::Jmp(end);
                        self.insts[test] = Inst::IfGroup(*group, else_pc);
                    }
                    None => {
                        let end = self.insts.len();
                        self.insts[test] = Inst::IfGroup(*group, end);
                    }
                }
            }
            Node::Assert { behind, negate, width, body } => {
                let reg = self.regs;
                self.regs += 1;
                let behind = if *behind { *width } else { 0 };
                let start = self.emit(Inst::LookStart { reg, behind, negate: *negate, end: 0 });
                self.seq(body, flags);
                self.emit(Inst::LookEnd { reg, negate: *negate });
                let end = self.insts.len();
                self.insts[start] = Inst::LookStart { reg, behind, negate: *negate, end };
            }
            Node::Literal(_) | Node::NotLiteral(_) | Node::Any | Node::In(_) => unreachable!("handled by one()"),
        }
    }

    fn atomic(&mut self, body: impl FnOnce(&mut Compiler)) {
        let reg = self.regs;
        self.regs += 1;
        self.emit(Inst::AtomicStart(reg));
        body(self);
        self.emit(Inst::AtomicEnd(reg));
    }

    fn repeat(&mut self, min: u32, max: u32, greed: Greed, body: &[Node], flags: u32) {
        if let Some(one) = self.single(body, flags) {
            self.emit(Inst::RepeatOne { one, min, max, greed });
            return;
        }
        if greed == Greed::Possessive {
            // POSSESSIVE_REPEAT: each iteration is atomic, and nothing backtracks into the
            // loop once it is done.
            self.atomic(|c| {
                let atom = Node::Atomic(body.to_vec());
                c.general_repeat(min, max, true, std::slice::from_ref(&atom), flags);
            });
            return;
        }
        self.general_repeat(min, max, greed == Greed::Greedy, body, flags);
    }

    fn general_repeat(&mut self, min: u32, max: u32, greedy: bool, body: &[Node], flags: u32) {
        let id = self.repeats;
        self.repeats += 1;
        let init = self.emit(Inst::RepeatInit { id, until: 0 });
        let until = self.emit(Inst::Until { id, min, max, greedy, body: 0, exit: 0 });
        self.insts[init] = Inst::RepeatInit { id, until };
        let body_pc = self.insts.len();
        self.seq(body, flags);
        self.emit(Inst::Jmp(until));
        let exit = self.insts.len();
        self.insts[until] = Inst::Until { id, min, max, greedy, body: body_pc, exit };
    }

    /// A repeat body that is one character test (`_simple`).
    fn single(&mut self, body: &[Node], flags: u32) -> Option<One> {
        match body {
            [node] => match node {
                Node::Group { group: None, add_flags, del_flags, body } => {
                    self.single(body, combine(flags, *add_flags, *del_flags))
                }
                _ => one_of(node, flags),
            },
            _ => None,
        }
    }
}

/// The one-character test of a node (`LITERAL`, `NOT_LITERAL`, `ANY`, `IN`) under `flags`.
pub(crate) fn one_of(node: &Node, flags: u32) -> Option<One> {
    let lower = lower_of(flags);
    Some(match *node {
        Node::Literal(c) | Node::NotLiteral(c) => {
            let not = matches!(node, Node::NotLiteral(_));
            if lower == Lower::No || !is_cased(lower, c) {
                if not { One::NotChar(c) } else { One::Char(c) }
            } else {
                let lo = lower.apply(c);
                let fixes = if lower == Lower::Unicode { unicode::ignorecase_fixes(lo) } else { &[] };
                if fixes.is_empty() {
                    if not { One::NotCharLower(lo, lower) } else { One::CharLower(lo, lower) }
                } else {
                    let mut items = vec![SetItem::Literal(lo)];
                    if not {
                        items.insert(0, SetItem::Negate);
                    }
                    items.extend(fixes.iter().map(|&k| SetItem::Literal(k)));
                    One::Set(Box::new(charset_lowered(&items, flags)))
                }
            }
        }
        Node::Any => {
            if flags & Flags::DOTALL != 0 {
                One::AnyAll
            } else {
                One::Any
            }
        }
        Node::In(ref items) => One::Set(Box::new(charset(items, flags))),
        _ => return None,
    })
}

/// `_optimize_charset` with the flags' case rule: the set of lowered characters.
fn charset(items: &[SetItem], flags: u32) -> CharSet {
    if flags & Flags::IGNORECASE != 0 && flags & Flags::LOCALE != 0 {
        return charset_locale_ignore(items, flags);
    }
    let lower = lower_of(flags);
    let classes = classes_of(flags);
    let mut negate = false;
    let mut hascased = false;
    let mut points: Vec<(u32, u32)> = Vec::new();
    let mut wide = Vec::new();
    let mut cats = Vec::new();
    let fixes = |lo: u32| if lower == Lower::Unicode { unicode::ignorecase_fixes(lo) } else { &[] };
    for item in items {
        match *item {
            SetItem::Negate => negate = true,
            SetItem::Category(cat) => cats.push(cat),
            SetItem::Literal(c) => {
                if lower == Lower::No {
                    points.push((c, c));
                    continue;
                }
                hascased |= is_cased(lower, c);
                let lo = lower.apply(c);
                points.push((lo, lo));
                if c > 0xFFFF {
                    // Non-BMP literals stay as such in CPython's charset tail.
                    points.push((c, c));
                }
                points.extend(fixes(lo).iter().map(|&k| (k, k)));
            }
            SetItem::Range(a, b) => {
                if lower == Lower::No {
                    points.push((a, b));
                    continue;
                }
                let bmp_hi = b.min(0xFFFF);
                if a <= bmp_hi {
                    for x in a..=bmp_hi {
                        hascased |= is_cased(lower, x);
                        let lo = lower.apply(x);
                        points.push((lo, lo));
                        points.extend(fixes(lo).iter().map(|&k| (k, k)));
                    }
                }
                if b > 0xFFFF {
                    hascased = true;
                    if lower == Lower::Unicode {
                        wide.push((a, b));
                    } else {
                        points.push((a.max(0x10000), b));
                    }
                }
            }
        }
    }
    let lower = if hascased { lower } else { Lower::No };
    if lower == Lower::No {
        // CPython emits a plain IN: the original items, not lowered ones.
        points.clear();
        wide.clear();
        for item in items {
            match *item {
                SetItem::Literal(c) => points.push((c, c)),
                SetItem::Range(a, b) => points.push((a, b)),
                _ => {}
            }
        }
    }
    build_set(negate, lower, points, wide, cats, classes)
}

/// `IN_LOC_IGNORE`: the set is kept as written (negation included) and a byte matches when its
/// lower or its upper case does, so `[^aB]` matches `B` (its lower case `b` is outside the set).
/// Only bytes patterns take LOCALE, so the table below 256 is the whole set.
fn charset_locale_ignore(items: &[SetItem], flags: u32) -> CharSet {
    let plain = charset(items, flags & !Flags::IGNORECASE);
    let mut set = CharSet {
        negate: false,
        lower: Lower::No,
        low: [0; 4],
        ranges: Vec::new(),
        wide: Vec::new(),
        cats: Vec::new(),
        classes: plain.classes,
    };
    for c in 0..256u32 {
        let (lo, up) = (unicode::ascii_lower(c), unicode::ascii_upper(c));
        if plain.matches(lo) || (up != lo && plain.matches(up)) {
            set.low[(c >> 6) as usize] |= 1 << (c & 63);
        }
    }
    set
}

/// A set of already-lowered literals (the IGNORECASE literal with extra cases).
fn charset_lowered(items: &[SetItem], flags: u32) -> CharSet {
    let mut negate = false;
    let mut points = Vec::new();
    for item in items {
        match *item {
            SetItem::Negate => negate = true,
            SetItem::Literal(c) => points.push((c, c)),
            _ => {}
        }
    }
    build_set(negate, lower_of(flags), points, Vec::new(), Vec::new(), classes_of(flags))
}

fn build_set(
    negate: bool,
    lower: Lower,
    mut points: Vec<(u32, u32)>,
    wide: Vec<(u32, u32)>,
    cats: Vec<Category>,
    classes: Classes,
) -> CharSet {
    points.sort_unstable();
    let mut ranges: Vec<(u32, u32)> = Vec::with_capacity(points.len());
    for (a, b) in points {
        match ranges.last_mut() {
            Some(last) if a <= last.1.saturating_add(1) => last.1 = last.1.max(b),
            _ => ranges.push((a, b)),
        }
    }
    let mut set = CharSet { negate: false, lower: Lower::No, low: [0; 4], ranges, wide, cats, classes };
    // The table below 256 is `slow` for each byte, filled by parts: patterns under IGNORECASE
    // have hundreds of sets, and a byte-by-byte `slow` was a tenth of their compile time.
    for &(a, b) in set.ranges.iter().take_while(|&&(a, _)| a < 256) {
        for c in a..=b.min(255) {
            set.low[(c >> 6) as usize] |= 1 << (c & 63);
        }
    }
    for &cat in &set.cats {
        let table = category_table(cat, classes);
        for (word, bits) in set.low.iter_mut().zip(table) {
            *word |= bits;
        }
    }
    if !set.wide.is_empty() {
        for c in 0..256u32 {
            if set.slow(c) {
                set.low[(c >> 6) as usize] |= 1 << (c & 63);
            }
        }
    }
    set.negate = negate;
    set.lower = lower;
    set
}

/// The bytes below 256 in a category, as a bitmap: computed once per category and class rule.
fn category_table(cat: Category, classes: Classes) -> [u64; 4] {
    static TABLES: std::sync::OnceLock<Vec<[u64; 4]>> = std::sync::OnceLock::new();
    const CATS: [Category; 6] =
        [Category::Digit, Category::NotDigit, Category::Space, Category::NotSpace, Category::Word, Category::NotWord];
    let tables = TABLES.get_or_init(|| {
        let mut tables = Vec::with_capacity(2 * CATS.len());
        for classes in [Classes::Ascii, Classes::Unicode] {
            for cat in CATS {
                let mut table = [0u64; 4];
                for c in 0..256u32 {
                    if classes.category(cat, c) {
                        table[(c >> 6) as usize] |= 1 << (c & 63);
                    }
                }
                tables.push(table);
            }
        }
        tables
    });
    let i = CATS.iter().position(|&c| c == cat).expect("every category is listed");
    tables[if classes == Classes::Unicode { CATS.len() + i } else { i }]
}

/// The literal text every match starts with, when the pattern begins with case-sensitive
/// literals (outside any group that could be skipped).
fn literal_prefix(nodes: &[Node], flags: u32, is_bytes: bool) -> Vec<u8> {
    let mut out = Vec::new();
    if flags & Flags::IGNORECASE != 0 {
        return out;
    }
    for node in nodes {
        match *node {
            Node::Literal(c) => {
                if is_bytes {
                    out.push(c as u8);
                } else {
                    match char::from_u32(c) {
                        Some(ch) => out.extend_from_slice(ch.encode_utf8(&mut [0; 4]).as_bytes()),
                        None => break,
                    }
                }
            }
            _ => break,
        }
    }
    out
}

fn starts_anchored(nodes: &[Node], flags: u32) -> bool {
    match nodes.first() {
        Some(Node::At(At::BeginningString)) => true,
        Some(Node::At(At::Beginning)) => flags & Flags::MULTILINE == 0,
        _ => false,
    }
}

/// `MAXREPEAT` as the matcher compares it.
pub(crate) const UNBOUNDED: u32 = MAXREPEAT;

#[cfg(test)]
mod tests {
    use super::*;

    /// The table below 256, filled by parts, is what `slow` answers byte by byte.
    #[test]
    fn byte_table_agrees_with_the_slow_test() {
        let items = [
            vec![SetItem::Category(Category::Digit)],
            vec![SetItem::Category(Category::NotWord), SetItem::Literal(0x41)],
            vec![SetItem::Range(0x30, 0x39), SetItem::Category(Category::Space)],
            vec![SetItem::Range(0x61, 0x1F600)],
            vec![SetItem::Negate, SetItem::Range(0xC0, 0x17F), SetItem::Category(Category::NotSpace)],
            vec![SetItem::Literal(0xDF), SetItem::Literal(0x212A), SetItem::Range(0xF0, 0x300)],
        ];
        for items in &items {
            for flags in [0, Flags::IGNORECASE, Flags::UNICODE, Flags::UNICODE | Flags::IGNORECASE, Flags::ASCII] {
                let set = charset(items, flags);
                for c in 0..256u32 {
                    let bit = set.low[(c >> 6) as usize] >> (c & 63) & 1 == 1;
                    assert_eq!(bit, set.slow(c), "{items:?} flags {flags} byte {c:#x}");
                }
            }
        }
    }
}
