//! Tokens added on top of the model's vocabulary (special tokens and user tokens), found in the
//! input text before anything else runs.

use std::collections::BTreeMap;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use rustc_hash::{FxHashMap, FxHashSet};

use super::encoding::{PreTokenizedString, Split, Token};
use super::models::Model;
use super::normalized::NormalizedString;

/// A token added to a tokenizer, with HuggingFace's options.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AddedToken {
    /// The text of the token.
    pub content: String,
    /// Only match it as a whole word.
    pub single_word: bool,
    /// Also take the whitespace before it.
    pub lstrip: bool,
    /// Also take the whitespace after it.
    pub rstrip: bool,
    /// Match it in the normalized text (else in the original text).
    pub normalized: bool,
    /// A special token (skipped when decoding with `skip_special_tokens`).
    pub special: bool,
}

impl AddedToken {
    /// A token with HuggingFace's defaults: special tokens match the original text, others the
    /// normalized text.
    pub fn new(content: impl Into<String>, special: bool) -> AddedToken {
        AddedToken {
            content: content.into(),
            single_word: false,
            lstrip: false,
            rstrip: false,
            normalized: !special,
            special,
        }
    }
}

/// A matcher over some added tokens, with the id of each pattern.
#[derive(Debug, Clone, Default)]
struct Matcher {
    automaton: Option<AhoCorasick>,
    ids: Vec<u32>,
}

/// The added tokens of a tokenizer.
#[derive(Debug, Clone, Default)]
pub(crate) struct AddedVocabulary {
    by_id: BTreeMap<u32, AddedToken>,
    ids: FxHashMap<String, u32>,
    special_set: FxHashSet<String>,
    /// The content of normalized tokens after the current normalizer (what `id_to_token`
    /// gives, as in HuggingFace).
    shown: FxHashMap<u32, String>,
    raw: Matcher,
    normalized: Matcher,
}

impl AddedVocabulary {
    /// The added tokens by id.
    pub(crate) fn tokens(&self) -> impl Iterator<Item = (u32, &AddedToken)> {
        self.by_id.iter().map(|(&id, t)| (id, t))
    }

    pub(crate) fn token_to_id(&self, token: &str) -> Option<u32> {
        self.ids.get(token).copied()
    }

    pub(crate) fn id_to_token(&self, id: u32) -> Option<&str> {
        self.shown.get(&id).or_else(|| self.by_id.get(&id).map(|t| &t.content)).map(String::as_str)
    }

    pub(crate) fn is_special(&self, token: &str) -> bool {
        self.special_set.contains(token)
    }

    pub(crate) fn vocab(&self) -> impl Iterator<Item = (&str, u32)> {
        self.ids.iter().map(|(t, &id)| (t.as_str(), id))
    }

    /// Adds tokens, giving new ones the ids after the model's; returns how many were added.
    pub(crate) fn add(
        &mut self,
        tokens: &[AddedToken],
        model: &Model,
        normalize: &dyn Fn(&mut NormalizedString),
    ) -> usize {
        for token in tokens {
            if token.special && !token.content.is_empty() {
                self.special_set.insert(token.content.clone());
            }
        }
        let mut ignored = 0;
        for token in tokens {
            if token.content.is_empty() || self.by_id.values().any(|t| t == token) {
                ignored += 1;
                continue;
            }
            let id = match self.ids.get(&token.content).copied().or_else(|| model.token_to_id(&token.content)) {
                Some(id) => id,
                None => {
                    let size = model.vocab_size() as u32;
                    match self.ids.values().max() {
                        Some(&max) if max >= size || size == 0 => max + 1,
                        _ => size,
                    }
                }
            };
            self.ids.insert(token.content.clone(), id);
            self.by_id.insert(id, token.clone());
        }
        self.refresh(normalize);
        tokens.len() - ignored
    }

    /// Rebuilds the matchers (after tokens or the normalizer changed).
    pub(crate) fn refresh(&mut self, normalize: &dyn Fn(&mut NormalizedString)) {
        let mut raw = (Vec::new(), Vec::new());
        let mut normalized = (Vec::new(), Vec::new());
        self.shown.clear();
        // Every added token as it stands now (a later `add_tokens` of the same content replaces
        // the options of the earlier one), in id order.
        for (&id, token) in &self.by_id {
            if token.normalized {
                let mut content = NormalizedString::from(token.content.as_str());
                normalize(&mut content);
                normalized.0.push(content.get().to_owned());
                normalized.1.push(id);
                self.shown.insert(id, content.get().to_owned());
            } else {
                raw.0.push(token.content.clone());
                raw.1.push(id);
            }
        }
        let build = |(patterns, ids): (Vec<String>, Vec<u32>)| Matcher {
            automaton: AhoCorasickBuilder::new().match_kind(MatchKind::LeftmostLongest).build(&patterns).ok(),
            ids,
        };
        self.raw = build(raw);
        self.normalized = build(normalized);
    }

    /// Cuts the added tokens out of `text`, normalizing the rest with `normalize`.
    pub(crate) fn extract_and_normalize(
        &self,
        text: &str,
        normalize: &dyn Fn(&mut NormalizedString),
    ) -> PreTokenizedString {
        let mut pre = PreTokenizedString::from(text);
        pre.split_with_tokens(|piece| self.split_matches(piece, &self.raw));
        pre.split_with_tokens(|mut piece| {
            normalize(&mut piece);
            self.split_matches(piece, &self.normalized)
        });
        pre
    }

    fn split_matches(&self, piece: NormalizedString, matcher: &Matcher) -> Vec<Split> {
        let text = piece.get();
        let Some(automaton) = &matcher.automaton else { return vec![Split { normalized: piece, tokens: None }] };
        if text.is_empty() {
            return vec![Split { normalized: piece, tokens: None }];
        }
        let mut spans: Vec<(Option<u32>, (usize, usize))> = Vec::new();
        let mut last = 0;
        for found in automaton.find_iter(text) {
            let id = matcher.ids[found.pattern().as_usize()];
            let Some(token) = self.by_id.get(&id) else { continue };
            let (mut start, mut stop) = (found.start(), found.end());
            if token.single_word {
                let space_before = start == 0 || !ends_with_word(&text[..start]);
                let space_after = stop == text.len() || !starts_with_word(&text[stop..]);
                if !space_before || !space_after {
                    continue;
                }
            }
            if token.lstrip {
                start = text[..start].trim_end().len().max(last);
            }
            if token.rstrip {
                stop += text[stop..].len() - text[stop..].trim_start().len();
            }
            if last < start {
                spans.push((None, (last, start)));
            }
            spans.push((Some(id), (start, stop)));
            last = stop;
        }
        if last != text.len() {
            spans.push((None, (last, text.len())));
        }
        spans
            .into_iter()
            .filter_map(|(id, (start, end))| {
                let normalized = piece.slice(start..end)?;
                let tokens =
                    id.map(|id| vec![Token { id, value: normalized.get().to_owned(), offsets: (0, normalized.len()) }]);
                Some(Split { normalized, tokens })
            })
            .collect()
    }
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn ends_with_word(text: &str) -> bool {
    text.chars().next_back().is_some_and(is_word_char)
}

fn starts_with_word(text: &str) -> bool {
    text.chars().next().is_some_and(is_word_char)
}
