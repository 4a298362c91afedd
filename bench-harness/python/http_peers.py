"""The HTTP suite's engines (`bench-harness/suites/http-get.toml`): one loop of GETs per call.

`run_suite.py` evaluates each engine's ``call`` with ``fixture`` (the running
:class:`http_server.Server`), ``case`` (the case's name) and ``requests`` (its request count)
bound, so an engine reads::

    setup = "import http_peers"
    call = "http_peers.engine('pycurl', fixture, case, requests)"

The case name says what one call does:

- ``keepalive-<path>``: ``requests`` sequential GETs of ``/<path>`` on one client (session,
  connection, curl handle) made once, before anything is timed, so the connection is already
  open and every request reuses it;
- ``tls-<path>``: ``requests`` one-shot GETs over HTTPS, each the way a program fetches one URL
  (a new session or client, the CA file given by path), on a server that closes each
  connection and resumes no TLS session, so every request is a TCP connect plus a full
  handshake plus the GET.

Every call returns ``(responses with status 200, total body bytes, last body)``, which the suite
checks against :func:`expected` (the file's size and bytes) before anything is timed; every body
is read into memory as ``bytes`` (the curl command line writes them to ``/dev/null``, all but the
last).
"""

from __future__ import annotations

import io
import ssl
import subprocess
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

from http_server import Server

__all__ = ["PEERS", "engine", "expected"]

Answer = tuple[int, int, bytes]
Run = Callable[[], Answer]


def expected(server: Server, case: str, requests: int) -> Answer:
    """What one call of any engine must return for this case."""
    body = server.body(_mode_and_path(case)[1])
    return requests, requests * len(body), body


def engine(peer: str, server: Server, case: str, requests: int) -> Run:
    """The callable timed for ``peer`` on ``case``: ``requests`` GETs per call."""
    mode, path = _mode_and_path(case)
    if mode == "keepalive":
        return PEERS[peer][0](server.url(path), requests, server)
    return PEERS[peer][1](server.tls_url(path), requests, server)


def _mode_and_path(case: str) -> tuple[str, str]:
    mode, _, path = case.partition("-")
    if mode not in ("keepalive", "tls") or not path:
        raise ValueError(f"unknown HTTP case {case!r} (keepalive-<path> or tls-<path>)")
    return mode, path


# Keep-alive: one client, made here (outside the timed call), reused for every request.


def _pyaot_keepalive(url: str, n: int, server: Server) -> Run:
    import pyaot_http

    session = pyaot_http.Session()

    def run() -> Answer:
        ok = total = 0
        body = b""
        for _ in range(n):
            r = session.get(url)
            body = r.content
            ok += r.status_code == 200
            total += len(body)
        return ok, total, body

    return run


def _requests_keepalive(url: str, n: int, server: Server) -> Run:
    import requests

    session = requests.Session()

    def run() -> Answer:
        ok = total = 0
        body = b""
        for _ in range(n):
            r = session.get(url)
            body = r.content
            ok += r.status_code == 200
            total += len(body)
        return ok, total, body

    return run


def _httpx_keepalive(url: str, n: int, server: Server) -> Run:
    import httpx

    client = httpx.Client()

    def run() -> Answer:
        ok = total = 0
        body = b""
        for _ in range(n):
            r = client.get(url)
            body = r.content
            ok += r.status_code == 200
            total += len(body)
        return ok, total, body

    return run


def _urllib3_keepalive(url: str, n: int, server: Server) -> Run:
    import urllib3

    pool = urllib3.PoolManager()

    def run() -> Answer:
        ok = total = 0
        body = b""
        for _ in range(n):
            r = pool.request("GET", url)
            body = r.data
            ok += r.status == 200
            total += len(body)
        return ok, total, body

    return run


def _http_client_keepalive(url: str, n: int, server: Server) -> Run:
    import http.client

    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port)
    path = parts.path

    def run() -> Answer:
        ok = total = 0
        body = b""
        for _ in range(n):
            conn.request("GET", path)
            r = conn.getresponse()
            body = r.read()
            ok += r.status == 200
            total += len(body)
        return ok, total, body

    return run


def _pycurl_keepalive(url: str, n: int, server: Server) -> Run:
    import pycurl

    handle = pycurl.Curl()
    handle.setopt(pycurl.URL, url)

    def run() -> Answer:
        ok = total = 0
        body = b""
        for _ in range(n):
            buf = io.BytesIO()
            handle.setopt(pycurl.WRITEDATA, buf)
            handle.perform()
            body = buf.getvalue()
            ok += handle.getinfo(pycurl.RESPONSE_CODE) == 200
            total += len(body)
        return ok, total, body

    return run


