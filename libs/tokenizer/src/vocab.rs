//! The mergeable tokens: bytes to rank and rank to bytes.
//!
//! All token bytes live in one buffer, addressed by rank. Lookup by bytes is an open-addressing
//! table at most half full whose slots hold the first 8 bytes of their token, so a lookup
//! usually touches one cache line. Pairs of single bytes, the first lookups of every merge, have their
//! own direct table.

use std::sync::{Arc, OnceLock};

use crate::Rank;
use crate::error::Error;

const EMPTY: u64 = u64::MAX;

/// A slot of the table by bytes: the token's first 8 bytes inline (zero-padded, little-endian),
/// its length and rank, so that a lookup of a token of up to 8 bytes touches one cache line;
/// longer tokens compare their remaining bytes in the buffer.
#[derive(Clone, Copy)]
struct Slot {
    prefix: u64,
    /// `len << 32 | rank`, or [`EMPTY`].
    meta: u64,
}

const EMPTY_SLOT: Slot = Slot { prefix: 0, meta: EMPTY };

/// The first 8 bytes of `bytes`, zero-padded, as a little-endian integer.
#[inline(always)]
fn prefix(bytes: &[u8]) -> u64 {
    if bytes.len() >= 8 {
        u64::from_le_bytes(bytes[..8].try_into().unwrap_or_default())
    } else {
        let mut buffer = [0u8; 8];
        buffer[..bytes.len()].copy_from_slice(bytes);
        u64::from_le_bytes(buffer)
    }
}

/// Tables are about two thirds full: small enough to stay in the caches as long as possible,
/// sparse enough that a probe rarely leaves its cache line.
const FILL_DENOMINATOR: usize = 3;
const FILL_NUMERATOR: usize = 2;

/// The number of slots for `entries` entries.
fn capacity_for(entries: usize) -> usize {
    (entries * FILL_DENOMINATOR / FILL_NUMERATOR).max(16)
}

/// The slot of `hash` among `slots` (Lemire's multiply-shift range reduction).
#[inline(always)]
fn home(hash: u64, slots: usize) -> usize {
    ((hash as u128 * slots as u128) >> 64) as usize
}

/// The slot after `slot`, wrapping around.
#[inline(always)]
fn after(slot: usize, slots: usize) -> usize {
    if slot + 1 == slots { 0 } else { slot + 1 }
}

/// Mergeable ranks must be below this: a merge-table entry packs three ranks in 63 bits.
pub(crate) const RANK_LIMIT: usize = (1 << RANK_BITS) - 1;
const RANK_BITS: u32 = 21;
/// The `left | right << 21` part of an entry.
const KEY_MASK: u64 = (1 << (2 * RANK_BITS)) - 1;
/// Ranks above this many times the number of tokens (plus a margin) are refused: the
/// rank-indexed table would be mostly holes.
const MAX_SPARSENESS: usize = 16;

/// The mergeable tokens of an encoding: the lookup tables, and the merge table once it is
/// built.
///
/// The merge table takes longer to build than everything else in loading an encoding (a few
/// lookups per token), so it is built on a background thread: an encoding is usable as soon as
/// its lookup tables are, merging by bytes (tiktoken's way, the same answers) until the table is
/// ready. Where threads are not available (wasm) it is built before the encoding is returned.
#[derive(Clone)]
pub(crate) struct Vocab {
    tables: Arc<Tables>,
    merges: Arc<OnceLock<Merges>>,
    /// Unique per vocabulary built in this process (the key of the per-thread piece caches).
    id: u64,
}

impl std::ops::Deref for Vocab {
    type Target = Tables;

    fn deref(&self) -> &Tables {
        &self.tables
    }
}

