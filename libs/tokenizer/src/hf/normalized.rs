//! A string being normalized, with the alignment of every byte to the original text.
//!
//! This is HuggingFace's `NormalizedString` model, kept exact because offsets in encodings depend
//! on it: `alignments[i]` is the byte range of the original text that byte `i` of the normalized
//! text came from. Every edit goes through [`NormalizedString::transform_range`], which takes the
//! new characters with a "change" each: `0` replaces a character, `1` inserts one (aligned with
//! the character before it), `-n` replaces one and removes the `n` that follow.

use std::ops::Range;

/// What a split does with the parts of the text a pattern matched.
///
/// Splitting `the-final--countdown` on `-`:
/// - `Removed`: `the`, `final`, `countdown`
/// - `Isolated`: `the`, `-`, `final`, `-`, `-`, `countdown`
/// - `MergedWithPrevious`: `the-`, `final-`, `-`, `countdown`
/// - `MergedWithNext`: `the`, `-final`, `-`, `-countdown`
/// - `Contiguous`: `the`, `-`, `final`, `--`, `countdown`
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SplitBehavior {
    /// Drop the matches.
    Removed,
    /// Keep each match as its own piece.
    Isolated,
    /// Attach each match to the piece before it.
    MergedWithPrevious,
    /// Attach each match to the piece after it.
    MergedWithNext,
    /// Keep runs of matches together as one piece.
    Contiguous,
}

impl SplitBehavior {
    /// The name HuggingFace uses in `tokenizer.json` (`"Isolated"`...).
    pub fn name(self) -> &'static str {
        match self {
            SplitBehavior::Removed => "Removed",
            SplitBehavior::Isolated => "Isolated",
            SplitBehavior::MergedWithPrevious => "MergedWithPrevious",
            SplitBehavior::MergedWithNext => "MergedWithNext",
            SplitBehavior::Contiguous => "Contiguous",
        }
    }

    /// The behavior named `name`, in `tokenizer.json`'s spelling or the Python binding's
    /// (`"merged_with_previous"`).
    pub fn from_name(name: &str) -> Option<SplitBehavior> {
        Some(match name {
            "Removed" | "removed" => SplitBehavior::Removed,
            "Isolated" | "isolated" => SplitBehavior::Isolated,
            "MergedWithPrevious" | "merged_with_previous" => SplitBehavior::MergedWithPrevious,
            "MergedWithNext" | "merged_with_next" => SplitBehavior::MergedWithNext,
            "Contiguous" | "contiguous" => SplitBehavior::Contiguous,
            _ => return None,
        })
    }
}

/// Byte ranges covering a text, each marked `true` where a pattern matched.
pub(crate) type Matches = Vec<((usize, usize), bool)>;

/// The matches of a character predicate: each matching character on its own.
pub(crate) fn char_matches(text: &str, predicate: impl Fn(char) -> bool) -> Matches {
    if text.is_empty() {
        return vec![((0, 0), false)];
    }
    let mut out = Vec::new();
    let mut last = 0;
    for (at, c) in text.char_indices() {
        if predicate(c) {
            let end = at + c.len_utf8();
            if last < at {
                out.push(((last, at), false));
            }
            out.push(((at, end), true));
            last = end;
        }
    }
    if last < text.len() {
        out.push(((last, text.len()), false));
    }
    out
}

/// The matches of a literal string (non-overlapping, left to right).
pub(crate) fn str_matches(text: &str, needle: &str) -> Matches {
    if needle.is_empty() {
        // As a regex for the empty string: an empty match at every character boundary.
        let bounds = text.char_indices().map(|(at, _)| at).chain(std::iter::once(text.len()));
        return spans_to_matches(text.len(), bounds.map(|at| (at, at)));
    }
    spans_to_matches(text.len(), text.match_indices(needle).map(|(at, m)| (at, at + m.len())))
}

/// Matches from the spans a search found.
pub(crate) fn spans_to_matches(len: usize, spans: impl IntoIterator<Item = (usize, usize)>) -> Matches {
    let mut out = Vec::new();
    let mut last = 0;
    for (start, end) in spans {
        if last != start {
            out.push(((last, start), false));
        }
        out.push(((start, end), true));
        last = end;
    }
    if last != len {
        out.push(((last, len), false));
    }
    out
}

