//! `pyaot-bench-harness`: pyaot's benchmarks against its peers.
//!
//! A benchmark suite is data (a TOML file in `bench-harness/suites/`): its cases (name, input
//! file from the shared data directory, expected result) and its engines (name, command or
//! in-process function, version). Every engine's answer is checked against the case's expected
//! result **before** it is timed; a wrong answer is reported as `WRONG` and never timed
//! (BurntSushi's rebar does the same).
//!
//! Three kinds of suite:
//!
//! - `kind = "process"`: whole commands, timed side by side in one `hyperfine --export-json`
//!   run per case ([`process`]).
//! - `kind = "criterion"`: Rust functions timed in-process by criterion in
//!   `bench-harness/benches/<suite>.rs`, which calls [`inproc::bench_suite`] (or
//!   [`inproc::bench_suite_by_case`]); the runner then collects criterion's estimates
//!   ([`criterion_results`]).
//! - `kind = "python"`: Python callables checked and timed in one Python process by
//!   `bench-harness/python/run_suite.py` in the benchmark venv; a suite may run a `fixture`
//!   around them (the HTTP suite's local nginx, `python/http_server.py`) and check answers
//!   against an `expected` expression instead of the baseline's answer.
//!
//! A case may declare `requests` (operations per timed call: the table adds a `req/s` rate) and,
//! without an input file, `bytes` (bytes per call, for MB/s).
//!
//! Either way the runner (`scripts/bench`, the `pyaot-bench` binary) writes
//! `bench-harness/results/<date>-<host>/`: `machine.md` (the machine and tools), and per suite
//! the raw data, `table.md` (times and speed ratios against the suite's named baseline, with a
//! geometric mean) and `chart.svg` ([`report`]).
//!
//! # Example
//!
//! ```
//! let suite = pyaot_bench_harness::suite::Suite::parse(r#"
//!     name = "demo"
//!     description = "echo"
//!     kind = "process"
//!     baseline = "sh"
//!     [[engine]]
//!     name = "sh"
//!     command = "echo hi"
//!     [[case]]
//!     name = "hi"
//!     stdout = "hi\n"
//! "#)?;
//! let outcome = pyaot_bench_harness::process::check(&suite, &suite.engines[0], &suite.cases[0])?;
//! assert!(outcome.is_ok());
//! # Ok::<(), anyhow::Error>(())
//! ```

pub mod criterion_results;
pub mod inproc;
pub mod machine;
pub mod process;
pub mod report;
pub mod suite;