impl Vocab {
    /// Builds the lookup tables and starts building the merge table.
    pub(crate) fn new(tokens: TokenList) -> Result<Vocab, Error> {
        static NEXT_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let id = NEXT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let vocab = Vocab { tables: Arc::new(Tables::new(tokens)?), merges: Arc::new(OnceLock::new()), id };
        let (tables, merges) = (Arc::clone(&vocab.tables), Arc::clone(&vocab.merges));
        let build = move || {
            merges.get_or_init(|| Merges::build(&tables, 1));
        };
        let spawned = !cfg!(target_family = "wasm")
            && std::thread::Builder::new().name("pyaot-tokenizer-merges".into()).spawn(build.clone()).is_ok();
        if !spawned {
            build();
        }
        Ok(vocab)
    }

    /// This vocabulary's unique id in the process.
    #[inline(always)]
    pub(crate) fn id(&self) -> u64 {
        self.id
    }

    /// The merge table, if it is built.
    #[cfg(any(test, not(target_family = "wasm")))]
    #[inline(always)]
    pub(crate) fn merges(&self) -> Option<&Merges> {
        self.merges.get()
    }

    /// The merge table, built here if it is not yet (where there are no threads it always is).
    #[cfg(target_family = "wasm")]
    #[inline(always)]
    pub(crate) fn built_merges(&self) -> &Merges {
        self.merges.get_or_init(|| Merges::build(&self.tables, 1))
    }

    /// Blocks until the merge table is built (building it here if need be).
    #[cfg(test)]
    pub(crate) fn wait_for_merges(&self) {
        let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
        self.merges.get_or_init(|| Merges::build(&self.tables, threads));
    }
}

/// The lookup tables of the mergeable tokens.
pub(crate) struct Tables {
    /// Token bytes, concatenated in rank order.
    bytes: Vec<u8>,
    /// `starts[r]..starts[r + 1]` are the bytes of rank `r`; an empty span is a rank without a
    /// token.
    starts: Vec<u32>,
    /// The lookup table by bytes.
    slots: Vec<Slot>,
    /// Rank of each two-byte token, indexed by `first << 8 | second`.
    pairs: Vec<Rank>,
    /// Rank of each single-byte token.
    singles: [Rank; 256],
    len: usize,
}

/// `(left rank, right rank) -> rank of left + right`, for every token that splits into two
/// tokens, at every such split: the byte-level rule "merge two parts when their concatenated
/// bytes are a token" (tiktoken's) as a lookup of two integers. Every part of a piece under
/// merging is a token, so this table answers every question the merge asks, without hashing
/// or comparing bytes.
pub(crate) struct Merges {
    /// `left | right << 21 | merged << 42`, or [`EMPTY`]: one 8-byte word per entry keeps the
    /// table as small as it can be (it is still larger than the caches; its size is what a
    /// merge's lookups cost).
    slots: Vec<u64>,
}

impl Merges {
    /// Builds the table on up to `threads` threads.
    fn build(vocab: &Tables, threads: usize) -> Merges {
        let bound = vocab.rank_bound();
        let find = |ranks: std::ops::Range<usize>| {
            let mut found = Vec::with_capacity(ranks.len() * 3);
            // In groups of tokens: prefetch the slots of every prefix and suffix of the group
            // first, so that the lookups' cache misses overlap (the table is far larger than
            // the caches; this halves the build time).
            const GROUP: usize = 8;
            let mut start = ranks.start;
            while start < ranks.end {
                let group = start..(start + GROUP).min(ranks.end);
                for rank in group.clone() {
                    let token = vocab.token(rank as Rank);
                    for split in 1..token.len() {
                        vocab.prefetch(&token[..split]);
                        vocab.prefetch(&token[split..]);
                    }
                }
                for rank in group.clone() {
                    let token = vocab.token(rank as Rank);
                    for split in 1..token.len() {
                        let Some(left) = vocab.rank(&token[..split]) else { continue };
                        if let Some(right) = vocab.rank(&token[split..]) {
                            found.push(left as u64 | (right as u64) << RANK_BITS | (rank as u64) << (2 * RANK_BITS));
                        }
                    }
                }
                start = group.end;
            }
            found
        };
        let threads = if bound < 1 << 14 { 1 } else { threads.clamp(1, 4) };
        let found: Vec<u64> = if threads == 1 {
            find(0..bound)
        } else {
            let chunk = bound.div_ceil(threads);
            std::thread::scope(|scope| {
                let workers: Vec<_> = (0..threads)
                    .map(|t| {
                        let find = &find;
                        scope.spawn(move || find(t * chunk..((t + 1) * chunk).min(bound)))
                    })
                    .collect();
                workers.into_iter().flat_map(|w| w.join().unwrap_or_else(|p| std::panic::resume_unwind(p))).collect()
            })
        };
        let capacity = capacity_for(found.len());
        let mut merges = Merges { slots: vec![EMPTY; capacity] };
        for entry in found {
            let mut slot = merges.slot(entry & KEY_MASK);
            while merges.slots[slot] != EMPTY {
                slot = after(slot, capacity);
            }
            merges.slots[slot] = entry;
        }
        merges
    }

