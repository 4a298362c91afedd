//! The client: connection pools, defaults, and the send loop (retries, redirects, cookies).

use std::sync::{Arc, Mutex};
use std::time::Instant;

use base64::Engine as _;
use ureq::http;

use crate::cookies::{Jar, cookie_header};
use crate::decode::{self, BodyRead};
use crate::error::{self, Error, ErrorKind, Phase, Result};
use crate::proxy::{self, ProxyMap};
use crate::reason;
use crate::request::{Body, Request, RequestBuilder, Timeouts};
use crate::response::{Response, SentRequest};
use crate::retry::Retry;
use crate::tls::{self, Identity, TlsKey, Verify};
use crate::url::{self, Parts};
use ureq::unversioned::transport::Connector as _;

/// The `User-Agent` sent unless the caller sets one.
pub const USER_AGENT: &str = concat!("pyaot-http/", env!("CARGO_PKG_VERSION"));

/// The decoders this client has, advertised in `Accept-Encoding`.
pub const ACCEPT_ENCODING: &str = "gzip, deflate, br";

/// The default bound on a decompressed body: 1 GiB.
pub const DEFAULT_MAX_DECOMPRESSED: u64 = 1 << 30;

/// Settings shared by every request of a client.
#[derive(Clone, Debug)]
struct Config {
    timeouts: Timeouts,
    max_redirects: u32,
    max_decompressed: Option<u64>,
    retry: Retry,
    proxies: ProxyMap,
    trust_env: bool,
    verify: Verify,
    identity: Option<Identity>,
    https_only: bool,
    user_agent: String,
    max_idle_per_host: usize,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            timeouts: Timeouts::DEFAULT,
            max_redirects: 30,
            max_decompressed: Some(DEFAULT_MAX_DECOMPRESSED),
            retry: Retry::default(),
            proxies: Vec::new(),
            trust_env: true,
            verify: Verify::Default,
            identity: None,
            https_only: false,
            user_agent: USER_AGENT.to_string(),
            max_idle_per_host: 10,
        }
    }
}

/// Configures a [`Client`].
#[derive(Clone, Debug, Default)]
#[must_use = "a builder does nothing until .build()"]
pub struct ClientBuilder {
    config: Config,
}

impl ClientBuilder {
    /// Default timeouts for requests that set none ([`Timeouts::DEFAULT`] unless changed).
    pub fn timeouts(mut self, timeouts: Timeouts) -> Self {
        self.config.timeouts = timeouts;
        self
    }

    /// How many redirects to follow before [`ErrorKind::TooManyRedirects`] (default 30, as
    /// requests).
    pub fn max_redirects(mut self, n: u32) -> Self {
        self.config.max_redirects = n;
        self
    }

    /// The bound on a decompressed body ([`DEFAULT_MAX_DECOMPRESSED`]); `None` removes it.
    pub fn max_decompressed_size(mut self, limit: Option<u64>) -> Self {
        self.config.max_decompressed = limit;
        self
    }

    /// The retry policy (default: none).
    pub fn retry(mut self, retry: Retry) -> Self {
        self.config.retry = retry;
        self
    }

    /// Session-wide proxies, by requests-style key.
    pub fn proxy(mut self, key: &str, url: &str) -> Self {
        self.config.proxies.retain(|(k, _)| k != key);
        self.config.proxies.push((key.to_string(), url.to_string()));
        self
    }

    /// Whether to read proxies and CA bundle paths from the environment (default yes).
    pub fn trust_env(mut self, trust: bool) -> Self {
        self.config.trust_env = trust;
        self
    }

    /// Certificate verification (default: system plus Mozilla roots).
    pub fn verify(mut self, verify: Verify) -> Self {
        self.config.verify = verify;
        self
    }

    /// A client certificate for every request.
    pub fn identity(mut self, identity: Option<Identity>) -> Self {
        self.config.identity = identity;
        self
    }

    /// Refuse plain `http://` URLs.
    pub fn https_only(mut self, only: bool) -> Self {
        self.config.https_only = only;
        self
    }

    /// The default `User-Agent`.
    pub fn user_agent(mut self, agent: &str) -> Self {
        self.config.user_agent = agent.to_string();
        self
    }

    /// Idle connections kept per host (default 10, as requests' pool size).
    pub fn max_idle_per_host(mut self, n: usize) -> Self {
        self.config.max_idle_per_host = n;
        self
    }

