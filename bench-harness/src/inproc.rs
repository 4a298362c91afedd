//! Criterion suites: Rust functions checked against the suite's expected result, then timed.
//!
//! A bench target `bench-harness/benches/<suite>.rs` loads `suites/<suite>.toml`, pairs each
//! declared engine with a Rust function `&[u8] -> String` (the input file's bytes to a result
//! string such as a count or a digest) and calls [`bench_suite`]. Engines whose answer differs
//! from the case's `result` are not timed; they are recorded for the report and the bench
//! fails at the end, so a wrong engine can never produce a number. Engines that depend on more
//! than the input (a URL per case, say) are made per case with [`bench_suite_by_case`].
//! An engine the suite lists in `may_differ` (another regex dialect, say) that answers
//! differently is not timed either, but does not fail the bench: the report shows it as n/a.

use std::path::Path;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use criterion::{BenchmarkId, Criterion, Throughput};

use crate::criterion_results::{CHECKS_ENV, Rejected};
use crate::suite::{Case, Kind, Suite};

/// What an in-process engine computes: the input file's bytes to a result string.
pub type RunFn<'a> = Box<dyn Fn(&[u8]) -> String + 'a>;

/// The work timed for an engine, given the input file's bytes.
pub type TimedFn<'a> = Box<dyn Fn(&[u8]) + 'a>;

/// A Rust function competing in a criterion suite.
pub struct Engine<'a> {
    /// The name the suite declares it under.
    pub name: &'a str,
    /// Computes the case's result from the input file's bytes.
    pub run: RunFn<'a>,
    /// The work to time, when it differs from `run` (which may add a walk to produce its
    /// answer string).
    pub timed: Option<TimedFn<'a>>,
}

impl<'a> Engine<'a> {
    /// Pairs a declared engine name with its function, which is both checked and timed.
    pub fn new(name: &'a str, run: impl Fn(&[u8]) -> String + 'a) -> Self {
        Engine { name, run: Box::new(run), timed: None }
    }

    /// An engine whose answer comes from `answer` (checked once) while `timed` is what is
    /// measured: the same work without turning its result into a string.
    pub fn checked(name: &'a str, answer: impl Fn(&[u8]) -> String + 'a, timed: impl Fn(&[u8]) + 'a) -> Self {
        Engine { name, run: Box::new(answer), timed: Some(Box::new(timed)) }
    }
}

/// Loads `bench-harness/suites/<name>.toml`.
///
/// # Errors
///
/// When the suite is missing or invalid.
pub fn load_suite(name: &str) -> Result<Suite> {
    Suite::load(&pyaot_testdata::workspace_root().join("bench-harness").join("suites").join(format!("{name}.toml")))
}

/// One case's input, read from the shared data directory (empty when the case has none).
///
/// # Errors
///
/// When the data directory or the file is missing.
pub fn read_input(case: &Case) -> Result<Vec<u8>> {
    match case.input_path()? {
        Some(path) => std::fs::read(&path).with_context(|| format!("reading {}", path.display())),
        None => Ok(Vec::new()),
    }
}

