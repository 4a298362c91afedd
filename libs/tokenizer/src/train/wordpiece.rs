//! The WordPiece trainer (HuggingFace's `WordPieceTrainer`).

use super::{BpeTrainer, WordCounts};

/// Learns a WordPiece vocabulary, exactly as HuggingFace's `WordPieceTrainer`: BPE training
/// with the `"##"` continuing-subword prefix, whose vocabulary (ids kept) is the result.
///
/// The options are [`BpeTrainer`]'s; the default differs only in the prefix, `"##"`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WordPieceTrainer(pub BpeTrainer);

impl Default for WordPieceTrainer {
    fn default() -> Self {
        WordPieceTrainer(BpeTrainer { continuing_subword_prefix: Some("##".to_owned()), ..BpeTrainer::default() })
    }
}

impl WordPieceTrainer {
    /// Learns the vocabulary of `words`; a token's index is its id.
    ///
    /// HuggingFace numbers the `"##"` symbols in a random order; see
    /// [`BpeTrainer::train_with_symbol_order`].
    pub fn train(&self, words: &WordCounts) -> Vec<String> {
        self.0.train(words).vocab
    }

    /// [`train`](Self::train) with the prefixed symbols numbered in the order they have in
    /// `order` (see [`BpeTrainer::train_with_symbol_order`]).
    pub fn train_with_symbol_order<S: AsRef<str>>(&self, words: &WordCounts, order: &[S]) -> Vec<String> {
        self.0.train_with_symbol_order(words, order).vocab
    }
}
