//! The compiled pattern and its matching API.

use std::sync::Mutex;

use crate::ast::{Error, Flags, Parsed, TemplateItem};
use crate::automata::{self, Automaton};
use crate::prog::{self, Prog};
use crate::text::{Bytes, Utf8};
use crate::vm::{self, Cache, LimitExceeded, NONE};

pub use crate::vm::Anchor;

/// The default number of backtracking steps one search may take before it fails with
/// [`MatchError::StepLimit`] (about a second of backtracking). Regular patterns never
/// backtrack this much; a pattern that does is exponential on this haystack, where CPython
/// would hang.
pub const DEFAULT_STEP_LIMIT: u64 = 100_000_000;

/// Why a search failed without an answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MatchError {
    /// The backtracking engine took more steps than the limit allows.
    StepLimit(u64),
    /// A `str` pattern used on bytes, or a `bytes` pattern on a `str`.
    KindMismatch {
        /// Whether the pattern is a bytes pattern.
        pattern_is_bytes: bool,
    },
}

impl std::fmt::Display for MatchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MatchError::StepLimit(limit) => write!(
                f,
                "the pattern backtracked more than {limit} steps on this input (pyaot_re's step limit; \
                 CPython would run for a very long time)"
            ),
            MatchError::KindMismatch { pattern_is_bytes: true } => {
                f.write_str("cannot use a bytes pattern on a string-like object")
            }
            MatchError::KindMismatch { pattern_is_bytes: false } => {
                f.write_str("cannot use a string pattern on a bytes-like object")
            }
        }
    }
}

impl std::error::Error for MatchError {}

/// Text a pattern can search: `str` for `str` patterns, `[u8]` for `bytes` patterns.
pub trait Haystack {
    /// Whether this is text (a `str` haystack).
    const IS_STR: bool;
    /// The bytes (UTF-8 for text).
    fn as_bytes(&self) -> &[u8];
}

impl Haystack for str {
    const IS_STR: bool = true;
    fn as_bytes(&self) -> &[u8] {
        str::as_bytes(self)
    }
}

impl Haystack for [u8] {
    const IS_STR: bool = false;
    fn as_bytes(&self) -> &[u8] {
        self
    }
}

impl Haystack for String {
    const IS_STR: bool = true;
    fn as_bytes(&self) -> &[u8] {
        str::as_bytes(self)
    }
}

impl Haystack for Vec<u8> {
    const IS_STR: bool = false;
    fn as_bytes(&self) -> &[u8] {
        self
    }
}

/// A compiled Python regular expression.
pub struct Regex {
    pattern: Vec<u32>,
    is_bytes: bool,
    parsed_flags: Flags,
    groups: usize,
    names: Vec<(String, usize)>,
    prog: Prog,
    automaton: Option<Automaton>,
    step_limit: u64,
    /// Reusable search state, boxed so that taking one out and putting it back moves a pointer.
    #[allow(clippy::vec_box)]
    caches: Mutex<Vec<Box<Cache>>>,
}

impl std::fmt::Debug for Regex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Regex")
            .field("pattern", &self.pattern_string())
            .field("flags", &self.parsed_flags)
            .finish_non_exhaustive()
    }
}

impl Clone for Regex {
    fn clone(&self) -> Regex {
        Regex {
            pattern: self.pattern.clone(),
            is_bytes: self.is_bytes,
            parsed_flags: self.parsed_flags,
            groups: self.groups,
            names: self.names.clone(),
            prog: self.prog.clone(),
            automaton: self.automaton.clone(),
            step_limit: self.step_limit,
            caches: Mutex::new(Vec::new()),
        }
    }
}

impl Regex {
    /// Compile a `str` pattern without flags (`re.compile(pattern)`).
    pub fn new(pattern: &str) -> Result<Regex, Error> {
        Regex::with_flags(pattern, Flags(0))
    }

    /// Compile a `str` pattern with flags.
    pub fn with_flags(pattern: &str, flags: Flags) -> Result<Regex, Error> {
        let points: Vec<u32> = pattern.chars().map(u32::from).collect();
        Regex::from_code_points(&points, false, flags)
    }

    /// Compile a `bytes` pattern.
    pub fn new_bytes(pattern: &[u8], flags: Flags) -> Result<Regex, Error> {
        let points: Vec<u32> = pattern.iter().map(|&b| u32::from(b)).collect();
        Regex::from_code_points(&points, true, flags)
    }

