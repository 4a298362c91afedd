//! The tokenizer: the pipeline put together.

use super::added::{AddedToken, AddedVocabulary};
#[cfg(feature = "decoders")]
use super::decoders::Decoder;
use super::encoding::{Encoding, OffsetType};
use super::models::Model;
use super::normalized::NormalizedString;
#[cfg(feature = "normalizers")]
use super::normalizers::Normalizer;
#[cfg(feature = "pre-tokenizers")]
use super::pre_tokenizers::PreTokenizer;
#[cfg(feature = "processors")]
use super::processors::PostProcessor;
use super::{Error, PreTokenizedString};

/// One input sequence: raw text, or words already cut by the caller.
#[derive(Debug, Clone, Copy)]
pub enum Input<'a> {
    /// Text, cut by the pre-tokenizer.
    Text(&'a str),
    /// Words; each is normalized, pre-tokenized and encoded on its own, with its index as word id.
    PreTokenized(&'a [String]),
}

impl<'a> From<&'a str> for Input<'a> {
    fn from(text: &'a str) -> Input<'a> {
        Input::Text(text)
    }
}

/// A tokenizer pipeline: normalizer, pre-tokenizer, model, post-processor and decoder, plus
/// added tokens.
#[derive(Debug, Clone)]
pub struct Tokenizer {
    model: Model,
    #[cfg(feature = "normalizers")]
    normalizer: Option<Normalizer>,
    #[cfg(feature = "pre-tokenizers")]
    pre_tokenizer: Option<PreTokenizer>,
    #[cfg(feature = "processors")]
    post_processor: Option<PostProcessor>,
    #[cfg(feature = "decoders")]
    decoder: Option<Decoder>,
    added: AddedVocabulary,
}

impl Tokenizer {
    /// A tokenizer with only a model.
    pub fn new(model: Model) -> Tokenizer {
        Tokenizer {
            model,
            #[cfg(feature = "normalizers")]
            normalizer: None,
            #[cfg(feature = "pre-tokenizers")]
            pre_tokenizer: None,
            #[cfg(feature = "processors")]
            post_processor: None,
            #[cfg(feature = "decoders")]
            decoder: None,
            added: AddedVocabulary::default(),
        }
    }

    /// The model.
    pub fn model(&self) -> &Model {
        &self.model
    }

    /// Replaces the model (added tokens keep their ids).
    pub fn set_model(&mut self, model: Model) {
        self.model = model;
        self.refresh_added();
    }

    /// The normalizer.
    #[cfg(feature = "normalizers")]
    pub fn normalizer(&self) -> Option<&Normalizer> {
        self.normalizer.as_ref()
    }

    /// Sets the normalizer.
    #[cfg(feature = "normalizers")]
    pub fn set_normalizer(&mut self, normalizer: Option<Normalizer>) {
        self.normalizer = normalizer;
        self.refresh_added();
    }

    /// The pre-tokenizer.
    #[cfg(feature = "pre-tokenizers")]
    pub fn pre_tokenizer(&self) -> Option<&PreTokenizer> {
        self.pre_tokenizer.as_ref()
    }

    /// Sets the pre-tokenizer.
    #[cfg(feature = "pre-tokenizers")]
    pub fn set_pre_tokenizer(&mut self, pre_tokenizer: Option<PreTokenizer>) {
        self.pre_tokenizer = pre_tokenizer;
    }

    /// The post-processor.
    #[cfg(feature = "processors")]
    pub fn post_processor(&self) -> Option<&PostProcessor> {
        self.post_processor.as_ref()
    }

    /// Sets the post-processor.
    #[cfg(feature = "processors")]
    pub fn set_post_processor(&mut self, post_processor: Option<PostProcessor>) {
        self.post_processor = post_processor;
    }

    /// The decoder.
    #[cfg(feature = "decoders")]
    pub fn decoder(&self) -> Option<&Decoder> {
        self.decoder.as_ref()
    }

    /// Sets the decoder.
    #[cfg(feature = "decoders")]
    pub fn set_decoder(&mut self, decoder: Option<Decoder>) {
        self.decoder = decoder;
    }

    fn refresh_added(&mut self) {
        let mut added = std::mem::take(&mut self.added);
        added.refresh(&|n| self.normalize(n));
        self.added = added;
    }

    /// Runs the normalizer (if any) on `text`.
    pub fn normalize(&self, text: &mut NormalizedString) {
        #[cfg(feature = "normalizers")]
        if let Some(normalizer) = &self.normalizer {
            normalizer.normalize(text);
        }
        let _ = text;
    }

    /// Runs the pre-tokenizer (if any).
    pub fn pre_tokenize(&self, text: &mut PreTokenizedString) {
        #[cfg(feature = "pre-tokenizers")]
        if let Some(pre_tokenizer) = &self.pre_tokenizer {
            pre_tokenizer.pre_tokenize(text);
        }
        let _ = text;
    }

    /// Adds tokens (matched in the normalized text unless they say otherwise); returns how
    /// many were new.
    pub fn add_tokens(&mut self, tokens: &[AddedToken]) -> usize {
        let mut added = std::mem::take(&mut self.added);
        let n = added.add(tokens, &self.model, &|n| self.normalize(n));
        self.added = added;
        n
    }

    /// Adds special tokens (matched in the original text, skipped by `decode` on request).
    pub fn add_special_tokens(&mut self, tokens: &[AddedToken]) -> usize {
        self.add_tokens(tokens)
    }

    /// The added tokens by id.
    pub fn added_tokens(&self) -> impl Iterator<Item = (u32, &AddedToken)> {
        self.added.tokens()
    }

    /// The id of a token (added tokens first, then the model).
    pub fn token_to_id(&self, token: &str) -> Option<u32> {
        self.added.token_to_id(token).or_else(|| self.model.token_to_id(token))
    }

    /// The token of an id.
    pub fn id_to_token(&self, id: u32) -> Option<&str> {
        self.added.id_to_token(id).or_else(|| self.model.id_to_token(id))
    }

    /// The vocabulary, with or without the added tokens.
    pub fn vocab(&self, with_added_tokens: bool) -> Vec<(String, u32)> {
        let mut map: rustc_hash::FxHashMap<&str, u32> =
            self.model.vocab_map().iter().map(|(t, &id)| (t.as_str(), id)).collect();
        if with_added_tokens {
            map.extend(self.added.vocab());
        }
        map.into_iter().map(|(t, id)| (t.to_owned(), id)).collect()
    }

    /// The vocabulary size, with or without the added tokens.
    pub fn vocab_size(&self, with_added_tokens: bool) -> usize {
        if with_added_tokens { self.vocab(true).len() } else { self.model.vocab_size() }
    }

    /// Encodes one sequence or a pair, with byte offsets.
    pub fn encode<'a>(
        &self,
        input: impl Into<Input<'a>>,
        pair: Option<Input<'a>>,
        add_special_tokens: bool,
    ) -> Result<Encoding, Error> {
        self.encode_with(input.into(), pair, add_special_tokens, OffsetType::Byte)
    }

    /// Encodes one sequence or a pair, with offsets counted as asked.
    pub fn encode_with(
        &self,
        input: Input<'_>,
        pair: Option<Input<'_>>,
        add_special_tokens: bool,
        offsets: OffsetType,
    ) -> Result<Encoding, Error> {
        let first = self.encode_sequence(input, 0, offsets)?;
        let pair = pair.map(|p| self.encode_sequence(p, 1, offsets)).transpose()?;
        Ok(self.post_process(first, pair, add_special_tokens))
    }

    fn encode_sequence(&self, input: Input<'_>, type_id: u32, offsets: OffsetType) -> Result<Encoding, Error> {
        match input {
            Input::Text(text) => self.encode_piece(text, None, type_id, offsets),
            Input::PreTokenized(words) => {
                let mut out = Encoding::default();
                for (i, word) in words.iter().enumerate() {
                    out.append(self.encode_piece(word, Some(i as u32), type_id, offsets)?);
                }
                Ok(out)
            }
        }
    }

    fn encode_piece(
        &self,
        text: &str,
        word: Option<u32>,
        type_id: u32,
        offsets: OffsetType,
    ) -> Result<Encoding, Error> {
        let mut pre = self.added.extract_and_normalize(text, &|n| self.normalize(n));
        self.pre_tokenize(&mut pre);
        pre.tokenize(|piece| self.model.tokenize(piece))?;
        Ok(pre.into_encoding(word, type_id, offsets))
    }

    /// Applies the post-processor (or joins the sequences).
    pub fn post_process(&self, first: Encoding, pair: Option<Encoding>, add_special_tokens: bool) -> Encoding {
        #[cfg(feature = "processors")]
        if let Some(processor) = &self.post_processor {
            return processor.process(first, pair, add_special_tokens);
        }
        let _ = add_special_tokens;
        match pair {
            None => first,
            Some(pair) => {
                let mut encodings = [first, pair];
                for (i, e) in encodings.iter_mut().enumerate() {
                    e.set_sequence_id(i);
                }
                Encoding::merge(encodings)
            }
        }
    }

    /// The text of token ids.
    pub fn decode(&self, ids: &[u32], skip_special_tokens: bool) -> Result<String, Error> {
        let tokens: Vec<String> = ids
            .iter()
            .filter_map(|&id| self.id_to_token(id))
            .filter(|token| !skip_special_tokens || !self.added.is_special(token))
            .map(str::to_owned)
            .collect();
        #[cfg(feature = "decoders")]
        if let Some(decoder) = &self.decoder {
            return Ok(decoder.decode(tokens));
        }
        Ok(tokens.join(" "))
    }

    /// The words a training text gives: normalized and pre-tokenized, without added tokens.
    pub fn words_of(&self, text: &str, mut word: impl FnMut(&str)) {
        let mut normalized = NormalizedString::from(text);
        self.normalize(&mut normalized);
        let mut pre = PreTokenizedString::from(normalized);
        self.pre_tokenize(&mut pre);
        for split in &pre.splits {
            word(split.normalized.get());
        }
    }
}
