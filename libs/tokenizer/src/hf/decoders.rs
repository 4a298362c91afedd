//! Decoders: token strings back to text.

use super::Pattern;
use super::PrependScheme;
use crate::byte_level::char_to_byte;

/// A decoder, with HuggingFace's components and options.
#[derive(Debug, Clone)]
pub enum Decoder {
    /// WordPiece: `##` continues a word, other tokens start one after a space.
    WordPiece {
        /// The continuation prefix.
        prefix: String,
        /// Removes spaces before punctuation and in English contractions.
        cleanup: bool,
    },
    /// Byte-level characters back to bytes, then UTF-8 (invalid sequences replaced).
    ByteLevel {
        /// Kept for `tokenizer.json`.
        add_prefix_space: bool,
        /// Kept for `tokenizer.json`.
        trim_offsets: bool,
        /// Kept for `tokenizer.json`.
        use_regex: bool,
    },
    /// The end-of-word suffix becomes a space.
    Bpe {
        /// The suffix (`</w>`).
        suffix: String,
    },
    /// The replacement character becomes a space (the leading one removed per the scheme).
    Metaspace {
        /// The character standing for spaces.
        replacement: char,
        /// The scheme the pre-tokenizer used.
        prepend_scheme: PrependScheme,
        /// Kept for `tokenizer.json`.
        split: bool,
    },
    /// Replaces a pattern in each token.
    Replace {
        /// What to replace.
        pattern: Pattern,
        /// The replacement.
        content: String,
    },
    /// Removes up to `start` leading and `stop` trailing `content` characters from each token.
    Strip {
        /// The character to remove.
        content: char,
        /// How many at the start.
        start: usize,
        /// How many at the end.
        stop: usize,
    },
    /// Joins all tokens into one.
    Fuse,
    /// `<0xXX>` byte tokens back to text.
    ByteFallback,
    /// Several decoders in order.
    Sequence(Vec<Decoder>),
}

impl Decoder {
    /// The decoded text.
    pub fn decode(&self, tokens: Vec<String>) -> String {
        self.decode_chain(tokens).concat()
    }

