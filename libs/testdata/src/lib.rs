//! `pyaot-testdata`: finds the test and benchmark data that pyaot's tests and benchmarks read.
//!
//! The data (JSON documents, JSONTestSuite, tokenizer vocabularies and corpora, regex
//! haystacks) is large and is not part of the repository. It lives in one directory, found by
//! these rules, in order:
//!
//! 1. the `PYAOT_DATA` environment variable, when it is set and not empty; an override that
//!    names a missing directory is an error (never a silent fall back);
//! 2. otherwise `../shared/data` relative to the workspace root.
//!
//! A missing directory is an error whose message names both places. The Python twin,
//! `libs/testdata/pyaot_testdata.py`, follows the same rules for pytest.
//!
//! This crate is for tests, benchmarks and tools; libraries never depend on it.
//!
//! # Example
//!
//! ```no_run
//! let twitter = pyaot_testdata::path("json/docs/twitter.json")?;
//! let text = std::fs::read_to_string(twitter)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::ffi::OsStr;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The environment variable that overrides where the data is.
pub const ENV_VAR: &str = "PYAOT_DATA";

/// The fallback location, relative to the workspace root.
pub const FALLBACK: &str = "../shared/data";

/// The workspace root (the directory holding the top-level `Cargo.toml`).
///
/// Found at run time, walking up from `CARGO_MANIFEST_DIR` (set by cargo for tests, benches
/// and `cargo run`) or the current directory; the path this crate was compiled at is only the
/// last resort, because cargo may reuse a build of this crate made in another checkout that
/// shares the target directory.
pub fn workspace_root() -> &'static Path {
    static ROOT: OnceLock<PathBuf> = OnceLock::new();
    ROOT.get_or_init(|| {
        let compiled_at = Path::new(env!("CARGO_MANIFEST_DIR"));
        let starts = [std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from), std::env::current_dir().ok()];
        starts
            .into_iter()
            .flatten()
            .find_map(|start| find_workspace_root(&start))
            .or_else(|| find_workspace_root(compiled_at))
            .unwrap_or_else(|| compiled_at.to_path_buf())
    })
}

/// The nearest ancestor of `start` (or `start` itself) whose `Cargo.toml` declares `[workspace]`.
pub fn find_workspace_root(start: &Path) -> Option<PathBuf> {
    start.ancestors().find_map(|dir| {
        let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).ok()?;
        manifest.lines().any(|line| line.trim() == "[workspace]").then(|| dir.to_path_buf())
    })
}

/// The data directory, from `PYAOT_DATA` or the fallback beside the workspace.
///
/// # Errors
///
/// When the chosen directory does not exist; the message names both places.
pub fn data_dir() -> Result<PathBuf, DataDirError> {
    locate(std::env::var_os(ENV_VAR).as_deref(), workspace_root())
}

/// A file or directory inside the data directory, e.g. `path("vocab/cl100k_base.tiktoken")`.
///
/// # Errors
///
/// When the data directory is missing, or the path does not exist inside it.
pub fn path(relative: impl AsRef<Path>) -> Result<PathBuf, DataDirError> {
    let dir = data_dir()?;
    let full = dir.join(relative.as_ref());
    if full.exists() {
        Ok(full)
    } else {
        Err(DataDirError(Kind::MissingEntry { dir, relative: relative.as_ref().to_path_buf() }))
    }
}

/// The rules of [`data_dir`] with their inputs made explicit: the value of `PYAOT_DATA` (if any)
/// and the workspace root. Exposed so that the rules can be tested without touching the
/// process environment.
///
/// # Errors
///
/// When the chosen directory does not exist; the message names both places.
pub fn locate(env_value: Option<&OsStr>, workspace_root: &Path) -> Result<PathBuf, DataDirError> {
    let fallback = workspace_root.join(FALLBACK);
    let override_dir = env_value.filter(|v| !v.is_empty()).map(PathBuf::from);
    let chosen = override_dir.as_ref().unwrap_or(&fallback);
    if chosen.is_dir() { Ok(chosen.clone()) } else { Err(DataDirError(Kind::MissingDir { override_dir, fallback })) }
}

