//! `cargo run -p pyaot-codegen -- check|write`: see the library docs.

use std::process::ExitCode;

use anyhow::{Result, bail};
use pyaot_codegen::{Status, capi_crates, generate_header, regex_unicode, status, unicode_table};

fn main() -> Result<ExitCode> {
    let mode = std::env::args().nth(1).unwrap_or_else(|| "check".to_owned());
    if mode != "check" && mode != "write" {
        bail!("usage: pyaot-codegen [check|write] (got {mode:?})");
    }
    let root = pyaot_testdata::workspace_root().to_path_buf();
    let mut files = Vec::new();
    for capi in capi_crates(&root)? {
        files.push(generate_header(&capi)?);
    }
    files.push(unicode_table::generate(&root)?);
    files.extend(regex_unicode::generate(&root)?);
    let mut stale = 0;
    for generated in files {
        let shown = generated.path.strip_prefix(&root).unwrap_or(&generated.path).display();
        if mode == "write" {
            std::fs::create_dir_all(generated.path.parent().expect("header has a parent"))?;
            std::fs::write(&generated.path, &generated.text)?;
            println!("wrote {shown}");
            continue;
        }
        match status(&generated)? {
            Status::Fresh => println!("fresh {shown}"),
            Status::Missing => {
                stale += 1;
                println!("MISSING {shown}");
            }
            Status::Stale { line, committed, generated } => {
                stale += 1;
                println!("STALE {shown}:{line}\n  committed: {committed}\n  generated: {generated}");
            }
        }
    }
    if stale > 0 {
        println!("{stale} generated file(s) out of date: run `cargo run -p pyaot-codegen -- write` and commit");
        return Ok(ExitCode::FAILURE);
    }
    Ok(ExitCode::SUCCESS)
}
