//! The native side of `pyaot_tokenizer.hf`: a tokenizer pipeline, models, encodings and
//! trainers. Components cross the boundary as their `tokenizer.json` objects (the Python
//! classes build them), so every rule lives in the core crate.

// pyo3 hands extracted arguments over by value, and `map_err` takes the error by value.
#![allow(clippy::needless_pass_by_value)]

use pyaot_tokenizer::hf::json;
use pyaot_tokenizer::hf::{self, AddedToken, Bpe, BpeOptions, Input, Model, OffsetType, Tokenizer, WordPiece};
use pyaot_tokenizer::train::{BpeTrainer, WordCounts, WordPieceTrainer, count_byte_level};
use pyo3::exceptions::{PyException, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString, PyTuple};
use rayon::prelude::*;

pyo3::create_exception!(_native, HfError, PyException, "An error of the HuggingFace-style pipeline.");

fn err(e: hf::Error) -> PyErr {
    HfError::new_err(e.message().to_owned())
}

fn parse(text: &str) -> PyResult<serde_json::Value> {
    json::parse(text).map_err(err)
}

/// A component from its `tokenizer.json` object (`None` unsets it).
fn component<T>(text: Option<&str>, read: fn(&serde_json::Value) -> Result<T, hf::Error>) -> PyResult<Option<T>> {
    text.map(|t| read(&parse(t)?).map_err(err)).transpose()
}

/// A token from `Model.tokenize`: id, value, byte offsets.
type ModelToken = (u32, String, (usize, usize));

/// A model shared with Python (`pyaot_tokenizer.hf.models.BPE`...).
#[pyclass(module = "pyaot_tokenizer._native", name = "HfModel")]
#[derive(Clone)]
pub(crate) struct PyModel {
    model: Model,
}

#[pymethods]
impl PyModel {
    /// A BPE model from a vocabulary dict, merges and options.
    #[staticmethod]
    #[pyo3(signature = (vocab, merges, unk_token, continuing_subword_prefix, end_of_word_suffix, fuse_unk, byte_fallback, ignore_merges, dropout))]
    #[allow(clippy::too_many_arguments)]
    fn bpe(
        vocab: Vec<(String, u32)>,
        merges: Vec<(String, String)>,
        unk_token: Option<String>,
        continuing_subword_prefix: Option<String>,
        end_of_word_suffix: Option<String>,
        fuse_unk: bool,
        byte_fallback: bool,
        ignore_merges: bool,
        dropout: Option<f32>,
    ) -> PyResult<PyModel> {
        let options = BpeOptions {
            unk_token,
            continuing_subword_prefix,
            end_of_word_suffix,
            fuse_unk,
            byte_fallback,
            ignore_merges,
            dropout,
        };
        Ok(PyModel { model: Model::Bpe(Bpe::new(vocab, merges, options).map_err(err)?) })
    }

    /// A WordPiece model.
    #[staticmethod]
    fn wordpiece(
        vocab: Vec<(String, u32)>,
        unk_token: String,
        continuing_subword_prefix: String,
        max_input_chars_per_word: usize,
    ) -> PyModel {
        PyModel {
            model: Model::WordPiece(WordPiece::new(
                vocab,
                unk_token,
                continuing_subword_prefix,
                max_input_chars_per_word,
            )),
        }
    }

    /// A model from its `tokenizer.json` object.
    #[staticmethod]
    fn from_json(text: &str) -> PyResult<PyModel> {
        Ok(PyModel { model: json::read_model(&parse(text)?).map_err(err)? })
    }

    /// The model's `tokenizer.json` object.
    fn to_json(&self) -> String {
        json::model_to_json(&self.model)
    }

