//! `pyaot-bench [--out DIR] [--quick] SUITE...`: check, time and report benchmark suites.
//!
//! `SUITE` is a name from `bench-harness/suites/` (or a path to a suite file). Results go to
//! `bench-harness/results/<date>-<host>/` unless `--out` says otherwise. `scripts/bench` is the
//! usual way in: it installs hyperfine first.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use anyhow::{Context, Result, bail};
use pyaot_bench_harness::criterion_results::{self, CHECKS_ENV};
use pyaot_bench_harness::machine;
use pyaot_bench_harness::process::{self, Outcome, Timing};
use pyaot_bench_harness::report::{CaseRow, Cell, Measurement, SuiteReport};
use pyaot_bench_harness::suite::{Kind, Suite};

struct Options {
    out: PathBuf,
    quick: bool,
    suites: Vec<PathBuf>,
}

fn harness_dir() -> PathBuf {
    pyaot_testdata::workspace_root().join("bench-harness")
}

fn parse_args() -> Result<Options> {
    let mut args = std::env::args().skip(1);
    let mut options = Options { out: machine::results_dir(&harness_dir()), quick: false, suites: Vec::new() };
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--out" => options.out = args.next().context("--out needs a directory")?.into(),
            "--quick" => options.quick = true,
            "-h" | "--help" => bail!("usage: pyaot-bench [--out DIR] [--quick] SUITE..."),
            name if name.ends_with(".toml") => options.suites.push(name.into()),
            name => options.suites.push(harness_dir().join("suites").join(format!("{name}.toml"))),
        }
    }
    if options.suites.is_empty() {
        bail!("usage: pyaot-bench [--out DIR] [--quick] SUITE... (suites are in bench-harness/suites/)");
    }
    Ok(options)
}

