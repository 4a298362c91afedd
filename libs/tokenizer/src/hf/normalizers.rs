//! Normalizers: edits of the text before it is cut, with alignments kept.

use unicode_categories::UnicodeCategories;
use unicode_normalization_alignments::UnicodeNormalization;

use super::Pattern;
use super::normalized::NormalizedString;

/// A normalizer, with HuggingFace's components and options.
#[derive(Debug, Clone)]
pub enum Normalizer {
    /// Unicode lower case.
    Lowercase,
    /// Unicode upper case (not in HuggingFace's Python API; its `NormalizedString.uppercase`).
    Uppercase,
    /// Removes combining marks (`Mn`, `Mc`, `Me`); usually after `NFD`.
    StripAccents,
    /// Unicode NFC.
    Nfc,
    /// Unicode NFD.
    Nfd,
    /// Unicode NFKC.
    Nfkc,
    /// Unicode NFKD.
    Nfkd,
    /// Replaces every match of a pattern by `content`.
    Replace {
        /// What to replace.
        pattern: Pattern,
        /// The replacement.
        content: String,
    },
    /// Removes whitespace at the start and/or end.
    Strip {
        /// Strip the start.
        left: bool,
        /// Strip the end.
        right: bool,
    },
    /// Puts a string before non-empty text.
    Prepend(String),
    /// BERT's normalizer.
    Bert {
        /// Removes control characters and makes every whitespace a space.
        clean_text: bool,
        /// Puts spaces around CJK ideographs.
        handle_chinese_chars: bool,
        /// Removes accents (NFD, then drop `Mn`); `None` follows `lowercase`.
        strip_accents: Option<bool>,
        /// Lower-cases.
        lowercase: bool,
    },
    /// Several normalizers in order.
    Sequence(Vec<Normalizer>),
}

impl Normalizer {
    /// Normalizes `text` in place.
    pub fn normalize(&self, text: &mut NormalizedString) {
        match self {
            Normalizer::Lowercase => text.lowercase(),
            Normalizer::Uppercase => text.uppercase(),
            Normalizer::StripAccents => text.filter(|c| !c.is_mark()),
            Normalizer::Nfc => unicode(text, |s| s.nfc().collect()),
            Normalizer::Nfd => unicode(text, |s| s.nfd().collect()),
            Normalizer::Nfkc => unicode(text, |s| s.nfkc().collect()),
            Normalizer::Nfkd => unicode(text, |s| s.nfkd().collect()),
            Normalizer::Replace { pattern, content } => {
                let matches = pattern.find_matches(text.get());
                text.replace_matches(&matches, content);
            }
            Normalizer::Strip { left, right } => text.strip(*left, *right),
            Normalizer::Prepend(prefix) => text.prepend(prefix),
            Normalizer::Bert { clean_text, handle_chinese_chars, strip_accents, lowercase } => {
                if *clean_text {
                    text.filter(|c| !(c == '\0' || c == '\u{fffd}' || is_bert_control(c)));
                    text.map(|c| if is_bert_whitespace(c) { ' ' } else { c });
                }
                if *handle_chinese_chars {
                    let mut dest = Vec::with_capacity(text.len());
                    for c in text.get().chars() {
                        if is_chinese_char(c) {
                            dest.extend([(' ', 0), (c, 1), (' ', 1)]);
                        } else {
                            dest.push((c, 0));
                        }
                    }
                    text.transform(dest, 0);
                }
                if strip_accents.unwrap_or(*lowercase) {
                    unicode(text, |s| s.nfd().collect());
                    text.filter(|c| !c.is_mark_nonspacing());
                }
                if *lowercase {
                    text.lowercase();
                }
            }
            Normalizer::Sequence(normalizers) => {
                for normalizer in normalizers {
                    normalizer.normalize(text);
                }
            }
        }
    }

    /// The normalized form of `text`.
    pub fn normalize_str(&self, text: &str) -> String {
        let mut normalized = NormalizedString::from(text);
        self.normalize(&mut normalized);
        normalized.get().to_owned()
    }
}

/// Applies a Unicode normalization form, with the alignment changes it reports.
fn unicode(text: &mut NormalizedString, form: impl Fn(&str) -> Vec<(char, isize)>) {
    let dest = form(text.get());
    text.transform(dest, 0);
}

/// BERT's whitespace: tab, newline, carriage return and Unicode `White_Space`.
pub(crate) fn is_bert_whitespace(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r') || c.is_whitespace()
}

/// BERT's control characters: the `C*` categories except tab, newline and carriage return.
fn is_bert_control(c: char) -> bool {
    !matches!(c, '\t' | '\n' | '\r') && c.is_other()
}

/// The CJK ideograph blocks BERT isolates.
fn is_chinese_char(c: char) -> bool {
    matches!(
        c as u32,
        0x4E00..=0x9FFF
            | 0x3400..=0x4DBF
            | 0x20000..=0x2A6DF
            | 0x2A700..=0x2B73F
            | 0x2B740..=0x2B81F
            | 0x2B920..=0x2CEAF
            | 0xF900..=0xFAFF
            | 0x2F800..=0x2FA1F
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bert() {
        let bert =
            Normalizer::Bert { clean_text: true, handle_chinese_chars: true, strip_accents: None, lowercase: true };
        assert_eq!(bert.normalize_str("Héllo\tWörld 野口"), "hello world  野  口 ");
    }

    #[test]
    fn nfkc_and_accents() {
        assert_eq!(Normalizer::Nfkc.normalize_str("ﬁ①"), "fi1");
        let seq = Normalizer::Sequence(vec![Normalizer::Nfd, Normalizer::StripAccents]);
        assert_eq!(seq.normalize_str("élégant"), "elegant");
    }
}