    fn type_name(&self) -> &'static str {
        self.model.type_name()
    }

    fn token_to_id(&self, token: &str) -> Option<u32> {
        self.model.token_to_id(token)
    }

    fn id_to_token(&self, id: u32) -> Option<String> {
        self.model.id_to_token(id).map(str::to_owned)
    }

    fn get_vocab<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let dict = PyDict::new(py);
        for (token, id) in self.model.vocab_map() {
            dict.set_item(token, id)?;
        }
        Ok(dict)
    }

    fn get_vocab_size(&self) -> usize {
        self.model.vocab_size()
    }

    /// The tokens of one piece: `(id, value, (start, end))` with byte offsets.
    fn tokenize(&self, sequence: &str) -> PyResult<Vec<ModelToken>> {
        let tokens = self.model.tokenize(sequence).map_err(err)?;
        Ok(tokens.into_iter().map(|t| (t.id, t.value, t.offsets)).collect())
    }

    /// The merges of a BPE model, in rank order.
    fn merges(&self) -> Vec<(String, String)> {
        match &self.model {
            Model::Bpe(bpe) => bpe.merges().to_vec(),
            Model::WordPiece(_) => Vec::new(),
        }
    }
}

/// An encoding (`pyaot_tokenizer.hf.Encoding`).
#[pyclass(module = "pyaot_tokenizer._native", name = "Encoding", frozen)]
pub(crate) struct PyEncoding {
    encoding: hf::Encoding,
}

#[pymethods]
impl PyEncoding {
    #[getter]
    fn ids(&self) -> Vec<u32> {
        self.encoding.ids().to_vec()
    }

    #[getter]
    fn tokens(&self) -> Vec<String> {
        self.encoding.tokens().to_vec()
    }

    #[getter]
    fn offsets(&self) -> Vec<(usize, usize)> {
        self.encoding.offsets().to_vec()
    }

    #[getter]
    fn type_ids(&self) -> Vec<u32> {
        self.encoding.type_ids().to_vec()
    }

    #[getter]
    fn attention_mask(&self) -> Vec<u32> {
        self.encoding.attention_mask().to_vec()
    }

    #[getter]
    fn special_tokens_mask(&self) -> Vec<u32> {
        self.encoding.special_tokens_mask().to_vec()
    }

    #[getter]
    fn word_ids(&self) -> Vec<Option<u32>> {
        self.encoding.word_ids().to_vec()
    }

    #[getter]
    fn words(&self) -> Vec<Option<u32>> {
        self.encoding.word_ids().to_vec()
    }

    #[getter]
    fn sequence_ids(&self) -> Vec<Option<usize>> {
        self.encoding.sequence_ids()
    }

    #[getter]
    fn n_sequences(&self) -> usize {
        self.encoding.n_sequences()
    }

    #[getter]
    fn overflowing<'py>(&self, py: Python<'py>) -> Bound<'py, PyList> {
        PyList::empty(py)
    }

    fn __len__(&self) -> usize {
        self.encoding.len()
    }

    fn __repr__(&self) -> String {
        format!(
            "Encoding(num_tokens={}, attributes=[ids, type_ids, tokens, offsets, attention_mask, special_tokens_mask, overflowing])",
            self.encoding.len()
        )
    }
}

/// The tokenizer behind `pyaot_tokenizer.hf.Tokenizer`.
#[pyclass(module = "pyaot_tokenizer._native", name = "HfTokenizer")]
pub(crate) struct PyTokenizer {
    tokenizer: Tokenizer,
}

/// An input sequence from Python: text, or words when pre-tokenized.
enum Owned {
    Text(String),
    Words(Vec<String>),
}

impl Owned {
    fn extract(item: &Bound<'_, PyAny>, pretokenized: bool) -> PyResult<Owned> {
        if pretokenized {
            if item.is_instance_of::<PyString>() {
                return Err(PyValueError::new_err("PreTokenizedInputSequence must be Union[List[str], Tuple[str]]"));
            }
            Ok(Owned::Words(item.extract()?))
        } else {
            Ok(Owned::Text(item.extract().map_err(|_| PyValueError::new_err("TextInputSequence must be str"))?))
        }
    }

    fn input(&self) -> Input<'_> {
        match self {
            Owned::Text(t) => Input::Text(t),
            Owned::Words(w) => Input::PreTokenized(w),
        }
    }
}

impl PyTokenizer {
    fn encode_owned(
        &self,
        first: &Owned,
        pair: Option<&Owned>,
        add_special_tokens: bool,
    ) -> Result<hf::Encoding, hf::Error> {
        self.tokenizer.encode_with(first.input(), pair.map(Owned::input), add_special_tokens, OffsetType::Char)
    }
}

