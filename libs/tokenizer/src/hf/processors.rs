//! Post-processors: special tokens around the encoded sequences, type ids, offset trimming.

use std::collections::BTreeMap;

use super::Error;
use super::encoding::Encoding;
use crate::byte_level::BYTE_TO_CHAR;

/// One piece of a template: a sequence (`$A`, `$B`) or a special token, with its type id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// The first (`A`) or second (`B`) sequence.
    Sequence {
        /// `false` for A, `true` for B.
        pair: bool,
        /// The type id given to its tokens.
        type_id: u32,
    },
    /// A special token (a key of the processor's special tokens).
    SpecialToken {
        /// The key.
        id: String,
        /// The type id given to its tokens.
        type_id: u32,
    },
}

impl Piece {
    /// Reads `$A`, `$B`, `$0`, `$1`, `$`, `[CLS]`, each with an optional `:type_id`.
    pub fn parse(text: &str) -> Result<Piece, Error> {
        let (name, type_id) = match text.rsplit_once(':') {
            Some((name, digits)) if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) => {
                (name, digits.parse().map_err(|_| Error::new(format!("Cannot build Piece from string \"{text}\"")))?)
            }
            _ => (text, 0),
        };
        if let Some(rest) = name.strip_prefix('$') {
            let pair = match rest {
                "" | "A" | "a" => false,
                "B" | "b" => true,
                digits if digits.bytes().all(|b| b.is_ascii_digit()) => {
                    // `$0`/`$1`: the sequence with that type id.
                    let type_id: u32 =
                        digits.parse().map_err(|_| Error::new(format!("Cannot build Piece from string \"{text}\"")))?;
                    return Ok(Piece::Sequence { pair: false, type_id });
                }
                _ => return Err(Error::new(format!("Cannot build Piece from string \"{text}\""))),
            };
            Ok(Piece::Sequence { pair, type_id })
        } else {
            Ok(Piece::SpecialToken { id: name.to_owned(), type_id })
        }
    }
}

/// A special token of a template: its key and the ids and tokens it stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecialToken {
    /// The key used in templates.
    pub id: String,
    /// Its ids.
    pub ids: Vec<u32>,
    /// Its tokens (as many as ids).
    pub tokens: Vec<String>,
}

/// A post-processor, with HuggingFace's components and options.
#[derive(Debug, Clone)]
pub enum PostProcessor {
    /// `[CLS] A [SEP]` and `[CLS] A [SEP] B [SEP]`.
    Bert {
        /// The separator token and id.
        sep: (String, u32),
        /// The classifier token and id.
        cls: (String, u32),
    },
    /// `<s> A </s>` and `<s> A </s> </s> B </s>`, with byte-level offset trimming.
    Roberta {
        /// The separator token and id.
        sep: (String, u32),
        /// The start token and id.
        cls: (String, u32),
        /// Trim whitespace from offsets.
        trim_offsets: bool,
        /// Whether the pre-tokenizer added a prefix space.
        add_prefix_space: bool,
    },
    /// Templates for one and two sequences.
    Template {
        /// The template for one sequence.
        single: Vec<Piece>,
        /// The template for a pair.
        pair: Vec<Piece>,
        /// The special tokens the templates use, in insertion order.
        special_tokens: Vec<SpecialToken>,
    },
    /// Trims whitespace from the offsets of byte-level tokens.
    ByteLevel {
        /// Whether the pre-tokenizer added a prefix space.
        add_prefix_space: bool,
        /// Trim the offsets.
        trim_offsets: bool,
        /// Kept for `tokenizer.json`.
        use_regex: bool,
    },
    /// Several processors in order.
    Sequence(Vec<PostProcessor>),
}

