//! The fuzz targets' bodies. `../targets.rs` (shared with the stable never-panic test,
//! `libs/regex/tests/never_panic.rs`) checks pyaot-regex's own promises; [`cpython`] checks its
//! answers against CPython's `re`.

#[path = "../targets.rs"]
mod targets;

pub mod cpython;

pub use targets::{Case, STEP_LIMIT, check_match, check_parse, code_points, flags_of, split_case};
