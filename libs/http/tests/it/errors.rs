//! Failures and their kinds: timeouts, refused connections, refused URLs and headers.

use std::time::Duration;

use pyaot_http::{ErrorKind, Timeouts};

use crate::server::{Reply, Server, closed_port};
use crate::{builder, client};

#[test]
fn read_timeout() {
    let server = Server::start(|_| Reply::ok("too late").delay(Duration::from_secs(2)));
    let timeouts = Timeouts { connect: Some(Duration::from_secs(1)), read: Some(Duration::from_millis(200)) };
    let err = client().get(&server.url("/slow")).timeouts(timeouts).send().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ReadTimeout, "{err}");
    assert!(err.is_timeout());
    assert!(err.response().is_none());
}

#[test]
fn connection_refused() {
    let url = format!("http://127.0.0.1:{}/", closed_port());
    let err = client().get(&url).send().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Connection, "{err}");
    assert!(!err.is_timeout());
}

#[test]
fn https_only_refuses_http() {
    let server = Server::start(|_| Reply::ok(""));
    let err = builder().https_only(true).build().get(&server.url("/")).send().unwrap_err();
    // ureq's own check refuses it; the URL's scheme is what is wrong.
    assert_eq!(err.kind(), ErrorKind::InvalidSchema, "{err}");
    assert!(err.message().contains("https only"), "{err}");
    // Nothing was sent: the next (allowed) request is the first the server sees.
    client().get(&server.url("/after")).send().unwrap();
    let targets: Vec<String> = server.requests().into_iter().map(|r| r.target).collect();
    assert_eq!(targets, ["/after"]);
}

#[test]
fn header_with_crlf_is_refused_before_sending() {
    let server = Server::start(|_| Reply::ok(""));
    let client = client();
    let url = server.url("/bad");
    let attempts = [
        client.get(&url).header("X-Bad", "a\r\nInjected: yes").send(),
        client.get(&url).header("X-Bad", "a\nb").send(),
        client.get(&url).header("X-Bad", " leading space").send(),
        client.get(&url).header("Bad Name", "v").send(),
        client.get(&url).header("X-Bad:", "v").send(),
    ];
    for (i, result) in attempts.into_iter().enumerate() {
        assert_eq!(result.unwrap_err().kind(), ErrorKind::InvalidHeader, "attempt {i}");
    }
    client.get(&server.url("/good")).send().unwrap();
    let got = server.requests();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].target, "/good");
    assert_eq!(got[0].header("injected"), None);
}

#[test]
fn url_errors() {
    let client = client();
    let cases = [
        ("example.com/path", ErrorKind::MissingSchema),
        ("/relative/path", ErrorKind::MissingSchema),
        ("ftp://example.com/file", ErrorKind::InvalidSchema),
        ("file:///etc/passwd", ErrorKind::InvalidSchema),
        ("localhost:8080/path", ErrorKind::InvalidSchema),
        ("http://", ErrorKind::InvalidUrl),
        ("http:///path", ErrorKind::InvalidUrl),
        ("http://exa mple.com/", ErrorKind::InvalidUrl),
        ("http://127.0.0.1:99999/", ErrorKind::InvalidUrl),
        ("http://127.0.0.1:8o/", ErrorKind::InvalidUrl),
        ("http://*.example.com/", ErrorKind::InvalidUrl),
    ];
    for (url, kind) in cases {
        let err = client.get(url).send().unwrap_err();
        assert_eq!(err.kind(), kind, "{url}: {err}");
    }
}

#[test]
fn body_cut_short_is_a_chunked_encoding_error() {
    let server = Server::start(|_| Reply::new(200).header("Content-Length", "100").body("only ten b").then_close());
    let err = client().get(&server.url("/")).send().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ChunkedEncoding, "{err}");
    let mut response = client().get(&server.url("/")).stream(true).send().unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.bytes().unwrap_err().kind(), ErrorKind::ChunkedEncoding);
}

#[test]
fn a_bad_ca_bundle_only_fails_tls_requests() {
    let server = Server::start(|_| Reply::ok("plain"));
    let bad = || pyaot_http::Verify::CaBundle("/nonexistent/ca.pem".into());
    let mut r = client().get(&server.url("/")).verify(bad()).send().unwrap();
    assert_eq!(r.text().unwrap(), "plain");
    let err = client().get("https://127.0.0.1:1/").verify(bad()).send().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidConfig, "{err}");
    assert!(err.message().contains("invalid path"), "{err}");
}