    /// Compile a pattern given as code points (a `str` pattern, which may hold lone
    /// surrogates) or byte values (`is_bytes`).
    pub fn from_code_points(pattern: &[u32], is_bytes: bool, flags: Flags) -> Result<Regex, Error> {
        Regex::from_code_points_warned(pattern, is_bytes, flags).0
    }

    /// [`Regex::from_code_points`] with the warnings CPython emits while parsing (whether or
    /// not it then raises).
    pub fn from_code_points_warned(
        pattern: &[u32],
        is_bytes: bool,
        flags: Flags,
    ) -> (Result<Regex, Error>, Vec<crate::ast::Warning>) {
        let (parsed, warnings) = crate::parse_warned(pattern, !is_bytes, flags.0);
        (parsed.and_then(|parsed| Regex::from_parsed(pattern, is_bytes, parsed)), warnings)
    }

    fn from_parsed(pattern: &[u32], is_bytes: bool, parsed: Parsed) -> Result<Regex, Error> {
        if parsed.flags.has(Flags::TEMPLATE)
            && let Some(op) = first_repeat(&parsed.body)
        {
            return Err(Error::new(format!("internal: unsupported template operator {op}")));
        }
        let prog = prog::compile(&parsed, is_bytes);
        let automaton = automata::build(&parsed, is_bytes);
        Ok(Regex {
            pattern: pattern.to_vec(),
            is_bytes,
            parsed_flags: parsed.flags,
            groups: parsed.groups,
            names: parsed.group_names,
            prog,
            automaton,
            step_limit: DEFAULT_STEP_LIMIT,
            caches: Mutex::new(Vec::new()),
        })
    }

    /// The same pattern with another step limit for the backtracking engine.
    pub fn with_step_limit(mut self, limit: u64) -> Regex {
        self.step_limit = limit;
        self
    }

    /// The pattern's code points (or byte values).
    pub fn pattern(&self) -> &[u32] {
        &self.pattern
    }

    fn pattern_string(&self) -> String {
        self.pattern.iter().map(|&c| char::from_u32(c).unwrap_or('\u{FFFD}')).collect()
    }

    /// Whether this is a `bytes` pattern.
    pub fn is_bytes(&self) -> bool {
        self.is_bytes
    }

    /// The flags, as `Pattern.flags` reports them (argument flags, inline flags and the
    /// implied `UNICODE` of `str` patterns).
    pub fn flags(&self) -> Flags {
        self.parsed_flags
    }

    /// The number of capturing groups.
    pub fn groups(&self) -> usize {
        self.groups
    }

    /// Named groups with their numbers, in order of number.
    pub fn group_names(&self) -> &[(String, usize)] {
        &self.names
    }

    /// The number of a named group.
    pub fn group_index(&self, name: &str) -> Option<usize> {
        self.names.iter().find(|(n, _)| n == name).map(|&(_, i)| i)
    }

    /// The number of capture slots [`Regex::search_raw`] fills: two per group, group 0 first.
    pub fn slot_count(&self) -> usize {
        self.prog.slots
    }

    /// The engine's entry point. Search `haystack[..endpos]` (bytes for a bytes pattern, UTF-8
    /// for a `str` pattern) from byte offset `pos`; `must_advance` refuses an empty match at
    /// `pos` (what iteration needs after an empty match). On success `slots` (length
    /// [`Regex::slot_count`]) holds byte offsets, `usize::MAX` for groups that did not match,
    /// and the result is `lastindex` (0 for none).
    pub fn search_raw(
        &self,
        haystack: &[u8],
        pos: usize,
        endpos: usize,
        anchor: Anchor,
        must_advance: bool,
        slots: &mut [usize],
    ) -> Result<Option<usize>, MatchError> {
        self.search_hinted(haystack, None, pos, endpos, anchor, must_advance, slots)
    }

    /// Whether this pattern runs on regex-automata (for searches it can take).
    pub fn is_regular(&self) -> bool {
        self.automaton.is_some()
    }

    /// [`Regex::search_raw`] with what the caller knows about the haystack: `ascii` whether it
    /// is all ASCII (`None`: unknown). A `str` haystack holding lone surrogates (WTF-8) must be
    /// searched with `ascii == Some(false)` and `wtf8 == true` so that only the backtracker
    /// reads it.
    #[allow(clippy::too_many_arguments)]
    pub fn search_hinted(
        &self,
        haystack: &[u8],
        ascii: Option<bool>,
        pos: usize,
        endpos: usize,
        anchor: Anchor,
        must_advance: bool,
        slots: &mut [usize],
    ) -> Result<Option<usize>, MatchError> {
        self.search_full(haystack, ascii, false, pos, endpos, anchor, must_advance, slots)
    }