#[pymethods]
impl PyTokenizer {
    #[new]
    fn new(model: &PyModel) -> PyTokenizer {
        PyTokenizer { tokenizer: Tokenizer::new(model.model.clone()) }
    }

    #[staticmethod]
    fn from_str(py: Python<'_>, text: &str) -> PyResult<PyTokenizer> {
        let tokenizer = py.detach(|| Tokenizer::from_json(text)).map_err(err)?;
        Ok(PyTokenizer { tokenizer })
    }

    #[pyo3(signature = (pretty = false))]
    fn to_str(&self, py: Python<'_>, pretty: bool) -> String {
        py.detach(|| self.tokenizer.to_json(pretty))
    }

    fn model(&self) -> PyModel {
        PyModel { model: self.tokenizer.model().clone() }
    }

    fn set_model(&mut self, model: &PyModel) {
        self.tokenizer.set_model(model.model.clone());
    }

    /// The `tokenizer.json` objects of the four components (None when unset).
    fn components(&self) -> [Option<String>; 4] {
        [
            self.tokenizer.normalizer().map(json::normalizer_to_json),
            self.tokenizer.pre_tokenizer().map(json::pre_tokenizer_to_json),
            self.tokenizer.post_processor().map(json::post_processor_to_json),
            self.tokenizer.decoder().map(json::decoder_to_json),
        ]
    }

    fn set_normalizer(&mut self, text: Option<&str>) -> PyResult<()> {
        self.tokenizer.set_normalizer(component(text, json::read_normalizer)?);
        Ok(())
    }

    fn set_pre_tokenizer(&mut self, text: Option<&str>) -> PyResult<()> {
        self.tokenizer.set_pre_tokenizer(component(text, json::read_pre_tokenizer)?);
        Ok(())
    }

    fn set_post_processor(&mut self, text: Option<&str>) -> PyResult<()> {
        self.tokenizer.set_post_processor(component(text, json::read_post_processor)?);
        Ok(())
    }

    fn set_decoder(&mut self, text: Option<&str>) -> PyResult<()> {
        self.tokenizer.set_decoder(component(text, json::read_decoder)?);
        Ok(())
    }

    /// Adds tokens given as `(content, single_word, lstrip, rstrip, normalized, special)`.
    fn add_tokens(&mut self, tokens: Vec<(String, bool, bool, bool, bool, bool)>) -> usize {
        let tokens: Vec<AddedToken> = tokens
            .into_iter()
            .map(|(content, single_word, lstrip, rstrip, normalized, special)| AddedToken {
                content,
                single_word,
                lstrip,
                rstrip,
                normalized,
                special,
            })
            .collect();
        self.tokenizer.add_tokens(&tokens)
    }

    /// The added tokens: `(id, content, single_word, lstrip, rstrip, normalized, special)`.
    fn added_tokens(&self) -> Vec<(u32, String, bool, bool, bool, bool, bool)> {
        self.tokenizer
            .added_tokens()
            .map(|(id, t)| (id, t.content.clone(), t.single_word, t.lstrip, t.rstrip, t.normalized, t.special))
            .collect()
    }

    #[pyo3(signature = (sequence, pair = None, is_pretokenized = false, add_special_tokens = true))]
    fn encode(
        &self,
        py: Python<'_>,
        sequence: &Bound<'_, PyAny>,
        pair: Option<&Bound<'_, PyAny>>,
        is_pretokenized: bool,
        add_special_tokens: bool,
    ) -> PyResult<PyEncoding> {
        let first = Owned::extract(sequence, is_pretokenized)?;
        let pair = pair.map(|p| Owned::extract(p, is_pretokenized)).transpose()?;
        let encoding = py.detach(|| self.encode_owned(&first, pair.as_ref(), add_special_tokens)).map_err(err)?;
        Ok(PyEncoding { encoding })
    }

