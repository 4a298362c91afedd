//! The BPE trainer (HuggingFace's `BpeTrainer`).

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use rustc_hash::FxHashMap;

use super::WordCounts;
use super::progress::Progress;

/// Learns a BPE vocabulary and merges from word counts, exactly as HuggingFace's `BpeTrainer`.
///
/// The defaults are HuggingFace's: 30 000 tokens, no minimum frequency, a progress bar, no
/// special tokens, no alphabet limit, no initial alphabet, no prefix or suffix, no length limit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BpeTrainer {
    /// The vocabulary size to reach (special tokens and the alphabet included). The alphabet
    /// is kept whole even when it is larger.
    pub vocab_size: usize,
    /// A pair is merged only if it occurs at least this often.
    pub min_frequency: u64,
    /// Draw progress bars on standard error (only when it is a terminal).
    pub show_progress: bool,
    /// Tokens given the first ids, in this order (duplicates once).
    pub special_tokens: Vec<String>,
    /// Keep at most this many characters in the alphabet, dropping the least frequent (the
    /// `initial_alphabet` counts as most frequent). HuggingFace breaks ties at the cut
    /// arbitrarily (an unstable sort); here the smaller code point is dropped first.
    pub limit_alphabet: Option<usize>,
    /// Characters in the alphabet even if no word has them.
    pub initial_alphabet: Vec<char>,
    /// Put before every symbol that does not start a word (`"##"` for WordPiece).
    pub continuing_subword_prefix: Option<String>,
    /// Put after the symbol that ends a word (`"</w>"` in the original BPE paper).
    pub end_of_word_suffix: Option<String>,
    /// Do not form pairs whose merged token would be `max_token_length` characters or more
    /// (HuggingFace's test, applied to the pairs that merges create).
    pub max_token_length: Option<usize>,
}

impl Default for BpeTrainer {
    fn default() -> Self {
        BpeTrainer {
            vocab_size: 30000,
            min_frequency: 0,
            show_progress: true,
            special_tokens: Vec::new(),
            limit_alphabet: None,
            initial_alphabet: Vec::new(),
            continuing_subword_prefix: None,
            end_of_word_suffix: None,
            max_token_length: None,
        }
    }
}

/// What [`BpeTrainer::train`] learns.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TrainedBpe {
    /// The tokens; a token's index is its id.
    pub vocab: Vec<String>,
    /// The merges by rank, as HuggingFace's model keeps them: when training merged the same
    /// pair twice, the later rank is kept.
    pub merges: Vec<(String, String)>,
    /// The trainer's special tokens (they have the first ids in `vocab`).
    pub special_tokens: Vec<String>,
}

impl BpeTrainer {
    /// Learns the vocabulary and merges of `words`.
    ///
    /// Symbols made with a prefix or suffix are numbered in sorted order (HuggingFace numbers
    /// them in a random order; see [`train_with_symbol_order`](Self::train_with_symbol_order)).
    pub fn train(&self, words: &WordCounts) -> TrainedBpe {
        self.train_with_symbol_order::<&str>(words, &[])
    }

