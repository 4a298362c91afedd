//! The pattern parser: a port of CPython 3.11's `re._parser.parse` (and the look-behind checks of
//! `re._compiler`), with the same accepted syntax, tree shape, messages and positions.
//!
//! Known differences from CPython 3.11, all deliberate or bounded:
//! - CPython recurses once per nesting level and raises `RecursionError` for about 500 nested
//!   groups; we accept up to [`MAX_NESTING`] (200) nested groups and then fail with the `re.error`
//!   "pattern too deeply nested" at the opening parenthesis, so nothing here (or in the later
//!   passes that walk the tree) can overflow the stack.
//! - "the repetition number is too large" is an `OverflowError` in CPython; it is an [`Error`]
//!   without a position here.
//! - `\N{...}` uses `unicode_names2` (Unicode 17 names, CPython 3.11 has Unicode 14), so names of
//!   characters added after Unicode 14 are accepted. Canonical names are matched as CPython does
//!   (ASCII case-insensitively, exact spelling; `HANGUL SYLLABLE` and `CJK UNIFIED IDEOGRAPH`
//!   names exactly); a name that is not a canonical name is looked up among the aliases with the
//!   crate's loose matching (so `LINEFEED` is accepted where CPython wants `LINE FEED`).
//! - Identifiers (`str.isidentifier`) use `unicode-ident` (a newer Unicode than 14.0); a few
//!   messages quote names with `repr`, whose "printable" test is approximated by "has a Unicode
//!   name and is not a format or separator character"; "unknown flag" versus "missing ..." uses
//!   Rust's `is_alphabetic` for non-ASCII characters where CPython uses `str.isalpha`. Lone
//!   surrogates quoted in a message are written as `\udxxx`.

use std::collections::HashMap;

use crate::ast::{
    At, Category, Error, ErrorKind, Flags, Greed, MAXGROUPS, MAXREPEAT, Node, Parsed, SetItem, Warning, WarningCategory,
};

/// The deepest group nesting accepted. CPython itself stops near 500 with `RecursionError`; we
/// stop at 200 so that this recursive parser (about 5 KiB of stack a level in debug builds) and
/// the passes that walk the tree fit a 2 MiB thread stack with room to spare.
pub const MAX_NESTING: usize = 200;

/// `MAXWIDTH = 1 << 64`: the cap of [`width`].
const MAXWIDTH: u128 = 1 << 64;
/// `_sre.MAXCODE` for 4-byte code words: the largest look-behind width.
const MAXCODE: u128 = u32::MAX as u128;

const VERBOSE: u32 = Flags::VERBOSE;
const TYPE_FLAGS: u32 = Flags::ASCII | Flags::LOCALE | Flags::UNICODE;
const GLOBAL_FLAGS: u32 = Flags::DEBUG | Flags::TEMPLATE;

/// Parses `pattern` as `re._parser.parse(pattern, flags)` does, then runs the look-behind width
/// checks that CPython makes when compiling.
///
/// `pattern` holds the pattern's code points (`is_str`) or byte values (bytes pattern); error
/// positions index into it.
///
/// ```
/// let p: Vec<u32> = "(?P<x>a|b)+".chars().map(u32::from).collect();
/// let parsed = pyaot_regex::parse(&p, true, 0).unwrap();
/// assert_eq!(parsed.groups, 1);
/// assert_eq!(parsed.group_names, vec![("x".to_string(), 1)]);
/// ```
///
/// The warnings CPython emits (`FutureWarning`s for possible set operations, `DeprecationWarning`s
/// for group names it still accepts) are in [`Parsed::warnings`], in CPython's order.
///
/// # Errors
///
/// Every `re.error` CPython raises for the pattern, with its message and position, and the
/// `ValueError`s of `fix_flags` for incompatible argument flags ([`ErrorKind::Value`]). The
/// warnings CPython emits before raising (such as the `DeprecationWarning` for the non-ASCII
/// name of `(?P=\xb5)` in a bytes pattern, before "unknown group name") are not returned.
pub fn parse(pattern: &[u32], is_str: bool, flags: u32) -> Result<Parsed, Error> {
    parse_warned(pattern, is_str, flags).0
}

/// [`parse`], with the warnings CPython emits whether or not it then raises (they are also in
/// [`Parsed::warnings`] on success).
pub fn parse_warned(pattern: &[u32], is_str: bool, flags: u32) -> (Result<Parsed, Error>, Vec<Warning>) {
    let mut source = match Tokenizer::new(pattern, is_str) {
        Ok(source) => source,
        Err(e) => return (Err(e), Vec::new()),
    };
    let result = parse_source(&mut source, is_str, flags);
    let warnings = std::mem::take(&mut source.warnings);
    match result {
        Ok(mut parsed) => {
            parsed.warnings = warnings.clone();
            (Ok(parsed), warnings)
        }
        Err(e) => (Err(e), warnings),
    }
}

/// [`parse`] on a tokenizer, which collects the warnings.
fn parse_source(source: &mut Tokenizer<'_>, is_str: bool, flags: u32) -> Result<Parsed, Error> {
    let mut state = State {
        flags,
        groupdict: HashMap::new(),
        groupwidths: vec![None],
        lookbehindgroups: None,
        grouprefpos: Vec::new(),
    };
    let body = parse_sub(source, &mut state, flags & VERBOSE != 0, 0)?;
    state.flags = fix_flags(is_str, state.flags)?;
    if source.next.is_some() {
        return Err(source.error("unbalanced parenthesis", 0));
    }
    let groups = state.groups();
    if let Some(&(g, pos)) = state.grouprefpos.iter().find(|&&(g, _)| g >= groups) {
        return Err(Error::at(format!("invalid group reference {g}"), pos));
    }
    let mut body = body;
    check_lookbehinds(&mut body, &state.groupwidths)?;
    let mut group_names: Vec<(String, usize)> = state.groupdict.into_iter().collect();
    group_names.sort_by_key(|&(_, g)| g);
    Ok(Parsed { flags: Flags(state.flags), groups: groups - 1, group_names, body, warnings: Vec::new() })
}

/// `fix_flags`: the type flags against the pattern's type.
fn fix_flags(is_str: bool, mut flags: u32) -> Result<u32, Error> {
    if is_str {
        if flags & Flags::LOCALE != 0 {
            return Err(Error::value("cannot use LOCALE flag with a str pattern"));
        }
        if flags & Flags::ASCII == 0 {
            flags |= Flags::UNICODE;
        } else if flags & Flags::UNICODE != 0 {
            return Err(Error::value("ASCII and UNICODE flags are incompatible"));
        }
    } else {
        if flags & Flags::UNICODE != 0 {
            return Err(Error::value("cannot use UNICODE flag with a bytes pattern"));
        }
        if flags & Flags::LOCALE != 0 && flags & Flags::ASCII != 0 {
            return Err(Error::value("ASCII and LOCALE flags are incompatible"));
        }
    }
    Ok(flags)
}

/// One token of the pattern: a character, or a backslash and the character after it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Tok {
    /// The character (after the backslash for an escape).
    pub(crate) c: u32,
    /// Whether the token is `\` + `c`.
    pub(crate) esc: bool,
}

