//! What a plain request puts on the wire (query, headers, defaults) and what a response
//! exposes (status line, headers, text, JSON, the request as sent).

use std::collections::BTreeMap;

use pyaot_http::{ACCEPT_ENCODING, Request, USER_AGENT};

use crate::server::{Reply, Server};
use crate::{builder, client};

#[test]
fn query_pairs_are_urlencoded_and_appended() {
    let server = Server::start(|_| Reply::ok("done"));
    let mut response = client()
        .get(&server.url("/search?z=1"))
        .query(&[("q", "a b"), ("sym", "&=+/"), ("u", "\u{e9}")])
        .query(&[("empty", "")])
        .send()
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.text().unwrap(), "done");
    let expected = "/search?z=1&q=a+b&sym=%26%3D%2B%2F&u=%C3%A9&empty=";
    assert_eq!(response.url(), server.url(expected));
    let got = server.requests();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].method, "GET");
    assert_eq!(got[0].target, expected);
    assert_eq!(got[0].version, "HTTP/1.1");
}

#[test]
fn caller_headers_reach_the_server() {
    let server = Server::start(Reply::echo);
    let mut response = client()
        .get(&server.url("/echo"))
        .header("X-Custom", "first")
        .header("x-custom", "second")
        .header("X-Latin", "caf\u{e9}")
        .header("X-Empty", "")
        .send()
        .unwrap();
    let text = response.text().unwrap();
    assert!(text.starts_with("GET /echo\n"), "{text}");
    assert!(text.contains("\nx-custom: second\n"), "{text}");
    assert!(text.contains("\nx-latin: caf\u{e9}\n"), "{text}");
    let got = &server.requests()[0];
    // A header set twice is replaced, not repeated.
    assert_eq!(got.header_all("x-custom"), ["second"]);
    assert_eq!(got.header("x-empty"), Some(""));
}

#[test]
fn default_headers_and_overrides() {
    let server = Server::start(|_| Reply::ok(""));
    let client = client();
    client.get(&server.url("/a")).send().unwrap();
    client.get(&server.url("/b")).header("User-Agent", "mine/1.0").remove_header("Accept").send().unwrap();
    builder().user_agent("agent/2").build().get(&server.url("/c")).send().unwrap();
    let got = server.requests();
    let first = &got[0];
    assert!(first.header("user-agent").unwrap().starts_with("pyaot-http/"));
    assert_eq!(first.header("user-agent"), Some(USER_AGENT));
    assert_eq!(first.header("accept-encoding"), Some("gzip, deflate, br"));
    assert_eq!(ACCEPT_ENCODING, "gzip, deflate, br");
    assert_eq!(first.header("accept"), Some("*/*"));
    assert_eq!(first.header("connection"), Some("keep-alive"));
    assert_eq!(first.header("host"), Some(format!("127.0.0.1:{}", server.port()).as_str()));
    // A GET without a body says nothing about its length.
    assert_eq!(first.header("content-length"), None);
    assert_eq!(first.header("transfer-encoding"), None);
    assert_eq!(got[1].header("user-agent"), Some("mine/1.0"));
    assert_eq!(got[1].header("accept"), None);
    assert_eq!(got[1].header("accept-encoding"), Some("gzip, deflate, br"));
    assert_eq!(got[2].header("user-agent"), Some("agent/2"));
}

#[test]
fn bodiless_methods_other_than_get_and_head_send_a_zero_length() {
    let server = Server::start(|_| Reply::ok(""));
    let client = client();
    client.delete(&server.url("/d")).send().unwrap();
    client.options(&server.url("/o")).send().unwrap();
    client.post(&server.url("/p")).send().unwrap();
    let got = server.requests();
    let summary: Vec<(&str, Option<&str>)> =
        got.iter().map(|r| (r.method.as_str(), r.header("content-length"))).collect();
    assert_eq!(summary, [("DELETE", Some("0")), ("OPTIONS", Some("0")), ("POST", Some("0"))]);
}

#[test]
fn basic_auth_header() {
    let server = Server::start(|_| Reply::ok(""));
    client().get(&server.url("/")).basic_auth("user", "pass").send().unwrap();
    client().get(&format!("http://al%40ice:s3cret@127.0.0.1:{}/", server.port())).send().unwrap();
    let got = server.requests();
    assert_eq!(got[0].header("authorization"), Some("Basic dXNlcjpwYXNz"));
    // Credentials in the URL are percent-decoded: "al@ice:s3cret".
    assert_eq!(got[1].header("authorization"), Some("Basic YWxAaWNlOnMzY3JldA=="));
}

