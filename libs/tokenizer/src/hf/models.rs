//! The models: BPE (HuggingFace's, with vocabulary and merges) and WordPiece.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use rustc_hash::FxHashMap;

use super::Error;
use super::encoding::Token;

/// A tokenization model.
#[derive(Debug, Clone)]
pub enum Model {
    /// Byte-pair encoding.
    Bpe(Bpe),
    /// WordPiece (BERT).
    #[cfg(feature = "wordpiece")]
    WordPiece(WordPiece),
}

impl Model {
    /// The tokens of one pre-tokenized piece.
    pub fn tokenize(&self, piece: &str) -> Result<Vec<Token>, Error> {
        match self {
            Model::Bpe(bpe) => bpe.tokenize(piece),
            #[cfg(feature = "wordpiece")]
            Model::WordPiece(wp) => wp.tokenize(piece),
        }
    }

    /// The id of a token.
    pub fn token_to_id(&self, token: &str) -> Option<u32> {
        self.vocab_map().get(token).copied()
    }

    /// The token of an id.
    pub fn id_to_token(&self, id: u32) -> Option<&str> {
        match self {
            Model::Bpe(bpe) => bpe.vocab_r.get(&id).map(String::as_str),
            #[cfg(feature = "wordpiece")]
            Model::WordPiece(wp) => wp.vocab_r.get(&id).map(String::as_str),
        }
    }

    /// The vocabulary size.
    pub fn vocab_size(&self) -> usize {
        self.vocab_map().len()
    }

    /// The vocabulary, token to id.
    pub fn vocab_map(&self) -> &FxHashMap<String, u32> {
        match self {
            Model::Bpe(bpe) => &bpe.vocab,
            #[cfg(feature = "wordpiece")]
            Model::WordPiece(wp) => &wp.vocab,
        }
    }

    /// The vocabulary sorted by id.
    pub fn vocab_by_id(&self) -> Vec<(&str, u32)> {
        let mut out: Vec<(&str, u32)> = self.vocab_map().iter().map(|(t, &id)| (t.as_str(), id)).collect();
        out.sort_unstable_by_key(|&(t, id)| (id, t));
        out
    }

    /// The model's type name in `tokenizer.json`.
    pub fn type_name(&self) -> &'static str {
        match self {
            Model::Bpe(_) => "BPE",
            #[cfg(feature = "wordpiece")]
            Model::WordPiece(_) => "WordPiece",
        }
    }
}

/// HuggingFace's BPE model: a vocabulary, ranked merges and the options around them.
#[derive(Debug, Clone, Default)]
pub struct Bpe {
    vocab: FxHashMap<String, u32>,
    vocab_r: FxHashMap<u32, String>,
    /// `(left id, right id)` to `(rank, merged id)`.
    merges: FxHashMap<(u32, u32), (u32, u32)>,
    merge_list: Vec<(String, String)>,
    /// The options.
    pub options: BpeOptions,
}

/// The options of a [`Bpe`] model, with HuggingFace's names and defaults.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BpeOptions {
    /// Replaces characters missing from the vocabulary (else they are dropped).
    pub unk_token: Option<String>,
    /// Put before every sub-word that does not start a word (`##` style).
    pub continuing_subword_prefix: Option<String>,
    /// Put after the last sub-word of a word (`</w>` style).
    pub end_of_word_suffix: Option<String>,
    /// Fuse consecutive unknown tokens into one.
    pub fuse_unk: bool,
    /// Unknown characters become `<0xXX>` byte tokens when those are in the vocabulary.
    pub byte_fallback: bool,
    /// A piece that is a vocabulary entry is one token, without merging.
    pub ignore_merges: bool,
    /// BPE-dropout probability (only `None` is supported: encoding is deterministic).
    pub dropout: Option<f32>,
}

impl Bpe {
    /// A model from its vocabulary, merges (in rank order) and options.
    pub fn new(
        vocab: impl IntoIterator<Item = (String, u32)>,
        merges: Vec<(String, String)>,
        options: BpeOptions,
    ) -> Result<Bpe, Error> {
        if let Some(p) = options.dropout
            && !(0.0..=1.0).contains(&p)
        {
            return Err(Error::new(
                "Error while initializing BPE: The provided dropout value is invalid, must be between 0 and 1",
            ));
        }
        if options.dropout.is_some_and(|p| p > 0.0) {
            return Err(Error::new("BPE dropout is not supported (encoding here is deterministic)"));
        }
        let vocab: FxHashMap<String, u32> = vocab.into_iter().collect();
        let vocab_r = vocab.iter().map(|(t, &id)| (id, t.clone())).collect();
        let prefix_len = options.continuing_subword_prefix.as_ref().map_or(0, String::len);
        let mut map = FxHashMap::default();
        for (rank, (a, b)) in merges.iter().enumerate() {
            let missing = |t: &str| Error::new(format!("Error while initializing BPE: Token `{t}` out of vocabulary"));
            let a_id = *vocab.get(a).ok_or_else(|| missing(a))?;
            let b_id = *vocab.get(b).ok_or_else(|| missing(b))?;
            let merged = format!("{a}{}", b.get(prefix_len..).unwrap_or_default());
            let new_id = *vocab.get(&merged).ok_or_else(|| missing(&merged))?;
            map.insert((a_id, b_id), (rank as u32, new_id));
        }
        Ok(Bpe { vocab, vocab_r, merges: map, merge_list: merges, options })
    }

