"""Local servers for the pyaot_http tests: an httpbin-like HTTP/1.1 server (plain or TLS) and a
small recording HTTP proxy (absolute-form requests and CONNECT tunnels).

Every server listens on 127.0.0.1 port 0, serves each connection in a daemon thread, and stops
when its context manager exits (the pytest fixtures in ``conftest.py`` and ``test_tls.py``), so
nothing outlives the test session. Answers are JSON shaped like httpbin's, with two deliberate
differences that make comparisons exact: header names are lowercased (names are
case-insensitive, and clients differ in the case they send), and query pairs and form fields are
lists of ``[name, value]`` pairs (order and repeats matter).
"""

from __future__ import annotations

import base64
import gzip
import http.client
import json
import random
import re
import select
import socket
import ssl
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qsl, urlsplit

try:
    import brotli
except ImportError:
    try:
        import brotlicffi as brotli
    except ImportError:
        brotli = None

HOST = "127.0.0.1"

# Connections whose peer went away, and failed TLS handshakes, are expected: the tests provoke them.
_QUIET_ERRORS = (ConnectionError, TimeoutError, ssl.SSLError, socket.timeout)

# Hop-by-hop headers (RFC 9110 7.6.1): a proxy consumes them instead of forwarding them.
_HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "proxy-connection",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
}

JSON_DOCUMENT = {
    "slideshow": {
        "title": "Sample Slide Show",
        "slides": [{"title": "Wake up", "type": "all"}, {"title": "Overview", "items": [1, 2.5]}],
        "unicode": "h\u00e9llo \u2603",
    }
}
UTF8_TEXT = "\u2200x \u2208 \u211d: \u00e9t\u00e9, \u65e5\u672c\u8a9e, \U0001f600\n"
HTML_PAGE = "<!DOCTYPE html><html><body><h1>Caf\u00e9 \u00e0 la cr\u00e8me</h1></body></html>"


def payload(n: int) -> bytes:
    """The deterministic bytes ``/bytes/<n>`` and ``/stream-bytes/<n>`` serve."""
    return random.Random(n).randbytes(n)


def read_body(handler: BaseHTTPRequestHandler) -> bytes:
    """The request body, from a Content-Length or a chunked transfer coding."""
    if "chunked" in handler.headers.get("Transfer-Encoding", "").lower():
        chunks: list[bytes] = []
        while True:
            size = int(handler.rfile.readline().split(b";")[0].strip(), 16)
            if size == 0:
                while handler.rfile.readline() not in (b"\r\n", b"\n", b""):
                    pass  # trailer fields
                return b"".join(chunks)
            chunks.append(handler.rfile.read(size))
            handler.rfile.readline()
    length = handler.headers.get("Content-Length")
    return handler.rfile.read(int(length)) if length else b""


def _lower_headers(handler: BaseHTTPRequestHandler) -> dict[str, str]:
    headers: dict[str, str] = {}
    for name, value in handler.headers.items():
        key = name.lower()
        headers[key] = f"{headers[key]}, {value}" if key in headers else value
    return headers


def _multipart(content_type: str, body: bytes) -> tuple[list[list[str]], list[dict[str, Any]]]:
    """Form fields and files of a multipart/form-data body (file contents as Latin-1 text)."""
    message = BytesParser(policy=HTTP).parsebytes(
        b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + body
    )
    form: list[list[str]] = []
    files: list[dict[str, Any]] = []
    for part in message.iter_parts():
        name = str(part.get_param("name", header="content-disposition"))
        content: bytes = part.get_payload(decode=True) or b""  # type: ignore[assignment]
        filename = part.get_filename()
        if filename is None:
            form.append([name, content.decode("utf-8")])
        else:
            files.append(
                {
                    "name": name,
                    "filename": filename,
                    "content_type": part.get("Content-Type"),
                    "content": content.decode("latin-1"),
                }
            )
    return form, files


class _Server(ThreadingHTTPServer):
    """A threading HTTP server whose TLS handshakes (if any) happen in the connection's thread,
    so that a client that never finishes one cannot stall the accept loop."""

    daemon_threads = True
    allow_reuse_address = False

    def __init__(self, handler: type[BaseHTTPRequestHandler], tls: ssl.SSLContext | None) -> None:
        self.tls = tls
        self.seen: list[Seen] = []  # what a proxy passed on
        super().__init__((HOST, 0), handler)

    def finish_request(self, request: Any, client_address: Any) -> None:
        if self.tls is not None:
            request.settimeout(10)
            request = self.tls.wrap_socket(request, server_side=True)
        super().finish_request(request, client_address)

    def handle_error(self, request: Any, client_address: Any) -> None:
        import sys

        if not isinstance(sys.exc_info()[1], _QUIET_ERRORS):
            super().handle_error(request, client_address)


