//! `pyaot-tokenizer-py`: the Python binding of `pyaot-tokenizer`, installed as the package
//! `pyaot_tokenizer` (module `pyaot_tokenizer._native`).
//!
//! `CoreBPE` plays the part of tiktoken's `_tiktoken.CoreBPE`, with more of the work native:
//! the special-token checks of `encode` (tiktoken runs a Python regex over the text on every
//! call), the surrogate fix-up, decoding to `str`, and `encode_batch` on native threads. The
//! Python layer (`python/pyaot_tokenizer/core.py`) keeps tiktoken's `Encoding` class.
//! Every encode and decode releases the GIL.

mod hf;

use std::sync::atomic::{AtomicPtr, AtomicUsize, Ordering};
use std::sync::mpsc;

use pyaot_tokenizer::{Encoding, Error, Rank, Special, SpecialSet};
use pyo3::exceptions::{PyKeyError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList, PyString, PyTuple};

/// An encoding: built-in (shared for the process) or built from Python objects.
enum Shared {
    Builtin(&'static Encoding),
    Owned(Box<Encoding>),
}

/// The native tokenizer behind `pyaot_tokenizer.Encoding`.
#[pyclass(frozen, module = "pyaot_tokenizer._native")]
struct CoreBPE {
    encoding: Shared,
    ints: IntCache,
}

/// One Python int per token id, made on first use and kept: a result list then costs a
/// reference-count increment per token instead of an allocation (and, when the list dies, a
/// decrement instead of a free). Making and freeing the ints was about half of the time of
/// `encode` on English text; CPython itself keeps the ints below 257 this way.
struct IntCache {
    slots: Box<[AtomicPtr<pyo3::ffi::PyObject>]>,
}

impl IntCache {
    fn new(max_token_value: Rank) -> IntCache {
        IntCache { slots: (0..=max_token_value).map(|_| AtomicPtr::new(std::ptr::null_mut())).collect() }
    }

    /// A new list of the ints of `tokens`.
    fn list<'py>(&self, py: Python<'py>, tokens: &[Rank]) -> PyResult<Bound<'py, PyList>> {
        let len =
            pyo3::ffi::Py_ssize_t::try_from(tokens.len()).map_err(|_| PyValueError::new_err("too many tokens"))?;
        // SAFETY: the GIL is held (`py`); PyList_New returns a new reference or NULL with an
        // exception set; every slot of the new list is filled (SET_ITEM steals the reference
        // `int` returns) before the list is handed out.
        unsafe {
            let list = pyo3::ffi::PyList_New(len);
            if list.is_null() {
                return Err(PyErr::fetch(py));
            }
            let list = Bound::from_owned_ptr(py, list).cast_into_unchecked::<PyList>();
            for (index, &token) in tokens.iter().enumerate() {
                let int = self.int(py, token)?;
                pyo3::ffi::PyList_SET_ITEM(list.as_ptr(), index as pyo3::ffi::Py_ssize_t, int);
            }
            Ok(list)
        }
    }

    /// A new reference to the int `token`.
    fn int(&self, py: Python<'_>, token: Rank) -> PyResult<*mut pyo3::ffi::PyObject> {
        let Some(slot) = self.slots.get(token as usize) else {
            return Ok(token.into_pyobject(py)?.into_ptr());
        };
        let mut int = slot.load(Ordering::Relaxed);
        // SAFETY: the GIL is held, which also serialises every access to the slots; the cached
        // object is kept alive by the slot's own reference.
        unsafe {
            if int.is_null() {
                int = pyo3::ffi::PyLong_FromUnsignedLong(token.into());
                if int.is_null() {
                    return Err(PyErr::fetch(py));
                }
                slot.store(int, Ordering::Relaxed);
            }
            pyo3::ffi::Py_INCREF(int);
        }
        Ok(int)
    }
}

