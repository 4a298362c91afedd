//! `pyaot-tokenizer`: BPE tokenization with token ids identical to tiktoken, and BPE training
//! identical to HuggingFace `tokenizers`.
//!
//! **Status: not implemented yet** (tracked by the two libs/tokenizer issues). This crate holds
//! only its purpose until then.
//!
//! # What it is for
//!
//! - The encodings `r50k_base` (`gpt2`), `p50k_base`, `p50k_edit`, `cl100k_base` and
//!   `o200k_base`, with tiktoken's special-token rules, decoding and offsets.
//! - Speed from a pre-tokenizer that reproduces each encoding's split pattern without a
//!   backtracking regex, and a merge that is fast on long pieces.
//! - Pipeline components (pre-tokenizers, normalizers, post-processors, decoders) as Cargo
//!   features that cost nothing when off, and BPE training.
//!
//! # What it is not for
//!
//! It is not a general regex engine (custom split patterns go through `pyaot-regex`) and it never
//! depends on pyo3; bindings live in `capi/`, `python/` and `wasm/`.
