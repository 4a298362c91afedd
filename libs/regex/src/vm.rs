//! The backtracking matcher: CPython's `_sre` matching rules on an explicit stack.
//!
//! Nothing recurses, so no pattern or haystack can overflow the native stack. Every choice
//! point and every change of state (a capture slot, `lastindex`, a repeat counter, a register)
//! is pushed on one stack; failing pops it, undoing the changes, until a choice point resumes.
//! Atomic groups and lookarounds cut the choice points their body left while keeping the undo
//! records, so that backtracking past them still restores the state.
//!
//! The rules that differ from other engines are CPython's: a repeat of a body that matched
//! the empty string stops iterating (`last_ptr`), `lastindex` is the group closed last, `^` and
//! lookbehind see the string before `pos`, and `$` sees `endpos` as the end.

use crate::prog::{Classes, Inst, Look, Lower, Prog, UNBOUNDED};
use crate::text::Text;

/// A capture slot that is not set.
pub(crate) const NONE: usize = usize::MAX;

/// The step limit was reached: the pattern backtracks too much on this haystack.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LimitExceeded;

#[derive(Clone, Copy, Debug)]
enum Frame {
    /// Resume at `pc` with `pos`.
    Alt { pc: usize, pos: usize },
    /// Undo: a capture slot's old value.
    Slot { slot: usize, old: usize },
    /// Undo: `lastindex`'s old value.
    LastIndex { old: usize },
    /// Undo: a repeat's counter and last iteration start.
    Rep { id: usize, count: i64, last: usize },
    /// Undo: a register's old value.
    Reg { reg: usize, old: usize },
    /// The bottom of an atomic group's choices.
    Barrier,
    /// A lookaround in progress; reaching it by failing means its body failed.
    Look { negate: bool, end: usize, pos: usize },
    /// A greedy single-character repeat can give back characters down to `min_pos`.
    GreedyOne { pc: usize, min_pos: usize, pos: usize },
    /// A lazy single-character repeat can take more characters.
    LazyOne { pc: usize, count: u32, pos: usize },
    /// A lazy general repeat can try one more iteration.
    LazyUntil { pc: usize, count: i64, pos: usize },
}

impl Frame {
    fn is_undo(&self) -> bool {
        matches!(self, Frame::Slot { .. } | Frame::LastIndex { .. } | Frame::Rep { .. } | Frame::Reg { .. })
    }
}

/// What a match attempt needs besides the program: reused between attempts.
#[derive(Default)]
pub(crate) struct Cache {
    /// Capture slots of the backtracker, reused.
    pub slots: Vec<usize>,
    /// The automaton's captures, reused.
    pub captures: Option<regex_automata::util::captures::Captures>,
    /// The `fullmatch` automaton's captures, reused.
    pub full_captures: Option<regex_automata::util::captures::Captures>,
    stack: Vec<Frame>,
    counts: Vec<i64>,
    lasts: Vec<usize>,
    regs: Vec<usize>,
}

/// Where a match may start and end: `search`, `match` or `fullmatch`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    /// `search`: try every start from `pos`.
    Search,
    /// `match`: only at `pos`.
    Match,
    /// `fullmatch`: at `pos`, ending at `endpos`.
    Full,
}

struct Vm<'a, T: Text> {
    prog: &'a Prog,
    text: T,
    end: usize,
    full: bool,
    /// With `must_advance`, an empty match at the search's start position is refused (the
    /// matcher backtracks for a longer one), as CPython's iterators require after an empty
    /// match.
    no_empty_at: usize,
    slots: &'a mut [usize],
    lastindex: usize,
    cache: &'a mut Cache,
    steps: u64,
    limit: u64,
}