    /// The search itself; `wtf8` marks text with lone surrogates (backtracker only).
    #[allow(clippy::too_many_arguments)]
    pub fn search_full(
        &self,
        haystack: &[u8],
        ascii: Option<bool>,
        wtf8: bool,
        pos: usize,
        endpos: usize,
        anchor: Anchor,
        must_advance: bool,
        slots: &mut [usize],
    ) -> Result<Option<usize>, MatchError> {
        let endpos = endpos.min(haystack.len());
        if pos > endpos {
            // `_sre` still runs `match` at `pos` (only an empty pattern can succeed there).
            if anchor != Anchor::Match || pos > haystack.len() {
                return Ok(None);
            }
            return self.backtrack(haystack, pos, endpos, anchor, must_advance, slots);
        }
        if let Some(auto) = &self.automaton
            && !wtf8
            && auto.usable(haystack, endpos, ascii)
        {
            if !auto.exact {
                // Where the leftmost match starts (or that there is none) is the same for the
                // automaton; the backtracker picks the match there.
                use regex_automata::{Anchored, Input};
                let anchored = if anchor == Anchor::Search { Anchored::No } else { Anchored::Yes };
                let input = Input::new(&haystack[..endpos]).range(pos..endpos).anchored(anchored);
                let Some(found) = auto.re.search(&input) else { return Ok(None) };
                let from = found.start();
                return self.backtrack(haystack, from, endpos, anchor, must_advance && from == pos, slots);
            }
            if let Some(answer) = self.search_automaton(auto, haystack, pos, endpos, anchor, must_advance, slots)? {
                return Ok(answer);
            }
        }
        self.backtrack(haystack, pos, endpos, anchor, must_advance, slots)
    }

    fn backtrack(
        &self,
        haystack: &[u8],
        pos: usize,
        endpos: usize,
        anchor: Anchor,
        must_advance: bool,
        slots: &mut [usize],
    ) -> Result<Option<usize>, MatchError> {
        let mut cache = self.take_cache();
        let mut all = std::mem::take(&mut cache.slots);
        all.clear();
        all.resize(self.prog.slots, NONE);
        let result = if self.is_bytes {
            vm::exec(
                &self.prog,
                Bytes(haystack),
                pos,
                endpos,
                anchor,
                must_advance,
                &mut all,
                &mut cache,
                self.step_limit,
            )
        } else {
            vm::exec(
                &self.prog,
                Utf8(haystack),
                pos,
                endpos,
                anchor,
                must_advance,
                &mut all,
                &mut cache,
                self.step_limit,
            )
        };
        let n = slots.len().min(all.len());
        slots[..n].copy_from_slice(&all[..n]);
        cache.slots = all;
        self.put_cache(cache);
        result.map_err(|LimitExceeded| MatchError::StepLimit(self.step_limit))
    }

    fn take_cache(&self) -> Box<Cache> {
        self.caches.lock().map(|mut c| c.pop()).ok().flatten().unwrap_or_default()
    }

    fn put_cache(&self, cache: Box<Cache>) {
        if let Ok(mut caches) = self.caches.lock() {
            caches.push(cache);
        }
    }

    /// A search on the automaton: `Ok(None)` when the backtracker must answer instead.
    #[allow(clippy::too_many_arguments)]
    fn search_automaton(
        &self,
        auto: &Automaton,
        haystack: &[u8],
        pos: usize,
        endpos: usize,
        anchor: Anchor,
        must_advance: bool,
        slots: &mut [usize],
    ) -> Result<Option<Option<usize>>, MatchError> {
        use regex_automata::{Anchored, Input};
        let hay = &haystack[..endpos];
        let anchored = if anchor == Anchor::Search { Anchored::No } else { Anchored::Yes };
        let input = Input::new(hay).range(pos..endpos).anchored(anchored);
        let groups_wanted = slots.len() > 2;
        let re = match anchor {
            Anchor::Full => match auto.full() {
                Some(re) => re,
                None => return Ok(None),
            },
            _ => &auto.re,
        };
        let (found, lastindex) = if groups_wanted {
            let mut cache = self.take_cache();
            let slot = if anchor == Anchor::Full { &mut cache.full_captures } else { &mut cache.captures };
            let caps = slot.get_or_insert_with(|| re.create_captures());
            re.search_captures(&input, caps);
            let found = match caps.get_match() {
                None => (None, 0),
                Some(m) => {
                    for (g, slot) in slots.chunks_mut(2).enumerate() {
                        match caps.get_group(g) {
                            Some(span) => {
                                slot[0] = span.start;
                                slot[1] = span.end;
                            }
                            None => {
                                slot[0] = NONE;
                                slot[1] = NONE;
                            }
                        }
                    }
                    (Some((m.start(), m.end())), lastindex(&auto.parents, slots))
                }
            };
            self.put_cache(cache);
            found
        } else {
            (re.search(&input).map(|m| (m.start(), m.end())), 0)
        };
        let Some((start, end)) = found else { return Ok(Some(None)) };
        // Rules the automaton does not know: an empty match refused at `pos`, and fullmatch
        // wanting the highest-priority match that ends at `endpos`.
        if (must_advance && start == pos && end == pos) || (anchor == Anchor::Full && end != endpos) {
            return Ok(None);
        }
        slots[0] = start;
        slots[1] = end;
        Ok(Some(Some(lastindex)))
    }

