//! `pyaot_http._native`: the Python binding of `pyaot-http`. It converts arguments and results
//! and releases the GIL while a request is in flight; requests' API is built on it in Python
//! (`python/pyaot_http/`).

use std::io::Read;
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use pyaot_http as http;
use pyo3::create_exception;
use pyo3::exceptions::{PyException, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList, PyTuple};

create_exception!(
    _native,
    NativeError,
    PyException,
    "A failed request: args are (kind, message, response or None); the Python layer raises the requests-style class for the kind."
);

fn kind_name(kind: http::ErrorKind) -> &'static str {
    use http::ErrorKind as K;
    match kind {
        K::MissingSchema => "MissingSchema",
        K::InvalidSchema => "InvalidSchema",
        K::InvalidUrl => "InvalidURL",
        K::InvalidHeader => "InvalidHeader",
        K::InvalidProxyUrl => "InvalidProxyURL",
        K::Connection => "ConnectionError",
        K::Proxy => "ProxyError",
        K::Tls => "SSLError",
        K::ConnectTimeout => "ConnectTimeout",
        K::ReadTimeout => "ReadTimeout",
        K::TooManyRedirects => "TooManyRedirects",
        K::ContentDecoding => "ContentDecodingError",
        K::ChunkedEncoding => "ChunkedEncodingError",
        K::RetriesExhausted => "RetryError",
        K::UnrewindableBody => "UnrewindableBodyError",
        K::StreamConsumed => "StreamConsumedError",
        K::InvalidConfig => "InvalidConfig",
        K::InvalidBody => "InvalidBody",
        _ => "RequestException",
    }
}

fn to_py_err(py: Python<'_>, mut err: http::Error) -> PyErr {
    let response = match err.take_response() {
        Some(r) => match Py::new(py, Response::from(r)) {
            Ok(r) => r.into_any(),
            Err(e) => return e,
        },
        None => py.None(),
    };
    NativeError::new_err((kind_name(err.kind()), err.message().to_string(), response))
}

/// A Python iterator of bytes read as a body; the GIL is taken for each chunk.
struct PyReader {
    iter: Py<PyAny>,
    pending: Vec<u8>,
    at: usize,
    done: bool,
}

