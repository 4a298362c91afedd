//! Retries: listed statuses for idempotent methods, connect failures, dropped connections.

use pyaot_http::{ErrorKind, Retry};

use crate::builder;
use crate::server::{Reply, Server, closed_port};

/// Answers 503 to the first `failures` requests, then 200.
fn flaky(failures: usize) -> Server {
    Server::start(move |r| if r.seq < failures { Reply::new(503).body("busy") } else { Reply::ok("finally") })
}

#[test]
fn status_retries_until_success() {
    let server = flaky(2);
    let retry = Retry { status_forcelist: vec![503], ..Retry::new(2) };
    let mut response = builder().retry(retry).build().get(&server.url("/")).send().unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.text().unwrap(), "finally");
    assert!(response.history().is_empty());
    assert_eq!(server.count(), 3);
}

#[test]
fn status_retries_exhausted() {
    let server = flaky(usize::MAX);
    let retry = Retry { status_forcelist: vec![503], ..Retry::new(1) };
    let err = builder().retry(retry).build().get(&server.url("/")).send().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::RetriesExhausted, "{err}");
    assert_eq!(err.response().map(pyaot_http::Response::status), Some(503));
    assert_eq!(server.count(), 2);
}

#[test]
fn status_retries_exhausted_without_raising() {
    let server = flaky(usize::MAX);
    let retry = Retry { status_forcelist: vec![503], raise_on_status: false, ..Retry::new(1) };
    let mut response = builder().retry(retry).build().get(&server.url("/")).send().unwrap();
    assert_eq!(response.status(), 503);
    assert_eq!(response.text().unwrap(), "busy");
    assert_eq!(server.count(), 2);
}

#[test]
fn post_is_not_retried_on_status() {
    let server = flaky(usize::MAX);
    let retry = Retry { status_forcelist: vec![503], ..Retry::new(3) };
    let response = builder().retry(retry).build().post(&server.url("/")).body("x").send().unwrap();
    assert_eq!(response.status(), 503);
    assert_eq!(server.count(), 1);
}

#[test]
fn connect_failures_are_retried_then_reported() {
    let url = format!("http://127.0.0.1:{}/", closed_port());
    let retry = Retry { backoff_factor: 0.0, ..Retry::new(3) };
    let client = builder().retry(retry).build();
    // Connect failures are retried for every method: the request never left.
    for result in [client.get(&url).send(), client.post(&url).body("x").send()] {
        assert_eq!(result.unwrap_err().kind(), ErrorKind::Connection);
    }
}

#[test]
fn dropped_connections_are_retried_for_idempotent_methods_only() {
    let (get_server, post_server) = (Server::start(|_| Reply::hang_up()), Server::start(|_| Reply::hang_up()));
    let client = builder().retry(Retry::new(2)).build();
    let get = client.get(&get_server.url("/get")).send().unwrap_err();
    let post = client.post(&post_server.url("/post")).body("x").send().unwrap_err();
    // requests: ConnectionError (RemoteDisconnected: no response at all, so not a body error);
    // total + 1 attempts for GET, and a POST that was sent is not resent.
    assert_eq!(
        (get.kind(), get_server.count(), post.kind(), post_server.count()),
        (ErrorKind::Connection, 3, ErrorKind::Connection, 1),
        "GET: {get}; POST: {post}"
    );
}
