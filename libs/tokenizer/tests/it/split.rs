//! The hand-written scanners cut exactly where fancy-regex (tiktoken's engine) cuts with the
//! same pattern.

use pyaot_tokenizer::{CL100K_PATTERN, Encoding, O200K_PATTERN, R50K_PATTERN};

use crate::{corpus, generated};

fn check(pattern: &str, encoding: &str, texts: &[String]) {
    let regex = fancy_regex::Regex::new(pattern).unwrap();
    let enc = Encoding::get(encoding).unwrap();
    for text in texts {
        let expected: Vec<&str> = regex.find_iter(text).map(|m| m.unwrap().as_str()).collect();
        let actual = enc.pieces(text).unwrap();
        assert_eq!(actual, expected, "{encoding} on {text:?}");
    }
}

fn all_texts() -> Vec<String> {
    let mut texts = corpus("corpus.json");
    texts.extend(corpus("adversarial.json"));
    texts.extend(generated(20_000, 1));
    texts
}

#[test]
fn r50k_pattern_matches_fancy_regex() {
    check(R50K_PATTERN, "r50k_base", &all_texts());
}

#[test]
fn cl100k_pattern_matches_fancy_regex() {
    check(CL100K_PATTERN, "cl100k_base", &all_texts());
}

#[test]
fn o200k_pattern_matches_fancy_regex() {
    check(O200K_PATTERN, "o200k_base", &all_texts());
}

#[test]
fn every_code_point_alone_and_in_context() {
    // Each code point alone, after a space, between letters and before an apostrophe, so every
    // class decision is checked against the regex engine's tables.
    let texts: Vec<String> = (0..0x110000u32)
        .step_by(7)
        .filter_map(char::from_u32)
        .flat_map(|c| [format!("{c}"), format!(" {c}a"), format!("a{c}'s"), format!("{c}{c} 1")])
        .collect();
    for (pattern, encoding) in
        [(R50K_PATTERN, "r50k_base"), (CL100K_PATTERN, "cl100k_base"), (O200K_PATTERN, "o200k_base")]
    {
        check(pattern, encoding, &texts);
    }
}

#[test]
fn custom_patterns_run_on_fancy_regex() {
    let enc = Encoding::get("cl100k_base").unwrap();
    let ranks: Vec<(Vec<u8>, u32)> = enc.mergeable_ranks().map(|(t, r)| (t.to_vec(), r)).collect();
    let custom = Encoding::new("words", r"\w+|\W", ranks, []).unwrap();
    assert_eq!(custom.pieces("hello, world").unwrap(), ["hello", ",", " ", "world"]);
    let ranks: Vec<(Vec<u8>, u32)> = enc.mergeable_ranks().map(|(t, r)| (t.to_vec(), r)).collect();
    let bad = Encoding::new("bad", r"(", ranks, []);
    assert_eq!(bad.unwrap_err().kind(), pyaot_tokenizer::ErrorKind::InvalidPattern);
}
