//! HuggingFace's `tokenizer.json`: reading and writing, with the same field order and layout
//! as `tokenizers` writes (compact, or pretty with two-space indents).
//!
//! Reading goes through `serde_json::Value`; writing goes through [`J`], an ordered value, so
//! the output does not depend on serde_json's map order (the workspace does not turn on its
//! `preserve_order` feature, which would slow other crates down).

use serde_json::Value;

#[cfg(any(feature = "pre-tokenizers", feature = "decoders"))]
use super::PrependScheme;
#[cfg(feature = "pre-tokenizers")]
use super::SplitBehavior;
use super::added::AddedToken;
#[cfg(feature = "decoders")]
use super::decoders::Decoder;
#[cfg(feature = "wordpiece")]
use super::models::WordPiece;
use super::models::{Bpe, BpeOptions, Model};
#[cfg(feature = "normalizers")]
use super::normalizers::Normalizer;
#[cfg(feature = "pre-tokenizers")]
use super::pre_tokenizers::PreTokenizer;
#[cfg(feature = "processors")]
use super::processors::{Piece, PostProcessor, SpecialToken};
use super::{Error, Pattern, Tokenizer};

/// An ordered JSON value, for writing.
#[derive(Debug, Clone)]
pub(crate) enum J {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Arr(Vec<J>),
    Obj(Vec<(&'static str, J)>),
    /// An object with owned keys (vocabularies).
    Map(Vec<(String, J)>),
}

impl J {
    fn s(text: &str) -> J {
        J::Str(text.to_owned())
    }

    fn opt(text: Option<&str>) -> J {
        text.map_or(J::Null, J::s)
    }

    /// Serializes as serde_json does (`pretty`: its `PrettyFormatter`).
    pub(crate) fn write(&self, pretty: bool) -> String {
        let mut out = String::new();
        self.write_into(&mut out, pretty, 0);
        out
    }

    fn write_into(&self, out: &mut String, pretty: bool, depth: usize) {
        match self {
            J::Null => out.push_str("null"),
            J::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            J::Int(n) => out.push_str(&n.to_string()),
            J::Float(f) => {
                if f.is_finite() {
                    let text = f.to_string();
                    out.push_str(&text);
                    if !text.contains(['.', 'e', 'E']) {
                        out.push_str(".0");
                    }
                } else {
                    out.push_str("null");
                }
            }
            J::Str(s) => write_string(out, s),
            J::Arr(items) => {
                write_seq(out, pretty, depth, '[', ']', items.len(), |out, i, depth| {
                    items[i].write_into(out, pretty, depth);
                });
            }
            J::Obj(fields) => write_seq(out, pretty, depth, '{', '}', fields.len(), |out, i, depth| {
                write_string(out, fields[i].0);
                out.push_str(if pretty { ": " } else { ":" });
                fields[i].1.write_into(out, pretty, depth);
            }),
            J::Map(fields) => write_seq(out, pretty, depth, '{', '}', fields.len(), |out, i, depth| {
                write_string(out, &fields[i].0);
                out.push_str(if pretty { ": " } else { ":" });
                fields[i].1.write_into(out, pretty, depth);
            }),
        }
    }
}

fn write_seq(
    out: &mut String,
    pretty: bool,
    depth: usize,
    open: char,
    close: char,
    len: usize,
    mut item: impl FnMut(&mut String, usize, usize),
) {
    out.push(open);
    if len == 0 {
        out.push(close);
        return;
    }
    for i in 0..len {
        if i > 0 {
            out.push(',');
        }
        if pretty {
            out.push('\n');
            out.extend(std::iter::repeat_n(' ', 2 * (depth + 1)));
        }
        item(out, i, depth + 1);
    }
    if pretty {
        out.push('\n');
        out.extend(std::iter::repeat_n(' ', 2 * depth));
    }
    out.push(close);
}

fn write_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

// ---------------------------------------------------------------------------------------------
// Reading helpers.

fn type_of<'v>(value: &'v Value, what: &str) -> Result<&'v str, Error> {
    value.get("type").and_then(Value::as_str).ok_or_else(|| Error::new(format!("{what}: missing \"type\" in {value}")))
}

fn field<'v>(value: &'v Value, name: &str, what: &str) -> Result<&'v Value, Error> {
    value.get(name).ok_or_else(|| Error::new(format!("{what}: missing field `{name}`")))
}

fn string(value: &Value, name: &str, what: &str) -> Result<String, Error> {
    field(value, name, what)?
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| Error::new(format!("{what}: `{name}` must be a string")))
}

fn opt_string(value: &Value, name: &str, what: &str) -> Result<Option<String>, Error> {
    match value.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(Error::new(format!("{what}: `{name}` must be a string or null"))),
    }
}

fn boolean(value: &Value, name: &str, default: bool, what: &str) -> Result<bool, Error> {
    match value.get(name) {
        None | Some(Value::Null) => Ok(default),
        Some(Value::Bool(b)) => Ok(*b),
        Some(_) => Err(Error::new(format!("{what}: `{name}` must be a boolean"))),
    }
}