    /// [`train`](Self::train), numbering the prefixed and suffixed symbols in the order they
    /// have in `order` (for instance a vocabulary HuggingFace trained on the same words), those
    /// not in it after them in sorted order. This reproduces a given HuggingFace run exactly.
    pub fn train_with_symbol_order<S: AsRef<str>>(&self, words: &WordCounts, order: &[S]) -> TrainedBpe {
        let mut vocab = Vocab::default();
        for token in &self.special_tokens {
            vocab.get_or_insert(token);
        }
        let entries: Vec<(&str, u64)> = words.iter().collect();
        let progress = Progress::new(self.show_progress, "Tokenize words", entries.len() as u64);
        let mut symbols = Symbols::collect(&entries, self);
        self.add_alphabet(&symbols, &mut vocab);
        let mut words = symbols.resolve(self, &mut vocab, order);
        progress.finish();

        let progress = Progress::new(self.show_progress, "Count pairs", words.counts.len() as u64);
        let mut state = Merger::new(&words);
        progress.finish();

        let first = vocab.len();
        let progress =
            Progress::new(self.show_progress, "Compute merges", self.vocab_size.saturating_sub(first) as u64);
        let max_length = self.max_token_length.unwrap_or(usize::MAX);
        let mut merges: Vec<(u32, u32)> = Vec::new();
        let mut new_token = String::new();
        loop {
            if vocab.len() >= self.vocab_size {
                break;
            }
            let Some(mut top) = state.queue.pop() else { break };
            let now = state.count(top.pair);
            if top.count != now {
                top.count = now;
                state.queue.push(top);
                continue;
            }
            if top.count < 1 || self.min_frequency > top.count {
                break;
            }
            let (a, b) = unpack(top.pair);
            new_token.clear();
            new_token.push_str(&vocab.tokens[a as usize]);
            let part_b = &vocab.tokens[b as usize];
            let part_b = match &self.continuing_subword_prefix {
                Some(prefix) => part_b.strip_prefix(prefix.as_str()).unwrap_or(part_b),
                None => part_b,
            };
            new_token.push_str(part_b);
            let id = vocab.get_or_insert(&new_token);
            merges.push((a, b));
            state.merge(&mut words, &top, id, max_length);
            progress.set((vocab.len() - first) as u64);
        }
        progress.finish();

        // HuggingFace keeps merges in a map from pair to (rank, id): a pair merged twice keeps
        // its later rank.
        let mut last: FxHashMap<(u32, u32), usize> = FxHashMap::default();
        for (rank, &pair) in merges.iter().enumerate() {
            last.insert(pair, rank);
        }
        let merges = merges
            .iter()
            .enumerate()
            .filter(|&(rank, pair)| last[pair] == rank)
            .map(|(_, &(a, b))| (vocab.tokens[a as usize].clone(), vocab.tokens[b as usize].clone()))
            .collect();
        TrainedBpe { vocab: vocab.tokens, merges, special_tokens: self.special_tokens.clone() }
    }

    /// Adds the alphabet to `vocab`: the characters of the words weighted by the words' counts,
    /// plus the initial alphabet, limited to the `limit_alphabet` most frequent, by code point.
    fn add_alphabet(&self, symbols: &Symbols, vocab: &mut Vocab) {
        let mut counts: FxHashMap<char, u64> = FxHashMap::default();
        for (&(c, _), &count) in symbols.combos.iter().zip(&symbols.combo_counts) {
            let total = counts.entry(c).or_insert(0);
            *total = total.saturating_add(count);
        }
        for &c in &self.initial_alphabet {
            counts.insert(c, u64::MAX);
        }
        let mut kept: Vec<(char, u64)> = counts.into_iter().collect();
        if let Some(limit) = self.limit_alphabet
            && kept.len() > limit
        {
            let remove = kept.len() - limit;
            kept.sort_unstable_by_key(|&(c, count)| (count, c));
            kept.drain(..remove);
        }
        kept.sort_unstable_by_key(|&(c, _)| c);
        let mut buf = [0u8; 4];
        for (c, _) in kept {
            vocab.get_or_insert(c.encode_utf8(&mut buf));
        }
    }
}

/// Tokens by id and ids by token.
#[derive(Default)]
struct Vocab {
    tokens: Vec<String>,
    ids: FxHashMap<String, u32>,
}

impl Vocab {
    fn len(&self) -> usize {
        self.tokens.len()
    }

    fn get(&self, token: &str) -> Option<u32> {
        self.ids.get(token).copied()
    }

    fn get_or_insert(&mut self, token: &str) -> u32 {
        if let Some(id) = self.get(token) {
            return id;
        }
        let id = self.tokens.len() as u32;
        self.tokens.push(token.to_owned());
        self.ids.insert(token.to_owned(), id);
        id
    }
}