impl Tok {
    /// The token's length in characters.
    pub(crate) fn len(self) -> usize {
        if self.esc { 2 } else { 1 }
    }

    /// Whether this is the plain character `ch`.
    pub(crate) fn is(self, ch: char) -> bool {
        !self.esc && self.c == ch as u32
    }

    /// Whether this is a plain character in `set`.
    pub(crate) fn in_set(self, set: &str) -> bool {
        !self.esc && set.chars().any(|ch| self.c == ch as u32)
    }

    /// Appends the token's text to `out`.
    pub(crate) fn push_to(self, out: &mut Vec<u32>) {
        if self.esc {
            out.push(u32::from('\\'));
        }
        out.push(self.c);
    }

    /// The token's text.
    pub(crate) fn text(self) -> Vec<u32> {
        let mut out = Vec::with_capacity(2);
        self.push_to(&mut out);
        out
    }
}

/// `re._parser.Tokenizer`: one token of look-ahead, read eagerly (so "bad escape (end of
/// pattern)" is raised exactly when CPython raises it).
pub(crate) struct Tokenizer<'a> {
    s: &'a [u32],
    pub(crate) is_str: bool,
    index: usize,
    pub(crate) next: Option<Tok>,
    /// The warnings emitted so far.
    pub(crate) warnings: Vec<Warning>,
}

impl<'a> Tokenizer<'a> {
    /// A tokenizer positioned at the start of `s`.
    pub(crate) fn new(s: &'a [u32], is_str: bool) -> Result<Self, Error> {
        let mut t = Tokenizer { s, is_str, index: 0, next: None, warnings: Vec::new() };
        t.advance()?;
        Ok(t)
    }

    fn advance(&mut self) -> Result<(), Error> {
        let mut index = self.index;
        let Some(&c) = self.s.get(index) else {
            self.next = None;
            return Ok(());
        };
        let tok = if c == u32::from('\\') {
            index += 1;
            match self.s.get(index) {
                Some(&c) => Tok { c, esc: true },
                None => {
                    return Err(self.raw_error("bad escape (end of pattern)", self.s.len() - 1));
                }
            }
        } else {
            Tok { c, esc: false }
        };
        self.index = index + 1;
        self.next = Some(tok);
        Ok(())
    }

    /// Consumes the next token if it is the plain character `ch`.
    pub(crate) fn matches(&mut self, ch: char) -> Result<bool, Error> {
        if self.next.is_some_and(|t| t.is(ch)) {
            self.advance()?;
            return Ok(true);
        }
        Ok(false)
    }

    /// Consumes and returns the next token.
    pub(crate) fn get(&mut self) -> Result<Option<Tok>, Error> {
        let this = self.next;
        self.advance()?;
        Ok(this)
    }

    /// Up to `n` plain characters satisfying `pred`.
    fn getwhile(&mut self, n: usize, pred: impl Fn(u32) -> bool) -> Result<Vec<u32>, Error> {
        let mut result = Vec::new();
        for _ in 0..n {
            match self.next {
                Some(t) if !t.esc && pred(t.c) => {
                    result.push(t.c);
                    self.advance()?;
                }
                _ => break,
            }
        }
        Ok(result)
    }

    /// The text up to the plain character `terminator`, which is consumed.
    pub(crate) fn getuntil(&mut self, terminator: char, name: &str) -> Result<Vec<u32>, Error> {
        let mut result = Vec::new();
        loop {
            let c = self.next;
            self.advance()?;
            match c {
                None => {
                    if result.is_empty() {
                        return Err(self.error(&format!("missing {name}"), 0));
                    }
                    return Err(self.error(&format!("missing {terminator}, unterminated name"), result.len()));
                }
                Some(t) if t.is(terminator) => {
                    if result.is_empty() {
                        return Err(self.error(&format!("missing {name}"), 1));
                    }
                    return Ok(result);
                }
                Some(t) => t.push_to(&mut result),
            }
        }
    }

    /// The position of the next token.
    pub(crate) fn tell(&self) -> usize {
        self.index - self.next.map_or(0, Tok::len)
    }

    fn seek(&mut self, index: usize) -> Result<(), Error> {
        self.index = index;
        self.advance()
    }

    /// `source.error(msg, offset)`: an error at `tell() - offset`.
    pub(crate) fn error(&self, msg: &str, offset: usize) -> Error {
        self.raw_error(msg, self.tell().saturating_sub(offset))
    }

    fn raw_error(&self, msg: &str, pos: usize) -> Error {
        if self.is_str {
            return Error::at(msg, pos);
        }
        // Bytes patterns: `msg.encode('ascii', 'backslashreplace')`.
        let mut out = String::with_capacity(msg.len());
        for ch in msg.chars() {
            if ch.is_ascii() {
                out.push(ch);
            } else {
                push_hex_escape(&mut out, u32::from(ch));
            }
        }
        Error::at(out, pos)
    }

    /// `warnings.warn(msg, category)` with `nesting` extra stack levels.
    #[cold]
    #[inline(never)]
    pub(crate) fn warn(&mut self, category: WarningCategory, msg: String, nesting: usize) {
        self.warnings.push(Warning { category, msg, nesting });
    }

    /// `checkgroupname`: the name must be an identifier; a non-ASCII name in a bytes pattern is
    /// accepted with a `DeprecationWarning`.
    pub(crate) fn checkgroupname(&mut self, name: &[u32], offset: usize, nesting: usize) -> Result<(), Error> {
        if !is_identifier(name) {
            let msg = format!("bad character in group name {}", py_repr(name));
            return Err(self.error(&msg, name.len() + offset));
        }
        if !self.is_str && !name.iter().all(|&c| c < 0x80) {
            let pos = self.tell() - name.len() - offset;
            let msg = format!("bad character in group name {} at position {pos}", py_ascii(name));
            self.warn(WarningCategory::Deprecation, msg, nesting);
        }
        Ok(())
    }

    /// The `DeprecationWarning` for a group number that `int()` accepts but that is not plain
    /// ASCII digits (`+1`, `1_0`, ` 1 `, `१`); `name` ends just before the next token.
    pub(crate) fn check_group_number(&mut self, name: &[u32], nesting: usize) {
        if !name.iter().all(|&c| (u32::from('0')..=u32::from('9')).contains(&c)) {
            let quoted = if self.is_str { py_repr(name) } else { py_ascii(name) };
            let pos = self.tell() - name.len() - 1;
            let msg = format!("bad character in group name {quoted} at position {pos}");
            self.warn(WarningCategory::Deprecation, msg, nesting);
        }
    }
}

/// `re._parser.State`.
struct State {
    flags: u32,
    groupdict: HashMap<String, usize>,
    groupwidths: Vec<Option<(u128, u128)>>,
    lookbehindgroups: Option<usize>,
    grouprefpos: Vec<(usize, usize)>,
}

impl State {
    fn groups(&self) -> usize {
        self.groupwidths.len()
    }

