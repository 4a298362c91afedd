"""pyaot_http: requests' API on a native HTTP client (Rust: ureq + rustls).

Switch by changing the import::

    import pyaot_http as requests

    r = requests.get("https://example.org", params={"q": "x"}, timeout=5)
    r.raise_for_status()
    print(r.json())

Differences from requests, all on the safe side: certificates are checked against the
system's roots plus Mozilla's (no certifi needed); timeouts are on by default (10 s to connect,
60 s per read: ``timeout=None`` means these defaults, never "wait forever"); decompressed bodies
are bounded (1 GiB); proxies are tunnelled with CONNECT, also for http:// URLs.
"""

from __future__ import annotations

from . import adapters, auth, cookies, exceptions, models, sessions, status_codes, structures
from ._native import DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT
from .adapters import HTTPAdapter, Retry
from .api import delete, get, head, options, patch, post, put, request
from .auth import HTTPBasicAuth, HTTPProxyAuth
from .exceptions import (
    ChunkedEncodingError,
    ConnectionError,
    ConnectTimeout,
    ContentDecodingError,
    FileModeWarning,
    HTTPError,
    InsecureRequestWarning,
    InvalidHeader,
    InvalidJSONError,
    InvalidProxyURL,
    InvalidSchema,
    InvalidURL,
    JSONDecodeError,
    MissingSchema,
    ProxyError,
    ReadTimeout,
    RequestException,
    RequestsDependencyWarning,
    RetryError,
    SSLError,
    StreamConsumedError,
    Timeout,
    TooManyRedirects,
    UnrewindableBodyError,
    URLRequired,
)
from .models import PreparedRequest, Request, Response
from .sessions import Session, session
from .status_codes import codes

__version__ = "0.1.0"

__all__ = [
    "DEFAULT_CONNECT_TIMEOUT",
    "DEFAULT_READ_TIMEOUT",
    "ChunkedEncodingError",
    "ConnectTimeout",
    "ConnectionError",
    "ContentDecodingError",
    "FileModeWarning",
    "HTTPAdapter",
    "HTTPBasicAuth",
    "HTTPError",
    "HTTPProxyAuth",
    "InsecureRequestWarning",
    "InvalidHeader",
    "InvalidJSONError",
    "InvalidProxyURL",
    "InvalidSchema",
    "InvalidURL",
    "JSONDecodeError",
    "MissingSchema",
    "PreparedRequest",
    "ProxyError",
    "ReadTimeout",
    "Request",
    "RequestException",
    "RequestsDependencyWarning",
    "Response",
    "Retry",
    "RetryError",
    "SSLError",
    "Session",
    "StreamConsumedError",
    "Timeout",
    "TooManyRedirects",
    "URLRequired",
    "UnrewindableBodyError",
    "codes",
    "delete",
    "exceptions",
    "get",
    "head",
    "options",
    "patch",
    "post",
    "put",
    "request",
    "session",
    "status_codes",
    "structures",
]