fn uint(value: &Value, name: &str, default: u64, what: &str) -> Result<u64, Error> {
    match value.get(name) {
        None | Some(Value::Null) => Ok(default),
        Some(v) => v.as_u64().ok_or_else(|| Error::new(format!("{what}: `{name}` must be a non-negative integer"))),
    }
}

fn one_char(text: &str, what: &str) -> Result<char, Error> {
    let mut chars = text.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => Ok(c),
        _ => Err(Error::new(format!("{what}: expected a single character, got {text:?}"))),
    }
}

/// The options every `ByteLevel` component has (pre-tokenizer, processor, decoder).
#[cfg(any(feature = "pre-tokenizers", feature = "processors", feature = "decoders"))]
fn read_byte_level(value: &Value, what: &str) -> Result<(bool, bool, bool), Error> {
    Ok((
        boolean(value, "add_prefix_space", true, what)?,
        boolean(value, "trim_offsets", true, what)?,
        boolean(value, "use_regex", true, what)?,
    ))
}

#[cfg(any(feature = "pre-tokenizers", feature = "processors", feature = "decoders"))]
fn byte_level_fields(add_prefix_space: bool, trim_offsets: bool, use_regex: bool) -> Vec<(&'static str, J)> {
    vec![
        ("type", J::s("ByteLevel")),
        ("add_prefix_space", J::Bool(add_prefix_space)),
        ("trim_offsets", J::Bool(trim_offsets)),
        ("use_regex", J::Bool(use_regex)),
    ]
}

fn unsupported(kind: &str, name: &str, supported: &str) -> Error {
    Error::new(format!("unsupported {kind} type `{name}` in tokenizer.json (pyaot_tokenizer supports: {supported})"))
}

// ---------------------------------------------------------------------------------------------
// Patterns and behaviors.

fn read_pattern(value: &Value, what: &str) -> Result<Pattern, Error> {
    let pattern = field(value, "pattern", what)?;
    if let Some(s) = pattern.get("String").and_then(Value::as_str) {
        return Ok(Pattern::String(s.to_owned()));
    }
    if let Some(source) = pattern.get("Regex").and_then(Value::as_str) {
        #[cfg(feature = "pattern-regex")]
        return Pattern::regex(source);
        #[cfg(not(feature = "pattern-regex"))]
        return Err(Error::new(format!("{what}: regex pattern {source:?} needs the `pattern-regex` feature")));
    }
    Err(Error::new(format!("{what}: `pattern` must be {{\"String\": ...}} or {{\"Regex\": ...}}")))
}

fn write_pattern(pattern: &Pattern) -> J {
    match pattern {
        Pattern::String(s) => J::Obj(vec![("String", J::s(s))]),
        #[cfg(feature = "pattern-regex")]
        Pattern::Regex { source, .. } => J::Obj(vec![("Regex", J::s(source))]),
    }
}

#[cfg(feature = "pre-tokenizers")]
fn read_behavior(value: &Value, what: &str) -> Result<SplitBehavior, Error> {
    let name = string(value, "behavior", what)?;
    SplitBehavior::from_name(&name).ok_or_else(|| Error::new(format!("{what}: unknown behavior {name:?}")))
}

// ---------------------------------------------------------------------------------------------
// Normalizers.

/// Reads a normalizer.
#[cfg(feature = "normalizers")]
pub fn read_normalizer(value: &Value) -> Result<Normalizer, Error> {
    const WHAT: &str = "normalizer";
    Ok(match type_of(value, WHAT)? {
        "Lowercase" => Normalizer::Lowercase,
        "Uppercase" => Normalizer::Uppercase,
        "StripAccents" => Normalizer::StripAccents,
        "NFC" => Normalizer::Nfc,
        "NFD" => Normalizer::Nfd,
        "NFKC" => Normalizer::Nfkc,
        "NFKD" => Normalizer::Nfkd,
        "Replace" => {
            Normalizer::Replace { pattern: read_pattern(value, WHAT)?, content: string(value, "content", WHAT)? }
        }
        "Strip" => Normalizer::Strip {
            left: boolean(value, "strip_left", true, WHAT)?,
            right: boolean(value, "strip_right", true, WHAT)?,
        },
        "Prepend" => Normalizer::Prepend(string(value, "prepend", WHAT)?),
        "BertNormalizer" => Normalizer::Bert {
            clean_text: boolean(value, "clean_text", true, WHAT)?,
            handle_chinese_chars: boolean(value, "handle_chinese_chars", true, WHAT)?,
            strip_accents: match value.get("strip_accents") {
                None | Some(Value::Null) => None,
                Some(v) => Some(
                    v.as_bool().ok_or_else(|| Error::new("normalizer: `strip_accents` must be a boolean or null"))?,
                ),
            },
            lowercase: boolean(value, "lowercase", true, WHAT)?,
        },
        "Sequence" => Normalizer::Sequence(
            field(value, "normalizers", WHAT)?
                .as_array()
                .ok_or_else(|| Error::new("normalizer: `normalizers` must be a list"))?
                .iter()
                .map(read_normalizer)
                .collect::<Result<_, _>>()?,
        ),
        other => {
            return Err(unsupported(
                "normalizer",
                other,
                "Lowercase, Uppercase, StripAccents, NFC, NFD, NFKC, NFKD, Replace, Strip, Prepend, BertNormalizer, Sequence",
            ));
        }
    })
}

