//! `stream(true)`: the headers first, the body read in pieces.

use std::sync::mpsc;
use std::sync::{Arc, Mutex};

use pyaot_http::ErrorKind;

use crate::client;
use crate::server::{Reply, Server};

#[test]
fn send_returns_before_the_body_is_complete() {
    let (open, gate) = mpsc::channel::<()>();
    let gate = Arc::new(Mutex::new(gate));
    let server = Server::start(move |_| {
        Reply::new(200).chunked(&[b"first piece|", b"second piece|", b"third"]).gate(gate.clone())
    });
    let mut response = client().get(&server.url("/")).stream(true).send().unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.header("transfer-encoding").as_deref(), Some("chunked"));
    assert!(!response.is_buffered());
    // Only the first piece has been sent: reading stops there until the server goes on.
    let mut first = Vec::new();
    let mut buf = [0u8; 64];
    while first.len() < b"first piece|".len() {
        let n = response.read_chunk(&mut buf).unwrap();
        assert!(n > 0, "the body ended early");
        first.extend_from_slice(&buf[..n]);
    }
    assert_eq!(first, b"first piece|");
    open.send(()).unwrap();
    let mut rest = Vec::new();
    loop {
        let n = response.read_chunk(&mut buf).unwrap();
        if n == 0 {
            break;
        }
        rest.extend_from_slice(&buf[..n]);
    }
    assert_eq!(rest, b"second piece|third");
    assert!(response.is_consumed());
}

#[test]
fn read_chunk_hands_out_pieces_no_bigger_than_the_buffer() {
    let body: Vec<u8> = (0..100u8).collect();
    let server = {
        let body = body.clone();
        Server::start(move |_| Reply::new(200).body(body.clone()))
    };
    let mut response = client().get(&server.url("/")).stream(true).send().unwrap();
    let mut pieces: Vec<Vec<u8>> = Vec::new();
    let mut buf = [0u8; 7];
    loop {
        let n = response.read_chunk(&mut buf).unwrap();
        if n == 0 {
            break;
        }
        pieces.push(buf[..n].to_vec());
    }
    assert!(pieces.len() >= 15, "{} pieces", pieces.len());
    assert!(pieces.iter().all(|p| p.len() <= 7));
    assert_eq!(pieces.concat(), body);
    // At the end it stays at the end, and the body cannot be read again as a whole.
    assert_eq!(response.read_chunk(&mut buf).unwrap(), 0);
    assert_eq!(response.bytes().unwrap_err().kind(), ErrorKind::StreamConsumed);
}

#[test]
fn without_stream_the_body_is_read_by_send() {
    let server = Server::start(|_| Reply::new(200).chunked(&[b"ab", b"cd"]));
    let mut response = client().get(&server.url("/")).send().unwrap();
    assert!(response.is_buffered());
    assert_eq!(response.bytes().unwrap(), b"abcd");
    // A kept body is not a stream any more.
    assert_eq!(response.read_chunk(&mut [0u8; 4]).unwrap_err().kind(), ErrorKind::StreamConsumed);
}
