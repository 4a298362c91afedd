//! Pre-tokenization: cutting text into the pieces that BPE encodes one at a time.
//!
//! tiktoken cuts with a backtracking regex (fancy-regex), which is most of its run time. The
//! three pattern families of the built-in encodings (r50k/p50k/gpt2, cl100k, o200k) are
//! reproduced here by hand-written scanners: at each position the scanner decides which
//! alternative of the pattern matches first, and where it ends, exactly as the regex engine's
//! leftmost-first backtracking would, lookahead and possessive quantifiers included. The reasoning
//! for each alternative is spelled out next to its code, and `tests/it/split.rs` checks the
//! scanners against fancy-regex itself on the corpora and on generated text.
//!
//! Any other pattern is run with fancy-regex, the engine tiktoken uses, so custom encodings cut
//! exactly as they do in tiktoken (feature `custom-patterns`; without it only the built-in
//! patterns are accepted).

use crate::unicode::{Classes, LETTER, LOWERISH, NUMBER, SPACE, UPPERISH};

/// tiktoken's pattern for r50k_base, p50k_base, p50k_edit and gpt2.
pub const R50K_PATTERN: &str = r"'(?:[sdmt]|ll|ve|re)| ?\p{L}++| ?\p{N}++| ?[^\s\p{L}\p{N}]++|\s++$|\s+(?!\S)|\s";

/// tiktoken's pattern for cl100k_base.
pub const CL100K_PATTERN: &str = r"'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+|\s++$|\s*[\r\n]|\s+(?!\S)|\s";

/// tiktoken's pattern for o200k_base and o200k_harmony.
pub const O200K_PATTERN: &str = concat!(
    r"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?",
    "|",
    r"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?",
    "|",
    r"\p{N}{1,3}",
    "|",
    r" ?[^\s\p{L}\p{N}]+[\r\n/]*",
    "|",
    r"\s*[\r\n]+",
    "|",
    r"\s+(?!\S)",
    "|",
    r"\s+",
);

/// A compiled split pattern.
#[derive(Debug)]
pub(crate) enum Splitter {
    /// [`R50K_PATTERN`], scanned by hand.
    R50k,
    /// [`CL100K_PATTERN`], scanned by hand.
    Cl100k,
    /// [`O200K_PATTERN`], scanned by hand.
    O200k,
    /// Any other pattern, on fancy-regex.
    #[cfg(feature = "custom-patterns")]
    Regex(Box<fancy_regex::Regex>),
}

/// The regex engine gave up on a custom pattern (its backtracking limit).
#[derive(Debug, Clone)]
pub struct SplitError(pub(crate) String);

impl Splitter {
    /// The splitter for `pattern`: a scanner if it is one of tiktoken's, else fancy-regex (or,
    /// without the `custom-patterns` feature, an error). The error is the message.
    pub(crate) fn new(pattern: &str) -> Result<Splitter, String> {
        Ok(match pattern {
            R50K_PATTERN => Splitter::R50k,
            CL100K_PATTERN => Splitter::Cl100k,
            O200K_PATTERN => Splitter::O200k,
            #[cfg(feature = "custom-patterns")]
            _ => Splitter::Regex(Box::new(fancy_regex::Regex::new(pattern).map_err(|e| e.to_string())?)),
            #[cfg(not(feature = "custom-patterns"))]
            _ => {
                return Err("only the built-in patterns (r50k, cl100k, o200k) are available: custom patterns \
                            need pyaot-tokenizer's `custom-patterns` feature"
                    .to_owned());
            }
        })
    }

