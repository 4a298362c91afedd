//! Trains a byte-level BPE tokenizer with the reference configuration and prints its
//! vocabulary and merges as JSON.
//!
//! ```text
//! cargo run --release -p pyaot-tokenizer --features train,parallel --example train -- \
//!     [--vocab-size 32000] [--min-frequency 0] [--out FILE] [--progress] [--summary] [--timings] INPUT
//! ```
//!
//! The configuration is HuggingFace's `Tokenizer(models.BPE())` with
//! `pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)` and
//! `BpeTrainer(vocab_size=N, min_frequency=M, initial_alphabet=ByteLevel.alphabet())`, trained
//! with `train_from_iterator(documents)`. INPUT is a `.json` file (a list of strings, one
//! document each) or a text file (one document per line, without its newline). The output is
//! `{"vocab":[token by id...],"merges":[[a,b]...]}` (compact, UTF-8), to standard output or FILE;
//! with `--summary` only `vocab=N`. `--progress` draws progress bars, `--timings` prints the time
//! of each step on standard error.
//! `RAYON_NUM_THREADS=1` trains on one thread.

use std::io::Write;
use std::process::ExitCode;
use std::time::Instant;

use pyaot_tokenizer::byte_level;
use pyaot_tokenizer::train::{BpeTrainer, count_byte_level};

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("train: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let mut vocab_size = 32000;
    let mut min_frequency = 0;
    let mut out = None;
    let mut input = None;
    let mut progress = false;
    let mut timings = false;
    let mut summary = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or_else(|| format!("{name} needs a value"));
        match arg.as_str() {
            "--vocab-size" => vocab_size = value(&arg)?.parse().map_err(|e| format!("--vocab-size: {e}"))?,
            "--min-frequency" => min_frequency = value(&arg)?.parse().map_err(|e| format!("--min-frequency: {e}"))?,
            "--out" => out = Some(value(&arg)?),
            "--progress" => progress = true,
            "--timings" => timings = true,
            "--summary" => summary = true,
            _ if input.is_none() && !arg.starts_with("--") => input = Some(arg),
            _ => return Err(format!("unexpected argument {arg:?}")),
        }
    }
    let input = input.ok_or(
        "usage: train [--vocab-size N] [--min-frequency M] [--out FILE] [--progress] [--summary] [--timings] INPUT",
    )?;
    let start = Instant::now();
    let text = std::fs::read_to_string(&input).map_err(|e| format!("{input}: {e}"))?;
    let documents: Vec<String>;
    let lines: Vec<&str> = if input.ends_with(".json") {
        documents = serde_json::from_str(&text).map_err(|e| format!("{input}: {e}"))?;
        documents.iter().map(String::as_str).collect()
    } else {
        text.lines().collect()
    };
    let read = start.elapsed();
    let words = count_byte_level(&lines, progress);
    let counted = start.elapsed();
    let trainer = BpeTrainer {
        vocab_size,
        min_frequency,
        show_progress: progress,
        initial_alphabet: byte_level::alphabet().collect(),
        ..BpeTrainer::default()
    };
    let trained = trainer.train(&words);
    let trained_at = start.elapsed();
    let vocab = serde_json::to_string(&trained.vocab).map_err(|e| e.to_string())?;
    let merges = serde_json::to_string(&trained.merges).map_err(|e| e.to_string())?;
    let bytes = if summary {
        format!("vocab={}\n", trained.vocab.len())
    } else {
        format!("{{\"vocab\":{vocab},\"merges\":{merges}}}\n")
    };
    match out {
        Some(path) => std::fs::write(&path, &bytes).map_err(|e| format!("{path}: {e}"))?,
        None => std::io::stdout().write_all(bytes.as_bytes()).map_err(|e| e.to_string())?,
    }
    if timings {
        eprintln!(
            "read {:?}, count {:?} ({} words), train {:?} ({} merges), total {:?}",
            read,
            counted - read,
            words.len(),
            trained_at - counted,
            trained.merges.len(),
            start.elapsed()
        );
    }
    Ok(())
}