fn main() -> Result<ExitCode> {
    let options = parse_args()?;
    std::fs::create_dir_all(&options.out)?;
    std::fs::write(options.out.join("machine.md"), machine::describe())?;
    let mut failed = false;
    for path in &options.suites {
        let suite = Suite::load(path)?;
        let raw = options.out.join(&suite.name).join("raw");
        std::fs::create_dir_all(&raw)?;
        let report = match suite.kind {
            Kind::Process => run_process_suite(&suite, &raw, options.quick)?,
            Kind::Criterion => run_criterion_suite(&suite, &raw, options.quick)?,
            Kind::Python => run_python_suite(&suite, path, &raw, options.quick)?,
        };
        let dir = options.out.join(&suite.name);
        std::fs::write(dir.join("table.md"), report.markdown())?;
        std::fs::write(dir.join("chart.svg"), report.svg_chart())?;
        println!("\n{}", report.markdown());
        println!("wrote {}", dir.display());
        failed |= report.has_errors();
    }
    Ok(if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}

fn versions(suite: &Suite) -> Vec<(String, String)> {
    let python = bench_python().display().to_string();
    suite
        .engines
        .iter()
        .map(|e| {
            let mut engine = e.clone();
            engine.version_command = e.version_command.as_ref().map(|c| c.replace("{python}", &python));
            (e.name.clone(), process::version(&engine))
        })
        .collect()
}

fn run_process_suite(suite: &Suite, raw: &Path, quick: bool) -> Result<SuiteReport> {
    let timing = if quick { Timing { warmup: 1, min_runs: 3 } } else { Timing::default() };
    let mut rows = Vec::new();
    for case in &suite.cases {
        let input = case.input_path()?;
        let mut cells = Vec::new();
        let mut to_time = Vec::new();
        for engine in &suite.engines {
            match process::check(suite, engine, case)? {
                Outcome::Correct => {
                    let command = engine.command.as_deref().expect("validated: process engines have commands");
                    to_time.push((engine.name.clone(), process::expand(command, input.as_deref())));
                    cells.push(None);
                }
                Outcome::Wrong(got) => cells.push(Some(Cell::Wrong(got))),
                Outcome::Failed(why) => cells.push(Some(Cell::Failed(why))),
            }
        }
        let mut measured = if to_time.is_empty() {
            Vec::new()
        } else {
            process::run_hyperfine(&to_time, &raw.join(format!("{}.json", case.name)), timing)?
        };
        let cells = cells
            .into_iter()
            .zip(&suite.engines)
            .map(|(cell, engine)| match cell {
                Some(cell) => Ok(cell),
                None => {
                    let at =
                        measured.iter().position(|m| m.engine == engine.name).context("hyperfine lost an engine")?;
                    Ok(Cell::Timed(measured.swap_remove(at)))
                }
            })
            .collect::<Result<Vec<_>>>()?;
        let input_bytes = case.bytes_per_call()?;
        rows.push(CaseRow {
            case: case.name.clone(),
            input_bytes,
            requests: case.requests,
            cells,
            note: case.note.clone(),
        });
    }
    Ok(SuiteReport {
        suite: suite.name.clone(),
        description: suite.description.clone(),
        engines: versions(suite),
        baseline: suite.baseline.clone(),
        mark_slower: suite.mark_slower.clone(),
        method: format!(
            "each command checked once against the expected output, then timed side by side by \
             hyperfine ({}) through `sh -c` (hyperfine subtracts the shell's start-up), {} warm-up \
             runs, at least {} timed runs; raw exports in `raw/`.",
            machine::first_line_of("hyperfine", &["--version"]),
            timing.warmup,
            timing.min_runs
        ),
        rows,
    })
}

fn run_criterion_suite(suite: &Suite, raw: &Path, quick: bool) -> Result<SuiteReport> {
    let root = pyaot_testdata::workspace_root();
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from);
    let criterion_dir = target.join("criterion");
    let checks = raw.join("checks.json");
    let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    command
        .current_dir(root)
        .args(["bench", "-p", "pyaot-bench-harness", "--bench", &suite.name, "--", "--noplot"])
        .env(CHECKS_ENV, &checks)
        .env("CRITERION_HOME", &criterion_dir);
    if quick {
        command.args(["--warm-up-time", "1", "--measurement-time", "2"]);
    }
    // A non-zero exit is expected when an engine was wrong: the checks file says which.
    let status = command.status().context("running cargo bench")?;
    let rejected = criterion_results::read_rejected(&checks)?;
    if !status.success() && rejected.is_empty() {
        bail!("cargo bench --bench {} failed: {status}", suite.name);
    }
    let mut rows = Vec::new();
    let mut measurements = Vec::new();
    for case in &suite.cases {
        let mut cells = Vec::new();
        for engine in &suite.engines {
            if let Some(r) = rejected.iter().find(|r| r.case == case.name && r.engine == engine.name) {
                cells.push(if suite.may_differ.contains(&engine.name) {
                    Cell::NotApplicable(r.got.clone())
                } else {
                    Cell::Wrong(r.got.clone())
                });
                continue;
            }
            let m = criterion_results::read(&criterion_dir, &suite.name, &engine.name, &case.name)?;
            measurements.push(serde_json::json!({
                "case": case.name, "engine": engine.name,
                "mean_ns": m.mean_ns, "stddev_ns": m.stddev_ns, "samples": m.samples,
            }));
            cells.push(Cell::Timed(m));
        }
        let input_bytes = case.bytes_per_call()?;
        rows.push(CaseRow {
            case: case.name.clone(),
            input_bytes,
            requests: case.requests,
            cells,
            note: case.note.clone(),
        });
    }
    std::fs::write(raw.join("criterion.json"), serde_json::to_string_pretty(&measurements)?)?;
    Ok(SuiteReport {
        suite: suite.name.clone(),
        description: suite.description.clone(),
        engines: versions(suite),
        baseline: suite.baseline.clone(),
        mark_slower: suite.mark_slower.clone(),
        method: format!(
            "each engine's result checked against the expected one, then timed in-process by \
             criterion ({}), release profile (fat LTO); mean of criterion's samples; raw estimates \
             in `raw/criterion.json`.",
            if quick { "quick: 1 s warm-up, 2 s measurement" } else { "3 s warm-up, 3 s measurement" }
        ),
        rows,
    })
}

/// The interpreter of the benchmark venv (`scripts/bench` makes it), or `PYAOT_BENCH_PYTHON`.
fn bench_python() -> PathBuf {
    std::env::var_os("PYAOT_BENCH_PYTHON")
        .map_or_else(|| pyaot_testdata::workspace_root().join(".venv-bench/bin/python"), PathBuf::from)
}

