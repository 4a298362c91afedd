//! What the tokenizer benches share: each case's encoding and texts, the digest of the ids every
//! engine must reproduce, the engines, and a runner.
//!
//! The runner does what `inproc::bench_suite` does (check every engine against the case's
//! `result`, record the wrong ones in `PYAOT_BENCH_CHECKS`, time the right ones with criterion in
//! the group named after the suite, ids `engine/case`, fail at the end if any was wrong), but gives
//! each engine its case's encoding and texts rather than the input file's bytes: a case is
//! `<encoding>-<corpus>` (texts from the input file), `<encoding>-<kind>-<size>` (a generated worst
//! case) or `<encoding>` alone (one short sentence). It also times one cold first pass per engine
//! and case, with a freshly built encoder where the library can make one, and writes them beside
//! the checks (`cold.json`). `bench-harness/python/tokenizer_cases.py` is the Python twin of the
//! texts and the digest, and computes the expected results with tiktoken.

#![allow(dead_code, reason = "shared by several bench targets, which each use a part")]

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion, SamplingMode, Throughput};
use pyaot_bench_harness::criterion_results::{CHECKS_ENV, Rejected};
use pyaot_bench_harness::inproc::{load_suite, read_input};
use pyaot_bench_harness::suite::Case;
use sha2::{Digest, Sha256};

/// What the load suite encodes once an encoding is built.
pub const SENTENCE: &str = "Hello, world! Loading an encoding, cold.";

/// One encoder: a text to its token ids.
pub type Encode = Box<dyn Fn(&str) -> Vec<u32>>;

/// Makes an encoder for an encoding name (`"cl100k_base"`).
pub type MakeEncode = Box<dyn Fn(&'static str) -> Encode>;

/// A Rust tokenizer competing in a tokenizer suite.
pub struct Engine {
    /// The name the suite declares it under.
    pub name: &'static str,
    /// The encoder that is checked and timed (the library's shared one where it has one).
    pub shared: MakeEncode,
    /// A freshly built encoder for the cold first pass; `None` when the library has only the
    /// shared one.
    pub fresh: Option<MakeEncode>,
}

impl Engine {
    /// An engine with only a shared encoder.
    pub fn new(name: &'static str, shared: impl Fn(&'static str) -> Encode + 'static) -> Self {
        Engine { name, shared: Box::new(shared), fresh: None }
    }

    /// Adds the way to build a fresh encoder for the cold pass.
    pub fn fresh(mut self, fresh: impl Fn(&'static str) -> Encode + 'static) -> Self {
        self.fresh = Some(Box::new(fresh));
        self
    }
}

/// The ids of an encoder, whether the library returns them or a `Result` of them.
pub trait Ids {
    /// The ids; panics on an error (which the check reports as `<panicked>`).
    fn ids(self) -> Vec<u32>;
}

impl Ids for Vec<u32> {
    fn ids(self) -> Vec<u32> {
        self
    }
}

impl<E: std::fmt::Debug> Ids for Result<Vec<u32>, E> {
    fn ids(self) -> Vec<u32> {
        self.expect("the text encodes")
    }
}

/// The three encoders of the encoding suites: tiktoken-rs (baseline), ours, bpe-openai.
pub fn encode_engines() -> Vec<Engine> {
    vec![
        Engine::new("tiktoken-rs", |name| {
            let bpe = match name {
                "cl100k_base" => tiktoken_rs::cl100k_base_singleton(),
                "o200k_base" => tiktoken_rs::o200k_base_singleton(),
                _ => unreachable!("encoding_name gives only these"),
            };
            Box::new(move |text| bpe.encode_ordinary(text))
        })
        .fresh(|name| {
            let bpe = tiktoken_fresh(name);
            Box::new(move |text| bpe.encode_ordinary(text))
        }),
        Engine::new("pyaot-tokenizer", |name| {
            let enc = pyaot_tokenizer::Encoding::get(name).expect("a bundled encoding");
            Box::new(move |text| enc.encode_ordinary(text).ids())
        })
        .fresh(|name| {
            let enc = pyaot_tokenizer::Encoding::load(name).expect("a bundled encoding");
            Box::new(move |text| enc.encode_ordinary(text).ids())
        }),
        // One static tokenizer per encoding (deserialized on first use): no fresh one to build.
        Engine::new("bpe-openai", |name| {
            let tokenizer = match name {
                "cl100k_base" => bpe_openai::cl100k_base(),
                "o200k_base" => bpe_openai::o200k_base(),
                _ => unreachable!("encoding_name gives only these"),
            };
            Box::new(move |text| tokenizer.encode(text))
        }),
    ]
}

/// A new tiktoken-rs CoreBPE (built from its bundled ranks, not its singleton).
pub fn tiktoken_fresh(name: &str) -> tiktoken_rs::CoreBPE {
    match name {
        "cl100k_base" => tiktoken_rs::cl100k_base(),
        "o200k_base" => tiktoken_rs::o200k_base(),
        _ => unreachable!("encoding_name gives only these"),
    }
    .expect("tiktoken-rs builds its bundled encodings")
}

/// The encoding a case uses: `"cl100k-corpus"` and `"cl100k_base"` -> `"cl100k_base"`.
pub fn encoding_name(case: &str) -> &'static str {
    match case.split_once('-').map_or(case, |(prefix, _)| prefix) {
        "cl100k" | "cl100k_base" => "cl100k_base",
        "o200k" | "o200k_base" => "o200k_base",
        other => panic!("case {case:?}: unknown encoding {other:?} (cl100k or o200k)"),
    }
}

