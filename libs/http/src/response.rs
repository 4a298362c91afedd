//! A response: status, headers, the redirects that led to it, and a body read once.

use std::io::Read;
use std::time::Duration;

use crate::cookies::Cookie;
use crate::decode::{BodyRead, read_error};
use crate::error::{Error, ErrorKind, Result};

/// The request as it was finally sent (after redirects rewrote it).
#[derive(Clone, Debug, Default)]
pub struct SentRequest {
    /// The method.
    pub method: String,
    /// The full URL.
    pub url: String,
    /// The headers sent, in order.
    pub headers: Vec<(String, String)>,
    /// The body, when it was bytes (a streamed body is not kept).
    pub body: Option<std::sync::Arc<Vec<u8>>>,
}

enum BodyState {
    Buffered(Vec<u8>),
    Streaming(BodyRead),
    Consumed,
    /// Reading failed: every later read fails the same way.
    Failed(ErrorKind, String),
}

/// A response. The body is read once: with [`Response::bytes`] (kept, may be asked again), or
/// streamed with [`Response::read_chunk`] / [`Response::reader`].
pub struct Response {
    pub(crate) status: u16,
    pub(crate) reason: Option<String>,
    pub(crate) version: &'static str,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) url: String,
    pub(crate) history: Vec<Response>,
    pub(crate) elapsed: Duration,
    pub(crate) request: SentRequest,
    pub(crate) cookies: Vec<Cookie>,
    body: BodyState,
}

impl std::fmt::Debug for Response {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Response")
            .field("status", &self.status)
            .field("url", &self.url)
            .field("headers", &self.headers)
            .field("history", &self.history.len())
            .finish_non_exhaustive()
    }
}

impl Response {
    pub(crate) fn new(
        status: u16,
        version: &'static str,
        headers: Vec<(String, String)>,
        url: String,
        body: BodyRead,
    ) -> Response {
        Response {
            status,
            reason: None,
            version,
            headers,
            url,
            history: Vec::new(),
            elapsed: Duration::ZERO,
            request: SentRequest::default(),
            cookies: Vec::new(),
            body: BodyState::Streaming(body),
        }
    }

    /// The status code.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The reason phrase the server sent; the standard phrase of the code when it could not be
    /// read, `""` for an unknown code.
    pub fn reason(&self) -> &str {
        match &self.reason {
            Some(r) => r,
            None => ureq::http::StatusCode::from_u16(self.status).ok().and_then(|s| s.canonical_reason()).unwrap_or(""),
        }
    }