/// Writes a normalizer.
#[cfg(feature = "normalizers")]
pub(crate) fn write_normalizer(n: &Normalizer) -> J {
    let ty = |name: &str| ("type", J::s(name));
    J::Obj(match n {
        Normalizer::Lowercase => vec![ty("Lowercase")],
        Normalizer::Uppercase => vec![ty("Uppercase")],
        Normalizer::StripAccents => vec![ty("StripAccents")],
        Normalizer::Nfc => vec![ty("NFC")],
        Normalizer::Nfd => vec![ty("NFD")],
        Normalizer::Nfkc => vec![ty("NFKC")],
        Normalizer::Nfkd => vec![ty("NFKD")],
        Normalizer::Replace { pattern, content } => {
            vec![ty("Replace"), ("pattern", write_pattern(pattern)), ("content", J::s(content))]
        }
        Normalizer::Strip { left, right } => {
            vec![ty("Strip"), ("strip_left", J::Bool(*left)), ("strip_right", J::Bool(*right))]
        }
        Normalizer::Prepend(p) => vec![ty("Prepend"), ("prepend", J::s(p))],
        Normalizer::Bert { clean_text, handle_chinese_chars, strip_accents, lowercase } => vec![
            ty("BertNormalizer"),
            ("clean_text", J::Bool(*clean_text)),
            ("handle_chinese_chars", J::Bool(*handle_chinese_chars)),
            ("strip_accents", strip_accents.map_or(J::Null, J::Bool)),
            ("lowercase", J::Bool(*lowercase)),
        ],
        Normalizer::Sequence(steps) => {
            vec![ty("Sequence"), ("normalizers", J::Arr(steps.iter().map(write_normalizer).collect()))]
        }
    })
}

// ---------------------------------------------------------------------------------------------
// Pre-tokenizers.

#[cfg(feature = "pre-tokenizers")]
fn read_prepend_scheme(value: &Value, what: &str) -> Result<PrependScheme, Error> {
    match value.get("prepend_scheme") {
        Some(Value::String(name)) => {
            PrependScheme::from_name(name).ok_or_else(|| Error::new(format!("{what}: unknown prepend_scheme {name:?}")))
        }
        // Files from before `prepend_scheme` existed say `add_prefix_space`.
        _ => Ok(if boolean(value, "add_prefix_space", true, what)? {
            PrependScheme::Always
        } else {
            PrependScheme::Never
        }),
    }
}

/// Reads a pre-tokenizer.
#[cfg(feature = "pre-tokenizers")]
pub fn read_pre_tokenizer(value: &Value) -> Result<PreTokenizer, Error> {
    const WHAT: &str = "pre_tokenizer";
    Ok(match type_of(value, WHAT)? {
        "Whitespace" => PreTokenizer::Whitespace,
        "WhitespaceSplit" => PreTokenizer::WhitespaceSplit,
        "ByteLevel" => {
            let (add_prefix_space, trim_offsets, use_regex) = read_byte_level(value, WHAT)?;
            PreTokenizer::ByteLevel { add_prefix_space, trim_offsets, use_regex }
        }
        "Punctuation" => PreTokenizer::Punctuation(if value.get("behavior").is_some() {
            read_behavior(value, WHAT)?
        } else {
            SplitBehavior::Isolated
        }),
        "Digits" => PreTokenizer::Digits { individual_digits: boolean(value, "individual_digits", false, WHAT)? },
        "BertPreTokenizer" => PreTokenizer::Bert,
        "Metaspace" => PreTokenizer::Metaspace {
            replacement: one_char(&string(value, "replacement", WHAT)?, WHAT)?,
            prepend_scheme: read_prepend_scheme(value, WHAT)?,
            split: boolean(value, "split", true, WHAT)?,
        },
        "Split" => PreTokenizer::Split {
            pattern: read_pattern(value, WHAT)?,
            behavior: read_behavior(value, WHAT)?,
            invert: boolean(value, "invert", false, WHAT)?,
        },
        "CharDelimiterSplit" => PreTokenizer::CharDelimiterSplit(one_char(&string(value, "delimiter", WHAT)?, WHAT)?),
        "Sequence" => PreTokenizer::Sequence(
            field(value, "pretokenizers", WHAT)?
                .as_array()
                .ok_or_else(|| Error::new("pre_tokenizer: `pretokenizers` must be a list"))?
                .iter()
                .map(read_pre_tokenizer)
                .collect::<Result<_, _>>()?,
        ),
        other => {
            return Err(unsupported(
                "pre_tokenizer",
                other,
                "Whitespace, WhitespaceSplit, ByteLevel, Punctuation, Digits, BertPreTokenizer, Metaspace, Split, CharDelimiterSplit, Sequence",
            ));
        }
    })
}