/// The texts a case encodes (see the module docs).
pub fn case_texts(case: &Case) -> Vec<String> {
    if case.input.is_some() {
        let bytes = read_input(case).unwrap_or_else(|e| panic!("{e:#}"));
        return corpus_texts(&bytes);
    }
    let Some((_, rest)) = case.name.split_once('-') else {
        return vec![SENTENCE.to_owned()];
    };
    let (kind, size) = rest.rsplit_once('-').unwrap_or_else(|| panic!("case {:?}: <enc>-<kind>-<size>", case.name));
    let size = match size {
        "10KB" => 10_000,
        "100KB" => 100_000,
        "1MB" => 1_000_000,
        _ => panic!("case {:?}: size is 10KB, 100KB or 1MB", case.name),
    };
    vec![worst_text(kind, size)]
}

/// The texts of a JSON corpus: a list of strings, or an object's string values in key order.
pub fn corpus_texts(bytes: &[u8]) -> Vec<String> {
    let value: serde_json::Value = serde_json::from_slice(bytes).expect("a corpus is JSON");
    let strings = |values: Vec<&serde_json::Value>| -> Vec<String> {
        values.into_iter().map(|v| v.as_str().expect("a corpus holds strings").to_owned()).collect()
    };
    match &value {
        serde_json::Value::Array(items) => strings(items.iter().collect()),
        serde_json::Value::Object(map) => {
            let mut entries: Vec<_> = map.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            strings(entries.into_iter().map(|(_, v)| v).collect())
        }
        _ => panic!("a corpus is a list or an object of strings"),
    }
}

/// A deterministic ASCII text of `size` bytes without whitespace, the same as
/// `tokenizer_cases.worst_text`: `repeat` is "a" repeated, `letters` random a-z, `nospace` random
/// printable ASCII but the space, drawn with a 64-bit LCG (Knuth's MMIX constants), seed 42.
pub fn worst_text(kind: &str, size: usize) -> String {
    let alphabet: Vec<u8> = match kind {
        "repeat" => return "a".repeat(size),
        "letters" => (b'a'..=b'z').collect(),
        "nospace" => (0x21..0x7F).collect(),
        _ => panic!("worst-case kind {kind:?} is repeat, letters or nospace"),
    };
    let mut state: u64 = 42;
    let bytes = (0..size)
        .map(|_| {
            state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            alphabet[((state >> 33) % alphabet.len() as u64) as usize]
        })
        .collect();
    String::from_utf8(bytes).expect("ASCII")
}

/// `texts=N tokens=T sha256=H`: H hashes each text's ids as little-endian u32 followed by
/// `u32::MAX`.
pub fn digest<'a>(ids_per_text: impl IntoIterator<Item = &'a [u32]>) -> String {
    let mut hasher = Sha256::new();
    let (mut texts, mut tokens) = (0, 0);
    for ids in ids_per_text {
        for id in ids {
            hasher.update(id.to_le_bytes());
        }
        hasher.update(u32::MAX.to_le_bytes());
        texts += 1;
        tokens += ids.len();
    }
    let hex: String = hasher.finalize().iter().map(|b| format!("{b:02x}")).collect();
    format!("texts={texts} tokens={tokens} sha256={hex}")
}