impl PostProcessor {
    /// A template processor, checking that every special token the templates use is given.
    pub fn template(
        single: Vec<Piece>,
        pair: Vec<Piece>,
        special_tokens: Vec<SpecialToken>,
    ) -> Result<PostProcessor, Error> {
        let mut missing: Vec<&str> = Vec::new();
        for piece in single.iter().chain(&pair) {
            if let Piece::SpecialToken { id, .. } = piece
                && !special_tokens.iter().any(|t| &t.id == id)
                && !missing.contains(&id.as_str())
            {
                missing.push(id);
            }
        }
        if !missing.is_empty() {
            return Err(Error::new(format!("Missing SpecialToken(s) with id(s) `{}`", missing.join(", "))));
        }
        for token in &special_tokens {
            if token.ids.len() != token.tokens.len() {
                return Err(Error::new("SpecialToken: ids and tokens must be of the same length"));
            }
        }
        let uses = |b: bool| pair.iter().filter(|p| matches!(p, Piece::Sequence { pair, .. } if *pair == b)).count();
        if !pair.is_empty() && (uses(false) != 1 || uses(true) != 1) {
            return Err(Error::new("Template for `pair` must use both sequences"));
        }
        Ok(PostProcessor::Template { single, pair, special_tokens })
    }

    /// How many tokens the processor adds for one sequence (`pair == false`) or two.
    pub fn added_tokens(&self, pair: bool) -> usize {
        match self {
            PostProcessor::Bert { .. } => 2 + usize::from(pair),
            PostProcessor::Roberta { .. } => 2 + 2 * usize::from(pair),
            PostProcessor::Template { single, pair: pair_template, special_tokens } => {
                let template = if pair { pair_template } else { single };
                template
                    .iter()
                    .map(|p| match p {
                        Piece::SpecialToken { id, .. } => {
                            special_tokens.iter().find(|t| &t.id == id).map_or(0, |t| t.ids.len())
                        }
                        Piece::Sequence { .. } => 0,
                    })
                    .sum()
            }
            PostProcessor::ByteLevel { .. } => 0,
            PostProcessor::Sequence(steps) => steps.iter().map(|s| s.added_tokens(pair)).sum(),
        }
    }

    /// Processes the encodings of one or two sequences into one.
    pub fn process(&self, first: Encoding, pair: Option<Encoding>, add_special_tokens: bool) -> Encoding {
        let mut encodings = vec![first];
        encodings.extend(pair);
        for (i, e) in encodings.iter_mut().enumerate() {
            e.set_sequence_id(i);
        }
        Encoding::merge(self.process_encodings(encodings, add_special_tokens))
    }

