//! The `http-rust` suite: one keep-alive GET through `pyaot_http::Client` against the same GET
//! through a bare `ureq::Agent` (the transport pyaot-http is built on), so the difference is what
//! pyaot-http adds: requests' header and URL handling, cookies, redirect and decoding checks.
//!
//! The server is a thread of this process (no nginx needed): `std::net::TcpListener` on
//! 127.0.0.1, a thread per connection, keep-alive, a fixed response per path (`/1k`: 1 KiB,
//! `/1m`: 1 MiB of fixed pseudo-random bytes) written with one `write_all`. Each engine keeps
//! one client, so after its first request every GET reuses the connection.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::rc::Rc;
use std::sync::Arc;

use criterion::{Criterion, criterion_group, criterion_main};
use pyaot_bench_harness::inproc::{self, Engine};
use pyaot_bench_harness::suite::sha256_hex;

/// Path -> body size; the case names are `keepalive-<path>`.
const BODIES: [(&str, usize); 2] = [("1k", 1024), ("1m", 1024 * 1024)];

/// Fixed pseudo-random bytes (xorshift64*), so the body cannot be guessed or compressed.
fn body(len: usize) -> Vec<u8> {
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    (0..len)
        .map(|_| {
            state ^= state >> 12;
            state ^= state << 25;
            state ^= state >> 27;
            (state.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 56) as u8
        })
        .collect()
}

/// Starts the server; returns its base URL (`http://127.0.0.1:PORT`). It lives as long as the
/// process.
fn serve() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
    let url = format!("http://{}", listener.local_addr().expect("bound"));
    let responses: Arc<Vec<(String, Vec<u8>)>> = Arc::new(
        BODIES
            .iter()
            .map(|&(path, len)| {
                let mut response = format!(
                    "HTTP/1.1 200 OK\r\nServer: bench\r\nContent-Type: application/octet-stream\r\n\
                     Content-Length: {len}\r\nConnection: keep-alive\r\n\r\n"
                )
                .into_bytes();
                response.extend_from_slice(&body(len));
                (format!("/{path}"), response)
            })
            .collect(),
    );
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let responses = Arc::clone(&responses);
            std::thread::spawn(move || connection(stream, &responses));
        }
    });
    url
}

/// Answers the GETs of one connection until the client closes it (or sends something else).
fn connection(stream: TcpStream, responses: &[(String, Vec<u8>)]) {
    let _ = stream.set_nodelay(true);
    let Ok(mut writer) = stream.try_clone() else { return };
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let path = line.split(' ').nth(1).unwrap_or("").to_owned();
        // The rest of the head: a GET has no body.
        loop {
            line.clear();
            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                return;
            }
            if line == "\r\n" || line == "\n" {
                break;
            }
        }
        let Some((_, response)) = responses.iter().find(|(p, _)| *p == path) else {
            let _ = writer.write_all(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            return;
        };
        if writer.write_all(response).is_err() {
            return;
        }
    }
}

fn path_of(case: &str) -> &str {
    case.strip_prefix("keepalive-").expect("http-rust cases are keepalive-<path>")
}

/// The result every engine must give: the status and the body's size and digest.
fn answer(status: u16, body: &[u8]) -> String {
    format!("status={status} bytes={} sha256={}", body.len(), sha256_hex(body))
}

/// An engine whose check and timed work are both `get` (one GET: status and body).
fn engine<'a>(name: &'a str, get: impl Fn() -> (u16, Vec<u8>) + 'a) -> Engine<'a> {
    let get = Rc::new(get);
    let timed = Rc::clone(&get);
    Engine::checked(
        name,
        move |_| {
            let (status, body) = get();
            answer(status, &body)
        },
        move |_| {
            std::hint::black_box(timed());
        },
    )
}

fn benches(c: &mut Criterion) {
    let suite = inproc::load_suite("http-rust").unwrap_or_else(|e| panic!("{e:#}"));
    let base = serve();
    // One client per engine for the whole run, as an application keeps one.
    let pyaot = pyaot_http::Client::new();
    let agent = ureq::Agent::new_with_defaults();
    inproc::bench_suite_by_case(c, &suite, |case| {
        let url = format!("{base}/{}", path_of(&case.name));
        let (pyaot, agent, url2) = (&pyaot, &agent, url.clone());
        vec![
            engine("pyaot-http", move || {
                let mut r = pyaot.get(&url).send().expect("GET");
                (r.status(), r.take_bytes().expect("body"))
            }),
            engine("ureq", move || {
                let mut r = agent.get(&url2).call().expect("GET");
                (r.status().as_u16(), r.body_mut().read_to_vec().expect("body"))
            }),
        ]
    });
}

criterion_group!(http_rust, benches);
criterion_main!(http_rust);
