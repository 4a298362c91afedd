//! A request before it is sent, and the builder that makes one.

use std::io::Read;
use std::sync::Arc;
use std::time::Duration;

use crate::cookies::{Cookie, Jar};
use crate::error::{Error, ErrorKind, Result};
use crate::multipart::Multipart;
use crate::proxy::ProxyMap;
use crate::retry::Retry;
use crate::tls::{Identity, Verify};
use crate::{Client, Response};

/// How long to wait. `None` in a field means no limit for that phase; the default has both.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timeouts {
    /// Resolving the host, connecting, and the TLS handshake.
    pub connect: Option<Duration>,
    /// Each wait for bytes from the server (not the whole download), as requests' read timeout.
    pub read: Option<Duration>,
}

impl Timeouts {
    /// The defaults: 10 seconds to connect, 60 seconds for each read. requests waits forever by
    /// default; this client never does unless asked ([`Timeouts::unlimited`]).
    pub const DEFAULT: Timeouts =
        Timeouts { connect: Some(Duration::from_secs(10)), read: Some(Duration::from_secs(60)) };

    /// The same limit for both phases, as requests' `timeout=5`.
    pub fn both(limit: Duration) -> Timeouts {
        Timeouts { connect: Some(limit), read: Some(limit) }
    }

    /// No limits at all.
    pub fn unlimited() -> Timeouts {
        Timeouts { connect: None, read: None }
    }
}

impl Default for Timeouts {
    fn default() -> Timeouts {
        Timeouts::DEFAULT
    }
}

/// A request body.
#[derive(Default)]
pub enum Body {
    /// No body.
    #[default]
    Empty,
    /// Bytes in memory (kept for redirects that resend the body, 307 and 308).
    Bytes(Arc<Vec<u8>>),
    /// A stream, sent with `Content-Length` when `len` is known and chunked otherwise. It cannot
    /// be resent, so a 307/308 redirect of it is an error.
    Reader {
        /// The source.
        reader: Box<dyn Read + Send>,
        /// Its length, when known.
        len: Option<u64>,
    },
}

impl std::fmt::Debug for Body {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Body::Empty => f.write_str("Empty"),
            Body::Bytes(b) => write!(f, "Bytes({} bytes)", b.len()),
            Body::Reader { len, .. } => write!(f, "Reader(len: {len:?})"),
        }
    }
}

/// Everything about one request. Built with [`RequestBuilder`]; sent by [`Client::execute`].
#[derive(Debug)]
pub struct Request {
    pub(crate) method: String,
    pub(crate) url: String,
    pub(crate) query: String,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) removed_headers: Vec<String>,
    pub(crate) body: Body,
    pub(crate) content_type: Option<String>,
    pub(crate) auth: Option<(String, String)>,
    pub(crate) cookies: Vec<Cookie>,
    pub(crate) timeouts: Option<Timeouts>,
    pub(crate) allow_redirects: bool,
    pub(crate) stream: bool,
    pub(crate) proxies: ProxyMap,
    pub(crate) verify: Option<Verify>,
    pub(crate) identity: Option<Option<Identity>>,
    pub(crate) max_redirects: Option<u32>,
    pub(crate) retry: Option<Retry>,
    pub(crate) session_proxies: Option<ProxyMap>,
    pub(crate) trust_env: Option<bool>,
    pub(crate) max_decompressed: Option<Option<u64>>,
}

impl Request {
    /// A request with nothing set but the method (upper-cased, as requests does) and URL.
    pub fn new(method: &str, url: impl Into<String>) -> Request {
        Request {
            method: method.to_ascii_uppercase(),
            url: url.into(),
            query: String::new(),
            headers: Vec::new(),
            removed_headers: Vec::new(),
            body: Body::Empty,
            content_type: None,
            auth: None,
            cookies: Vec::new(),
            timeouts: None,
            allow_redirects: true,
            stream: false,
            proxies: Vec::new(),
            verify: None,
            identity: None,
            max_redirects: None,
            retry: None,
            session_proxies: None,
            trust_env: None,
            max_decompressed: None,
        }
    }
}

/// Builds and sends a request: `client.get(url).query(&[("q", "x")]).send()`.
#[must_use = "a request is sent by .send()"]
pub struct RequestBuilder<'c> {
    client: &'c Client,
    jar: Option<&'c Jar>,
    request: Request,
}