#[derive(serde::Deserialize)]
struct PythonReport {
    cases: Vec<PythonCase>,
    /// What the suite's fixture ran (its `description`), if it has one.
    #[serde(default)]
    fixture: Option<String>,
}

#[derive(serde::Deserialize)]
struct PythonCase {
    case: String,
    results: Vec<PythonResult>,
}

#[derive(serde::Deserialize)]
struct PythonResult {
    engine: String,
    wrong: Option<String>,
    /// A different answer from a `may_differ` engine (another dialect).
    #[serde(default)]
    differs: Option<String>,
    /// The engine could not be set up (not installed, say).
    #[serde(default)]
    failed: Option<String>,
    mean_ns: Option<f64>,
    stddev_ns: Option<f64>,
    #[serde(default)]
    times: Vec<f64>,
}

fn run_python_suite(suite: &Suite, path: &Path, raw: &Path, quick: bool) -> Result<SuiteReport> {
    let out = raw.join("python.json");
    let runner = harness_dir().join("python/run_suite.py");
    let mut command = Command::new(bench_python());
    command.arg(&runner).arg(path).arg(&out);
    if quick {
        command.arg("--quick");
    }
    let status = command
        .status()
        .with_context(|| format!("running {} (scripts/bench sets up .venv-bench)", runner.display()))?;
    if !status.success() {
        bail!("{} failed: {status}", runner.display());
    }
    let report: PythonReport = serde_json::from_str(&std::fs::read_to_string(&out)?)?;
    let mut rows = Vec::new();
    for (case, measured) in suite.cases.iter().zip(report.cases) {
        let cells = measured
            .results
            .into_iter()
            .map(|r| match (r.wrong, r.mean_ns) {
                _ if r.failed.is_some() => Cell::Failed(r.failed.unwrap_or_default()),
                _ if r.differs.is_some() => Cell::NotApplicable(r.differs.unwrap_or_default()),
                (Some(got), _) => Cell::Wrong(got),
                (None, Some(mean_ns)) => Cell::Timed(Measurement {
                    engine: r.engine,
                    mean_ns,
                    stddev_ns: r.stddev_ns.unwrap_or(0.0),
                    samples: r.times.len(),
                }),
                (None, None) => Cell::Failed("no measurement".into()),
            })
            .collect();
        let input_bytes = case.bytes_per_call()?;
        rows.push(CaseRow {
            case: measured.case,
            input_bytes,
            requests: case.requests,
            cells,
            note: case.note.clone(),
        });
    }
    let exact = if suite.exact.is_empty() {
        String::new()
    } else {
        format!("; byte-identical to it for {}", suite.exact.join(", "))
    };
    let checked = match (suite.check.as_deref(), &suite.expected) {
        (Some("expected"), Some(expected)) => format!("equal to `{expected}`, the baseline's too"),
        (check, _) => format!("`{}` against the baseline{exact}", check.unwrap_or("?")),
    };
    let fixture = match (&suite.fixture, &report.fixture) {
        (Some(name), Some(what)) => format!(" With the fixture `{name}` running: {what}."),
        (Some(name), None) => format!(" With the fixture `{name}` running."),
        _ => String::new(),
    };
    let cold = if suite.input_kind.as_deref() == Some("none") {
        "The first call of each engine (cold)"
    } else {
        "The first call on a fresh copy of the input (cold)"
    };
    Ok(SuiteReport {
        suite: suite.name.clone(),
        description: suite.description.clone(),
        engines: versions(suite),
        baseline: suite.baseline.clone(),
        mark_slower: suite.mark_slower.clone(),
        method: format!(
            "in-process in one Python process (`bench-harness/python/run_suite.py`, {}): every engine's answer \
             checked first ({checked}), then {} samples of at least {} ms each, engines interleaved; mean time \
             per call. {cold} is in `raw/python.json`.{fixture}",
            machine::first_line_of(&bench_python().display().to_string(), &["--version"]),
            if quick { 5 } else { 15 },
            if quick { 5 } else { 20 },
        ),
        rows,
    })
}