#[test]
fn custom_reason_phrase_is_kept() {
    let server = Server::start(|r| match r.path() {
        "/fine" => Reply::new(200).reason("Fine Thanks").body("ok"),
        _ => Reply::new(404).reason("Nowhere To Be Found"),
    });
    let client = client();
    let fine = client.get(&server.url("/fine")).send().unwrap();
    assert_eq!((fine.status(), fine.reason()), (200, "Fine Thanks"));
    assert!(fine.ok());
    assert_eq!(fine.status_error_message(), None);
    let missing = client.get(&server.url("/missing")).send().unwrap();
    assert_eq!((missing.status(), missing.reason()), (404, "Nowhere To Be Found"));
    assert!(!missing.ok());
    assert_eq!(
        missing.status_error_message().unwrap(),
        format!("404 Client Error: Nowhere To Be Found for url: {}", server.url("/missing"))
    );
}

#[test]
fn response_headers_encoding_and_text() {
    let server = Server::start(|_| {
        Reply::new(200)
            .header("Content-Type", "text/html")
            .header("X-Multi", "a")
            .header("X-Multi", "b")
            .body(b"caf\xe9".to_vec())
    });
    let mut response = client().get(&server.url("/")).send().unwrap();
    assert_eq!(response.version(), "HTTP/1.1");
    let names: Vec<&str> = response.headers().iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(names, ["content-type", "x-multi", "x-multi", "content-length"]);
    assert_eq!(response.header("X-MULTI").as_deref(), Some("a, b"));
    assert_eq!(response.header("content-length").as_deref(), Some("4"));
    assert_eq!(response.header("missing"), None);
    // text/* without a charset is ISO-8859-1, as requests says.
    assert_eq!(response.encoding().as_deref(), Some("ISO-8859-1"));
    assert_eq!(response.text().unwrap(), "caf\u{e9}");
    assert_eq!(response.bytes().unwrap(), b"caf\xe9");
    assert!(!response.is_redirect());
}

#[test]
fn json_response() {
    let server = Server::start(|_| {
        Reply::new(200).header("Content-Type", "application/json").body(r#"{"n": [1, 2, 3], "m": []}"#)
    });
    let mut response = client().get(&server.url("/")).send().unwrap();
    assert_eq!(response.encoding().as_deref(), Some("utf-8"));
    let value: BTreeMap<String, Vec<u32>> = response.json().unwrap();
    let expected: BTreeMap<String, Vec<u32>> = [("m".to_string(), vec![]), ("n".to_string(), vec![1, 2, 3])].into();
    assert_eq!(value, expected);
    let err = client().get(&server.url("/")).send().unwrap().json::<Vec<u32>>().unwrap_err();
    assert_eq!(err.kind(), pyaot_http::ErrorKind::InvalidBody);
}

#[test]
fn head_reads_no_body() {
    let server = Server::start(|_| Reply::ok("hello"));
    let mut response = client().head(&server.url("/")).send().unwrap();
    assert_eq!(response.header("content-length").as_deref(), Some("5"));
    assert_eq!(response.bytes().unwrap(), b"");
    assert_eq!(server.requests()[0].method, "HEAD");
}

#[test]
fn execute_a_built_request() {
    let server = Server::start(|_| Reply::ok("ok"));
    let client = client();
    let request = client.put(&server.url("/put")).header("X-A", "1").body("payload").build();
    let response = client.execute(request, None).unwrap();
    assert_eq!(response.request().method, "PUT");
    assert_eq!(response.request().body.as_deref().map(Vec::as_slice), Some(&b"payload"[..]));

    let mut request = Request::new("patch", server.url("/patch"));
    request.set_header("X-B", "2");
    request.set_body(b"x=1".to_vec(), Some("text/plain"));
    request.add_raw_query("a=1&b=%20");
    let response = client.execute(request, None).unwrap();
    let sent = response.request();
    assert_eq!(sent.method, "PATCH");
    assert_eq!(sent.url, server.url("/patch?a=1&b=%20"));
    assert!(sent.headers.iter().any(|(k, v)| k == "X-B" && v == "2"), "{:?}", sent.headers);

    let got = server.requests();
    assert_eq!((got[0].method.as_str(), got[0].target.as_str()), ("PUT", "/put"));
    assert_eq!(got[0].body, b"payload");
    assert_eq!(got[0].header("content-length"), Some("7"));
    assert_eq!(got[0].header("x-a"), Some("1"));
    assert_eq!((got[1].method.as_str(), got[1].target.as_str()), ("PATCH", "/patch?a=1&b=%20"));
    assert_eq!(got[1].body, b"x=1");
    assert_eq!(got[1].header("content-type"), Some("text/plain"));
    assert_eq!(got[1].header("x-b"), Some("2"));
}

#[test]
fn connections_are_kept_alive() {
    let server = Server::start(|_| Reply::ok("again"));
    let client = client();
    for _ in 0..3 {
        assert_eq!(client.get(&server.url("/")).send().unwrap().text().unwrap(), "again");
    }
    let connections: Vec<usize> = server.requests().iter().map(|r| r.connection).collect();
    assert_eq!(connections, [connections[0]; 3], "one pooled connection serves all three");
}