/// Writes a pre-tokenizer.
#[cfg(feature = "pre-tokenizers")]
pub(crate) fn write_pre_tokenizer(p: &PreTokenizer) -> J {
    let ty = |name: &str| ("type", J::s(name));
    J::Obj(match p {
        PreTokenizer::Whitespace => vec![ty("Whitespace")],
        PreTokenizer::WhitespaceSplit => vec![ty("WhitespaceSplit")],
        PreTokenizer::ByteLevel { add_prefix_space, trim_offsets, use_regex } => {
            byte_level_fields(*add_prefix_space, *trim_offsets, *use_regex)
        }
        PreTokenizer::Punctuation(b) => vec![ty("Punctuation"), ("behavior", J::s(b.name()))],
        PreTokenizer::Digits { individual_digits } => {
            vec![ty("Digits"), ("individual_digits", J::Bool(*individual_digits))]
        }
        PreTokenizer::Bert => vec![ty("BertPreTokenizer")],
        PreTokenizer::Metaspace { replacement, prepend_scheme, split } => vec![
            ty("Metaspace"),
            ("replacement", J::Str(replacement.to_string())),
            ("prepend_scheme", J::s(prepend_scheme.name())),
            ("split", J::Bool(*split)),
        ],
        PreTokenizer::Split { pattern, behavior, invert } => vec![
            ty("Split"),
            ("pattern", write_pattern(pattern)),
            ("behavior", J::s(behavior.name())),
            ("invert", J::Bool(*invert)),
        ],
        PreTokenizer::CharDelimiterSplit(c) => vec![ty("CharDelimiterSplit"), ("delimiter", J::Str(c.to_string()))],
        PreTokenizer::Sequence(steps) => {
            vec![ty("Sequence"), ("pretokenizers", J::Arr(steps.iter().map(write_pre_tokenizer).collect()))]
        }
    })
}

// ---------------------------------------------------------------------------------------------
// Post-processors.

#[cfg(feature = "processors")]
fn read_token_id(value: &Value, name: &str, what: &str) -> Result<(String, u32), Error> {
    let pair = field(value, name, what)?.as_array().filter(|a| a.len() == 2);
    match pair.map(|a| (a[0].as_str(), a[1].as_u64())) {
        Some((Some(token), Some(id))) => Ok((token.to_owned(), id as u32)),
        _ => Err(Error::new(format!("{what}: `{name}` must be [token, id]"))),
    }
}

#[cfg(feature = "processors")]
fn read_template(value: &Value, name: &str) -> Result<Vec<Piece>, Error> {
    let what = "post_processor";
    let items =
        field(value, name, what)?.as_array().ok_or_else(|| Error::new(format!("{what}: `{name}` must be a list")))?;
    items
        .iter()
        .map(|item| {
            if let Some(seq) = item.get("Sequence") {
                let id = string(seq, "id", what)?;
                Ok(Piece::Sequence { pair: id == "B", type_id: uint(seq, "type_id", 0, what)? as u32 })
            } else if let Some(special) = item.get("SpecialToken") {
                Ok(Piece::SpecialToken {
                    id: string(special, "id", what)?,
                    type_id: uint(special, "type_id", 0, what)? as u32,
                })
            } else {
                Err(Error::new(format!("{what}: unknown template piece {item}")))
            }
        })
        .collect()
}

#[cfg(feature = "processors")]
fn write_template(pieces: &[Piece]) -> J {
    J::Arr(
        pieces
            .iter()
            .map(|p| match p {
                Piece::Sequence { pair, type_id } => J::Obj(vec![(
                    "Sequence",
                    J::Obj(vec![("id", J::s(if *pair { "B" } else { "A" })), ("type_id", J::Int(i64::from(*type_id)))]),
                )]),
                Piece::SpecialToken { id, type_id } => J::Obj(vec![(
                    "SpecialToken",
                    J::Obj(vec![("id", J::s(id)), ("type_id", J::Int(i64::from(*type_id)))]),
                )]),
            })
            .collect(),
    )
}