    /// Calls `piece` with each piece of `text`, in order.
    #[inline]
    pub(crate) fn split<'t>(&self, text: &'t str, piece: impl FnMut(&'t str)) -> Result<(), SplitError> {
        let scan = Scan::new(text);
        match self {
            Splitter::R50k => scan.each(Scan::r50k, piece),
            Splitter::Cl100k => scan.each(Scan::cl100k, piece),
            Splitter::O200k => scan.each(Scan::o200k, piece),
            #[cfg(feature = "custom-patterns")]
            Splitter::Regex(regex) => {
                let mut piece = piece;
                for found in regex.find_iter(text) {
                    let found = found.map_err(|e| SplitError(format!("Regex error while tokenizing: {e}")))?;
                    piece(found.as_str());
                }
            }
        }
        Ok(())
    }
}

// The scanners' helpers are inlined into each scanner natively (speed); in the WASM build they
// are left to the optimiser, which keeps the module under its size budget (100 KB).

/// A scanner position's view of the text.
struct Scan<'a> {
    text: &'a str,
    bytes: &'a [u8],
    classes: &'static Classes,
}

/// Characters that are not `\s`, `\p{L}` or `\p{N}`.
#[cfg_attr(not(target_family = "wasm"), inline(always))]
fn other(class: u8) -> bool {
    class & (LETTER | NUMBER | SPACE) == 0
}

/// How a run of whitespace ends, per pattern (see [`Scan::space`]).
#[derive(Clone, Copy, PartialEq)]
enum Space {
    /// `\s++$|\s+(?!\S)|\s`
    R50k,
    /// `\s++$|\s*[\r\n]|\s+(?!\S)|\s`
    Cl100k,
    /// `\s*[\r\n]+|\s+(?!\S)|\s+`
    O200k,
}

