//! `pyaot`: compiles a Python program to a native executable and runs it.
//!
//! **Status: the compiler is not implemented yet** (tracked by the compiler + runtime issue).
//! Until it lands, the binary knows its command line and says plainly that it cannot compile;
//! it never pretends to run a program.
//!
//! The planned pipeline: parse with `ruff_python_parser`, lower into the compiler's HIR, resolve
//! names and modules, infer types, lower to a typed IR, generate Rust per module, build it with
//! `rustc` against prebuilt rlibs of `pyaot-runtime` and the libraries, and cache the result by
//! a content hash of every input. Programs either print byte-for-byte what CPython prints or
//! are refused with a diagnostic naming the line and the unsupported feature.

use std::process::ExitCode;

const USAGE: &str = "\
usage: pyaot FILE.py [ARGS...]          compile (cached) and run
       pyaot build [--binary|--shared] FILE.py [-o OUT]
       pyaot check FILE.py              diagnostics only
       pyaot emit FILE.py               show the generated code
       pyaot --version | --help";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("--version" | "-V") => {
            println!("pyaot {}", env!("CARGO_PKG_VERSION"));
            ExitCode::SUCCESS
        }
        Some("--help" | "-h") => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        None => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
        Some(_) => {
            eprintln!(
                "error: pyaot cannot compile Python programs yet: the compiler has not landed \
                 (see README.md, section \"compiler\")"
            );
            ExitCode::FAILURE
        }
    }
}
