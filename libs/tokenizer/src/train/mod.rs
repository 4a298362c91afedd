//! BPE and WordPiece training, identical to HuggingFace `tokenizers`' trainers (0.23).
//!
//! Training has two steps, as in HuggingFace:
//!
//! 1. **Counting words.** The texts are normalized and pre-tokenized into words, and each
//!    distinct word is counted ([`WordCounts`]). The words are what HuggingFace's trainer sees:
//!    for the byte-level pre-tokenizer they are byte-level strings such as `"Ġthe"`.
//!    [`count_byte_level`] is the fast path for GPT-2's pre-tokenizer (`ByteLevel` with
//!    `add_prefix_space=False`, `use_regex=True`, no normalizer); any other pipeline feeds
//!    [`WordCounts::add`] itself.
//! 2. **Learning merges** from the counts: [`BpeTrainer::train`] gives the vocabulary (by id)
//!    and the merges, [`WordPieceTrainer::train`] a WordPiece vocabulary.
//!
//! ```
//! use pyaot_tokenizer::train::{BpeTrainer, count_byte_level};
//!
//! let texts = ["the cat sat on the mat", "the dog sat on the log"];
//! let words = count_byte_level(&texts, false);
//! let trainer = BpeTrainer {
//!     vocab_size: 300,
//!     show_progress: false,
//!     initial_alphabet: pyaot_tokenizer::byte_level::alphabet().collect(),
//!     ..BpeTrainer::default()
//! };
//! let trained = trainer.train(&words);
//! assert_eq!(trained.vocab.len(), 256 + trained.merges.len());
//! // "at", "th" and "he" occur 4 times each: the pair of smallest ids comes first.
//! assert_eq!(trained.merges[0], ("a".to_owned(), "t".to_owned()));
//! ```
//!
//! # Exactness
//!
//! The vocabulary, its ids and the merges (in order) are those of `tokenizers` 0.23's
//! `BpeTrainer`, including its quirks: the priority queue keyed by (count, smallest pair ids)
//! with lazily refreshed counts, the pair-count updates of its `Word::merge` for overlapping
//! pairs (`"aaa"`), a merged pair's count that is never reset, merges that produce a token
//! already in the vocabulary, and `max_token_length` compared with `<` on the new pairs only.
//!
//! One thing cannot be identical: HuggingFace numbers the symbols made with
//! `continuing_subword_prefix` or `end_of_word_suffix` (`"##a"`, `"a</w>"`) in the iteration
//! order of a randomly seeded hash map, so two HuggingFace runs give them different ids, and
//! merges whose counts tie can then come out in a different order. [`BpeTrainer::train`] numbers
//! them in sorted order (deterministic); [`BpeTrainer::train_with_symbol_order`] takes the order
//! of a given HuggingFace vocabulary and then reproduces that run exactly. Without a prefix or
//! suffix (the byte-level configuration) there is nothing random, and `train` is exact.
//!
//! # Speed
//!
//! Words are counted with the crate's hand-written GPT-2 split scanner into hash maps keyed by
//! slices of the input (no allocation per piece), one map per chunk of texts on all threads with
//! the `parallel` feature. Training works on interned symbol ids (`u32`) in one flat buffer,
//! with pairs as `u64` keys; each merge touches only the words that contain the pair.

mod bpe;
mod progress;
mod wordpiece;

use rustc_hash::FxHashMap;

pub use bpe::{BpeTrainer, TrainedBpe};
pub use wordpiece::WordPieceTrainer;

use crate::split::Splitter;

/// Distinct words and how often each occurs, as HuggingFace's trainers see them (after
/// normalization and pre-tokenization).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WordCounts {
    counts: FxHashMap<String, u64>,
}

impl WordCounts {
    /// No words.
    pub fn new() -> Self {
        WordCounts::default()
    }

    /// Adds `count` occurrences of `word`.
    pub fn add(&mut self, word: &str, count: u64) {
        if let Some(c) = self.counts.get_mut(word) {
            *c = c.saturating_add(count);
        } else {
            self.counts.insert(word.to_owned(), count);
        }
    }

