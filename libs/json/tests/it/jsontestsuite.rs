//! Every file of JSONTestSuite's `test_parsing/` gives CPython 3.11's verdict, and for
//! rejections CPython's message and position, as recorded in `cpython_reference.tsv`.

use pyaot_json::{ErrorKind, from_slice, from_str};

struct Row {
    file: String,
    mode: String,
    result: String,
    exception: String,
    message: String,
}

fn rows() -> Vec<Row> {
    let tsv =
        std::fs::read_to_string(pyaot_testdata::path("json/JSONTestSuite/cpython_reference.tsv").unwrap()).unwrap();
    tsv.lines()
        .skip(1)
        .map(|line| {
            let f: Vec<&str> = line.split('\t').collect();
            Row {
                file: f[0].into(),
                mode: f[2].into(),
                result: f[3].into(),
                exception: f[4].into(),
                message: f[5].into(),
            }
        })
        .collect()
}

/// Checks one outcome against its row; returns a description of the mismatch, if any.
fn compare(row: &Row, outcome: Result<pyaot_json::Value, pyaot_json::Error>) -> Option<String> {
    match (row.result.as_str(), row.exception.as_str(), outcome) {
        ("ACCEPT", _, Ok(_)) => None,
        ("REJECT", "JSONDecodeError", Err(e)) if e.to_string() == row.message => None,
        ("REJECT", "RecursionError", Err(e)) if e.is_depth_limit() => None,
        ("REJECT", "UnicodeDecodeError", Err(e)) if matches!(e.kind(), ErrorKind::InvalidEncoding(_)) => None,
        (_, _, outcome) => Some(format!(
            "{} ({}): CPython {} {} {:?}, we {:?}",
            row.file, row.mode, row.result, row.exception, row.message, outcome
        )),
    }
}

#[test]
fn every_file_gets_cpythons_verdict_and_message() {
    let dir = pyaot_testdata::path("json/JSONTestSuite/test_parsing").unwrap();
    let rows = rows();
    let mut files: Vec<String> = rows.iter().map(|r| r.file.clone()).collect();
    files.dedup();
    assert_eq!(files.len(), 318, "every test_parsing file has rows");
    let mut failures = Vec::new();
    for row in &rows {
        let bytes = std::fs::read(dir.join(&row.file)).unwrap();
        let failure = match row.mode.as_str() {
            "bytes" => compare(row, from_slice(&bytes)),
            "str_utf8" => match std::str::from_utf8(&bytes) {
                Ok(text) => compare(row, from_str(text)),
                // CPython could not even read the file as UTF-8 text; neither can Rust.
                Err(_) if row.exception == "UnicodeDecodeError(file read)" => None,
                Err(e) => Some(format!("{}: not UTF-8 ({e}) but CPython read it", row.file)),
            },
            mode => Some(format!("unknown mode {mode}")),
        };
        failures.extend(failure);
    }
    assert!(failures.is_empty(), "{} mismatches:\n{}", failures.len(), failures.join("\n"));
}