/// A symbol before it has an id: a character and whether it takes the prefix (bit 0, not the
/// first character of its word) or the suffix (bit 1, the last).
type Combo = (char, u8);

/// Code points below this have their combos interned through a table, not a hash map.
const DIRECT: usize = 0x800;

/// The words as combo codes, before the vocabulary exists.
struct Symbols {
    /// The distinct combos, by code.
    combos: Vec<Combo>,
    /// How often each combo occurs (words weighted by their counts).
    combo_counts: Vec<u64>,
    /// Combo codes of every word, one after the other.
    codes: Vec<u32>,
    /// Where each word's codes end in `codes`.
    ends: Vec<usize>,
    /// Each word's count.
    counts: Vec<u64>,
}

impl Symbols {
    fn collect(entries: &[(&str, u64)], trainer: &BpeTrainer) -> Symbols {
        let prefix = u8::from(trainer.continuing_subword_prefix.is_some());
        let suffix = u8::from(trainer.end_of_word_suffix.is_some()) << 1;
        let mut direct = vec![u32::MAX; DIRECT * 4];
        let mut other: FxHashMap<Combo, u32> = FxHashMap::default();
        let mut symbols = Symbols {
            combos: Vec::new(),
            combo_counts: Vec::new(),
            codes: Vec::with_capacity(entries.iter().map(|(w, _)| w.len()).sum()),
            ends: Vec::with_capacity(entries.len()),
            counts: Vec::with_capacity(entries.len()),
        };
        for &(word, count) in entries {
            let mut chars = word.chars().peekable();
            let mut first = true;
            while let Some(c) = chars.next() {
                let last = chars.peek().is_none();
                let kind = if first { 0 } else { prefix } | if last { suffix } else { 0 };
                first = false;
                let slot = if (c as usize) < DIRECT {
                    &mut direct[(c as usize) << 2 | kind as usize]
                } else {
                    other.entry((c, kind)).or_insert(u32::MAX)
                };
                if *slot == u32::MAX {
                    *slot = symbols.combos.len() as u32;
                    symbols.combos.push((c, kind));
                    symbols.combo_counts.push(0);
                }
                let code = *slot;
                let total = &mut symbols.combo_counts[code as usize];
                *total = total.saturating_add(count);
                symbols.codes.push(code);
            }
            symbols.ends.push(symbols.codes.len());
            symbols.counts.push(count);
        }
        symbols
    }

    /// Gives every combo its id (adding the prefixed and suffixed ones to `vocab`, ordered by
    /// `order` then by string) and makes the words of symbol ids, dropping characters that are
    /// not in the vocabulary.
    fn resolve<S: AsRef<str>>(&mut self, trainer: &BpeTrainer, vocab: &mut Vocab, order: &[S]) -> Words {
        let prefix = trainer.continuing_subword_prefix.as_deref().unwrap_or("");
        let suffix = trainer.end_of_word_suffix.as_deref().unwrap_or("");
        let mut ids = vec![u32::MAX; self.combos.len()];
        let mut new: Vec<(usize, String)> = Vec::new();
        let mut buf = [0u8; 4];
        for (code, &(c, kind)) in self.combos.iter().enumerate() {
            let plain = c.encode_utf8(&mut buf);
            if vocab.get(plain).is_none() {
                continue;
            }
            if kind == 0 {
                ids[code] = vocab.get(plain).unwrap_or(u32::MAX);
                continue;
            }
            let mut token = String::new();
            if kind & 1 != 0 {
                token.push_str(prefix);
            }
            token.push_str(plain);
            if kind & 2 != 0 {
                token.push_str(suffix);
            }
            match vocab.get(&token) {
                Some(id) => ids[code] = id,
                None => new.push((code, token)),
            }
        }
        let rank: FxHashMap<&str, usize> = order.iter().enumerate().map(|(i, t)| (t.as_ref(), i)).collect();
        new.sort_by(|(_, a), (_, b)| {
            let (ra, rb) = (rank.get(a.as_str()), rank.get(b.as_str()));
            match (ra, rb) {
                (Some(x), Some(y)) => x.cmp(y),
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => a.cmp(b),
            }
        });
        for (code, token) in new {
            ids[code] = vocab.get_or_insert(&token);
        }

        let mut words = Words {
            syms: Vec::with_capacity(self.codes.len()),
            starts: Vec::with_capacity(self.ends.len()),
            lens: Vec::with_capacity(self.ends.len()),
            sizes: Vec::new(),
            counts: std::mem::take(&mut self.counts),
        };
        let track_sizes = trainer.max_token_length.is_some();
        let mut start = 0;
        for &end in &self.ends {
            let at = words.syms.len();
            words
                .syms
                .extend(self.codes[start..end].iter().map(|&code| ids[code as usize]).filter(|&id| id != u32::MAX));
            words.starts.push(at);
            words.lens.push((words.syms.len() - at) as u32);
            start = end;
        }
        if track_sizes {
            words.sizes = vec![1; words.syms.len()];
        }
        words
    }
}