impl Read for PyReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.at >= self.pending.len() && !self.done {
            let next = Python::attach(|py| -> PyResult<Option<Vec<u8>>> {
                match self.iter.bind(py).call_method0("__next__") {
                    Ok(chunk) => Ok(Some(chunk.extract::<Vec<u8>>()?)),
                    Err(e) if e.is_instance_of::<pyo3::exceptions::PyStopIteration>(py) => Ok(None),
                    Err(e) => Err(e),
                }
            });
            match next {
                Ok(Some(chunk)) => {
                    self.pending = chunk;
                    self.at = 0;
                }
                Ok(None) => self.done = true,
                Err(e) => return Err(std::io::Error::other(format!("reading the request body failed: {e}"))),
            }
        }
        let n = (self.pending.len() - self.at).min(buf.len());
        buf[..n].copy_from_slice(&self.pending[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

fn duration(secs: f64, what: &str) -> PyResult<Duration> {
    Duration::try_from_secs_f64(secs).map_err(|_| PyValueError::new_err(format!("invalid {what} timeout: {secs}")))
}

/// A header name as servers usually write it (`content-type` -> `Content-Type`): the HTTP parser
/// gives names lower-cased.
fn title_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut upper = true;
    for c in name.chars() {
        out.push(if upper { c.to_ascii_uppercase() } else { c });
        upper = c == '-';
    }
    out
}

/// A cookie as a tuple: (name, value, domain, path, secure, expires or None, domain_specified,
/// http_only).
type CookieTuple = (String, String, String, String, bool, Option<i64>, bool, bool);

fn cookie_tuple(c: &http::Cookie) -> CookieTuple {
    (
        c.name.clone(),
        c.value.clone(),
        c.domain.clone(),
        c.path.clone(),
        c.secure,
        c.expires_unix(),
        c.domain_specified,
        c.http_only,
    )
}

/// A cookie jar shared between Python and the client.
#[pyclass(module = "pyaot_http._native", frozen)]
#[derive(Default)]
struct Jar {
    inner: http::Jar,
}

#[pymethods]
impl Jar {
    #[new]
    fn new() -> Jar {
        Jar::default()
    }

    /// Every cookie, as tuples (see `CookieTuple`).
    fn cookies(&self) -> Vec<CookieTuple> {
        self.inner.cookies().iter().map(cookie_tuple).collect()
    }

    /// Adds or replaces a cookie.
    #[pyo3(signature = (name, value, domain="", path="/", secure=false, expires=None, domain_specified=false, http_only=false))]
    #[allow(clippy::too_many_arguments)]
    fn set(
        &self,
        name: String,
        value: String,
        domain: &str,
        path: &str,
        secure: bool,
        expires: Option<i64>,
        domain_specified: bool,
        http_only: bool,
    ) {
        let expires = expires.map(|t| {
            if t <= 0 { std::time::UNIX_EPOCH } else { std::time::UNIX_EPOCH + Duration::from_secs(t as u64) }
        });
        self.inner.insert(http::Cookie {
            name,
            value,
            domain: domain.to_string(),
            path: path.to_string(),
            secure,
            expires,
            domain_specified,
            http_only,
        });
    }

    /// Removes cookies by name (and domain and path when given); returns how many.
    #[pyo3(signature = (name, domain=None, path=None))]
    fn remove(&self, name: &str, domain: Option<&str>, path: Option<&str>) -> usize {
        self.inner.remove(name, domain, path)
    }

    /// Removes every cookie, or those of a domain, path and name.
    #[pyo3(signature = (domain=None, path=None, name=None))]
    fn clear(&self, domain: Option<&str>, path: Option<&str>, name: Option<&str>) {
        self.inner.clear(domain, path, name);
    }

    fn __len__(&self) -> usize {
        self.inner.len()
    }
}

/// A response: head fields and a body read once (the Python layer keeps it).
#[pyclass(module = "pyaot_http._native", frozen)]
struct Response {
    inner: Mutex<http::Response>,
}

impl From<http::Response> for Response {
    fn from(r: http::Response) -> Response {
        Response { inner: Mutex::new(r) }
    }
}

impl Response {
    fn lock(&self) -> MutexGuard<'_, http::Response> {
        self.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[pymethods]
impl Response {
    #[getter]
    fn status(&self) -> u16 {
        self.lock().status()
    }

    #[getter]
    fn reason(&self) -> String {
        self.lock().reason().to_string()
    }

    #[getter]
    fn url(&self) -> String {
        self.lock().url().to_string()
    }

    /// Seconds from sending to having the headers.
    #[getter]
    fn elapsed(&self) -> f64 {
        self.lock().elapsed().as_secs_f64()
    }

    /// What `Response` needs at once (one lock, one call): (status, reason, url, encoding,
    /// elapsed seconds, history taken out, oldest first).
    fn head<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let mut r = self.lock();
        let history: Vec<Response> = r.take_history().into_iter().map(Response::from).collect();
        (r.status(), r.reason(), r.url(), r.encoding(), r.elapsed().as_secs_f64(), history).into_pyobject(py)
    }

    /// The headers as a `CaseInsensitiveDict` store: lower-case name to (title-cased name,
    /// value), repeated lines joined with ", " as requests joins them.
    fn header_store<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let r = self.lock();
        let store = PyDict::new(py);
        let mut joined: Vec<(&str, String)> = Vec::with_capacity(r.headers().len());
        for (name, value) in r.headers() {
            match joined.iter_mut().find(|(n, _)| *n == name.as_str()) {
                Some((_, v)) => {
                    v.push_str(", ");
                    v.push_str(value);
                }
                None => joined.push((name.as_str(), value.clone())),
            }
        }
        for (name, value) in joined {
            store.set_item(name, (title_case(name), value))?;
        }
        Ok(store)
    }

    #[getter]
    fn encoding(&self) -> Option<String> {
        self.lock().encoding()
    }

    /// The request as sent: (method, url, headers, body or None).
    #[getter]
    fn request<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let r = self.lock();
        let req = r.request();
        let headers = PyList::new(py, req.headers.iter().map(|(k, v)| (k.as_str(), v.as_str())))?;
        let body = req.body.as_ref().map(|b| PyBytes::new(py, b));
        (req.method.as_str(), req.url.as_str(), headers, body).into_pyobject(py)
    }

    /// The cookies this response set, as tuples.
    #[getter]
    fn cookies(&self) -> Vec<CookieTuple> {
        self.lock().cookies().iter().map(cookie_tuple).collect()
    }

    /// The whole body (read without the GIL); a second call raises StreamConsumedError.
    fn content<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
        let body = py.detach(|| self.lock().take_bytes());
        match body {
            Ok(b) => Ok(PyBytes::new(py, &b)),
            Err(e) => Err(to_py_err(py, e)),
        }
    }

    /// Up to `size` bytes of a streamed body (whatever arrives for `None`); `b""` at the end.
    #[pyo3(signature = (size=None))]
    fn read<'py>(&self, py: Python<'py>, size: Option<usize>) -> PyResult<Bound<'py, PyBytes>> {
        let want = size.unwrap_or(64 * 1024).max(1);
        let result = py.detach(|| {
            let mut r = self.lock();
            let mut buf = vec![0u8; want];
            let mut filled = 0;
            // A size asks for that many bytes (fewer only at the end), as urllib3's read(n).
            loop {
                let n = r.read_chunk(&mut buf[filled..])?;
                filled += n;
                if n == 0 || filled == want || size.is_none() {
                    break;
                }
            }
            buf.truncate(filled);
            Ok::<_, http::Error>(buf)
        });
        match result {
            Ok(b) => Ok(PyBytes::new(py, &b)),
            Err(e) => Err(to_py_err(py, e)),
        }
    }

    /// Drops an unread body (its connection closes).
    fn close(&self) {
        self.lock().close();
    }
}

