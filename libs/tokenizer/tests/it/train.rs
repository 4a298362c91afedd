//! BPE and WordPiece training give HuggingFace `tokenizers`' vocabulary and merges.
//!
//! Every expected answer is computed by HuggingFace in the test run: the tests run the Python
//! of `$PYAOT_PYTHON` (else the workspace's `.venv/bin/python`), which must have `tokenizers`
//! 0.23 installed (`scripts/test` installs it); without it the tests fail.

use std::io::Write;
use std::process::{Command, Stdio};

use pyaot_tokenizer::byte_level;
use pyaot_tokenizer::train::{BpeTrainer, TrainedBpe, WordCounts, WordPieceTrainer, count_byte_level};
use serde_json::{Value, json};

use crate::corpus;

/// Answers requests (a JSON list on standard input) with HuggingFace: for each, the word counts
/// its pre-tokenizer makes of the documents, and, with a trainer, the vocabulary (by id) and
/// merges it trains.
const HF_SCRIPT: &str = r#"
import json, sys
from collections import Counter
import tokenizers
from tokenizers import Tokenizer, models, pre_tokenizers, trainers
assert tokenizers.__version__.startswith("0.23."), tokenizers.__version__
out = []
for req in json.load(sys.stdin):
    pre = {
        "byte_level": lambda: pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True),
        "whitespace": pre_tokenizers.Whitespace,
    }[req["pre"]]()
    words = Counter(w for doc in req["docs"] for w, _ in pre.pre_tokenize_str(doc))
    res = {"words": words}
    kind = req.get("trainer")
    if kind:
        cfg = dict(req["config"], show_progress=False)
        if cfg.pop("byte_level_alphabet", False):
            cfg["initial_alphabet"] = pre_tokenizers.ByteLevel.alphabet()
        if kind == "bpe":
            tok, trainer = Tokenizer(models.BPE()), trainers.BpeTrainer(**cfg)
        else:
            tok, trainer = Tokenizer(models.WordPiece(unk_token="[UNK]")), trainers.WordPieceTrainer(**cfg)
        tok.pre_tokenizer = pre
        tok.train_from_iterator(req["docs"], trainer)
        model = json.loads(tok.to_str())["model"]
        res["vocab"] = [t for t, _ in sorted(model["vocab"].items(), key=lambda kv: kv[1])]
        res["merges"] = model.get("merges")
    out.append(res)
json.dump(out, sys.stdout, ensure_ascii=False)
"#;

/// The Python that has HuggingFace `tokenizers`.
fn python() -> std::path::PathBuf {
    if let Some(path) = std::env::var_os("PYAOT_PYTHON") {
        return path.into();
    }
    let path = pyaot_testdata::workspace_root().join(".venv/bin/python");
    assert!(
        path.exists(),
        "no Python with HuggingFace tokenizers: set PYAOT_PYTHON or create {} (scripts/test does)",
        path.display()
    );
    path
}

/// Runs the requests through HuggingFace.
fn hf(requests: &Value) -> Vec<Value> {
    let python = python();
    let mut child = Command::new(&python)
        .args(["-c", HF_SCRIPT])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", python.display()));
    let input = serde_json::to_vec(requests).unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let output = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    assert!(
        output.status.success(),
        "HuggingFace reference failed ({}; is `tokenizers` 0.23 installed in {}?):\n{}",
        output.status,
        python.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    match serde_json::from_slice(&output.stdout).unwrap() {
        Value::Array(results) => results,
        other => panic!("unexpected reference output {other}"),
    }
}

fn strings(value: &Value) -> Vec<String> {
    value.as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_owned()).collect()
}

fn merges(value: &Value) -> Vec<(String, String)> {
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|pair| (pair[0].as_str().unwrap().to_owned(), pair[1].as_str().unwrap().to_owned()))
        .collect()
}

fn word_counts(value: &Value) -> WordCounts {
    value.as_object().unwrap().iter().map(|(w, c)| (w, c.as_u64().unwrap())).collect()
}