    /// The protocol version, like `"HTTP/1.1"`.
    pub fn version(&self) -> &'static str {
        self.version
    }

    /// Whether the status is below 400 (requests' `ok`).
    pub fn ok(&self) -> bool {
        self.status < 400
    }

    /// The headers in the order received; names lower-case, values decoded as ISO-8859-1 (as
    /// Python's `http.client` does). A repeated header appears once per line.
    pub fn headers(&self) -> &[(String, String)] {
        &self.headers
    }

    /// A header's value, repeated lines joined with `", "` as requests joins them.
    pub fn header(&self, name: &str) -> Option<String> {
        let mut values = self.headers.iter().filter(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str());
        let first = values.next()?;
        Some(values.fold(first.to_string(), |mut acc, v| {
            acc.push_str(", ");
            acc.push_str(v);
            acc
        }))
    }

    /// The URL of this response (after redirects).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The redirect responses that led here, oldest first.
    pub fn history(&self) -> &[Response] {
        &self.history
    }

    /// Takes the history out.
    pub fn take_history(&mut self) -> Vec<Response> {
        std::mem::take(&mut self.history)
    }

    /// Time from sending the request to having the response headers.
    pub fn elapsed(&self) -> Duration {
        self.elapsed
    }

    /// The request as finally sent.
    pub fn request(&self) -> &SentRequest {
        &self.request
    }

    /// The cookies this response set.
    pub fn cookies(&self) -> &[Cookie] {
        &self.cookies
    }

    /// The text encoding by requests' `get_encoding_from_headers`: the `charset` parameter, else
    /// `ISO-8859-1` for `text/*`, else `utf-8` for JSON, else `None`.
    pub fn encoding(&self) -> Option<String> {
        let content_type = self.header("content-type")?;
        let mut parts = content_type.split(';');
        let mime = parts.next().unwrap_or("").trim().to_ascii_lowercase();
        for param in parts {
            if let Some((k, v)) = param.split_once('=')
                && k.trim().eq_ignore_ascii_case("charset")
            {
                return Some(v.trim().trim_matches(['\'', '"']).to_string());
            }
        }
        if mime.contains("text") {
            Some("ISO-8859-1".to_string())
        } else if mime.contains("application/json") {
            Some("utf-8".to_string())
        } else {
            None
        }
    }

    /// A redirect status with a `Location` (requests' `is_redirect`).
    pub fn is_redirect(&self) -> bool {
        matches!(self.status, 301 | 302 | 303 | 307 | 308) && self.header("location").is_some()
    }

    /// A permanent redirect (301 or 308) with a `Location`.
    pub fn is_permanent_redirect(&self) -> bool {
        matches!(self.status, 301 | 308) && self.header("location").is_some()
    }

    /// The `Location` of a redirect response, decoded as requests' `get_redirect_target` does
    /// (ISO-8859-1 bytes read again as UTF-8 when they are valid UTF-8).
    pub fn redirect_target(&self) -> Option<String> {
        if !self.is_redirect() {
            return None;
        }
        let location = self.header("location")?;
        let bytes: Option<Vec<u8>> = location.chars().map(|c| u8::try_from(u32::from(c)).ok()).collect();
        Some(bytes.and_then(|b| String::from_utf8(b).ok()).unwrap_or(location))
    }

    /// For 4xx and 5xx, the message of requests' `raise_for_status` error
    /// (`"404 Client Error: Not Found for url: ..."`); `None` for other statuses.
    pub fn status_error_message(&self) -> Option<String> {
        let class = match self.status {
            400..=499 => "Client",
            500..=599 => "Server",
            _ => return None,
        };
        Some(format!("{} {class} Error: {} for url: {}", self.status, self.reason(), self.url))
    }

    /// The whole body, read on first call and kept.
    pub fn bytes(&mut self) -> Result<&[u8]> {
        let hint = self.content_length_hint();
        if let BodyState::Streaming(reader) = &mut self.body {
            let mut buf = Vec::with_capacity(hint);
            if let Err(e) = reader.read_to_end(&mut buf) {
                return Err(self.fail(&e));
            }
            self.body = BodyState::Buffered(buf);
        }
        match &self.body {
            BodyState::Buffered(b) => Ok(b),
            BodyState::Failed(kind, message) => Err(Error::new(*kind, message.clone())),
            _ => Err(Error::new(ErrorKind::StreamConsumed, "The content for this response was already consumed")),
        }
    }

    /// Takes the whole body out, reading what is left.
    pub fn take_bytes(&mut self) -> Result<Vec<u8>> {
        self.bytes()?;
        match std::mem::replace(&mut self.body, BodyState::Consumed) {
            BodyState::Buffered(b) => Ok(b),
            _ => unreachable!("bytes() buffered it"),
        }
    }

    /// Whether the body has been read into memory.
    pub fn is_buffered(&self) -> bool {
        matches!(self.body, BodyState::Buffered(_))
    }

    /// Whether a streamed body has been read to the end (or taken).
    pub fn is_consumed(&self) -> bool {
        matches!(self.body, BodyState::Consumed)
    }

    fn content_length_hint(&self) -> usize {
        let declared = self.header("content-length").and_then(|v| v.trim().parse::<usize>().ok());
        declared.unwrap_or(8 * 1024).min(64 << 20)
    }

    /// The body as text: decoded with [`Response::encoding`] when that is UTF-8 or ISO-8859-1
    /// (or unknown, read as UTF-8), invalid bytes replaced. Other encodings are the bindings'
    /// job (Python has codecs for all of them).
    pub fn text(&mut self) -> Result<String> {
        let latin1 = self.encoding().is_some_and(|e| {
            matches!(e.to_ascii_lowercase().replace('_', "-").as_str(), "iso-8859-1" | "latin-1" | "latin1")
        });
        let body = self.bytes()?;
        Ok(if latin1 {
            body.iter().map(|&b| char::from(b)).collect()
        } else {
            String::from_utf8_lossy(body).into_owned()
        })
    }

    /// The body parsed as JSON.
    pub fn json<T: serde::de::DeserializeOwned>(&mut self) -> Result<T> {
        let body = self.bytes()?;
        serde_json::from_slice(body).map_err(|e| Error::new(ErrorKind::InvalidBody, format!("invalid JSON: {e}")))
    }

    /// Notes a failed read: later reads fail the same way instead of seeing a clean end.
    fn fail(&mut self, e: &std::io::Error) -> Error {
        let err = read_error(e, &self.url);
        self.body = BodyState::Failed(err.kind(), err.message().to_string());
        err
    }

    /// Reads the next piece of a streamed body into `buf`; 0 at the end (and after it). After
    /// [`Response::bytes`] buffered the body, this is a [`ErrorKind::StreamConsumed`] error; after
    /// a failed read, the same failure again.
    pub fn read_chunk(&mut self, buf: &mut [u8]) -> Result<usize> {
        match &mut self.body {
            BodyState::Streaming(reader) => match reader.read(buf) {
                Ok(0) if !buf.is_empty() => {
                    self.body = BodyState::Consumed;
                    Ok(0)
                }
                Ok(n) => Ok(n),
                Err(e) => Err(self.fail(&e)),
            },
            // A stream read to its end stays at its end.
            BodyState::Consumed => Ok(0),
            BodyState::Failed(kind, message) => Err(Error::new(*kind, message.clone())),
            BodyState::Buffered(_) => {
                Err(Error::new(ErrorKind::StreamConsumed, "The content for this response was already consumed"))
            }
        }
    }

    /// The body as a reader, for streaming. Errors come out as `io::Error`s carrying the
    /// message.
    pub fn reader(&mut self) -> impl Read + '_ {
        struct R<'a>(&'a mut Response);
        impl Read for R<'_> {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                self.0.read_chunk(buf).map_err(|e| std::io::Error::other(e.to_string()))
            }
        }
        R(self)
    }

    /// Drops an unread body: its connection closes instead of going back to the pool.
    pub fn close(&mut self) {
        if let BodyState::Streaming(_) | BodyState::Failed(..) = self.body {
            self.body = BodyState::Consumed;
        }
    }
}