    fn check<H: Haystack + ?Sized>(&self) -> Result<(), MatchError> {
        if H::IS_STR == self.is_bytes {
            return Err(MatchError::KindMismatch { pattern_is_bytes: self.is_bytes });
        }
        Ok(())
    }

    fn captures_at<'h, H: Haystack + ?Sized>(
        &self,
        haystack: &'h H,
        pos: usize,
        anchor: Anchor,
        must_advance: bool,
    ) -> Result<Option<Captures<'h>>, MatchError> {
        self.check::<H>()?;
        let bytes = haystack.as_bytes();
        let mut slots = vec![NONE; self.prog.slots];
        let found = self.search_raw(bytes, pos, bytes.len(), anchor, must_advance, &mut slots)?;
        Ok(found.map(|lastindex| Captures { haystack: bytes, slots, lastindex }))
    }

    /// `search`: the first match.
    pub fn find<'h, H: Haystack + ?Sized>(&self, haystack: &'h H) -> Result<Option<Match<'h>>, MatchError> {
        Ok(self.captures(haystack)?.and_then(|c| c.get(0)))
    }

    /// Whether the pattern matches anywhere.
    pub fn is_match<H: Haystack + ?Sized>(&self, haystack: &H) -> Result<bool, MatchError> {
        Ok(self.captures(haystack)?.is_some())
    }

    /// `search` with groups.
    pub fn captures<'h, H: Haystack + ?Sized>(&self, haystack: &'h H) -> Result<Option<Captures<'h>>, MatchError> {
        self.captures_at(haystack, 0, Anchor::Search, false)
    }

    /// `match`: a match starting at the beginning.
    pub fn match_start<'h, H: Haystack + ?Sized>(&self, haystack: &'h H) -> Result<Option<Captures<'h>>, MatchError> {
        self.captures_at(haystack, 0, Anchor::Match, false)
    }

    /// `fullmatch`: a match of the whole haystack.
    pub fn full_match<'h, H: Haystack + ?Sized>(&self, haystack: &'h H) -> Result<Option<Captures<'h>>, MatchError> {
        self.captures_at(haystack, 0, Anchor::Full, false)
    }

    /// `finditer`: successive non-overlapping matches with Python's empty-match rule.
    pub fn captures_iter<'r, 'h, H: Haystack + ?Sized>(&'r self, haystack: &'h H) -> CaptureMatches<'r, 'h> {
        let kind = self.check::<H>().err();
        CaptureMatches {
            regex: self,
            haystack: haystack.as_bytes(),
            pos: 0,
            must_advance: false,
            error: kind,
            done: false,
        }
    }

    /// `finditer` without groups.
    pub fn find_iter<'r, 'h, H: Haystack + ?Sized>(
        &'r self,
        haystack: &'h H,
    ) -> impl Iterator<Item = Result<Match<'h>, MatchError>> + 'r
    where
        'h: 'r,
    {
        self.captures_iter(haystack).map(|c| c.map(|c| c.get(0).expect("group 0 is set")))
    }

    /// `findall`/`finditer` counting only.
    pub fn count<H: Haystack + ?Sized>(&self, haystack: &H) -> Result<usize, MatchError> {
        self.captures_iter(haystack).try_fold(0, |n, m| m.map(|_| n + 1))
    }

    /// Parse a replacement template (`\1`, `\g<name>`, escapes) for this pattern.
    pub fn template(&self, template: &[u32]) -> Result<Vec<TemplateItem>, Error> {
        self.template_warned(template).0
    }

    /// [`Regex::template`] with the warnings CPython emits while parsing it.
    pub fn template_warned(&self, template: &[u32]) -> (Result<Vec<TemplateItem>, Error>, Vec<crate::ast::Warning>) {
        crate::parse_template_warned(template, !self.is_bytes, self.groups, &self.names)
    }

    /// `subn`: replace up to `count` matches (0 for all) with a parsed template; the new text
    /// and the number of replacements. Output is UTF-8 for `str` patterns.
    pub fn replace_raw(
        &self,
        haystack: &[u8],
        template: &[TemplateItem],
        count: usize,
    ) -> Result<(Vec<u8>, usize), MatchError> {
        let mut out = Vec::with_capacity(haystack.len());
        let mut last = 0;
        let mut n = 0;
        let mut iter = CaptureMatches { regex: self, haystack, pos: 0, must_advance: false, error: None, done: false };
        while count == 0 || n < count {
            let Some(caps) = iter.next() else { break };
            let caps = caps?;
            let (s, e) = (caps.slots[0], caps.slots[1]);
            out.extend_from_slice(&haystack[last..s]);
            caps.expand_into(template, self.is_bytes, &mut out);
            last = e;
            n += 1;
        }
        out.extend_from_slice(&haystack[last..]);
        Ok((out, n))
    }

    /// `sub` on text with a template string (`\1`, `\g<name>`): the result, or an error in
    /// the template or the search.
    pub fn replace_all(&self, haystack: &str, template: &str) -> Result<String, ReplaceError> {
        self.check::<str>().map_err(ReplaceError::Match)?;
        let points: Vec<u32> = template.chars().map(u32::from).collect();
        let items = self.template(&points).map_err(ReplaceError::Template)?;
        let (out, _) = self.replace_raw(haystack.as_bytes(), &items, 0).map_err(ReplaceError::Match)?;
        Ok(String::from_utf8(out).expect("UTF-8 in, UTF-8 out"))
    }

    /// `split` on text: the pieces between matches, with the groups' text (`None` for groups
    /// that did not match) between them, at most `maxsplit` splits (0 for all).
    pub fn split<'h>(&self, haystack: &'h str, maxsplit: usize) -> Result<Vec<Option<&'h str>>, MatchError> {
        self.check::<str>()?;
        let mut out = Vec::new();
        let mut last = 0;
        for (n, caps) in self.captures_iter(haystack).enumerate() {
            if maxsplit != 0 && n >= maxsplit {
                break;
            }
            let caps = caps?;
            out.push(Some(&haystack[last..caps.slots[0]]));
            for g in 1..=self.groups {
                out.push(caps.get(g).map(|m| &haystack[m.start..m.end]));
            }
            last = caps.slots[1];
        }
        out.push(Some(&haystack[last..]));
        Ok(out)
    }
}