def _curl_cli(url: str, n: int, server: Server, ca: str | None = None) -> Run:
    """One ``curl`` process fetching ``url`` ``n`` times (it keeps the connection alive between
    the URLs of one command line when the server lets it), bodies to /dev/null but the last,
    which goes to a file that is read back."""
    slug = urlsplit(url).scheme + urlsplit(url).path.replace("/", "-")
    config = server.directory / f"curl-{slug}-{n}.conf"
    last = server.directory / f"curl-{slug}-{n}.last"
    lines = [f'url = "{url}"\noutput = "/dev/null"\n'] * (n - 1) + [f'url = "{url}"\noutput = "{last}"\n']
    config.write_text("".join(lines))
    command = ["curl", "-q", "--silent", "--show-error", "--config", str(config)]
    command += ["--write-out", "%{http_code} %{size_download}\\n"]
    if ca is not None:
        command += ["--cacert", ca]

    def run() -> Answer:
        out = subprocess.run(command, capture_output=True, check=True).stdout.split()
        return out[0::2].count(b"200"), sum(map(int, out[1::2])), Path(last).read_bytes()

    return run


# TLS: a new connection (and a full handshake) for every request, each made the way a program
# makes a one-off request; the CA file is given by path, so each peer loads it per request.


def _pyaot_tls(url: str, n: int, server: Server) -> Run:
    import pyaot_http

    ca = server.ca

    def run() -> Answer:
        ok = total = 0
        body = b""
        for _ in range(n):
            r = pyaot_http.get(url, verify=ca)
            body = r.content
            ok += r.status_code == 200
            total += len(body)
        return ok, total, body

    return run


def _requests_tls(url: str, n: int, server: Server) -> Run:
    import requests

    ca = server.ca

    def run() -> Answer:
        ok = total = 0
        body = b""
        for _ in range(n):
            r = requests.get(url, verify=ca)
            body = r.content
            ok += r.status_code == 200
            total += len(body)
        return ok, total, body

    return run


def _httpx_tls(url: str, n: int, server: Server) -> Run:
    import httpx

    ca = server.ca

    def run() -> Answer:
        ok = total = 0
        body = b""
        for _ in range(n):
            # What httpx 0.28 does with `verify=<path>`, which it deprecates for this.
            r = httpx.get(url, verify=ssl.create_default_context(cafile=ca))
            body = r.content
            ok += r.status_code == 200
            total += len(body)
        return ok, total, body

    return run


def _urllib3_tls(url: str, n: int, server: Server) -> Run:
    import urllib3

    ca = server.ca

    def run() -> Answer:
        ok = total = 0
        body = b""
        for _ in range(n):
            with urllib3.PoolManager(ca_certs=ca) as pool:
                r = pool.request("GET", url)
            body = r.data
            ok += r.status == 200
            total += len(body)
        return ok, total, body

    return run


def _http_client_tls(url: str, n: int, server: Server) -> Run:
    import http.client

    parts = urlsplit(url)
    host, port, path, ca = parts.hostname, parts.port, parts.path, server.ca

    def run() -> Answer:
        ok = total = 0
        body = b""
        for _ in range(n):
            conn = http.client.HTTPSConnection(host, port, context=ssl.create_default_context(cafile=ca))
            conn.request("GET", path)
            r = conn.getresponse()
            body = r.read()
            conn.close()
            ok += r.status == 200
            total += len(body)
        return ok, total, body

    return run


def _pycurl_tls(url: str, n: int, server: Server) -> Run:
    import pycurl

    ca = server.ca

    def run() -> Answer:
        ok = total = 0
        body = b""
        for _ in range(n):
            handle = pycurl.Curl()
            handle.setopt(pycurl.URL, url)
            handle.setopt(pycurl.CAINFO, ca)
            buf = io.BytesIO()
            handle.setopt(pycurl.WRITEDATA, buf)
            handle.perform()
            body = buf.getvalue()
            ok += handle.getinfo(pycurl.RESPONSE_CODE) == 200
            handle.close()
            total += len(body)
        return ok, total, body

    return run


def _curl_cli_tls(url: str, n: int, server: Server) -> Run:
    return _curl_cli(url, n, server, ca=server.ca)


# Engine name -> (keep-alive, TLS) constructors.
PEERS: dict[str, tuple[Callable[[str, int, Server], Run], Callable[[str, int, Server], Run]]] = {
    "pyaot_http": (_pyaot_keepalive, _pyaot_tls),
    "requests": (_requests_keepalive, _requests_tls),
    "httpx": (_httpx_keepalive, _httpx_tls),
    "urllib3": (_urllib3_keepalive, _urllib3_tls),
    "http.client": (_http_client_keepalive, _http_client_tls),
    "pycurl": (_pycurl_keepalive, _pycurl_tls),
    "curl": (_curl_cli, _curl_cli_tls),
}
