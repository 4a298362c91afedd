//! Integration tests of `pyaot-http` (one test binary for the crate), against local servers
//! written with `std` only (`server.rs`): every test starts its own server on a free port, so
//! tests run in parallel and need no network.

mod bodies;
mod cookies;
mod decoding;
mod errors;
mod proxy;
mod redirects;
mod requests;
mod retries;
mod server;
mod streaming;

use std::time::Duration;

use pyaot_http::{Client, ClientBuilder, Timeouts};

/// A client builder for tests: proxies from the environment ignored (a CI machine's
/// `HTTP_PROXY` must not reroute requests to 127.0.0.1), and timeouts short enough that a
/// broken exchange fails the test instead of hanging it.
pub fn builder() -> ClientBuilder {
    Client::builder().trust_env(false).timeouts(Timeouts::both(Duration::from_secs(5)))
}

/// A client with the test defaults of [`builder`].
pub fn client() -> Client {
    builder().build()
}