/// Reads a post-processor.
#[cfg(feature = "processors")]
pub fn read_post_processor(value: &Value) -> Result<PostProcessor, Error> {
    const WHAT: &str = "post_processor";
    Ok(match type_of(value, WHAT)? {
        "BertProcessing" => {
            PostProcessor::Bert { sep: read_token_id(value, "sep", WHAT)?, cls: read_token_id(value, "cls", WHAT)? }
        }
        "RobertaProcessing" => PostProcessor::Roberta {
            sep: read_token_id(value, "sep", WHAT)?,
            cls: read_token_id(value, "cls", WHAT)?,
            trim_offsets: boolean(value, "trim_offsets", true, WHAT)?,
            add_prefix_space: boolean(value, "add_prefix_space", true, WHAT)?,
        },
        "ByteLevel" => {
            let (add_prefix_space, trim_offsets, use_regex) = read_byte_level(value, WHAT)?;
            PostProcessor::ByteLevel { add_prefix_space, trim_offsets, use_regex }
        }
        "TemplateProcessing" => {
            let mut special_tokens = Vec::new();
            if let Some(map) = value.get("special_tokens").and_then(Value::as_object) {
                for (key, token) in map {
                    let ids = field(token, "ids", WHAT)?
                        .as_array()
                        .map(|a| a.iter().filter_map(Value::as_u64).map(|i| i as u32).collect());
                    let tokens = field(token, "tokens", WHAT)?
                        .as_array()
                        .map(|a| a.iter().filter_map(Value::as_str).map(str::to_owned).collect());
                    special_tokens.push(SpecialToken {
                        id: token.get("id").and_then(Value::as_str).unwrap_or(key).to_owned(),
                        ids: ids.unwrap_or_default(),
                        tokens: tokens.unwrap_or_default(),
                    });
                }
            }
            PostProcessor::template(read_template(value, "single")?, read_template(value, "pair")?, special_tokens)?
        }
        "Sequence" => PostProcessor::Sequence(
            field(value, "processors", WHAT)?
                .as_array()
                .ok_or_else(|| Error::new("post_processor: `processors` must be a list"))?
                .iter()
                .map(read_post_processor)
                .collect::<Result<_, _>>()?,
        ),
        other => {
            return Err(unsupported(
                "post_processor",
                other,
                "BertProcessing, RobertaProcessing, TemplateProcessing, ByteLevel, Sequence",
            ));
        }
    })
}

/// Writes a post-processor.
#[cfg(feature = "processors")]
pub(crate) fn write_post_processor(p: &PostProcessor) -> J {
    let ty = |name: &str| ("type", J::s(name));
    let token_id = |(t, id): &(String, u32)| J::Arr(vec![J::s(t), J::Int(i64::from(*id))]);
    J::Obj(match p {
        PostProcessor::Bert { sep, cls } => vec![ty("BertProcessing"), ("sep", token_id(sep)), ("cls", token_id(cls))],
        PostProcessor::Roberta { sep, cls, trim_offsets, add_prefix_space } => vec![
            ty("RobertaProcessing"),
            ("sep", token_id(sep)),
            ("cls", token_id(cls)),
            ("trim_offsets", J::Bool(*trim_offsets)),
            ("add_prefix_space", J::Bool(*add_prefix_space)),
        ],
        PostProcessor::ByteLevel { add_prefix_space, trim_offsets, use_regex } => {
            byte_level_fields(*add_prefix_space, *trim_offsets, *use_regex)
        }
        PostProcessor::Template { single, pair, special_tokens } => {
            let mut sorted: Vec<&SpecialToken> = special_tokens.iter().collect();
            sorted.sort_by(|a, b| a.id.cmp(&b.id));
            let map = sorted
                .into_iter()
                .map(|t| {
                    (
                        t.id.clone(),
                        J::Obj(vec![
                            ("id", J::s(&t.id)),
                            ("ids", J::Arr(t.ids.iter().map(|&i| J::Int(i64::from(i))).collect())),
                            ("tokens", J::Arr(t.tokens.iter().map(|s| J::s(s)).collect())),
                        ]),
                    )
                })
                .collect();
            vec![
                ty("TemplateProcessing"),
                ("single", write_template(single)),
                ("pair", write_template(pair)),
                ("special_tokens", J::Map(map)),
            ]
        }
        PostProcessor::Sequence(steps) => {
            vec![ty("Sequence"), ("processors", J::Arr(steps.iter().map(write_post_processor).collect()))]
        }
    })
}

// ---------------------------------------------------------------------------------------------
// Decoders.

/// Reads a decoder.
#[cfg(feature = "decoders")]
pub fn read_decoder(value: &Value) -> Result<Decoder, Error> {
    const WHAT: &str = "decoder";
    Ok(match type_of(value, WHAT)? {
        "WordPiece" => Decoder::WordPiece {
            prefix: opt_string(value, "prefix", WHAT)?.unwrap_or_else(|| "##".to_owned()),
            cleanup: boolean(value, "cleanup", true, WHAT)?,
        },
        "ByteLevel" => {
            let (add_prefix_space, trim_offsets, use_regex) = read_byte_level(value, WHAT)?;
            Decoder::ByteLevel { add_prefix_space, trim_offsets, use_regex }
        }
        "BPEDecoder" => {
            Decoder::Bpe { suffix: opt_string(value, "suffix", WHAT)?.unwrap_or_else(|| "</w>".to_owned()) }
        }
        "Metaspace" => Decoder::Metaspace {
            replacement: one_char(&string(value, "replacement", WHAT)?, WHAT)?,
            prepend_scheme: read_prepend_scheme(value, WHAT)?,
            split: boolean(value, "split", true, WHAT)?,
        },
        "Replace" => Decoder::Replace { pattern: read_pattern(value, WHAT)?, content: string(value, "content", WHAT)? },
        "Strip" => Decoder::Strip {
            content: one_char(&string(value, "content", WHAT)?, WHAT)?,
            start: uint(value, "start", 0, WHAT)? as usize,
            stop: uint(value, "stop", 0, WHAT)? as usize,
        },
        "Fuse" => Decoder::Fuse,
        "ByteFallback" => Decoder::ByteFallback,
        "Sequence" => Decoder::Sequence(
            field(value, "decoders", WHAT)?
                .as_array()
                .ok_or_else(|| Error::new("decoder: `decoders` must be a list"))?
                .iter()
                .map(read_decoder)
                .collect::<Result<_, _>>()?,
        ),
        other => {
            return Err(unsupported(
                "decoder",
                other,
                "WordPiece, ByteLevel, BPEDecoder, Metaspace, Replace, Strip, Fuse, ByteFallback, Sequence",
            ));
        }
    })
}

