//! Request bodies as the server receives them: bytes, form, JSON, multipart, streamed.

use std::collections::BTreeMap;
use std::io::Read;

use pyaot_http::{Multipart, Part};

use crate::client;
use crate::server::{Reply, Server};

#[test]
fn bytes_body_has_a_length_and_no_type() {
    let server = Server::start(|_| Reply::ok(""));
    client().post(&server.url("/")).body(vec![0u8, 1, 2, 255]).send().unwrap();
    let got = &server.requests()[0];
    assert_eq!(got.body, [0, 1, 2, 255]);
    assert_eq!(got.header("content-length"), Some("4"));
    assert_eq!(got.header("content-type"), None);
    assert!(!got.chunked);
}

#[test]
fn form_body() {
    let server = Server::start(|_| Reply::ok(""));
    client().post(&server.url("/form")).form(&[("name", "J Doe"), ("x", "a&b=c"), ("u", "\u{fc}")]).send().unwrap();
    let got = &server.requests()[0];
    let expected = "name=J+Doe&x=a%26b%3Dc&u=%C3%BC";
    assert_eq!(String::from_utf8_lossy(&got.body), expected);
    assert_eq!(got.header("content-type"), Some("application/x-www-form-urlencoded"));
    assert_eq!(got.header("content-length"), Some(expected.len().to_string().as_str()));
}

#[test]
fn json_body() {
    let server = Server::start(|_| Reply::ok(""));
    let value: BTreeMap<&str, Vec<u32>> = [("a", vec![1, 2]), ("b", vec![])].into();
    client().post(&server.url("/json")).json(&value).unwrap().send().unwrap();
    // The caller's Content-Type wins over the JSON default.
    client()
        .put(&server.url("/json"))
        .header("Content-Type", "application/vnd.api+json")
        .json(&("text", 1.5, [true, false]))
        .unwrap()
        .send()
        .unwrap();
    let got = server.requests();
    assert_eq!(String::from_utf8_lossy(&got[0].body), r#"{"a":[1,2],"b":[]}"#);
    assert_eq!(got[0].header("content-type"), Some("application/json"));
    assert_eq!(got[0].header("content-length"), Some("18"));
    assert_eq!(String::from_utf8_lossy(&got[1].body), r#"["text",1.5,[true,false]]"#);
    assert_eq!(got[1].header_all("content-type"), ["application/vnd.api+json"]);
}

#[test]
fn unserialisable_json_is_an_invalid_body() {
    // serde_json refuses maps whose keys are not strings.
    let value: BTreeMap<Vec<u8>, u8> = [(vec![1u8], 1u8)].into();
    let client = client();
    let err = client.post("http://127.0.0.1:9/").json(&value).err().expect("an error");
    assert_eq!(err.kind(), pyaot_http::ErrorKind::InvalidBody);
}

#[test]
fn multipart_body() {
    let server = Server::start(|_| Reply::ok(""));
    let form = Multipart::new()
        .part(Part::text("field", "value 1"))
        .part(Part::file("upload", "notes.txt", "file\r\ndata").content_type("text/plain"));
    client().post(&server.url("/upload")).multipart(&form).send().unwrap();
    let got = &server.requests()[0];
    let content_type = got.header("content-type").unwrap();
    let boundary = content_type.strip_prefix("multipart/form-data; boundary=").expect(content_type);
    assert_eq!(boundary.len(), 32);
    assert!(boundary.bytes().all(|b| b.is_ascii_hexdigit()), "{boundary}");
    let expected = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"field\"\r\n\r\nvalue 1\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"upload\"; filename=\"notes.txt\"\r\n\
         Content-Type: text/plain\r\n\r\nfile\r\ndata\r\n--{boundary}--\r\n"
    );
    assert_eq!(String::from_utf8_lossy(&got.body), expected);
    assert_eq!(got.body, form.encode_with_boundary(boundary));
    assert_eq!(got.header("content-length"), Some(expected.len().to_string().as_str()));
}

/// A reader that hands out at most five bytes per call, as a slow source would.
struct Trickle(&'static [u8]);

impl Read for Trickle {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.0.len().min(buf.len()).min(5);
        buf[..n].copy_from_slice(&self.0[..n]);
        self.0 = &self.0[n..];
        Ok(n)
    }
}

const STREAMED: &[u8] = b"a streamed body, read five bytes at a time by the client";

#[test]
fn streamed_body_without_length_is_chunked() {
    let server = Server::start(|_| Reply::ok(""));
    let response = client().post(&server.url("/stream")).body_reader(Trickle(STREAMED), None).send().unwrap();
    assert_eq!(response.status(), 200);
    // A streamed body is not kept.
    assert_eq!(response.request().body, None);
    let got = &server.requests()[0];
    assert!(got.chunked);
    assert_eq!(got.header("transfer-encoding"), Some("chunked"));
    assert_eq!(got.header("content-length"), None);
    assert_eq!(got.body, STREAMED);
}

#[test]
fn streamed_body_with_length_is_not_chunked() {
    let server = Server::start(|_| Reply::ok(""));
    client().put(&server.url("/stream")).body_reader(Trickle(STREAMED), Some(STREAMED.len() as u64)).send().unwrap();
    let got = &server.requests()[0];
    assert!(!got.chunked);
    assert_eq!(got.header("transfer-encoding"), None);
    assert_eq!(got.header("content-length"), Some(STREAMED.len().to_string().as_str()));
    assert_eq!(got.body, STREAMED);
}
