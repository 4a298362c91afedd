//! Byte-pair merging of one piece, exactly as tiktoken does it.
//!
//! The rule: start from single bytes and repeatedly merge the adjacent pair whose concatenated
//! bytes have the lowest rank (the leftmost such pair on ties) until no adjacent pair is a token.
//! Ranks are looked up by bytes, not by the pair of tokens, as tiktoken does.
//!
//! Parts are handled as token ids, and the rank of two adjacent parts merged is one lookup of
//! the pair of ids in [`crate::vocab::Merges`] (which holds exactly the byte-level answers).
//! Pieces shorter than [`LARGE`] bytes use tiktoken's array of parts with a linear scan for the
//! minimum (the arrays fit in a few cache lines). Longer pieces use a binary heap of candidate
//! merges over a linked list of parts, O(n log n), so that a megabyte without whitespace (one
//! piece) encodes in near-linear time. Both give the same tokens: each always merges the minimum
//! `(rank, start)` among the current adjacent pairs.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use crate::Rank;
use crate::vocab::{Merges, Vocab};

/// Pieces at least this long use the heap.
pub(crate) const LARGE: usize = 128;

/// Appends the tokens of `piece` to `out`. Every byte of `piece` must be a token on its own.
#[inline]
pub(crate) fn encode_piece(vocab: &Vocab, piece: &[u8], out: &mut Vec<Rank>) {
    if let Some(rank) = vocab.rank(piece) {
        out.push(rank);
        return;
    }
    match vocab.merges() {
        Some(merges) => merge(&ByIds(merges), vocab, piece, out),
        None => merge(&ByBytes(vocab), vocab, piece, out),
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
struct ByBytes<'a>(&'a Vocab);

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
    // Parts are identified by their start byte. For a live part at `s`: `token[s]` is its
    // token, `next[s]` the start of the next part (`n` at the end), `prev[s]` the start of the
    // part before it, `pair[s]` the rank of it merged with the next part (`Rank::MAX` if
    // none); `pair` of a merged-away part is `Rank::MAX`, so stale heap entries are recognised
    // by their rank no longer matching (a part's pair only ever grows, so its rank never
    // repeats).
    let mut token: Vec<Rank> = piece.iter().map(|&b| vocab.single(b)).collect();
    let mut next: Vec<u32> = (1..=n as u32).collect();
    let mut prev: Vec<u32> = (0..n as u32).map(|i| i.wrapping_sub(1)).collect();
    let mut pair: Vec<Rank> = vec![Rank::MAX; n];
    // Heap entries are `rank << 32 | start`, so that one integer comparison orders by rank and
    // then leftmost first. The initial pairs are heapified at once.
    let entry = |rank: Rank, start: usize| Reverse((rank as u64) << 32 | start as u64);
    let mut initial = Vec::with_capacity(n * 2);
    for i in 0..n - 1 {
        let rank = vocab.pair(piece[i], piece[i + 1]);
        pair[i] = rank;
        if rank != Rank::MAX {
            initial.push(entry(rank, i));
        }
    }
    let mut heap = BinaryHeap::from(initial);
    while let Some(Reverse(top)) = heap.pop() {
        let (rank, s) = ((top >> 32) as Rank, top as u32 as usize);
        if pair[s] != rank {
            continue;
        }
        let right = next[s] as usize;
        let after = next[right] as usize;
        token[s] = rank;
        next[s] = after as u32;
        pair[right] = Rank::MAX;
        pair[s] = Rank::MAX;
        if after < n {
            prev[after] = s as u32;
            pair[s] = ranker.merged(piece, s, next[after] as usize, rank, token[after]);
            if pair[s] != Rank::MAX {
                heap.push(entry(pair[s], s));
            }
        }
        if s > 0 {
            let p = prev[s] as usize;
            pair[p] = ranker.merged(piece, p, after, token[p], rank);
            if pair[p] != Rank::MAX {
                heap.push(entry(pair[p], p));
            }
        }
    }
    let mut s = 0;
    while s < n {
        out.push(token[s]);
        s = next[s] as usize;
    }
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
}