class Server:
    """A running server: ``url`` is its base URL, ``url_for(path, host=)`` builds others."""

    def __init__(
        self, handler: type[BaseHTTPRequestHandler], tls: ssl.SSLContext | None = None
    ) -> None:
        self._httpd = _Server(handler, tls)
        self.port: int = self._httpd.server_address[1]
        self.scheme = "https" if tls is not None else "http"
        self.url = f"{self.scheme}://{HOST}:{self.port}"
        self.seen = self._httpd.seen
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def url_for(self, path: str, host: str = HOST) -> str:
        return f"{self.scheme}://{host}:{self.port}{path}"

    def start(self) -> Server:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(5)

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


class HttpbinHandler(BaseHTTPRequestHandler):
    """httpbin's endpoints that the tests use, plus a few of our own (see ``ROUTES``)."""

    protocol_version = "HTTP/1.1"
    server_version = "pyaot-test-httpbin"
    timeout = 30  # an idle keep-alive connection is closed after this many seconds

    body: bytes
    query: list[tuple[str, str]]

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def __getattr__(self, name: str) -> Any:
        # Every method, including made-up ones such as PROPFIND, goes through the router.
        if name.startswith("do_"):
            return self._dispatch
        raise AttributeError(name)

    def _dispatch(self) -> None:
        self.body = read_body(self)
        split = urlsplit(self.path)
        self.query = parse_qsl(split.query, keep_blank_values=True)
        for pattern, route in ROUTES:
            match = pattern.fullmatch(split.path)
            if match:
                route(self, *match.groups())
                return
        self.send_json({"error": f"no route for {split.path}"}, status=404)

    # Responses.

    def send(
        self,
        status: int,
        body: bytes = b"",
        headers: list[tuple[str, str]] | None = None,
        reason: str | None = None,
    ) -> None:
        headers = list(headers or [])
        self.send_response(status, reason)
        no_body = status in (204, 304) or status < 200
        if not no_body and not any(k.lower() == "content-length" for k, _ in headers):
            headers.append(("Content-Length", str(len(body))))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD" and not no_body:
            self.wfile.write(body)

    def send_json(
        self, value: Any, status: int = 200, headers: list[tuple[str, str]] | None = None
    ) -> None:
        body = json.dumps(value).encode()
        self.send(status, body, [("Content-Type", "application/json"), *(headers or [])])

    def redirect(
        self, location: str, status: int = 302, headers: list[tuple[str, str]] | None = None
    ) -> None:
        self.send(status, b"", [("Location", location), *(headers or [])])

    def base_url(self) -> str:
        scheme = "https" if isinstance(self.connection, ssl.SSLSocket) else "http"
        return f"{scheme}://{self.headers.get('Host', HOST)}"

    def echo(self) -> dict[str, Any]:
        content_type = self.headers.get("Content-Type", "")
        form: list[list[str]] = []
        files: list[dict[str, Any]] = []
        document = None
        if content_type.startswith("application/x-www-form-urlencoded"):
            form = [
                list(p)
                for p in parse_qsl(self.body.decode("ascii", "replace"), keep_blank_values=True)
            ]
        elif content_type.startswith("multipart/form-data"):
            form, files = _multipart(content_type, self.body)
        elif content_type.startswith("application/json"):
            try:
                document = json.loads(self.body)
            except ValueError:
                pass
        answer = {
            "method": self.command,
            "url": self.base_url() + self.path,
            "path": urlsplit(self.path).path,
            "args": [list(p) for p in self.query],
            "headers": _lower_headers(self),
            "data": self.body.decode("latin-1"),
            "form": form,
            "files": files,
            "json": document,
        }
        if isinstance(self.connection, ssl.SSLSocket):
            peer: Any = self.connection.getpeercert()
            if peer:
                answer["client_cert"] = dict(item for rdn in peer["subject"] for item in rdn)
        return answer


Route = Callable[..., None]
ROUTES: list[tuple[re.Pattern[str], Route]] = []


def route(pattern: str) -> Callable[[Route], Route]:
    def register(function: Route) -> Route:
        ROUTES.append((re.compile(pattern), function))
        return function

    return register


