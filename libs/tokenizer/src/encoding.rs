//! [`Encoding`]: a vocabulary, a split pattern and special tokens.

use std::collections::HashSet;
use std::sync::OnceLock;

use rustc_hash::FxHashMap;

use crate::bpe;
use crate::error::Error;
use crate::split::Splitter;
use crate::vocab::{self, Vocab};
use crate::{Rank, builtin};

/// Which special tokens a call treats as special (`allowed`) or refuses (`disallowed`).
///
/// The same choices as tiktoken's `allowed_special` / `disallowed_special` arguments; in
/// tiktoken's default, nothing is allowed and everything else is disallowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Special<'a> {
    /// Every special token of the encoding (`"all"`).
    All,
    /// No special token (`set()` / `()`).
    None,
    /// These special tokens (strings that are not special tokens of the encoding are ignored).
    Only(&'a [&'a str]),
}

/// A set of special tokens of one encoding, by index, and of other texts.
///
/// The other texts matter only for disallowing: as tiktoken, `encode` refuses every disallowed
/// text it finds, special token or not.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SpecialSet {
    words: Vec<u64>,
    others: Vec<String>,
}

impl SpecialSet {
    /// Whether the special token with index `index` is in the set.
    pub fn contains(&self, index: usize) -> bool {
        self.words.get(index / 64).is_some_and(|w| w >> (index % 64) & 1 == 1)
    }

    /// Adds the special token with index `index` (see [`Encoding::special_index`]).
    pub fn insert(&mut self, index: usize) {
        if self.words.len() <= index / 64 {
            self.words.resize(index / 64 + 1, 0);
        }
        self.words[index / 64] |= 1 << (index % 64);
    }

    /// Adds a text that is not a special token.
    pub fn insert_other(&mut self, text: &str) {
        self.others.push(text.to_owned());
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.words.iter().all(|&w| w == 0) && self.others.is_empty()
    }
}

/// The special tokens of an encoding.
struct Specials {
    /// `(text, rank)` in the order given.
    tokens: Vec<(String, Rank)>,
    by_text: FxHashMap<String, usize>,
    by_rank: FxHashMap<Rank, usize>,
    /// Finds any special token; leftmost, longest on ties.
    finder: Option<Finder>,
}

/// Finds special tokens in text, leftmost first and the longest of those starting there.
///
/// Special tokens are few and start with few distinct bytes (`<` for every built-in encoding),
/// so a scan for those bytes, a check of the next byte and a lookup per distinct token length
/// is all it takes (and keeps a multi-pattern automaton out of small builds such as WASM).
struct Finder {
    /// The bytes that start a special token.
    first: [bool; 256],
    /// The only such byte, when there is one (found a word at a time).
    only_first: Option<u8>,
    /// The first two bytes of every special token longer than a byte, as a bit set indexed by
    /// `first << 8 | second`.
    pairs: Box<[u64; 1024]>,
    /// The distinct lengths of the special tokens in bytes, longest first.
    lengths: Vec<usize>,
}

impl Finder {
    fn new(tokens: &[(String, Rank)]) -> Finder {
        let mut first = [false; 256];
        let mut pairs = Box::new([0u64; 1024]);
        let mut lengths: Vec<usize> = Vec::new();
        for (text, _) in tokens {
            if !lengths.contains(&text.len()) {
                lengths.push(text.len());
            }
            let bytes = text.as_bytes();
            first[bytes[0] as usize] = true;
            if bytes.len() > 1 {
                let pair = (bytes[0] as usize) << 8 | bytes[1] as usize;
                pairs[pair / 64] |= 1 << (pair % 64);
            }
        }
        // Longest first; an insertion sort, as there are a handful (and it keeps the general
        // sort out of small builds).
        for i in 1..lengths.len() {
            let mut j = i;
            while j > 0 && lengths[j - 1] < lengths[j] {
                lengths.swap(j - 1, j);
                j -= 1;
            }
        }
        let mut starts = (0..=255u8).filter(|&b| first[b as usize]);
        let only_first = match (starts.next(), starts.next()) {
            (Some(byte), None) => Some(byte),
            _ => None,
        };
        Finder { first, only_first, pairs, lengths }
    }