    /// The merges in rank order.
    pub fn merges(&self) -> &[(String, String)] {
        &self.merge_list
    }

    /// The model as a tiktoken rank file (`base64(bytes) rank` per line, ranks = ids), for a
    /// byte-level BPE: every token except those in `skip` must be made of byte-level
    /// characters. With GPT-2's split pattern, tiktoken then encodes exactly as this model does
    /// behind a `ByteLevel(add_prefix_space=False)` pre-tokenizer.
    pub fn to_tiktoken(&self, skip: &[String]) -> Result<String, Error> {
        let mut entries: Vec<(u32, &str)> = self.vocab.iter().map(|(t, &id)| (id, t.as_str())).collect();
        entries.sort_unstable();
        let mut out = String::new();
        for (id, token) in entries {
            if skip.iter().any(|s| s == token) {
                continue;
            }
            let bytes: Option<Vec<u8>> = token.chars().map(crate::byte_level::char_to_byte).collect();
            let bytes = bytes.ok_or_else(|| {
                Error::new(format!(
                    "token {token:?} (id {id}) is not byte-level; only a byte-level BPE has a .tiktoken form"
                ))
            })?;
            out.push_str(&base64_encode(&bytes));
            out.push(' ');
            out.push_str(&id.to_string());
            out.push('\n');
        }
        Ok(out)
    }

    fn tokenize(&self, piece: &str) -> Result<Vec<Token>, Error> {
        if piece.is_empty() {
            return Ok(Vec::new());
        }
        if self.options.ignore_merges
            && let Some(&id) = self.vocab.get(piece)
        {
            return Ok(vec![Token { id, value: piece.to_owned(), offsets: (0, piece.len()) }]);
        }
        // Symbols: (id, byte length in the piece).
        let mut symbols: Vec<(u32, usize)> = Vec::with_capacity(piece.len());
        let mut unk: Option<(u32, usize)> = None;
        let mut scratch = String::new();
        let mut chars = piece.char_indices().peekable();
        while let Some((at, c)) = chars.next() {
            let len = c.len_utf8();
            let is_first = at == 0;
            let is_last = chars.peek().is_none();
            scratch.clear();
            if !is_first && let Some(prefix) = &self.options.continuing_subword_prefix {
                scratch.push_str(prefix);
            }
            scratch.push(c);
            if is_last && let Some(suffix) = &self.options.end_of_word_suffix {
                scratch.push_str(suffix);
            }
            if let Some(&id) = self.vocab.get(scratch.as_str()) {
                if let Some(u) = unk.take() {
                    symbols.push(u);
                }
                symbols.push((id, len));
                continue;
            }
            if self.options.byte_fallback {
                let bytes: Option<Vec<u32>> =
                    scratch.bytes().map(|b| self.vocab.get(&format!("<0x{b:02X}>")).copied()).collect();
                if let Some(bytes) = bytes {
                    // HuggingFace gives each byte token a length of one byte.
                    symbols.extend(bytes.into_iter().map(|id| (id, 1)));
                    continue;
                }
            }
            if let Some(unk_token) = &self.options.unk_token {
                let unk_id = *self
                    .vocab
                    .get(unk_token)
                    .ok_or_else(|| Error::new(format!("Unk token `{unk_token}` not found in the vocabulary")))?;
                unk = match unk {
                    Some((id, n)) if self.options.fuse_unk => Some((id, n + len)),
                    Some(previous) => {
                        symbols.push(previous);
                        Some((unk_id, len))
                    }
                    None => Some((unk_id, len)),
                };
            }
        }
        if let Some(u) = unk {
            symbols.push(u);
        }
        self.merge_all(&mut symbols);
        let mut offset = 0;
        Ok(symbols
            .into_iter()
            .map(|(id, len)| {
                let token = Token { id, value: self.vocab_r[&id].clone(), offsets: (offset, offset + len) };
                offset += len;
                token
            })
            .collect())
    }