@route(r"/(?:get|post|put|patch|delete|headers|anything(?:/.*)?)")
def _echo(h: HttpbinHandler) -> None:
    h.send_json(h.echo())


@route(r"/status/(\d+)")
def _status(h: HttpbinHandler, code: str) -> None:
    """An empty answer with this status (and ``?reason=`` as the reason phrase); no Location."""
    h.send(int(code), reason=dict(h.query).get("reason"))


@route(r"/redirect/(\d+)")
def _redirect(h: HttpbinHandler, n: str) -> None:
    left = int(n) - 1
    h.redirect(f"/redirect/{left}" if left else "/get")


@route(r"/relative-redirect/(\d+)")
def _relative_redirect(h: HttpbinHandler, n: str) -> None:
    left = int(n) - 1
    h.redirect(str(left) if left else "../get")  # relative to the current path


@route(r"/absolute-redirect/(\d+)")
def _absolute_redirect(h: HttpbinHandler, n: str) -> None:
    left = int(n) - 1
    h.redirect(h.base_url() + (f"/absolute-redirect/{left}" if left else "/get"))


@route(r"/redirect-to")
def _redirect_to(h: HttpbinHandler) -> None:
    query = dict(h.query)
    h.redirect(query["url"], int(query.get("status_code", "302")))


@route(r"/redirect-loop")
def _redirect_loop(h: HttpbinHandler) -> None:
    h.redirect("/redirect-loop")


def _request_cookies(h: HttpbinHandler) -> dict[str, str]:
    cookies = {}
    for pair in h.headers.get("Cookie", "").split(";"):
        if "=" in pair:
            name, value = pair.strip().split("=", 1)
            cookies[name] = value
    return cookies


@route(r"/cookies")
def _cookies(h: HttpbinHandler) -> None:
    h.send_json({"cookies": _request_cookies(h)})


@route(r"/cookies/set")
def _cookies_set(h: HttpbinHandler) -> None:
    h.redirect("/cookies", headers=[("Set-Cookie", f"{k}={v}; Path=/") for k, v in h.query])


@route(r"/cookies/delete")
def _cookies_delete(h: HttpbinHandler) -> None:
    expired = "Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/"
    h.redirect("/cookies", headers=[("Set-Cookie", f"{k}=; {expired}") for k, _ in h.query])


@route(r"/response-headers")
def _response_headers(h: HttpbinHandler) -> None:
    """Each query pair becomes a response header (repeats allowed, Set-Cookie included)."""
    h.send_json([list(p) for p in h.query], headers=list(h.query))


@route(r"/basic-auth/([^/]+)/([^/]+)")
def _basic_auth(h: HttpbinHandler, user: str, password: str) -> None:
    expected = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
    if h.headers.get("Authorization") == expected:
        h.send_json({"authenticated": True, "user": user})
    else:
        h.send_json(
            {"authenticated": False}, 401, [("WWW-Authenticate", 'Basic realm="Fake Realm"')]
        )


def _encoded(
    h: HttpbinHandler, encoding: str, compress: Callable[[bytes], bytes], flag: str
) -> None:
    body = json.dumps({flag: True, "headers": _lower_headers(h), "method": h.command}).encode()
    h.send(
        200,
        compress(body),
        [("Content-Type", "application/json"), ("Content-Encoding", encoding)],
    )


def _raw_deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(wbits=-15)
    return compressor.compress(data) + compressor.flush()


@route(r"/gzip")
def _gzip(h: HttpbinHandler) -> None:
    _encoded(h, "gzip", gzip.compress, "gzipped")


@route(r"/deflate")
def _deflate(h: HttpbinHandler) -> None:
    _encoded(h, "deflate", zlib.compress, "deflated")


@route(r"/deflate-raw")
def _deflate_raw(h: HttpbinHandler) -> None:
    _encoded(h, "deflate", _raw_deflate, "deflated")


if brotli is not None:

    @route(r"/brotli")
    def _brotli(h: HttpbinHandler) -> None:
        _encoded(h, "br", brotli.compress, "brotli")


@route(r"/bad-gzip")
def _bad_gzip(h: HttpbinHandler) -> None:
    h.send(200, b"this is not gzip data", [("Content-Encoding", "gzip")])


@route(r"/bytes/(\d+)")
def _bytes(h: HttpbinHandler, n: str) -> None:
    h.send(200, payload(int(n)), [("Content-Type", "application/octet-stream")])


