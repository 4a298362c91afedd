//! The WordPiece trainer (HuggingFace's `WordPieceTrainer`).

use super::{BpeTrainer, WordCounts};

/// Learns a WordPiece vocabulary, exactly as HuggingFace's `WordPieceTrainer`: BPE training
/// with the `"##"` continuing-subword prefix, whose vocabulary (ids kept) is the result.
///
/// The defaults are HuggingFace's (those of [`BpeTrainer`], with the prefix `"##"`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WordPieceTrainer {
    /// The vocabulary size to reach (special tokens and the alphabet included).
    pub vocab_size: usize,
    /// A pair is merged only if it occurs at least this often.
    pub min_frequency: u64,
    /// Draw progress bars on standard error (only when it is a terminal).
    pub show_progress: bool,
    /// Tokens given the first ids, in this order (duplicates once).
    pub special_tokens: Vec<String>,
    /// Keep at most this many characters in the alphabet (see [`BpeTrainer::limit_alphabet`]).
    pub limit_alphabet: Option<usize>,
    /// Characters in the alphabet even if no word has them.
    pub initial_alphabet: Vec<char>,
    /// Put before every symbol that does not start a word (default `"##"`).
    pub continuing_subword_prefix: Option<String>,
    /// Put after the symbol that ends a word.
    pub end_of_word_suffix: Option<String>,
    /// See [`BpeTrainer::max_token_length`].
    pub max_token_length: Option<usize>,
}

impl Default for WordPieceTrainer {
    fn default() -> Self {
        WordPieceTrainer {
            vocab_size: 30000,
            min_frequency: 0,
            show_progress: true,
            special_tokens: Vec::new(),
            limit_alphabet: None,
            initial_alphabet: Vec::new(),
            continuing_subword_prefix: Some("##".to_owned()),
            end_of_word_suffix: None,
            max_token_length: None,
        }
    }
}

impl WordPieceTrainer {
    /// Learns the vocabulary of `words`; a token's index is its id.
    ///
    /// HuggingFace numbers the `"##"` symbols in a random order; see
    /// [`BpeTrainer::train_with_symbol_order`].
    pub fn train(&self, words: &WordCounts) -> Vec<String> {
        self.bpe().train(words).vocab
    }

    /// [`train`](Self::train) with the prefixed symbols numbered in the order they have in
    /// `order` (see [`BpeTrainer::train_with_symbol_order`]).
    pub fn train_with_symbol_order<S: AsRef<str>>(&self, words: &WordCounts, order: &[S]) -> Vec<String> {
        self.bpe().train_with_symbol_order(words, order).vocab
    }

    fn bpe(&self) -> BpeTrainer {
        BpeTrainer {
            vocab_size: self.vocab_size,
            min_frequency: self.min_frequency,
            show_progress: self.show_progress,
            special_tokens: self.special_tokens.clone(),
            limit_alphabet: self.limit_alphabet,
            initial_alphabet: self.initial_alphabet.clone(),
            continuing_subword_prefix: self.continuing_subword_prefix.clone(),
            end_of_word_suffix: self.end_of_word_suffix.clone(),
            max_token_length: self.max_token_length,
        }
    }
}
