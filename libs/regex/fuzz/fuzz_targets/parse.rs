//! `parse`: the pattern and template parsers on arbitrary input never panic, and what they
//! return is consistent (see `check_parse` in `../targets.rs`).

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| pyaot_regex_fuzz::check_parse(data));
