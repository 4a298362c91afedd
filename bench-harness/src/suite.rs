//! The suite file format: what a benchmark computes, what the answer must be, who competes.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde::Deserialize;
use sha2::{Digest, Sha256};

/// How a suite's engines run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Whole commands, timed with hyperfine.
    Process,
    /// Rust functions, timed in-process with criterion.
    Criterion,
    /// Python callables, checked and timed in-process by `bench-harness/python/run_suite.py`
    /// in the benchmark venv (`.venv-bench`).
    Python,
}

/// One benchmark suite, as written in `bench-harness/suites/<name>.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Suite {
    /// Short name; also the criterion group and the bench target of a criterion suite.
    pub name: String,
    /// One sentence on what is measured.
    pub description: String,
    /// Process or criterion.
    pub kind: Kind,
    /// The engine every ratio is computed against.
    pub baseline: String,
    /// The competitors, declared once with their versions.
    #[serde(rename = "engine")]
    pub engines: Vec<Engine>,
    /// The inputs and their expected results.
    #[serde(rename = "case")]
    pub cases: Vec<Case>,
    /// Python suites: what each callable gets, `"text"` (the file), `"object"` (what
    /// `json.loads` makes of it) or `"none"` (nothing: the cases have no input file, and the
    /// callable does its work against the fixture, e.g. GETs from a local server).
    pub input_kind: Option<String>,
    /// Python suites: how answers are checked, `"equal"` (to the baseline's), `"roundtrip"`
    /// (`json.loads(answer)` equals the input) or `"expected"` (equal to what `expected` gives;
    /// the baseline is checked like every other engine).
    pub check: Option<String>,
    /// Python suites with `check = "expected"`: an expression giving a case's right answer,
    /// evaluated with the engines' names bound (`case`, `requests`, `fixture`).
    pub expected: Option<String>,
    /// Python suites: `"module:function"` (a module beside `run_suite.py`) giving a context
    /// manager that `run_suite.py` enters before any engine is set up and leaves when the run
    /// ends, failed or not; its value is bound as `fixture` for `setup`, `call` and `expected`
    /// (a local server, say).
    pub fixture: Option<String>,
    /// Python suites: engines whose answer must also be exactly the baseline's.
    #[serde(default)]
    pub exact: Vec<String>,
    /// Engines whose different answer means a different dialect (another regex engine's
    /// semantics), not a bug: shown as n/a and not timed, but not an error either. Our own
    /// engines are never listed here.
    #[serde(default)]
    pub may_differ: Vec<String>,
    /// Engines whose cells are marked (and listed under the table) where they are slower than
    /// the baseline: ours, where a target says "never slower".
    #[serde(default)]
    pub mark_slower: Vec<String>,
}

/// A competitor.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Engine {
    /// Name shown in tables; for criterion suites, the name the bench registers the function under.
    pub name: String,
    /// Shell command of a process engine. `{input}` becomes the case's input path, `{root}` the
    /// workspace root.
    pub command: Option<String>,
    /// A fixed version string (for crates, e.g. `"serde_json 1.0.154"`).
    pub version: Option<String>,
    /// A command whose output is the version (for tools, e.g. `"python3 --version"`).
    /// `{python}` becomes the benchmark venv's interpreter.
    pub version_command: Option<String>,
    /// Python engines: statements run once before timing (imports).
    pub setup: Option<String>,
    /// Python engines: an expression giving the callable to time.
    pub call: Option<String>,
}

/// One input and the answer every engine must give for it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    /// Short name, unique in the suite.
    pub name: String,
    /// Input file, relative to the shared data directory (see `pyaot-testdata`).
    pub input: Option<String>,
    /// Exact expected standard output (process suites).
    pub stdout: Option<String>,
    /// SHA-256 (hex) of the expected standard output (process suites, large outputs).
    pub stdout_sha256: Option<String>,
    /// Expected result string returned by each in-process engine (criterion suites).
    pub result: Option<String>,
    /// Operations one timed call performs (e.g. HTTP requests), for a rate (`req/s`) in the
    /// table; Python suites also bind it as `requests` for `call` and `expected`.
    pub requests: Option<u64>,
    /// Bytes one timed call processes when the case has no input file (e.g. downloaded body
    /// bytes), for throughput (MB/s).
    pub bytes: Option<u64>,
    /// A remark shown under the table (where the expected answer comes from, say).
    pub note: Option<String>,
}

