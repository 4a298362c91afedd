//! Cookies: kept in a `Jar` across requests, and carried along one redirect chain without one.

use pyaot_http::Jar;

use crate::client;
use crate::server::{Reply, Server};

fn cookie_server() -> Server {
    Server::start(|r| match r.path() {
        "/set" => Reply::ok("set")
            .header("Set-Cookie", "session=abc; Path=/")
            .header("Set-Cookie", "theme=dark; Path=/; HttpOnly")
            .header("Set-Cookie", "admin=1; Path=/admin"),
        "/logout" => Reply::ok("bye").header("Set-Cookie", "session=; Max-Age=0; Path=/"),
        "/login" => Reply::redirect(302, "/home").header("Set-Cookie", "token=t1; Path=/"),
        _ => Reply::ok("page"),
    })
}

#[test]
fn jar_stores_and_sends_back() {
    let server = cookie_server();
    let client = client();
    let jar = Jar::new();
    let first = client.get(&server.url("/set")).jar(&jar).send().unwrap();
    let set: Vec<(&str, &str)> = first.cookies().iter().map(|c| (c.name.as_str(), c.value.as_str())).collect();
    assert_eq!(set, [("session", "abc"), ("theme", "dark"), ("admin", "1")]);
    assert_eq!(jar.len(), 3);
    let stored = jar.cookies();
    assert_eq!(stored[0].domain, "127.0.0.1");
    assert_eq!(stored[0].path, "/");
    assert!(!stored[0].http_only && stored[1].http_only);
    assert_eq!(stored[2].path, "/admin");
    assert_eq!(jar.header_for(&server.url("/x")).as_deref(), Some("session=abc; theme=dark"));

    client.get(&server.url("/page")).jar(&jar).send().unwrap();
    client.get(&server.url("/admin/panel")).jar(&jar).cookie("extra", "1").send().unwrap();
    // Without the jar nothing is sent: the client itself keeps no cookies.
    client.get(&server.url("/page")).send().unwrap();
    client.get(&server.url("/logout")).jar(&jar).send().unwrap();
    client.get(&server.url("/page")).jar(&jar).send().unwrap();

    let cookies: Vec<Option<String>> =
        server.requests().iter().map(|r| r.header("cookie").map(str::to_string)).collect();
    let expected = [
        None,
        Some("session=abc; theme=dark"),
        Some("admin=1; session=abc; theme=dark; extra=1"),
        None,
        Some("session=abc; theme=dark"),
        Some("theme=dark"),
    ];
    assert_eq!(cookies, expected.map(|c| c.map(str::to_string)));
    assert_eq!(jar.len(), 2);
}

#[test]
fn cookies_set_in_a_redirect_reach_the_final_hop_without_a_jar() {
    let server = cookie_server();
    let client = client();
    let response = client.get(&server.url("/login")).send().unwrap();
    assert_eq!(response.url(), server.url("/home"));
    let set: Vec<&str> = response.history()[0].cookies().iter().map(|c| c.name.as_str()).collect();
    assert_eq!(set, ["token"]);
    client.get(&server.url("/home")).send().unwrap();
    let got = server.requests();
    assert_eq!(got.len(), 3);
    assert_eq!(got[0].header("cookie"), None);
    assert_eq!(got[1].header("cookie"), Some("token=t1"));
    // The chain's cookies do not outlive the call.
    assert_eq!(got[2].header("cookie"), None);
}

#[test]
fn cookies_set_in_a_redirect_land_in_the_jar() {
    let server = cookie_server();
    let jar = Jar::new();
    client().get(&server.url("/login")).jar(&jar).send().unwrap();
    assert_eq!(jar.header_for(&server.url("/")).as_deref(), Some("token=t1"));
    assert_eq!(server.requests()[1].header("cookie"), Some("token=t1"));
}