/// The connection pools and defaults; every request setting comes with the call.
#[pyclass(module = "pyaot_http._native", frozen)]
struct Client {
    inner: http::Client,
}

/// Retry settings as the Python layer passes them: (total, backoff_factor, backoff_max,
/// status_forcelist, allowed_methods or None, respect_retry_after, raise_on_status).
type RetryTuple = (u32, f64, f64, Vec<u16>, Option<Vec<String>>, bool, bool);

#[pymethods]
impl Client {
    #[new]
    #[pyo3(signature = (max_decompressed_size=Some(http::DEFAULT_MAX_DECOMPRESSED), pool_size=10))]
    fn new(max_decompressed_size: Option<u64>, pool_size: usize) -> Client {
        let inner = http::Client::builder()
            .max_decompressed_size(max_decompressed_size)
            .max_idle_per_host(pool_size)
            .user_agent(&format!("python-pyaot-http/{}", env!("CARGO_PKG_VERSION")))
            .build();
        Client { inner }
    }

    /// Sends a request; every argument is already in wire form (the Python layer merged the
    /// session's settings in). Returns the response and its head in one go: (response,
    /// (status, reason, url, encoding, elapsed seconds, history, body or None when streaming)).
    #[pyo3(signature = (method, url, query="", headers=Vec::new(), removed=Vec::new(), body=None, body_len=None,
        content_type=None, auth=None, cookies=Vec::new(), timeout=None, allow_redirects=true, stream=false,
        proxies=Vec::new(), session_proxies=Vec::new(), verify=None, cert=None, trust_env=true,
        max_redirects=30, retry=None, jar=None, max_decompressed_size=Some(http::DEFAULT_MAX_DECOMPRESSED)))]
    // pyo3 extracts arguments into owned values.
    #[allow(clippy::too_many_arguments, clippy::needless_pass_by_value)]
    fn send<'py>(
        &self,
        py: Python<'py>,
        method: &str,
        url: &str,
        query: &str,
        headers: Vec<(String, String)>,
        removed: Vec<String>,
        body: Option<&Bound<'_, PyAny>>,
        body_len: Option<u64>,
        content_type: Option<&str>,
        auth: Option<(String, String)>,
        cookies: Vec<(String, String)>,
        timeout: Option<(Option<f64>, Option<f64>)>,
        allow_redirects: bool,
        stream: bool,
        proxies: Vec<(String, String)>,
        session_proxies: Vec<(String, String)>,
        verify: Option<&Bound<'_, PyAny>>,
        cert: Option<(String, Option<String>)>,
        trust_env: bool,
        max_redirects: u32,
        retry: Option<RetryTuple>,
        jar: Option<&Bound<'_, Jar>>,
        max_decompressed_size: Option<u64>,
    ) -> PyResult<Bound<'py, PyTuple>> {
        let mut req = http::Request::new(method, url);
        req.add_raw_query(query);
        for (name, value) in &headers {
            req.set_header(name, value);
        }
        for name in &removed {
            req.remove_header(name);
        }
        if let Some(body) = body {
            if let Ok(bytes) = body.cast::<PyBytes>() {
                req.set_body(bytes.as_bytes().to_vec(), content_type);
            } else {
                let iter =
                    body.try_iter().map_err(|_| PyTypeError::new_err("body must be bytes or an iterator of bytes"))?;
                req.set_body_reader(
                    Box::new(PyReader { iter: iter.into_any().unbind(), pending: Vec::new(), at: 0, done: false }),
                    body_len,
                );
            }
        }
        if let Some((user, password)) = &auth {
            req.set_basic_auth(user, password);
        }
        for (name, value) in &cookies {
            req.add_cookie(name, value);
        }
        if let Some((connect, read)) = timeout {
            let defaults = http::Timeouts::DEFAULT;
            req.set_timeouts(http::Timeouts {
                connect: match connect {
                    Some(s) => Some(duration(s, "connect")?),
                    None => defaults.connect,
                },
                read: match read {
                    Some(s) => Some(duration(s, "read")?),
                    None => defaults.read,
                },
            });
        }
        req.set_allow_redirects(allow_redirects);
        req.set_stream(stream);
        for (key, url) in &proxies {
            req.add_proxy(key, url);
        }
        req.set_session_proxies(session_proxies);
        if let Some(verify) = verify {
            let v = if let Ok(flag) = verify.extract::<bool>() {
                if flag { http::Verify::Default } else { http::Verify::Disabled }
            } else {
                http::Verify::CaBundle(verify.extract::<String>()?.into())
            };
            req.set_verify(v);
        }
        if let Some((cert, key)) = cert {
            req.set_identity(Some(http::Identity { cert: cert.into(), key: key.map(Into::into) }));
        }
        req.set_trust_env(trust_env);
        req.set_max_decompressed_size(max_decompressed_size);
        req.set_max_redirects(max_redirects);
        if let Some((total, backoff_factor, backoff_max, statuses, methods, respect_retry_after, raise_on_status)) =
            retry
        {
            let mut r = http::Retry::new(total);
            r.backoff_factor = backoff_factor;
            r.backoff_max = duration(backoff_max, "backoff")?;
            r.status_forcelist = statuses;
            if let Some(methods) = methods {
                r.allowed_methods = methods;
            }
            r.respect_retry_after = respect_retry_after;
            r.raise_on_status = raise_on_status;
            req.set_retry(r);
        }
        let jar = jar.map(Bound::get);
        let client = &self.inner;
        let result = py.detach(|| {
            let mut response = client.execute(req, jar.map(|j| &j.inner))?;
            // Without stream=True the body is already read: hand it over with the head.
            let body = if stream { None } else { Some(response.take_bytes()?) };
            Ok::<_, http::Error>((response, body))
        });
        let (response, body) = result.map_err(|e| to_py_err(py, e))?;
        let mut response = response;
        let history: Vec<Response> = response.take_history().into_iter().map(Response::from).collect();
        let head = (
            response.status(),
            response.reason().to_string(),
            response.url().to_string(),
            response.encoding(),
            response.elapsed().as_secs_f64(),
            history,
            body.map(|b| PyBytes::new(py, &b)),
        );
        (Response::from(response), head).into_pyobject(py)
    }
}