    /// The client.
    pub fn build(self) -> Client {
        Client { inner: Arc::new(Inner { config: self.config, agents: Mutex::new(Vec::new()) }) }
    }
}

/// Which agent: a TLS setting and whether the environment's CA bundle counts, or `None` for
/// plain-http hops.
type AgentKey = Option<(TlsKey, bool)>;

struct Inner {
    config: Config,
    /// One ureq agent (and so one connection pool) per TLS setting: ureq keys pooled
    /// connections by scheme, host and proxy only, so a connection made without verification
    /// must never serve a request that asks for it.
    agents: Mutex<Vec<(AgentKey, ureq::Agent)>>,
}

/// A blocking HTTP client with connection pools. Cheap to clone (clones share the pools) and
/// safe to share across threads.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

impl Default for Client {
    fn default() -> Client {
        Client::new()
    }
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client").field("config", &self.inner.config).finish_non_exhaustive()
    }
}

macro_rules! method {
    ($name:ident, $method:literal) => {
        #[doc = concat!("Starts a ", $method, " request.")]
        pub fn $name<'c>(&'c self, url: &str) -> RequestBuilder<'c> {
            self.request($method, url)
        }
    };
}

impl Client {
    /// A client with the default settings.
    pub fn new() -> Client {
        Client::builder().build()
    }