    #[pyo3(signature = (input, is_pretokenized = false, add_special_tokens = true))]
    fn encode_batch(
        &self,
        py: Python<'_>,
        input: &Bound<'_, PyAny>,
        is_pretokenized: bool,
        add_special_tokens: bool,
    ) -> PyResult<Vec<PyEncoding>> {
        let mut items: Vec<(Owned, Option<Owned>)> = Vec::new();
        for item in input.try_iter()? {
            let item = item?;
            // A pair is a tuple (or a list, when the input is not pre-tokenized) of two.
            let as_pair = item
                .cast::<PyTuple>()
                .ok()
                .filter(|t| t.len() == 2)
                .map(|t| (t.get_item(0), t.get_item(1)))
                .or_else(|| {
                    (!is_pretokenized)
                        .then(|| {
                            item.cast::<PyList>().ok().filter(|l| l.len() == 2).map(|l| (l.get_item(0), l.get_item(1)))
                        })
                        .flatten()
                });
            match as_pair {
                Some((Ok(a), Ok(b))) if !is_pretokenized || !a.is_instance_of::<PyString>() => {
                    items.push((Owned::extract(&a, is_pretokenized)?, Some(Owned::extract(&b, is_pretokenized)?)));
                }
                _ => items.push((Owned::extract(&item, is_pretokenized)?, None)),
            }
        }
        let encodings: Result<Vec<hf::Encoding>, hf::Error> = py.detach(|| {
            items.par_iter().map(|(first, pair)| self.encode_owned(first, pair.as_ref(), add_special_tokens)).collect()
        });
        Ok(encodings.map_err(err)?.into_iter().map(|encoding| PyEncoding { encoding }).collect())
    }

    #[pyo3(signature = (ids, skip_special_tokens = true))]
    fn decode(&self, py: Python<'_>, ids: Vec<u32>, skip_special_tokens: bool) -> PyResult<String> {
        py.detach(|| self.tokenizer.decode(&ids, skip_special_tokens)).map_err(err)
    }

    #[pyo3(signature = (sequences, skip_special_tokens = true))]
    fn decode_batch(
        &self,
        py: Python<'_>,
        sequences: Vec<Vec<u32>>,
        skip_special_tokens: bool,
    ) -> PyResult<Vec<String>> {
        let out: Result<Vec<String>, hf::Error> =
            py.detach(|| sequences.par_iter().map(|ids| self.tokenizer.decode(ids, skip_special_tokens)).collect());
        out.map_err(err)
    }

    fn token_to_id(&self, token: &str) -> Option<u32> {
        self.tokenizer.token_to_id(token)
    }

    fn id_to_token(&self, id: u32) -> Option<String> {
        self.tokenizer.id_to_token(id).map(str::to_owned)
    }