/// Run `prog` on `text[..end]` from `start`. On success, `slots` holds the capture positions
/// (slot 0 and 1: the whole match) and the result is `lastindex` (0 for none).
#[allow(clippy::too_many_arguments)]
pub(crate) fn exec<T: Text>(
    prog: &Prog,
    text: T,
    start: usize,
    end: usize,
    anchor: Anchor,
    must_advance: bool,
    slots: &mut [usize],
    cache: &mut Cache,
    limit: u64,
) -> Result<Option<usize>, LimitExceeded> {
    let bytes = text.bytes();
    if start > end && anchor != Anchor::Match {
        return Ok(None);
    }
    cache.counts.clear();
    cache.counts.resize(prog.repeats, -1);
    cache.lasts.clear();
    cache.lasts.resize(prog.repeats, NONE);
    cache.regs.clear();
    cache.regs.resize(prog.regs, 0);
    let mut vm = Vm {
        prog,
        text,
        end,
        full: anchor == Anchor::Full,
        no_empty_at: if must_advance { start } else { NONE },
        slots,
        lastindex: 0,
        cache,
        steps: 0,
        limit,
    };
    let mut at = start;
    loop {
        if anchor == Anchor::Search && !prog.prefix.is_empty() {
            match memchr::memmem::find(&bytes[at..end], &prog.prefix) {
                Some(i) => at += i,
                None => return Ok(None),
            }
        }
        vm.slots.fill(NONE);
        vm.lastindex = 0;
        if let Some(found) = vm.run(at)? {
            vm.slots[0] = at;
            vm.slots[1] = found;
            return Ok(Some(vm.lastindex));
        }
        if anchor != Anchor::Search || at >= end || (prog.anchored_start && at > 0) {
            return Ok(None);
        }
        at += if T::BYTES { 1 } else { text.next(at).1 };
    }
}