/// Checks every engine on every case and returns the ones that must not be timed.
///
/// # Errors
///
/// When the Rust engines do not match the suite's declared engines one to one, or an input
/// cannot be read.
pub fn check(suite: &Suite, engines: &[Engine<'_>]) -> Result<Vec<Rejected>> {
    check_cases(suite, &vec![engines; suite.cases.len()])
}

/// [`check`] with each case's own engines (`engines[i]` for `suite.cases[i]`).
fn check_cases(suite: &Suite, engines: &[&[Engine<'_>]]) -> Result<Vec<Rejected>> {
    if suite.kind != Kind::Criterion {
        bail!("suite {:?} is not a criterion suite", suite.name);
    }
    let mut rejected = Vec::new();
    for (case, engines) in suite.cases.iter().zip(engines) {
        check_names(suite, engines)?;
        let input = read_input(case)?;
        for engine in *engines {
            let answer = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| (engine.run)(&input)))
                .unwrap_or_else(|_| "<panicked>".to_owned());
            if !case.expected().matches(answer.as_bytes()) {
                rejected.push(Rejected { case: case.name.clone(), engine: engine.name.to_owned(), got: answer });
            }
        }
    }
    Ok(rejected)
}

fn check_names(suite: &Suite, engines: &[Engine<'_>]) -> Result<()> {
    for declared in &suite.engines {
        if !engines.iter().any(|e| e.name == declared.name) {
            bail!("suite {:?} declares engine {:?}, which the bench does not provide", suite.name, declared.name);
        }
    }
    for engine in engines {
        if suite.engine(engine.name).is_none() {
            bail!("the bench provides engine {:?}, which suite {:?} does not declare", engine.name, suite.name);
        }
    }
    Ok(())
}

/// Checks, then times with criterion every engine that answered correctly, in a group named
/// after the suite with ids `engine/case`.
///
/// # Panics
///
/// When the suite and the engines do not match, an input is missing, or any engine gave a wrong
/// answer (after timing the correct ones), so that `cargo bench` fails.
pub fn bench_suite(c: &mut Criterion, suite: &Suite, engines: &[Engine<'_>]) {
    bench_cases(c, suite, &vec![engines; suite.cases.len()]);
}

/// [`bench_suite`] with engines made for each case by `engines` (called once per case, in the
/// suite's order), for engines that need more than the input file: a server URL that depends
/// on the case, say.
///
/// # Panics
///
/// As [`bench_suite`].
pub fn bench_suite_by_case<'a>(c: &mut Criterion, suite: &Suite, engines: impl Fn(&Case) -> Vec<Engine<'a>>) {
    let per_case: Vec<Vec<Engine<'a>>> = suite.cases.iter().map(engines).collect();
    let slices: Vec<&[Engine<'a>]> = per_case.iter().map(Vec::as_slice).collect();
    bench_cases(c, suite, &slices);
}

fn bench_cases(c: &mut Criterion, suite: &Suite, engines: &[&[Engine<'_>]]) {
    let rejected = check_cases(suite, engines).unwrap_or_else(|e| panic!("{e:#}"));
    if let Some(path) = std::env::var_os(CHECKS_ENV) {
        let json = serde_json::to_string_pretty(&rejected).expect("rejections serialize");
        std::fs::write(&path, json).unwrap_or_else(|e| panic!("writing {}: {e}", Path::new(&path).display()));
    }
    let mut group = c.benchmark_group(&suite.name);
    group.measurement_time(Duration::from_secs(3));
    for (case, engines) in suite.cases.iter().zip(engines) {
        let input = read_input(case).unwrap_or_else(|e| panic!("{e:#}"));
        group.throughput(Throughput::Bytes(case.bytes.unwrap_or(input.len() as u64)));
        for engine in *engines {
            if rejected.iter().any(|r| r.case == case.name && r.engine == engine.name) {
                continue;
            }
            group.bench_with_input(BenchmarkId::new(engine.name, &case.name), &input, |b, input| match &engine.timed {
                Some(timed) => b.iter(|| timed(std::hint::black_box(input))),
                None => b.iter(|| (engine.run)(std::hint::black_box(input))),
            });
        }
    }
    group.finish();
    // A `may_differ` engine's different answer is its dialect, not a failure of the bench.
    let wrong: Vec<&Rejected> = rejected.iter().filter(|r| !suite.may_differ.contains(&r.engine)).collect();
    if !wrong.is_empty() {
        let lines: Vec<String> = wrong.iter().map(|r| format!("{} / {}: got {:?}", r.case, r.engine, r.got)).collect();
        panic!("wrong answers, not timed:\n{}", lines.join("\n"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn suite() -> Suite {
        Suite::parse(
            r#"
            name = "lengths"
            description = "length of the input"
            kind = "criterion"
            baseline = "len"
            [[engine]]
            name = "len"
            version = "std"
            [[engine]]
            name = "off-by-one"
            version = "bug"
            [[case]]
            name = "readme"
            input = "README.md"
            result = "replaced by with_expected"
            "#,
        )
        .unwrap()
    }

    fn with_expected(mut suite: Suite) -> Suite {
        let len = read_input(&suite.cases[0]).unwrap().len();
        suite.cases[0].result = Some(len.to_string());
        suite
    }

    #[test]
    fn wrong_and_panicking_engines_are_rejected_before_timing() {
        let suite = with_expected(suite());
        let engines = [
            Engine::new("len", |input| input.len().to_string()),
            Engine::new("off-by-one", |input| (input.len() + 1).to_string()),
        ];
        let rejected = check(&suite, &engines).unwrap();
        assert_eq!(rejected.len(), 1);
        assert_eq!((rejected[0].case.as_str(), rejected[0].engine.as_str()), ("readme", "off-by-one"));

        let engines = [Engine::new("len", |_| panic!("boom")), Engine::new("off-by-one", |i| i.len().to_string())];
        let rejected = check(&suite, &engines).unwrap();
        assert_eq!(rejected[0].got, "<panicked>");
    }

    #[test]
    fn engines_must_match_the_suite() {
        let suite = with_expected(suite());
        let missing = [Engine::new("len", |i| i.len().to_string())];
        assert!(check(&suite, &missing).unwrap_err().to_string().contains("declares engine \"off-by-one\""));
        let extra = [
            Engine::new("len", |i| i.len().to_string()),
            Engine::new("off-by-one", |i| i.len().to_string()),
            Engine::new("stranger", |i| i.len().to_string()),
        ];
        assert!(check(&suite, &extra).unwrap_err().to_string().contains("does not declare"));
    }

    #[test]
    fn correct_engines_are_timed_by_criterion() {
        let suite = with_expected(suite());
        let engines = [
            Engine::new("len", |input| input.len().to_string()),
            Engine::new("off-by-one", |input| input.len().to_string()),
        ];
        let mut c = Criterion::default()
            .sample_size(10)
            .warm_up_time(Duration::from_millis(10))
            .measurement_time(Duration::from_millis(20))
            .without_plots();
        bench_suite(&mut c, &suite, &engines);
    }

    #[test]
    fn engines_can_be_made_per_case() {
        let suite = Suite::parse(
            r#"
            name = "per-case"
            description = "each case's engines know the case"
            kind = "criterion"
            baseline = "name"
            [[engine]]
            name = "name"
            version = "std"
            [[case]]
            name = "first"
            result = "first"
            [[case]]
            name = "second"
            result = "second"
            "#,
        )
        .unwrap();
        let per_case =
            [vec![Engine::new("name", |_| "first".to_owned())], vec![Engine::new("name", |_| "first".into())]];
        let slices: Vec<&[Engine<'_>]> = per_case.iter().map(Vec::as_slice).collect();
        let rejected = check_cases(&suite, &slices).unwrap();
        assert_eq!(rejected.len(), 1);
        assert_eq!((rejected[0].case.as_str(), rejected[0].got.as_str()), ("second", "first"));
        let mut c = Criterion::default()
            .sample_size(10)
            .warm_up_time(Duration::from_millis(10))
            .measurement_time(Duration::from_millis(20))
            .without_plots();
        bench_suite_by_case(&mut c, &suite, |case| {
            let name = case.name.clone();
            vec![Engine::new("name", move |_| name.clone())]
        });
    }

    #[test]
    #[should_panic(expected = "wrong answers, not timed:\nreadme / off-by-one")]
    fn a_wrong_engine_fails_the_bench() {
        let suite = with_expected(suite());
        let engines = [
            Engine::new("len", |input| input.len().to_string()),
            Engine::new("off-by-one", |input| (input.len() + 1).to_string()),
        ];
        let mut c = Criterion::default()
            .sample_size(10)
            .warm_up_time(Duration::from_millis(10))
            .measurement_time(Duration::from_millis(20))
            .without_plots();
        bench_suite(&mut c, &suite, &engines);
    }
}