impl<'c> RequestBuilder<'c> {
    pub(crate) fn new(client: &'c Client, method: &str, url: &str) -> RequestBuilder<'c> {
        RequestBuilder { client, jar: None, request: Request::new(method, url) }
    }

    /// Appends query parameters, form-encoded as requests' `params=` (`None` values are left
    /// out by the caller).
    pub fn query<K: AsRef<str>, V: AsRef<str>>(mut self, pairs: &[(K, V)]) -> Self {
        let encoded = crate::url::form_urlencode(pairs);
        self.request.append_query(&encoded);
        self
    }

    /// Appends an already encoded query string (requests' `params="a=1&b=2"`).
    pub fn raw_query(mut self, query: &str) -> Self {
        self.request.append_query(query);
        self
    }

    /// Sets a header, replacing one of the same name (compared case-insensitively).
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.request.set_header(name, value);
        self
    }

    /// Leaves out a header the client would add by default (such as `User-Agent`), as requests'
    /// `headers={"User-Agent": None}` does.
    pub fn remove_header(mut self, name: &str) -> Self {
        self.request.remove_header(name);
        self
    }

    /// A body of bytes.
    pub fn body(mut self, body: impl Into<Vec<u8>>) -> Self {
        self.request.set_body(body.into(), None);
        self
    }

    /// A streamed body; chunked unless `len` is given.
    pub fn body_reader(mut self, reader: impl Read + Send + 'static, len: Option<u64>) -> Self {
        self.request.set_body_reader(Box::new(reader), len);
        self
    }

    /// A form body (`application/x-www-form-urlencoded`), as requests' `data={...}`.
    pub fn form<K: AsRef<str>, V: AsRef<str>>(mut self, pairs: &[(K, V)]) -> Self {
        self.request.set_form(pairs);
        self
    }

    /// A JSON body (`application/json`), as requests' `json=`.
    pub fn json<T: serde::Serialize + ?Sized>(mut self, value: &T) -> Result<Self> {
        let bytes = serde_json::to_vec(value)
            .map_err(|e| Error::new(ErrorKind::InvalidBody, format!("cannot encode the JSON body: {e}")))?;
        self.request.set_json_bytes(bytes);
        Ok(self)
    }

    /// A multipart body, as requests' `files=`.
    pub fn multipart(mut self, form: &Multipart) -> Self {
        self.request.set_multipart(form);
        self
    }

    /// HTTP basic authentication.
    pub fn basic_auth(mut self, user: &str, password: &str) -> Self {
        self.request.set_basic_auth(user, password);
        self
    }

    /// A cookie for this request only (sent to every host of a redirect chain, as requests'
    /// `cookies=`).
    pub fn cookie(mut self, name: &str, value: &str) -> Self {
        self.request.add_cookie(name, value);
        self
    }

    /// Keeps cookies in `jar`: cookies it holds are sent and cookies responses set are stored.
    pub fn jar(mut self, jar: &'c Jar) -> Self {
        self.jar = Some(jar);
        self
    }

    /// Timeouts for this request instead of the client's.
    pub fn timeouts(mut self, timeouts: Timeouts) -> Self {
        self.request.set_timeouts(timeouts);
        self
    }

    /// Whether to follow redirects (default yes).
    pub fn allow_redirects(mut self, follow: bool) -> Self {
        self.request.set_allow_redirects(follow);
        self
    }

    /// Returns once the headers are in, leaving the body to be read (requests' `stream=True`).
    /// Without it, [`RequestBuilder::send`] reads the body and frees the connection first.
    pub fn stream(mut self, stream: bool) -> Self {
        self.request.set_stream(stream);
        self
    }

    /// A proxy for a requests-style key (`"http"`, `"https"`, `"all"`, `"http://host"`).
    pub fn proxy(mut self, key: &str, url: &str) -> Self {
        self.request.add_proxy(key, url);
        self
    }

    /// Certificate verification for this request.
    pub fn verify(mut self, verify: Verify) -> Self {
        self.request.set_verify(verify);
        self
    }

    /// A client certificate for this request.
    pub fn identity(mut self, identity: Option<Identity>) -> Self {
        self.request.set_identity(identity);
        self
    }

    /// The request, to send later with [`Client::execute`].
    pub fn build(self) -> Request {
        self.request
    }

    /// Sends the request, following redirects.
    pub fn send(self) -> Result<Response> {
        self.client.execute(self.request, self.jar)
    }
}