/// A normalized string and its alignment to the original text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NormalizedString {
    original: String,
    normalized: String,
    /// For each byte of `normalized`, the byte range of `original` it comes from.
    alignments: Vec<(usize, usize)>,
    /// Where `original` starts in the whole text, when this is a piece of a bigger string.
    original_shift: usize,
}

impl From<&str> for NormalizedString {
    fn from(text: &str) -> NormalizedString {
        let mut alignments = Vec::with_capacity(text.len());
        for (at, c) in text.char_indices() {
            let len = c.len_utf8();
            alignments.extend(std::iter::repeat_n((at, at + len), len));
        }
        NormalizedString { original: text.to_owned(), normalized: text.to_owned(), alignments, original_shift: 0 }
    }
}

impl NormalizedString {
    /// The normalized text.
    pub fn get(&self) -> &str {
        &self.normalized
    }

    /// The original text.
    pub fn original(&self) -> &str {
        &self.original
    }

    /// The byte length of the normalized text.
    pub fn len(&self) -> usize {
        self.normalized.len()
    }

    /// Whether the normalized text is empty.
    pub fn is_empty(&self) -> bool {
        self.normalized.is_empty()
    }

    /// The byte range of the original text this string covers, in the whole text.
    pub fn offsets_original(&self) -> (usize, usize) {
        (self.original_shift, self.original_shift + self.original.len())
    }

    /// The original byte range (relative to this string's original) of a normalized range.
    pub fn normalized_to_original(&self, range: Range<usize>) -> Option<Range<usize>> {
        if range.start == range.end {
            return Some(range);
        }
        if range.start > range.end {
            return None;
        }
        if self.normalized.is_empty() && range == (0..0) {
            return Some(0..self.original.len());
        }
        let aligned = self.alignments.get(range)?;
        Some(aligned.first()?.0..aligned.last()?.1)
    }

    /// The normalized byte range of an original range (relative to this string's original).
    fn original_to_normalized(&self, target: Range<usize>) -> Option<Range<usize>> {
        if target.start == target.end {
            return Some(target);
        }
        if target.start > target.end {
            return None;
        }
        if self.original.is_empty() && target == (0..0) {
            return Some(0..self.normalized.len());
        }
        let (mut start, mut end) = (None, None);
        for (i, &(a, b)) in self.alignments.iter().enumerate() {
            if target.end < b {
                break;
            }
            if start.is_none() && target.start <= a && a != b {
                start = Some(i);
            }
            end = Some(i + 1);
        }
        match (start, end) {
            (Some(s), None) => Some(s..s),
            (None, Some(e)) => Some(e..e),
            (Some(s), Some(e)) => Some(s..e),
            (None, None) => None,
        }
    }

    /// The piece of this string covering a normalized byte range (on char boundaries).
    pub fn slice(&self, range: Range<usize>) -> Option<NormalizedString> {
        if !self.normalized.is_char_boundary(range.start) || !self.normalized.is_char_boundary(range.end) {
            return None;
        }
        let original_range = self.normalized_to_original(range.clone())?;
        let shift = original_range.start;
        Some(NormalizedString {
            original: self.original.get(original_range.clone()).unwrap_or_default().to_owned(),
            normalized: self.normalized.get(range.clone()).unwrap_or_default().to_owned(),
            alignments: self
                .alignments
                .get(range)?
                .iter()
                .map(|&(a, b)| (a.saturating_sub(shift), b.saturating_sub(shift)))
                .collect(),
            original_shift: self.original_shift + original_range.start,
        })
    }

    /// Replaces the whole normalized text (see the module docs for `dest`); `initial_offset`
    /// characters at the start are removed.
    pub fn transform(&mut self, dest: impl IntoIterator<Item = (char, isize)>, initial_offset: usize) {
        let Some(range) = self.original_to_normalized(0..self.original.len()) else { return };
        self.transform_range(range, dest, initial_offset);
    }