def _send_chunked(h: HttpbinHandler, content_type: str, chunks: Iterator[bytes]) -> None:
    h.send_response(200)
    h.send_header("Content-Type", content_type)
    h.send_header("Transfer-Encoding", "chunked")
    h.end_headers()
    if h.command == "HEAD":
        return
    for chunk in chunks:
        h.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        h.wfile.flush()
    h.wfile.write(b"0\r\n\r\n")


@route(r"/stream/(\d+)")
def _stream(h: HttpbinHandler, n: str) -> None:
    """``n`` JSON lines, one chunk each."""
    lines = (json.dumps({"id": i, "path": "/stream"}).encode() + b"\n" for i in range(int(n)))
    _send_chunked(h, "application/json", lines)


@route(r"/stream-bytes/(\d+)")
def _stream_bytes(h: HttpbinHandler, n: str) -> None:
    """``payload(n)`` in chunks of ``?chunk_size=`` (default 7) bytes."""
    data, size = payload(int(n)), int(dict(h.query).get("chunk_size", "7"))
    _send_chunked(
        h, "application/octet-stream", (data[i : i + size] for i in range(0, len(data), size))
    )


@route(r"/delay/([0-9.]+)")
def _delay(h: HttpbinHandler, seconds: str) -> None:
    time.sleep(float(seconds))
    h.send_json(h.echo())


@route(r"/encoding/utf8")
def _encoding_utf8(h: HttpbinHandler) -> None:
    h.send(200, UTF8_TEXT.encode(), [("Content-Type", "text/html; charset=utf-8")])


@route(r"/html")
def _html(h: HttpbinHandler) -> None:
    h.send(
        200, HTML_PAGE.encode("iso-8859-15"), [("Content-Type", "text/html; charset=ISO-8859-15")]
    )


@route(r"/text")
def _text(h: HttpbinHandler) -> None:
    """``?body=`` encoded in ``?charset=`` (default utf-8), sent as ``?content_type=``."""
    query = dict(h.query)
    body = query.get("body", "").encode(query.get("charset", "utf-8"))
    headers = [("Content-Type", query["content_type"])] if "content_type" in query else []
    h.send(200, body, headers)


@route(r"/json")
def _json(h: HttpbinHandler) -> None:
    h.send_json(JSON_DOCUMENT)


@route(r"/invalid-json")
def _invalid_json(h: HttpbinHandler) -> None:
    h.send(200, b'{"a": 1,, "b"}', [("Content-Type", "application/json")])


@route(r"/duplicate-headers")
def _duplicate_headers(h: HttpbinHandler) -> None:
    h.send(
        200,
        b"{}",
        [
            ("Content-Type", "application/json"),
            ("X-Dup", "a"),
            ("X-Dup", "b"),
            ("Set-Cookie", "first=1; Path=/"),
            ("Set-Cookie", "second=2; Path=/"),
        ],
    )


@route(r"/close-delimited")
def _close_delimited(h: HttpbinHandler) -> None:
    """A body delimited by closing the connection: no Content-Length, no chunking."""
    h.send_response(200)
    h.send_header("Content-Type", "text/plain; charset=utf-8")
    h.send_header("Connection", "close")
    h.end_headers()
    if h.command != "HEAD":
        h.wfile.write(b"until the connection closes\n" * 100)
    h.close_connection = True


@dataclass
class Seen:
    """A request as the proxy received it: the request line's target and the header fields."""

    method: str
    target: str
    headers: dict[str, str]