    /// The leftmost special token in `text[from..]`, the longest starting there: `(start, end,
    /// index)`.
    fn find(&self, text: &str, by_text: &FxHashMap<String, usize>, mut from: usize) -> Option<(usize, usize, usize)> {
        let bytes = text.as_bytes();
        loop {
            let rest = bytes.get(from..)?;
            from += match self.only_first {
                Some(byte) => find_byte(byte, rest)?,
                None => rest.iter().position(|&b| self.first[b as usize])?,
            };
            let pair_ok = bytes.get(from + 1).is_some_and(|&second| {
                let pair = (bytes[from] as usize) << 8 | second as usize;
                self.pairs[pair / 64] >> (pair % 64) & 1 == 1
            });
            for &len in &self.lengths {
                if len > 1 && !pair_ok {
                    continue;
                }
                // A token is UTF-8, so text equal to it lies on character boundaries.
                if let Some(&index) = text.get(from..from + len).and_then(|candidate| by_text.get(candidate)) {
                    return Some((from, from + len, index));
                }
            }
            from += 1;
        }
    }
}

/// The index of the first `needle` in `haystack`, eight bytes at a time.
#[inline]
fn find_byte(needle: u8, haystack: &[u8]) -> Option<usize> {
    const LOW: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGH: u64 = u64::from_ne_bytes([0x80; 8]);
    let repeated = u64::from_ne_bytes([needle; 8]);
    let mut offset = 0;
    for chunk in haystack.chunks_exact(8) {
        let word = u64::from_ne_bytes(chunk.try_into().unwrap_or_default()) ^ repeated;
        // Non-zero when some byte of `word` is zero, that is, some byte of the chunk is `needle`.
        if word.wrapping_sub(LOW) & !word & HIGH != 0 {
            break;
        }
        offset += 8;
    }
    haystack[offset..].iter().position(|&b| b == needle).map(|i| offset + i)
}

/// A BPE encoding with tiktoken's behaviour: token ids identical to tiktoken's for every input.
///
/// ```
/// let enc = pyaot_tokenizer::Encoding::get("cl100k_base")?;
/// let tokens = enc.encode_ordinary("hello world")?;
/// assert_eq!(tokens, [15339, 1917]);
/// assert_eq!(enc.decode(&tokens)?, "hello world");
/// assert_eq!(enc.count_ordinary("hello world")?, 2);
/// # Ok::<(), pyaot_tokenizer::Error>(())
/// ```
pub struct Encoding {
    name: String,
    pattern: String,
    splitter: Splitter,
    vocab: Vocab,
    specials: Specials,
    max_token_value: Rank,
    sorted_tokens: OnceLock<Vec<Rank>>,
}

impl std::fmt::Debug for Encoding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "<Encoding {:?}>", self.name)
    }
}