    #[pyo3(signature = (with_added_tokens = true))]
    fn get_vocab<'py>(&self, py: Python<'py>, with_added_tokens: bool) -> PyResult<Bound<'py, PyDict>> {
        let dict = PyDict::new(py);
        for (token, id) in self.tokenizer.vocab(with_added_tokens) {
            dict.set_item(token, id)?;
        }
        Ok(dict)
    }

    #[pyo3(signature = (with_added_tokens = true))]
    fn get_vocab_size(&self, with_added_tokens: bool) -> usize {
        self.tokenizer.vocab_size(with_added_tokens)
    }

    fn num_special_tokens_to_add(&self, is_pair: bool) -> usize {
        self.tokenizer.post_processor().map_or(0, |p| p.added_tokens(is_pair))
    }

    /// Counts the training words of `texts` (normalized and pre-tokenized) into `counts`.
    fn count_words(&self, py: Python<'_>, counts: &mut PyWordCounts, texts: Vec<String>) {
        let tokenizer = &self.tokenizer;
        let fast = tokenizer.normalizer().is_none()
            && matches!(
                tokenizer.pre_tokenizer(),
                Some(hf::pre_tokenizers::PreTokenizer::ByteLevel { add_prefix_space: false, use_regex: true, .. })
            );
        let chunk = py.detach(|| {
            if fast {
                count_byte_level(&texts, false)
            } else {
                texts
                    .par_iter()
                    .fold(WordCounts::new, |mut counts, text| {
                        tokenizer.words_of(text, |w| counts.add(w, 1));
                        counts
                    })
                    .reduce(WordCounts::new, |mut a, b| {
                        a.merge(b);
                        a
                    })
            }
        });
        py.detach(|| counts.counts.merge(chunk));
    }

    /// Trains the model on counted words with a trainer's options (a dict as JSON), replaces
    /// it, and adds the trainer's special tokens.
    fn train(&mut self, py: Python<'_>, counts: &PyWordCounts, trainer: &str) -> PyResult<()> {
        let options = parse(trainer)?;
        let kind = options.get("type").and_then(serde_json::Value::as_str).unwrap_or_default().to_owned();
        let get_str = |name: &str| options.get(name).and_then(serde_json::Value::as_str).map(str::to_owned);
        let specials: Vec<String> = options
            .get("special_tokens")
            .and_then(serde_json::Value::as_array)
            .map(|a| a.iter().filter_map(serde_json::Value::as_str).map(str::to_owned).collect())
            .unwrap_or_default();
        let alphabet: Vec<char> = options
            .get("initial_alphabet")
            .and_then(serde_json::Value::as_array)
            .map(|a| a.iter().filter_map(serde_json::Value::as_str).filter_map(|s| s.chars().next()).collect())
            .unwrap_or_default();
        let num = |name: &str| options.get(name).and_then(serde_json::Value::as_u64);
        let trainer = BpeTrainer {
            vocab_size: num("vocab_size").unwrap_or(30000) as usize,
            min_frequency: num("min_frequency").unwrap_or(0),
            show_progress: options.get("show_progress").and_then(serde_json::Value::as_bool).unwrap_or(true),
            special_tokens: specials.clone(),
            limit_alphabet: num("limit_alphabet").map(|n| n as usize),
            initial_alphabet: alphabet,
            continuing_subword_prefix: get_str("continuing_subword_prefix"),
            end_of_word_suffix: get_str("end_of_word_suffix"),
            max_token_length: num("max_token_length").map(|n| n as usize),
        };
        let model = match (kind.as_str(), self.tokenizer.model()) {
            ("BpeTrainer", Model::Bpe(old)) => {
                let trained = py.detach(|| trainer.train(&counts.counts));
                let options = BpeOptions {
                    continuing_subword_prefix: trainer.continuing_subword_prefix.clone(),
                    end_of_word_suffix: trainer.end_of_word_suffix.clone(),
                    ..old.options.clone()
                };
                let vocab = trained.vocab.into_iter().enumerate().map(|(id, t)| (t, id as u32));
                Model::Bpe(Bpe::new(vocab, trained.merges, options).map_err(err)?)
            }
            ("WordPieceTrainer", Model::WordPiece(old)) => {
                let prefix =
                    trainer.continuing_subword_prefix.clone().unwrap_or_else(|| old.continuing_subword_prefix.clone());
                let trainer = WordPieceTrainer(trainer);
                let vocab = py.detach(|| trainer.train(&counts.counts));
                let vocab = vocab.into_iter().enumerate().map(|(id, t)| (t, id as u32));
                Model::WordPiece(WordPiece::new(vocab, old.unk_token.clone(), prefix, old.max_input_chars_per_word))
            }
            ("BpeTrainer", _) => return Err(PyValueError::new_err("BpeTrainer can only train a BPE")),
            ("WordPieceTrainer", _) => {
                return Err(PyValueError::new_err("WordPieceTrainer can only train a WordPiece"));
            }
            (other, _) => return Err(PyValueError::new_err(format!("unsupported trainer {other:?}"))),
        };
        self.tokenizer.set_model(model);
        let specials: Vec<AddedToken> = specials.into_iter().map(|s| AddedToken::new(s, true)).collect();
        self.tokenizer.add_special_tokens(&specials);
        Ok(())
    }
}

/// Word counts gathered across chunks of a training iterator.
#[pyclass(module = "pyaot_tokenizer._native", name = "WordCounts")]
pub(crate) struct PyWordCounts {
    counts: WordCounts,
}

#[pymethods]
impl PyWordCounts {
    #[new]
    fn new() -> PyWordCounts {
        PyWordCounts { counts: WordCounts::new() }
    }

    fn __len__(&self) -> usize {
        self.counts.len()
    }
}

/// `normalizer.normalize_str(text)` for a normalizer's JSON.
#[pyfunction]
fn hf_normalize_str(component: &str, text: &str) -> PyResult<String> {
    Ok(json::read_normalizer(&parse(component)?).map_err(err)?.normalize_str(text))
}

