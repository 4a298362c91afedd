"""Set-up for pyaot_http's tests.

Every test that takes the ``http`` fixture runs twice, once with ``requests`` (the reference) and
once with ``pyaot_http``, and the module's name is the test id, so ``-k requests`` checks the tests
themselves against the reference and ``-k pyaot_http`` checks the package. The module is imported
with ``importlib``: a missing package is a failure, not a skip.

The servers (``server.py``) run for the whole session on 127.0.0.1 and stop at its end. The
environment is cleaned for the session: proxy variables would route the loopback requests
elsewhere, and ``REQUESTS_CA_BUNDLE``/``CURL_CA_BUNDLE`` make requests ignore ``Session.verify``.
"""

from __future__ import annotations

import importlib
import socket
from collections.abc import Iterator
from types import ModuleType

import pytest

import server as servers

MODULES = ["requests", "pyaot_http"]

_ENVIRONMENT = [
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "ALL_PROXY",
    "NO_PROXY",
    "REQUESTS_CA_BUNDLE",
    "CURL_CA_BUNDLE",
]


@pytest.fixture(params=MODULES)
def http(request: pytest.FixtureRequest) -> ModuleType:
    """The module under test: ``requests`` or ``pyaot_http``."""
    return importlib.import_module(request.param)


@pytest.fixture(scope="session", autouse=True)
def _clean_environment() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        for name in _ENVIRONMENT:
            patch.delenv(name, raising=False)
            patch.delenv(name.lower(), raising=False)
        yield


@pytest.fixture(scope="session")
def server() -> Iterator[servers.Server]:
    """The httpbin-like server, plain HTTP."""
    with servers.httpbin() as running:
        yield running


@pytest.fixture(scope="session")
def other_server() -> Iterator[servers.Server]:
    """A second httpbin-like server: same host, another port (another origin)."""
    with servers.httpbin() as running:
        yield running


@pytest.fixture(scope="session")
def _proxy_server() -> Iterator[servers.Server]:
    with servers.proxy() as running:
        yield running


@pytest.fixture
def proxy(_proxy_server: servers.Server) -> servers.Server:
    """The recording proxy, with nothing seen yet."""
    _proxy_server.seen.clear()
    return _proxy_server


@pytest.fixture
def closed_port() -> int:
    """A loopback port nothing listens on (connections are refused)."""
    with socket.socket() as sock:
        sock.bind((servers.HOST, 0))
        return sock.getsockname()[1]