impl<'a> Scan<'a> {
    fn new(text: &'a str) -> Scan<'a> {
        Scan { text, bytes: text.as_bytes(), classes: Classes::get() }
    }

    #[cfg_attr(not(target_family = "wasm"), inline(always))]
    fn each(&self, end_of_piece: impl Fn(&Self, usize) -> usize, mut piece: impl FnMut(&'a str)) {
        let mut start = 0;
        while start < self.bytes.len() {
            let end = end_of_piece(self, start);
            debug_assert!(end > start);
            piece(&self.text[start..end]);
            start = end;
        }
    }

    /// The character at `i` (a char boundary before the end), its classes and its length.
    #[cfg_attr(not(target_family = "wasm"), inline(always))]
    fn at(&self, i: usize) -> (char, u8, usize) {
        let byte = self.bytes[i];
        if byte < 0x80 {
            return (byte as char, self.classes.ascii[byte as usize & 0x7f], 1);
        }
        let c = self.text[i..].chars().next().unwrap_or_default();
        (c, self.classes.of(c), c.len_utf8())
    }

    /// The classes of the character at `i`, or 0 at the end.
    #[cfg_attr(not(target_family = "wasm"), inline(always))]
    fn class_at(&self, i: usize) -> u8 {
        if i < self.bytes.len() { self.at(i).1 } else { 0 }
    }

    /// The end of the run of characters from `i` whose classes satisfy `keep`.
    #[cfg_attr(not(target_family = "wasm"), inline(always))]
    fn run(&self, mut i: usize, keep: impl Fn(u8) -> bool) -> usize {
        // ASCII first, a byte at a time without decoding.
        while let Some(&byte) = self.bytes.get(i) {
            if byte >= 0x80 {
                break;
            }
            if !keep(self.classes.ascii[byte as usize & 0x7f]) {
                return i;
            }
            i += 1;
        }
        while i < self.bytes.len() {
            let (_, class, len) = self.at(i);
            if !keep(class) {
                break;
            }
            i += len;
        }
        i
    }

    /// The end of the run of ASCII bytes from `i` that are in `set`.
    #[cfg_attr(not(target_family = "wasm"), inline(always))]
    fn run_of(&self, mut i: usize, set: &[u8]) -> usize {
        while i < self.bytes.len() && set.contains(&self.bytes[i]) {
            i += 1;
        }
        i
    }

    /// `\p{N}{1,3}` at a number starting at `i`.
    #[cfg_attr(not(target_family = "wasm"), inline(always))]
    fn up_to_three_numbers(&self, mut i: usize) -> usize {
        for _ in 0..3 {
            if self.class_at(i) & NUMBER == 0 {
                break;
            }
            i += self.at(i).2;
        }
        i
    }

    /// After an apostrophe ending at `i`: the end of `[sdmt]|ll|ve|re`, case-sensitively or (as
    /// `(?i:...)` does) with Unicode simple case folding, where `s` also matches `ſ` (U+017F).
    #[cfg_attr(not(target_family = "wasm"), inline(always))]
    fn contraction(&self, i: usize, fold: bool) -> Option<usize> {
        let b = self.bytes;
        let is =
            |at: usize, letter: u8| at < b.len() && (b[at] == letter || (fold && b[at] == letter.to_ascii_uppercase()));
        if is(i, b's') || is(i, b'd') || is(i, b'm') || is(i, b't') {
            return Some(i + 1);
        }
        if fold && b[i..].starts_with("ſ".as_bytes()) {
            return Some(i + 2);
        }
        if (is(i, b'l') && is(i + 1, b'l')) || (is(i, b'v') && is(i + 1, b'e')) || (is(i, b'r') && is(i + 1, b'e')) {
            return Some(i + 2);
        }
        None
    }

    /// Whitespace at `i` that no earlier alternative took. With the maximal run `[i, end)`:
    /// - `\s++$` takes the run if it reaches the end of the text;
    /// - `\s*[\r\n]` (cl100k) and `\s*[\r\n]+` (o200k) backtrack from the run's end to its last
    ///   `\r` or `\n` and end just after it;
    /// - `\s+(?!\S)` backtracks one character when the run is followed by a non-space, so it
    ///   takes all but the last character of a run of two or more (all of a run at the end);
    /// - `\s` / `\s+` take the single remaining character.
    #[cfg_attr(not(target_family = "wasm"), inline(always))]
    fn space(&self, i: usize, rule: Space) -> usize {
        let mut end = i;
        let mut last = i;
        let mut newline_end = None;
        while end < self.bytes.len() {
            let (c, class, len) = self.at(end);
            if class & SPACE == 0 {
                break;
            }
            if c == '\r' || c == '\n' {
                newline_end = Some(end + 1);
            }
            last = end;
            end += len;
        }
        let at_end = end == self.bytes.len();
        match (rule, newline_end) {
            (Space::R50k | Space::Cl100k, _) if at_end => end,
            (Space::Cl100k | Space::O200k, Some(newline_end)) => newline_end,
            _ if at_end || last == i => end,
            _ => last,
        }
    }

    /// r50k: `'(?:[sdmt]|ll|ve|re)| ?\p{L}++| ?\p{N}++| ?[^\s\p{L}\p{N}]++|\s++$|\s+(?!\S)|\s`
    fn r50k(&self, i: usize) -> usize {
        let (c, class, len) = self.at(i);
        let next = i + len;
        if c == '\''
            && let Some(end) = self.contraction(next, false)
        {
            return end;
        }
        // ` ?X++`: an optional space then a run of one class; the space only counts if the
        // run can start after it.
        let (start, class) = if c == ' ' && next < self.bytes.len() { (next, self.at(next).1) } else { (i, class) };
        if class & LETTER != 0 {
            self.run(start, |k| k & LETTER != 0)
        } else if class & NUMBER != 0 {
            self.run(start, |k| k & NUMBER != 0)
        } else if other(class) {
            self.run(start, other)
        } else {
            self.space(i, Space::R50k)
        }
    }

    /// cl100k: `'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+|
    /// ?[^\s\p{L}\p{N}]++[\r\n]*+|\s++$|\s*[\r\n]|\s+(?!\S)|\s`
    fn cl100k(&self, i: usize) -> usize {
        let (c, class, len) = self.at(i);
        let next = i + len;
        if c == '\''
            && let Some(end) = self.contraction(next, true)
        {
            return end;
        }
        if class & LETTER != 0 {
            return self.run(next, |k| k & LETTER != 0);
        }
        if class & NUMBER != 0 {
            return self.up_to_three_numbers(i);
        }
        // `[^\r\n\p{L}\p{N}]?+\p{L}++` with the optional character present (possessive: if no
        // letter follows, this alternative fails rather than trying without it).
        if c != '\r' && c != '\n' && self.class_at(next) & LETTER != 0 {
            return self.run(next, |k| k & LETTER != 0);
        }
        // ` ?[^\s\p{L}\p{N}]++[\r\n]*+`
        if other(class) {
            return self.run_of(self.run(next, other), b"\r\n");
        }
        if c == ' ' && next < self.bytes.len() && other(self.class_at(next)) {
            return self.run_of(self.run(next, other), b"\r\n");
        }
        self.space(i, Space::Cl100k)
    }

    /// o200k's letters, `[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+` from `s`
    /// then the optional contraction. The two classes overlap (Lm, Lo, M), so when the greedy
    /// first run leaves nothing for the second, the engine backtracks into the first run to its
    /// last character that is also in the second class, which then matches alone.
    #[cfg_attr(not(target_family = "wasm"), inline(always))]
    fn o200k_lower(&self, s: usize) -> Option<usize> {
        let mut k = s;
        let mut last_lowerish_end = None;
        while k < self.bytes.len() {
            let (_, class, len) = self.at(k);
            if class & UPPERISH == 0 {
                if class & LOWERISH != 0 {
                    return Some(self.o200k_contraction(self.run(k, |k| k & LOWERISH != 0)));
                }
                break;
            }
            if class & LOWERISH != 0 {
                last_lowerish_end = Some(k + len);
            }
            k += len;
        }
        last_lowerish_end.map(|end| self.o200k_contraction(end))
    }

    /// o200k's `[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*` from `s`, then the
    /// optional contraction.
    #[cfg_attr(not(target_family = "wasm"), inline(always))]
    fn o200k_upper(&self, s: usize) -> Option<usize> {
        let upper = self.run(s, |k| k & UPPERISH != 0);
        (upper > s).then(|| self.o200k_contraction(self.run(upper, |k| k & LOWERISH != 0)))
    }

    /// `(?i:'s|'t|'re|'ve|'m|'ll|'d)?` at `i`.
    #[cfg_attr(not(target_family = "wasm"), inline(always))]
    fn o200k_contraction(&self, i: usize) -> usize {
        if self.bytes.get(i) == Some(&b'\'') { self.contraction(i + 1, true).unwrap_or(i) } else { i }
    }

    /// o200k: see [`O200K_PATTERN`]. None of it is possessive: each optional part is tried
    /// present first, then absent.
    fn o200k(&self, i: usize) -> usize {
        let (c, class, len) = self.at(i);
        let next = i + len;
        let prefix = class & (LETTER | NUMBER) == 0 && c != '\r' && c != '\n';
        if prefix && let Some(end) = self.o200k_lower(next) {
            return end;
        }
        if let Some(end) = self.o200k_lower(i) {
            return end;
        }
        if prefix && let Some(end) = self.o200k_upper(next) {
            return end;
        }
        if let Some(end) = self.o200k_upper(i) {
            return end;
        }
        if class & NUMBER != 0 {
            return self.up_to_three_numbers(i);
        }
        // ` ?[^\s\p{L}\p{N}]+[\r\n/]*`
        if other(class) {
            return self.run_of(self.run(next, other), b"\r\n/");
        }
        if c == ' ' && next < self.bytes.len() && other(self.class_at(next)) {
            return self.run_of(self.run(next, other), b"\r\n/");
        }
        self.space(i, Space::O200k)
    }
}
