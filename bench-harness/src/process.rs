//! Process suites: check each command's output, then time the correct ones with hyperfine.

use std::path::Path;
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};
use serde::Deserialize;

use crate::report::Measurement;
use crate::suite::{Case, Engine, Suite};

/// The result of running an engine once on a case, before any timing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The expected answer: the engine may be timed.
    Correct,
    /// Exit status 0 but a different answer; holds the start of what it printed.
    Wrong(String),
    /// Non-zero exit; holds the status and the start of standard error.
    Failed(String),
}

impl Outcome {
    /// Whether the engine may be timed.
    pub fn is_ok(&self) -> bool {
        *self == Outcome::Correct
    }
}

/// Substitutes `{input}` and `{root}` in a command template.
pub fn expand(template: &str, input: Option<&Path>) -> String {
    let root = pyaot_testdata::workspace_root();
    let mut command = template.replace("{root}", &shell_quote(&root.display().to_string()));
    if let Some(input) = input {
        command = command.replace("{input}", &shell_quote(&input.display().to_string()));
    }
    command
}

fn shell_quote(text: &str) -> String {
    if text.bytes().all(|b| b.is_ascii_alphanumeric() || b"/._-+:,".contains(&b)) {
        text.to_owned()
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

fn sh(command: &str) -> Result<std::process::Output> {
    Command::new("sh")
        .arg("-c")
        .arg(command)
        .stdin(Stdio::null())
        .output()
        .with_context(|| format!("running {command:?}"))
}

fn preview(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let mut short: String = text.chars().take(200).collect();
    if short.len() < text.len() {
        short.push_str("...");
    }
    short
}

/// Runs one engine once on one case and compares its standard output with the expectation.
///
/// # Errors
///
/// When the engine has no command, the input is missing, or the shell cannot be started.
pub fn check(suite: &Suite, engine: &Engine, case: &Case) -> Result<Outcome> {
    let Some(template) = &engine.command else {
        bail!("engine {:?} of suite {:?} has no command", engine.name, suite.name);
    };
    let output = sh(&expand(template, case.input_path()?.as_deref()))?;
    Ok(if !output.status.success() {
        Outcome::Failed(format!("{}: {}", output.status, preview(&output.stderr)))
    } else if case.expected().matches(&output.stdout) {
        Outcome::Correct
    } else {
        Outcome::Wrong(preview(&output.stdout))
    })
}

/// The engine's version: its literal `version`, else the first line its `version_command`
/// prints (on stdout or stderr), else `"unknown"`.
pub fn version(engine: &Engine) -> String {
    if let Some(version) = &engine.version {
        return version.clone();
    }
    let Some(command) = &engine.version_command else {
        return "unknown".to_owned();
    };
    match sh(command) {
        Ok(out) if out.status.success() => {
            let text = if out.stdout.is_empty() { out.stderr } else { out.stdout };
            String::from_utf8_lossy(&text).lines().next().unwrap_or("unknown").trim().to_owned()
        }
        _ => format!("unknown ({command} failed)"),
    }
}

/// How long hyperfine spends on each case.
#[derive(Debug, Clone, Copy)]
pub struct Timing {
    /// Untimed runs first (warm caches, as users see them after the first call).
    pub warmup: u32,
    /// The least number of timed runs.
    pub min_runs: u32,
}

impl Default for Timing {
    fn default() -> Self {
        Timing { warmup: 3, min_runs: 10 }
    }
}

/// The hyperfine command line that times `engines` (name, expanded command) side by side.
pub fn hyperfine_args(engines: &[(String, String)], export_json: &Path, timing: Timing) -> Vec<String> {
    let mut args = vec![
        "--style".to_owned(),
        "basic".to_owned(),
        "--warmup".to_owned(),
        timing.warmup.to_string(),
        "--min-runs".to_owned(),
        timing.min_runs.to_string(),
        "--export-json".to_owned(),
        export_json.display().to_string(),
    ];
    for (name, command) in engines {
        args.extend(["--command-name".to_owned(), name.clone(), command.clone()]);
    }
    args
}

/// Times the engines of one case with hyperfine and returns the measurements it exported.
///
/// # Errors
///
/// When hyperfine is missing or fails, or its export cannot be read.
pub fn run_hyperfine(engines: &[(String, String)], export_json: &Path, timing: Timing) -> Result<Vec<Measurement>> {
    let status = Command::new("hyperfine")
        .args(hyperfine_args(engines, export_json, timing))
        .status()
        .context("running hyperfine (install it with `apt-get install hyperfine`; scripts/bench does)")?;
    if !status.success() {
        bail!("hyperfine failed: {status}");
    }
    parse_export(&std::fs::read_to_string(export_json)?)
}

#[derive(Deserialize)]
struct Export {
    results: Vec<ExportResult>,
}

#[derive(Deserialize)]
struct ExportResult {
    command: String,
    mean: f64,
    stddev: Option<f64>,
    times: Vec<f64>,
}

/// Parses hyperfine's `--export-json` output (times in seconds).
///
/// # Errors
///
/// When the text is not hyperfine's export format.
pub fn parse_export(json: &str) -> Result<Vec<Measurement>> {
    let export: Export = serde_json::from_str(json).context("parsing hyperfine's JSON export")?;
    Ok(export
        .results
        .into_iter()
        .map(|r| Measurement {
            engine: r.command,
            mean_ns: r.mean * 1e9,
            stddev_ns: r.stddev.unwrap_or(0.0) * 1e9,
            samples: r.times.len(),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn suite(stdout: &str) -> Suite {
        Suite::parse(&format!(
            r#"
            name = "t"
            description = "d"
            kind = "process"
            baseline = "right"
            [[engine]]
            name = "right"
            command = "printf 'forty-two\n'"
            version = "1.0"
            [[engine]]
            name = "wrong"
            command = "echo 41"
            version_command = "echo tool 2.3; echo more"
            [[engine]]
            name = "crashes"
            command = "echo boom >&2; exit 3"
            [[case]]
            name = "answer"
            stdout = "{stdout}"
            "#
        ))
        .unwrap()
    }

    #[test]
    fn results_are_checked_before_timing() {
        let suite = suite("forty-two\\n");
        let case = &suite.cases[0];
        assert_eq!(check(&suite, &suite.engines[0], case).unwrap(), Outcome::Correct);
        assert_eq!(check(&suite, &suite.engines[1], case).unwrap(), Outcome::Wrong("41\n".into()));
        match check(&suite, &suite.engines[2], case).unwrap() {
            Outcome::Failed(why) => assert!(why.contains("exit status: 3") && why.contains("boom"), "{why}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn versions_come_from_the_suite_or_a_command() {
        let suite = suite("x");
        assert_eq!(version(&suite.engines[0]), "1.0");
        assert_eq!(version(&suite.engines[1]), "tool 2.3");
        assert_eq!(version(&suite.engines[2]), "unknown");
    }

    #[test]
    fn templates_are_expanded_with_quoted_paths() {
        let root = pyaot_testdata::workspace_root().display().to_string();
        assert_eq!(expand("cat {input}", Some(Path::new("/a b/c.json"))), "cat '/a b/c.json'");
        assert!(expand("{root}/x", None).ends_with("/x"));
        assert!(expand("{root}/x", None).contains(root.trim_start_matches('/')));
    }

    #[test]
    fn hyperfine_runs_every_engine_side_by_side() {
        let engines = [("a".to_owned(), "echo a".to_owned()), ("b".to_owned(), "echo b".to_owned())];
        let args = hyperfine_args(&engines, Path::new("/tmp/x.json"), Timing::default()).join(" ");
        assert!(args.contains("--export-json /tmp/x.json"));
        assert!(args.ends_with("--command-name a echo a --command-name b echo b"));
    }

    #[test]
    fn hyperfine_exports_are_read_in_nanoseconds() {
        let json = r#"{"results":[{"command":"python3","mean":0.0125,"stddev":0.001,
            "median":0.0124,"user":0.01,"system":0.002,"min":0.011,"max":0.015,
            "times":[0.011,0.012,0.0145],"exit_codes":[0,0,0]}]}"#;
        let m = &parse_export(json).unwrap()[0];
        assert_eq!(m.engine, "python3");
        assert!((m.mean_ns - 12.5e6).abs() < 1e-3);
        assert!((m.stddev_ns - 1e6).abs() < 1e-3);
        assert_eq!(m.samples, 3);
    }
}