    fn opengroup(&mut self, name: Option<&[u32]>) -> Result<usize, String> {
        let gid = self.groups();
        self.groupwidths.push(None);
        if self.groups() > MAXGROUPS {
            return Err("too many groups".to_string());
        }
        if let Some(name) = name {
            let key = to_string(name);
            if let Some(&ogid) = self.groupdict.get(&key) {
                return Err(format!("redefinition of group name {} as group {gid}; was group {ogid}", py_repr(name)));
            }
            self.groupdict.insert(key, gid);
        }
        Ok(gid)
    }

    fn checkgroup(&self, gid: usize) -> bool {
        gid < self.groups() && self.groupwidths[gid].is_some()
    }

    fn checklookbehindgroup(&self, gid: usize, source: &Tokenizer<'_>) -> Result<(), Error> {
        if let Some(lb) = self.lookbehindgroups {
            if !self.checkgroup(gid) {
                return Err(source.error("cannot refer to an open group", 0));
            }
            if gid >= lb {
                return Err(source.error("cannot refer to group defined in the same lookbehind subpattern", 0));
            }
        }
        Ok(())
    }
}

/// `SubPattern.getwidth`: the (min, max) width of `nodes`, capped at `MAXWIDTH`.
fn width(nodes: &[Node], groupwidths: &[Option<(u128, u128)>]) -> (u128, u128) {
    let mut lo: u128 = 0;
    let mut hi: u128 = 0;
    for node in nodes {
        match node {
            Node::Branch(items) => {
                let mut i = MAXWIDTH;
                let mut j = 0;
                for item in items {
                    let (l, h) = width(item, groupwidths);
                    i = i.min(l);
                    j = j.max(h);
                }
                lo = lo.saturating_add(i);
                hi = hi.saturating_add(j);
            }
            Node::Atomic(body) | Node::Group { body, .. } => {
                let (i, j) = width(body, groupwidths);
                lo = lo.saturating_add(i);
                hi = hi.saturating_add(j);
            }
            Node::Repeat { min, max, body, .. } => {
                let (i, j) = width(body, groupwidths);
                lo = lo.saturating_add(i.saturating_mul(u128::from(*min)));
                if *max == MAXREPEAT && j != 0 {
                    hi = MAXWIDTH;
                } else {
                    hi = hi.saturating_add(j.saturating_mul(u128::from(*max)));
                }
            }
            Node::Any | Node::In(_) | Node::Literal(_) | Node::NotLiteral(_) => {
                lo = lo.saturating_add(1);
                hi = hi.saturating_add(1);
            }
            Node::GroupRef(g) => {
                let (i, j) = groupwidths.get(*g).copied().flatten().unwrap_or((0, 0));
                lo = lo.saturating_add(i);
                hi = hi.saturating_add(j);
            }
            Node::GroupRefExists { yes, no, .. } => {
                let (mut i, mut j) = width(yes, groupwidths);
                match no {
                    Some(no) => {
                        let (l, h) = width(no, groupwidths);
                        i = i.min(l);
                        j = j.max(h);
                    }
                    None => i = 0,
                }
                lo = lo.saturating_add(i);
                hi = hi.saturating_add(j);
            }
            Node::At(_) | Node::Assert { .. } => {}
        }
    }
    (lo.min(MAXWIDTH), hi.min(MAXWIDTH))
}