/// Why [`Regex::replace_all`] failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReplaceError {
    /// The template is invalid (`re.error`).
    Template(Error),
    /// The search failed.
    Match(MatchError),
}

impl std::fmt::Display for ReplaceError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReplaceError::Template(e) => e.fmt(f),
            ReplaceError::Match(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for ReplaceError {}

/// One match or group: byte offsets into the haystack.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Match<'h> {
    haystack: &'h [u8],
    start: usize,
    end: usize,
}

impl<'h> Match<'h> {
    /// The start (byte offset).
    pub fn start(&self) -> usize {
        self.start
    }

    /// The end (byte offset).
    pub fn end(&self) -> usize {
        self.end
    }

    /// `start..end`.
    pub fn range(&self) -> std::ops::Range<usize> {
        self.start..self.end
    }

    /// The matched bytes.
    pub fn as_bytes(&self) -> &'h [u8] {
        &self.haystack[self.start..self.end]
    }

    /// The matched text (for `str` haystacks).
    pub fn as_str(&self) -> &'h str {
        std::str::from_utf8(self.as_bytes()).unwrap_or("")
    }
}

/// The groups of one match.
#[derive(Clone, Debug)]
pub struct Captures<'h> {
    haystack: &'h [u8],
    slots: Vec<usize>,
    lastindex: usize,
}

impl<'h> Captures<'h> {
    /// The number of groups, group 0 included.
    pub fn len(&self) -> usize {
        self.slots.len() / 2
    }

