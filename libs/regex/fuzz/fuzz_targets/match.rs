//! `match`: compiling and running `search`/`match`/`fullmatch`/`finditer`/`sub`/`split` on
//! arbitrary patterns and haystacks never panics and returns sensible spans (see `check_match`
//! in `../targets.rs`).

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| pyaot_regex_fuzz::check_match(data));
