//! Integration tests of `pyaot-tokenizer` (one test binary for the crate).

mod encode;
mod split;
#[cfg(feature = "train")]
mod train;
mod vocab;

/// The texts of a corpus in the shared data directory: a JSON list of strings, or an object
/// whose values are strings (`adversarial.json`).
pub fn corpus(name: &str) -> Vec<String> {
    let path = pyaot_testdata::path(format!("tokenizer/{name}")).expect("shared data directory");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    match serde_json::from_str(&text).expect("JSON") {
        serde_json::Value::Array(items) => items.into_iter().map(|v| v.as_str().unwrap().to_owned()).collect(),
        serde_json::Value::Object(map) => map.into_values().map(|v| v.as_str().unwrap().to_owned()).collect(),
        other => panic!("{name}: not a list or object of strings: {other}"),
    }
}

/// A deterministic stream of texts built from characters that exercise every branch of the
/// split patterns: cased and uncased letters, combining marks, digits of several scripts, all
/// kinds of whitespace, apostrophes and contractions (with `ſ`), `/`, punctuation, emoji, CJK.
pub fn generated(count: usize, seed: u64) -> Vec<String> {
    const ATOMS: &[&str] = &[
        "a",
        "Z",
        "é",
        "É",
        "ǅ",
        "ʰ",
        "中",
        "ー",
        "\u{301}",
        "\u{903}",
        "1",
        "٣",
        "Ⅷ",
        "½",
        " ",
        "  ",
        "\t",
        "\n",
        "\r\n",
        "\r",
        "\u{a0}",
        "\u{3000}",
        "\u{2028}",
        "\u{85}",
        "\u{b}",
        "'",
        "'s",
        "'S",
        "'ſ",
        "'ll",
        "'LL",
        "'Ve",
        "'re",
        "'d",
        "'M",
        "'t",
        "/",
        "!",
        "?!",
        ".",
        ",",
        "-",
        "_",
        "😀",
        "👍🏽",
        "\u{200d}",
        "\u{feff}",
        "x",
        "hello",
        "World",
        "don't",
        "IT'S",
        "42",
        "12345",
        "\u{1F1FA}\u{1F1F8}",
        "ß",
        "İ",
        "Σ",
        "ς",
        "ǈ",
        "ǲ",
        "\u{0}",
        "<|",
        "|>",
    ];
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    (0..count)
        .map(|_| {
            let len = (next() % 24) as usize;
            (0..len).map(|_| ATOMS[(next() % ATOMS.len() as u64) as usize]).collect()
        })
        .collect()
}