/// The look-behind checks of `re._compiler._compile`, in its (pre-order) walk, filling
/// `Assert::width`.
fn check_lookbehinds(nodes: &mut [Node], groupwidths: &[Option<(u128, u128)>]) -> Result<(), Error> {
    for node in nodes {
        match node {
            Node::Assert { behind, width: w, body, .. } => {
                if *behind {
                    let (lo, hi) = width(body, groupwidths);
                    if lo > MAXCODE {
                        return Err(Error::new("looks too much behind"));
                    }
                    if lo != hi {
                        return Err(Error::new("look-behind requires fixed-width pattern"));
                    }
                    *w = usize::try_from(lo).unwrap_or(usize::MAX);
                }
                check_lookbehinds(body, groupwidths)?;
            }
            Node::Branch(items) => {
                for item in items {
                    check_lookbehinds(item, groupwidths)?;
                }
            }
            Node::Atomic(body) | Node::Group { body, .. } | Node::Repeat { body, .. } => {
                check_lookbehinds(body, groupwidths)?;
            }
            Node::GroupRefExists { yes, no, .. } => {
                check_lookbehinds(yes, groupwidths)?;
                if let Some(no) = no {
                    check_lookbehinds(no, groupwidths)?;
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// What an escape inside a set stands for.
#[derive(Clone, Copy)]
enum ClassCode {
    Literal(u32),
    Category(Category),
}

fn escape_literal(c: u32) -> Option<u32> {
    Some(match char::from_u32(c)? {
        'a' => 7,
        'b' => 8,
        'f' => 12,
        'n' => 10,
        'r' => 13,
        't' => 9,
        'v' => 11,
        '\\' => 92,
        _ => return None,
    })
}

fn category_escape(c: u32) -> Option<Category> {
    Some(match char::from_u32(c)? {
        'd' => Category::Digit,
        'D' => Category::NotDigit,
        's' => Category::Space,
        'S' => Category::NotSpace,
        'w' => Category::Word,
        'W' => Category::NotWord,
        _ => return None,
    })
}

fn at_escape(c: u32) -> Option<At> {
    Some(match char::from_u32(c)? {
        'A' => At::BeginningString,
        'b' => At::Boundary,
        'B' => At::NonBoundary,
        'Z' => At::EndString,
        _ => return None,
    })
}

fn is_digit(c: u32) -> bool {
    (u32::from('0')..=u32::from('9')).contains(&c)
}

fn is_octdigit(c: u32) -> bool {
    (u32::from('0')..=u32::from('7')).contains(&c)
}

fn is_hexdigit(c: u32) -> bool {
    char::from_u32(c).is_some_and(|ch| ch.is_ascii_hexdigit())
}

fn is_ascii_letter(c: u32) -> bool {
    char::from_u32(c).is_some_and(|ch| ch.is_ascii_alphabetic())
}

/// The value of ASCII digits in `radix` (callers pass at most 8 hex or 3 octal digits).
fn digits_value(digits: &[u32], radix: u32) -> u32 {
    digits.iter().fold(0u32, |acc, &d| {
        let v = char::from_u32(d).and_then(|ch| ch.to_digit(radix)).unwrap_or(0);
        acc.wrapping_mul(radix).wrapping_add(v)
    })
}

/// The `\x`, `\u`, `\U`, `\N` escapes shared by `_escape` and `_class_escape`: `Ok(None)` when
/// `c` is none of them (for this pattern type).
fn common_escape(source: &mut Tokenizer<'_>, c: u32) -> Result<Option<u32>, Error> {
    let ndigits = match char::from_u32(c) {
        Some('x') => 2,
        Some('u') if source.is_str => 4,
        Some('U') if source.is_str => 8,
        Some('N') if source.is_str => return named_escape(source).map(Some),
        _ => return Ok(None),
    };
    let digits = source.getwhile(ndigits, is_hexdigit)?;
    let mut escape = vec![u32::from('\\'), c];
    escape.extend_from_slice(&digits);
    if digits.len() != ndigits {
        let msg = format!("incomplete escape {}", to_string(&escape));
        return Err(source.error(&msg, escape.len()));
    }
    let value = digits_value(&digits, 16);
    if value > i32::MAX as u32 {
        // `chr(c)` raises OverflowError for what does not fit a C int.
        return Err(Error::of_kind(ErrorKind::Overflow, "Python int too large to convert to C int"));
    }
    if value > 0x10_FFFF {
        // `chr(c)` raises ValueError, reported as a bad escape.
        let msg = format!("bad escape {}", to_string(&escape));
        return Err(source.error(&msg, escape.len()));
    }
    Ok(Some(value))
}

/// `\N{NAME}` after the `\N`.
fn named_escape(source: &mut Tokenizer<'_>) -> Result<u32, Error> {
    if !source.matches('{')? {
        return Err(source.error("missing {", 0));
    }
    let charname = source.getuntil('}', "character name")?;
    match lookup_name(&charname) {
        Some(c) => Ok(c),
        None => {
            let msg = format!("undefined character name {}", py_repr(&charname));
            Err(source.error(&msg, charname.len() + 4))
        }
    }
}

/// `unicodedata.lookup` (see the module docs for how closely it follows CPython 3.11).
fn lookup_name(name: &[u32]) -> Option<u32> {
    // No Unicode name or alias is longer than 88 characters.
    if name.len() > 100 || !name.iter().all(|&c| c < 0x80) {
        return None;
    }
    let name = to_string(name);
    let ch = unicode_names2::character(&name)?;
    let canonical = unicode_names2::name(ch).map(|n| n.to_string());
    if let Some(canonical) = canonical {
        let algorithmic = canonical.starts_with("CJK UNIFIED IDEOGRAPH-") || canonical.starts_with("HANGUL SYLLABLE ");
        if algorithmic {
            return (name == canonical).then_some(u32::from(ch));
        }
        if name.to_ascii_uppercase() == canonical {
            return Some(u32::from(ch));
        }
    }
    // Not the canonical name: a loose spelling of it (which CPython rejects) or an alias,
    // which CPython matches exactly but for ASCII case.
    if let Some(canonical) = unicode_names2::name(ch).map(|n| n.to_string()) {
        let squeeze = |s: &str| -> String {
            s.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_uppercase()).collect()
        };
        if squeeze(&name) == squeeze(&canonical) {
            return None;
        }
    }
    let bytes = name.as_bytes();
    let plain = bytes.iter().all(|b| b.is_ascii_alphanumeric() || *b == b' ' || *b == b'-')
        && !name.starts_with([' ', '-'])
        && !name.ends_with([' ', '-'])
        && !name.contains("  ");
    plain.then_some(u32::from(ch))
}

/// `_class_escape`: an escape inside a set.
fn class_escape(source: &mut Tokenizer<'_>, esc: Tok) -> Result<ClassCode, Error> {
    let c = esc.c;
    if let Some(v) = escape_literal(c) {
        return Ok(ClassCode::Literal(v));
    }
    if let Some(cat) = category_escape(c) {
        return Ok(ClassCode::Category(cat));
    }
    if let Some(v) = common_escape(source, c)? {
        return Ok(ClassCode::Literal(v));
    }
    let mut escape = esc.text();
    if is_octdigit(c) {
        let more = source.getwhile(2, is_octdigit)?;
        escape.extend_from_slice(&more);
        let value = digits_value(&escape[1..], 8);
        if value > 0o377 {
            let msg = format!("octal escape value {} outside of range 0-0o377", to_string(&escape));
            return Err(source.error(&msg, escape.len()));
        }
        return Ok(ClassCode::Literal(value));
    }
    if is_digit(c) || is_ascii_letter(c) {
        return Err(source.error(&format!("bad escape {}", to_string(&escape)), escape.len()));
    }
    Ok(ClassCode::Literal(c))
}

/// `_escape`: an escape outside a set.
fn escape(source: &mut Tokenizer<'_>, esc: Tok, state: &State) -> Result<Node, Error> {
    let c = esc.c;
    if let Some(at) = at_escape(c) {
        return Ok(Node::At(at));
    }
    if let Some(cat) = category_escape(c) {
        return Ok(Node::In(vec![SetItem::Category(cat)]));
    }
    if let Some(v) = escape_literal(c) {
        return Ok(Node::Literal(v));
    }
    if let Some(v) = common_escape(source, c)? {
        return Ok(Node::Literal(v));
    }
    let mut escape = esc.text();
    if c == u32::from('0') {
        let more = source.getwhile(2, is_octdigit)?;
        return Ok(Node::Literal(digits_value(&more, 8)));
    }
    if is_digit(c) {
        // An octal escape or a group reference.
        if let Some(t) = source.next.filter(|t| !t.esc && is_digit(t.c)) {
            source.get()?;
            escape.push(t.c);
            if is_octdigit(escape[1])
                && is_octdigit(escape[2])
                && source.next.is_some_and(|t| !t.esc && is_octdigit(t.c))
            {
                let t = source.get()?.map_or(0, |t| t.c);
                escape.push(t);
                let value = digits_value(&escape[1..], 8);
                if value > 0o377 {
                    let msg = format!("octal escape value {} outside of range 0-0o377", to_string(&escape));
                    return Err(source.error(&msg, escape.len()));
                }
                return Ok(Node::Literal(value));
            }
        }
        let group = digits_value(&escape[1..], 10) as usize;
        if group < state.groups() {
            if !state.checkgroup(group) {
                return Err(source.error("cannot refer to an open group", escape.len()));
            }
            state.checklookbehindgroup(group, source)?;
            return Ok(Node::GroupRef(group));
        }
        let msg = format!("invalid group reference {group}");
        return Err(source.error(&msg, escape.len() - 1));
    }
    if is_ascii_letter(c) {
        return Err(source.error(&format!("bad escape {}", to_string(&escape)), escape.len()));
    }
    Ok(Node::Literal(c))
}

/// `_parse_sub`: an alternation `a|b|c`.
fn parse_sub(
    source: &mut Tokenizer<'_>,
    state: &mut State,
    mut verbose: bool,
    nested: usize,
) -> Result<Vec<Node>, Error> {
    let mut items: Vec<Vec<Node>> = Vec::new();
    loop {
        let first = nested == 0 && items.is_empty();
        items.push(parse_seq(source, state, verbose, nested + 1, first)?);
        if !source.matches('|')? {
            break;
        }
        if nested == 0 {
            verbose = state.flags & VERBOSE != 0;
        }
    }
    if items.len() == 1 {
        return Ok(items.pop().unwrap_or_default());
    }
    Ok(factor_branch(items))
}

/// The end of `_parse_sub`: common prefixes moved out of the branch, and a branch of single
/// characters made a set.
#[inline(never)]
fn factor_branch(mut items: Vec<Vec<Node>>) -> Vec<Node> {
    let mut subpattern = Vec::new();

    // Move a prefix common to all alternatives out of the branch.
    while let Some(prefix) = items[0].first() {
        if !is_comparable(prefix) || items.iter().any(|item| item.first() != Some(prefix)) {
            break;
        }
        let prefix = prefix.clone();
        for item in &mut items {
            item.remove(0);
        }
        subpattern.push(prefix);
    }

    // A branch of single characters and sets is a set.
    let mut set = Vec::new();
    let all_chars = items.iter().all(|item| match item.as_slice() {
        [Node::Literal(c)] => {
            set.push(SetItem::Literal(*c));
            true
        }
        [Node::In(av)] if av.first() != Some(&SetItem::Negate) => {
            set.extend(av.iter().cloned());
            true
        }
        _ => false,
    });
    if all_chars {
        subpattern.push(Node::In(uniq(set)));
        return subpattern;
    }
    subpattern.push(Node::Branch(items));
    subpattern
}

/// Whether two nodes can compare equal in CPython: nodes holding a `SubPattern` compare by
/// identity there, so they never equal another alternative's node.
fn is_comparable(node: &Node) -> bool {
    matches!(node, Node::Literal(_) | Node::NotLiteral(_) | Node::Any | Node::In(_) | Node::At(_) | Node::GroupRef(_))
}

/// `_uniq`: the items without repeats, in first-seen order.
fn uniq(items: Vec<SetItem>) -> Vec<SetItem> {
    let mut out: Vec<SetItem> = Vec::with_capacity(items.len());
    for item in items {
        if !out.contains(&item) {
            out.push(item);
        }
    }
    out
}

/// `_parse`: a sequence, up to `|`, `)` or the end.
fn parse_seq(
    source: &mut Tokenizer<'_>,
    state: &mut State,
    mut verbose: bool,
    nested: usize,
    first: bool,
) -> Result<Vec<Node>, Error> {
    let mut subpattern: Vec<Node> = Vec::new();
    while let Some(this) = source.next {
        if this.in_set("|)") {
            break;
        }
        source.get()?;

        if this.is('(') && !this.esc {
            let start = source.tell() - 1;
            if nested >= 2 * MAX_NESTING {
                return Err(too_deep(start));
            }
            if let Some(node) = parse_group(source, state, &mut verbose, nested, first, &subpattern, start)? {
                subpattern.push(node);
            }
        } else {
            parse_item(source, state, verbose, nested, this, &mut subpattern)?;
        }
    }

    // Unpack non-capturing groups without flags.
    if subpattern.iter().any(is_plain_group) {
        let mut out = Vec::with_capacity(subpattern.len());
        for node in subpattern {
            match node {
                Node::Group { group: None, add_flags: 0, del_flags: 0, body } => out.extend(body),
                node => out.push(node),
            }
        }
        subpattern = out;
    }
    Ok(subpattern)
}

/// One item of `_parse` other than a group (which recurses), out of line to keep the recursive
/// frames small.
#[inline(never)]
fn parse_item(
    source: &mut Tokenizer<'_>,
    state: &State,
    verbose: bool,
    nested: usize,
    this: Tok,
    subpattern: &mut Vec<Node>,
) -> Result<(), Error> {
    if verbose {
        if this.in_set(" \t\n\r\x0b\x0c") {
            return Ok(());
        }
        if this.is('#') {
            loop {
                match source.get()? {
                    None => break,
                    Some(t) if t.is('\n') => break,
                    Some(_) => {}
                }
            }
            return Ok(());
        }
    }
    if this.esc {
        subpattern.push(escape(source, this, state)?);
    } else if !this.in_set(".\\[{()*+?^$|") {
        subpattern.push(Node::Literal(this.c));
    } else if this.is('[') {
        subpattern.push(parse_set(source, nested - 1)?);
    } else if this.in_set("*+?{") {
        parse_repeat(source, subpattern, this)?;
    } else if this.is('.') {
        subpattern.push(Node::Any);
    } else if this.is('^') {
        subpattern.push(Node::At(At::Beginning));
    } else if this.is('$') {
        subpattern.push(Node::At(At::End));
    }
    Ok(())
}

fn is_plain_group(node: &Node) -> bool {
    matches!(node, Node::Group { group: None, add_flags: 0, del_flags: 0, .. })
}

/// A character set, after its `[`; `nesting` is [`Warning::nesting`] for its warnings.
fn parse_set(source: &mut Tokenizer<'_>, nesting: usize) -> Result<Node, Error> {
    let here = source.tell() - 1;
    let mut set: Vec<SetItem> = Vec::new();
    if source.next.is_some_and(|t| t.is('[')) {
        let msg = format!("Possible nested set at position {}", source.tell());
        source.warn(WarningCategory::Future, msg, nesting);
    }
    let negate = source.matches('^')?;
    let unterminated = |source: &Tokenizer<'_>| source.error("unterminated character set", source.tell() - here);
    let as_item = |code: ClassCode| match code {
        ClassCode::Literal(c) => SetItem::Literal(c),
        ClassCode::Category(cat) => SetItem::Category(cat),
    };
    loop {
        let Some(this) = source.get()? else {
            return Err(unterminated(source));
        };
        if this.is(']') && !set.is_empty() {
            break;
        }
        let code1 = if this.esc {
            class_escape(source, this)?
        } else {
            if !set.is_empty() && this.in_set("-&~|") && source.next == Some(this) {
                let op = match char::from_u32(this.c) {
                    Some('-') => "difference",
                    Some('&') => "intersection",
                    Some('~') => "symmetric difference",
                    _ => "union",
                };
                let msg = format!("Possible set {op} at position {}", source.tell() - 1);
                source.warn(WarningCategory::Future, msg, nesting);
            }
            ClassCode::Literal(this.c)
        };
        if source.matches('-')? {
            let Some(that) = source.get()? else {
                return Err(unterminated(source));
            };
            if that.is(']') {
                set.push(as_item(code1));
                set.push(SetItem::Literal(u32::from('-')));
                break;
            }
            let code2 = if that.esc {
                class_escape(source, that)?
            } else {
                if that.is('-') {
                    let msg = format!("Possible set difference at position {}", source.tell() - 2);
                    source.warn(WarningCategory::Future, msg, nesting);
                }
                ClassCode::Literal(that.c)
            };
            let bad = || {
                let mut text = this.text();
                text.push(u32::from('-'));
                that.push_to(&mut text);
                let msg = format!("bad character range {}", to_string(&text));
                source.error(&msg, this.len() + 1 + that.len())
            };
            let (ClassCode::Literal(lo), ClassCode::Literal(hi)) = (code1, code2) else {
                return Err(bad());
            };
            if hi < lo {
                return Err(bad());
            }
            set.push(SetItem::Range(lo, hi));
        } else {
            set.push(as_item(code1));
        }
    }
    let mut set = uniq(set);
    if let [SetItem::Literal(c)] = set.as_slice() {
        return Ok(if negate { Node::NotLiteral(*c) } else { Node::Literal(*c) });
    }
    if negate {
        set.insert(0, SetItem::Negate);
    }
    Ok(Node::In(set))
}

/// A repeat (`this` is one of `* + ? {`) applied to the last item of `subpattern`.
fn parse_repeat(source: &mut Tokenizer<'_>, subpattern: &mut Vec<Node>, this: Tok) -> Result<(), Error> {
    let here = source.tell();
    let (min, max) = if this.is('?') {
        (0, 1)
    } else if this.is('*') {
        (0, MAXREPEAT)
    } else if this.is('+') {
        (1, MAXREPEAT)
    } else {
        if source.next.is_some_and(|t| t.is('}')) {
            subpattern.push(Node::Literal(this.c));
            return Ok(());
        }
        let mut lo = Vec::new();
        while let Some(t) = source.next.filter(|t| !t.esc && is_digit(t.c)) {
            lo.push(t.c);
            source.get()?;
        }
        let hi = if source.matches(',')? {
            let mut hi = Vec::new();
            while let Some(t) = source.next.filter(|t| !t.esc && is_digit(t.c)) {
                hi.push(t.c);
                source.get()?;
            }
            hi
        } else {
            lo.clone()
        };
        if !source.matches('}')? {
            subpattern.push(Node::Literal(this.c));
            source.seek(here)?;
            return Ok(());
        }
        let count = |digits: &[u32]| -> Result<u32, Error> {
            let v = digits
                .iter()
                .fold(0u64, |acc, &d| acc.saturating_mul(10).saturating_add(u64::from(d - u32::from('0'))));
            if v >= u64::from(MAXREPEAT) {
                return Err(Error::of_kind(ErrorKind::Overflow, "the repetition number is too large"));
            }
            Ok(v as u32)
        };
        let mut min = 0;
        let mut max = MAXREPEAT;
        if !lo.is_empty() {
            min = count(&lo)?;
        }
        if !hi.is_empty() {
            max = count(&hi)?;
            if max < min {
                return Err(source.error("min repeat greater than max repeat", source.tell() - here));
            }
        }
        (min, max)
    };
    let offset = source.tell() - here + this.len();
    let item = match subpattern.pop() {
        None | Some(Node::At(_)) => return Err(source.error("nothing to repeat", offset)),
        Some(Node::Repeat { .. }) => return Err(source.error("multiple repeat", offset)),
        Some(item) => item,
    };
    let body = match item {
        Node::Group { group: None, add_flags: 0, del_flags: 0, body } => body,
        item => vec![item],
    };
    let greed = if source.matches('?')? {
        Greed::Lazy
    } else if source.matches('+')? {
        Greed::Possessive
    } else {
        Greed::Greedy
    };
    subpattern.push(Node::Repeat { min, max, greed, body });
    Ok(())
}

/// A group after its `(`; `Ok(None)` when it adds nothing (comments, global flags).
fn parse_group(
    source: &mut Tokenizer<'_>,
    state: &mut State,
    verbose: &mut bool,
    nested: usize,
    first: bool,
    subpattern: &[Node],
    start: usize,
) -> Result<Option<Node>, Error> {
    let node = match group_head(source, state, verbose, nested, first, subpattern, start)? {
        Head::Done(node) => return Ok(node),
        Head::Assert { behind, negate, restore } => {
            let body = parse_sub(source, state, *verbose, nested + 1)?;
            if restore {
                state.lookbehindgroups = None;
            }
            Node::Assert { behind, negate, width: 0, body }
        }
        Head::Cond(group) => {
            let yes = parse_seq(source, state, *verbose, nested + 1, false)?;
            let no = if source.matches('|')? {
                let no = parse_seq(source, state, *verbose, nested + 1, false)?;
                if source.next.is_some_and(|t| t.is('|')) {
                    return Err(cold_error(source, "conditional backref with more than two branches", 0));
                }
                Some(no)
            } else {
                None
            };
            Node::GroupRefExists { group, yes, no }
        }
        Head::Group { capture, atomic, name, add_flags, del_flags } => {
            let group = if capture { Some(open_group(source, state, name.as_deref())?) } else { None };
            let sub_verbose = (*verbose || add_flags & VERBOSE != 0) && del_flags & VERBOSE == 0;
            let body = parse_sub(source, state, sub_verbose, nested + 1)?;
            if let Some(g) = group {
                state.groupwidths[g] = Some(width(&body, &state.groupwidths));
            }
            if atomic { Node::Atomic(body) } else { Node::Group { group, add_flags, del_flags, body } }
        }
    };
    if !source.matches(')')? {
        let offset = source.tell() - start;
        return Err(cold_error(source, "missing ), unterminated subpattern", offset));
    }
    Ok(Some(node))
}

/// `state.opengroup(name)`, its errors at the name.
#[inline(never)]
fn open_group(source: &Tokenizer<'_>, state: &mut State, name: Option<&[u32]>) -> Result<usize, Error> {
    state.opengroup(name).map_err(|msg| {
        let offset = name.map_or(0, |n| n.len() + 1);
        source.error(&msg, offset)
    })
}

/// The error for nesting deeper than [`MAX_NESTING`].
#[cold]
#[inline(never)]
fn too_deep(start: usize) -> Error {
    Error::at("pattern too deeply nested", start)
}

/// `source.error`, out of line to keep the recursive frames small.
#[cold]
#[inline(never)]
fn cold_error(source: &Tokenizer<'_>, msg: &str, offset: usize) -> Error {
    source.error(msg, offset)
}

/// What follows a group's `(` up to its content.
enum Head {
    /// Nothing more to parse: a comment, global flags, or `(?P=name)`.
    Done(Option<Node>),
    /// A lookaround; `restore` when `lookbehindgroups` must be reset after its content.
    Assert { behind: bool, negate: bool, restore: bool },
    /// `(?(group)yes|no)`.
    Cond(usize),
    /// A group proper.
    Group { capture: bool, atomic: bool, name: Option<Vec<u32>>, add_flags: u32, del_flags: u32 },
}

/// The head of a group after its `(`. Kept apart from [`parse_group`], which recurses, so that
/// the recursive path has small stack frames.
#[inline(never)]
fn group_head(
    source: &mut Tokenizer<'_>,
    state: &mut State,
    verbose: &mut bool,
    nested: usize,
    first: bool,
    subpattern: &[Node],
    start: usize,
) -> Result<Head, Error> {
    // `Warning::nesting`: `_parse` (at `nested`) calls `warnings.warn` with `stacklevel=nested + 6`,
    // 7 at top level.
    let nesting = nested - 1;
    let mut capture = true;
    let mut atomic = false;
    let mut name: Option<Vec<u32>> = None;
    let mut add_flags = 0;
    let mut del_flags = 0;
    if source.matches('?')? {
        let Some(char) = source.get()? else {
            return Err(source.error("unexpected end of pattern", 0));
        };
        if char.is('P') {
            if source.matches('<')? {
                let n = source.getuntil('>', "group name")?;
                source.checkgroupname(&n, 1, nesting)?;
                name = Some(n);
            } else if source.matches('=')? {
                let n = source.getuntil(')', "group name")?;
                source.checkgroupname(&n, 1, nesting)?;
                let Some(&gid) = state.groupdict.get(&to_string(&n)) else {
                    let msg = format!("unknown group name {}", py_repr(&n));
                    return Err(source.error(&msg, n.len() + 1));
                };
                if !state.checkgroup(gid) {
                    return Err(source.error("cannot refer to an open group", n.len() + 1));
                }
                state.checklookbehindgroup(gid, source)?;
                return Ok(Head::Done(Some(Node::GroupRef(gid))));
            } else {
                let Some(char) = source.get()? else {
                    return Err(source.error("unexpected end of pattern", 0));
                };
                let msg = format!("unknown extension ?P{}", to_string(&char.text()));
                return Err(source.error(&msg, char.len() + 2));
            }
        } else if char.is(':') {
            capture = false;
        } else if char.is('#') {
            loop {
                if source.next.is_none() {
                    return Err(source.error("missing ), unterminated comment", source.tell() - start));
                }
                if source.get()?.is_some_and(|t| t.is(')')) {
                    return Ok(Head::Done(None));
                }
            }
        } else if char.in_set("=!<") {
            let mut dir_behind = false;
            let mut kind = char;
            let mut lookbehindgroups = None;
            if char.is('<') {
                let Some(c2) = source.get()? else {
                    return Err(source.error("unexpected end of pattern", 0));
                };
                if !c2.in_set("=!") {
                    let msg = format!("unknown extension ?<{}", to_string(&c2.text()));
                    return Err(source.error(&msg, c2.len() + 2));
                }
                kind = c2;
                dir_behind = true;
                lookbehindgroups = state.lookbehindgroups;
                if lookbehindgroups.is_none() {
                    state.lookbehindgroups = Some(state.groups());
                }
            }
            return Ok(Head::Assert {
                behind: dir_behind,
                negate: kind.is('!'),
                restore: dir_behind && lookbehindgroups.is_none(),
            });
        } else if char.is('(') {
            let condname = source.getuntil(')', "group name")?;
            let condgroup = if is_identifier(&condname) {
                source.checkgroupname(&condname, 1, nesting)?;
                match state.groupdict.get(&to_string(&condname)) {
                    Some(&g) => g,
                    None => {
                        let msg = format!("unknown group name {}", py_repr(&condname));
                        return Err(source.error(&msg, condname.len() + 1));
                    }
                }
            } else {
                let offset = condname.len() + 1;
                let Some(digits) = py_int(&condname) else {
                    let msg = format!("bad character in group name {}", py_repr(&condname));
                    return Err(source.error(&msg, offset));
                };
                if digits == "0" {
                    return Err(source.error("bad group number", offset));
                }
                let g = digits.parse::<usize>().ok().filter(|&g| g < MAXGROUPS);
                let Some(g) = g else {
                    return Err(source.error(&format!("invalid group reference {digits}"), offset));
                };
                if !state.grouprefpos.iter().any(|&(x, _)| x == g) {
                    state.grouprefpos.push((g, source.tell() - condname.len() - 1));
                }
                source.check_group_number(&condname, nesting);
                g
            };
            state.checklookbehindgroup(condgroup, source)?;
            return Ok(Head::Cond(condgroup));
        } else if char.is('>') {
            capture = false;
            atomic = true;
        } else if !char.esc && (flag_value(char.c).is_some() || char.is('-')) {
            match parse_flags(source, state, char)? {
                None => {
                    if !first || !subpattern.is_empty() {
                        return Err(
                            source.error("global flags not at the start of the expression", source.tell() - start)
                        );
                    }
                    *verbose = state.flags & VERBOSE != 0;
                    return Ok(Head::Done(None));
                }
                Some((add, del)) => {
                    add_flags = add;
                    del_flags = del;
                    capture = false;
                }
            }
        } else {
            let msg = format!("unknown extension ?{}", to_string(&char.text()));
            return Err(source.error(&msg, char.len() + 1));
        }
    }

    Ok(Head::Group { capture, atomic, name, add_flags, del_flags })
}

/// The inline flag letters (`FLAGS`).
fn flag_value(c: u32) -> Option<u32> {
    Some(match char::from_u32(c)? {
        'i' => Flags::IGNORECASE,
        'L' => Flags::LOCALE,
        'm' => Flags::MULTILINE,
        's' => Flags::DOTALL,
        'x' => Flags::VERBOSE,
        'a' => Flags::ASCII,
        't' => Flags::TEMPLATE,
        'u' => Flags::UNICODE,
        _ => return None,
    })
}

/// `str.isalpha` of a token (approximated for non-ASCII, see the module docs).
fn tok_isalpha(t: Tok) -> bool {
    !t.esc && char::from_u32(t.c).is_some_and(|ch| ch.is_alphabetic() && !ch.is_numeric())
}

/// `_parse_flags`: `None` for global flags `(?x)`, else the scoped `(add, del)`.
fn parse_flags(source: &mut Tokenizer<'_>, state: &mut State, mut char: Tok) -> Result<Option<(u32, u32)>, Error> {
    let mut add_flags = 0;
    let mut del_flags = 0;
    let flag_of = |t: Tok| if t.esc { None } else { flag_value(t.c) };
    if !char.is('-') {
        loop {
            let flag = flag_of(char).unwrap_or(0);
            if source.is_str {
                if char.is('L') {
                    return Err(source.error("bad inline flags: cannot use 'L' flag with a str pattern", 0));
                }
            } else if char.is('u') {
                return Err(source.error("bad inline flags: cannot use 'u' flag with a bytes pattern", 0));
            }
            add_flags |= flag;
            if flag & TYPE_FLAGS != 0 && add_flags & TYPE_FLAGS != flag {
                return Err(source.error("bad inline flags: flags 'a', 'u' and 'L' are incompatible", 0));
            }
            let Some(next) = source.get()? else {
                return Err(source.error("missing -, : or )", 0));
            };
            char = next;
            if char.in_set(")-:") {
                break;
            }
            if flag_of(char).is_none() {
                let msg = if tok_isalpha(char) { "unknown flag" } else { "missing -, : or )" };
                return Err(source.error(msg, char.len()));
            }
        }
    }
    if char.is(')') {
        state.flags |= add_flags;
        return Ok(None);
    }
    if add_flags & GLOBAL_FLAGS != 0 {
        return Err(source.error("bad inline flags: cannot turn on global flag", 1));
    }
    if char.is('-') {
        let Some(next) = source.get()? else {
            return Err(source.error("missing flag", 0));
        };
        char = next;
        if flag_of(char).is_none() {
            let msg = if tok_isalpha(char) { "unknown flag" } else { "missing flag" };
            return Err(source.error(msg, char.len()));
        }
        loop {
            let flag = flag_of(char).unwrap_or(0);
            if flag & TYPE_FLAGS != 0 {
                return Err(source.error("bad inline flags: cannot turn off flags 'a', 'u' and 'L'", 0));
            }
            del_flags |= flag;
            let Some(next) = source.get()? else {
                return Err(source.error("missing :", 0));
            };
            char = next;
            if char.is(':') {
                break;
            }
            if flag_of(char).is_none() {
                let msg = if tok_isalpha(char) { "unknown flag" } else { "missing :" };
                return Err(source.error(msg, char.len()));
            }
        }
    }
    if del_flags & GLOBAL_FLAGS != 0 {
        return Err(source.error("bad inline flags: cannot turn off global flag", 1));
    }
    if add_flags & del_flags != 0 {
        return Err(source.error("bad inline flags: flag turned on and off", 1));
    }
    Ok(Some((add_flags, del_flags)))
}

/// `str.isidentifier`.
pub(crate) fn is_identifier(name: &[u32]) -> bool {
    let Some((&first, rest)) = name.split_first() else { return false };
    let ch = |c: u32| char::from_u32(c);
    ch(first).is_some_and(|c| c == '_' || unicode_ident::is_xid_start(c))
        && rest.iter().all(|&c| ch(c).is_some_and(unicode_ident::is_xid_continue))
}

/// The first code point of each run of ten decimal digits (`str.isdecimal`, Unicode 14.0).
const DECIMAL_ZEROS: [u32; 66] = [
    0x30, 0x660, 0x6F0, 0x7C0, 0x966, 0x9E6, 0xA66, 0xAE6, 0xB66, 0xBE6, 0xC66, 0xCE6, 0xD66, 0xDE6, 0xE50, 0xED0,
    0xF20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90, 0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620,
    0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0, 0xFF10, 0x104A0, 0x10D30, 0x11066, 0x110F0, 0x11136, 0x111D0,
    0x112F0, 0x11450, 0x114D0, 0x11650, 0x116C0, 0x11730, 0x118E0, 0x11950, 0x11C50, 0x11D50, 0x11DA0, 0x16A60,
    0x16AC0, 0x16B50, 0x1D7CE, 0x1D7D8, 0x1D7E2, 0x1D7EC, 0x1D7F6, 0x1E140, 0x1E2F0, 0x1E950, 0x1FBF0,
];

/// The decimal value of a Unicode decimal digit.
fn decimal_value(c: u32) -> Option<u32> {
    let i = DECIMAL_ZEROS.partition_point(|&z| z <= c);
    let zero = DECIMAL_ZEROS[i.checked_sub(1)?];
    (c - zero < 10).then_some(c - zero)
}

/// `str.isspace`.
fn is_py_space(c: u32) -> bool {
    matches!(
        c,
        0x09..=0x0D | 0x1C..=0x20 | 0x85 | 0xA0 | 0x1680 | 0x2000..=0x200A | 0x2028 | 0x2029
            | 0x202F | 0x205F | 0x3000
    )
}

/// `int(s)` for a group number, as canonical decimal digits: `None` when `int` raises or the
/// value is negative (`-0` is `0`).
pub(crate) fn py_int(s: &[u32]) -> Option<String> {
    let start = s.iter().position(|&c| !is_py_space(c))?;
    let end = s.iter().rposition(|&c| !is_py_space(c))? + 1;
    let mut s = &s[start..end];
    let mut negative = false;
    if let Some((&sign, rest)) = s.split_first()
        && (sign == u32::from('+') || sign == u32::from('-'))
    {
        negative = sign == u32::from('-');
        s = rest;
    }
    let mut digits = String::new();
    let mut prev_digit = false;
    for &c in s {
        if c == u32::from('_') {
            if !prev_digit {
                return None;
            }
            prev_digit = false;
            continue;
        }
        let d = decimal_value(c)?;
        digits.push(char::from_digit(d, 10)?);
        prev_digit = true;
    }
    if !prev_digit {
        return None;
    }
    let trimmed = digits.trim_start_matches('0');
    let digits = if trimmed.is_empty() { "0".to_string() } else { trimmed.to_string() };
    if negative && digits != "0" {
        return None;
    }
    Some(digits)
}

/// Code points as a `String`, lone surrogates written as `\udxxx`.
pub(crate) fn to_string(s: &[u32]) -> String {
    let mut out = String::with_capacity(s.len());
    for &c in s {
        match char::from_u32(c) {
            Some(ch) => out.push(ch),
            None => push_hex_escape(&mut out, c),
        }
    }
    out
}

/// `\xhh`, `\uhhhh` or `\Uhhhhhhhh`, as Python writes a character it escapes.
fn push_hex_escape(out: &mut String, c: u32) {
    use std::fmt::Write;
    let _ = if c <= 0xFF {
        write!(out, "\\x{c:02x}")
    } else if c <= 0xFFFF {
        write!(out, "\\u{c:04x}")
    } else {
        write!(out, "\\U{c:08x}")
    };
}

/// Format and separator characters, which `str.isprintable` rejects though they have names.
const NAMED_NONPRINTABLE: [(u32, u32); 24] = [
    (0xA0, 0xA0),
    (0xAD, 0xAD),
    (0x600, 0x605),
    (0x61C, 0x61C),
    (0x6DD, 0x6DD),
    (0x70F, 0x70F),
    (0x890, 0x891),
    (0x8E2, 0x8E2),
    (0x1680, 0x1680),
    (0x180E, 0x180E),
    (0x2000, 0x200F),
    (0x2028, 0x202F),
    (0x205F, 0x2064),
    (0x2066, 0x206F),
    (0x3000, 0x3000),
    (0xFEFF, 0xFEFF),
    (0xFFF9, 0xFFFB),
    (0x110BD, 0x110BD),
    (0x110CD, 0x110CD),
    (0x13430, 0x13438),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0001, 0xE0001),
    (0xE0020, 0xE007F),
];

/// `str.isprintable` for one character (approximated, see the module docs).
fn is_printable(c: u32) -> bool {
    if (0x20..0x7F).contains(&c) {
        return true;
    }
    if c < 0xA0 {
        return false;
    }
    let Some(ch) = char::from_u32(c) else { return false };
    unicode_names2::name(ch).is_some() && !NAMED_NONPRINTABLE.iter().any(|&(lo, hi)| (lo..=hi).contains(&c))
}

/// `ascii(s)` of a Python `str`: its `repr` with every non-ASCII character escaped.
pub(crate) fn py_ascii(s: &[u32]) -> String {
    let repr = py_repr(s);
    let mut out = String::with_capacity(repr.len());
    for ch in repr.chars() {
        if ch.is_ascii() {
            out.push(ch);
        } else {
            push_hex_escape(&mut out, u32::from(ch));
        }
    }
    out
}

/// `repr(s)` of a Python `str`.
pub(crate) fn py_repr(s: &[u32]) -> String {
    let has = |ch: char| s.contains(&u32::from(ch));
    let quote = if has('\'') && !has('"') { '"' } else { '\'' };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for &c in s {
        match char::from_u32(c) {
            Some(ch) if ch == quote || ch == '\\' => {
                out.push('\\');
                out.push(ch);
            }
            Some('\t') => out.push_str("\\t"),
            Some('\n') => out.push_str("\\n"),
            Some('\r') => out.push_str("\\r"),
            Some(ch) if is_printable(c) => out.push(ch),
            _ => push_hex_escape(&mut out, c),
        }
    }
    out.push(quote);
    out
}