    /// Applies merges lowest rank first, leftmost first among equal ranks.
    fn merge_all(&self, symbols: &mut Vec<(u32, usize)>) {
        if symbols.len() < 2 || self.merges.is_empty() {
            return;
        }
        let n = symbols.len();
        let mut prev: Vec<usize> = (0..n).map(|i| i.wrapping_sub(1)).collect();
        let mut next: Vec<usize> = (1..=n).collect();
        let mut alive = vec![true; n];
        let mut heap = BinaryHeap::new();
        for i in 0..n - 1 {
            if let Some(&(rank, new_id)) = self.merges.get(&(symbols[i].0, symbols[i + 1].0)) {
                heap.push(Reverse((rank, i, new_id)));
            }
        }
        while let Some(Reverse((_, pos, new_id))) = heap.pop() {
            if !alive[pos] || next[pos] >= n {
                continue;
            }
            let right = next[pos];
            match self.merges.get(&(symbols[pos].0, symbols[right].0)) {
                Some(&(_, id)) if id == new_id => {}
                _ => continue,
            }
            symbols[pos] = (new_id, symbols[pos].1 + symbols[right].1);
            alive[right] = false;
            next[pos] = next[right];
            if next[pos] < n {
                prev[next[pos]] = pos;
            }
            if prev[pos] < n
                && let Some(&(rank, id)) = self.merges.get(&(symbols[prev[pos]].0, new_id))
            {
                heap.push(Reverse((rank, prev[pos], id)));
            }
            if next[pos] < n
                && let Some(&(rank, id)) = self.merges.get(&(new_id, symbols[next[pos]].0))
            {
                heap.push(Reverse((rank, pos, id)));
            }
        }
        let mut i = 0;
        symbols.retain(|_| {
            i += 1;
            alive[i - 1]
        });
    }
}

/// Standard base64 with padding (the `.tiktoken` format).
fn base64_encode(bytes: &[u8]) -> String {
    const TABLE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(TABLE[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// BERT's WordPiece: greedy longest-match-first sub-words.
#[cfg(feature = "wordpiece")]
#[derive(Debug, Clone, Default)]
pub struct WordPiece {
    vocab: FxHashMap<String, u32>,
    vocab_r: FxHashMap<u32, String>,
    /// The token for words that cannot be cut.
    pub unk_token: String,
    /// The prefix of sub-words after the first (`##`).
    pub continuing_subword_prefix: String,
    /// Longer words are one unknown token.
    pub max_input_chars_per_word: usize,
}

#[cfg(feature = "wordpiece")]
impl WordPiece {
    /// A model from its vocabulary and options (HuggingFace's defaults: `[UNK]`, `##`, 100).
    pub fn new(
        vocab: impl IntoIterator<Item = (String, u32)>,
        unk_token: String,
        continuing_subword_prefix: String,
        max_input_chars_per_word: usize,
    ) -> WordPiece {
        let vocab: FxHashMap<String, u32> = vocab.into_iter().collect();
        let vocab_r = vocab.iter().map(|(t, &id)| (id, t.clone())).collect();
        WordPiece { vocab, vocab_r, unk_token, continuing_subword_prefix, max_input_chars_per_word }
    }

    /// Reads a `vocab.txt` (one token per line, ids in line order).
    pub fn read_vocab(text: &str) -> Vec<(String, u32)> {
        text.lines().enumerate().map(|(i, line)| (line.trim_end().to_owned(), i as u32)).collect()
    }

    fn unknown(&self, len: usize) -> Result<Vec<Token>, Error> {
        let id = *self
            .vocab
            .get(&self.unk_token)
            .ok_or_else(|| Error::new("WordPiece error: Missing [UNK] token from the vocabulary"))?;
        Ok(vec![Token { id, value: self.unk_token.clone(), offsets: (0, len) }])
    }

    fn tokenize(&self, piece: &str) -> Result<Vec<Token>, Error> {
        if piece.chars().count() > self.max_input_chars_per_word {
            return self.unknown(piece.len());
        }
        let mut out = Vec::new();
        let mut start = 0;
        let mut candidate = String::new();
        while start < piece.len() {
            let mut end = piece.len();
            let mut found = None;
            while start < end {
                candidate.clear();
                if start > 0 {
                    candidate.push_str(&self.continuing_subword_prefix);
                }
                candidate.push_str(&piece[start..end]);
                if let Some(&id) = self.vocab.get(candidate.as_str()) {
                    found = Some(Token { id, value: candidate.clone(), offsets: (start, end) });
                    break;
                }
                end -= candidate.chars().next_back().map_or(1, char::len_utf8);
            }
            let Some(token) = found else { return self.unknown(piece.len()) };
            out.push(token);
            start = end;
        }
        Ok(out)
    }
}
