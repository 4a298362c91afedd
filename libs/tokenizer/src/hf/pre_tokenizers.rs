//! Pre-tokenizers: cutting the normalized text into the pieces the model encodes one by one.

use unicode_categories::UnicodeCategories;

use super::Pattern;
pub use super::PrependScheme;
use super::encoding::PreTokenizedString;
use super::normalized::{Matches, NormalizedString, SplitBehavior, char_matches, spans_to_matches, str_matches};
use crate::byte_level::BYTE_TO_CHAR;

/// A pre-tokenizer, with HuggingFace's components and options.
#[derive(Debug, Clone)]
pub enum PreTokenizer {
    /// `\w+|[^\w\s]+` pieces; whitespace dropped.
    Whitespace,
    /// Cut on whitespace, which is dropped.
    WhitespaceSplit,
    /// GPT-2's: optional prefix space, the GPT-2 split pattern, bytes shown as characters.
    ByteLevel {
        /// Add a space before text that does not start with one.
        add_prefix_space: bool,
        /// Only read by the byte-level post-processor.
        trim_offsets: bool,
        /// Cut with GPT-2's pattern (else the whole text is one piece).
        use_regex: bool,
    },
    /// Cut around punctuation.
    Punctuation(SplitBehavior),
    /// Cut around numeric characters (`Nd`, `Nl`, `No`: each on its own, or runs).
    Digits {
        /// One piece per digit.
        individual_digits: bool,
    },
    /// BERT's: cut on whitespace (dropped) and around punctuation.
    Bert,
    /// SentencePiece style: spaces become `replacement`, pieces start with it.
    Metaspace {
        /// The character that stands for a space (`▁`).
        replacement: char,
        /// When to put it before the text.
        prepend_scheme: PrependScheme,
        /// Cut before each replacement character.
        split: bool,
    },
    /// Cut on a pattern.
    Split {
        /// The pattern.
        pattern: Pattern,
        /// What to do with its matches.
        behavior: SplitBehavior,
        /// Cut on what does not match instead.
        invert: bool,
    },
    /// Cut on one character, which is dropped.
    CharDelimiterSplit(char),
    /// Several pre-tokenizers in order.
    Sequence(Vec<PreTokenizer>),
}

/// GPT-2's split pattern, as HuggingFace's `ByteLevel` writes it. The crate's hand-written
/// scanner for tiktoken's r50k pattern cuts text exactly the same way.
pub const GPT2_PATTERN: &str = r"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

impl PreTokenizer {
    /// Cuts every piece of `text` that has no tokens yet.
    pub fn pre_tokenize(&self, text: &mut PreTokenizedString) {
        match self {
            PreTokenizer::Whitespace => split_all(text, SplitBehavior::Removed, |s| invert(word_or_symbol_runs(s))),
            PreTokenizer::WhitespaceSplit => {
                split_all(text, SplitBehavior::Removed, |s| char_matches(s, char::is_whitespace));
            }
            PreTokenizer::ByteLevel { add_prefix_space, use_regex, .. } => {
                let _ = text.split(|_, mut piece| {
                    if *add_prefix_space && !piece.get().starts_with(' ') {
                        piece.prepend(" ");
                    }
                    if *use_regex {
                        let matches = gpt2_matches(piece.get());
                        Ok::<_, ()>(piece.split(matches, SplitBehavior::Isolated))
                    } else {
                        Ok(vec![piece])
                    }
                });
                text.normalize(to_byte_level);
            }
            PreTokenizer::Punctuation(behavior) => split_all(text, *behavior, |s| char_matches(s, is_punctuation)),
            PreTokenizer::Digits { individual_digits } => {
                let behavior = if *individual_digits { SplitBehavior::Isolated } else { SplitBehavior::Contiguous };
                split_all(text, behavior, |s| char_matches(s, char::is_numeric));
            }
            PreTokenizer::Bert => {
                split_all(text, SplitBehavior::Removed, |s| char_matches(s, char::is_whitespace));
                split_all(text, SplitBehavior::Isolated, |s| char_matches(s, is_punctuation));
            }
            PreTokenizer::Metaspace { replacement, prepend_scheme, split } => {
                let mut rep = [0u8; 4];
                let rep: &str = replacement.encode_utf8(&mut rep);
                let _ = text.split(|_, mut piece| {
                    let spaces = str_matches(piece.get(), " ");
                    piece.replace_matches(&spaces, rep);
                    let prepend = match prepend_scheme {
                        PrependScheme::Always => true,
                        PrependScheme::First => piece.offsets_original().0 == 0,
                        PrependScheme::Never => false,
                    };
                    if prepend && !piece.get().starts_with(*replacement) {
                        piece.prepend(rep);
                    }
                    if *split {
                        let matches = char_matches(piece.get(), |c| c == *replacement);
                        Ok::<_, ()>(piece.split(matches, SplitBehavior::MergedWithNext))
                    } else {
                        Ok(vec![piece])
                    }
                });
            }
            PreTokenizer::Split { pattern, behavior, invert: inverted } => split_all(text, *behavior, |s| {
                let matches = pattern.find_matches(s);
                if *inverted { invert(matches) } else { matches }
            }),
            PreTokenizer::CharDelimiterSplit(delimiter) => {
                split_all(text, SplitBehavior::Removed, |s| char_matches(s, |c| c == *delimiter));
            }
            PreTokenizer::Sequence(steps) => {
                for step in steps {
                    step.pre_tokenize(text);
                }
            }
        }
    }