impl Drop for IntCache {
    fn drop(&mut self) {
        // `CoreBPE` is dropped by its Python object's deallocation, with the GIL held.
        for slot in &self.slots {
            let int = slot.load(Ordering::Relaxed);
            if !int.is_null() {
                // SAFETY: the GIL is held (see above); the slot owns one reference.
                unsafe { pyo3::ffi::Py_DECREF(int) };
            }
        }
    }
}

/// `allowed_special` and `disallowed_special`, resolved.
struct Specials {
    allowed: SpecialSet,
    /// Special tokens and other texts that `encode` refuses.
    disallowed: SpecialSet,
}

fn value_error(error: &Error) -> PyErr {
    PyValueError::new_err(error.to_string())
}

/// tiktoken's `raise_disallowed_special_token` message, with Python's own `repr`.
fn disallowed_error(py: Python<'_>, token: &str) -> PyErr {
    let token = match PyString::new(py, token).repr() {
        Ok(repr) => repr.to_string(),
        Err(error) => return error,
    };
    PyValueError::new_err(format!(
        "Encountered text corresponding to disallowed special token {token}.\n\
         If you want this text to be encoded as a special token, pass it to `allowed_special`, \
         e.g. `allowed_special={{{token}, ...}}`.\n\
         If you want this text to be encoded as normal text, disable the check for this token \
         by passing `disallowed_special=(enc.special_tokens_set - {{{token}}})`.\n\
         To disable this check for all special tokens, pass `disallowed_special=()`.\n"
    ))
}

fn is_all(value: &Bound<'_, PyAny>) -> bool {
    value.cast::<PyString>().is_ok_and(|s| s.to_str().is_ok_and(|s| s == "all"))
}

/// The text of `text` as UTF-8. A str with surrogates (which UTF-8 cannot hold) is first
/// fixed up as tiktoken does: `text.encode("utf-16", "surrogatepass").decode("utf-16",
/// "replace")` joins surrogate pairs and replaces lone surrogates with U+FFFD.
fn utf8_text<'py>(text: &Bound<'py, PyString>) -> PyResult<Bound<'py, PyString>> {
    if text.to_str().is_ok() {
        return Ok(text.clone());
    }
    let fixed =
        text.call_method1("encode", ("utf-16", "surrogatepass"))?.call_method1("decode", ("utf-16", "replace"))?;
    Ok(fixed.cast_into::<PyString>()?)
}

impl CoreBPE {
    fn encoding(&self) -> &Encoding {
        match &self.encoding {
            Shared::Builtin(encoding) => encoding,
            Shared::Owned(encoding) => encoding,
        }
    }

    fn specials(&self, allowed: &Bound<'_, PyAny>, disallowed: &Bound<'_, PyAny>) -> PyResult<Specials> {
        let encoding = self.encoding();
        let allowed = if is_all(allowed) {
            encoding.special_set(Special::All)
        } else {
            // Items that are not str cannot be special tokens: they allow nothing.
            let mut texts = Vec::new();
            for item in allowed.try_iter()? {
                if let Ok(text) = item?.cast::<PyString>() {
                    texts.push(text.to_str()?.to_owned());
                }
            }
            encoding.special_set(Special::Only(&texts.iter().map(String::as_str).collect::<Vec<_>>()))
        };
        let disallowed = if is_all(disallowed) {
            encoding.default_disallowed(&allowed)
        } else {
            let texts = disallowed.try_iter()?.map(|item| item?.extract::<String>()).collect::<PyResult<Vec<_>>>()?;
            encoding.special_set(Special::Only(&texts.iter().map(String::as_str).collect::<Vec<_>>()))
        };
        Ok(Specials { allowed, disallowed })
    }

    /// tiktoken's `encode` of a Python str with Python special-token arguments, without the GIL.
    fn encode_python(
        &self,
        py: Python<'_>,
        text: &Bound<'_, PyString>,
        allowed_special: &Bound<'_, PyAny>,
        disallowed_special: &Bound<'_, PyAny>,
    ) -> PyResult<Vec<Rank>> {
        let specials = self.specials(allowed_special, disallowed_special)?;
        let text = utf8_text(text)?;
        let text = text.to_str()?;
        py.detach(|| self.encode_checked(text, &specials)).map_err(|e| e.into_py(py))
    }