    #[inline(always)]
    fn slot(&self, key: u64) -> usize {
        home(key.wrapping_mul(0x9E37_79B9_7F4A_7C15), self.slots.len())
    }

    /// The rank of `left` + `right`, or `Rank::MAX`.
    #[inline(always)]
    pub(crate) fn get(&self, left: Rank, right: Rank) -> Rank {
        let key = left as u64 | (right as u64) << RANK_BITS;
        let slots = self.slots.len();
        let mut slot = self.slot(key);
        loop {
            let found = self.slots[slot];
            if found & KEY_MASK == key {
                return (found >> (2 * RANK_BITS)) as Rank;
            }
            if found == EMPTY {
                return Rank::MAX;
            }
            slot = after(slot, slots);
        }
    }
}

/// Token bytes as read from a rank file or given by a caller, before the tables are built:
/// one buffer and `(start, rank)` per token, in input order.
#[derive(Default)]
pub(crate) struct TokenList {
    bytes: Vec<u8>,
    /// `(start in bytes, rank)`; a token ends where the next one starts.
    entries: Vec<(u32, Rank)>,
}

impl TokenList {
    /// Appends a token.
    pub(crate) fn push(&mut self, token: &[u8], rank: Rank) {
        self.entries.push((self.bytes.len() as u32, rank));
        self.bytes.extend_from_slice(token);
    }

    fn len(&self) -> usize {
        self.entries.len()
    }

    fn get(&self, index: usize) -> (&[u8], Rank) {
        let (start, rank) = self.entries[index];
        let end = self.entries.get(index + 1).map_or(self.bytes.len(), |e| e.0 as usize);
        (&self.bytes[start as usize..end], rank)
    }
}

impl FromIterator<(Vec<u8>, Rank)> for TokenList {
    fn from_iter<I: IntoIterator<Item = (Vec<u8>, Rank)>>(iter: I) -> TokenList {
        let mut list = TokenList::default();
        for (token, rank) in iter {
            list.push(&token, rank);
        }
        list
    }
}