    /// The pieces of `text` with their character offsets (HuggingFace's `pre_tokenize_str`).
    pub fn pre_tokenize_str(&self, text: &str) -> Vec<(String, (usize, usize))> {
        let mut pre = PreTokenizedString::from(text);
        self.pre_tokenize(&mut pre);
        pre.pieces(super::encoding::OffsetType::Char)
    }
}

fn split_all(text: &mut PreTokenizedString, behavior: SplitBehavior, matches: impl Fn(&str) -> Matches) {
    let _ = text.split(|_, piece| Ok::<_, ()>(piece.split(matches(piece.get()), behavior)));
}

fn invert(matches: Matches) -> Matches {
    matches.into_iter().map(|(span, is_match)| (span, !is_match)).collect()
}

/// Punctuation as HuggingFace reads it: ASCII punctuation or a Unicode `P*` category.
pub(crate) fn is_punctuation(c: char) -> bool {
    c.is_ascii_punctuation() || c.is_punctuation()
}

/// The spans of `\w+|[^\w\s]+` (runs of word characters, runs of other non-space characters),
/// with the `regex` crate's Unicode classes, as HuggingFace's `Whitespace` uses.
fn word_or_symbol_runs(text: &str) -> Matches {
    static WORDS: std::sync::OnceLock<fancy_regex::Regex> = std::sync::OnceLock::new();
    let regex = WORDS.get_or_init(|| fancy_regex::Regex::new(r"\w+|[^\w\s]+").expect("valid pattern"));
    spans_to_matches(text.len(), regex.find_iter(text).filter_map(Result::ok).map(|m| (m.start(), m.end())))
}

/// The pieces of GPT-2's pattern, from the crate's r50k scanner.
fn gpt2_matches(text: &str) -> Matches {
    let base = text.as_ptr() as usize;
    let mut spans = Vec::new();
    let _ = crate::split::Splitter::R50k.split(text, |piece| {
        let start = piece.as_ptr() as usize - base;
        spans.push((start, start + piece.len()));
    });
    spans_to_matches(text.len(), spans)
}

/// Replaces every byte of the piece by its byte-level character.
pub(crate) fn to_byte_level(piece: &mut NormalizedString) {
    let mut dest = Vec::with_capacity(piece.len());
    for c in piece.get().chars() {
        let mut buf = [0u8; 4];
        for (i, &b) in c.encode_utf8(&mut buf).as_bytes().iter().enumerate() {
            dest.push((BYTE_TO_CHAR[b as usize], isize::from(i > 0)));
        }
    }
    piece.transform(dest, 0);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cut(p: &PreTokenizer, text: &str) -> Vec<(String, (usize, usize))> {
        p.pre_tokenize_str(text)
    }

    #[test]
    fn whitespace_and_bert() {
        let got = cut(&PreTokenizer::Whitespace, "Hey friend!     How are you?!?");
        let words: Vec<&str> = got.iter().map(|(w, _)| w.as_str()).collect();
        assert_eq!(words, ["Hey", "friend", "!", "How", "are", "you", "?!?"]);
        let got = cut(&PreTokenizer::Bert, "Hey friend!?");
        assert_eq!(got[2], ("!".to_owned(), (10, 11)));
    }

    #[test]
    fn byte_level() {
        let p = PreTokenizer::ByteLevel { add_prefix_space: true, trim_offsets: true, use_regex: true };
        let got = cut(&p, "Hello my friend, how is your day going?");
        assert_eq!(got[0], ("ĠHello".to_owned(), (0, 5)));
        assert_eq!(got[3], (",".to_owned(), (15, 16)));
    }

    #[test]
    fn metaspace() {
        let p = PreTokenizer::Metaspace { replacement: '▁', prepend_scheme: PrependScheme::Always, split: true };
        let got = cut(&p, "Hey friend!");
        assert_eq!(got, [("▁Hey".to_owned(), (0, 3)), ("▁friend!".to_owned(), (3, 11))]);
    }
}
