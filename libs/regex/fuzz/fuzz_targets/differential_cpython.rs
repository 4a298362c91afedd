//! `differential_cpython`: pyaot-regex against CPython 3.11's `re`, embedded, on arbitrary
//! patterns and short haystacks: the same compile errors (message and position) and the same
//! `finditer` matches (every group's span, `lastindex`). See `cpython.rs`.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| pyaot_regex_fuzz::cpython::check_against_cpython(data));