/// The first documents of `train_corpus.txt` (one per line) that fit in `bytes`.
fn train_corpus_head(bytes: usize) -> Vec<String> {
    let path = pyaot_testdata::path("tokenizer/train_corpus.txt").expect("shared data directory");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut size = 0;
    text.lines()
        .take_while(|line| {
            size += line.len() + 1;
            size <= bytes
        })
        .map(str::to_owned)
        .collect()
}

/// The first difference between two lists, for a readable failure.
fn assert_same<T: PartialEq + std::fmt::Debug>(what: &str, ours: &[T], theirs: &[T]) {
    if let Some(i) = (0..ours.len().min(theirs.len())).find(|&i| ours[i] != theirs[i]) {
        panic!("{what}: first difference at {i}: ours {:?}, HuggingFace {:?}", ours[i], theirs[i]);
    }
    assert_eq!(ours.len(), theirs.len(), "{what}: lengths differ");
}

fn assert_bpe(label: &str, ours: &TrainedBpe, theirs: &Value) {
    assert_same(&format!("{label} vocab"), &ours.vocab, &strings(&theirs["vocab"]));
    assert_same(&format!("{label} merges"), &ours.merges, &merges(&theirs["merges"]));
}

/// The reference configuration: byte-level words, the byte-level initial alphabet.
fn byte_level_trainer(vocab_size: usize) -> BpeTrainer {
    BpeTrainer {
        vocab_size,
        show_progress: false,
        initial_alphabet: byte_level::alphabet().collect(),
        ..BpeTrainer::default()
    }
}

/// Trains byte-level BPE on `docs` with each vocabulary size and compares with HuggingFace.
fn check_byte_level(label: &str, docs: &[String], sizes: &[usize]) {
    let requests: Vec<Value> = sizes
        .iter()
        .map(|&n| {
            json!({"docs": docs, "pre": "byte_level", "trainer": "bpe",
                   "config": {"vocab_size": n, "min_frequency": 0, "byte_level_alphabet": true}})
        })
        .collect();
    let theirs = hf(&Value::Array(requests));
    let words = count_byte_level(docs, false);
    for (&n, theirs) in sizes.iter().zip(&theirs) {
        assert_eq!(words, word_counts(&theirs["words"]), "{label}: byte-level word counts");
        let ours = byte_level_trainer(n).train(&words);
        assert_bpe(&format!("{label} at {n}"), &ours, theirs);
    }
}

#[test]
fn byte_level_bpe_on_corpus() {
    check_byte_level("corpus.json", &corpus("corpus.json"), &[1000, 8000, 32000]);
}

#[test]
fn byte_level_bpe_on_train_corpus_head() {
    let docs = train_corpus_head(2 << 20);
    check_byte_level("train_corpus.txt (first 2 MiB)", &docs, &[1000, 8000, 32000]);
}

#[test]
fn byte_level_words_match_hf_pre_tokenizer() {
    // The GPT-2 split scanner cuts like HuggingFace's ByteLevel regex, on texts made to hit
    // every branch of the pattern (contractions, all kinds of whitespace, digits, marks).
    let mut docs = corpus("adversarial.json");
    docs.extend(crate::generated(5000, 7));
    let theirs = hf(&json!([{"docs": docs, "pre": "byte_level"}]));
    assert_eq!(count_byte_level(&docs, false), word_counts(&theirs[0]["words"]));
}