/// Writes a decoder.
#[cfg(feature = "decoders")]
pub(crate) fn write_decoder(d: &Decoder) -> J {
    let ty = |name: &str| ("type", J::s(name));
    J::Obj(match d {
        Decoder::WordPiece { prefix, cleanup } => {
            vec![ty("WordPiece"), ("prefix", J::s(prefix)), ("cleanup", J::Bool(*cleanup))]
        }
        Decoder::ByteLevel { add_prefix_space, trim_offsets, use_regex } => {
            byte_level_fields(*add_prefix_space, *trim_offsets, *use_regex)
        }
        Decoder::Bpe { suffix } => vec![ty("BPEDecoder"), ("suffix", J::s(suffix))],
        Decoder::Metaspace { replacement, prepend_scheme, split } => vec![
            ty("Metaspace"),
            ("replacement", J::Str(replacement.to_string())),
            ("prepend_scheme", J::s(prepend_scheme.name())),
            ("split", J::Bool(*split)),
        ],
        Decoder::Replace { pattern, content } => {
            vec![ty("Replace"), ("pattern", write_pattern(pattern)), ("content", J::s(content))]
        }
        Decoder::Strip { content, start, stop } => vec![
            ty("Strip"),
            ("content", J::Str(content.to_string())),
            ("start", J::Int(*start as i64)),
            ("stop", J::Int(*stop as i64)),
        ],
        Decoder::Fuse => vec![ty("Fuse")],
        Decoder::ByteFallback => vec![ty("ByteFallback")],
        Decoder::Sequence(steps) => {
            vec![ty("Sequence"), ("decoders", J::Arr(steps.iter().map(write_decoder).collect()))]
        }
    })
}

// ---------------------------------------------------------------------------------------------
// Models.

fn read_vocab(value: &Value, what: &str) -> Result<Vec<(String, u32)>, Error> {
    let map = field(value, "vocab", what)?
        .as_object()
        .ok_or_else(|| Error::new(format!("{what}: `vocab` must be an object")))?;
    map.iter()
        .map(|(token, id)| {
            let id = id
                .as_u64()
                .filter(|&i| i <= u64::from(u32::MAX))
                .ok_or_else(|| Error::new(format!("{what}: id of {token:?} must be an integer")))?;
            Ok((token.clone(), id as u32))
        })
        .collect()
}

fn write_vocab(model: &Model) -> J {
    J::Map(model.vocab_by_id().into_iter().map(|(t, id)| (t.to_owned(), J::Int(i64::from(id)))).collect())
}

/// Reads a model.
pub fn read_model(value: &Value) -> Result<Model, Error> {
    const WHAT: &str = "model";
    // Old files have no `type`: guess from the fields, as HuggingFace does.
    let ty = match value.get("type").and_then(Value::as_str) {
        Some(t) => t,
        None if value.get("merges").is_some() => "BPE",
        None if value.get("continuing_subword_prefix").is_some() && value.get("max_input_chars_per_word").is_some() => {
            "WordPiece"
        }
        None => return Err(Error::new("model: missing \"type\"")),
    };
    match ty {
        "BPE" => {
            let merges = match value.get("merges") {
                None | Some(Value::Null) => Vec::new(),
                Some(Value::Array(items)) => items
                    .iter()
                    .map(|m| match m {
                        Value::String(s) => s
                            .split_once(' ')
                            .map(|(a, b)| (a.to_owned(), b.to_owned()))
                            .ok_or_else(|| Error::new(format!("model: invalid merge {s:?}"))),
                        Value::Array(pair) if pair.len() == 2 => match (pair[0].as_str(), pair[1].as_str()) {
                            (Some(a), Some(b)) => Ok((a.to_owned(), b.to_owned())),
                            _ => Err(Error::new(format!("model: invalid merge {m}"))),
                        },
                        _ => Err(Error::new(format!("model: invalid merge {m}"))),
                    })
                    .collect::<Result<_, _>>()?,
                Some(_) => return Err(Error::new("model: `merges` must be a list")),
            };
            let dropout = match value.get("dropout") {
                None | Some(Value::Null) => None,
                Some(v) => Some(v.as_f64().ok_or_else(|| Error::new("model: `dropout` must be a number"))? as f32),
            };
            let options = BpeOptions {
                unk_token: opt_string(value, "unk_token", WHAT)?,
                continuing_subword_prefix: opt_string(value, "continuing_subword_prefix", WHAT)?,
                end_of_word_suffix: opt_string(value, "end_of_word_suffix", WHAT)?,
                fuse_unk: boolean(value, "fuse_unk", false, WHAT)?,
                byte_fallback: boolean(value, "byte_fallback", false, WHAT)?,
                ignore_merges: boolean(value, "ignore_merges", false, WHAT)?,
                dropout,
            };
            Ok(Model::Bpe(Bpe::new(read_vocab(value, WHAT)?, merges, options)?))
        }
        #[cfg(feature = "wordpiece")]
        "WordPiece" => Ok(Model::WordPiece(WordPiece::new(
            read_vocab(value, WHAT)?,
            opt_string(value, "unk_token", WHAT)?.unwrap_or_else(|| "[UNK]".to_owned()),
            opt_string(value, "continuing_subword_prefix", WHAT)?.unwrap_or_else(|| "##".to_owned()),
            uint(value, "max_input_chars_per_word", 100, WHAT)? as usize,
        ))),
        other => Err(unsupported("model", other, if cfg!(feature = "wordpiece") { "BPE, WordPiece" } else { "BPE" })),
    }
}