impl Tables {
    /// Builds the tables.
    fn new(tokens: TokenList) -> Result<Tables, Error> {
        if tokens.len() == 0 {
            return Err(Error::InvalidVocabulary("the vocabulary has no tokens".into()));
        }
        if tokens.bytes.len() >= u32::MAX as usize {
            return Err(Error::InvalidVocabulary("the tokens are too long (4 GiB in all)".into()));
        }
        let max_rank = tokens.entries.iter().map(|t| t.1).max().unwrap_or(0) as usize;
        if max_rank >= RANK_LIMIT {
            return Err(Error::InvalidVocabulary(format!(
                "mergeable ranks must be below {RANK_LIMIT}, and {max_rank} is not"
            )));
        }
        if max_rank > MAX_SPARSENESS * tokens.len() + (1 << 20) {
            return Err(Error::InvalidVocabulary(format!(
                "ranks are too sparse: rank {max_rank} for {} tokens",
                tokens.len()
            )));
        }
        let count = tokens.len();
        // Rank order: when the input already is (rank files are), its buffer is used as is.
        let in_rank_order = tokens.entries.windows(2).all(|w| w[0].1 < w[1].1);
        let (bytes, starts) = if in_rank_order {
            let mut starts = Vec::with_capacity(max_rank + 2);
            for index in 0..tokens.len() {
                let (start, rank) = tokens.entries[index];
                if tokens.get(index).0.is_empty() {
                    return Err(Error::InvalidVocabulary(format!("rank {rank} has an empty token")));
                }
                starts.resize(rank as usize + 1, start);
            }
            starts.push(tokens.bytes.len() as u32);
            (tokens.bytes, starts)
        } else {
            let mut by_rank: Vec<Option<&[u8]>> = vec![None; max_rank + 1];
            for index in 0..tokens.len() {
                let (token, rank) = tokens.get(index);
                if token.is_empty() {
                    return Err(Error::InvalidVocabulary(format!("rank {rank} has an empty token")));
                }
                if let Some(other) = by_rank[rank as usize].replace(token) {
                    return Err(Error::InvalidVocabulary(format!(
                        "rank {rank} is given to two tokens, {:?} and {:?}",
                        crate::escape_bytes(other),
                        crate::escape_bytes(token)
                    )));
                }
            }
            let mut bytes = Vec::with_capacity(tokens.bytes.len());
            let mut starts = Vec::with_capacity(max_rank + 2);
            for token in &by_rank {
                starts.push(bytes.len() as u32);
                bytes.extend_from_slice(token.unwrap_or_default());
            }
            starts.push(bytes.len() as u32);
            (bytes, starts)
        };

        let capacity = capacity_for(count);
        let mut slots = vec![EMPTY_SLOT; capacity];
        let mut pairs = vec![Rank::MAX; 1 << 16];
        let mut singles = [Rank::MAX; 256];
        let token_of = |rank: usize| &bytes[starts[rank] as usize..starts[rank + 1] as usize];
        for rank in 0..=max_rank {
            let token = token_of(rank);
            if token.is_empty() {
                continue;
            }
            let hash = hash(token);
            let mut slot = home(hash, capacity);
            while slots[slot].meta != EMPTY {
                let other = slots[slot].meta as Rank;
                if token_of(other as usize) == token {
                    return Err(Error::InvalidVocabulary(format!(
                        "the token {:?} has two ranks, {other} and {rank}",
                        crate::escape_bytes(token)
                    )));
                }
                slot = after(slot, capacity);
            }
            slots[slot] = Slot { prefix: prefix(token), meta: (token.len() as u64) << 32 | rank as u64 };
            match *token {
                [b] => singles[b as usize] = rank as Rank,
                [a, b] => pairs[(a as usize) << 8 | b as usize] = rank as Rank,
                _ => {}
            }
        }
        Ok(Tables { bytes, starts, slots, pairs, singles, len: count })
    }

    /// The number of tokens.
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// One more than the highest rank.
    pub(crate) fn rank_bound(&self) -> usize {
        self.starts.len() - 1
    }

    /// The bytes of `rank` (empty when no token has that rank or it is out of range).
    #[inline(always)]
    pub(crate) fn token(&self, rank: Rank) -> &[u8] {
        let rank = rank as usize;
        if rank + 1 >= self.starts.len() {
            return &[];
        }
        &self.bytes[self.starts[rank] as usize..self.starts[rank + 1] as usize]
    }