    /// `encode` of one text after the disallowed check.
    fn encode_checked(&self, text: &str, specials: &Specials) -> Result<Vec<Rank>, EncodeFailure> {
        if let Some(token) = self.encoding().first_disallowed(text, &specials.disallowed) {
            return Err(EncodeFailure::Disallowed(token.to_owned()));
        }
        let none = SpecialSet::default();
        self.encoding().encode_with_sets(text, &specials.allowed, &none).map(|(t, _)| t).map_err(EncodeFailure::Other)
    }

    /// Runs `encode` on every text on up to `threads` native threads (this one and rayon's
    /// pool), returning the lists in order (or the error of the first text that failed, as tiktoken's in-order map would).
    ///
    /// Making the Python lists needs the GIL, and is a good part of the work (one int object
    /// per token), so it overlaps with encoding: worker threads encode (without the GIL) and
    /// send results as they finish, while this thread turns them into lists. The GIL is
    /// released whenever this thread waits.
    fn batch<'py>(
        &self,
        py: Python<'py>,
        texts: &Bound<'py, PyAny>,
        threads: usize,
        encode: impl Fn(&str) -> Result<Vec<Rank>, EncodeFailure> + Sync,
    ) -> PyResult<Bound<'py, PyList>> {
        let mut owned = Vec::new();
        for text in texts.try_iter()? {
            owned.push(utf8_text(text?.cast::<PyString>()?)?);
        }
        let strs: Vec<&str> = owned.iter().map(|s| s.to_str()).collect::<PyResult<_>>()?;
        let threads = threads.clamp(1, strs.len().max(1));
        if threads == 1 {
            let results = py.detach(|| strs.iter().map(|t| encode(t)).collect::<Vec<_>>());
            let mut lists = Vec::with_capacity(results.len());
            for result in results {
                lists.push(self.ints.list(py, &result.map_err(|e| e.into_py(py))?)?);
            }
            return PyList::new(py, lists);
        }
        let lists = PyList::new(py, strs.iter().map(|_| py.None()))?;
        let mut first_error: Option<(usize, EncodeFailure)> = None;
        let mut handle = |index: usize, result: Result<Vec<Rank>, EncodeFailure>| -> PyResult<()> {
            match result {
                Ok(tokens) => lists.set_item(index, self.ints.list(py, &tokens)?),
                Err(error) => {
                    if first_error.as_ref().is_none_or(|(first, _)| index < *first) {
                        first_error = Some((index, error));
                    }
                    Ok(())
                }
            }
        };
        let next = AtomicUsize::new(0);
        let (sender, receiver) = mpsc::channel::<(usize, Result<Vec<Rank>, EncodeFailure>)>();
        // This thread is one of the workers and also makes the lists; it receives the other
        // workers' results (the mutex is what lets it wait with the GIL released).
        let mut main_thread = |receiver: mpsc::Receiver<(usize, Result<Vec<Rank>, EncodeFailure>)>| -> PyResult<()> {
            let receiver = std::sync::Mutex::new(receiver);
            let receive = |wait: bool| {
                let receiver = receiver.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
                if wait { receiver.recv().ok() } else { receiver.try_recv().ok() }
            };
            let mut handled = 0;
            while handled < strs.len() {
                while let Some((index, result)) = receive(false) {
                    handle(index, result)?;
                    handled += 1;
                }
                let index = next.fetch_add(1, Ordering::Relaxed);
                if let Some(text) = strs.get(index) {
                    let result = py.detach(|| encode(text));
                    handle(index, result)?;
                    handled += 1;
                } else if handled < strs.len() {
                    // Every text is taken: wait (without the GIL) for the workers' last ones.
                    let (index, result) =
                        py.detach(|| receive(true)).ok_or_else(|| PyValueError::new_err("a batch worker stopped"))?;
                    handle(index, result)?;
                    handled += 1;
                }
            }
            Ok(())
        };
        let worker = |sender: mpsc::Sender<(usize, Result<Vec<Rank>, EncodeFailure>)>| loop {
            let index = next.fetch_add(1, Ordering::Relaxed);
            let Some(text) = strs.get(index) else { break };
            if sender.send((index, encode(text))).is_err() {
                break;
            }
        };
        if rayon_usable() {
            // The other workers come from rayon's pool (one thread per core, kept between
            // calls: a batch of a few milliseconds would lose much of its time waiting for
            // fresh threads to be placed on a free core), no more than it has.
            rayon::in_place_scope(|scope| {
                for _ in 0..(threads - 1).min(rayon::current_num_threads()) {
                    let sender = sender.clone();
                    scope.spawn(|_| worker(sender));
                }
                drop(sender);
                main_thread(receiver)
            })?;
        } else {
            std::thread::scope(|scope| {
                for _ in 0..threads - 1 {
                    let sender = sender.clone();
                    scope.spawn(|| worker(sender));
                }
                drop(sender);
                main_thread(receiver)
            })?;
        }
        match first_error {
            Some((_, error)) => Err(error.into_py(py)),
            None => Ok(lists),
        }
    }
}