class ProxyHandler(BaseHTTPRequestHandler):
    """Forwards absolute-form requests (``GET http://host/path``) and tunnels CONNECT, recording
    each in ``server.seen``. Responses are re-framed with a Content-Length and a ``Via``."""

    protocol_version = "HTTP/1.1"
    server_version = "pyaot-test-proxy"
    timeout = 30
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def __getattr__(self, name: str) -> Any:
        if name.startswith("do_"):
            return self._forward
        raise AttributeError(name)

    def _record(self) -> None:
        self.server.seen.append(Seen(self.command, self.path, _lower_headers(self)))

    def do_CONNECT(self) -> None:
        self._record()
        host, _, port = self.path.rpartition(":")
        try:
            upstream = socket.create_connection((host, int(port)), timeout=10)
        except OSError:
            self.send_error(502)
            return
        self.send_response(200, "Connection established")
        self.end_headers()
        self.close_connection = True
        with upstream:
            sockets = [self.connection, upstream]
            while True:
                readable, _, _ = select.select(sockets, [], [], 10)
                if not readable:
                    return
                for sock in readable:
                    data = sock.recv(65536)
                    if not data:
                        return
                    (upstream if sock is self.connection else self.connection).sendall(data)

    def _forward(self) -> None:
        body = read_body(self)
        self._record()
        target = urlsplit(self.path)
        if not target.scheme or not target.hostname:
            self.send_error(400, "proxy needs an absolute-form target")
            return
        conn = http.client.HTTPConnection(target.hostname, target.port or 80, timeout=10)
        try:
            path = target.path or "/"
            conn.putrequest(
                self.command,
                path + (f"?{target.query}" if target.query else ""),
                skip_host=True,
                skip_accept_encoding=True,
            )
            for name, value in self.headers.items():
                if name.lower() not in _HOP_BY_HOP | {"content-length"}:
                    conn.putheader(name, value)
            if body or "Content-Length" in self.headers or "Transfer-Encoding" in self.headers:
                conn.putheader("Content-Length", str(len(body)))
            conn.endheaders(body or None)
            response = conn.getresponse()
            data = response.read()
        except OSError:
            self.send_error(502)
            return
        finally:
            conn.close()
        self.send_response(response.status, response.reason)
        for name, value in response.getheaders():
            if name.lower() not in _HOP_BY_HOP | {"content-length", "server", "date"}:
                self.send_header(name, value)
        self.send_header("Via", "1.1 pyaot-test-proxy")
        if response.status not in (204, 304):
            self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)


def httpbin(tls: ssl.SSLContext | None = None) -> Server:
    """An httpbin-like server (TLS when given a server-side context); start it with ``with``."""
    return Server(HttpbinHandler, tls)


def proxy() -> Server:
    """A recording forward proxy; ``seen`` lists what passed through."""
    return Server(ProxyHandler)


_FLAKY: dict[str, int] = {}
_FLAKY_LOCK = threading.Lock()


@route(r"/flaky/(\w+)/(\d+)")
def _flaky(h: HttpbinHandler, key: str, failures: str) -> None:
    """503 for the first ``failures`` requests with this key, then 200 with the attempt count."""
    with _FLAKY_LOCK:
        attempt = _FLAKY[key] = _FLAKY.get(key, 0) + 1
    if attempt <= int(failures):
        h.send(503, b"try again", [("Retry-After", "0")])
    else:
        h.send_json({"attempts": attempt})


_BOMB = gzip.compress(bytes(10 << 20), compresslevel=9)


@route(r"/gzip-bomb")
def _gzip_bomb(h: HttpbinHandler) -> None:
    """10 MiB of zeros in about 10 KiB of gzip."""
    h.send(200, _BOMB, [("Content-Encoding", "gzip"), ("Content-Type", "application/octet-stream")])


# Rendezvous points between tests and handlers (for the thread tests: no timing involved).
ARRIVED: dict[str, threading.Event] = {}
RELEASE: dict[str, threading.Event] = {}
BARRIERS: dict[str, threading.Barrier] = {}
_RENDEZVOUS_LOCK = threading.Lock()


def rendezvous(key: str) -> tuple[threading.Event, threading.Event]:
    """The (arrived, release) events of ``/wait/<key>``."""
    with _RENDEZVOUS_LOCK:
        return ARRIVED.setdefault(key, threading.Event()), RELEASE.setdefault(key, threading.Event())


@route(r"/wait/(\w+)")
def _wait(h: HttpbinHandler, key: str) -> None:
    """Signals that the request arrived, then answers once the test releases it (or after 10 s,
    with 504, so a broken client fails the test instead of hanging it)."""
    arrived, release = rendezvous(key)
    arrived.set()
    h.send_json({"released": release.wait(10)}, status=200 if release.is_set() else 504)


@route(r"/barrier/(\w+)/(\d+)")
def _barrier(h: HttpbinHandler, key: str, parties: str) -> None:
    """Answers when ``parties`` requests with this key are in the server at once (or 504 after
    10 s)."""
    with _RENDEZVOUS_LOCK:
        barrier = BARRIERS.setdefault(key, threading.Barrier(int(parties), timeout=10))
    try:
        barrier.wait()
    except threading.BrokenBarrierError:
        h.send_json({"together": False}, status=504)
        return
    h.send_json({"together": True})