    /// Starts loading the table slot of `token` into the cache (a hint; no effect on results).
    /// Looking up a batch of pieces after prefetching all of them overlaps their cache misses.
    #[inline(always)]
    pub(crate) fn prefetch(&self, token: &[u8]) {
        if token.len() > 2 {
            let slot = &self.slots[home(hash(token), self.slots.len())];
            #[cfg(target_arch = "x86_64")]
            // SAFETY: prefetching is a hint that never faults; the address is a valid slot.
            unsafe {
                std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>((slot as *const Slot).cast());
            }
            #[cfg(not(target_arch = "x86_64"))]
            let _ = slot;
        }
    }

    /// The rank of `token`.
    #[inline(always)]
    pub(crate) fn rank(&self, token: &[u8]) -> Option<Rank> {
        match *token {
            [b] => return Some(self.singles[b as usize]).filter(|&r| r != Rank::MAX),
            [a, b] => return Some(self.pairs[(a as usize) << 8 | b as usize]).filter(|&r| r != Rank::MAX),
            _ => {}
        }
        let wanted_prefix = prefix(token);
        let wanted_len = token.len() as u64;
        let mut slot = home(hash(token), self.slots.len());
        loop {
            let entry = self.slots[slot];
            if entry.meta == EMPTY {
                return None;
            }
            if entry.prefix == wanted_prefix && entry.meta >> 32 == wanted_len {
                let rank = entry.meta as Rank;
                if token.len() <= 8 || self.token(rank)[8..] == token[8..] {
                    return Some(rank);
                }
            }
            slot = after(slot, self.slots.len());
        }
    }

    /// The rank of a single byte.
    #[inline(always)]
    pub(crate) fn single(&self, byte: u8) -> Rank {
        self.singles[byte as usize]
    }

    /// The rank of the two-byte token `a b`, or `Rank::MAX`.
    #[inline(always)]
    pub(crate) fn pair(&self, a: u8, b: u8) -> Rank {
        self.pairs[(a as usize) << 8 | b as usize]
    }

    /// Whether every byte is a token on its own (so that every input can be encoded).
    pub(crate) fn covers_all_bytes(&self) -> bool {
        self.singles.iter().all(|&r| r != Rank::MAX)
    }

    /// All `(bytes, rank)` pairs in rank order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&[u8], Rank)> {
        (0..self.rank_bound() as Rank).map(|r| (self.token(r), r)).filter(|(t, _)| !t.is_empty())
    }
}

/// A fast hash of a short byte string (wyhash-style reads: the first and last words overlap
/// for short keys, so every byte counts with a single multiply for keys up to 16 bytes).
#[inline(always)]
pub(crate) fn hash(key: &[u8]) -> u64 {
    const K0: u64 = 0xa076_1d64_78bd_642f;
    const K1: u64 = 0xe703_7ed1_a0b4_28db;
    let len = key.len();
    let read8 = |i: usize| u64::from_le_bytes(key[i..i + 8].try_into().unwrap_or_default());
    let read4 = |i: usize| u32::from_le_bytes(key[i..i + 4].try_into().unwrap_or_default()) as u64;
    let (mut a, mut b, mut seed) = (0u64, 0u64, K0 ^ len as u64);
    if len <= 16 {
        if len >= 8 {
            a = read8(0);
            b = read8(len - 8);
        } else if len >= 4 {
            a = read4(0);
            b = read4(len - 4);
        } else if len > 0 {
            a = (key[0] as u64) << 16 | (key[len / 2] as u64) << 8 | key[len - 1] as u64;
        }
    } else {
        let mut i = 0;
        while len - i > 16 {
            seed = mix(read8(i) ^ K1, read8(i + 8) ^ seed);
            i += 16;
        }
        a = read8(len - 16);
        b = read8(len - 8);
    }
    mix(a ^ K1, b ^ seed)
}

#[inline(always)]
fn mix(a: u64, b: u64) -> u64 {
    let product = (a as u128).wrapping_mul(b as u128);
    (product as u64) ^ (product >> 64) as u64
}

