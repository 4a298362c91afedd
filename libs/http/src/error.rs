//! The one error type, [`Error`], and what kind of failure it is, [`ErrorKind`].

use std::fmt;

use crate::Response;

/// What went wrong. Each kind corresponds to one exception class of requests, named in its
/// documentation, so that bindings map kinds to classes without looking at messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The URL has no scheme, like `example.com/x` (requests' `MissingSchema`).
    MissingSchema,
    /// The URL's scheme is not `http` or `https`, or not `https` for a client configured for
    /// https only (`InvalidSchema`).
    InvalidSchema,
    /// The URL cannot be parsed, has no host or a bad port (`InvalidURL`).
    InvalidUrl,
    /// A header name or value is not allowed, such as a value with CR or LF (`InvalidHeader`).
    InvalidHeader,
    /// A proxy URL cannot be parsed (`InvalidProxyURL`).
    InvalidProxyUrl,
    /// The connection could not be made or broke (`ConnectionError`).
    Connection,
    /// The proxy refused or failed the connection (`ProxyError`).
    Proxy,
    /// The TLS handshake failed, for example an untrusted or expired certificate (`SSLError`).
    Tls,
    /// No connection within the connect timeout (`ConnectTimeout`).
    ConnectTimeout,
    /// The server sent nothing within the read timeout (`ReadTimeout`).
    ReadTimeout,
    /// More redirects than the limit (`TooManyRedirects`); the error carries the last response.
    TooManyRedirects,
    /// The body could not be decompressed, or decompresses past the size bound
    /// (`ContentDecodingError`).
    ContentDecoding,
    /// The body ended early or its chunked framing is broken (`ChunkedEncodingError`).
    ChunkedEncoding,
    /// Retries ran out on a status in the retry policy's list (`RetryError`).
    RetriesExhausted,
    /// A streamed request body cannot be sent again for a 307/308 redirect
    /// (`UnrewindableBodyError`).
    UnrewindableBody,
    /// The body was already read (`StreamConsumedError`).
    StreamConsumed,
    /// A setting is invalid: an unreadable CA bundle or client certificate.
    InvalidConfig,
    /// A request body could not be built (an unserialisable JSON value, a failing reader).
    InvalidBody,
}

/// An error from building, sending or reading a request.
///
/// Match on [`Error::kind`]; the message is for people. Errors that end a redirect chain carry
/// the last response ([`Error::response`]), as requests' exceptions do.
pub struct Error {
    kind: ErrorKind,
    message: String,
    response: Option<Box<Response>>,
}

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub(crate) fn new(kind: ErrorKind, message: impl Into<String>) -> Error {
        Error { kind, message: message.into(), response: None }
    }

    pub(crate) fn with_response(mut self, response: Response) -> Error {
        self.response = Some(Box::new(response));
        self
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The message, without the kind.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The response that ended the chain, for [`ErrorKind::TooManyRedirects`] and
    /// [`ErrorKind::RetriesExhausted`].
    pub fn response(&self) -> Option<&Response> {
        self.response.as_deref()
    }

    /// Takes the response out of the error.
    pub fn take_response(&mut self) -> Option<Response> {
        self.response.take().map(|r| *r)
    }

    /// Whether this is one of the timeout kinds (requests' `Timeout` and its subclasses).
    pub fn is_timeout(&self) -> bool {
        matches!(self.kind, ErrorKind::ConnectTimeout | ErrorKind::ReadTimeout)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error").field("kind", &self.kind).field("message", &self.message).finish_non_exhaustive()
    }
}

impl std::error::Error for Error {}

/// Where in the exchange an I/O failure happened: it decides between connect and read
/// timeouts and whether a retry may resend the request.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Phase {
    /// Resolving, connecting, the TLS handshake: the request has not left.
    Connect,
    /// Sending the request or reading the response.
    Exchange,
}

