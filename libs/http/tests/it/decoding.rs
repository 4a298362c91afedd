//! Compressed response bodies: decoded, and bounded.

use pyaot_http::{DEFAULT_MAX_DECOMPRESSED, ErrorKind};

use crate::server::{Reply, Server};
use crate::{builder, client};

/// `gzip.compress(b"hello, gzip! " * 3, compresslevel=9, mtime=0)` from Python.
const HELLO_GZ: [u8; 36] = [
    0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03, 0xcb, 0x48, 0xcd, 0xc9, 0xc9, 0xd7, 0x51, 0x48, 0xaf,
    0xca, 0x2c, 0x50, 0x54, 0xc8, 0xc0, 0xc9, 0x01, 0x00, 0x7e, 0xd2, 0x24, 0x29, 0x27, 0x00, 0x00, 0x00,
];

/// `gzip.compress(b"\0" * (10 * 1024 * 1024), compresslevel=9, mtime=0)`: 10 KB that
/// decompress to 10 MiB.
const BOMB_GZ: &[u8] = include_bytes!("data/bomb.gz");
const BOMB_SIZE: usize = 10 * 1024 * 1024;

fn gzip_server() -> Server {
    Server::start(|r| {
        let body: &[u8] = match r.path() {
            "/hello" => &HELLO_GZ,
            "/bomb" => BOMB_GZ,
            _ => b"this is not gzip data",
        };
        Reply::new(200)
            .header("Content-Type", "text/plain; charset=utf-8")
            .header("Content-Encoding", "gzip")
            .body(body)
    })
}

#[test]
fn gzip_body_is_decoded() {
    let server = gzip_server();
    let mut response = client().get(&server.url("/hello")).send().unwrap();
    assert_eq!(response.text().unwrap(), "hello, gzip! hello, gzip! hello, gzip! ");
    assert_eq!(response.header("content-encoding").as_deref(), Some("gzip"));
    assert_eq!(response.header("content-length").as_deref(), Some("36"));
    let mut streamed = client().get(&server.url("/hello")).stream(true).send().unwrap();
    let mut text = String::new();
    std::io::Read::read_to_string(&mut streamed.reader(), &mut text).unwrap();
    assert_eq!(text, "hello, gzip! hello, gzip! hello, gzip! ");
}

#[test]
fn corrupt_gzip_is_a_decoding_error() {
    let server = gzip_server();
    let err = client().get(&server.url("/corrupt")).send().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ContentDecoding);
}

#[test]
fn bomb_refused_past_the_bound() {
    assert_eq!(BOMB_GZ.len(), 10221);
    let server = gzip_server();
    let client = builder().max_decompressed_size(Some(1 << 20)).build();
    let err = client.get(&server.url("/bomb")).send().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ContentDecoding);
    // Streamed, the headers arrive and reading the body fails the same way.
    let mut response = client.get(&server.url("/bomb")).stream(true).send().unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.bytes().unwrap_err().kind(), ErrorKind::ContentDecoding);
}

#[test]
fn bomb_accepted_with_the_default_bound() {
    assert_eq!(DEFAULT_MAX_DECOMPRESSED, 1 << 30);
    let server = gzip_server();
    let mut response = client().get(&server.url("/bomb")).send().unwrap();
    let body = response.bytes().unwrap();
    assert_eq!(body.len(), BOMB_SIZE);
    assert!(body.iter().all(|&b| b == 0));
}