/// Whether rayon's pool can run work in this process: its threads do not survive `fork`, so
/// in a child forked after the pool started (multiprocessing's default on Linux) waiting for
/// it would hang; batches there use threads of their own.
fn rayon_usable() -> bool {
    static POOL_PROCESS: std::sync::OnceLock<u32> = std::sync::OnceLock::new();
    *POOL_PROCESS.get_or_init(std::process::id) == std::process::id()
}

/// Why an encode failed.
enum EncodeFailure {
    Disallowed(String),
    Other(Error),
}

impl EncodeFailure {
    fn into_py(self, py: Python<'_>) -> PyErr {
        match self {
            EncodeFailure::Disallowed(token) => disallowed_error(py, &token),
            EncodeFailure::Other(error) => value_error(&error),
        }
    }
}

#[pymethods]
impl CoreBPE {
    /// `CoreBPE(mergeable_ranks, special_tokens, pat_str, name="")`: an encoding from Python
    /// objects, as tiktoken's `_tiktoken.CoreBPE`.
    #[new]
    #[pyo3(signature = (mergeable_ranks, special_tokens, pat_str, name = ""))]
    fn new(
        mergeable_ranks: &Bound<'_, PyDict>,
        special_tokens: &Bound<'_, PyDict>,
        pat_str: &str,
        name: &str,
    ) -> PyResult<CoreBPE> {
        let mut ranks = Vec::with_capacity(mergeable_ranks.len());
        for (token, rank) in mergeable_ranks.iter() {
            ranks.push((token.cast::<PyBytes>()?.as_bytes().to_vec(), rank.extract::<Rank>()?));
        }
        let mut specials = Vec::with_capacity(special_tokens.len());
        for (text, rank) in special_tokens.iter() {
            specials.push((text.extract::<String>()?, rank.extract::<Rank>()?));
        }
        let encoding = Encoding::new(name, pat_str, ranks, specials).map_err(|e| value_error(&e))?;
        let ints = IntCache::new(encoding.max_token_value());
        Ok(CoreBPE { encoding: Shared::Owned(Box::new(encoding)), ints })
    }

    /// The built-in encoding `name`, from the bundled rank files (shared by the process).
    #[staticmethod]
    fn builtin(py: Python<'_>, name: &str) -> PyResult<CoreBPE> {
        let encoding = py.detach(|| Encoding::get(name)).map_err(|e| value_error(&e))?;
        Ok(CoreBPE { encoding: Shared::Builtin(encoding), ints: IntCache::new(encoding.max_token_value()) })
    }