/// The words as symbol ids, in one buffer.
struct Words {
    syms: Vec<u32>,
    /// Where each word starts in `syms`.
    starts: Vec<usize>,
    /// How many symbols each word has now (merges shrink words in place).
    lens: Vec<u32>,
    /// With `max_token_length`: how many characters each symbol stands for (parallel to
    /// `syms`); empty otherwise.
    sizes: Vec<u32>,
    counts: Vec<u64>,
}

fn pack(a: u32, b: u32) -> u64 {
    (u64::from(a) << 32) | u64::from(b)
}

fn unpack(pair: u64) -> (u32, u32) {
    ((pair >> 32) as u32, pair as u32)
}

/// A queue entry: a pair, its count when pushed, and the words to merge it in.
struct Entry {
    count: u64,
    pair: u64,
    words: Vec<u32>,
}

impl PartialEq for Entry {
    fn eq(&self, other: &Self) -> bool {
        self.count == other.count && self.pair == other.pair
    }
}

impl Eq for Entry {}

impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Entry {
    /// The most frequent first, then the smallest pair (first id, then second).
    fn cmp(&self, other: &Self) -> Ordering {
        self.count.cmp(&other.count).then_with(|| other.pair.cmp(&self.pair))
    }
}

/// The pair counts and the queue of pairs to merge.
struct Merger {
    /// Every pair ever seen and its count, as HuggingFace updates it (a merged pair's count is
    /// left as it was).
    counts: FxHashMap<u64, i64>,
    queue: BinaryHeap<Entry>,
    /// This merge's new pairs and the words they appeared in.
    created: Vec<(u64, u32)>,
}

impl Merger {
    fn new(words: &Words) -> Merger {
        let mut found: FxHashMap<u64, (i64, Vec<u32>)> = FxHashMap::default();
        for (w, (&start, &len)) in words.starts.iter().zip(&words.lens).enumerate() {
            let count = words.counts[w] as i64;
            for pair in words.syms[start..start + len as usize].windows(2) {
                let (total, at) = found.entry(pack(pair[0], pair[1])).or_default();
                *total = total.wrapping_add(count);
                if at.last() != Some(&(w as u32)) {
                    at.push(w as u32);
                }
            }
        }
        let mut counts = FxHashMap::with_capacity_and_hasher(found.len(), Default::default());
        let mut entries = Vec::with_capacity(found.len());
        for (pair, (count, at)) in found {
            counts.insert(pair, count);
            if count > 0 {
                entries.push(Entry { count: count as u64, pair, words: at });
            }
        }
        Merger { counts, queue: BinaryHeap::from(entries), created: Vec::new() }
    }

    /// The count of `pair` as HuggingFace compares it (`i32 as u64`).
    fn count(&self, pair: u64) -> u64 {
        self.counts.get(&pair).copied().unwrap_or(0) as u64
    }