/// Writes a model.
pub(crate) fn write_model(model: &Model) -> J {
    match model {
        Model::Bpe(bpe) => {
            let o = &bpe.options;
            J::Obj(vec![
                ("type", J::s("BPE")),
                ("dropout", o.dropout.map_or(J::Null, |d| J::Float(f64::from(d)))),
                ("unk_token", J::opt(o.unk_token.as_deref())),
                ("continuing_subword_prefix", J::opt(o.continuing_subword_prefix.as_deref())),
                ("end_of_word_suffix", J::opt(o.end_of_word_suffix.as_deref())),
                ("fuse_unk", J::Bool(o.fuse_unk)),
                ("byte_fallback", J::Bool(o.byte_fallback)),
                ("ignore_merges", J::Bool(o.ignore_merges)),
                ("vocab", write_vocab(model)),
                ("merges", J::Arr(bpe.merges().iter().map(|(a, b)| J::Arr(vec![J::s(a), J::s(b)])).collect())),
            ])
        }
        #[cfg(feature = "wordpiece")]
        Model::WordPiece(wp) => J::Obj(vec![
            ("type", J::s("WordPiece")),
            ("unk_token", J::s(&wp.unk_token)),
            ("continuing_subword_prefix", J::s(&wp.continuing_subword_prefix)),
            ("max_input_chars_per_word", J::Int(wp.max_input_chars_per_word as i64)),
            ("vocab", write_vocab(model)),
        ]),
    }
}

// ---------------------------------------------------------------------------------------------
// Added tokens and the whole file.

fn read_added_token(value: &Value) -> Result<(u32, AddedToken), Error> {
    const WHAT: &str = "added_tokens";
    let id = uint(value, "id", u64::MAX, WHAT)?;
    let id = u32::try_from(id).map_err(|_| Error::new("added_tokens: every token needs an `id`"))?;
    let special = boolean(value, "special", false, WHAT)?;
    Ok((
        id,
        AddedToken {
            content: string(value, "content", WHAT)?,
            single_word: boolean(value, "single_word", false, WHAT)?,
            lstrip: boolean(value, "lstrip", false, WHAT)?,
            rstrip: boolean(value, "rstrip", false, WHAT)?,
            normalized: boolean(value, "normalized", !special, WHAT)?,
            special,
        },
    ))
}

fn write_added_token(id: u32, t: &AddedToken) -> J {
    J::Obj(vec![
        ("id", J::Int(i64::from(id))),
        ("content", J::s(&t.content)),
        ("single_word", J::Bool(t.single_word)),
        ("lstrip", J::Bool(t.lstrip)),
        ("rstrip", J::Bool(t.rstrip)),
        ("normalized", J::Bool(t.normalized)),
        ("special", J::Bool(t.special)),
    ])
}

/// A component value that must be `null` here (a feature that is off, or not supported).
fn must_be_null(value: &Value, name: &str, why: &str) -> Result<(), Error> {
    match value.get(name) {
        None | Some(Value::Null) => Ok(()),
        Some(v) => {
            let ty = v.get("type").and_then(Value::as_str).map(|t| format!(" `{t}`")).unwrap_or_default();
            Err(Error::new(format!("unsupported {name}{ty} in tokenizer.json: {why}")))
        }
    }
}

impl Tokenizer {
    /// Reads a `tokenizer.json` document.
    pub fn from_json(text: &str) -> Result<Tokenizer, Error> {
        let value: Value =
            serde_json::from_str(text).map_err(|e| Error::new(format!("invalid tokenizer.json: {e}")))?;
        Tokenizer::from_json_value(&value)
    }