    /// The names of the built-in encodings.
    #[staticmethod]
    fn builtin_names() -> Vec<&'static str> {
        Encoding::names().to_vec()
    }

    /// The split pattern.
    #[getter]
    fn pattern(&self) -> &str {
        self.encoding().pattern()
    }

    /// The highest token id.
    #[getter]
    fn max_token_value(&self) -> Rank {
        self.encoding().max_token_value()
    }

    /// The mergeable ranks as a new `dict[bytes, int]`.
    fn mergeable_ranks<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let dict = PyDict::new(py);
        for (token, rank) in self.encoding().mergeable_ranks() {
            dict.set_item(PyBytes::new(py, token), rank)?;
        }
        Ok(dict)
    }

    /// The special tokens as a new `dict[str, int]`.
    fn special_tokens<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let dict = PyDict::new(py);
        for (text, rank) in self.encoding().special_tokens() {
            dict.set_item(text, rank)?;
        }
        Ok(dict)
    }

    /// Tokens of `text`, special-token text encoded as ordinary text.
    fn encode_ordinary<'py>(&self, py: Python<'py>, text: &Bound<'py, PyString>) -> PyResult<Bound<'py, PyList>> {
        let text = utf8_text(text)?;
        let text = text.to_str()?;
        let tokens = py.detach(|| self.encoding().encode_ordinary(text)).map_err(|e| value_error(&e))?;
        self.ints.list(py, &tokens)
    }

    /// tiktoken's `Encoding.encode`, special-token checks included.
    fn encode<'py>(
        &self,
        py: Python<'py>,
        text: &Bound<'py, PyString>,
        allowed_special: &Bound<'py, PyAny>,
        disallowed_special: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyList>> {
        let tokens = self.encode_python(py, text, allowed_special, disallowed_special)?;
        self.ints.list(py, &tokens)
    }

    /// `encode` of `text` as a buffer of native-endian uint32 (for `encode_to_numpy`).
    fn encode_to_bytes<'py>(
        &self,
        py: Python<'py>,
        text: &Bound<'py, PyString>,
        allowed_special: &Bound<'py, PyAny>,
        disallowed_special: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyBytes>> {
        let tokens = self.encode_python(py, text, allowed_special, disallowed_special)?;
        let bytes: Vec<u8> = tokens.iter().flat_map(|t| t.to_ne_bytes()).collect();
        Ok(PyBytes::new(py, &bytes))
    }

    /// `encode_ordinary` of each text, on up to `num_threads` threads.
    fn encode_ordinary_batch<'py>(
        &self,
        py: Python<'py>,
        texts: &Bound<'py, PyAny>,
        num_threads: usize,
    ) -> PyResult<Bound<'py, PyList>> {
        self.batch(py, texts, num_threads, |text| self.encoding().encode_ordinary(text).map_err(EncodeFailure::Other))
    }

    /// `encode` of each text, on up to `num_threads` threads.
    fn encode_batch<'py>(
        &self,
        py: Python<'py>,
        texts: &Bound<'py, PyAny>,
        num_threads: usize,
        allowed_special: &Bound<'py, PyAny>,
        disallowed_special: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyList>> {
        let specials = self.specials(allowed_special, disallowed_special)?;
        self.batch(py, texts, num_threads, |text| self.encode_checked(text, &specials))
    }

    /// tiktoken's `encode_with_unstable`: stable tokens and the possible completions.
    fn encode_with_unstable<'py>(
        &self,
        py: Python<'py>,
        text: &Bound<'py, PyString>,
        allowed_special: &Bound<'py, PyAny>,
        disallowed_special: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyTuple>> {
        let specials = self.specials(allowed_special, disallowed_special)?;
        let text = text.to_str()?;
        if let Some(token) = self.encoding().first_disallowed(text, &specials.disallowed) {
            return Err(disallowed_error(py, token));
        }
        let none = SpecialSet::default();
        let (tokens, completions) = py
            .detach(|| self.encoding().encode_with_unstable(text, &specials.allowed, &none))
            .map_err(|e| value_error(&e))?;
        let mut completions: Vec<Vec<Rank>> = completions.into_iter().collect();
        completions.sort();
        let completions = completions.iter().map(|c| self.ints.list(py, c)).collect::<PyResult<Vec<_>>>()?;
        PyTuple::new(py, [self.ints.list(py, &tokens)?, PyList::new(py, completions)?])
    }

    /// The id of one token given as bytes (a mergeable token, or a special token's UTF-8).
    fn encode_single_token(&self, piece: &[u8]) -> PyResult<Rank> {
        self.encoding().encode_single_token(piece).map_err(|_| PyKeyError::new_err(piece.to_vec()))
    }

    /// BPE of `piece` without splitting.
    fn encode_single_piece<'py>(&self, py: Python<'py>, piece: &[u8]) -> PyResult<Bound<'py, PyList>> {
        self.ints.list(py, &self.encoding().encode_single_piece(piece))
    }

    /// tiktoken's `_encode_bytes`.
    fn _encode_bytes<'py>(&self, py: Python<'py>, bytes: &[u8]) -> PyResult<Bound<'py, PyList>> {
        let tokens = py.detach(|| self.encoding().encode_bytes(bytes)).map_err(|e| value_error(&e))?;
        self.ints.list(py, &tokens)
    }

    /// The bytes of `tokens`.
    #[allow(clippy::needless_pass_by_value, reason = "pyo3 extracts arguments as owned values")]
    fn decode_bytes<'py>(&self, py: Python<'py>, tokens: Vec<Rank>) -> PyResult<Bound<'py, PyBytes>> {
        let bytes =
            py.detach(|| self.encoding().decode_bytes(&tokens)).map_err(|e| PyKeyError::new_err(e.to_string()))?;
        Ok(PyBytes::new(py, &bytes))
    }

    /// The text of `tokens`: `decode_bytes(tokens).decode("utf-8", errors)`, without the
    /// intermediate bytes object when they are valid UTF-8.
    #[allow(clippy::needless_pass_by_value, reason = "pyo3 extracts arguments as owned values")]
    fn decode<'py>(&self, py: Python<'py>, tokens: Vec<Rank>, errors: &str) -> PyResult<Bound<'py, PyAny>> {
        let bytes =
            py.detach(|| self.encoding().decode_bytes(&tokens)).map_err(|e| PyKeyError::new_err(e.to_string()))?;
        match std::str::from_utf8(&bytes) {
            Ok(text) => Ok(PyString::new(py, text).into_any()),
            Err(_) => PyBytes::new(py, &bytes).call_method1("decode", ("utf-8", errors)),
        }
    }

    /// The bytes of one token (mergeable or special).
    fn decode_single_token_bytes<'py>(&self, py: Python<'py>, token: Rank) -> PyResult<Bound<'py, PyBytes>> {
        match self.encoding().token_bytes(token) {
            Ok(bytes) => Ok(PyBytes::new(py, bytes)),
            Err(_) => Err(PyKeyError::new_err(token.to_string())),
        }
    }

    /// The bytes of each token.
    fn decode_tokens_bytes<'py>(&self, py: Python<'py>, tokens: Vec<Rank>) -> PyResult<Bound<'py, PyList>> {
        let mut out = Vec::with_capacity(tokens.len());
        for token in tokens {
            out.push(self.decode_single_token_bytes(py, token)?);
        }
        PyList::new(py, out)
    }

    /// Every mergeable token's bytes, sorted.
    fn token_byte_values<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        PyList::new(py, self.encoding().token_byte_values().map(|b| PyBytes::new(py, b)))
    }
}

/// The bundled `.tiktoken` rank file of a built-in encoding (`None` for other names).
#[pyfunction]
fn bundled_rank_file<'py>(py: Python<'py>, name: &str) -> Option<Bound<'py, PyBytes>> {
    pyaot_tokenizer::bundled_rank_file(name).map(|bytes| PyBytes::new(py, bytes))
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<CoreBPE>()?;
    hf::register(m)?;
    m.add_function(wrap_pyfunction!(bundled_rank_file, m)?)?;
    Ok(())
}