    fn process_encodings(&self, mut encodings: Vec<Encoding>, add_special_tokens: bool) -> Vec<Encoding> {
        match self {
            PostProcessor::ByteLevel { add_prefix_space, trim_offsets, .. } => {
                if *trim_offsets {
                    for e in &mut encodings {
                        trim_byte_level_offsets(e, *add_prefix_space);
                    }
                }
                for (i, e) in encodings.iter_mut().enumerate() {
                    e.set_sequence_id(i);
                }
                encodings
            }
            PostProcessor::Bert { sep, cls } => {
                if !add_special_tokens {
                    return encodings;
                }
                encodings
                    .into_iter()
                    .enumerate()
                    .map(|(i, e)| {
                        let type_id = u32::from(i > 0);
                        let mut out = if i == 0 {
                            Encoding::special(&[cls.1], std::slice::from_ref(&cls.0), 0)
                        } else {
                            Encoding::default()
                        };
                        let start = out.len();
                        let n = e.len();
                        out.ids.extend(e.ids);
                        out.type_ids.extend(e.type_ids);
                        out.tokens.extend(e.tokens);
                        out.words.extend(e.words);
                        out.offsets.extend(e.offsets);
                        out.special_tokens_mask.extend(std::iter::repeat_n(0, n));
                        out.attention_mask.extend(std::iter::repeat_n(1, n));
                        out.append(Encoding::special(&[sep.1], std::slice::from_ref(&sep.0), type_id));
                        out.sequence_ranges = BTreeMap::from([(i, start..start + n)]);
                        out
                    })
                    .collect()
            }
            PostProcessor::Roberta { sep, cls, trim_offsets, add_prefix_space } => {
                if *trim_offsets {
                    for e in &mut encodings {
                        trim_byte_level_offsets(e, *add_prefix_space);
                    }
                }
                if !add_special_tokens {
                    // RoBERTa has no type ids: every token gets 0, even without special tokens.
                    for e in &mut encodings {
                        e.set_type_ids(0);
                    }
                    return encodings;
                }
                encodings
                    .into_iter()
                    .enumerate()
                    .map(|(i, e)| {
                        let open = if i == 0 { cls } else { sep };
                        let mut out = Encoding::special(&[open.1], std::slice::from_ref(&open.0), 0);
                        let n = e.len();
                        out.ids.extend(e.ids);
                        out.type_ids.extend(std::iter::repeat_n(0, n));
                        out.tokens.extend(e.tokens);
                        out.words.extend(e.words);
                        out.offsets.extend(e.offsets);
                        out.special_tokens_mask.extend(std::iter::repeat_n(0, n));
                        out.attention_mask.extend(std::iter::repeat_n(1, n));
                        out.append(Encoding::special(&[sep.1], std::slice::from_ref(&sep.0), 0));
                        out.sequence_ranges = BTreeMap::from([(i, 1..1 + n)]);
                        out
                    })
                    .collect()
            }
            PostProcessor::Template { single, pair, special_tokens } => {
                let template = if encodings.len() == 2 { pair } else { single };
                let mut out = Vec::with_capacity(template.len());
                for piece in template {
                    match piece {
                        Piece::Sequence { pair: is_pair, type_id } => {
                            let i = usize::from(*is_pair);
                            let Some(e) = encodings.get_mut(i) else { continue };
                            e.set_type_ids(*type_id);
                            e.set_sequence_id(i);
                            out.push(e.clone());
                        }
                        Piece::SpecialToken { id, type_id } => {
                            if add_special_tokens && let Some(t) = special_tokens.iter().find(|t| &t.id == id) {
                                out.push(Encoding::special(&t.ids, &t.tokens, *type_id));
                            }
                        }
                    }
                }
                out
            }
            PostProcessor::Sequence(steps) => {
                for step in steps {
                    encodings = step.process_encodings(encodings, add_special_tokens);
                }
                encodings
            }
        }
    }
}

/// Moves offsets past the leading and trailing spaces of byte-level tokens (HuggingFace's
/// `process_offsets`).
pub(crate) fn trim_byte_level_offsets(encoding: &mut Encoding, add_prefix_space: bool) {
    let space = BYTE_TO_CHAR[b' ' as usize];
    let is_space = |c: &char| *c == space || c.is_whitespace();
    encoding.for_each_token_offsets(|i, token, offsets| {
        let mut leading = token.chars().take_while(is_space).count();
        let trailing = token.chars().rev().take_while(is_space).count();
        if leading > 0 {
            let is_first = i == 0 || offsets.0 == 0;
            if is_first && add_prefix_space && leading == 1 {
                leading = 0;
            }
            offsets.0 = (offsets.0 + leading).min(offsets.1);
        }
        if trailing > 0 && offsets.1 >= trailing {
            offsets.1 = (offsets.1 - trailing).max(offsets.0);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces() {
        assert_eq!(Piece::parse("$A").unwrap(), Piece::Sequence { pair: false, type_id: 0 });
        assert_eq!(Piece::parse("$B:1").unwrap(), Piece::Sequence { pair: true, type_id: 1 });
        assert_eq!(Piece::parse("$1").unwrap(), Piece::Sequence { pair: false, type_id: 1 });
        assert_eq!(Piece::parse("[SEP]:1").unwrap(), Piece::SpecialToken { id: "[SEP]".into(), type_id: 1 });
    }
}