    /// Reads a parsed `tokenizer.json` document.
    pub fn from_json_value(value: &Value) -> Result<Tokenizer, Error> {
        must_be_null(value, "truncation", "truncation is not supported")?;
        must_be_null(value, "padding", "padding is not supported")?;
        let mut tokenizer = Tokenizer::new(read_model(field(value, "model", "tokenizer.json")?)?);
        #[cfg(feature = "normalizers")]
        if let Some(v) = value.get("normalizer").filter(|v| !v.is_null()) {
            tokenizer.set_normalizer(Some(read_normalizer(v)?));
        }
        #[cfg(not(feature = "normalizers"))]
        must_be_null(value, "normalizer", "built without the `normalizers` feature")?;
        #[cfg(feature = "pre-tokenizers")]
        if let Some(v) = value.get("pre_tokenizer").filter(|v| !v.is_null()) {
            tokenizer.set_pre_tokenizer(Some(read_pre_tokenizer(v)?));
        }
        #[cfg(not(feature = "pre-tokenizers"))]
        must_be_null(value, "pre_tokenizer", "built without the `pre-tokenizers` feature")?;
        #[cfg(feature = "processors")]
        if let Some(v) = value.get("post_processor").filter(|v| !v.is_null()) {
            tokenizer.set_post_processor(Some(read_post_processor(v)?));
        }
        #[cfg(not(feature = "processors"))]
        must_be_null(value, "post_processor", "built without the `processors` feature")?;
        #[cfg(feature = "decoders")]
        if let Some(v) = value.get("decoder").filter(|v| !v.is_null()) {
            tokenizer.set_decoder(Some(read_decoder(v)?));
        }
        #[cfg(not(feature = "decoders"))]
        must_be_null(value, "decoder", "built without the `decoders` feature")?;
        if let Some(items) = value.get("added_tokens").and_then(Value::as_array) {
            let mut tokens = items.iter().map(read_added_token).collect::<Result<Vec<_>, _>>()?;
            tokens.sort_by_key(|&(id, _)| id);
            // Each token is added on its own so that it gets the id the file gives when that id
            // is the next free one (HuggingFace does the same).
            for (_, token) in tokens {
                tokenizer.add_tokens(std::slice::from_ref(&token));
            }
        }
        Ok(tokenizer)
    }

    /// The `tokenizer.json` document (`pretty`: indented as HuggingFace's `save` writes it).
    pub fn to_json(&self, pretty: bool) -> String {
        let added: Vec<J> = self.added_tokens().map(|(id, t)| write_added_token(id, t)).collect();
        #[cfg(feature = "normalizers")]
        let normalizer = self.normalizer().map_or(J::Null, write_normalizer);
        #[cfg(not(feature = "normalizers"))]
        let normalizer = J::Null;
        #[cfg(feature = "pre-tokenizers")]
        let pre_tokenizer = self.pre_tokenizer().map_or(J::Null, write_pre_tokenizer);
        #[cfg(not(feature = "pre-tokenizers"))]
        let pre_tokenizer = J::Null;
        #[cfg(feature = "processors")]
        let post_processor = self.post_processor().map_or(J::Null, write_post_processor);
        #[cfg(not(feature = "processors"))]
        let post_processor = J::Null;
        #[cfg(feature = "decoders")]
        let decoder = self.decoder().map_or(J::Null, write_decoder);
        #[cfg(not(feature = "decoders"))]
        let decoder = J::Null;
        J::Obj(vec![
            ("version", J::s("1.0")),
            ("truncation", J::Null),
            ("padding", J::Null),
            ("added_tokens", J::Arr(added)),
            ("normalizer", normalizer),
            ("pre_tokenizer", pre_tokenizer),
            ("post_processor", post_processor),
            ("decoder", decoder),
            ("model", write_model(self.model())),
        ])
        .write(pretty)
    }
}

/// Parses one component's JSON (`{"type": ...}`), for the bindings.
pub fn parse(text: &str) -> Result<Value, Error> {
    serde_json::from_str(text).map_err(|e| Error::new(format!("invalid JSON: {e}")))
}

/// Writes a model's JSON, for the bindings.
pub fn model_to_json(model: &Model) -> String {
    write_model(model).write(false)
}

/// Writes a normalizer's JSON, for the bindings.
#[cfg(feature = "normalizers")]
pub fn normalizer_to_json(n: &Normalizer) -> String {
    write_normalizer(n).write(false)
}

/// Writes a pre-tokenizer's JSON, for the bindings.
#[cfg(feature = "pre-tokenizers")]
pub fn pre_tokenizer_to_json(p: &PreTokenizer) -> String {
    write_pre_tokenizer(p).write(false)
}

/// Writes a post-processor's JSON, for the bindings.
#[cfg(feature = "processors")]
pub fn post_processor_to_json(p: &PostProcessor) -> String {
    write_post_processor(p).write(false)
}

/// Writes a decoder's JSON, for the bindings.
#[cfg(feature = "decoders")]
pub fn decoder_to_json(d: &Decoder) -> String {
    write_decoder(d).write(false)
}