/// Reads a `.tiktoken` rank file: one `base64(token) rank` per line.
pub(crate) fn parse_tiktoken(data: &[u8]) -> Result<TokenList, Error> {
    let mut tokens =
        TokenList { bytes: Vec::with_capacity(data.len() / 2), entries: Vec::with_capacity(data.len() / 12) };
    for (index, line) in data.split(|&b| b == b'\n').enumerate() {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.is_empty() {
            continue;
        }
        let bad = |what: &str| Error::InvalidVocabulary(format!("line {}: {what}", index + 1));
        let space = line.iter().position(|&b| b == b' ').ok_or_else(|| bad("expected `base64 rank`"))?;
        let rank = std::str::from_utf8(&line[space + 1..])
            .ok()
            .and_then(|s| s.parse::<Rank>().ok())
            .ok_or_else(|| bad("invalid rank"))?;
        tokens.entries.push((tokens.bytes.len() as u32, rank));
        if !base64_decode_into(&line[..space], &mut tokens.bytes) {
            return Err(bad("invalid base64"));
        }
    }
    Ok(tokens)
}

/// Standard base64 with padding.
#[cfg(test)]
fn base64_decode(text: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    base64_decode_into(text, &mut out).then_some(out)
}

/// Appends the bytes of standard base64 `text` (with padding) to `out`; false if it is not
/// valid base64 (then `out` holds garbage after its previous length).
fn base64_decode_into(text: &[u8], out: &mut Vec<u8>) -> bool {
    const INVALID: u8 = 0xff;
    const TABLE: [u8; 256] = {
        let mut table = [INVALID; 256];
        let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut i = 0;
        while i < 64 {
            table[alphabet[i] as usize] = i as u8;
            i += 1;
        }
        table
    };
    if text.is_empty() || !text.len().is_multiple_of(4) {
        return false;
    }
    let padding = text.iter().rev().take(2).take_while(|&&b| b == b'=').count();
    let body = &text[..text.len() - padding];
    let mut acc = 0u32;
    let mut bits = 0;
    for &c in body {
        let v = TABLE[c as usize];
        if v == INVALID {
            return false;
        }
        acc = acc << 6 | v as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    // Leftover bits must be zero padding.
    acc & ((1 << bits) - 1) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64() {
        assert_eq!(base64_decode(b"aGVsbG8=").as_deref(), Some(&b"hello"[..]));
        assert_eq!(base64_decode(b"IQ==").as_deref(), Some(&b"!"[..]));
        assert_eq!(base64_decode(b"IGFi").as_deref(), Some(&b" ab"[..]));
        assert_eq!(base64_decode(b"IR=="), None);
        assert_eq!(base64_decode(b"a"), None);
        assert_eq!(base64_decode(b"a*=="), None);
    }

    #[test]
    fn lookup() {
        let tokens: Vec<(Vec<u8>, Rank)> = (0u32..300)
            .map(|i| {
                (
                    if i < 256 {
                        vec![i as u8]
                    } else {
                        format!("token{i}-{}", "x".repeat(i as usize % 40)).into_bytes()
                    },
                    i,
                )
            })
            .collect();
        let vocab = Vocab::new(tokens.iter().cloned().collect()).unwrap();
        for (token, rank) in &tokens {
            assert_eq!(vocab.rank(token), Some(*rank));
            assert_eq!(vocab.token(*rank), &token[..]);
        }
        assert_eq!(vocab.rank(b"absent token"), None);
        assert!(vocab.covers_all_bytes());
        assert!(
            matches!(Vocab::new([(b"a".to_vec(), 0), (b"a".to_vec(), 1)].into_iter().collect()), Err(ref e) if e.kind() == crate::ErrorKind::InvalidVocabulary)
        );
        assert!(
            matches!(Vocab::new([(b"a".to_vec(), 0), (b"b".to_vec(), 0)].into_iter().collect()), Err(ref e) if e.kind() == crate::ErrorKind::InvalidVocabulary)
        );
    }
}