    /// Configures a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// Starts a request with any method.
    pub fn request<'c>(&'c self, method: &str, url: &str) -> RequestBuilder<'c> {
        RequestBuilder::new(self, method, url)
    }

    method!(get, "GET");
    method!(post, "POST");
    method!(put, "PUT");
    method!(patch, "PATCH");
    method!(delete, "DELETE");
    method!(head, "HEAD");
    method!(options, "OPTIONS");

    /// The ureq agent for a TLS setting (with or without the environment's CA bundle), made on
    /// first use; `None` is the agent for plain-http hops, which never makes a TLS connection
    /// and so loads no roots and reads no file.
    fn agent(&self, tls: Option<(&TlsKey, bool)>) -> Result<ureq::Agent> {
        let wanted: AgentKey = tls.map(|(k, env)| (k.clone(), env));
        let mut agents = self.inner.agents.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some((_, agent)) = agents.iter().find(|(k, _)| *k == wanted) {
            return Ok(agent.clone());
        }
        let config = &self.inner.config;
        let tls_config = match &wanted {
            Some((key, trust_env)) => tls::config(key, *trust_env)?,
            None => ureq::tls::TlsConfig::default(),
        };
        let ureq_config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .allow_non_standard_methods(true)
            .https_only(config.https_only)
            .user_agent(ureq::config::AutoHeaderValue::None)
            .accept(ureq::config::AutoHeaderValue::None)
            .accept_encoding(ureq::config::AutoHeaderValue::None)
            .max_idle_connections(config.max_idle_per_host.max(1) * 10)
            .max_idle_connections_per_host(config.max_idle_per_host.max(1))
            .tls_config(tls_config)
            .build();
        // ureq's default chain (proxy tunnel, TCP, TLS) with our TCP connector and the
        // transport wrapper at the end; SOCKS proxies are not supported.
        let connector =
            ().chain(ureq::unversioned::transport::ConnectProxyConnector::default())
                .chain(crate::tcp::PollingTcpConnector)
                .chain(ureq::unversioned::transport::RustlsConnector::default())
                .chain(reason::ReasonConnector);
        let agent = ureq::Agent::with_parts(ureq_config, connector, crate::resolve::LiteralFirst::default());
        agents.push((wanted, agent.clone()));
        Ok(agent)
    }

    /// Sends a built request: retries, redirects (with requests' method, body, cookie and
    /// `Authorization` rules) and cookies kept in `jar` when given.
    pub fn execute(&self, mut request: Request, jar: Option<&Jar>) -> Result<Response> {
        let config = &self.inner.config;
        let (mut url_text, mut parts) = url::prepare(&request.url, &request.query)?;
        let key = TlsKey {
            verify: request.verify.take().unwrap_or_else(|| config.verify.clone()),
            identity: request.identity.take().unwrap_or_else(|| config.identity.clone()),
        };
        let trust_env = request.trust_env.unwrap_or(config.trust_env);
        // Plain-http hops use an agent whose TLS settings read no file, so a bad CA bundle
        // fails only requests that use TLS, as in requests.
        let agent_for = |parts: &Parts, proxy: Option<&str>| {
            if parts.scheme == "https" || proxy.is_some_and(|p| p.to_ascii_lowercase().starts_with("https:")) {
                self.agent(Some((&key, trust_env)))
            } else {
                self.agent(None)
            }
        };
        let timeouts = request.timeouts.unwrap_or(config.timeouts);
        let max_redirects = request.max_redirects.unwrap_or(config.max_redirects);
        let retry = request.retry.take().unwrap_or_else(|| config.retry.clone());
        let session_proxies = request.session_proxies.take().unwrap_or_else(|| config.proxies.clone());
        let max_decompressed = request.max_decompressed.unwrap_or(config.max_decompressed);
        let mut headers = self.initial_headers(&mut request, &parts)?;
        // Without a jar, cookies still carry along one redirect chain, as requests' temporary
        // per-call session does.
        let local_jar;
        let jar = match jar {
            Some(jar) => jar,
            None => {
                local_jar = Jar::new();
                &local_jar
            }
        };
        let user_cookie_header = headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("cookie"));
        let mut body = std::mem::take(&mut request.body);
        let mut method = request.method.clone();
        let mut history: Vec<Response> = Vec::new();
        loop {
            if !user_cookie_header || !history.is_empty() {
                headers.retain(|(k, _)| !k.eq_ignore_ascii_case("cookie"));
                if let Some(cookie) = cookie_header(Some(jar), &request.cookies, &parts) {
                    headers.push(("Cookie".into(), cookie));
                }
            }
            let proxy = proxy::select(&parts, &request.proxies, &session_proxies, trust_env);
            let agent = agent_for(&parts, proxy.as_deref())?;
            let exchange = Exchange {
                agent: &agent,
                method: &method,
                url: &url_text,
                parts: &parts,
                headers: &headers,
                timeouts,
                proxy: proxy.as_deref(),
                max_decompressed,
            };
            let streamed = matches!(body, Body::Reader { .. });
            let (mut response, sent_body) = self.send_with_retries(&exchange, &retry, body)?;
            body = sent_body;
            response.request = SentRequest {
                method: method.clone(),
                url: url_text.clone(),
                headers: headers.clone(),
                body: match &body {
                    Body::Bytes(b) => Some(b.clone()),
                    _ => None,
                },
            };
            let set_cookies: Vec<&str> =
                response.headers.iter().filter(|(k, _)| k == "set-cookie").map(|(_, v)| v.as_str()).collect();
            response.cookies = jar.store_set_cookies(&url_text, set_cookies);
            let target = if request.allow_redirects { response.redirect_target() } else { None };
            let Some(location) = target else {
                if !request.stream {
                    response.bytes()?;
                }
                response.history = history;
                return Ok(response);
            };
            // Read the redirect's body so its connection goes back to the pool.
            response.bytes()?;
            if history.len() as u32 >= max_redirects {
                response.history = history;
                return Err(Error::new(ErrorKind::TooManyRedirects, format!("Exceeded {max_redirects} redirects."))
                    .with_response(response));
            }
            let next = url::resolve_location(&url_text, &location)?;
            let (next_text, next_parts) = url::prepare(&next, "")?;
            let status = response.status;
            if (status == 302 || status == 303) && method != "HEAD" || status == 301 && method == "POST" {
                method = "GET".into();
            }
            if status != 307 && status != 308 {
                headers.retain(|(k, _)| {
                    !["content-length", "content-type", "transfer-encoding"].contains(&k.to_ascii_lowercase().as_str())
                });
                body = Body::Empty;
                // http.client's rule under requests: a bodiless POST, PUT or PATCH says so.
                if matches!(method.as_str(), "POST" | "PUT" | "PATCH") {
                    headers.push(("Content-Length".into(), "0".into()));
                }
            } else if streamed {
                return Err(Error::new(ErrorKind::UnrewindableBody, "Unable to rewind request body for redirect."));
            }
            if url::should_strip_auth(&parts, &next_parts) {
                headers.retain(|(k, _)| !k.eq_ignore_ascii_case("authorization"));
            }
            history.push(response);
            url_text = next_text;
            parts = next_parts;
        }
    }

    /// The first hop's headers: the client's defaults under the caller's, `Content-Type` and
    /// `Content-Length` by requests' rules, basic auth; every name and value checked.
    fn initial_headers(&self, request: &mut Request, parts: &Parts) -> Result<Vec<(String, String)>> {
        let config = &self.inner.config;
        let mut headers: Vec<(String, String)> = Vec::with_capacity(request.headers.len() + 6);
        let defaults = [
            ("User-Agent", config.user_agent.as_str()),
            ("Accept-Encoding", ACCEPT_ENCODING),
            ("Accept", "*/*"),
            ("Connection", "keep-alive"),
        ];
        for (name, value) in defaults {
            let overridden = request.headers.iter().any(|(k, _)| k.eq_ignore_ascii_case(name))
                || request.removed_headers.iter().any(|k| k.eq_ignore_ascii_case(name));
            if !overridden {
                headers.push((name.to_string(), value.to_string()));
            }
        }
        for (name, value) in &request.headers {
            check_header(name, value)?;
            headers.push((name.clone(), value.clone()));
        }
        let has = |headers: &[(String, String)], name: &str| headers.iter().any(|(k, _)| k.eq_ignore_ascii_case(name));
        match &request.body {
            Body::Empty => {
                if !matches!(request.method.as_str(), "GET" | "HEAD") && !has(&headers, "content-length") {
                    headers.push(("Content-Length".into(), "0".into()));
                }
            }
            Body::Bytes(b) => {
                if !has(&headers, "content-length") && !has(&headers, "transfer-encoding") {
                    headers.push(("Content-Length".into(), b.len().to_string()));
                }
            }
            Body::Reader { len, .. } => {
                if !has(&headers, "content-length") && !has(&headers, "transfer-encoding") {
                    match len {
                        Some(n) => headers.push(("Content-Length".into(), n.to_string())),
                        None => headers.push(("Transfer-Encoding".into(), "chunked".into())),
                    }
                }
            }
        }
        if let Some(ct) = &request.content_type
            && !has(&headers, "content-type")
        {
            headers.push(("Content-Type".into(), ct.clone()));
        }
        let auth = match &request.auth {
            Some(auth) => Some(auth.clone()),
            // Credentials in the URL count only when no Authorization header was given.
            None if has(&headers, "authorization") => None,
            None => url::userinfo_auth(parts),
        };
        if let Some((user, password)) = auth {
            headers.retain(|(k, _)| !k.eq_ignore_ascii_case("authorization"));
            headers.push(("Authorization".into(), basic_credentials(&user, &password)));
        }
        Ok(headers)
    }

    /// One hop, tried again as the retry policy allows. Returns the response and the body (kept
    /// for a 307/308 resend).
    fn send_with_retries(&self, x: &Exchange<'_>, retry: &Retry, body: Body) -> Result<(Response, Body)> {
        let mut attempt = 0u32;
        let resendable = !matches!(body, Body::Reader { .. });
        let mut body = Some(body);
        loop {
            let this_body = if resendable {
                match body.as_ref().expect("kept for resends") {
                    Body::Bytes(b) => Body::Bytes(b.clone()),
                    _ => Body::Empty,
                }
            } else {
                body.take().unwrap_or_default()
            };
            let result = self.send_once(x, this_body);
            let can_retry = attempt < retry.total && resendable;
            match result {
                Ok(response) => {
                    let retry_status =
                        retry.status_forcelist.contains(&response.status) && retry.method_allowed(x.method);
                    if retry_status && can_retry {
                        attempt += 1;
                        let mut wait = retry.backoff(attempt);
                        if retry.respect_retry_after
                            && matches!(response.status, 413 | 429 | 503)
                            && let Some(after) = response.header("retry-after").as_deref().and_then(Retry::retry_after)
                        {
                            wait = after;
                        }
                        drop(response);
                        std::thread::sleep(wait);
                        continue;
                    }
                    if retry_status && retry.total > 0 && retry.raise_on_status {
                        return Err(Error::new(
                            ErrorKind::RetriesExhausted,
                            format!(
                                "Max retries exceeded with url: {} (Caused by ResponseError('too many {} error responses'))",
                                x.url, response.status
                            ),
                        )
                        .with_response(response));
                    }
                    return Ok((response, body.unwrap_or_default()));
                }
                Err((err, phase)) => {
                    // Transport failures only: a bad URL, header or certificate stays bad.
                    let transient = matches!(
                        err.kind(),
                        ErrorKind::Connection
                            | ErrorKind::ConnectTimeout
                            | ErrorKind::ReadTimeout
                            | ErrorKind::Proxy
                            | ErrorKind::ChunkedEncoding
                    );
                    let retryable = transient && (phase == Phase::Connect || retry.method_allowed(x.method));
                    if can_retry && retryable {
                        attempt += 1;
                        std::thread::sleep(retry.backoff(attempt));
                        continue;
                    }
                    return Err(err);
                }
            }
        }
    }

    /// One exchange through ureq, with no retries and no redirects.
    fn send_once(&self, x: &Exchange<'_>, body: Body) -> Result<Response, (Error, Phase)> {
        let mut wire = url::wire_uri(x.parts);
        let mut forward_prefix = None;
        let proxied = x.proxy.is_some();
        let mut tunnel = x.proxy;
        let mut extra: Vec<(String, String)> = Vec::new();
        if let Some(proxy_url) = x.proxy
            && x.parts.scheme == "http"
        {
            let proxy = Parts::parse(&proxy::with_scheme(proxy_url))
                .ok()
                .flatten()
                .filter(|p| (p.scheme == "http" || p.scheme == "https") && !p.host.is_empty());
            if let Some(proxy) = proxy {
                // Forward mode: connect to the proxy and name the target in the request line.
                let authority = match x.parts.port {
                    Some(port) if port != 80 => format!("{}:{port}", x.parts.host),
                    _ => x.parts.host.clone(),
                };
                wire = format!(
                    "{}://{}:{}{}",
                    proxy.scheme,
                    proxy.host,
                    proxy.port_or_default(),
                    url::wire_target(x.parts)
                );
                if !x.headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("host")) {
                    extra.push(("Host".into(), authority.clone()));
                }
                if let Some((user, password)) = url::userinfo_auth(&proxy)
                    && !x.headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("proxy-authorization"))
                {
                    extra.push(("Proxy-Authorization".into(), basic_credentials(&user, &password)));
                }
                forward_prefix = Some(format!("http://{authority}"));
                tunnel = None;
            }
        }
        let mut builder = http::Request::builder().method(x.method).uri(&wire);
        for (name, value) in x.headers.iter().chain(&extra) {
            // Values go out as ISO-8859-1 bytes, as Python's http.client sends them.
            let bytes: Vec<u8> = value.chars().map(|c| c as u8).collect();
            let value = http::HeaderValue::from_bytes(&bytes).map_err(|e| {
                (Error::new(ErrorKind::InvalidHeader, format!("Invalid header value {value:?}: {e}")), Phase::Connect)
            })?;
            builder = builder.header(name.as_str(), value);
        }
        let started = Instant::now();
        reason::start(forward_prefix);
        let x = &Exchange { proxy: tunnel, ..*x };
        let built = |e: http::Error| (request_error(&e), Phase::Connect);
        let result = match body {
            Body::Empty => run(x, builder.body(()).map_err(built)?)?,
            Body::Bytes(b) => run(x, builder.body(b.as_slice()).map_err(built)?)?,
            Body::Reader { reader, .. } => {
                run(x, builder.body(ureq::SendBody::from_owned_reader(ReadOnce(reader))).map_err(built)?)?
            }
        };
        let response = result.map_err(|e| {
            let (err, phase) = error::from_ureq(e, x.url);
            // Failing to reach the proxy is requests' ProxyError.
            if proxied && phase == Phase::Connect && err.kind() == ErrorKind::Connection {
                return (Error::new(ErrorKind::Proxy, format!("cannot reach the proxy: {}", err.message())), phase);
            }
            (err, phase)
        })?;
        let elapsed = started.elapsed();
        let (head, body) = response.into_parts();
        let headers: Vec<(String, String)> = head
            .headers
            .iter()
            .map(|(k, v)| (k.as_str().to_string(), v.as_bytes().iter().map(|&b| char::from(b)).collect()))
            .collect();
        let version = match head.version {
            http::Version::HTTP_10 => "HTTP/1.0",
            http::Version::HTTP_2 => "HTTP/2",
            _ => "HTTP/1.1",
        };
        let raw: BodyRead = Box::new(decode::Transport(body.into_reader()));
        let encoding = headers.iter().find(|(k, _)| k == "content-encoding").map(|(_, v)| v.as_str());
        let reader = decode::decoder(raw, encoding, x.max_decompressed);
        let status = head.status.as_u16();
        let mut response = Response::new(status, version, headers, x.url.to_string(), reader);
        response.reason = reason::take(status);
        response.elapsed = elapsed;
        Ok(response)
    }
}

