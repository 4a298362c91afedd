//! `pyaot-json-capi`: the C ABI of [`pyaot-json`](../pyaot_json/index.html).
//!
//! **Status: not implemented yet** (tracked by the libs/json issue).
//!
//! It will export parse/validate, serialize with options, minify and pretty-print, with errors
//! carrying positions, under names `pyaot_json_<type>_<verb>`, as a `cdylib` and a `staticlib`
//! with a cbindgen-generated header in `include/`. It only converts types and errors; every rule
//! lives in `pyaot-json`.