    /// Adds every count of `other` to these.
    pub fn merge(&mut self, other: WordCounts) {
        if other.counts.len() > self.counts.len() {
            let mine = std::mem::replace(&mut self.counts, other.counts);
            self.merge_map(mine);
        } else {
            self.merge_map(other.counts);
        }
    }

    fn merge_map(&mut self, other: FxHashMap<String, u64>) {
        self.counts.reserve(other.len());
        for (word, count) in other {
            let c = self.counts.entry(word).or_insert(0);
            *c = c.saturating_add(count);
        }
    }

    /// The number of distinct words.
    pub fn len(&self) -> usize {
        self.counts.len()
    }

    /// Whether there are no words.
    pub fn is_empty(&self) -> bool {
        self.counts.is_empty()
    }

    /// How often `word` occurs (0 if never).
    pub fn get(&self, word: &str) -> u64 {
        self.counts.get(word).copied().unwrap_or(0)
    }

    /// The words and their counts, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, u64)> + '_ {
        self.counts.iter().map(|(w, &c)| (w.as_str(), c))
    }
}

impl<S: AsRef<str>> FromIterator<(S, u64)> for WordCounts {
    fn from_iter<I: IntoIterator<Item = (S, u64)>>(iter: I) -> Self {
        let mut counts = WordCounts::new();
        for (word, count) in iter {
            counts.add(word.as_ref(), count);
        }
        counts
    }
}

/// Counts the words of `texts` as HuggingFace's `ByteLevel(add_prefix_space=False,
/// use_regex=True)` pre-tokenizer makes them (GPT-2's split, then each byte as its
/// [`byte_level`](crate::byte_level) character), with no normalizer: what
/// `tokenizer.train_from_iterator(texts, trainer)` counts for that configuration.
///
/// With the `parallel` feature the texts are counted in chunks on rayon's global pool (set
/// `RAYON_NUM_THREADS=1` for one thread). `show_progress` draws a progress bar on standard
/// error when it is a terminal.
pub fn count_byte_level<S: AsRef<str> + Sync>(texts: &[S], show_progress: bool) -> WordCounts {
    let progress = progress::Progress::new(show_progress, "Count words", texts.len() as u64);
    let pieces = count_pieces(texts, &progress);
    progress.finish();
    let mut counts = FxHashMap::with_capacity_and_hasher(pieces.len(), Default::default());
    let mut word = String::new();
    for (piece, count) in pieces {
        word.clear();
        crate::byte_level::encode_into(piece.as_bytes(), &mut word);
        counts.insert(word.clone(), count);
    }
    WordCounts { counts }
}

/// Texts per unit of work (and progress step).
const CHUNK: usize = 256;

/// The distinct pieces of `texts` (slices of them) and their counts.
fn count_pieces<'t, S: AsRef<str> + Sync>(texts: &'t [S], progress: &progress::Progress) -> FxHashMap<&'t str, u64> {
    #[cfg(feature = "parallel")]
    {
        use rayon::prelude::*;
        if rayon::current_num_threads() > 1 && texts.len() > CHUNK {
            return texts
                .par_chunks(CHUNK)
                .map(|chunk| {
                    let mut map = FxHashMap::default();
                    count_chunk(chunk, &mut map);
                    progress.add(chunk.len() as u64);
                    map
                })
                .reduce(FxHashMap::default, |a, b| {
                    let (mut big, small) = if a.len() >= b.len() { (a, b) } else { (b, a) };
                    for (piece, count) in small {
                        *big.entry(piece).or_insert(0) += count;
                    }
                    big
                });
        }
    }
    let mut map = FxHashMap::default();
    for chunk in texts.chunks(CHUNK) {
        count_chunk(chunk, &mut map);
        progress.add(chunk.len() as u64);
    }
    map
}

fn count_chunk<'t, S: AsRef<str>>(texts: &'t [S], map: &mut FxHashMap<&'t str, u64>) {
    for text in texts {
        // The R50k scanner cannot fail (only custom regex patterns can).
        let _ = Splitter::R50k.split(text.as_ref(), |piece| *map.entry(piece).or_insert(0) += 1);
    }
}
