//! Encodes a corpus repeatedly and prints the throughput: a quick tool for profiling
//! (`perf record`, callgrind); the benchmarks proper are in bench-harness.
//!
//! ```text
//! cargo run --release -p pyaot-tokenizer --example throughput -- cl100k_base ../shared/data/tokenizer/corpus.json 20
//! ```

use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, name, path, rounds] = &args[..] else {
        eprintln!("usage: throughput ENCODING CORPUS.json ROUNDS");
        std::process::exit(2);
    };
    let text = std::fs::read_to_string(path).expect("corpus file");
    let texts = split_json_strings(&text);
    let rounds: usize = rounds.parse().expect("rounds");
    let start = Instant::now();
    let enc = pyaot_tokenizer::Encoding::get(name).expect("encoding");
    println!("load: {:.2} ms", start.elapsed().as_secs_f64() * 1e3);
    let bytes: usize = texts.iter().map(String::len).sum();
    let first = Instant::now();
    for t in &texts {
        enc.encode_ordinary(t).expect("encode");
    }
    println!("first pass: {:.1} MB/s", bytes as f64 / 1e6 / first.elapsed().as_secs_f64());
    // Warm passes: after the background build of the merge table (see `Vocab`).
    std::thread::sleep(std::time::Duration::from_millis(300));
    let mut tokens = 0;
    let start = Instant::now();
    for _ in 0..rounds {
        for t in &texts {
            tokens += enc.encode_ordinary(t).expect("encode").len();
        }
    }
    let seconds = start.elapsed().as_secs_f64();
    let split_start = Instant::now();
    let mut pieces = 0;
    for _ in 0..rounds {
        for t in &texts {
            pieces += enc.pieces(t).expect("split").len();
        }
    }
    println!(
        "split alone: {:.1} MB/s ({} pieces/round)",
        (bytes * rounds) as f64 / 1e6 / split_start.elapsed().as_secs_f64(),
        pieces / rounds
    );
    println!(
        "{} texts, {:.2} MB, {} tokens/round: {:.1} MB/s",
        texts.len(),
        bytes as f64 / 1e6,
        tokens / rounds,
        (bytes * rounds) as f64 / 1e6 / seconds
    );
}

/// The strings of a JSON list (or of an object's values) of strings, without a JSON
/// dependency: this crate has none.
fn split_json_strings(json: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = json.chars().peekable();
    let mut in_object = false;
    let mut is_key = false;
    while let Some(c) = chars.next() {
        match c {
            '{' => {
                in_object = true;
                is_key = true;
            }
            ':' => is_key = false,
            ',' if in_object => is_key = true,
            '"' => {
                let mut s = String::new();
                while let Some(c) = chars.next() {
                    match c {
                        '"' => break,
                        '\\' => match chars.next() {
                            Some('n') => s.push('\n'),
                            Some('t') => s.push('\t'),
                            Some('r') => s.push('\r'),
                            Some('b') => s.push('\u{8}'),
                            Some('f') => s.push('\u{c}'),
                            Some('u') => {
                                let hex: String = (0..4).filter_map(|_| chars.next()).collect();
                                let mut unit = u32::from_str_radix(&hex, 16).unwrap_or(0xfffd);
                                if (0xd800..0xdc00).contains(&unit) {
                                    let next: String = (0..6).filter_map(|_| chars.next()).collect();
                                    let low = u32::from_str_radix(&next[2..], 16).unwrap_or(0);
                                    unit = 0x10000 + ((unit - 0xd800) << 10) + (low - 0xdc00);
                                }
                                s.push(char::from_u32(unit).unwrap_or('\u{fffd}'));
                            }
                            Some(other) => s.push(other),
                            None => {}
                        },
                        c => s.push(c),
                    }
                }
                if !is_key {
                    out.push(s);
                }
            }
            _ => {}
        }
    }
    out
}
