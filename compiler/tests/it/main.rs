//! Integration tests of the `pyaot` binary.

use std::process::Command;

fn pyaot(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_pyaot")).args(args).output().expect("pyaot runs")
}

#[test]
fn version_is_printed() {
    let out = pyaot(&["--version"]);
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stdout), format!("pyaot {}\n", env!("CARGO_PKG_VERSION")));
}

#[test]
fn no_arguments_print_usage_and_fail() {
    let out = pyaot(&[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("usage: pyaot FILE.py"));
}

#[test]
fn compiling_is_refused_plainly_until_the_compiler_lands() {
    let out = pyaot(&["examples/fibonacci.py"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty(), "nothing may look like program output");
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot compile Python programs yet"));
}
