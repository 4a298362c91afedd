//! Byte-pair merging of one piece, exactly as tiktoken does it.
//!
//! The rule: start from single bytes and repeatedly merge the adjacent pair whose concatenated
//! bytes have the lowest rank (the leftmost such pair on ties) until no adjacent pair is a token.
//! Ranks are looked up by bytes, not by the pair of tokens, as tiktoken does.
//!
//! Parts are handled as token ids, and the rank of two adjacent parts merged is one lookup of
//! the pair of ids in [`crate::vocab::Merges`] (which holds exactly the byte-level answers).
//! Pieces shorter than [`LARGE`] bytes use tiktoken's array of parts with a linear scan for the
//! minimum (the arrays fit in a few cache lines). Longer pieces use a linked list of parts and a
//! blocked tournament tree for the minimum ([`MinQueue`]), so that a megabyte without whitespace
//! (one piece) encodes in time proportional to its length. Both give the same tokens: each always merges the minimum
//! `(rank, start)` among the current adjacent pairs.

use crate::vocab::{Merges, Vocab};
use crate::{Rank, cache};

/// Pieces at least this long use the heap.
pub(crate) const LARGE: usize = 128;

/// Appends the tokens of `piece` to `out`. Every byte of `piece` must be a token on its own.
#[inline]
pub(crate) fn encode_piece(vocab: &Vocab, piece: &[u8], out: &mut Vec<Rank>) {
    if let Some(rank) = vocab.rank(piece) {
        out.push(rank);
        return;
    }
    #[cfg(not(target_family = "wasm"))]
    let merge_into = |out: &mut Vec<Rank>| match vocab.merges() {
        Some(merges) => merge(&ByIds(merges), vocab, piece, out),
        None => merge(&ByBytes(vocab), vocab, piece, out),
    };
    // Without threads the table is built with the vocabulary: no merging by bytes (half the
    // merge code, in a build where size counts).
    #[cfg(target_family = "wasm")]
    let merge_into = |out: &mut Vec<Rank>| merge(&ByIds(vocab.built_merges()), vocab, piece, out);
    if piece.len() <= cache::MAX_BYTES {
        cache::tokens(vocab.id(), piece, crate::vocab::hash(piece), out, merge_into);
    } else {
        merge_into(out);
    }
}

/// Appends the tokens of `piece` without the piece cache (for tests).
#[cfg(test)]
pub(crate) fn encode_piece_uncached(vocab: &Vocab, piece: &[u8], out: &mut Vec<Rank>) {
    if let Some(rank) = vocab.rank(piece) {
        out.push(rank);
    } else {
        merge(&ByIds(vocab.merges().expect("merge table built")), vocab, piece, out);
    }
}

#[inline(always)]
fn merge(ranker: &impl Ranker, vocab: &Vocab, piece: &[u8], out: &mut Vec<Rank>) {
    if piece.len() < LARGE { merge_small(ranker, vocab, piece, out) } else { merge_large(ranker, vocab, piece, out) }
}

/// The rank of two adjacent parts merged: `piece[start..end]`, made of the tokens `left` and
/// `right`.
trait Ranker {
    fn merged(&self, piece: &[u8], start: usize, end: usize, left: Rank, right: Rank) -> Rank;
}

/// By the pair of token ids, in the merge table (once it is built).
struct ByIds<'a>(&'a Merges);

impl Ranker for ByIds<'_> {
    #[inline(always)]
    fn merged(&self, _: &[u8], _: usize, _: usize, left: Rank, right: Rank) -> Rank {
        self.0.get(left, right)
    }
}

/// By the bytes (tiktoken's own way; used while the merge table is being built).
#[cfg(any(test, not(target_family = "wasm")))]
struct ByBytes<'a>(&'a Vocab);

#[cfg(any(test, not(target_family = "wasm")))]
impl Ranker for ByBytes<'_> {
    #[inline(always)]
    fn merged(&self, piece: &[u8], start: usize, end: usize, _: Rank, _: Rank) -> Rank {
        self.0.rank(&piece[start..end]).unwrap_or(Rank::MAX)
    }
}