    /// Replaces the normalized byte range `range` by the characters of `dest`.
    pub fn transform_range(
        &mut self,
        range: Range<usize>,
        dest: impl IntoIterator<Item = (char, isize)>,
        initial_offset: usize,
    ) {
        let mut replaced = self.normalized[range.clone()].chars();
        let removed_first: usize = (&mut replaced).take(initial_offset).map(char::len_utf8).sum();
        let mut offset = removed_first + range.start;
        let mut alignments = Vec::with_capacity(range.len());
        let mut text = String::with_capacity(range.len());
        for (c, change) in dest {
            let align = if change > 0 {
                if offset == 0 { (0, 0) } else { self.alignments[offset - 1] }
            } else {
                self.alignments
                    .get(offset)
                    .copied()
                    .unwrap_or_else(|| self.alignments.last().copied().unwrap_or((0, 0)))
            };
            if change <= 0 {
                offset += replaced.next().map_or(0, char::len_utf8);
            }
            if change < 0 {
                offset += (&mut replaced).take(change.unsigned_abs()).map(char::len_utf8).sum::<usize>();
            }
            alignments.extend(std::iter::repeat_n(align, c.len_utf8()));
            text.push(c);
        }
        self.alignments.splice(range.clone(), alignments);
        self.normalized.replace_range(range, &text);
    }

    /// Keeps only the characters for which `keep` is true.
    pub fn filter(&mut self, keep: impl Fn(char) -> bool) {
        let mut removed = 0isize;
        let mut kept: Vec<(char, isize)> = Vec::with_capacity(self.normalized.len());
        for c in self.normalized.chars().rev() {
            if keep(c) {
                kept.push((c, -removed));
                removed = 0;
            } else {
                removed += 1;
            }
        }
        kept.reverse();
        self.transform(kept, removed as usize);
    }

    /// Replaces every character by `map(c)`.
    pub fn map(&mut self, map: impl Fn(char) -> char) {
        let dest: Vec<(char, isize)> = self.normalized.chars().map(|c| (map(c), 0)).collect();
        self.transform(dest, 0);
    }

    /// Replaces every character by the characters `expand` gives (the first replaces it, the
    /// others are inserted after it).
    pub fn expand<I: IntoIterator<Item = char>>(&mut self, expand: impl Fn(char) -> I) {
        let mut dest = Vec::with_capacity(self.normalized.len());
        for c in self.normalized.chars() {
            for (i, new) in expand(c).into_iter().enumerate() {
                dest.push((new, isize::from(i > 0)));
            }
        }
        self.transform(dest, 0);
    }

    /// Lower-cases (Unicode full case mapping, as Rust's `char::to_lowercase`).
    pub fn lowercase(&mut self) {
        self.expand(char::to_lowercase);
    }

    /// Upper-cases (Unicode full case mapping).
    pub fn uppercase(&mut self) {
        self.expand(char::to_uppercase);
    }

    /// Puts `prefix` before the text (aligned with its first character); nothing when empty.
    pub fn prepend(&mut self, prefix: &str) {
        let Some(first) = self.normalized.chars().next() else { return };
        let dest: Vec<(char, isize)> = prefix
            .chars()
            .enumerate()
            .map(|(i, c)| (c, isize::from(i > 0)))
            .chain(std::iter::once((first, 1)))
            .collect();
        self.transform_range(0..first.len_utf8(), dest, 0);
    }

    /// Puts `suffix` after the text (aligned with its last character); nothing when empty.
    pub fn append(&mut self, suffix: &str) {
        let Some((at, last)) = self.normalized.char_indices().next_back() else { return };
        let dest: Vec<(char, isize)> = std::iter::once((last, 0)).chain(suffix.chars().map(|c| (c, 1))).collect();
        let len = self.normalized.len();
        self.transform_range(at..len, dest, 0);
    }

    /// Replaces each matched range (from `matches`, computed on the current text) by `content`.
    pub(crate) fn replace_matches(&mut self, matches: &Matches, content: &str) {
        let mut shift = 0isize;
        for &((start, end), is_match) in matches {
            if !is_match {
                continue;
            }
            let range = start.saturating_add_signed(shift)..end.saturating_add_signed(shift);
            let removed = self.normalized[range.clone()].chars().count();
            self.transform_range(range, content.chars().map(|c| (c, 1)), removed);
            shift += content.len() as isize - (end - start) as isize;
        }
    }

    /// Removes whitespace (Unicode `White_Space`) at the start and/or the end.
    pub fn strip(&mut self, left: bool, right: bool) {
        let leading = if left { self.normalized.chars().take_while(|c| c.is_whitespace()).count() } else { 0 };
        let trailing = if right { self.normalized.chars().rev().take_while(|c| c.is_whitespace()).count() } else { 0 };
        if leading == 0 && trailing == 0 {
            return;
        }
        let count = self.normalized.chars().count();
        let dest: Vec<(char, isize)> = self
            .normalized
            .chars()
            .enumerate()
            .filter_map(|(i, c)| {
                if i < leading || i + trailing >= count {
                    None
                } else if i + trailing + 1 == count {
                    Some((c, -(trailing as isize)))
                } else {
                    Some((c, 0))
                }
            })
            .collect();
        self.transform(dest, leading);
    }