impl Encoding {
    /// The built-in encoding `name` (`gpt2`, `r50k_base`, `p50k_base`, `p50k_edit`,
    /// `cl100k_base`, `o200k_base`, `o200k_harmony`), from the bundled rank files, built once
    /// per process and shared (feature `bundled`).
    #[cfg(feature = "bundled")]
    pub fn get(name: &str) -> Result<&'static Encoding, Error> {
        builtin::get(name)
    }

    /// Builds the built-in encoding `name` afresh (not shared; [`Encoding::get`] is what you
    /// usually want; feature `bundled`).
    #[cfg(feature = "bundled")]
    pub fn load(name: &str) -> Result<Encoding, Error> {
        builtin::load(name)
    }

    /// Builds the built-in encoding `name` (its split pattern and special tokens) with the
    /// ranks of `rank_file`, the contents of its `.tiktoken` file: for builds without the
    /// bundled files (the WASM build, whose caller fetches the file). A rank file whose number
    /// of tokens is not the encoding's is refused ([`ErrorKind::InvalidVocabulary`]).
    ///
    /// [`ErrorKind::InvalidVocabulary`]: crate::ErrorKind::InvalidVocabulary
    pub fn load_with_rank_file(name: &str, rank_file: &[u8]) -> Result<Encoding, Error> {
        builtin::with_rank_file(name, rank_file)
    }

    /// The names of the built-in encodings.
    pub fn names() -> &'static [&'static str] {
        builtin::NAMES
    }

    /// An encoding from a caller's ranks (`token bytes -> rank`), split pattern and special
    /// tokens (`text -> rank`), as tiktoken's `Encoding(name, pat_str=..., mergeable_ranks=...,
    /// special_tokens=...)`.
    ///
    /// tiktoken's own patterns are recognised and run on hand-written scanners; any other
    /// pattern runs on fancy-regex, the engine tiktoken uses (feature `custom-patterns`;
    /// without it, any other pattern is [`ErrorKind::InvalidPattern`]).
    ///
    /// [`ErrorKind::InvalidPattern`]: crate::ErrorKind::InvalidPattern
    pub fn new(
        name: &str,
        pattern: &str,
        ranks: impl IntoIterator<Item = (Vec<u8>, Rank)>,
        special_tokens: impl IntoIterator<Item = (String, Rank)>,
    ) -> Result<Encoding, Error> {
        let vocab = Vocab::new(ranks.into_iter().collect())?;
        Encoding::from_parts(name, pattern, vocab, special_tokens.into_iter().collect())
    }

    /// An encoding from the contents of a `.tiktoken` rank file (`base64(token) rank` per line).
    pub fn from_tiktoken(
        name: &str,
        pattern: &str,
        rank_file: &[u8],
        special_tokens: impl IntoIterator<Item = (String, Rank)>,
    ) -> Result<Encoding, Error> {
        let vocab = Vocab::new(vocab::parse_tiktoken(rank_file)?)?;
        Encoding::from_parts(name, pattern, vocab, special_tokens.into_iter().collect())
    }

    fn from_parts(
        name: &str,
        pattern: &str,
        vocab: Vocab,
        mut specials: Vec<(String, Rank)>,
    ) -> Result<Encoding, Error> {
        if !vocab.covers_all_bytes() {
            let byte = (0..=255u8).find(|&b| vocab.rank(&[b]).is_none()).unwrap_or_default();
            return Err(Error::InvalidVocabulary(format!(
                "every byte must be a token on its own, and 0x{byte:02x} is not (BPE could not encode it)"
            )));
        }
        let splitter = Splitter::new(pattern).map_err(Error::InvalidPattern)?;
        if let Some((_, rank)) = specials.iter().find(|(text, _)| text.is_empty()) {
            return Err(Error::InvalidVocabulary(format!("the special token with id {rank} is empty")));
        }
        // As a Python dict of them would: a repeated text keeps its first place and its last id.
        let mut by_text: FxHashMap<String, usize> = FxHashMap::default();
        let mut unique: Vec<(String, Rank)> = Vec::with_capacity(specials.len());
        for (text, rank) in specials.drain(..) {
            match by_text.get(&text) {
                Some(&i) => unique[i].1 = rank,
                None => {
                    by_text.insert(text.clone(), unique.len());
                    unique.push((text, rank));
                }
            }
        }
        let specials = unique;
        let max_mergeable = vocab.rank_bound() as Rank - 1;
        let max_token_value = specials.iter().map(|s| s.1).fold(max_mergeable, Rank::max);
        let finder = (!specials.is_empty()).then(|| Finder::new(&specials));
        // Two texts with one id (o200k_harmony's `<|endofprompt|>` and `<|reserved_200018|>`):
        // the first decodes, as in tiktoken.
        let mut by_rank = FxHashMap::default();
        for (i, (_, rank)) in specials.iter().enumerate() {
            by_rank.entry(*rank).or_insert(i);
        }
        let specials = Specials { by_text, by_rank, tokens: specials, finder };
        Ok(Encoding {
            name: name.to_owned(),
            pattern: pattern.to_owned(),
            splitter,
            vocab,
            specials,
            max_token_value,
            sorted_tokens: OnceLock::new(),
        })
    }

    #[cfg(test)]
    pub(crate) fn vocab(&self) -> &Vocab {
        &self.vocab
    }

    /// The encoding's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The split pattern (tiktoken's `_pat_str`).
    pub fn pattern(&self) -> &str {
        &self.pattern
    }

    /// The highest token id, mergeable or special.
    pub fn max_token_value(&self) -> Rank {
        self.max_token_value
    }

    /// `max_token_value + 1` (tiktoken's `n_vocab`).
    pub fn n_vocab(&self) -> usize {
        self.max_token_value as usize + 1
    }

    /// The number of mergeable tokens.
    pub fn mergeable_count(&self) -> usize {
        self.vocab.len()
    }

    /// The mergeable tokens, `(bytes, rank)` in rank order.
    pub fn mergeable_ranks(&self) -> impl Iterator<Item = (&[u8], Rank)> {
        self.vocab.iter()
    }

    /// The special tokens, `(text, rank)`, in the order they were given.
    pub fn special_tokens(&self) -> impl Iterator<Item = (&str, Rank)> {
        self.specials.tokens.iter().map(|(t, r)| (t.as_str(), *r))
    }

    /// The id of `<|endoftext|>`, if the encoding has it.
    pub fn eot_token(&self) -> Option<Rank> {
        self.special_rank("<|endoftext|>")
    }

    /// The id of the special token `text`.
    pub fn special_rank(&self, text: &str) -> Option<Rank> {
        self.specials.by_text.get(text).map(|&i| self.specials.tokens[i].1)
    }

    /// Whether `token` is a special token's id.
    pub fn is_special_token(&self, token: Rank) -> bool {
        self.specials.by_rank.contains_key(&token)
    }

    // ====== Encoding ======

    /// Encodes `text`, treating special-token text as ordinary text.
    pub fn encode_ordinary(&self, text: &str) -> Result<Vec<Rank>, Error> {
        let mut out = Vec::with_capacity(text.len() / 3 + 1);
        self.encode_ordinary_into(text, &mut out)?;
        Ok(out)
    }

    /// Appends the tokens of `text` (special-token text as ordinary text) to `out`, returning
    /// how many tokens the last piece gave.
    pub fn encode_ordinary_into(&self, text: &str, out: &mut Vec<Rank>) -> Result<usize, Error> {
        // Pieces are encoded in batches: the table slots of a whole batch are prefetched first,
        // so that their cache misses overlap instead of coming one after another.
        const BATCH: usize = 16;
        let mut batch: [&str; BATCH] = [""; BATCH];
        let mut len = 0;
        let mut last = 0;
        let mut flush = |batch: &[&str], out: &mut Vec<Rank>| {
            for piece in batch {
                let before = out.len();
                bpe::encode_piece(&self.vocab, piece.as_bytes(), out);
                last = out.len() - before;
            }
        };
        self.splitter
            .split(text, |piece| {
                self.vocab.prefetch(piece.as_bytes());
                batch[len] = piece;
                len += 1;
                if len == BATCH {
                    flush(&batch, out);
                    len = 0;
                }
            })
            .map_err(|e| Error::Split(e.0))?;
        flush(&batch[..len], out);
        Ok(last)
    }

    /// The number of tokens of `text` (special-token text as ordinary text).
    pub fn count_ordinary(&self, text: &str) -> Result<usize, Error> {
        self.encode_ordinary(text).map(|tokens| tokens.len())
    }

    /// The pieces the split pattern cuts `text` into (each is BPE-encoded on its own).
    pub fn pieces<'t>(&self, text: &'t str) -> Result<Vec<&'t str>, Error> {
        let mut pieces = Vec::new();
        self.splitter.split(text, |piece| pieces.push(piece)).map_err(|e| Error::Split(e.0))?;
        Ok(pieces)
    }

    /// Resolves a [`Special`] choice to a set of special-token indices.
    pub fn special_set(&self, special: Special<'_>) -> SpecialSet {
        let mut set = SpecialSet::default();
        match special {
            Special::None => {}
            Special::All => (0..self.specials.tokens.len()).for_each(|i| set.insert(i)),
            Special::Only(tokens) => {
                for token in tokens {
                    match self.specials.by_text.get(*token) {
                        Some(&i) => set.insert(i),
                        None => set.insert_other(token),
                    }
                }
            }
        }
        set
    }

    /// Encodes `text` as tiktoken's `encode(text, allowed_special=..., disallowed_special=...)`.
    ///
    /// Allowed special tokens become their ids. If the text contains a disallowed special token
    /// this is [`Error::DisallowedSpecialToken`]. As in tiktoken, `disallowed: Special::All`
    /// (tiktoken's default) means every special token that is not allowed; texts in a
    /// `Special::Only` list that are not special tokens are refused too when disallowed (and
    /// mean nothing when allowed), as in tiktoken.
    pub fn encode(&self, text: &str, allowed: Special<'_>, disallowed: Special<'_>) -> Result<Vec<Rank>, Error> {
        let allowed = self.special_set(allowed);
        let disallowed = match disallowed {
            Special::All => self.default_disallowed(&allowed),
            other => self.special_set(other),
        };
        self.encode_with_sets(text, &allowed, &disallowed).map(|(tokens, _)| tokens)
    }

    /// Encodes `text` with every special token allowed.
    pub fn encode_with_special_tokens(&self, text: &str) -> Result<Vec<Rank>, Error> {
        self.encode(text, Special::All, Special::None)
    }

    /// tiktoken's default `disallowed_special="all"`: every special token not in `allowed`.
    pub fn default_disallowed(&self, allowed: &SpecialSet) -> SpecialSet {
        let mut set = SpecialSet::default();
        for i in (0..self.specials.tokens.len()).filter(|&i| !allowed.contains(i)) {
            set.insert(i);
        }
        set
    }

    /// [`Encoding::encode`] with resolved sets; also returns how many tokens the last piece
    /// gave (0 if the text ends with a special token).
    pub fn encode_with_sets(
        &self,
        text: &str,
        allowed: &SpecialSet,
        disallowed: &SpecialSet,
    ) -> Result<(Vec<Rank>, usize), Error> {
        if let Some(token) = self.first_disallowed(text, disallowed) {
            return Err(Error::DisallowedSpecialToken(token.to_owned()));
        }
        let mut out = Vec::with_capacity(text.len() / 3 + 1);
        if allowed.is_empty() {
            let last = self.encode_ordinary_into(text, &mut out)?;
            return Ok((out, last));
        }
        let mut start = 0;
        loop {
            let found = self.find_special(text, start, allowed);
            let end = found.map_or(text.len(), |f| f.0);
            let last = self.encode_ordinary_into(&text[start..end], &mut out)?;
            match found {
                Some((_, special_end, index)) => {
                    out.push(self.specials.tokens[index].1);
                    start = special_end;
                }
                None => return Ok((out, last)),
            }
        }
    }

    /// The leftmost text of `set` (special token or other text) in `text`, the longest if
    /// several start there: what `encode` refuses when `set` is disallowed.
    pub fn first_disallowed<'s>(&'s self, text: &str, set: &'s SpecialSet) -> Option<&'s str> {
        let mut best: Option<(usize, &str)> = None;
        let mut consider = |start: usize, token: &'s str| {
            if best.is_none_or(|(s, t)| start < s || (start == s && token.len() > t.len())) {
                best = Some((start, token));
            }
        };
        if set.words.iter().any(|&w| w != 0)
            && let Some((start, _, index)) = self.find_special(text, 0, set)
        {
            consider(start, &self.specials.tokens[index].0);
        }
        for other in &set.others {
            if let Some(start) = text.find(other.as_str()) {
                consider(start, other);
            }
        }
        best.map(|(_, token)| token)
    }

    /// The index of the special token `text`, for building a [`SpecialSet`] by hand.
    pub fn special_index(&self, text: &str) -> Option<usize> {
        self.specials.by_text.get(text).copied()
    }

    /// The leftmost special token of `set` in `text[from..]`: `(start, end, index)`. As
    /// tiktoken, a position where a special token outside `set` starts is skipped one byte at
    /// a time.
    fn find_special(&self, text: &str, mut from: usize, set: &SpecialSet) -> Option<(usize, usize, usize)> {
        let finder = self.specials.finder.as_ref()?;
        while from < text.len() {
            let (start, end, index) = finder.find(text, &self.specials.by_text, from)?;
            if set.contains(index) {
                return Some((start, end, index));
            }
            from = start + 1;
        }
        None
    }

    /// tiktoken's `encode_single_token`: the id of `token`, a mergeable token's bytes or a
    /// special token's text.
    pub fn encode_single_token(&self, token: &[u8]) -> Result<Rank, Error> {
        if let Some(rank) = self.vocab.rank(token) {
            return Ok(rank);
        }
        std::str::from_utf8(token)
            .ok()
            .and_then(|text| self.special_rank(text))
            .ok_or_else(|| Error::NotAToken(token.to_vec()))
    }

    /// tiktoken's `_encode_single_piece`: BPE of `piece` without splitting it first.
    pub fn encode_single_piece(&self, piece: &[u8]) -> Vec<Rank> {
        let mut out = Vec::new();
        if !piece.is_empty() {
            bpe::encode_piece(&self.vocab, piece, &mut out);
        }
        out
    }

    /// tiktoken's `_encode_bytes`: encodes bytes that may not be UTF-8 (the invalid tail is
    /// merged with the last piece's bytes).
    pub fn encode_bytes(&self, bytes: &[u8]) -> Result<Vec<Rank>, Error> {
        let valid = match std::str::from_utf8(bytes) {
            Ok(text) => return self.encode_ordinary(text),
            Err(e) => e.valid_up_to(),
        };
        // SAFETY: `valid_up_to` bytes are valid UTF-8.
        let text = unsafe { std::str::from_utf8_unchecked(&bytes[..valid]) };
        let mut tokens = Vec::new();
        let last = self.encode_ordinary_into(text, &mut tokens)?;
        let last = self.widen_last_piece(&tokens, last);
        let mut unstable = Vec::new();
        if !tokens.is_empty() && last > 0 {
            unstable = self.decode_bytes(&tokens[tokens.len() - last..])?;
            tokens.truncate(tokens.len() - last);
        }
        unstable.extend_from_slice(&bytes[valid..]);
        if !unstable.is_empty() {
            bpe::encode_piece(&self.vocab, &unstable, &mut tokens);
        }
        Ok(tokens)
    }

    /// tiktoken's `_increase_last_piece_token_len`: splits on whitespace are not stable under
    /// appending text, so trailing all-whitespace tokens count with the last piece.
    fn widen_last_piece(&self, tokens: &[Rank], mut last: usize) -> usize {
        let all_space = |token: Rank| {
            let bytes = self.vocab.token(token);
            !bytes.is_empty() && bytes.iter().all(|b| matches!(b, b' ' | b'\n' | b'\t'))
        };
        if last > 0 && all_space(tokens[tokens.len() - last]) {
            while last < tokens.len() && all_space(tokens[tokens.len() - last - 1]) {
                last += 1;
            }
        }
        last
    }

    /// tiktoken's `encode_with_unstable`: the stable tokens of `text` and every token sequence
    /// that a continuation of the text could start with.
    pub fn encode_with_unstable(
        &self,
        text: &str,
        allowed: &SpecialSet,
        disallowed: &SpecialSet,
    ) -> Result<(Vec<Rank>, HashSet<Vec<Rank>>), Error> {
        let (mut tokens, last) = self.encode_with_sets(text, allowed, disallowed)?;
        let mut completions = HashSet::new();
        if last == 0 {
            return Ok((tokens, completions));
        }
        let last = self.widen_last_piece(&tokens, last);
        let unstable = self.decode_bytes(&tokens[tokens.len() - last..])?;
        tokens.truncate(tokens.len() - last);
        if unstable.is_empty() {
            return Ok((tokens, completions));
        }
        // Single tokens that start with the unstable bytes.
        for rank in self.tokens_starting_with(&unstable) {
            completions.insert(vec![rank]);
        }
        // A token straddling the end: the unstable prefix plus any token starting with the rest.
        for i in 1..unstable.len() {
            let (prefix, suffix) = unstable.split_at(i);
            for rank in self.tokens_starting_with(suffix) {
                let possibility = [prefix, self.vocab.token(rank)].concat();
                let encoded = match std::str::from_utf8(&possibility) {
                    Ok(text) => self.encode_ordinary(text)?,
                    Err(_) => self.encode_single_piece(&possibility),
                };
                let mut sequence = Vec::new();
                let mut covered = 0;
                for token in encoded {
                    sequence.push(token);
                    covered += self.vocab.token(token).len();
                    if covered >= unstable.len() {
                        break;
                    }
                }
                completions.insert(sequence);
            }
        }
        // A whitespace split could appear inside the unstable bytes (`\s+(?!\S)`).
        if unstable.len() > 1 {
            let (last_char, width) = last_utf8_char(&unstable);
            if unstable.len() > width && last_char.is_some_and(char::is_whitespace) {
                let (head, tail) = unstable.split_at(unstable.len() - width);
                let mut reencoded = self.encode_single_piece(head);
                reencoded.extend(self.encode_single_piece(tail));
                completions.insert(reencoded);
            }
        }
        Ok((tokens, completions))
    }

    /// The mergeable tokens whose bytes start with `prefix`, in byte order.
    fn tokens_starting_with<'s>(&'s self, prefix: &'s [u8]) -> impl Iterator<Item = Rank> + 's {
        let sorted = self.sorted_tokens();
        let from = sorted.partition_point(|&r| self.vocab.token(r) < prefix);
        sorted[from..].iter().copied().take_while(move |&r| self.vocab.token(r).starts_with(prefix))
    }

    fn sorted_tokens(&self) -> &[Rank] {
        self.sorted_tokens.get_or_init(|| {
            let mut ranks: Vec<Rank> = self.vocab.iter().map(|(_, r)| r).collect();
            ranks.sort_unstable_by(|&a, &b| self.vocab.token(a).cmp(self.vocab.token(b)));
            ranks
        })
    }

    // ====== Decoding ======

    /// The bytes of `tokens` (mergeable or special) concatenated; not necessarily UTF-8.
    pub fn decode_bytes(&self, tokens: &[Rank]) -> Result<Vec<u8>, Error> {
        let mut out = Vec::with_capacity(tokens.len() * 4);
        for &token in tokens {
            out.extend_from_slice(self.token_bytes(token)?);
        }
        Ok(out)
    }

    /// The text of `tokens`, with invalid UTF-8 replaced by U+FFFD (tiktoken's default
    /// `errors="replace"`).
    pub fn decode(&self, tokens: &[Rank]) -> Result<String, Error> {
        let bytes = self.decode_bytes(tokens)?;
        Ok(match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
        })
    }

    /// The bytes of one token, mergeable or special.
    pub fn token_bytes(&self, token: Rank) -> Result<&[u8], Error> {
        let bytes = self.vocab.token(token);
        if !bytes.is_empty() {
            return Ok(bytes);
        }
        self.specials
            .by_rank
            .get(&token)
            .map(|&i| self.specials.tokens[i].0.as_bytes())
            .ok_or(Error::UnknownToken(token))
    }

    /// tiktoken's `decode_with_offsets`: the text and, per token, the index (in characters) of
    /// the first character containing bytes of the token. Fails if the bytes are not UTF-8.
    pub fn decode_with_offsets(&self, tokens: &[Rank]) -> Result<(String, Vec<usize>), Error> {
        let mut offsets = Vec::with_capacity(tokens.len());
        let mut chars = 0usize;
        let mut bytes = Vec::new();
        for &token in tokens {
            let token = self.token_bytes(token)?;
            let continuation = usize::from((0x80..0xc0).contains(&token[0]));
            offsets.push(chars.saturating_sub(continuation));
            chars += token.iter().filter(|&&b| !(0x80..0xc0).contains(&b)).count();
            bytes.extend_from_slice(token);
        }
        let text = String::from_utf8(bytes).map_err(|e| Error::InvalidUtf8(e.utf8_error().valid_up_to()))?;
        Ok((text, offsets))
    }

    /// Every mergeable token's bytes, sorted (tiktoken's `token_byte_values`).
    pub fn token_byte_values(&self) -> impl Iterator<Item = &[u8]> {
        self.sorted_tokens().iter().map(|&r| self.vocab.token(r))
    }
}

/// The last UTF-8 character of `bytes` (None if the tail is not valid UTF-8) and its width
/// (1 for an invalid byte), as bstr's `decode_last_utf8`.
fn last_utf8_char(bytes: &[u8]) -> (Option<char>, usize) {
    let start = bytes.len().saturating_sub(4);
    for from in start..bytes.len() {
        if let Ok(tail) = std::str::from_utf8(&bytes[from..])
            && let Some(c) = tail.chars().next()
            && c.len_utf8() == tail.len()
        {
            return (Some(c), tail.len());
        }
    }
    (None, 1)
}
