//! `pyaot-tokenizer-py`: the Python binding of `pyaot-tokenizer`, installed as the package
//! `pyaot_tokenizer`.
//!
//! **Status: not implemented yet** (tracked by the libs/tokenizer issue). When it lands, this
//! folder gains a `pyproject.toml` (maturin) and `pip install ./libs/tokenizer/python` builds it.
//!
//! It is a drop-in for tiktoken's API (`get_encoding`, `encoding_for_model`, `Encoding`, batch
//! forms, pickling) that releases the GIL while it encodes. It only converts types and errors.