impl Request {
    pub(crate) fn append_query(&mut self, encoded: &str) {
        if encoded.is_empty() {
            return;
        }
        if !self.query.is_empty() {
            self.query.push('&');
        }
        self.query.push_str(encoded);
    }

    /// Sets a header, replacing one of the same name.
    pub fn set_header(&mut self, name: &str, value: &str) {
        self.headers.retain(|(k, _)| !k.eq_ignore_ascii_case(name));
        self.removed_headers.retain(|k| !k.eq_ignore_ascii_case(name));
        self.headers.push((name.to_string(), value.to_string()));
    }

    /// Drops a header, including one the client would add by default.
    pub fn remove_header(&mut self, name: &str) {
        self.headers.retain(|(k, _)| !k.eq_ignore_ascii_case(name));
        self.removed_headers.push(name.to_string());
    }

    /// Sets a bytes body and the content type to add when the caller sets none.
    pub fn set_body(&mut self, body: Vec<u8>, content_type: Option<&str>) {
        self.body = Body::Bytes(Arc::new(body));
        self.content_type = content_type.map(str::to_string);
    }

    /// Sets a streamed body.
    pub fn set_body_reader(&mut self, reader: Box<dyn Read + Send>, len: Option<u64>) {
        self.body = Body::Reader { reader, len };
        self.content_type = None;
    }

    /// A form body.
    pub fn set_form<K: AsRef<str>, V: AsRef<str>>(&mut self, pairs: &[(K, V)]) {
        let encoded = crate::url::form_urlencode(pairs);
        self.set_body(encoded.into_bytes(), Some("application/x-www-form-urlencoded"));
    }

    /// A JSON body from already serialised bytes.
    pub fn set_json_bytes(&mut self, json: Vec<u8>) {
        self.set_body(json, Some("application/json"));
    }

    /// A multipart body.
    pub fn set_multipart(&mut self, form: &Multipart) {
        let (body, content_type) = form.encode();
        self.set_body(body, Some(&content_type));
    }

    /// Appends an encoded query string.
    pub fn add_raw_query(&mut self, query: &str) {
        self.append_query(query);
    }

    /// Basic authentication.
    pub fn set_basic_auth(&mut self, user: &str, password: &str) {
        self.auth = Some((user.to_string(), password.to_string()));
    }

    /// A cookie for this request only.
    pub fn add_cookie(&mut self, name: &str, value: &str) {
        self.cookies.retain(|c| c.name != name);
        self.cookies.push(Cookie::new(name, value));
    }

    /// Timeouts for this request.
    pub fn set_timeouts(&mut self, timeouts: Timeouts) {
        self.timeouts = Some(timeouts);
    }

    /// Whether to follow redirects.
    pub fn set_allow_redirects(&mut self, follow: bool) {
        self.allow_redirects = follow;
    }

    /// Whether to leave the body unread on return.
    pub fn set_stream(&mut self, stream: bool) {
        self.stream = stream;
    }

    /// A proxy for a requests-style key.
    pub fn add_proxy(&mut self, key: &str, url: &str) {
        self.proxies.retain(|(k, _)| k != key);
        self.proxies.push((key.to_string(), url.to_string()));
    }

    /// Certificate verification for this request.
    pub fn set_verify(&mut self, verify: Verify) {
        self.verify = Some(verify);
    }

    /// A client certificate for this request.
    pub fn set_identity(&mut self, identity: Option<Identity>) {
        self.identity = Some(identity);
    }

    /// The redirect limit for this request instead of the client's.
    pub fn set_max_redirects(&mut self, n: u32) {
        self.max_redirects = Some(n);
    }

    /// The retry policy for this request instead of the client's.
    pub fn set_retry(&mut self, retry: Retry) {
        self.retry = Some(retry);
    }

    /// The session-level proxies (consulted after the request's and the environment's) instead
    /// of the client's.
    pub fn set_session_proxies(&mut self, proxies: ProxyMap) {
        self.session_proxies = Some(proxies);
    }

    /// Whether to read proxies and CA bundle paths from the environment, instead of the
    /// client's setting.
    pub fn set_trust_env(&mut self, trust: bool) {
        self.trust_env = Some(trust);
    }

    /// The bound on the decompressed body for this request instead of the client's (`None`
    /// removes it).
    pub fn set_max_decompressed_size(&mut self, limit: Option<u64>) {
        self.max_decompressed = Some(limit);
    }
}
