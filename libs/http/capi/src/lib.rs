//! `pyaot-http-capi`: the C ABI of `pyaot-http`.
//!
//! **Status: not implemented yet** (tracked by the libs/http issue).
//!
//! It will export a session type and request/response functions under names
//! `pyaot_http_<type>_<verb>`, as a `cdylib` and a `staticlib` with a cbindgen-generated header.
//! It only converts types and errors; every rule lives in `pyaot-http`.