/// The data directory, or a path inside it, does not exist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataDirError(Kind);

#[derive(Debug, Clone, PartialEq, Eq)]
enum Kind {
    MissingDir { override_dir: Option<PathBuf>, fallback: PathBuf },
    MissingEntry { dir: PathBuf, relative: PathBuf },
}

impl fmt::Display for DataDirError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Kind::MissingDir { override_dir: Some(dir), fallback } => write!(
                f,
                "test data directory not found: {ENV_VAR} is set to {}, which is not a directory \
                 (the fallback {} is not used while {ENV_VAR} is set)",
                dir.display(),
                fallback.display(),
            ),
            Kind::MissingDir { override_dir: None, fallback } => write!(
                f,
                "test data directory not found: {ENV_VAR} is not set and the fallback {} is not \
                 a directory; set {ENV_VAR} to the data directory (see ../shared/data/README.md)",
                fallback.display(),
            ),
            Kind::MissingEntry { dir, relative } => {
                write!(f, "{} not found in the test data directory {}", relative.display(), dir.display(),)
            }
        }
    }
}

impl std::error::Error for DataDirError {}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("pyaot-testdata-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn override_wins_over_fallback() {
        let root = scratch("override");
        let data = root.join("elsewhere");
        std::fs::create_dir_all(&data).unwrap();
        std::fs::create_dir_all(root.join("ws/../shared/data")).unwrap();
        let found = locate(Some(data.as_os_str()), &root.join("ws")).unwrap();
        assert_eq!(found, data);
    }

    #[test]
    fn fallback_is_beside_the_workspace() {
        let root = scratch("fallback");
        std::fs::create_dir_all(root.join("ws")).unwrap();
        std::fs::create_dir_all(root.join("shared/data")).unwrap();
        let found = locate(None, &root.join("ws")).unwrap();
        assert_eq!(found.canonicalize().unwrap(), root.join("shared/data").canonicalize().unwrap());
        // An empty variable counts as unset, as in a shell's `PYAOT_DATA= cargo test`.
        let found = locate(Some(OsStr::new("")), &root.join("ws")).unwrap();
        assert!(found.ends_with(FALLBACK));
    }

    #[test]
    fn missing_override_is_an_error_naming_both_places() {
        let root = scratch("missing-override");
        std::fs::create_dir_all(root.join("shared/data")).unwrap();
        let err = locate(Some(OsStr::new("/no/such/pyaot/data")), &root.join("ws")).unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("PYAOT_DATA is set to /no/such/pyaot/data"), "{msg}");
        assert!(msg.contains(&root.join("ws").join(FALLBACK).display().to_string()), "{msg}");
    }

    #[test]
    fn missing_fallback_is_an_error_naming_both_places() {
        let root = scratch("missing-fallback");
        let err = locate(None, &root.join("ws")).unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("PYAOT_DATA is not set"), "{msg}");
        assert!(msg.contains(&root.join("ws").join(FALLBACK).display().to_string()), "{msg}");
    }

    #[test]
    fn the_workspace_root_is_found_from_any_folder_inside_it() {
        let root = workspace_root();
        assert_eq!(find_workspace_root(&root.join("libs/testdata/src")).as_deref(), Some(root));
        assert_eq!(find_workspace_root(Path::new("/")), None);
    }

    #[test]
    fn workspace_root_holds_the_workspace_manifest() {
        let manifest = std::fs::read_to_string(workspace_root().join("Cargo.toml")).unwrap();
        assert!(manifest.contains("[workspace]"));
    }

    #[test]
    fn the_shared_data_is_found() {
        // The test command runs beside ../shared/data (or with PYAOT_DATA set); this is the
        // check that every data-driven test relies on.
        let dir = data_dir().unwrap();
        assert!(dir.join("README.md").is_file(), "{}", dir.display());
        assert!(path("json/JSONTestSuite").unwrap().is_dir());
        let err = path("no/such/file").unwrap_err().to_string();
        assert!(err.starts_with("no/such/file not found in the test data directory"), "{err}");
    }
}