impl<T: Text> Vm<'_, T> {
    #[inline]
    fn set_slot(&mut self, slot: usize, value: usize) {
        let old = self.slots[slot];
        self.cache.stack.push(Frame::Slot { slot, old });
        self.slots[slot] = value;
        if slot & 1 == 1 {
            self.cache.stack.push(Frame::LastIndex { old: self.lastindex });
            self.lastindex = slot / 2;
        }
    }

    fn set_rep(&mut self, id: usize, count: i64, last: usize) {
        self.cache.stack.push(Frame::Rep { id, count: self.cache.counts[id], last: self.cache.lasts[id] });
        self.cache.counts[id] = count;
        self.cache.lasts[id] = last;
    }

    fn set_reg(&mut self, reg: usize, value: usize) {
        self.cache.stack.push(Frame::Reg { reg, old: self.cache.regs[reg] });
        self.cache.regs[reg] = value;
    }

    /// Drop the choice points above `height` (keeping undo records) and the frame at `height`.
    fn cut(&mut self, height: usize) {
        let stack = &mut self.cache.stack;
        let mut w = height;
        for r in height + 1..stack.len() {
            if stack[r].is_undo() {
                stack[w] = stack[r];
                w += 1;
            }
        }
        stack.truncate(w);
    }

    fn undo(&mut self, frame: Frame) {
        match frame {
            Frame::Slot { slot, old } => self.slots[slot] = old,
            Frame::LastIndex { old } => self.lastindex = old,
            Frame::Rep { id, count, last } => {
                self.cache.counts[id] = count;
                self.cache.lasts[id] = last;
            }
            Frame::Reg { reg, old } => self.cache.regs[reg] = old,
            _ => {}
        }
    }

    fn look(&self, look: Look, pos: usize) -> bool {
        let end = self.end;
        match look {
            Look::Start => pos == 0,
            Look::StartLine => pos == 0 || self.text.bytes()[pos - 1] == b'\n',
            Look::End => pos == end || (pos + 1 == end && self.text.bytes()[pos] == b'\n'),
            // `pos` passes `end` only for `match` at a `pos` beyond `endpos`, where `_sre` reads
            // the character there all the same.
            Look::EndLine => pos == end || self.text.bytes().get(pos) == Some(&b'\n'),
            Look::EndString => pos == end,
            Look::Boundary(classes) | Look::NonBoundary(classes) => {
                // `_sre`: no boundary at all when the searched text is empty (`endpos` 0).
                if end == 0 {
                    return false;
                }
                let before = pos > 0 && self.word(classes, self.text.prev(pos).0);
                let after = pos < end && self.word(classes, self.text.next(pos).0);
                (before != after) == matches!(look, Look::Boundary(_))
            }
        }
    }

    #[inline]
    fn word(&self, classes: Classes, c: u32) -> bool {
        classes.is_word(c)
    }

    /// Try to match at `start`; the end position on success.
    fn run(&mut self, start: usize) -> Result<Option<usize>, LimitExceeded> {
        self.cache.stack.clear();
        let insts = &self.prog.insts;
        let mut pc = 0;
        let mut pos = start;
        'outer: loop {
            // Forward: run instructions until one fails.
            let failed = loop {
                match insts[pc] {
                    Inst::One(ref one) => {
                        if pos >= self.end {
                            break true;
                        }
                        let (c, len) = self.text.next(pos);
                        if !one.matches(c) {
                            break true;
                        }
                        pos += len;
                        pc += 1;
                    }
                    Inst::Look(look) => {
                        if !self.look(look, pos) {
                            break true;
                        }
                        pc += 1;
                    }
                    Inst::Split(first, second) => {
                        self.cache.stack.push(Frame::Alt { pc: second, pos });
                        pc = first;
                    }
                    Inst::Jmp(to) => pc = to,
                    Inst::Save(slot) => {
                        self.set_slot(slot, pos);
                        pc += 1;
                    }
                    Inst::GroupRef(g, lower) => match self.group_ref(g, lower, pos) {
                        Some(next) => {
                            pos = next;
                            pc += 1;
                        }
                        None => break true,
                    },
                    Inst::IfGroup(g, no) => {
                        let (s, e) = (self.slots[2 * g], self.slots[2 * g + 1]);
                        pc = if s != NONE && e != NONE && s <= e { pc + 1 } else { no };
                    }
                    Inst::RepeatInit { id, until } => {
                        self.set_rep(id, -1, NONE);
                        pc = until;
                    }
                    Inst::Until { id, min, max, greedy, body, exit } => {
                        let count = self.cache.counts[id] + 1;
                        if count < i64::from(min) {
                            let last = self.cache.lasts[id];
                            self.set_rep(id, count, last);
                            pc = body;
                            continue;
                        }
                        let more = count < i64::from(max) || max == UNBOUNDED;
                        if greedy {
                            if more && pos != self.cache.lasts[id] {
                                self.cache.stack.push(Frame::Alt { pc: exit, pos });
                                self.set_rep(id, count, pos);
                                pc = body;
                            } else {
                                pc = exit;
                            }
                        } else {
                            self.cache.stack.push(Frame::LazyUntil { pc, count, pos });
                            pc = exit;
                        }
                    }
                    Inst::RepeatOne { ref one, min, max, greed } => {
                        // `_sre`'s REPEAT_ONE fails outright past the end (a `match` with
                        // `pos > endpos`).
                        if pos > self.end {
                            break true;
                        }
                        // Take the minimum first.
                        let mut count = 0u32;
                        while count < min {
                            if pos >= self.end {
                                break;
                            }
                            let (c, len) = self.text.next(pos);
                            if !one.matches(c) {
                                break;
                            }
                            pos += len;
                            count += 1;
                        }
                        if count < min {
                            break true;
                        }
                        match greed {
                            crate::ast::Greed::Lazy => {
                                if count < max {
                                    self.cache.stack.push(Frame::LazyOne { pc, count, pos });
                                }
                            }
                            _ => {
                                let min_pos = pos;
                                while count < max && pos < self.end {
                                    let (c, len) = self.text.next(pos);
                                    if !one.matches(c) {
                                        break;
                                    }
                                    pos += len;
                                    count += 1;
                                }
                                if greed == crate::ast::Greed::Greedy && pos > min_pos {
                                    self.cache.stack.push(Frame::GreedyOne { pc: pc + 1, min_pos, pos });
                                }
                            }
                        }
                        pc += 1;
                    }
                    Inst::AtomicStart(reg) => {
                        let height = self.cache.stack.len() + 1;
                        self.set_reg(reg, height);
                        self.cache.stack.push(Frame::Barrier);
                        pc += 1;
                    }
                    Inst::AtomicEnd(reg) => {
                        let height = self.cache.regs[reg];
                        self.cut(height);
                        pc += 1;
                    }
                    Inst::LookStart { reg, behind, negate, end } => {
                        let mut from = pos;
                        // Every character is at least one byte: too close to the start fails
                        // at once (no walk of `behind` characters at every position).
                        let mut ok = pos >= behind;
                        for _ in 0..if ok { behind } else { 0 } {
                            if from == 0 {
                                ok = false;
                                break;
                            }
                            from -= if T::BYTES { 1 } else { self.text.prev(from).1 };
                        }
                        if !ok {
                            if negate {
                                pc = end;
                                continue;
                            }
                            break true;
                        }
                        let height = self.cache.stack.len() + 1;
                        self.set_reg(reg, height);
                        self.cache.stack.push(Frame::Look { negate, end, pos });
                        pos = from;
                        pc += 1;
                    }
                    Inst::LookEnd { reg, negate } => {
                        let height = self.cache.regs[reg];
                        let Frame::Look { end, pos: saved, .. } = self.cache.stack[height] else {
                            unreachable!("a lookaround's register points at its frame")
                        };
                        if negate {
                            // The body matched: the assertion fails. Undo the body entirely.
                            while self.cache.stack.len() > height {
                                let frame = self.cache.stack.pop().expect("above height");
                                self.undo(frame);
                            }
                            break true;
                        }
                        self.cut(height);
                        pos = saved;
                        pc = end;
                    }
                    Inst::Match => {
                        if (self.full && pos != self.end) || (pos == start && start == self.no_empty_at) {
                            break true;
                        }
                        return Ok(Some(pos));
                    }
                }
            };
            debug_assert!(failed);
            // Backward: pop until a choice point resumes.
            loop {
                self.steps += 1;
                if self.steps > self.limit {
                    return Err(LimitExceeded);
                }
                let Some(frame) = self.cache.stack.pop() else {
                    return Ok(None);
                };
                match frame {
                    Frame::Alt { pc: to, pos: at } => {
                        pc = to;
                        pos = at;
                        continue 'outer;
                    }
                    Frame::Barrier => {}
                    Frame::Look { negate, end, pos: at } => {
                        if negate {
                            pc = end;
                            pos = at;
                            continue 'outer;
                        }
                    }
                    Frame::GreedyOne { pc: to, min_pos, pos: at } => {
                        let back = if T::BYTES { 1 } else { self.text.prev(at).1 };
                        let at = at - back;
                        if at > min_pos {
                            self.cache.stack.push(Frame::GreedyOne { pc: to, min_pos, pos: at });
                        }
                        pc = to;
                        pos = at;
                        continue 'outer;
                    }
                    Frame::LazyOne { pc: at_pc, count, pos: at } => {
                        let Inst::RepeatOne { ref one, max, .. } = insts[at_pc] else { unreachable!() };
                        if at < self.end {
                            let (c, len) = self.text.next(at);
                            if one.matches(c) {
                                let count = count + 1;
                                if count < max {
                                    self.cache.stack.push(Frame::LazyOne { pc: at_pc, count, pos: at + len });
                                }
                                pc = at_pc + 1;
                                pos = at + len;
                                continue 'outer;
                            }
                        }
                    }
                    Frame::LazyUntil { pc: until, count, pos: at } => {
                        let Inst::Until { id, max, body, .. } = insts[until] else { unreachable!() };
                        if (count >= i64::from(max) && max != UNBOUNDED) || at == self.cache.lasts[id] {
                            continue;
                        }
                        self.set_rep(id, count, at);
                        pc = body;
                        pos = at;
                        continue 'outer;
                    }
                    undo => self.undo(undo),
                }
            }
        }
    }

    fn group_ref(&self, g: usize, lower: Lower, pos: usize) -> Option<usize> {
        let (s, e) = (self.slots[2 * g], self.slots[2 * g + 1]);
        if s == NONE || e == NONE || s > e {
            return None;
        }
        let bytes = self.text.bytes();
        if s == e {
            return Some(pos);
        }
        if lower == Lower::No {
            let len = e - s;
            if pos + len > self.end || bytes[s..e] != bytes[pos..pos + len] {
                return None;
            }
            return Some(pos + len);
        }
        let (mut p, mut q) = (s, pos);
        while p < e {
            if q >= self.end {
                return None;
            }
            let (a, alen) = self.text.next(p);
            let (b, blen) = self.text.next(q);
            if lower.apply(a) != lower.apply(b) {
                return None;
            }
            p += alen;
            q += blen;
        }
        Some(q)
    }
}