    /// Merges `top`'s pair into `id` in its words, updating the counts and queueing the pairs
    /// the merge creates.
    fn merge(&mut self, words: &mut Words, top: &Entry, id: u32, max_length: usize) {
        let (a, b) = unpack(top.pair);
        self.created.clear();
        let counts = &mut self.counts;
        let created = &mut self.created;
        for &w in &top.words {
            let count = words.counts[w as usize] as i64;
            let mut change = |pair: u64, delta: i64| {
                let total = counts.entry(pair).or_insert(0);
                *total = total.wrapping_add(delta.wrapping_mul(count));
                if delta > 0 {
                    created.push((pair, w));
                }
            };
            let start = words.starts[w as usize];
            let n = words.lens[w as usize] as usize;
            let syms = &mut words.syms[start..start + n];
            let sizes = if words.sizes.is_empty() { None } else { Some(&mut words.sizes[start..start + n]) };
            let new_len = match sizes {
                None => merge_word(syms, a, b, id, &mut change),
                Some(sizes) => merge_word_sized(syms, sizes, a, b, id, max_length, &mut change),
            };
            words.lens[w as usize] = new_len as u32;
        }
        self.created.sort_unstable();
        self.created.dedup();
        let mut i = 0;
        while i < self.created.len() {
            let pair = self.created[i].0;
            let mut j = i;
            while j < self.created.len() && self.created[j].0 == pair {
                j += 1;
            }
            let count = self.counts.get(&pair).copied().unwrap_or(0);
            if count > 0 {
                let at = self.created[i..j].iter().map(|&(_, w)| w).collect();
                self.queue.push(Entry { count: count as u64, pair, words: at });
            }
            i = j;
        }
    }
}

/// Merges every `a b` of `syms` (left to right, as HuggingFace's `Word::merge`) into `id`,
/// reporting each pair change, and returns the new length.
#[inline]
fn merge_word(syms: &mut [u32], a: u32, b: u32, id: u32, change: &mut impl FnMut(u64, i64)) -> usize {
    let n = syms.len();
    let (mut r, mut w) = (0, 0);
    while r < n {
        if syms[r] == a && r + 1 < n && syms[r + 1] == b {
            if w > 0 {
                change(pack(syms[w - 1], a), -1);
                change(pack(syms[w - 1], id), 1);
            }
            if r + 2 < n {
                change(pack(b, syms[r + 2]), -1);
                change(pack(id, syms[r + 2]), 1);
            }
            syms[w] = id;
            r += 2;
        } else {
            syms[w] = syms[r];
            r += 1;
        }
        w += 1;
    }
    w
}

/// [`merge_word`] with symbol sizes: a new pair is counted only if its two symbols stand for
/// fewer than `max_length` characters.
#[inline]
fn merge_word_sized(
    syms: &mut [u32],
    sizes: &mut [u32],
    a: u32,
    b: u32,
    id: u32,
    max_length: usize,
    change: &mut impl FnMut(u64, i64),
) -> usize {
    let n = syms.len();
    let (mut r, mut w) = (0, 0);
    while r < n {
        if syms[r] == a && r + 1 < n && syms[r + 1] == b {
            let size = sizes[r].saturating_add(sizes[r + 1]);
            if w > 0 {
                change(pack(syms[w - 1], a), -1);
                if (sizes[w - 1] as usize).saturating_add(size as usize) < max_length {
                    change(pack(syms[w - 1], id), 1);
                }
            }
            if r + 2 < n {
                change(pack(b, syms[r + 2]), -1);
                if (sizes[r + 2] as usize).saturating_add(size as usize) < max_length {
                    change(pack(id, syms[r + 2]), 1);
                }
            }
            syms[w] = id;
            sizes[w] = size;
            r += 2;
        } else {
            syms[w] = syms[r];
            sizes[w] = sizes[r];
            r += 1;
        }
        w += 1;
    }
    w
}