#[test]
fn min_frequency_and_special_tokens() {
    let docs = corpus("corpus.json");
    let specials = ["<s>", "<pad>", "</s>", "<s>"];
    let theirs = hf(&json!([
        {"docs": docs, "pre": "byte_level", "trainer": "bpe",
         "config": {"vocab_size": 30000, "min_frequency": 5, "byte_level_alphabet": true,
                    "special_tokens": specials}},
        {"docs": docs, "pre": "byte_level", "trainer": "bpe",
         "config": {"vocab_size": 3000, "min_frequency": 2}},
    ]));
    let words = count_byte_level(&docs, false);
    let trainer = BpeTrainer {
        min_frequency: 5,
        vocab_size: 30000,
        special_tokens: specials.iter().map(|s| (*s).to_owned()).collect(),
        ..byte_level_trainer(0)
    };
    let ours = trainer.train(&words);
    assert_eq!(ours.vocab[..3], ["<s>", "<pad>", "</s>"]);
    assert!(ours.vocab.len() < 30000, "min_frequency stops training early");
    assert_bpe("min_frequency 5, special tokens", &ours, &theirs[0]);

    // No initial alphabet: only the characters that occur.
    let trainer = BpeTrainer { vocab_size: 3000, min_frequency: 2, show_progress: false, ..BpeTrainer::default() };
    assert_bpe("min_frequency 2, no initial alphabet", &trainer.train(&words), &theirs[1]);
}

/// Whitespace-split words of corpus.json (HuggingFace's `Whitespace` pre-tokenizer).
fn whitespace_requests(configs: &[Value], trainer: &str) -> Vec<Value> {
    let docs = corpus("corpus.json");
    let requests: Vec<Value> = configs
        .iter()
        .map(|config| json!({"docs": docs, "pre": "whitespace", "trainer": trainer, "config": config}))
        .collect();
    hf(&Value::Array(requests))
}

/// The first alphabet limit from `from` on where the character counts (initial alphabet first)
/// do not tie at the cut. HuggingFace drops the least frequent characters with an unstable
/// sort, so only such limits have a defined answer.
fn untied_limit(words: &WordCounts, initial: &[char], from: usize) -> usize {
    let mut chars: rustc_hash::FxHashMap<char, u64> = Default::default();
    for (word, count) in words.iter() {
        for c in word.chars() {
            *chars.entry(c).or_default() += count;
        }
    }
    for &c in initial {
        chars.insert(c, u64::MAX);
    }
    let mut counts: Vec<u64> = chars.into_values().collect();
    counts.sort_unstable_by(|a, b| b.cmp(a));
    let limit = (from..counts.len()).find(|&l| counts[l - 1] != counts[l]).expect("an untied limit");
    assert_ne!(counts[limit - 1], counts[limit], "a tie at the cut");
    limit
}

#[test]
fn limit_alphabet() {
    let theirs = whitespace_requests(&[json!({"vocab_size": 100})], "bpe");
    let words = word_counts(&theirs[0]["words"]);
    let limits: Vec<usize> = [60, 150, 400].iter().map(|&l| untied_limit(&words, &['é', '☃'], l)).collect();
    let configs: Vec<Value> = limits
        .iter()
        .map(|&limit| json!({"vocab_size": 2000, "limit_alphabet": limit, "initial_alphabet": ["é", "☃"]}))
        .collect();
    let theirs = whitespace_requests(&configs, "bpe");
    for (&limit, theirs) in limits.iter().zip(&theirs) {
        let trainer = BpeTrainer {
            vocab_size: 2000,
            limit_alphabet: Some(limit),
            initial_alphabet: vec!['é', '☃'],
            show_progress: false,
            ..BpeTrainer::default()
        };
        assert_bpe(&format!("limit_alphabet {limit}"), &trainer.train(&words), theirs);
    }
}

