//! `pyaot-tokenizer-capi`: the C ABI of `pyaot-tokenizer`.
//!
//! **Status: not implemented yet** (tracked by the libs/tokenizer issue).
//!
//! It will export encoding lookup, encode and decode under names `pyaot_tokenizer_<type>_<verb>`,
//! as a `cdylib` and a `staticlib` with a cbindgen-generated header. It only converts types and
//! errors; every rule lives in `pyaot-tokenizer`.
