//! `pyaot-http`: a blocking HTTP/1.1 client with requests' behaviour, on `ureq` and `rustls`.
//!
//! ```no_run
//! use pyaot_http::{Client, Timeouts};
//! use std::time::Duration;
//!
//! let client = Client::builder().timeouts(Timeouts::both(Duration::from_secs(5))).build();
//! let mut response = client.get("https://example.org/search").query(&[("q", "pyaot")]).send()?;
//! println!("{} {}", response.status(), response.text()?);
//! # Ok::<(), pyaot_http::Error>(())
//! ```
//!
//! # What it does
//!
//! - Every method; query parameters, form, JSON, multipart and streamed bodies.
//! - Redirects as requests follows them: at most 30, history kept, `POST` turned into `GET` on
//!   301/302/303, the body resent on 307/308, `Authorization` dropped when the origin changes,
//!   cookies set along the chain sent on.
//! - Cookies in a [`Jar`] with `http.cookiejar`'s matching rules.
//! - gzip, deflate (zlib or raw) and brotli bodies decoded, with a bound on the decompressed size
//!   ([`DEFAULT_MAX_DECOMPRESSED`]).
//! - Proxies by requests' keys and from `HTTP_PROXY`/`HTTPS_PROXY`/`ALL_PROXY`/`NO_PROXY`
//!   (tunnelled with `CONNECT`, also for `http://` targets).
//! - Retries with backoff ([`Retry`]): connect failures for every method, read failures and
//!   listed statuses for idempotent methods.
//!
//! # Safe defaults
//!
//! - Certificates are verified against the system's roots plus Mozilla's ([`Verify::Default`]);
//!   `Verify::CaBundle(path)` trusts a PEM bundle instead; client certificates by [`Identity`].
//! - Timeouts are on unless removed: 10 s to connect, 60 s for each read ([`Timeouts::DEFAULT`]).
//! - Header names and values with CR or LF (or leading whitespace) are refused before sending.
//! - One connection pool per TLS setting, so a connection made without verification never
//!   serves a request that asks for it.
//!
//! Errors are one type, [`Error`], whose [`ErrorKind`] maps one-to-one to requests' exception
//! classes.

mod client;
mod cookies;
mod decode;
mod error;
mod multipart;
mod proxy;
mod reason;
mod request;
mod resolve;
mod response;
mod retry;
mod tcp;
mod tls;
mod url;

pub use client::{ACCEPT_ENCODING, Client, ClientBuilder, DEFAULT_MAX_DECOMPRESSED, USER_AGENT};
pub use cookies::{Cookie, Jar};
pub use error::{Error, ErrorKind, Result};
pub use multipart::{Multipart, Part};
pub use request::{Body, Request, RequestBuilder, Timeouts};
pub use response::{Response, SentRequest};
pub use retry::Retry;
pub use tls::{Identity, Verify};
pub use url::form_urlencode;
