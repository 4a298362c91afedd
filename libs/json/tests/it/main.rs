//! Integration tests of `pyaot-json` (one test binary for the crate).

mod api;
mod jsontestsuite;