/// What a case's answer is checked against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expected<'a> {
    /// Exact text.
    Exact(&'a str),
    /// SHA-256 of the text, lowercase hex.
    Sha256(&'a str),
}

impl Expected<'_> {
    /// Whether `actual` is the expected answer.
    pub fn matches(self, actual: &[u8]) -> bool {
        match self {
            Expected::Exact(text) => actual == text.as_bytes(),
            Expected::Sha256(hex) => sha256_hex(actual).eq_ignore_ascii_case(hex),
        }
    }
}

impl std::fmt::Display for Expected<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Expected::Exact(text) => write!(f, "{text:?}"),
            Expected::Sha256(hex) => write!(f, "output with sha256 {hex}"),
        }
    }
}

/// Lowercase hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

impl Case {
    /// The expectation this case declares.
    pub fn expected(&self) -> Expected<'_> {
        match (&self.stdout, &self.stdout_sha256, &self.result) {
            (Some(text), _, _) | (_, _, Some(text)) => Expected::Exact(text),
            (_, Some(hex), _) => Expected::Sha256(hex),
            (None, None, None) => unreachable!("Suite::parse rejects cases without an expectation"),
        }
    }

    /// The absolute path of the input file, if the case has one.
    ///
    /// # Errors
    ///
    /// When the data directory or the file is missing.
    pub fn input_path(&self) -> Result<Option<PathBuf>> {
        self.input.as_ref().map(|rel| Ok(pyaot_testdata::path(rel)?)).transpose()
    }

    /// The size of the input file in bytes (for throughput), if the case has one.
    ///
    /// # Errors
    ///
    /// When the data directory or the file is missing.
    pub fn input_len(&self) -> Result<Option<u64>> {
        self.input_path()?.map(|path| Ok(std::fs::metadata(path)?.len())).transpose()
    }

    /// The bytes one call processes, for throughput: the declared `bytes`, else the input
    /// file's size, if either is there.
    ///
    /// # Errors
    ///
    /// When the data directory or the input file is missing.
    pub fn bytes_per_call(&self) -> Result<Option<u64>> {
        match self.bytes {
            Some(bytes) => Ok(Some(bytes)),
            None => self.input_len(),
        }
    }
}

impl Suite {
    /// Reads and validates a suite file.
    ///
    /// # Errors
    ///
    /// When the file cannot be read or is not a valid suite.
    pub fn load(path: &Path) -> Result<Suite> {
        let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        Suite::parse(&text).with_context(|| format!("in suite {}", path.display()))
    }

    /// Parses and validates suite text.
    ///
    /// # Errors
    ///
    /// When the text is not TOML of the suite shape, or breaks a rule: unique names, a declared
    /// baseline, exactly one expectation per case of the right kind, a command for every process
    /// engine.
    pub fn parse(text: &str) -> Result<Suite> {
        let suite: Suite = toml::from_str(text)?;
        suite.validate()?;
        Ok(suite)
    }

    fn validate(&self) -> Result<()> {
        if self.engines.is_empty() || self.cases.is_empty() {
            bail!("suite {:?} needs at least one engine and one case", self.name);
        }
        if !self.engines.iter().any(|e| e.name == self.baseline) {
            bail!("baseline {:?} is not one of the engines", self.baseline);
        }
        if let Some(name) = first_duplicate(self.engines.iter().map(|e| e.name.as_str())) {
            bail!("engine {name:?} is declared twice");
        }
        if let Some(name) = first_duplicate(self.cases.iter().map(|c| c.name.as_str())) {
            bail!("case {name:?} is declared twice");
        }
        for engine in &self.engines {
            if self.kind == Kind::Process && engine.command.is_none() {
                bail!("process engine {:?} has no command", engine.name);
            }
            if self.kind != Kind::Process && engine.command.is_some() {
                bail!("{:?} engine {:?} runs in-process; it cannot have a command", self.kind, engine.name);
            }
            if (self.kind == Kind::Python) != engine.call.is_some() {
                bail!("engine {:?}: Python engines, and only they, have a `call`", engine.name);
            }
        }
        if let Some(name) = self.may_differ.iter().chain(&self.mark_slower).find(|name| self.engine(name).is_none()) {
            bail!("may_differ or mark_slower names {name:?}, which is not an engine");
        }
        if self.kind == Kind::Python
            && self.check.as_deref() == Some("equal")
            && self.may_differ.contains(&self.baseline)
        {
            bail!("the baseline {:?} gives the answers: it cannot be in may_differ", self.baseline);
        }
        if self.kind != Kind::Python && (self.fixture.is_some() || self.expected.is_some()) {
            bail!("only Python suites have a `fixture` or `expected`");
        }
        if let Some(case) = self.cases.iter().find(|c| c.bytes.is_some() && c.input.is_some()) {
            bail!("case {:?} has an input file, whose size is its `bytes`: it cannot declare them", case.name);
        }
        if self.kind == Kind::Python {
            return self.validate_python();
        }
        for case in &self.cases {
            let declared = [case.stdout.is_some(), case.stdout_sha256.is_some(), case.result.is_some()];
            if declared.iter().filter(|d| **d).count() != 1 {
                bail!("case {:?} must declare exactly one of stdout, stdout_sha256, result", case.name);
            }
            if (self.kind == Kind::Criterion) != case.result.is_some() {
                bail!(
                    "case {:?}: process suites check stdout or stdout_sha256, criterion suites check result",
                    case.name
                );
            }
        }
        Ok(())
    }

