//! Pre-tokenized strings and the encodings built from them.

use std::collections::BTreeMap;
use std::ops::Range;

use super::normalized::NormalizedString;

/// A token a model produced: its id, its text and its byte range in the piece it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// The token id.
    pub id: u32,
    /// The token's text in the vocabulary.
    pub value: String,
    /// Byte range in the normalized piece.
    pub offsets: (usize, usize),
}

/// A piece of the text and, once the model has run (or for added tokens), its tokens.
#[derive(Debug, Clone)]
pub(crate) struct Split {
    pub(crate) normalized: NormalizedString,
    pub(crate) tokens: Option<Vec<Token>>,
}

/// A text cut into pieces, each a [`NormalizedString`] that remembers where it came from.
#[derive(Debug, Clone)]
pub struct PreTokenizedString {
    original: String,
    pub(crate) splits: Vec<Split>,
}

/// How offsets are counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OffsetType {
    /// Bytes of the UTF-8 text (the Rust convention).
    Byte,
    /// Characters (code points; what the Python binding reports).
    Char,
}

impl From<NormalizedString> for PreTokenizedString {
    fn from(normalized: NormalizedString) -> PreTokenizedString {
        PreTokenizedString {
            original: normalized.original().to_owned(),
            splits: vec![Split { normalized, tokens: None }],
        }
    }
}

impl From<&str> for PreTokenizedString {
    fn from(text: &str) -> PreTokenizedString {
        NormalizedString::from(text).into()
    }
}

impl PreTokenizedString {
    /// Replaces each piece without tokens by the pieces `split` cuts it into (empty ones are
    /// dropped).
    pub fn split<E>(
        &mut self,
        mut split: impl FnMut(usize, NormalizedString) -> Result<Vec<NormalizedString>, E>,
    ) -> Result<(), E> {
        let mut out = Vec::with_capacity(self.splits.len());
        for (i, piece) in std::mem::take(&mut self.splits).into_iter().enumerate() {
            if piece.tokens.is_some() {
                out.push(piece);
                continue;
            }
            out.extend(
                split(i, piece.normalized)?
                    .into_iter()
                    .filter(|n| !n.is_empty())
                    .map(|normalized| Split { normalized, tokens: None }),
            );
        }
        self.splits = out;
        Ok(())
    }

    /// Like [`PreTokenizedString::split`], but pieces may come with their tokens (added tokens).
    pub(crate) fn split_with_tokens(&mut self, mut split: impl FnMut(NormalizedString) -> Vec<Split>) {
        let mut out = Vec::with_capacity(self.splits.len());
        for piece in std::mem::take(&mut self.splits) {
            if piece.tokens.is_some() {
                out.push(piece);
                continue;
            }
            out.extend(split(piece.normalized).into_iter().filter(|s| !s.normalized.is_empty()));
        }
        self.splits = out;
    }

    /// Runs `normalize` on every piece without tokens.
    pub fn normalize(&mut self, mut normalize: impl FnMut(&mut NormalizedString)) {
        for split in self.splits.iter_mut().filter(|s| s.tokens.is_none()) {
            normalize(&mut split.normalized);
        }
    }

    /// Runs the model on every piece without tokens.
    pub fn tokenize<E>(&mut self, mut tokenize: impl FnMut(&str) -> Result<Vec<Token>, E>) -> Result<(), E> {
        for split in self.splits.iter_mut().filter(|s| s.tokens.is_none()) {
            split.tokens = Some(tokenize(split.normalized.get())?);
        }
        Ok(())
    }

    /// The pieces with their original offsets (what `pre_tokenize_str` returns).
    pub fn pieces(&self, offsets: OffsetType) -> Vec<(String, (usize, usize))> {
        let converter = CharOffsets::new(&self.original, offsets);
        self.splits
            .iter()
            .map(|s| {
                let span = s.normalized.offsets_original();
                (s.normalized.get().to_owned(), converter.convert(span))
            })
            .collect()
    }

    /// The encoding of the tokenized pieces: word ids are piece indices unless `word` is given.
    pub(crate) fn into_encoding(self, word: Option<u32>, type_id: u32, offsets: OffsetType) -> Encoding {
        let converter = CharOffsets::new(&self.original, offsets);
        let mut encoding = Encoding::default();
        for (index, split) in self.splits.into_iter().enumerate() {
            let base = split.normalized.offsets_original().0;
            for token in split.tokens.unwrap_or_default() {
                let span = split
                    .normalized
                    .normalized_to_original(token.offsets.0..token.offsets.1)
                    .map_or(token.offsets, |range| (base + range.start, base + range.end));
                encoding.ids.push(token.id);
                encoding.tokens.push(token.value);
                encoding.offsets.push(converter.convert(span));
                encoding.words.push(Some(word.unwrap_or(index as u32)));
                encoding.type_ids.push(type_id);
                encoding.special_tokens_mask.push(0);
                encoding.attention_mask.push(1);
            }
        }
        encoding
    }
}

/// Byte offsets to character offsets, as HuggingFace converts them.
struct CharOffsets {
    /// For each byte of the text, the index of the character it belongs to (`None`: keep bytes).
    chars: Option<Vec<usize>>,
}

