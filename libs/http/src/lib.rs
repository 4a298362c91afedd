//! `pyaot-http`: a blocking HTTP/1.1 client with a requests-shaped API, on `ureq` and `rustls`.
//!
//! **Status: not implemented yet** (tracked by the libs/http issue). This crate holds only its
//! purpose until then.
//!
//! # What it is for
//!
//! - `get`/`post`/`put`/`patch`/`delete`/`head`/`options`, sessions with pooling and cookies,
//!   query parameters, form, JSON and multipart bodies, redirects with history, streaming,
//!   decompression, proxies, retries and requests' exception hierarchy.
//! - Safe defaults: certificate verification on, default timeouts, a redirect limit, header
//!   values with CR/LF rejected, bounded decompression.
//!
//! # What it is not for
//!
//! It is not an async client and not a server. It never depends on pyo3.