    fn validate_python(&self) -> Result<()> {
        if !matches!(self.input_kind.as_deref(), Some("text" | "object" | "none")) {
            bail!("Python suite {:?} needs input_kind = \"text\", \"object\" or \"none\"", self.name);
        }
        if !matches!(self.check.as_deref(), Some("equal" | "roundtrip" | "expected")) {
            bail!("Python suite {:?} needs check = \"equal\", \"roundtrip\" or \"expected\"", self.name);
        }
        if (self.check.as_deref() == Some("expected")) != self.expected.is_some() {
            bail!("Python suite {:?}: check = \"expected\" goes with an `expected` expression", self.name);
        }
        if self.input_kind.as_deref() == Some("none") && self.check.as_deref() == Some("roundtrip") {
            bail!("Python suite {:?}: with input_kind = \"none\" there is no input to round-trip", self.name);
        }
        if let Some(fixture) = &self.fixture
            && fixture.split_once(':').is_none_or(|(module, function)| module.is_empty() || function.is_empty())
        {
            bail!("fixture {fixture:?} must be \"module:function\"");
        }
        if let Some(name) = self.exact.iter().find(|name| self.engine(name).is_none()) {
            bail!("exact names {name:?}, which is not an engine");
        }
        let wants_input = self.input_kind.as_deref() != Some("none");
        for case in &self.cases {
            if case.stdout.is_some() || case.stdout_sha256.is_some() || case.result.is_some() {
                bail!(
                    "Python case {:?} declares no expected output (answers are checked against the baseline or \
                     `expected`)",
                    case.name
                );
            }
            if case.input.is_some() != wants_input {
                bail!(
                    "Python case {:?}: {}",
                    case.name,
                    if wants_input { "needs an input" } else { "input_kind = \"none\" takes no input" }
                );
            }
        }
        Ok(())
    }

    /// The engine with this name.
    pub fn engine(&self, name: &str) -> Option<&Engine> {
        self.engines.iter().find(|e| e.name == name)
    }
}

