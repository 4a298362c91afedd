//! Plain-http requests through a forward proxy: absolute-form request lines.

use pyaot_http::ErrorKind;

use crate::server::{Reply, Server, closed_port};
use crate::{builder, client};

/// A proxy that answers every request itself (recording what it got).
fn proxy() -> Server {
    Server::start(|_| Reply::ok("from the proxy").reason("Proxied"))
}

#[test]
fn request_line_names_the_target() {
    let proxy = proxy();
    // Nothing listens at the target: only the proxy can answer.
    let port = closed_port();
    let target = format!("http://127.0.0.1:{port}/x?y=1");
    let mut response = client().get(&target).query(&[("z", "a b")]).proxy("http", &proxy.url("")).send().unwrap();
    assert_eq!((response.status(), response.reason()), (200, "Proxied"));
    assert_eq!(response.text().unwrap(), "from the proxy");
    assert_eq!(response.url(), format!("{target}&z=a+b"));
    let got = proxy.requests();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].method, "GET");
    assert_eq!(got[0].target, format!("{target}&z=a+b"));
    assert_eq!(got[0].header("host"), Some(format!("127.0.0.1:{port}").as_str()));
    assert_eq!(got[0].header("proxy-authorization"), None);
}

#[test]
fn session_proxy_with_credentials() {
    let proxy = proxy();
    let port = closed_port();
    let proxy_url = format!("http://user:pw@127.0.0.1:{}", proxy.port());
    let client = builder().proxy("http", &proxy_url).build();
    client.post(&format!("http://127.0.0.1:{port}/submit")).body("data").send().unwrap();
    let got = &proxy.requests()[0];
    assert_eq!(got.method, "POST");
    assert_eq!(got.target, format!("http://127.0.0.1:{port}/submit"));
    assert_eq!(got.body, b"data");
    assert_eq!(got.header("proxy-authorization"), Some("Basic dXNlcjpwdw=="));
}

#[test]
fn unreachable_proxy_is_a_proxy_error() {
    let proxy_url = format!("http://127.0.0.1:{}", closed_port());
    let err = client().get("http://127.0.0.1:9/").proxy("http", &proxy_url).send().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Proxy, "{err}");
}