impl CharOffsets {
    fn new(text: &str, offsets: OffsetType) -> CharOffsets {
        if offsets == OffsetType::Byte {
            return CharOffsets { chars: None };
        }
        let mut chars = Vec::with_capacity(text.len());
        for (i, c) in text.chars().enumerate() {
            chars.extend(std::iter::repeat_n(i, c.len_utf8()));
        }
        CharOffsets { chars: Some(chars) }
    }

    fn convert(&self, (start, end): (usize, usize)) -> (usize, usize) {
        let Some(chars) = &self.chars else { return (start, end) };
        match (chars.get(start), chars.get(end)) {
            (Some(&s), Some(&e)) => (s, e),
            (Some(&s), None) => (s, end.checked_sub(1).and_then(|last| chars.get(last)).map_or(s + 1, |&l| l + 1)),
            _ => (start, end),
        }
    }
}

/// The result of encoding: ids with their tokens, offsets, words and masks.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Encoding {
    pub(crate) ids: Vec<u32>,
    pub(crate) type_ids: Vec<u32>,
    pub(crate) tokens: Vec<String>,
    pub(crate) words: Vec<Option<u32>>,
    pub(crate) offsets: Vec<(usize, usize)>,
    pub(crate) special_tokens_mask: Vec<u32>,
    pub(crate) attention_mask: Vec<u32>,
    /// Token ranges of each input sequence (special tokens excluded).
    pub(crate) sequence_ranges: BTreeMap<usize, Range<usize>>,
}

impl Encoding {
    /// The token ids.
    pub fn ids(&self) -> &[u32] {
        &self.ids
    }

    /// The type id of each token (0 for the first sequence, 1 for the pair, per the processor).
    pub fn type_ids(&self) -> &[u32] {
        &self.type_ids
    }

    /// The token texts.
    pub fn tokens(&self) -> &[String] {
        &self.tokens
    }

    /// The word (pre-tokenizer piece) each token comes from; `None` for special tokens.
    pub fn word_ids(&self) -> &[Option<u32>] {
        &self.words
    }

    /// The span of each token in its input text (bytes or characters, per the call).
    pub fn offsets(&self) -> &[(usize, usize)] {
        &self.offsets
    }

    /// 1 for special tokens added by the post-processor, else 0.
    pub fn special_tokens_mask(&self) -> &[u32] {
        &self.special_tokens_mask
    }

    /// 1 for every token (no padding here).
    pub fn attention_mask(&self) -> &[u32] {
        &self.attention_mask
    }

    /// The number of tokens.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// Whether there are no tokens.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// The number of input sequences.
    pub fn n_sequences(&self) -> usize {
        self.sequence_ranges.len().max(1)
    }

    /// The input sequence of each token; `None` for special tokens.
    pub fn sequence_ids(&self) -> Vec<Option<usize>> {
        if self.sequence_ranges.is_empty() {
            return vec![Some(0); self.len()];
        }
        let mut out = vec![None; self.len()];
        for (&sequence, range) in &self.sequence_ranges {
            for slot in out.get_mut(range.clone()).into_iter().flatten() {
                *slot = Some(sequence);
            }
        }
        out
    }

    /// Marks every token as belonging to sequence `id`.
    pub(crate) fn set_sequence_id(&mut self, id: usize) {
        self.sequence_ranges.insert(id, 0..self.len());
    }

    /// Sets every type id to `type_id`.
    pub(crate) fn set_type_ids(&mut self, type_id: u32) {
        self.type_ids = vec![type_id; self.len()];
    }

    /// Appends `other` (offsets not shifted).
    pub(crate) fn append(&mut self, other: Encoding) {
        let shift = self.len();
        self.sequence_ranges
            .extend(other.sequence_ranges.into_iter().map(|(id, r)| (id, r.start + shift..r.end + shift)));
        self.ids.extend(other.ids);
        self.type_ids.extend(other.type_ids);
        self.tokens.extend(other.tokens);
        self.words.extend(other.words);
        self.offsets.extend(other.offsets);
        self.special_tokens_mask.extend(other.special_tokens_mask);
        self.attention_mask.extend(other.attention_mask);
    }

    /// The encodings one after the other.
    pub(crate) fn merge(encodings: impl IntoIterator<Item = Encoding>) -> Encoding {
        let mut out = Encoding::default();
        for encoding in encodings {
            out.append(encoding);
        }
        out
    }

    /// Special tokens as an encoding of their own (no word, no offsets, mask 1).
    pub(crate) fn special(ids: &[u32], tokens: &[String], type_id: u32) -> Encoding {
        let n = ids.len();
        Encoding {
            ids: ids.to_vec(),
            type_ids: vec![type_id; n],
            tokens: tokens.to_vec(),
            words: vec![None; n],
            offsets: vec![(0, 0); n],
            special_tokens_mask: vec![1; n],
            attention_mask: vec![1; n],
            sequence_ranges: BTreeMap::new(),
        }
    }

    /// Applies `f` to each token's text and offsets (the byte-level offset trimming).
    pub(crate) fn for_each_token_offsets(&mut self, mut f: impl FnMut(usize, &str, &mut (usize, usize))) {
        for (i, (token, offsets)) in self.tokens.iter().zip(self.offsets.iter_mut()).enumerate() {
            f(i, token, offsets);
        }
    }
}