fn first_duplicate<'a>(names: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let mut seen = std::collections::HashSet::new();
    names.into_iter().find(|name| !seen.insert(*name))
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
        name = "s"
        description = "d"
        kind = "process"
        baseline = "a"
        [[engine]]
        name = "a"
        command = "echo a"
        [[engine]]
        name = "b"
        command = "echo b"
        [[case]]
        name = "c"
        stdout = "a\n"
    "#;

    #[test]
    fn a_good_suite_parses() {
        let suite = Suite::parse(GOOD).unwrap();
        assert_eq!(suite.kind, Kind::Process);
        assert_eq!(suite.engines.len(), 2);
        assert_eq!(suite.cases[0].expected(), Expected::Exact("a\n"));
    }

    #[test]
    fn broken_suites_are_rejected_with_the_reason() {
        let cases = [
            (GOOD.replace("baseline = \"a\"", "baseline = \"z\""), "baseline \"z\" is not one of the engines"),
            (GOOD.replace("name = \"b\"", "name = \"a\""), "engine \"a\" is declared twice"),
            (GOOD.replace("command = \"echo b\"", ""), "process engine \"b\" has no command"),
            (GOOD.replace("stdout = \"a\\n\"", ""), "exactly one of stdout"),
            (GOOD.replace("stdout = \"a\\n\"", "result = \"1\""), "process suites check stdout"),
            (GOOD.replace("kind = \"process\"", "kind = \"criterion\""), "cannot have a command"),
            (GOOD.replace("description", "descripton"), "unknown field"),
            (
                GOOD.replace("baseline = \"a\"", "baseline = \"a\"\nmark_slower = [\"z\"]"),
                "\"z\", which is not an engine",
            ),
        ];
        for (text, reason) in cases {
            let err = format!("{:#}", Suite::parse(&text).unwrap_err());
            assert!(err.contains(reason), "{err:?} should contain {reason:?}");
        }
    }

    #[test]
    fn expectations_match_exactly_or_by_hash() {
        assert!(Expected::Exact("ok\n").matches(b"ok\n"));
        assert!(!Expected::Exact("ok\n").matches(b"ok"));
        let hash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"; // sha256("")
        assert!(Expected::Sha256(hash).matches(b""));
        assert!(!Expected::Sha256(hash).matches(b"x"));
    }

    #[test]
    fn python_suites_check_against_the_baseline() {
        let text = r#"
            name = "p"
            description = "d"
            kind = "python"
            baseline = "json"
            input_kind = "text"
            check = "equal"
            exact = ["ours"]
            [[engine]]
            name = "json"
            setup = "import json"
            call = "json.loads"
            [[engine]]
            name = "ours"
            call = "f"
            [[case]]
            name = "c"
            input = "json/docs/twitter.json"
        "#;
        assert!(Suite::parse(text).is_ok());
        let err = format!("{:#}", Suite::parse(&text.replace("check = \"equal\"", "check = \"close\"")).unwrap_err());
        assert!(err.contains("check = \"equal\", \"roundtrip\" or \"expected\""), "{err}");
        let err =
            format!("{:#}", Suite::parse(&text.replace("exact = [\"ours\"]", "exact = [\"theirs\"]")).unwrap_err());
        assert!(err.contains("not an engine"), "{err}");
        let err =
            format!("{:#}", Suite::parse(&text.replace("exact = [\"ours\"]", "may_differ = [\"json\"]")).unwrap_err());
        assert!(err.contains("cannot be in may_differ"), "{err}");
        let err = format!("{:#}", Suite::parse(&text.replace("call = \"f\"", "")).unwrap_err());
        assert!(err.contains("only they, have a `call`"), "{err}");
    }

    #[test]
    fn python_suites_without_input_check_against_an_expression() {
        let text = r#"
            name = "p"
            description = "d"
            kind = "python"
            baseline = "a"
            input_kind = "none"
            check = "expected"
            expected = "peers.expected(fixture, case, requests)"
            fixture = "server:start"
            [[engine]]
            name = "a"
            call = "peers.engine('a', fixture, case, requests)"
            [[case]]
            name = "c"
            requests = 10
            bytes = 10240
        "#;
        let suite = Suite::parse(text).unwrap();
        assert_eq!(suite.cases[0].bytes_per_call().unwrap(), Some(10240));
        assert_eq!(suite.cases[0].requests, Some(10));
        let broken = [
            (text.replace("expected = \"peers", "unexpected = \"peers"), "unknown field"),
            (text.replace("check = \"expected\"", "check = \"equal\""), "goes with an `expected`"),
            (text.replace("server:start", "server.start()"), "must be \"module:function\""),
            (text.replace("bytes = 10240", "input = \"README.md\""), "takes no input"),
            (text.replace("input_kind = \"none\"", "input_kind = \"text\""), "needs an input"),
        ];
        for (text, reason) in broken {
            let err = format!("{:#}", Suite::parse(&text).unwrap_err());
            assert!(err.contains(reason), "{err:?} should contain {reason:?}");
        }
        let err = format!(
            "{:#}",
            Suite::parse(&GOOD.replace("stdout = \"a\\n\"", "stdout = \"a\\n\"\nbytes = 3\ninput = \"README.md\""))
                .unwrap_err()
        );
        assert!(err.contains("cannot declare them"), "{err}");
    }

    #[test]
    fn the_committed_suites_are_valid() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("suites");
        let mut count = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "toml") {
                let suite = Suite::load(&path).unwrap();
                assert_eq!(Some(suite.name.as_str()), path.file_stem().and_then(|s| s.to_str()));
                for case in &suite.cases {
                    case.input_path().unwrap();
                }
                count += 1;
            }
        }
        assert!(count > 0);
    }
}
