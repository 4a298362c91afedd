//! A bounded per-thread cache of merged pieces.
//!
//! Merging is most of the cost of a piece that is not a token itself, and such pieces recur
//! (names, words of other scripts, code identifiers). Each thread keeps, per encoding, a
//! direct-mapped table of 4096 recent short pieces (up to 22 bytes, up to 8 tokens) and their
//! tokens, one 64-byte line each (256 KiB, the size of a core's L2 share): a hit costs one
//! comparison instead of a merge. It is bounded, never shared between threads (no locks), and
//! caches only what the merge computes, so answers are the same with or without it. Benchmarks
//! report the first (cold) pass apart from warm ones.

use std::cell::RefCell;

use crate::Rank;

const SLOTS: usize = 4096;
/// Longest piece cached.
pub(crate) const MAX_BYTES: usize = 22;
const MAX_TOKENS: usize = 8;
/// Caches per thread (one per encoding in use; the oldest is dropped beyond this).
const ENCODINGS_PER_THREAD: usize = 4;

#[derive(Clone, Copy)]
#[repr(C, align(64))]
struct Slot {
    len: u8,
    count: u8,
    bytes: [u8; MAX_BYTES],
    tokens: [Rank; MAX_TOKENS],
}

const EMPTY: Slot = Slot { len: 0, count: 0, bytes: [0; MAX_BYTES], tokens: [0; MAX_TOKENS] };

struct Cache {
    owner: u64,
    slots: Box<[Slot]>,
}

thread_local! {
    static CACHES: RefCell<Vec<Cache>> = const { RefCell::new(Vec::new()) };
}

/// Appends the tokens of `piece` (2 to [`MAX_BYTES`] bytes) to `out`: from this thread's cache
/// for the encoding `owner` if it is there, else from `merge`, whose answer is then cached.
#[inline]
pub(crate) fn tokens(owner: u64, piece: &[u8], hash: u64, out: &mut Vec<Rank>, merge: impl FnOnce(&mut Vec<Rank>)) {
    debug_assert!((2..=MAX_BYTES).contains(&piece.len()));
    CACHES.with(|caches| {
        let Ok(mut caches) = caches.try_borrow_mut() else {
            return merge(out);
        };
        let index = match caches.iter().position(|c| c.owner == owner) {
            Some(index) => index,
            None => {
                if caches.len() == ENCODINGS_PER_THREAD {
                    caches.remove(0);
                }
                caches.push(Cache { owner, slots: vec![EMPTY; SLOTS].into_boxed_slice() });
                caches.len() - 1
            }
        };
        let slot = &mut caches[index].slots[hash as usize % SLOTS];
        if slot.len as usize == piece.len() && &slot.bytes[..piece.len()] == piece {
            out.extend_from_slice(&slot.tokens[..slot.count as usize]);
            return;
        }
        let before = out.len();
        merge(out);
        let count = out.len() - before;
        if count <= MAX_TOKENS {
            slot.len = piece.len() as u8;
            slot.count = count as u8;
            slot.bytes[..piece.len()].copy_from_slice(piece);
            slot.tokens[..count].copy_from_slice(&out[before..]);
        }
    });
}