    /// Never true: group 0 is always there.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// Group `i` (0 for the whole match), `None` when it did not take part.
    pub fn get(&self, i: usize) -> Option<Match<'h>> {
        let (s, e) = (*self.slots.get(2 * i)?, *self.slots.get(2 * i + 1)?);
        (s != NONE && e != NONE).then_some(Match { haystack: self.haystack, start: s, end: e })
    }

    /// `lastindex`: the last group closed, if any.
    pub fn lastindex(&self) -> Option<usize> {
        (self.lastindex != 0).then_some(self.lastindex)
    }

    /// The raw slots (byte offsets, `usize::MAX` when unset).
    pub fn slots(&self) -> &[usize] {
        &self.slots
    }

    /// Append the expansion of a template (`Match.expand`).
    pub fn expand_into(&self, template: &[TemplateItem], is_bytes: bool, out: &mut Vec<u8>) {
        for item in template {
            match item {
                TemplateItem::Literal(points) => {
                    for &c in points {
                        push_char(out, c, is_bytes);
                    }
                }
                TemplateItem::Group(g) => {
                    if let Some(m) = self.get(*g) {
                        out.extend_from_slice(m.as_bytes());
                    }
                }
            }
        }
    }
}

/// Append a code point as UTF-8 (WTF-8 for surrogates), or a byte for bytes patterns.
pub(crate) fn push_char(out: &mut Vec<u8>, c: u32, is_bytes: bool) {
    if is_bytes {
        out.push(c as u8);
    } else if let Some(ch) = char::from_u32(c) {
        out.extend_from_slice(ch.encode_utf8(&mut [0; 4]).as_bytes());
    } else {
        // A lone surrogate: its generalized UTF-8 form.
        out.extend_from_slice(&[0xE0 | (c >> 12) as u8, 0x80 | ((c >> 6) & 0x3F) as u8, 0x80 | (c & 0x3F) as u8]);
    }
}

/// The iterator of [`Regex::captures_iter`].
pub struct CaptureMatches<'r, 'h> {
    regex: &'r Regex,
    haystack: &'h [u8],
    pos: usize,
    must_advance: bool,
    error: Option<MatchError>,
    done: bool,
}

impl<'h> Iterator for CaptureMatches<'_, 'h> {
    type Item = Result<Captures<'h>, MatchError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        if let Some(e) = self.error.take() {
            self.done = true;
            return Some(Err(e));
        }
        let mut slots = vec![NONE; self.regex.prog.slots];
        match self.regex.search_raw(
            self.haystack,
            self.pos,
            self.haystack.len(),
            Anchor::Search,
            self.must_advance,
            &mut slots,
        ) {
            Ok(Some(lastindex)) => {
                self.must_advance = slots[1] == slots[0];
                self.pos = slots[1];
                Some(Ok(Captures { haystack: self.haystack, slots, lastindex }))
            }
            Ok(None) => {
                self.done = true;
                None
            }
            Err(e) => {
                self.done = true;
                Some(Err(e))
            }
        }
    }
}

/// `lastindex` from spans: the group closed last is the one ending last; among groups ending
/// at the same place, an enclosing group closes after the groups inside it, and a later group
/// after an earlier one.
fn lastindex(parents: &[usize], slots: &[usize]) -> usize {
    let mut best = 0;
    let mut best_end = 0;
    for g in 1..slots.len() / 2 {
        let end = slots[2 * g + 1];
        if end == NONE {
            continue;
        }
        if best == 0 || end > best_end || (end == best_end && !is_inside(parents, g, best)) {
            best = g;
            best_end = end;
        }
    }
    best
}

fn is_inside(parents: &[usize], mut g: usize, ancestor: usize) -> bool {
    while g != 0 {
        g = parents[g];
        if g == ancestor {
            return true;
        }
    }
    false
}

/// The name of the first repeat opcode `re._compiler` meets (TEMPLATE patterns refuse them).
fn first_repeat(nodes: &[crate::ast::Node]) -> Option<&'static str> {
    use crate::ast::{Greed, Node};
    nodes.iter().find_map(|node| match node {
        Node::Repeat { greed, .. } => Some(match greed {
            Greed::Greedy => "MAX_REPEAT",
            Greed::Lazy => "MIN_REPEAT",
            Greed::Possessive => "POSSESSIVE_REPEAT",
        }),
        Node::Group { body, .. } | Node::Atomic(body) | Node::Assert { body, .. } => first_repeat(body),
        Node::Branch(alts) => alts.iter().find_map(|a| first_repeat(a)),
        Node::GroupRefExists { yes, no, .. } => first_repeat(yes).or_else(|| no.as_deref().and_then(first_repeat)),
        _ => None,
    })
}
