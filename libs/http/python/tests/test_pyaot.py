"""What pyaot_http does beyond requests, or differently on purpose: retries through
``HTTPAdapter``, the bound on decompressed bodies, default timeouts, one connection pool shared
by module-level calls (and remade in a forked child), and pickling."""

from __future__ import annotations

import os
import pickle
import uuid

import pytest

import pyaot_http
from pyaot_http.adapters import HTTPAdapter, Retry
from server import Server


def key() -> str:
    return uuid.uuid4().hex


def test_status_retries_until_success(server: Server) -> None:
    with pyaot_http.Session() as s:
        s.mount("http://", HTTPAdapter(max_retries=Retry(total=3, status_forcelist=[503])))
        r = s.get(f"{server.url}/flaky/{key()}/2")
    assert r.status_code == 200
    assert r.json() == {"attempts": 3}


def test_status_retries_run_out(server: Server) -> None:
    with pyaot_http.Session() as s:
        s.mount("http://", HTTPAdapter(max_retries=Retry(total=1, status_forcelist=[503])))
        with pytest.raises(pyaot_http.RetryError) as info:
            s.get(f"{server.url}/flaky/{key()}/5")
    assert info.value.response is not None and info.value.response.status_code == 503


def test_status_retries_without_raising_return_the_last_response(server: Server) -> None:
    retry = Retry(total=1, status_forcelist=[503], raise_on_status=False)
    with pyaot_http.Session() as s:
        s.mount("http://", HTTPAdapter(max_retries=retry))
        assert s.get(f"{server.url}/flaky/{key()}/5").status_code == 503


def test_post_is_not_retried_on_status(server: Server) -> None:
    k = key()
    with pyaot_http.Session() as s:
        s.mount("http://", HTTPAdapter(max_retries=Retry(total=3, status_forcelist=[503])))
        assert s.post(f"{server.url}/flaky/{k}/1").status_code == 503
        assert s.get(f"{server.url}/flaky/{k}/1").json() == {"attempts": 2}


def test_integer_retries_and_no_retries_by_default(server: Server, closed_port: int) -> None:
    with pyaot_http.Session() as s:
        assert s.get_adapter("http://x").max_retries.total == 0
        s.mount("http://", HTTPAdapter(max_retries=2))
        with pytest.raises(pyaot_http.ConnectionError):
            s.get(f"http://127.0.0.1:{closed_port}/")
        # A status in no forcelist is returned as it is.
        assert s.get(f"{server.url}/flaky/{key()}/1").status_code == 503


def test_decompression_bomb_is_bounded(server: Server) -> None:
    with pyaot_http.Session() as s:
        s.max_decompressed_size = 1 << 20
        with pytest.raises(pyaot_http.ContentDecodingError, match="exceeds the limit"):
            s.get(server.url + "/gzip-bomb")
        r = s.get(server.url + "/gzip-bomb", stream=True)
        with pytest.raises(pyaot_http.ContentDecodingError):
            for _ in r.iter_content(65536):
                pass
        s.max_decompressed_size = None
        assert len(s.get(server.url + "/gzip-bomb").content) == 10 << 20


def test_default_bound_allows_ordinary_bodies(server: Server) -> None:
    assert pyaot_http.Session().max_decompressed_size == 1 << 30
    assert len(pyaot_http.get(server.url + "/gzip-bomb").content) == 10 << 20


def test_default_timeouts_are_set() -> None:
    assert pyaot_http.DEFAULT_CONNECT_TIMEOUT == 10.0
    assert pyaot_http.DEFAULT_READ_TIMEOUT == 60.0


def test_timeout_tuple_with_none_keeps_the_other_default(server: Server) -> None:
    with pytest.raises(pyaot_http.ReadTimeout):
        pyaot_http.get(server.url + "/delay/1", timeout=(None, 0.2))


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_forked_child_uses_its_own_connections(server: Server) -> None:
    assert pyaot_http.get(server.url + "/get").status_code == 200
    pid = os.fork()
    if pid == 0:
        try:
            ok = all(pyaot_http.get(server.url + "/get?child=1").status_code == 200 for _ in range(3))
        finally:
            os._exit(0 if ok else 1)
    _, status = os.waitpid(pid, 0)
    assert os.WEXITSTATUS(status) == 0
    assert pyaot_http.get(server.url + "/get").json()["args"] == []


def test_session_and_response_pickle(server: Server) -> None:
    with pyaot_http.Session() as s:
        s.headers["X-Kept"] = "1"
        s.cookies.set("c", "v")
        r = s.get(server.url + "/get?a=1")
        s2 = pickle.loads(pickle.dumps(s))
        r2 = pickle.loads(pickle.dumps(r))
    assert s2.headers["X-Kept"] == "1" and s2.cookies.get_dict() == {"c": "v"}
    assert s2.get(server.url + "/headers").json()["headers"]["x-kept"] == "1"
    assert (r2.status_code, r2.url, r2.content) == (r.status_code, r.url, r.content)


def test_response_hooks(server: Server) -> None:
    seen: list[int] = []
    r = pyaot_http.get(server.url + "/get", hooks={"response": lambda r, **kw: seen.append(r.status_code)})
    assert r.status_code == 200 and seen == [200]


def test_verify_path_that_does_not_exist_is_an_os_error(server: Server) -> None:
    with pytest.raises(OSError, match="invalid path"):
        pyaot_http.get("https://127.0.0.1:1/", verify="/nonexistent/ca.pem")