#[test]
fn prefix_suffix_and_max_token_length() {
    let configs = [
        json!({"vocab_size": 3000, "continuing_subword_prefix": "##"}),
        json!({"vocab_size": 3000, "end_of_word_suffix": "</w>"}),
        json!({"vocab_size": 3000, "continuing_subword_prefix": "@@", "end_of_word_suffix": "</w>", "min_frequency": 3}),
        json!({"vocab_size": 3000, "max_token_length": 4}),
        json!({"vocab_size": 3000, "max_token_length": 2, "continuing_subword_prefix": "##"}),
    ];
    let theirs = whitespace_requests(&configs, "bpe");
    for (config, theirs) in configs.iter().zip(&theirs) {
        let words = word_counts(&theirs["words"]);
        let text = |key: &str| config.get(key).map(|v| v.as_str().unwrap().to_owned());
        let trainer = BpeTrainer {
            vocab_size: 3000,
            min_frequency: config.get("min_frequency").map_or(0, |v| v.as_u64().unwrap()),
            continuing_subword_prefix: text("continuing_subword_prefix"),
            end_of_word_suffix: text("end_of_word_suffix"),
            max_token_length: config.get("max_token_length").map(|v| v.as_u64().unwrap() as usize),
            show_progress: false,
            ..BpeTrainer::default()
        };
        // HuggingFace numbers the prefixed and suffixed symbols in a random order: take it from
        // its vocabulary.
        let order = strings(&theirs["vocab"]);
        assert_bpe(&config.to_string(), &trainer.train_with_symbol_order(&words, &order), theirs);
        if let Some(max) = trainer.max_token_length {
            // New pairs must stand for fewer than `max` characters; pairs of two characters
            // are counted before any merge, whatever the limit.
            let prefix = trainer.continuing_subword_prefix.as_deref().unwrap_or("");
            let chars = |t: &String| t.strip_prefix(prefix).unwrap_or(t).chars().count();
            assert!(trainer.train(&words).vocab.iter().all(|t| chars(t) < max.max(3)));
        }
    }
}

#[test]
fn wordpiece() {
    let words = word_counts(&whitespace_requests(&[json!({"vocab_size": 100})], "bpe")[0]["words"]);
    let limit = untied_limit(&words, &[], 1000);
    let configs = [
        json!({"vocab_size": 5000, "special_tokens": ["[UNK]", "[CLS]", "[SEP]", "[PAD]", "[MASK]"]}),
        json!({"vocab_size": 4000, "min_frequency": 2, "limit_alphabet": limit}),
    ];
    let theirs = whitespace_requests(&configs, "wordpiece");
    let first = WordPieceTrainer(BpeTrainer {
        vocab_size: 5000,
        special_tokens: ["[UNK]", "[CLS]", "[SEP]", "[PAD]", "[MASK]"].map(str::to_owned).to_vec(),
        show_progress: false,
        ..WordPieceTrainer::default().0
    });
    let order = strings(&theirs[0]["vocab"]);
    assert_same("wordpiece vocab", &first.train_with_symbol_order(&words, &order), &order);
    let ours = first.train(&words);
    assert_eq!(ours.len(), 5000);
    assert!(ours.iter().any(|t| t.starts_with("##")));

    let second = WordPieceTrainer(BpeTrainer {
        vocab_size: 4000,
        min_frequency: 2,
        limit_alphabet: Some(limit),
        special_tokens: vec![],
        ..first.0
    });
    let order = strings(&theirs[1]["vocab"]);
    assert_same("wordpiece vocab, limited", &second.train_with_symbol_order(&words, &order), &order);
}

#[test]
fn degenerate_inputs() {
    let cases = [
        (vec![], 100),
        (vec![String::new(), " ".to_owned()], 100),
        (vec!["aaaaaaa aaaa aaa bbb ab ba".to_owned()], 5),
        (vec!["aaaaaaa aaaa aaa bbb ab ba aaaaab".to_owned()], 0),
        (vec!["aaaaaaa aaaa aaa bbb ab ba abababab".to_owned()], 1000),
    ];
    let requests: Vec<Value> = cases
        .iter()
        .map(|(docs, n)| json!({"docs": docs, "pre": "byte_level", "trainer": "bpe", "config": {"vocab_size": n}}))
        .collect();
    let theirs = hf(&Value::Array(requests));
    for ((docs, n), theirs) in cases.iter().zip(&theirs) {
        let words = count_byte_level(docs, false);
        let trainer = BpeTrainer { vocab_size: *n, show_progress: false, ..BpeTrainer::default() };
        assert_bpe(&format!("{docs:?} at {n}"), &trainer.train(&words), theirs);
    }
    // The whole byte-level alphabet is kept even when the vocabulary size is smaller.
    let trained = byte_level_trainer(10).train(&count_byte_level(&["hello"], false));
    assert_eq!((trained.vocab.len(), trained.merges.len()), (256, 0));
}