/// Maps ureq's error to ours. `url` names the target in messages.
pub(crate) fn from_ureq(err: ureq::Error, url: &str) -> (Error, Phase) {
    use ureq::Error as U;
    use ureq::Timeout as T;
    match err {
        U::Timeout(t) => match t {
            T::Resolve | T::Connect => (
                Error::new(ErrorKind::ConnectTimeout, format!("connection to {url} timed out (connect timeout)")),
                Phase::Connect,
            ),
            _ => (
                Error::new(ErrorKind::ReadTimeout, format!("read from {url} timed out (read timeout)")),
                Phase::Exchange,
            ),
        },
        U::HostNotFound => (
            Error::new(ErrorKind::Connection, format!("failed to resolve host of {url}: host not found")),
            Phase::Connect,
        ),
        U::ConnectionFailed => {
            (Error::new(ErrorKind::Connection, format!("failed to connect to {url}")), Phase::Connect)
        }
        U::ConnectProxyFailed(why) => {
            (Error::new(ErrorKind::Proxy, format!("proxy failed for {url}: {why}")), Phase::Connect)
        }
        U::InvalidProxyUrl => (Error::new(ErrorKind::InvalidProxyUrl, "invalid proxy URL"), Phase::Connect),
        U::Rustls(e) => (tls_error(&e, url), Phase::Connect),
        U::Tls(why) => (Error::new(ErrorKind::Tls, format!("TLS error for {url}: {why}")), Phase::Connect),
        U::Pem(e) => (Error::new(ErrorKind::InvalidConfig, format!("bad PEM data: {e}")), Phase::Connect),
        // Before a response head: the server hung up without answering (requests'
        // "Connection aborted"), not a body cut short.
        U::Io(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => (
            Error::new(
                ErrorKind::Connection,
                format!("connection to {url} aborted: the server closed it without a response"),
            ),
            Phase::Exchange,
        ),
        U::Io(e) => io_error(&e, url),
        U::RequireHttpsOnly(why) => (
            Error::new(
                ErrorKind::InvalidSchema,
                format!("refused {url}: the client is configured for https only ({why})"),
            ),
            Phase::Connect,
        ),
        U::BadUri(why) => (
            Error::new(ErrorKind::InvalidUrl, format!("Invalid URL {}: {why}", crate::url::py_repr(url))),
            Phase::Connect,
        ),
        U::Http(e) => (Error::new(ErrorKind::InvalidHeader, format!("{e}")), Phase::Connect),
        U::Protocol(e) => {
            (Error::new(ErrorKind::Connection, format!("protocol error talking to {url}: {e}")), Phase::Exchange)
        }
        other => (Error::new(ErrorKind::Connection, format!("{other} ({url})")), Phase::Exchange),
    }
}

/// Maps an I/O error, looking inside it for a rustls error (ureq wraps handshake failures in
/// `io::Error`).
pub(crate) fn io_error(e: &std::io::Error, url: &str) -> (Error, Phase) {
    use std::io::ErrorKind as K;
    if let Some(inner) = e.get_ref() {
        if let Some(tls) = inner.downcast_ref::<rustls::Error>() {
            return (tls_error(tls, url), Phase::Connect);
        }
        if let Some(ureq::Error::Rustls(tls)) = inner.downcast_ref::<ureq::Error>() {
            return (tls_error(tls, url), Phase::Connect);
        }
    }
    match e.kind() {
        K::ConnectionRefused => (
            Error::new(ErrorKind::Connection, format!("failed to connect to {url}: connection refused")),
            Phase::Connect,
        ),
        K::TimedOut | K::WouldBlock => {
            (Error::new(ErrorKind::ReadTimeout, format!("read from {url} timed out (read timeout)")), Phase::Exchange)
        }
        K::UnexpectedEof => (
            Error::new(
                ErrorKind::ChunkedEncoding,
                format!("connection to {url} closed before the response ended: {e}"),
            ),
            Phase::Exchange,
        ),
        _ => (Error::new(ErrorKind::Connection, format!("connection to {url} failed: {e}")), Phase::Exchange),
    }
}

/// Names the reason of a TLS failure in words people search for.
pub(crate) fn tls_error(e: &rustls::Error, url: &str) -> Error {
    use rustls::CertificateError as C;
    let reason = match e {
        rustls::Error::InvalidCertificate(c) => match c {
            C::Expired | C::ExpiredContext { .. } => "certificate has expired".to_string(),
            C::NotValidYet | C::NotValidYetContext { .. } => "certificate is not valid yet".to_string(),
            C::NotValidForName | C::NotValidForNameContext { .. } => {
                format!("certificate is not valid for the host name ({c:?})")
            }
            C::UnknownIssuer => {
                "certificate verify failed: unknown issuer (self-signed, or signed by an untrusted CA)".to_string()
            }
            C::BadSignature => "certificate has a bad signature".to_string(),
            C::Revoked => "certificate has been revoked".to_string(),
            other => format!("invalid certificate: {other:?}"),
        },
        other => other.to_string(),
    };
    Error::new(ErrorKind::Tls, format!("TLS handshake with {url} failed: {reason}"))
}
