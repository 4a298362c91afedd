//! The native encoder's ids for the Node tests of the WASM build: every text of the shared
//! tokenizer corpora, every built-in encoding, plus special-token cases.
//!
//! `cargo run -p pyaot-tokenizer-wasm --example reference_ids -- OUT.json` (`scripts/test` runs
//! it; the tests run it themselves when `PYAOT_WASM_REFERENCE` does not name a file).
//! The output: `{"<encoding>": {"<corpus file>": [[ids...], ...] (or `{"<key>": [ids...]}` for
//! a corpus that is an object), "specials": [[ids...] or "error: <kind>", ...]}, "special_texts":
//! [...]}`.

use std::fmt::Write as _;

use pyaot_tokenizer::{Encoding, Special};

const ENCODINGS: [&str; 6] = ["r50k_base", "gpt2", "p50k_base", "p50k_edit", "cl100k_base", "o200k_base"];
const CORPORA: [&str; 2] = ["tokenizer/corpus.json", "tokenizer/adversarial.json"];

/// Texts with special tokens, each encoded with allowed "all" (the rest disallowed, the default).
const SPECIAL_TEXTS: [&str; 5] = [
    "hello <|endoftext|> world",
    "<|fim_prefix|>a<|fim_suffix|>b<|fim_middle|>",
    "x <|endofprompt|><|endoftext|>",
    "<|endoftext",
    "<<|endoftext|>|>",
];

fn ids(out: &mut String, ids: &[u32]) {
    out.push('[');
    for (i, id) in ids.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let _ = write!(out, "{id}");
    }
    out.push(']');
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let target = std::env::args().nth(1).ok_or("usage: reference_ids OUT.json")?;
    let mut out = String::from("{");
    for (e, name) in ENCODINGS.iter().enumerate() {
        let encoding = Encoding::get(name)?;
        let _ = write!(out, "{}\"{name}\":{{", if e > 0 { "," } else { "" });
        for corpus in CORPORA {
            // A list of texts, or an object whose values are the texts (answered by key).
            let value: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(pyaot_testdata::path(corpus)?)?)?;
            let texts: Vec<(Option<&String>, &serde_json::Value)> = match &value {
                serde_json::Value::Array(texts) => texts.iter().map(|t| (None, t)).collect(),
                serde_json::Value::Object(texts) => texts.iter().map(|(k, t)| (Some(k), t)).collect(),
                _ => return Err(format!("{corpus}: not a list or object of texts").into()),
            };
            let object = matches!(value, serde_json::Value::Object(_));
            let _ = write!(out, "\"{corpus}\":{}", if object { '{' } else { '[' });
            for (i, (key, text)) in texts.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                if let Some(key) = key {
                    let _ = write!(out, "{}:", serde_json::to_string(key)?);
                }
                let text = text.as_str().ok_or_else(|| format!("{corpus}: a text is not a string"))?;
                ids(&mut out, &encoding.encode_ordinary(text)?);
            }
            out.push_str(if object { "}," } else { "]," });
        }
        out.push_str("\"specials\":[");
        for (i, text) in SPECIAL_TEXTS.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            match encoding.encode(text, Special::All, Special::None) {
                Ok(tokens) => ids(&mut out, &tokens),
                Err(e) => {
                    let _ = write!(out, "\"error: {:?}\"", e.kind());
                }
            }
        }
        out.push_str("]}");
    }
    out.push_str(",\"special_texts\":");
    out.push_str(&serde_json::to_string(&SPECIAL_TEXTS)?);
    out.push('}');
    std::fs::write(&target, out)?;
    Ok(())
}
