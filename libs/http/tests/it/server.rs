//! A small HTTP/1.1 test server on `std` only: it listens on `127.0.0.1` port 0, serves each
//! connection on its own thread (keep-alive, `Content-Length` and chunked request bodies),
//! records every request it reads, and answers with whatever the test's handler returns.
//!
//! A request is recorded before its answer is written, so once the client has a response the
//! server's log already holds the request that produced it.

use std::io::{BufRead, BufReader, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::Receiver;
use std::sync::{Arc, Mutex, PoisonError};
use std::thread;
use std::time::Duration;

/// How long a connection thread waits for the next request before giving up, so that threads
/// of connections a client keeps pooled do not outlive the test binary's useful life.
const IDLE: Duration = Duration::from_secs(10);

/// A request as the server read it.
#[derive(Clone, Debug)]
pub struct Received {
    /// The order in which the server read it: 0 for the first request.
    pub seq: usize,
    /// Which connection it came on (numbered from 0 in accept order).
    pub connection: usize,
    /// The method.
    pub method: String,
    /// The request target as sent (`/path?query`, or an absolute URL through a proxy).
    pub target: String,
    /// The protocol version.
    pub version: String,
    /// The headers in order, names as sent, values decoded as ISO-8859-1.
    pub headers: Vec<(String, String)>,
    /// The body, de-chunked.
    pub body: Vec<u8>,
    /// Whether the body came with chunked transfer coding.
    pub chunked: bool,
}

impl Received {
    /// The first value of a header (names compared case-insensitively).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// Every value of a header.
    pub fn header_all(&self, name: &str) -> Vec<&str> {
        self.headers.iter().filter(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str()).collect()
    }

    /// The target without its query.
    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or("")
    }
}

/// What the body of a reply is.
enum ReplyBody {
    /// Sent with `Content-Length`.
    Fixed(Vec<u8>),
    /// Sent chunked, one chunk per piece, flushed after each. With a gate, the server waits
    /// for a message on it after the first piece.
    Chunked(Vec<Vec<u8>>, Option<Arc<Mutex<Receiver<()>>>>),
}

/// An answer.
pub struct Reply {
    status: u16,
    reason: String,
    headers: Vec<(String, String)>,
    body: ReplyBody,
    delay: Duration,
    hang_up: bool,
    close: bool,
}

impl Reply {
    /// A reply with the standard reason phrase and no body.
    pub fn new(status: u16) -> Reply {
        let reason = match status {
            200 => "OK",
            301 => "Moved Permanently",
            302 => "Found",
            303 => "See Other",
            307 => "Temporary Redirect",
            308 => "Permanent Redirect",
            404 => "Not Found",
            503 => "Service Unavailable",
            _ => "Whatever",
        };
        Reply {
            status,
            reason: reason.to_string(),
            headers: Vec::new(),
            body: ReplyBody::Fixed(Vec::new()),
            delay: Duration::ZERO,
            hang_up: false,
            close: false,
        }
    }

    /// 200 with a `text/plain; charset=utf-8` body.
    pub fn ok(text: &str) -> Reply {
        Reply::new(200).header("Content-Type", "text/plain; charset=utf-8").body(text)
    }

    /// A redirect to `location`.
    pub fn redirect(status: u16, location: &str) -> Reply {
        Reply::new(status).header("Location", location)
    }

    /// 200 whose body lists the request: `METHOD target`, then one `name: value` line per
    /// header (names lower-cased), a blank line and the body.
    pub fn echo(request: &Received) -> Reply {
        let mut text = format!("{} {}\n", request.method, request.target);
        for (k, v) in &request.headers {
            text.push_str(&format!("{}: {v}\n", k.to_ascii_lowercase()));
        }
        text.push('\n');
        text.push_str(&String::from_utf8_lossy(&request.body));
        Reply::ok(&text)
    }

    /// Closes the connection without answering.
    pub fn hang_up() -> Reply {
        Reply { hang_up: true, ..Reply::new(200) }
    }

    /// Replaces the reason phrase.
    pub fn reason(mut self, reason: &str) -> Reply {
        self.reason = reason.to_string();
        self
    }

    /// Adds a header line.
    pub fn header(mut self, name: &str, value: &str) -> Reply {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    /// Sets a body sent with `Content-Length`.
    pub fn body(mut self, body: impl Into<Vec<u8>>) -> Reply {
        self.body = ReplyBody::Fixed(body.into());
        self
    }

    /// Sets a chunked body, one chunk per piece.
    pub fn chunked(mut self, pieces: &[&[u8]]) -> Reply {
        self.body = ReplyBody::Chunked(pieces.iter().map(|p| p.to_vec()).collect(), None);
        self
    }

    /// Makes a chunked body wait after its first piece until `gate` receives a message (or
    /// five seconds pass, so that a failing test fails instead of hanging).
    pub fn gate(mut self, gate: Arc<Mutex<Receiver<()>>>) -> Reply {
        if let ReplyBody::Chunked(_, g) = &mut self.body {
            *g = Some(gate);
        }
        self
    }

    /// Closes the connection after answering (with a `Content-Length` header set by hand, the
    /// body is then cut short).
    pub fn then_close(mut self) -> Reply {
        self.close = true;
        self
    }

    /// Waits before answering.
    pub fn delay(mut self, delay: Duration) -> Reply {
        self.delay = delay;
        self
    }
}

type Handler = dyn Fn(&Received) -> Reply + Send + Sync;

/// A running server; it stops accepting when dropped.
pub struct Server {
    addr: SocketAddr,
    log: Arc<Mutex<Vec<Received>>>,
    stop: Arc<AtomicBool>,
}

impl Server {
    /// Starts a server answering every request with `handler`.
    pub fn start(handler: impl Fn(&Received) -> Reply + Send + Sync + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a local port");
        let addr = listener.local_addr().expect("local address");
        let log: Arc<Mutex<Vec<Received>>> = Arc::default();
        let stop = Arc::new(AtomicBool::new(false));
        let handler: Arc<Handler> = Arc::new(handler);
        let seq = Arc::new(AtomicUsize::new(0));
        {
            let (log, stop) = (log.clone(), stop.clone());
            thread::spawn(move || {
                for (connection, stream) in listener.incoming().enumerate() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(stream) = stream else { continue };
                    let (handler, log, seq) = (handler.clone(), log.clone(), seq.clone());
                    thread::spawn(move || serve(stream, connection, &*handler, &log, &seq));
                }
            });
        }
        Server { addr, log, stop }
    }

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// `http://127.0.0.1:<port><path>`.
    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port())
    }

    /// The requests read so far, in order.
    pub fn requests(&self) -> Vec<Received> {
        self.log.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// How many requests were read so far.
    pub fn count(&self) -> usize {
        self.log.lock().unwrap_or_else(PoisonError::into_inner).len()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wakes the accept loop so that it sees the flag.
        let _ = TcpStream::connect(self.addr);
    }
}

