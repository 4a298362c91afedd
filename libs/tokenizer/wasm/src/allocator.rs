//! The module's allocator: power-of-two size classes over `memory.grow`, about 1 KB of code
//! instead of dlmalloc's 8 (a tenth of the size budget).
//!
//! A block of class `k` holds `2^k` bytes; freed blocks go on their class's list and are reused
//! first, fresh blocks come from the end of memory, which grows a page (64 KiB) at a time. The
//! module is single-threaded (wasm32-unknown-unknown without atomics), memory is never given
//! back (WebAssembly cannot shrink it), and the tokenizer's allocations are few and large
//! (tables) or recurring (output vectors), which suits size classes.

use std::alloc::{GlobalAlloc, Layout};
use std::cell::UnsafeCell;
use std::ptr::null_mut;

const PAGE: usize = 65536;
const MIN_CLASS: u32 = 4;

struct State {
    /// The first free block of each class (0 when none); a free block starts with the address
    /// of the next.
    free: [usize; 32],
    /// Where the next fresh block may start.
    top: usize,
    /// The end of memory (0 before the first allocation).
    end: usize,
}

/// The global allocator of the WASM build.
pub(crate) struct Classes(UnsafeCell<State>);

// SAFETY: wasm32-unknown-unknown runs one thread; the state is never touched concurrently.
unsafe impl Sync for Classes {}

impl Classes {
    pub(crate) const fn new() -> Classes {
        Classes(UnsafeCell::new(State { free: [0; 32], top: 0, end: 0 }))
    }
}

/// The class of a layout: the power of two that holds its size and alignment.
fn class(layout: &Layout) -> Option<u32> {
    let size = layout.size().max(layout.align()).max(1 << MIN_CLASS).checked_next_power_of_two()?;
    (size < 1 << 31).then(|| size.trailing_zeros())
}

// SAFETY: blocks are disjoint, at least as large and as aligned as their layouts, and a block
// is on a free list only after `dealloc`.
unsafe impl GlobalAlloc for Classes {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let Some(class) = class(&layout) else { return null_mut() };
        // SAFETY: single-threaded, and no reference to the state outlives this call.
        let state = unsafe { &mut *self.0.get() };
        let head = state.free[class as usize];
        if head != 0 && head % layout.align() == 0 {
            // SAFETY: a free block starts with the next free block's address.
            state.free[class as usize] = unsafe { *(head as *const usize) };
            return head as *mut u8;
        }
        if state.end == 0 {
            state.end = core::arch::wasm32::memory_size(0) * PAGE;
            state.top = state.end;
        }
        let align = layout.align().max(1 << MIN_CLASS);
        let start = (state.top + align - 1) & !(align - 1);
        let Some(top) = start.checked_add(1 << class) else { return null_mut() };
        if top > state.end {
            let pages = (top - state.end).div_ceil(PAGE);
            if core::arch::wasm32::memory_grow(0, pages) == usize::MAX {
                return null_mut();
            }
            state.end += pages * PAGE;
        }
        state.top = top;
        start as *mut u8
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        let Some(class) = class(&layout) else { return };
        // SAFETY: single-threaded, and no reference to the state outlives this call.
        let state = unsafe { &mut *self.0.get() };
        // SAFETY: the block is ours and free: its first word holds the list link.
        unsafe { *(ptr as *mut usize) = state.free[class as usize] };
        state.free[class as usize] = ptr as usize;
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: `realloc`'s contract gives a valid layout for the new size.
        let new_layout = unsafe { Layout::from_size_align_unchecked(new_size, layout.align()) };
        if class(&layout) == class(&new_layout) {
            return ptr;
        }
        // SAFETY: as `GlobalAlloc::realloc`'s default: a new block, the old bytes, the old block freed.
        unsafe {
            let new = self.alloc(new_layout);
            if !new.is_null() {
                std::ptr::copy_nonoverlapping(ptr, new, layout.size().min(new_size));
                self.dealloc(ptr, layout);
            }
            new
        }
    }
}