/// A multipart body from parts (name, filename or None, content type or None, extra headers,
/// data); returns (body, content type).
#[pyfunction]
#[allow(clippy::type_complexity)]
fn encode_multipart<'py>(
    py: Python<'py>,
    parts: Vec<(String, Option<String>, Option<String>, Vec<(String, String)>, Vec<u8>)>,
) -> (Bound<'py, PyBytes>, String) {
    let form = http::Multipart {
        parts: parts
            .into_iter()
            .map(|(name, filename, content_type, headers, data)| http::Part {
                name,
                filename,
                content_type,
                headers,
                data,
            })
            .collect(),
    };
    let (body, content_type) = form.encode();
    (PyBytes::new(py, &body), content_type)
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Client>()?;
    m.add_class::<Response>()?;
    m.add_class::<Jar>()?;
    m.add_function(wrap_pyfunction!(encode_multipart, m)?)?;
    m.add("NativeError", m.py().get_type::<NativeError>())?;
    m.add("USER_AGENT", format!("python-pyaot-http/{}", env!("CARGO_PKG_VERSION")))?;
    m.add("DEFAULT_CONNECT_TIMEOUT", http::Timeouts::DEFAULT.connect.map(|d| d.as_secs_f64()))?;
    m.add("DEFAULT_READ_TIMEOUT", http::Timeouts::DEFAULT.read.map(|d| d.as_secs_f64()))?;
    m.add("DEFAULT_MAX_DECOMPRESSED_SIZE", http::DEFAULT_MAX_DECOMPRESSED)?;
    Ok(())
}