fn merge_small(ranker: &impl Ranker, vocab: &Vocab, piece: &[u8], out: &mut Vec<Rank>) {
    let n = piece.len();
    debug_assert!((2..LARGE).contains(&n));
    // Part i is the token `tokens[i]` starting at `starts[i]`; `ranks[i]` is the rank of part i
    // merged with part i + 1. `starts[len]` is the end of the piece.
    let mut tokens = [0 as Rank; LARGE];
    let mut ranks = [Rank::MAX; LARGE];
    let mut starts = [0u8; LARGE + 1];
    for (i, start) in starts[..=n].iter_mut().enumerate() {
        *start = i as u8;
    }
    for (token, &byte) in tokens.iter_mut().zip(piece) {
        *token = vocab.single(byte);
    }
    for (rank, pair) in ranks.iter_mut().zip(piece.windows(2)) {
        *rank = vocab.pair(pair[0], pair[1]);
    }
    let mut len = n;
    loop {
        let mut best = Rank::MAX;
        let mut at = 0;
        for (i, &rank) in ranks[..len - 1].iter().enumerate() {
            if rank < best {
                best = rank;
                at = i;
            }
        }
        if best == Rank::MAX {
            break;
        }
        // Part `at` absorbs part `at + 1`: it becomes the token `best`.
        tokens[at] = best;
        tokens.copy_within(at + 2..len, at + 1);
        ranks.copy_within(at + 2..len, at + 1);
        starts.copy_within(at + 2..=len, at + 1);
        len -= 1;
        let start = |i: usize| starts[i] as usize;
        ranks[at] =
            if at + 1 < len { ranker.merged(piece, start(at), start(at + 2), best, tokens[at + 1]) } else { Rank::MAX };
        if at > 0 {
            ranks[at - 1] = ranker.merged(piece, start(at - 1), start(at + 1), tokens[at - 1], best);
        }
    }
    out.extend_from_slice(&tokens[..len]);
}

fn merge_large(ranker: &impl Ranker, vocab: &Vocab, piece: &[u8], out: &mut Vec<Rank>) {
    let n = piece.len();
    // Parts are identified by their start byte; `parts[s]` holds a live part's token, the
    // start of the next part (`n` at the end) and of the previous one, together so that a
    // merge touches few cache lines. `pair[s]` is the rank of part `s` merged with the next
    // (`Rank::MAX` if none, and for merged-away parts), kept apart because the queue scans it.
    let mut parts: Vec<Part> = (0..n)
        .map(|i| Part { token: vocab.single(piece[i]), next: i as u32 + 1, prev: (i as u32).wrapping_sub(1) })
        .collect();
    let mut pair: Vec<Rank> = vec![Rank::MAX; n];
    for i in 0..n - 1 {
        pair[i] = vocab.pair(piece[i], piece[i + 1]);
    }
    let mut queue = MinQueue::new(&pair);
    while let Some((rank, s)) = queue.min() {
        let right = parts[s].next as usize;
        let after = parts[right].next as usize;
        parts[s].token = rank;
        parts[s].next = after as u32;
        pair[right] = Rank::MAX;
        pair[s] = Rank::MAX;
        if after < n {
            parts[after].prev = s as u32;
            pair[s] = ranker.merged(piece, s, parts[after].next as usize, rank, parts[after].token);
        }
        let mut changed = [s, right, s];
        if s > 0 {
            let p = parts[s].prev as usize;
            pair[p] = ranker.merged(piece, p, after, parts[p].token, rank);
            changed[2] = p;
        }
        queue.update(&pair, changed);
    }
    let mut s = 0;
    while s < n {
        out.push(parts[s].token);
        s = parts[s].next as usize;
    }
}

/// A part of a long piece under merging (see [`merge_large`]).
#[derive(Clone, Copy)]
struct Part {
    token: Rank,
    next: u32,
    prev: u32,
}

/// The minimum `(rank, position)` of the pair ranks of a long piece, as they change.
///
/// Positions are grouped in blocks of [`BLOCK`]; a tournament tree holds each block's minimum
/// and the minimum of every pair of subtrees. A merge changes the ranks at two or three nearby
/// positions: their blocks are rescanned (a few cache lines) and their paths in the tree
/// updated, stopping where a node does not change. The tree is small (one leaf per block) and
/// the blocks touched are near each other, so memory access stays local and the cost per merge
/// hardly grows with the piece: a megabyte is merged in time proportional to its length, where
/// a binary heap over all pairs (tiktoken's way) slows down as it outgrows the caches.
struct MinQueue {
    /// `rank << 32 | position` per node; leaves from `leaves` on; `u64::MAX` for none.
    tree: Vec<u64>,
    leaves: usize,
}

/// Positions per block of [`MinQueue`].
const BLOCK: usize = 16;

impl MinQueue {
    fn new(ranks: &[Rank]) -> MinQueue {
        let blocks = ranks.len().div_ceil(BLOCK);
        let leaves = blocks.next_power_of_two();
        let mut queue = MinQueue { tree: vec![u64::MAX; 2 * leaves], leaves };
        for block in 0..blocks {
            queue.tree[leaves + block] = block_min(ranks, block);
        }
        for node in (1..leaves).rev() {
            queue.tree[node] = queue.tree[2 * node].min(queue.tree[2 * node + 1]);
        }
        queue
    }

    /// The lowest rank and, among equal ranks, the leftmost position.
    #[inline]
    fn min(&self) -> Option<(Rank, usize)> {
        let top = self.tree[1];
        (top >> 32 != Rank::MAX as u64).then_some(((top >> 32) as Rank, top as u32 as usize))
    }

