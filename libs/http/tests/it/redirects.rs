//! Redirects as requests follows them: method and body rules, history, the limit, and
//! `Authorization` across origins.

use pyaot_http::{ErrorKind, Response};

use crate::server::{Reply, Server};
use crate::{builder, client};

/// Redirects `/<status>` to `/target` with that status, answers everything else with 200.
fn redirecting_server() -> Server {
    Server::start(|r| match r.path().trim_start_matches('/').parse::<u16>() {
        Ok(status) => Reply::redirect(status, "/target").body("moved"),
        Err(_) => Reply::ok("arrived"),
    })
}

#[test]
fn post_302_becomes_get_and_drops_the_body() {
    let server = redirecting_server();
    let mut response = client().post(&server.url("/302")).form(&[("a", "1")]).send().unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.text().unwrap(), "arrived");
    assert_eq!(response.url(), server.url("/target"));
    let history: Vec<(u16, &str)> = response.history().iter().map(|r| (r.status(), r.url())).collect();
    assert_eq!(history, [(302, server.url("/302").as_str())]);
    assert!(response.history()[0].is_redirect());
    assert_eq!(response.request().method, "GET");
    assert_eq!(response.request().body, None);

    let got = server.requests();
    assert_eq!(got.len(), 2);
    assert_eq!((got[0].method.as_str(), got[0].body.as_slice()), ("POST", &b"a=1"[..]));
    assert_eq!((got[1].method.as_str(), got[1].target.as_str()), ("GET", "/target"));
    assert_eq!(got[1].body, b"");
    assert_eq!(got[1].header("content-length"), None);
    assert_eq!(got[1].header("content-type"), None);
    assert_eq!(got[1].header("transfer-encoding"), None);
}

#[test]
fn put_303_becomes_get_and_post_301_too() {
    let server = redirecting_server();
    client().put(&server.url("/303")).body("x").send().unwrap();
    client().post(&server.url("/301")).body("y").send().unwrap();
    let methods: Vec<(String, String)> = server.requests().into_iter().map(|r| (r.method, r.target)).collect();
    let expected = [("PUT", "/303"), ("GET", "/target"), ("POST", "/301"), ("GET", "/target")];
    assert_eq!(methods, expected.map(|(m, t)| (m.to_string(), t.to_string())));
}

#[test]
fn post_307_and_308_keep_method_and_body() {
    let server = redirecting_server();
    for status in [307, 308] {
        let response = client()
            .post(&server.url(&format!("/{status}")))
            .header("Content-Type", "text/plain")
            .body("keep me")
            .send()
            .unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(response.history().iter().map(Response::status).collect::<Vec<_>>(), [status]);
        assert_eq!(response.request().method, "POST");
        assert_eq!(response.request().body.as_deref().map(Vec::as_slice), Some(&b"keep me"[..]));
    }
    let got = server.requests();
    assert_eq!(got.len(), 4);
    for hop in [&got[1], &got[3]] {
        assert_eq!((hop.method.as_str(), hop.target.as_str()), ("POST", "/target"));
        assert_eq!(hop.body, b"keep me");
        assert_eq!(hop.header("content-length"), Some("7"));
        assert_eq!(hop.header("content-type"), Some("text/plain"));
    }
}

#[test]
fn streamed_body_cannot_follow_307() {
    let server = redirecting_server();
    let result = client().post(&server.url("/307")).body_reader(&b"once"[..], None).send();
    // requests raises UnrewindableBodyError before sending anything to the redirect target.
    let second = server.requests().get(1).cloned();
    assert_eq!(
        (result.as_ref().map(Response::status).map_err(pyaot_http::Error::kind), server.count()),
        (Err(ErrorKind::UnrewindableBody), 1),
        "second hop: {second:?}"
    );
}

#[test]
fn history_of_a_chain() {
    let server = Server::start(|r| match r.path() {
        "/a" => Reply::redirect(301, "/b"),
        "/b" => Reply::redirect(302, &format!("http://{}/c?x=1", r.header("host").unwrap())),
        "/c" => Reply::redirect(303, "d"),
        _ => Reply::ok("end"),
    });
    let mut response = client().get(&server.url("/a")).send().unwrap();
    assert_eq!(response.text().unwrap(), "end");
    assert_eq!(response.url(), server.url("/d"));
    let history: Vec<(u16, String)> = response.history().iter().map(|r| (r.status(), r.url().to_string())).collect();
    assert_eq!(history, [(301, server.url("/a")), (302, server.url("/b")), (303, server.url("/c?x=1"))]);
    let targets: Vec<String> = server.requests().into_iter().map(|r| r.target).collect();
    assert_eq!(targets, ["/a", "/b", "/c?x=1", "/d"]);
}

#[test]
fn redirects_not_followed_when_asked() {
    let server = redirecting_server();
    let mut response = client().get(&server.url("/302")).allow_redirects(false).send().unwrap();
    assert_eq!(response.status(), 302);
    assert!(response.is_redirect());
    assert!(!response.is_permanent_redirect());
    assert_eq!(response.redirect_target().as_deref(), Some("/target"));
    assert_eq!(response.text().unwrap(), "moved");
    assert!(response.history().is_empty());
    assert_eq!(server.count(), 1);
}

#[test]
fn too_many_redirects_carries_the_last_response() {
    let server = Server::start(|r| {
        let n: u32 = r.path().trim_start_matches("/r/").parse().unwrap();
        Reply::redirect(302, &format!("/r/{}", n + 1))
    });
    let err = builder().max_redirects(2).build().get(&server.url("/r/0")).send().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::TooManyRedirects);
    let last = err.response().expect("the last response");
    assert_eq!(last.status(), 302);
    assert_eq!(last.url(), server.url("/r/2"));
    assert_eq!(last.history().len(), 2);
    // The first request and two redirects followed, as requests does with max_redirects=2.
    let targets: Vec<String> = server.requests().into_iter().map(|r| r.target).collect();
    assert_eq!(targets, ["/r/0", "/r/1", "/r/2"]);
}

#[test]
fn authorization_kept_on_the_same_origin() {
    let server = Server::start(|r| match r.path() {
        "/start" => Reply::redirect(302, "/end"),
        _ => Reply::ok("end"),
    });
    client().get(&server.url("/start")).basic_auth("user", "pass").send().unwrap();
    let got = server.requests();
    assert_eq!(got.len(), 2);
    assert_eq!(got[0].header("authorization"), Some("Basic dXNlcjpwYXNz"));
    assert_eq!(got[1].header("authorization"), Some("Basic dXNlcjpwYXNz"));
}

#[test]
fn authorization_dropped_when_the_port_changes() {
    let other = Server::start(|_| Reply::ok("other"));
    let elsewhere = other.url("/end");
    let server = Server::start(move |_| Reply::redirect(302, &elsewhere));
    let client = client();
    let mut response = client.get(&server.url("/start")).basic_auth("user", "pass").send().unwrap();
    assert_eq!(response.text().unwrap(), "other");
    client.get(&server.url("/start")).header("Authorization", "Bearer token").send().unwrap();
    let first = server.requests();
    assert_eq!(first[0].header("authorization"), Some("Basic dXNlcjpwYXNz"));
    assert_eq!(first[1].header("authorization"), Some("Bearer token"));
    let second = other.requests();
    assert_eq!(second.len(), 2);
    assert_eq!(second[0].header("authorization"), None);
    assert_eq!(second[1].header("authorization"), None);
    assert_eq!(second[0].header("host"), Some(format!("127.0.0.1:{}", other.port()).as_str()));
}