/// A port nothing listens on: bound, then released.
pub fn closed_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a local port");
    listener.local_addr().expect("local address").port()
}

fn serve(stream: TcpStream, connection: usize, handler: &Handler, log: &Mutex<Vec<Received>>, seq: &AtomicUsize) {
    let _ = stream.set_read_timeout(Some(IDLE));
    let Ok(read_half) = stream.try_clone() else { return };
    let mut reader = BufReader::new(read_half);
    let mut writer = stream;
    loop {
        let Some(mut request) = read_request(&mut reader, connection) else { return };
        request.seq = seq.fetch_add(1, Ordering::SeqCst);
        let reply = handler(&request);
        let close = request.header("connection").is_some_and(|v| v.eq_ignore_ascii_case("close"));
        let head_only = request.method == "HEAD";
        log.lock().unwrap_or_else(PoisonError::into_inner).push(request);
        if reply.hang_up {
            let _ = writer.shutdown(Shutdown::Both);
            return;
        }
        thread::sleep(reply.delay);
        let close = close || reply.close;
        if write_reply(&mut writer, reply, head_only).is_err() || close {
            let _ = writer.shutdown(Shutdown::Both);
            return;
        }
    }
}

/// One line, CRLF or LF stripped, as ISO-8859-1; `None` at the end of the stream.
fn read_line(reader: &mut impl BufRead) -> Option<String> {
    let mut raw = Vec::new();
    match reader.read_until(b'\n', &mut raw) {
        Ok(0) | Err(_) => None,
        Ok(_) => {
            while raw.last().is_some_and(|&b| b == b'\n' || b == b'\r') {
                raw.pop();
            }
            Some(raw.iter().map(|&b| char::from(b)).collect())
        }
    }
}

fn read_request(reader: &mut impl BufRead, connection: usize) -> Option<Received> {
    let line = read_line(reader)?;
    let mut words = line.splitn(3, ' ');
    let (method, target, version) = (words.next()?, words.next()?, words.next().unwrap_or(""));
    let mut request = Received {
        seq: 0,
        connection,
        method: method.to_string(),
        target: target.to_string(),
        version: version.to_string(),
        headers: Vec::new(),
        body: Vec::new(),
        chunked: false,
    };
    loop {
        let line = read_line(reader)?;
        if line.is_empty() {
            break;
        }
        let (name, value) = line.split_once(':')?;
        request.headers.push((name.to_string(), value.trim().to_string()));
    }
    if request.header("transfer-encoding").is_some_and(|v| v.to_ascii_lowercase().contains("chunked")) {
        request.chunked = true;
        loop {
            let size_line = read_line(reader)?;
            let size = usize::from_str_radix(size_line.split(';').next()?.trim(), 16).ok()?;
            if size == 0 {
                // Trailers, up to the blank line.
                while !read_line(reader)?.is_empty() {}
                break;
            }
            let start = request.body.len();
            request.body.resize(start + size, 0);
            reader.read_exact(&mut request.body[start..]).ok()?;
            read_line(reader)?;
        }
    } else if let Some(len) = request.header("content-length") {
        let len: usize = len.parse().ok()?;
        request.body = vec![0; len];
        reader.read_exact(&mut request.body).ok()?;
    }
    Some(request)
}

fn write_reply(out: &mut TcpStream, reply: Reply, head_only: bool) -> std::io::Result<()> {
    let mut head = format!("HTTP/1.1 {} {}\r\n", reply.status, reply.reason);
    for (k, v) in &reply.headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    let has_length = reply.headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("content-length"));
    match reply.body {
        ReplyBody::Fixed(body) => {
            if !has_length {
                head.push_str(&format!("Content-Length: {}\r\n", body.len()));
            }
            head.push_str("\r\n");
            out.write_all(head.as_bytes())?;
            if !head_only {
                out.write_all(&body)?;
            }
            out.flush()
        }
        ReplyBody::Chunked(pieces, gate) => {
            head.push_str("Transfer-Encoding: chunked\r\n\r\n");
            out.write_all(head.as_bytes())?;
            out.flush()?;
            for (i, piece) in pieces.iter().enumerate() {
                out.write_all(format!("{:x}\r\n", piece.len()).as_bytes())?;
                out.write_all(piece)?;
                out.write_all(b"\r\n")?;
                out.flush()?;
                if i == 0
                    && let Some(gate) = &gate
                {
                    let _ = gate.lock().unwrap_or_else(PoisonError::into_inner).recv_timeout(Duration::from_secs(5));
                }
            }
            out.write_all(b"0\r\n\r\n")?;
            out.flush()
        }
    }
}
