//! Reading what criterion measured, and what the in-process check found, back into a report.
//!
//! A criterion suite's bench registers `BenchmarkId::new(engine, case)` in the group named
//! after the suite, so criterion writes
//! `<target>/criterion/<suite>/<engine>/<case>/new/estimates.json`. The in-process check
//! ([`crate::inproc`]) writes its verdicts to the file named by `PYAOT_BENCH_CHECKS`.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

use crate::report::Measurement;

/// The environment variable naming the file where in-process checks record wrong answers.
pub const CHECKS_ENV: &str = "PYAOT_BENCH_CHECKS";

/// One engine that was not timed because its answer was wrong (or it panicked).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rejected {
    /// Case name.
    pub case: String,
    /// Engine name.
    pub engine: String,
    /// What it answered instead.
    pub got: String,
}

/// Criterion's directory-name sanitizing (see criterion's `make_filename_safe`).
pub fn filename_safe(name: &str) -> String {
    name.chars().map(|c| if "?\"/\\*<>:|^".contains(c) { '_' } else { c }).collect()
}

/// Where criterion keeps one benchmark's latest estimates.
pub fn estimates_path(criterion_dir: &Path, suite: &str, engine: &str, case: &str) -> PathBuf {
    criterion_dir
        .join(filename_safe(suite))
        .join(filename_safe(engine))
        .join(filename_safe(case))
        .join("new")
        .join("estimates.json")
}

#[derive(Deserialize)]
struct Estimates {
    mean: Estimate,
    std_dev: Estimate,
}

#[derive(Deserialize)]
struct Estimate {
    point_estimate: f64,
}

#[derive(Deserialize)]
struct Sample {
    iters: Vec<f64>,
}

/// Reads one benchmark's mean and standard deviation (criterion reports nanoseconds).
///
/// # Errors
///
/// When the estimates are missing (the bench did not run) or malformed.
pub fn read(criterion_dir: &Path, suite: &str, engine: &str, case: &str) -> Result<Measurement> {
    let path = estimates_path(criterion_dir, suite, engine, case);
    let text = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let estimates: Estimates = serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))?;
    let samples = std::fs::read_to_string(path.with_file_name("sample.json"))
        .ok()
        .and_then(|text| serde_json::from_str::<Sample>(&text).ok())
        .map_or(0, |s| s.iters.len());
    Ok(Measurement {
        engine: engine.to_owned(),
        mean_ns: estimates.mean.point_estimate,
        stddev_ns: estimates.std_dev.point_estimate,
        samples,
    })
}

/// Reads the rejected engines the in-process check recorded; none when the file is absent.
///
/// # Errors
///
/// When the file exists but is malformed.
pub fn read_rejected(path: &Path) -> Result<Vec<Rejected>> {
    match std::fs::read_to_string(path) {
        Ok(text) => serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(e) => Err(e).with_context(|| format!("reading {}", path.display())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn estimates_are_read_from_criterions_layout() {
        let dir = std::env::temp_dir().join(format!("pyaot-crit-{}", std::process::id()));
        let path = estimates_path(&dir, "json-parse", "serde_json", "twitter/x");
        assert!(path.ends_with("json-parse/serde_json/twitter_x/new/estimates.json"));
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(
            &path,
            r#"{"mean":{"confidence_interval":{"confidence_level":0.95,"lower_bound":1.0,"upper_bound":2.0},
               "point_estimate":1500.0,"standard_error":3.0},
               "median":{"point_estimate":1490.0},"median_abs_dev":{"point_estimate":1.0},
               "slope":null,"std_dev":{"point_estimate":25.0}}"#,
        )
        .unwrap();
        std::fs::write(
            path.with_file_name("sample.json"),
            r#"{"sampling_mode":"Linear","iters":[1,2,3],"times":[1,2,3]}"#,
        )
        .unwrap();
        let m = read(&dir, "json-parse", "serde_json", "twitter/x").unwrap();
        assert_eq!((m.mean_ns, m.stddev_ns, m.samples), (1500.0, 25.0, 3));
        assert!(read(&dir, "json-parse", "missing", "twitter/x").is_err());
    }

    #[test]
    fn rejected_engines_round_trip() {
        let path = std::env::temp_dir().join(format!("pyaot-rejected-{}.json", std::process::id()));
        assert_eq!(read_rejected(&path).unwrap(), vec![]);
        let rejected = vec![Rejected { case: "c".into(), engine: "e".into(), got: "41".into() }];
        std::fs::write(&path, serde_json::to_string(&rejected).unwrap()).unwrap();
        assert_eq!(read_rejected(&path).unwrap(), rejected);
    }
}