/// Encodes every text, one call per text, and drops the ids: the timed work.
fn encode_all(encode: &Encode, texts: &[String]) {
    for text in texts {
        drop(black_box(encode(black_box(text))));
    }
}

/// One engine's cold first pass over one case.
#[derive(serde::Serialize)]
struct Cold {
    case: String,
    engine: String,
    cold_ns: u128,
}

/// Checks, cold-times and times every engine on every case of `suite` (see the module docs).
///
/// Sampling is flat with 10 samples per benchmark: one pass over a large corpus or a 1 MB text
/// takes up to a second, too long for criterion's default 100 linearly growing samples.
///
/// # Panics
///
/// When the suite and the engines do not match, an input is missing, or any engine gave a wrong
/// answer (after timing the correct ones), so that `cargo bench` fails.
pub fn run(c: &mut Criterion, suite: &str, engines: &[Engine]) {
    let suite = load_suite(suite).unwrap_or_else(|e| panic!("{e:#}"));
    let declared: Vec<&str> = suite.engines.iter().map(|e| e.name.as_str()).collect();
    let provided: Vec<&str> = engines.iter().map(|e| e.name).collect();
    assert_eq!(declared, provided, "suite {:?}: the bench must provide the declared engines, in order", suite.name);

    let mut group = c.benchmark_group(&suite.name);
    group.sample_size(10).sampling_mode(SamplingMode::Flat);
    // scripts/bench --quick passes its own times; otherwise the harness's usual 3 s.
    if !std::env::args().any(|arg| arg == "--measurement-time") {
        group.measurement_time(Duration::from_secs(3));
    }
    let mut rejected = Vec::new();
    let mut colds = Vec::new();
    let mut timed = Vec::new();
    for case in &suite.cases {
        let encoding = encoding_name(&case.name);
        let texts = case_texts(case);
        for engine in engines {
            // Cold: a fresh encoder (its building, and any lazy set-up, not timed) on its first texts.
            let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                let fresh = engine.fresh.as_ref().unwrap_or(&engine.shared)(encoding);
                drop(black_box(fresh("")));
                let start = Instant::now();
                encode_all(&fresh, &texts);
                let cold = start.elapsed().as_nanos();
                let shared = (engine.shared)(encoding);
                let ids: Vec<Vec<u32>> = texts.iter().map(|text| shared(text)).collect();
                (cold, shared, digest(ids.iter().map(Vec::as_slice)))
            }));
            match outcome {
                Ok((cold, shared, answer)) if case.expected().matches(answer.as_bytes()) => {
                    eprintln!("cold first pass: {} / {}: {:.3} ms", case.name, engine.name, cold as f64 / 1e6);
                    colds.push(Cold { case: case.name.clone(), engine: engine.name.to_owned(), cold_ns: cold });
                    timed.push((case, engine.name, shared));
                }
                Ok((_, _, answer)) => {
                    rejected.push(Rejected { case: case.name.clone(), engine: engine.name.to_owned(), got: answer });
                }
                Err(_) => rejected.push(Rejected {
                    case: case.name.clone(),
                    engine: engine.name.to_owned(),
                    got: "<panicked>".to_owned(),
                }),
            }
        }
        for (case, engine, encode) in timed.drain(..) {
            group.throughput(Throughput::Bytes(texts.iter().map(|t| t.len() as u64).sum()));
            group.bench_with_input(BenchmarkId::new(engine, &case.name), &texts, |b, texts| {
                b.iter(|| encode_all(&encode, texts));
            });
        }
    }
    group.finish();
    if let Some(path) = std::env::var_os(CHECKS_ENV) {
        let path = Path::new(&path);
        let json = serde_json::to_string_pretty(&rejected).expect("rejections serialize");
        std::fs::write(path, json).unwrap_or_else(|e| panic!("writing {}: {e}", path.display()));
        let cold = path.with_file_name("cold.json");
        let json = serde_json::to_string_pretty(&colds).expect("cold times serialize");
        std::fs::write(&cold, json).unwrap_or_else(|e| panic!("writing {}: {e}", cold.display()));
    }
    if !rejected.is_empty() {
        let lines: Vec<String> =
            rejected.iter().map(|r| format!("{} / {}: got {:?}", r.case, r.engine, r.got)).collect();
        panic!("wrong answers, not timed:\n{}", lines.join("\n"));
    }
}