    /// Each step maps the list of token strings to a new list.
    pub fn decode_chain(&self, tokens: Vec<String>) -> Vec<String> {
        match self {
            Decoder::WordPiece { prefix, cleanup } => tokens
                .into_iter()
                .enumerate()
                .map(|(i, token)| {
                    let mut token = if i == 0 {
                        token
                    } else if token.starts_with(prefix.as_str()) {
                        token.replacen(prefix.as_str(), "", 1)
                    } else {
                        format!(" {token}")
                    };
                    if *cleanup {
                        token = wordpiece_cleanup(&token);
                    }
                    token
                })
                .collect(),
            Decoder::ByteLevel { .. } => {
                let mut bytes = Vec::new();
                for token in &tokens {
                    let mapped: Option<Vec<u8>> = token.chars().map(char_to_byte).collect();
                    match mapped {
                        Some(b) => bytes.extend(b),
                        None => bytes.extend_from_slice(token.as_bytes()),
                    }
                }
                vec![String::from_utf8_lossy(&bytes).into_owned()]
            }
            Decoder::Bpe { suffix } => {
                let last = tokens.len().saturating_sub(1);
                tokens
                    .into_iter()
                    .enumerate()
                    .map(|(i, t)| t.replace(suffix.as_str(), if i == last { "" } else { " " }))
                    .collect()
            }
            Decoder::Metaspace { replacement, prepend_scheme, .. } => tokens
                .into_iter()
                .enumerate()
                .map(|(i, token)| {
                    let mut out = String::with_capacity(token.len());
                    for c in token.chars() {
                        if c == *replacement {
                            // HuggingFace drops every replacement character of the first token.
                            if !(i == 0 && *prepend_scheme != PrependScheme::Never) {
                                out.push(' ');
                            }
                        } else {
                            out.push(c);
                        }
                    }
                    out
                })
                .collect(),
            Decoder::Replace { pattern, content } => tokens
                .into_iter()
                .map(|token| {
                    let mut out = String::with_capacity(token.len());
                    let mut last = 0;
                    for ((start, end), is_match) in pattern.find_matches(&token) {
                        if is_match {
                            out.push_str(&token[last..start]);
                            out.push_str(content);
                            last = end;
                        }
                    }
                    out.push_str(&token[last..]);
                    out
                })
                .collect(),
            Decoder::Strip { content, start, stop } => tokens
                .into_iter()
                .map(|token| {
                    let chars: Vec<char> = token.chars().collect();
                    let lead = chars.iter().take(*start).take_while(|&&c| c == *content).count();
                    let trail = chars[lead..].iter().rev().take(*stop).take_while(|&&c| c == *content).count();
                    chars[lead..chars.len() - trail].iter().collect()
                })
                .collect(),
            Decoder::Fuse => vec![tokens.concat()],
            Decoder::ByteFallback => {
                let mut out = Vec::with_capacity(tokens.len());
                let mut pending: Vec<u8> = Vec::new();
                let flush = |pending: &mut Vec<u8>, out: &mut Vec<String>| {
                    if pending.is_empty() {
                        return;
                    }
                    match String::from_utf8(std::mem::take(pending)) {
                        Ok(text) => out.push(text),
                        Err(e) => out.extend(std::iter::repeat_n("\u{fffd}".to_owned(), e.as_bytes().len())),
                    }
                };
                for token in tokens {
                    match byte_token(&token) {
                        Some(b) => pending.push(b),
                        None => {
                            flush(&mut pending, &mut out);
                            out.push(token);
                        }
                    }
                }
                flush(&mut pending, &mut out);
                out
            }
            Decoder::Sequence(steps) => {
                let mut tokens = tokens;
                for step in steps {
                    tokens = step.decode_chain(tokens);
                }
                tokens
            }
        }
    }
}

/// The byte of a `<0xXX>` token.
fn byte_token(token: &str) -> Option<u8> {
    let hex = token.strip_prefix("<0x")?.strip_suffix('>')?;
    if hex.len() != 2 {
        return None;
    }
    u8::from_str_radix(hex, 16).ok()
}

/// WordPiece's clean-up of tokenization spaces.
fn wordpiece_cleanup(text: &str) -> String {
    text.replace(" .", ".")
        .replace(" ?", "?")
        .replace(" !", "!")
        .replace(" ,", ",")
        .replace(" ' ", "'")
        .replace(" n't", "n't")
        .replace(" 'm", "'m")
        .replace(" do not", " don't")
        .replace(" 's", "'s")
        .replace(" 've", "'ve")
        .replace(" 're", "'re")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(tokens: &[&str]) -> Vec<String> {
        tokens.iter().map(|&t| t.to_owned()).collect()
    }

    #[test]
    fn wordpiece_and_byte_fallback() {
        let wp = Decoder::WordPiece { prefix: "##".into(), cleanup: true };
        assert_eq!(wp.decode(strings(&["my", "name", "is", "jo", "##hn", "."])), "my name is john.");
        assert_eq!(Decoder::ByteFallback.decode(strings(&["<0xE5>", "<0x8F>", "<0xAB>", "a"])), "叫a");
        assert_eq!(Decoder::ByteFallback.decode(strings(&["<0xE5>", "a"])), "\u{fffd}a");
    }

    #[test]
    fn byte_level_and_strip() {
        let bl = Decoder::ByteLevel { add_prefix_space: true, trim_offsets: true, use_regex: true };
        assert_eq!(bl.decode(strings(&["Hello", "Ġworld", "Ċ"])), "Hello world\n");
        let strip = Decoder::Strip { content: ' ', start: 1, stop: 0 };
        assert_eq!(strip.decode(strings(&["  a", " b"])), " ab");
    }
}
