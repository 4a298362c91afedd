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
use crate::vocab::Vocab;

/// Pieces at least this long use the heap.
pub(crate) const LARGE: usize = 128;

/// Appends the tokens of `piece` to `out`. Every byte of `piece` must be a token on its own.
#[inline]
pub(crate) fn encode_piece(vocab: &Vocab, piece: &[u8], out: &mut Vec<Rank>) {
    if let Some(rank) = vocab.rank(piece) {
        out.push(rank);
    } else if piece.len() < LARGE {
        merge_small(vocab, piece, out);
    } else {
        merge_large(vocab, piece, out);
    }
}

fn merge_small(vocab: &Vocab, piece: &[u8], out: &mut Vec<Rank>) {
    let n = piece.len();
    debug_assert!((2..LARGE).contains(&n));
    let merges = vocab.merges();
    // Part i is the token `tokens[i]`; `ranks[i]` is the rank of part i merged with part i + 1.
    let mut tokens = [0 as Rank; LARGE];
    let mut ranks = [Rank::MAX; LARGE];
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
        len -= 1;
        ranks[at] = if at + 1 < len { merges.get(best, tokens[at + 1]) } else { Rank::MAX };
        if at > 0 {
            ranks[at - 1] = merges.get(tokens[at - 1], best);
        }
    }
    out.extend_from_slice(&tokens[..len]);
}

fn merge_large(vocab: &Vocab, piece: &[u8], out: &mut Vec<Rank>) {
    let n = piece.len();
    let merges = vocab.merges();
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
    let mut heap = BinaryHeap::with_capacity(n);
    for i in 0..n - 1 {
        let rank = vocab.pair(piece[i], piece[i + 1]);
        pair[i] = rank;
        if rank != Rank::MAX {
            heap.push(Reverse((rank, i as u32)));
        }
    }
    while let Some(Reverse((rank, s))) = heap.pop() {
        let s = s as usize;
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
            pair[s] = merges.get(rank, token[after]);
            if pair[s] != Rank::MAX {
                heap.push(Reverse((pair[s], s as u32)));
            }
        }
        if s > 0 {
            let p = prev[s] as usize;
            pair[p] = merges.get(token[p], rank);
            if pair[p] != Rank::MAX {
                heap.push(Reverse((pair[p], p as u32)));
            }
        }
    }
    let mut s = 0;
    while s < n {
        out.push(token[s]);
        s = next[s] as usize;
    }
}

/// The tokens of `piece` by the small-piece algorithm regardless of length (for tests that
/// check the two algorithms agree).
#[cfg(test)]
pub(crate) fn both(vocab: &Vocab, piece: &[u8]) -> (Vec<Rank>, Vec<Rank>) {
    let mut large = Vec::new();
    merge_large(vocab, piece, &mut large);
    let mut small = Vec::new();
    if piece.len() < LARGE {
        merge_small(vocab, piece, &mut small);
    } else {
        // The reference: tiktoken's quadratic loop, written plainly.
        let mut parts: Vec<(usize, usize)> = (0..piece.len()).map(|i| (i, i + 1)).collect();
        loop {
            let best = (0..parts.len().saturating_sub(1))
                .filter_map(|i| vocab.rank(&piece[parts[i].0..parts[i + 1].1]).map(|r| (r, i)))
                .min();
            let Some((_, i)) = best else { break };
            parts[i].1 = parts[i + 1].1;
            parts.remove(i + 1);
        }
        small = parts.iter().map(|&(s, e)| vocab.rank(&piece[s..e]).unwrap()).collect();
    }
    (small, large)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_and_large_merges_agree() {
        let encoding = crate::Encoding::get("cl100k_base").unwrap();
        let vocab = encoding.vocab();
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
            let (small, large) = both(vocab, piece.as_bytes());
            assert_eq!(small, large, "{piece:?}");
        }
    }
}