    /// Takes in the new ranks at `positions`.
    #[inline]
    fn update(&mut self, ranks: &[Rank], positions: [usize; 3]) {
        let mut done = [usize::MAX; 3];
        for (k, position) in positions.into_iter().enumerate() {
            let block = position / BLOCK;
            if done[..k].contains(&block) {
                continue;
            }
            done[k] = block;
            let mut node = self.leaves + block;
            self.tree[node] = block_min(ranks, block);
            while node > 1 {
                node /= 2;
                let min = self.tree[2 * node].min(self.tree[2 * node + 1]);
                if self.tree[node] == min {
                    break;
                }
                self.tree[node] = min;
            }
        }
    }
}

/// `rank << 32 | position` of the lowest rank in `block` (leftmost on ties).
#[inline(always)]
fn block_min(ranks: &[Rank], block: usize) -> u64 {
    let start = block * BLOCK;
    let end = (start + BLOCK).min(ranks.len());
    let mut best = u64::MAX;
    for (i, &rank) in ranks[start..end].iter().enumerate() {
        let key = (rank as u64) << 32 | (start + i) as u64;
        best = best.min(if rank == Rank::MAX { u64::MAX } else { key });
    }
    best
}

/// The tokens of `piece` by every algorithm: small and large merges with either ranker, and
/// tiktoken's quadratic loop written plainly (for tests that check they all agree).
#[cfg(test)]
pub(crate) fn all_ways(vocab: &Vocab, piece: &[u8]) -> Vec<Vec<Rank>> {
    let mut answers = Vec::new();
    let merges = vocab.merges().expect("merge table built");
    for by_ids in [true, false] {
        let mut large = Vec::new();
        let mut small = Vec::new();
        if by_ids {
            merge_large(&ByIds(merges), vocab, piece, &mut large);
        } else {
            merge_large(&ByBytes(vocab), vocab, piece, &mut large);
        }
        if piece.len() < LARGE {
            if by_ids {
                merge_small(&ByIds(merges), vocab, piece, &mut small);
            } else {
                merge_small(&ByBytes(vocab), vocab, piece, &mut small);
            }
            answers.push(small);
        }
        answers.push(large);
    }
    let mut parts: Vec<(usize, usize)> = (0..piece.len()).map(|i| (i, i + 1)).collect();
    loop {
        let best = (0..parts.len().saturating_sub(1))
            .filter_map(|i| vocab.rank(&piece[parts[i].0..parts[i + 1].1]).map(|r| (r, i)))
            .min();
        let Some((_, i)) = best else { break };
        parts[i].1 = parts[i + 1].1;
        parts.remove(i + 1);
    }
    answers.push(parts.iter().map(|&(s, e)| vocab.rank(&piece[s..e]).unwrap()).collect());
    answers
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_and_large_merges_agree() {
        let encoding = crate::Encoding::get("cl100k_base").unwrap();
        let vocab = encoding.vocab();
        vocab.wait_for_merges();
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let alphabet = "aaabbcde  xyz01!éü中😀\n";
        let chars: Vec<char> = alphabet.chars().collect();
        for round in 0..3_000 {
            let len = 2 + (next() % if round % 10 == 0 { 400 } else { 60 }) as usize;
            let piece: String = (0..len).map(|_| chars[(next() % chars.len() as u64) as usize]).collect();
            let answers = all_ways(vocab, piece.as_bytes());
            assert!(answers.windows(2).all(|w| w[0] == w[1]), "{piece:?}: {answers:?}");
        }
    }

    #[test]
    fn the_piece_cache_changes_nothing() {
        let encoding = crate::Encoding::get("o200k_base").unwrap();
        let vocab = encoding.vocab();
        vocab.wait_for_merges();
        let alphabet: Vec<char> = "abcdefgé中ü😀01 !".chars().collect();
        let mut state = 0x853c_49e6_748f_ea9bu64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        // More pieces than the cache has slots, each encoded twice (a hit the second time if it
        // is still there), from several threads' caches.
        let pieces: Vec<String> = (0..10_000)
            .map(|_| (0..2 + next() % 12).map(|_| alphabet[(next() % alphabet.len() as u64) as usize]).collect())
            .collect();
        std::thread::scope(|scope| {
            for _ in 0..2 {
                scope.spawn(|| {
                    for round in 0..2 {
                        for piece in &pieces {
                            let (mut cached, mut uncached) = (Vec::new(), Vec::new());
                            encode_piece(vocab, piece.as_bytes(), &mut cached);
                            encode_piece_uncached(vocab, piece.as_bytes(), &mut uncached);
                            assert_eq!(cached, uncached, "{piece:?} (round {round})");
                        }
                    }
                });
            }
        });
    }
}