/// `pre_tokenizer.pre_tokenize_str(text)` for a pre-tokenizer's JSON.
#[pyfunction]
fn hf_pre_tokenize_str(component: &str, text: &str) -> PyResult<Vec<(String, (usize, usize))>> {
    Ok(json::read_pre_tokenizer(&parse(component)?).map_err(err)?.pre_tokenize_str(text))
}

/// `decoder.decode(tokens)` for a decoder's JSON.
#[pyfunction]
fn hf_decode(component: &str, tokens: Vec<String>) -> PyResult<String> {
    Ok(json::read_decoder(&parse(component)?).map_err(err)?.decode(tokens))
}

/// Checks that a component's JSON builds (`kind`: normalizer, pre_tokenizer, post_processor,
/// decoder), so that bad options fail when the Python object is made.
#[pyfunction]
fn hf_check(kind: &str, component: &str) -> PyResult<()> {
    let value = parse(component)?;
    match kind {
        "normalizer" => json::read_normalizer(&value).map(drop),
        "pre_tokenizer" => json::read_pre_tokenizer(&value).map(drop),
        "post_processor" => json::read_post_processor(&value).map(drop),
        "decoder" => json::read_decoder(&value).map(drop),
        "regex" => hf::Pattern::regex(value.as_str().unwrap_or_default()).map(drop),
        _ => return Err(PyValueError::new_err(format!("unknown component kind {kind:?}"))),
    }
    .map_err(err)
}

/// The `tokenizer.json` object of a `TemplateProcessing` from its Python arguments: template
/// pieces as strings (`"[CLS]"`, `"$A"`, `"$B:1"`), and special tokens as `(id, ids, tokens)`.
#[pyfunction]
#[pyo3(signature = (single, pair, special_tokens))]
fn hf_template(
    single: Vec<String>,
    pair: Option<Vec<String>>,
    special_tokens: Vec<(String, Vec<u32>, Vec<String>)>,
) -> PyResult<String> {
    use pyaot_tokenizer::hf::processors::{Piece, PostProcessor, SpecialToken};
    let parse_all = |pieces: &[String]| pieces.iter().map(|p| Piece::parse(p)).collect::<Result<Vec<_>, _>>();
    let single = parse_all(&single).map_err(|e| PyValueError::new_err(e.message().to_owned()))?;
    let pair = match pair {
        Some(p) => parse_all(&p).map_err(|e| PyValueError::new_err(e.message().to_owned()))?,
        None => vec![Piece::Sequence { pair: false, type_id: 0 }, Piece::Sequence { pair: true, type_id: 1 }],
    };
    let special_tokens = special_tokens.into_iter().map(|(id, ids, tokens)| SpecialToken { id, ids, tokens }).collect();
    let processor = PostProcessor::template(single, pair, special_tokens)
        .map_err(|e| PyValueError::new_err(e.message().to_owned()))?;
    Ok(json::post_processor_to_json(&processor))
}

/// The rank file (`.tiktoken`) of a byte-level BPE model, without the tokens in `skip`.
#[pyfunction]
fn hf_tiktoken(model: &PyModel, skip: Vec<String>) -> PyResult<String> {
    match &model.model {
        Model::Bpe(bpe) => bpe.to_tiktoken(&skip).map_err(err),
        Model::WordPiece(_) => {
            Err(PyValueError::new_err("only a byte-level BPE model can be saved as a .tiktoken rank file"))
        }
    }
}

/// Registers the classes and functions.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyModel>()?;
    m.add_class::<PyEncoding>()?;
    m.add_class::<PyTokenizer>()?;
    m.add_class::<PyWordCounts>()?;
    m.add("HfError", m.py().get_type::<HfError>())?;
    m.add_function(wrap_pyfunction!(hf_normalize_str, m)?)?;
    m.add_function(wrap_pyfunction!(hf_pre_tokenize_str, m)?)?;
    m.add_function(wrap_pyfunction!(hf_decode, m)?)?;
    m.add_function(wrap_pyfunction!(hf_check, m)?)?;
    m.add_function(wrap_pyfunction!(hf_template, m)?)?;
    m.add_function(wrap_pyfunction!(hf_tiktoken, m)?)?;
    Ok(())
}