/// A basic `Authorization` value; requests encodes the credentials as ISO-8859-1 when it can.
fn basic_credentials(user: &str, password: &str) -> String {
    let raw = format!("{user}:{password}");
    let bytes: Vec<u8> = match raw.chars().map(|c| u8::try_from(u32::from(c)).ok()).collect() {
        Some(latin1) => latin1,
        None => raw.into_bytes(),
    };
    format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(bytes))
}

/// Runs one request through the hop's agent with its timeouts and proxy.
fn run<S: ureq::AsSendBody>(
    x: &Exchange<'_>,
    req: http::Request<S>,
) -> Result<Result<http::Response<ureq::Body>, ureq::Error>, (Error, Phase)> {
    let mut c = x
        .agent
        .configure_request(req)
        .timeout_connect(x.timeouts.connect)
        .timeout_resolve(x.timeouts.connect)
        // requests' read timeout bounds each wait for bytes, which is ureq's per-read timeout.
        // (A deadline for the whole head as well would change the socket's timeout on every
        // request: one more system call each.)
        .timeout_per_read(x.timeouts.read);
    if let Some(p) = x.proxy {
        c = c.proxy(Some(proxy::to_ureq(p).map_err(|e| (e, Phase::Connect))?));
    }
    Ok(x.agent.run(c.build()))
}