    /// Cuts this string where `matches` (computed on the normalized text) say, keeping or
    /// dropping the matched parts per `behavior`. Empty pieces are dropped by the caller.
    pub(crate) fn split(&self, matches: Matches, behavior: SplitBehavior) -> Vec<NormalizedString> {
        let pieces: Vec<((usize, usize), bool)> = match behavior {
            SplitBehavior::Isolated => matches.into_iter().map(|(span, _)| (span, false)).collect(),
            SplitBehavior::Removed => matches,
            SplitBehavior::Contiguous => {
                let mut out: Vec<((usize, usize), bool)> = Vec::new();
                let mut previous = false;
                for (span, is_match) in matches {
                    match out.last_mut() {
                        Some(((_, end), _)) if is_match == previous => *end = span.1,
                        _ => out.push((span, false)),
                    }
                    previous = is_match;
                }
                out
            }
            SplitBehavior::MergedWithPrevious => {
                let mut out: Vec<((usize, usize), bool)> = Vec::new();
                let mut previous = false;
                for (span, is_match) in matches {
                    match out.last_mut() {
                        Some(((_, end), _)) if is_match && !previous => *end = span.1,
                        _ => out.push((span, false)),
                    }
                    previous = is_match;
                }
                out
            }
            SplitBehavior::MergedWithNext => {
                let mut out: Vec<((usize, usize), bool)> = Vec::new();
                let mut previous = false;
                for (span, is_match) in matches.into_iter().rev() {
                    match out.last_mut() {
                        Some(((start, _), _)) if is_match && !previous => *start = span.0,
                        _ => out.push((span, false)),
                    }
                    previous = is_match;
                }
                out.reverse();
                out
            }
        };
        pieces
            .into_iter()
            .filter(|&(_, remove)| !remove)
            .filter_map(|((start, end), _)| self.slice(start..end))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filter_keeps_alignments() {
        let mut n = NormalizedString::from("élégant");
        n.filter(|c| c != 'n');
        assert_eq!(n.get(), "élégat");
        assert_eq!(n.alignments, [(0, 2), (0, 2), (2, 3), (3, 5), (3, 5), (5, 6), (6, 7), (8, 9)]);
    }

    #[test]
    fn strip_and_slice() {
        let mut n = NormalizedString::from("   Good Morning!   ");
        n.strip(true, true);
        assert_eq!(n.get(), "Good Morning!");
        let piece = n.slice(0..4).unwrap();
        assert_eq!(piece.original(), "Good");
        assert_eq!(piece.offsets_original(), (3, 7));
    }

    #[test]
    fn prepend_append() {
        let mut n = NormalizedString::from("there");
        n.prepend("Hey ");
        assert_eq!(n.get(), "Hey there");
        assert_eq!(n.normalized_to_original(0..4), Some(0..1));
        let mut n = NormalizedString::from("Hey");
        n.append(" there");
        assert_eq!(n.get(), "Hey there");
        assert_eq!(n.normalized_to_original(3..9), Some(2..3));
    }

    #[test]
    fn replace_and_split() {
        let mut n = NormalizedString::from("aaaab");
        let matches = str_matches(n.get(), "aaa");
        n.replace_matches(&matches, "b");
        assert_eq!(n.get(), "bab");
        let n = NormalizedString::from("The-final--countdown");
        let cut = |behavior| {
            n.split(char_matches(n.get(), |c| c == '-'), behavior)
                .iter()
                .map(|p| p.get().to_owned())
                .collect::<Vec<_>>()
        };
        assert_eq!(cut(SplitBehavior::Removed), ["The", "final", "countdown"]);
        assert_eq!(cut(SplitBehavior::Isolated), ["The", "-", "final", "-", "-", "countdown"]);
        assert_eq!(cut(SplitBehavior::MergedWithPrevious), ["The-", "final-", "-", "countdown"]);
        assert_eq!(cut(SplitBehavior::MergedWithNext), ["The", "-final", "-", "-countdown"]);
        assert_eq!(cut(SplitBehavior::Contiguous), ["The", "-", "final", "--", "countdown"]);
    }
}
