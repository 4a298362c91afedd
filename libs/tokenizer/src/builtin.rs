//! The built-in encodings, from the bundled rank files.

use std::sync::OnceLock;

use crate::encoding::Encoding;
use crate::error::Error;
use crate::split::{CL100K_PATTERN, O200K_PATTERN, R50K_PATTERN};

/// The built-in encodings, in tiktoken's `list_encoding_names` order.
pub(crate) const NAMES: &[&str] =
    &["gpt2", "r50k_base", "p50k_base", "p50k_edit", "cl100k_base", "o200k_base", "o200k_harmony"];

static R50K: &[u8] = include_bytes!("../vocab/r50k_base.tiktoken");
static P50K: &[u8] = include_bytes!("../vocab/p50k_base.tiktoken");
static CL100K: &[u8] = include_bytes!("../vocab/cl100k_base.tiktoken");
static O200K: &[u8] = include_bytes!("../vocab/o200k_base.tiktoken");

const ENDOFTEXT: &str = "<|endoftext|>";
const FIM_PREFIX: &str = "<|fim_prefix|>";
const FIM_MIDDLE: &str = "<|fim_middle|>";
const FIM_SUFFIX: &str = "<|fim_suffix|>";
const ENDOFPROMPT: &str = "<|endofprompt|>";

/// The bundled rank file of a built-in encoding.
pub fn bundled_rank_file(name: &str) -> Option<&'static [u8]> {
    match name {
        "gpt2" | "r50k_base" => Some(R50K),
        "p50k_base" | "p50k_edit" => Some(P50K),
        "cl100k_base" => Some(CL100K),
        "o200k_base" | "o200k_harmony" => Some(O200K),
        _ => None,
    }
}

/// The shared instance of a built-in encoding.
pub(crate) fn get(name: &str) -> Result<&'static Encoding, Error> {
    static CELLS: [OnceLock<Encoding>; 7] = [const { OnceLock::new() }; 7];
    let index = NAMES.iter().position(|&n| n == name).ok_or_else(|| Error::UnknownEncoding(name.to_owned()))?;
    if let Some(encoding) = CELLS[index].get() {
        return Ok(encoding);
    }
    let encoding = load(name)?;
    Ok(CELLS[index].get_or_init(|| encoding))
}

/// Builds a built-in encoding.
pub(crate) fn load(name: &str) -> Result<Encoding, Error> {
    let specials = |tokens: &[(&str, u32)]| tokens.iter().map(|&(t, r)| (t.to_owned(), r)).collect::<Vec<_>>();
    match name {
        "gpt2" | "r50k_base" => Encoding::from_tiktoken(name, R50K_PATTERN, R50K, specials(&[(ENDOFTEXT, 50256)])),
        "p50k_base" => Encoding::from_tiktoken(name, R50K_PATTERN, P50K, specials(&[(ENDOFTEXT, 50256)])),
        "p50k_edit" => Encoding::from_tiktoken(
            name,
            R50K_PATTERN,
            P50K,
            specials(&[(ENDOFTEXT, 50256), (FIM_PREFIX, 50281), (FIM_MIDDLE, 50282), (FIM_SUFFIX, 50283)]),
        ),
        "cl100k_base" => Encoding::from_tiktoken(
            name,
            CL100K_PATTERN,
            CL100K,
            specials(&[
                (ENDOFTEXT, 100257),
                (FIM_PREFIX, 100258),
                (FIM_MIDDLE, 100259),
                (FIM_SUFFIX, 100260),
                (ENDOFPROMPT, 100276),
            ]),
        ),
        "o200k_base" => {
            Encoding::from_tiktoken(name, O200K_PATTERN, O200K, specials(&[(ENDOFTEXT, 199999), (ENDOFPROMPT, 200018)]))
        }
        "o200k_harmony" => Encoding::from_tiktoken(name, O200K_PATTERN, O200K, harmony_specials()),
        _ => Err(Error::UnknownEncoding(name.to_owned())),
    }
}

/// o200k_harmony's special tokens: o200k_base's, the harmony format's and reserved ids up to
/// 201087.
fn harmony_specials() -> Vec<(String, u32)> {
    let named = [
        ("<|startoftext|>", 199998),
        (ENDOFTEXT, 199999),
        ("<|return|>", 200002),
        ("<|constrain|>", 200003),
        ("<|channel|>", 200005),
        ("<|start|>", 200006),
        ("<|end|>", 200007),
        ("<|message|>", 200008),
        ("<|call|>", 200012),
        (ENDOFPROMPT, 200018),
    ];
    let mut tokens: Vec<(String, u32)> = named.iter().map(|&(t, r)| (t.to_owned(), r)).collect();
    // As in tiktoken, `<|reserved_200018|>` is a second name for `<|endofprompt|>`'s id.
    for rank in [200000, 200001, 200004, 200009, 200010, 200011].into_iter().chain(200013..201088) {
        tokens.push((format!("<|reserved_{rank}|>"), rank));
    }
    tokens
}