/// What one hop needs.
#[derive(Clone, Copy)]
struct Exchange<'a> {
    agent: &'a ureq::Agent,
    method: &'a str,
    url: &'a str,
    parts: &'a Parts,
    headers: &'a [(String, String)],
    timeouts: Timeouts,
    proxy: Option<&'a str>,
    max_decompressed: Option<u64>,
}

/// A boxed reader ureq can own (it wants `'static`, which a `Box<dyn Read + Send>` is).
struct ReadOnce(Box<dyn std::io::Read + Send>);

impl std::io::Read for ReadOnce {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.0.read(buf)
    }
}

/// A request ureq's `http` types refuse: headers were checked before, so it is the URL.
fn request_error(e: &http::Error) -> Error {
    Error::new(ErrorKind::InvalidUrl, format!("Invalid URL: {e}"))
}

/// requests' `check_header_validity`: a name without `:`, leading whitespace, CR or LF; a value
/// without CR, LF or leading whitespace.
pub(crate) fn check_header(name: &str, value: &str) -> Result<()> {
    let bad_name = name.is_empty()
        || name.starts_with(|c: char| c == ':' || c.is_whitespace())
        || name.contains([':', '\r', '\n'])
        || http::HeaderName::from_bytes(name.as_bytes()).is_err();
    if bad_name {
        return Err(Error::new(
            ErrorKind::InvalidHeader,
            format!(
                "Invalid leading whitespace, reserved character(s), or return character(s) in header name: {}",
                url::py_repr(name)
            ),
        ));
    }
    let bad_value = value.contains(['\r', '\n'])
        || value.starts_with(|c: char| c.is_whitespace())
        || value.chars().any(|c| u32::from(c) >= 256 || c.is_control() && c != '\t');
    if bad_value {
        return Err(Error::new(
            ErrorKind::InvalidHeader,
            format!(
                "Invalid leading whitespace, reserved character(s), or return character(s) in header value: {}",
                url::py_repr(value)
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shareable_across_threads() {
        fn send_sync<T: Send + Sync>() {}
        fn send<T: Send>() {}
        send_sync::<Client>();
        send::<Response>();
    }

    #[test]
    fn header_rules_follow_requests() {
        assert!(check_header("X-A", "b c").is_ok());
        assert!(check_header("X-A", "caf\u{e9}").is_ok());
        assert!(check_header("X-A", "").is_ok());
        for (name, value) in
            [("X-A", "a\r\nb: c"), ("X-A", "a\nb"), ("X-A", " lead"), ("X:A", "v"), ("", "v"), ("X-A", "\u{263a}")]
        {
            assert_eq!(check_header(name, value).unwrap_err().kind(), ErrorKind::InvalidHeader, "{name:?} {value:?}");
        }
    }
}
