//! The built-in encodings: their patterns and special tokens, and (feature `bundled`) their
//! bundled rank files.

#[cfg(feature = "bundled")]
use std::sync::OnceLock;

use crate::encoding::Encoding;
use crate::error::Error;
use crate::split::{CL100K_PATTERN, O200K_PATTERN, R50K_PATTERN};

/// The built-in encodings, in tiktoken's `list_encoding_names` order.
pub(crate) const NAMES: &[&str] =
    &["gpt2", "r50k_base", "p50k_base", "p50k_edit", "cl100k_base", "o200k_base", "o200k_harmony"];

#[cfg(feature = "bundled")]
static R50K: &[u8] = include_bytes!("../vocab/r50k_base.tiktoken");
#[cfg(feature = "bundled")]
static P50K: &[u8] = include_bytes!("../vocab/p50k_base.tiktoken");
#[cfg(feature = "bundled")]
static CL100K: &[u8] = include_bytes!("../vocab/cl100k_base.tiktoken");
#[cfg(feature = "bundled")]
static O200K: &[u8] = include_bytes!("../vocab/o200k_base.tiktoken");

const ENDOFTEXT: &str = "<|endoftext|>";
const FIM_PREFIX: &str = "<|fim_prefix|>";
const FIM_MIDDLE: &str = "<|fim_middle|>";
const FIM_SUFFIX: &str = "<|fim_suffix|>";
const ENDOFPROMPT: &str = "<|endofprompt|>";

/// The bundled rank file of a built-in encoding.
#[cfg(feature = "bundled")]
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
#[cfg(feature = "bundled")]
pub(crate) fn get(name: &str) -> Result<&'static Encoding, Error> {
    static CELLS: [OnceLock<Encoding>; 7] = [const { OnceLock::new() }; 7];
    let index = NAMES.iter().position(|&n| n == name).ok_or_else(|| Error::UnknownEncoding(name.to_owned()))?;
    if let Some(encoding) = CELLS[index].get() {
        return Ok(encoding);
    }
    let encoding = load(name)?;
    Ok(CELLS[index].get_or_init(|| encoding))
}

/// Builds a built-in encoding from its bundled rank file.
#[cfg(feature = "bundled")]
pub(crate) fn load(name: &str) -> Result<Encoding, Error> {
    let rank_file = bundled_rank_file(name).ok_or_else(|| Error::UnknownEncoding(name.to_owned()))?;
    with_rank_file(name, rank_file)
}

/// A built-in encoding's split pattern, its number of mergeable tokens and its special tokens.
struct Definition {
    pattern: &'static str,
    mergeable: usize,
    specials: Vec<(String, u32)>,
}

fn definition(name: &str) -> Result<Definition, Error> {
    let specials = |tokens: &[(&str, u32)]| tokens.iter().map(|&(t, r)| (t.to_owned(), r)).collect::<Vec<_>>();
    let (pattern, mergeable, specials) = match name {
        "gpt2" | "r50k_base" => (R50K_PATTERN, 50256, specials(&[(ENDOFTEXT, 50256)])),
        "p50k_base" => (R50K_PATTERN, 50280, specials(&[(ENDOFTEXT, 50256)])),
        "p50k_edit" => (
            R50K_PATTERN,
            50280,
            specials(&[(ENDOFTEXT, 50256), (FIM_PREFIX, 50281), (FIM_MIDDLE, 50282), (FIM_SUFFIX, 50283)]),
        ),
        "cl100k_base" => (
            CL100K_PATTERN,
            100256,
            specials(&[
                (ENDOFTEXT, 100257),
                (FIM_PREFIX, 100258),
                (FIM_MIDDLE, 100259),
                (FIM_SUFFIX, 100260),
                (ENDOFPROMPT, 100276),
            ]),
        ),
        "o200k_base" => (O200K_PATTERN, 199998, specials(&[(ENDOFTEXT, 199999), (ENDOFPROMPT, 200018)])),
        "o200k_harmony" => (O200K_PATTERN, 199998, harmony_specials()),
        _ => return Err(Error::UnknownEncoding(name.to_owned())),
    };
    Ok(Definition { pattern, mergeable, specials })
}

/// The built-in encoding `name` (its pattern and special tokens) with the ranks of `rank_file`,
/// which must be that encoding's rank file (it is checked by its number of tokens).
pub(crate) fn with_rank_file(name: &str, rank_file: &[u8]) -> Result<Encoding, Error> {
    let Definition { pattern, mergeable, specials } = definition(name)?;
    let encoding = Encoding::from_tiktoken(name, pattern, rank_file, specials)?;
    if encoding.mergeable_count() != mergeable {
        return Err(Error::InvalidVocabulary(format!(
            "{name} has {mergeable} mergeable tokens and this rank file has {}: it is not {name}'s rank file",
            encoding.mergeable_count()
        )));
    }
    Ok(encoding)
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
