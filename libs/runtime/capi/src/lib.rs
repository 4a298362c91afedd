//! `pyaot-runtime-capi`: a C ABI for embedding `pyaot-runtime`.
//!
//! **Status: not implemented yet** (tracked by the compiler + runtime issue).
//!
//! It will let C and C++ hosts create and inspect runtime objects and call compiled functions,
//! under names `pyaot_runtime_<type>_<verb>`, with a cbindgen-generated header.
