"""requests and pyaot_http against the same local server: status, headers, bodies, redirects and
history, cookies, JSON, streaming, proxies and the errors raised.

Each test runs once per module (the ``http`` fixture) and asserts what requests does, written out
inline, so the two runs check the same expectations. Known, accepted differences are normalised
rather than asserted: the User-Agent and Accept-Encoding values, the case of header names, the
multipart boundary and exception messages (only the class is compared).
"""

from __future__ import annotations

import base64
import datetime
import importlib
import io
import json
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import quote

import pytest

import server as servers
from server import Server


def sub(http: ModuleType, name: str) -> ModuleType:
    """A submodule of the module under test (``exceptions``, ``auth``, ``structures``...)."""
    return importlib.import_module(f"{http.__name__}.{name}")


def exc(http: ModuleType, name: str) -> Any:
    """An exception class of the module under test, by name."""
    return getattr(sub(http, "exceptions"), name)


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


# The API surface.

FUNCTIONS = ["request", "get", "post", "put", "patch", "delete", "head", "options"]

# The exception names the package offers, each with its requests base classes.
EXCEPTIONS = [
    "RequestException",
    "HTTPError",
    "ConnectionError",
    "ProxyError",
    "SSLError",
    "Timeout",
    "ConnectTimeout",
    "ReadTimeout",
    "URLRequired",
    "TooManyRedirects",
    "MissingSchema",
    "InvalidSchema",
    "InvalidURL",
    "InvalidHeader",
    "InvalidProxyURL",
    "ChunkedEncodingError",
    "ContentDecodingError",
    "StreamConsumedError",
    "RetryError",
    "JSONDecodeError",
    "InvalidJSONError",
]
BUILTIN_BASES = [OSError, ValueError, TypeError, json.JSONDecodeError, RuntimeError]


@pytest.mark.parametrize("name", FUNCTIONS + ["Session", "codes"])
def test_top_level_names(http: ModuleType, name: str) -> None:
    assert callable(getattr(http, name)) or name == "codes"


@pytest.mark.parametrize("name", EXCEPTIONS)
def test_exception_hierarchy(http: ModuleType, name: str) -> None:
    import requests.exceptions as reference

    ours = exc(http, name)
    for other in EXCEPTIONS:
        expected = issubclass(getattr(reference, name), getattr(reference, other))
        assert issubclass(ours, exc(http, other)) == expected, other
    for base in BUILTIN_BASES:
        assert issubclass(ours, base) == issubclass(getattr(reference, name), base), base


def test_top_level_exceptions_are_the_same_classes(http: ModuleType) -> None:
    import requests

    exported = [n for n in EXCEPTIONS if hasattr(requests, n)]
    assert "ConnectionError" in exported and "JSONDecodeError" in exported
    for name in exported:
        assert getattr(http, name) is exc(http, name), name


def test_codes(http: ModuleType) -> None:
    import requests

    names = {k: v for k, v in vars(requests.codes).items() if isinstance(v, int)}
    assert len(names) > 200
    for name, value in names.items():
        assert getattr(http.codes, name) == value, name
        assert http.codes[name] == value, name
    assert http.codes.ok == 200 and http.codes.NOT_FOUND == 404 and http.codes.teapot == 418


# Methods and request bodies.


@pytest.mark.parametrize("method", ["get", "post", "put", "patch", "delete", "options"])
def test_method_functions(http: ModuleType, server: Server, method: str) -> None:
    r = getattr(http, method)(server.url + "/anything")
    assert r.status_code == 200
    assert r.json()["method"] == method.upper()
    assert r.request.method == method.upper()


@pytest.mark.parametrize("method", ["get", "post", "put", "patch", "delete", "options"])
def test_session_methods(http: ModuleType, server: Server, method: str) -> None:
    with http.Session() as s:
        r = getattr(s, method)(server.url + "/anything")
    assert r.json()["method"] == method.upper()


@pytest.mark.parametrize("method", ["get", "Post", "PROPFIND"])
def test_request_with_any_method_name(http: ModuleType, server: Server, method: str) -> None:
    r = http.request(method, server.url + "/anything")
    assert r.json()["method"] == method.upper()


def test_default_request_headers(http: ModuleType, server: Server) -> None:
    headers = http.get(server.url + "/headers").json()["headers"]
    assert set(headers) == {"host", "user-agent", "accept-encoding", "accept", "connection"}
    assert headers["host"] == f"127.0.0.1:{server.port}"
    assert headers["accept"] == "*/*"
    assert headers["connection"] == "keep-alive"
    codings = {t.strip() for t in headers["accept-encoding"].split(",")}
    assert {"gzip", "deflate", "br"} <= codings


@pytest.mark.parametrize(
    "method, length",
    [("GET", None), ("POST", "0"), ("PUT", "0"), ("PATCH", "0"), ("DELETE", "0"), ("OPTIONS", "0")],
)
def test_content_length_without_body(
    http: ModuleType, server: Server, method: str, length: str | None
) -> None:
    r = http.request(method, server.url + "/anything")
    headers = r.json()["headers"]
    assert headers.get("content-length") == length
    assert "transfer-encoding" not in headers
    assert r.request.body is None


def test_get_with_body(http: ModuleType, server: Server) -> None:
    answer = http.get(server.url + "/anything", data="x=1").json()
    assert answer["data"] == "x=1"
    assert answer["headers"]["content-length"] == "3"


@pytest.mark.parametrize(
    "path, params, query",
    [
        ("/get", {"a": "1", "b": "x y"}, "a=1&b=x+y"),
        ("/get", [("a", "1"), ("a", "2"), ("b", "3")], "a=1&a=2&b=3"),
        ("/get", {"a": ["1", "2"], "b": "3"}, "a=1&a=2&b=3"),
        ("/get", {"a": None, "b": "2"}, "b=2"),
        ("/get?x=1", {"y": "2"}, "x=1&y=2"),
        ("/get", "a=1&b=2", "a=1&b=2"),
        ("/get", {"q": "\u00e9&=/?"}, "q=%C3%A9%26%3D%2F%3F"),
        ("/get", {"n": 1, "f": 2.5}, "n=1&f=2.5"),
        ("/get", {}, ""),
    ],
    ids=[
        "dict",
        "tuples",
        "lists",
        "none-dropped",
        "existing-query",
        "string",
        "escaped",
        "numbers",
        "empty",
    ],
)
def test_params(http: ModuleType, server: Server, path: str, params: Any, query: str) -> None:
    r = http.get(server.url + path, params=params)
    base = server.url + path.split("?")[0]
    assert r.url == (f"{base}?{query}" if query else base)
    assert r.json()["url"] == r.url


@pytest.mark.parametrize(
    "path, sent",
    [
        ("/anything/a b", "/anything/a%20b"),
        ("/anything/\u00e9", "/anything/%C3%A9"),
        ("/anything?q=a b", "/anything?q=a%20b"),
        ("/anything/%41%2F%7e", "/anything/A%2F~"),
        ("/anything/100%", "/anything/100%25"),
    ],
    ids=["space", "non-ascii", "space-in-query", "unreserved-unquoted", "lone-percent"],
)
def test_url_is_requoted(http: ModuleType, server: Server, path: str, sent: str) -> None:
    r = http.get(server.url + path)
    assert r.url == server.url + sent
    assert r.json()["url"] == server.url + sent


def test_fragment_kept_in_url_but_not_sent(http: ModuleType, server: Server) -> None:
    r = http.get(server.url + "/get#part")
    assert r.url == server.url + "/get#part"
    assert r.json()["url"] == server.url + "/get"


@pytest.mark.parametrize(
    "data, form, body",
    [
        ({"a": "1", "b": ["2", "3"]}, [["a", "1"], ["b", "2"], ["b", "3"]], "a=1&b=2&b=3"),
        ([("b", "1"), ("a", "2")], [["b", "1"], ["a", "2"]], "b=1&a=2"),
        ({"k": "\u00e9 \u00fc+"}, [["k", "\u00e9 \u00fc+"]], "k=%C3%A9+%C3%BC%2B"),
    ],
    ids=["dict", "tuples", "non-ascii"],
)
def test_form_data(
    http: ModuleType, server: Server, data: Any, form: list[list[str]], body: str
) -> None:
    r = http.post(server.url + "/post", data=data)
    answer = r.json()
    assert answer["form"] == form
    assert answer["headers"]["content-type"] == "application/x-www-form-urlencoded"
    assert answer["headers"]["content-length"] == str(len(body))
    assert r.request.body == body


@pytest.mark.parametrize(
    "data, sent",
    [("hello world", b"hello world"), (b"\x00\xff\r\nbin", b"\x00\xff\r\nbin")],
    ids=["str", "bytes"],
)
def test_raw_data(http: ModuleType, server: Server, data: Any, sent: bytes) -> None:
    answer = http.post(server.url + "/post", data=data).json()
    assert answer["data"] == sent.decode("latin-1")
    assert answer["headers"]["content-length"] == str(len(sent))
    assert "content-type" not in answer["headers"]


def test_file_object_data(http: ModuleType, server: Server, tmp_path: Path) -> None:
    path = tmp_path / "body.bin"
    path.write_bytes(b"file body \x00\x01")
    with path.open("rb") as f:
        answer = http.put(server.url + "/put", data=f).json()
    assert answer["data"] == "file body \x00\x01"
    assert answer["headers"]["content-length"] == "12"


def test_bytesio_data(http: ModuleType, server: Server) -> None:
    answer = http.post(server.url + "/post", data=io.BytesIO(b"in memory")).json()
    assert answer["data"] == "in memory"
    assert answer["headers"]["content-length"] == "9"


def test_generator_data_is_chunked(http: ModuleType, server: Server) -> None:
    def parts() -> Iterator[bytes]:
        yield b"first,"
        yield b"second,"
        yield b"third"

    answer = http.post(server.url + "/post", data=parts()).json()
    assert answer["data"] == "first,second,third"
    assert answer["headers"]["transfer-encoding"] == "chunked"
    assert "content-length" not in answer["headers"]


def test_json_body(http: ModuleType, server: Server) -> None:
    document = {"a": [1, 2.5, None, True], "b": "\u00e9"}
    r = http.post(server.url + "/post", json=document)
    answer = r.json()
    assert answer["json"] == document
    # json.dumps with its default separators and ensure_ascii.
    assert answer["data"] == '{"a": [1, 2.5, null, true], "b": "\\u00e9"}'
    assert answer["headers"]["content-type"] == "application/json"
    assert r.request.body == answer["data"].encode()


def test_data_wins_over_json(http: ModuleType, server: Server) -> None:
    answer = http.post(server.url + "/post", data={"a": "1"}, json={"b": 2}).json()
    assert answer["form"] == [["a", "1"]]
    assert answer["json"] is None


def test_json_with_nan_is_invalid(http: ModuleType, server: Server) -> None:
    with pytest.raises(exc(http, "InvalidJSONError")):
        http.post(server.url + "/post", json={"x": float("nan")})


def multipart(http: ModuleType, server: Server, **kwargs: Any) -> dict[str, Any]:
    answer = http.post(server.url + "/post", **kwargs).json()
    assert answer["headers"]["content-type"].startswith("multipart/form-data; boundary=")
    return answer


def test_file_tuple_with_type(http: ModuleType, server: Server) -> None:
    answer = multipart(http, server, files={"f": ("a.txt", b"hello\r\n", "text/plain")})
    assert answer["files"] == [
        {"name": "f", "filename": "a.txt", "content_type": "text/plain", "content": "hello\r\n"}
    ]
    assert answer["form"] == []


def test_file_tuple_without_type(http: ModuleType, server: Server) -> None:
    answer = multipart(http, server, files={"f": ("a.bin", b"\x00\xff")})
    assert answer["files"] == [
        {"name": "f", "filename": "a.bin", "content_type": None, "content": "\x00\xff"}
    ]


def test_file_object_takes_its_name(http: ModuleType, server: Server, tmp_path: Path) -> None:
    path = tmp_path / "upload.txt"
    path.write_text("uploaded")
    with path.open("rb") as f:
        answer = multipart(http, server, files={"doc": f})
    assert answer["files"] == [
        {"name": "doc", "filename": "upload.txt", "content_type": None, "content": "uploaded"}
    ]


def test_bare_bytes_file_is_named_after_the_field(http: ModuleType, server: Server) -> None:
    answer = multipart(http, server, files={"field": b"raw"})
    assert answer["files"] == [
        {"name": "field", "filename": "field", "content_type": None, "content": "raw"}
    ]


def test_several_files_and_fields(http: ModuleType, server: Server) -> None:
    files = [
        ("f", ("a.txt", b"1", "text/plain")),
        ("f", ("b.txt", "two")),
        ("g", ("c.json", b"{}", "application/json")),
    ]
    answer = multipart(http, server, files=files, data={"k": "v", "\u00e9": "\u00fc"})
    assert answer["form"] == [["k", "v"], ["\u00e9", "\u00fc"]]
    assert [
        (f["name"], f["filename"], f["content_type"], f["content"]) for f in answer["files"]
    ] == [
        ("f", "a.txt", "text/plain", "1"),
        ("f", "b.txt", None, "two"),
        ("g", "c.json", "application/json", "{}"),
    ]


# Headers.


def test_custom_headers(http: ModuleType, server: Server) -> None:
    headers = http.get(
        server.url + "/headers", headers={"X-Custom": "v1", "x-bytes": b"v2"}
    ).json()["headers"]
    assert headers["x-custom"] == "v1"
    assert headers["x-bytes"] == "v2"


def test_request_headers_override_defaults(http: ModuleType, server: Server) -> None:
    headers = http.get(server.url + "/headers", headers={"accept": "text/plain"}).json()["headers"]
    assert headers["accept"] == "text/plain"


def test_session_headers_merge(http: ModuleType, server: Server) -> None:
    with http.Session() as s:
        s.headers["X-Session"] = "s"
        s.headers["X-Both"] = "session"
        s.headers.update({"X-Gone": "g"})
        r = s.get(
            server.url + "/headers", headers={"x-both": "request", "X-Gone": None, "X-Request": "r"}
        )
    headers = r.json()["headers"]
    assert headers["x-session"] == "s"
    assert headers["x-both"] == "request"
    assert headers["x-request"] == "r"
    assert "x-gone" not in headers
    assert r.request.headers["X-BOTH"] == "request"


def test_none_removes_a_default_header(http: ModuleType, server: Server) -> None:
    headers = http.get(server.url + "/headers", headers={"Accept": None}).json()["headers"]
    assert "accept" not in headers


@pytest.mark.parametrize(
    "headers",
    [
        {"X": "a\r\nb"},
        {"X": "a\nb"},
        {"X": "a\rb"},
        {"X": " leading"},
        {"X:Y": "v"},
        {"": "v"},
        {"X": 1},
    ],
    ids=["crlf", "lf", "cr", "leading-space", "colon-in-name", "empty-name", "int-value"],
)
def test_invalid_header(http: ModuleType, server: Server, headers: dict[str, Any]) -> None:
    with pytest.raises(exc(http, "InvalidHeader")):
        http.get(server.url + "/headers", headers=headers)


def test_response_headers_case_insensitive(http: ModuleType, server: Server) -> None:
    r = http.get(server.url + "/json")
    assert isinstance(r.headers, sub(http, "structures").CaseInsensitiveDict)
    assert r.headers["content-type"] == r.headers["CONTENT-TYPE"] == "application/json"
    assert "Content-Length" in r.headers and "content-length" in r.headers
    assert r.headers.get("x-missing") is None
    assert {k.lower() for k in r.headers} == {"server", "date", "content-type", "content-length"}


def test_duplicate_response_headers_joined(http: ModuleType, server: Server) -> None:
    r = http.get(server.url + "/duplicate-headers")
    assert r.headers["x-dup"] == "a, b"
    assert r.headers["set-cookie"] == "first=1; Path=/, second=2; Path=/"
    assert r.cookies.get_dict() == {"first": "1", "second": "2"}


def test_case_insensitive_dict(http: ModuleType) -> None:
    d = sub(http, "structures").CaseInsensitiveDict({"Content-Type": "a"})
    d["content-TYPE"] = "b"
    assert list(d) == ["content-TYPE"]
    assert d["CONTENT-type"] == "b" and len(d) == 1
    assert dict(d.lower_items()) == {"content-type": "b"}
    assert d == {"content-type": "b"}


# Authentication.


def test_auth_tuple(http: ModuleType, server: Server) -> None:
    r = http.get(server.url + "/basic-auth/user/pass", auth=("user", "pass"))
    assert r.status_code == 200
    assert r.json() == {"authenticated": True, "user": "user"}
    assert r.request.headers["Authorization"] == basic("user", "pass")


def test_http_basic_auth(http: ModuleType, server: Server) -> None:
    auth = sub(http, "auth").HTTPBasicAuth("user", "pass")
    r = http.get(server.url + "/basic-auth/user/pass", auth=auth)
    assert r.status_code == 200
    assert r.request.headers["Authorization"] == basic("user", "pass")


def test_non_ascii_credentials_are_latin1(http: ModuleType, server: Server) -> None:
    r = http.get(server.url + "/headers", auth=("\u00fcser", "p\u00e4ss"))
    expected = "Basic " + base64.b64encode("\u00fcser:p\u00e4ss".encode("latin-1")).decode()
    assert r.json()["headers"]["authorization"] == expected


def test_wrong_credentials(http: ModuleType, server: Server) -> None:
    r = http.get(server.url + "/basic-auth/user/pass", auth=("user", "wrong"))
    assert r.status_code == 401
    assert r.headers["WWW-Authenticate"] == 'Basic realm="Fake Realm"'
    assert not r.ok


def test_auth_from_url(http: ModuleType, server: Server) -> None:
    url = f"http://u%40x:p%3Aq@127.0.0.1:{server.port}/basic-auth/u@x/p:q"
    r = http.get(url)
    assert r.status_code == 200
    assert r.url == url


def test_session_auth_and_override(http: ModuleType, server: Server) -> None:
    with http.Session() as s:
        s.auth = ("user", "pass")
        assert s.get(server.url + "/basic-auth/user/pass").status_code == 200
        assert s.get(server.url + "/basic-auth/other/x", auth=("other", "x")).status_code == 200
        assert s.get(server.url + "/basic-auth/other/x").status_code == 401


# Cookies.


def test_request_cookies_not_kept(http: ModuleType, server: Server) -> None:
    with http.Session() as s:
        r = s.get(server.url + "/cookies", cookies={"a": "1", "b": "two"})
        assert r.json() == {"cookies": {"a": "1", "b": "two"}}
        assert s.cookies.get_dict() == {}


def test_cookies_set_by_redirect_chain(http: ModuleType, server: Server) -> None:
    with http.Session() as s:
        r = s.get(server.url + "/cookies/set?a=1&b=2")
        assert r.json() == {"cookies": {"a": "1", "b": "2"}}
        assert [h.status_code for h in r.history] == [302]
        assert r.history[0].cookies.get_dict() == {"a": "1", "b": "2"}
        assert r.cookies.get_dict() == {}
        assert s.cookies.get_dict() == {"a": "1", "b": "2"}
        assert s.cookies["a"] == "1" and s.cookies.get("b") == "2" and s.cookies.get("c") is None


def test_module_function_keeps_cookies_within_its_redirects(
    http: ModuleType, server: Server
) -> None:
    assert http.get(server.url + "/cookies/set?k=v").json() == {"cookies": {"k": "v"}}
    assert http.get(server.url + "/cookies").json() == {"cookies": {}}


def test_cookie_deletion(http: ModuleType, server: Server) -> None:
    with http.Session() as s:
        s.get(server.url + "/cookies/set?a=1&b=2")
        r = s.get(server.url + "/cookies/delete?a")
        assert r.json() == {"cookies": {"b": "2"}}
        assert s.cookies.get_dict() == {"b": "2"}


def test_cookie_attributes(http: ModuleType, server: Server) -> None:
    set_cookies = [
        "path=1; Path=/other",
        "plain=2",
        "gone=3; Max-Age=0",
        "secure=4; Secure",
        "old=5; Expires=Wed, 21 Oct 2015 07:28:00 GMT",
        "later=6; Expires=Wed, 21 Oct 2099 07:28:00 GMT; HttpOnly",
    ]
    with http.Session() as s:
        r = s.get(server.url + "/response-headers", params=[("Set-Cookie", c) for c in set_cookies])
        assert r.cookies.get_dict() == {"path": "1", "plain": "2", "secure": "4", "later": "6"}
        assert s.cookies.get_dict() == {"path": "1", "plain": "2", "secure": "4", "later": "6"}
        # Secure cookies are not sent over http, path cookies only below their path.
        assert s.get(server.url + "/cookies").json() == {"cookies": {"plain": "2", "later": "6"}}
        sent = s.get(server.url + "/other/anything").request.headers["Cookie"]
        assert sorted(sent.split("; ")) == ["later=6", "path=1", "plain=2"]


def test_cookies_follow_host_not_port(
    http: ModuleType, server: Server, other_server: Server
) -> None:
    with http.Session() as s:
        s.get(server.url + "/cookies/set?a=1")
        assert s.get(other_server.url + "/cookies").json() == {"cookies": {"a": "1"}}
        assert s.get(server.url_for("/cookies", host="localhost")).json() == {"cookies": {}}


def test_session_cookie_jar_api(http: ModuleType, server: Server) -> None:
    with http.Session() as s:
        s.cookies.set("x", "1")
        s.cookies["y"] = "2"
        s.cookies.update({"z": "3"})
        assert sorted(s.cookies.keys()) == ["x", "y", "z"]
        assert sorted(s.cookies.items()) == [("x", "1"), ("y", "2"), ("z", "3")]
        assert s.get(server.url + "/cookies").json() == {"cookies": {"x": "1", "y": "2", "z": "3"}}
        s.cookies.set("x", None)  # None deletes, as in requests
        assert "x" not in s.cookies
        s.cookies.clear()
        assert s.cookies.get_dict() == {}
        assert s.get(server.url + "/cookies").json() == {"cookies": {}}


def test_request_cookies_merge_with_session(http: ModuleType, server: Server) -> None:
    with http.Session() as s:
        s.cookies.set("a", "session")
        s.cookies.set("b", "session")
        r = s.get(server.url + "/cookies", cookies={"b": "request", "c": "request"})
        assert r.json() == {"cookies": {"a": "session", "b": "request", "c": "request"}}
        assert s.cookies.get_dict() == {"a": "session", "b": "session"}


# Redirects.


@pytest.mark.parametrize(
    "path, chain",
    [
        ("/redirect/3", ["/redirect/3", "/redirect/2", "/redirect/1"]),
        (
            "/relative-redirect/3",
            ["/relative-redirect/3", "/relative-redirect/2", "/relative-redirect/1"],
        ),
        ("/absolute-redirect/2", ["/absolute-redirect/2", "/absolute-redirect/1"]),
    ],
    ids=["redirect", "relative", "absolute"],
)
def test_redirect_history(http: ModuleType, server: Server, path: str, chain: list[str]) -> None:
    r = http.get(server.url + path)
    assert r.status_code == 200
    assert r.url == server.url + "/get"
    assert [h.url for h in r.history] == [server.url + p for p in chain]
    assert [h.status_code for h in r.history] == [302] * len(chain)
    assert all(h.is_redirect for h in r.history)
    assert [h.request.url for h in r.history] == [server.url + p for p in chain]
    assert r.json()["url"] == server.url + "/get"


def test_redirect_not_followed(http: ModuleType, server: Server) -> None:
    r = http.get(server.url + "/redirect/1", allow_redirects=False)
    assert r.status_code == 302
    assert r.is_redirect
    assert r.headers["Location"] == "/get"
    assert r.history == []
    assert r.next is not None
    assert r.next.url == server.url + "/get"
    assert r.next.method == "GET"
    assert r.ok


def test_not_a_redirect(http: ModuleType, server: Server) -> None:
    r = http.get(server.url + "/get")
    assert not r.is_redirect
    assert r.next is None


def test_redirect_status_without_location(http: ModuleType, server: Server) -> None:
    r = http.get(server.url + "/status/302")
    assert r.status_code == 302
    assert not r.is_redirect
    assert r.history == []


def test_scheme_relative_redirect(http: ModuleType, server: Server) -> None:
    r = http.get(server.url + "/redirect-to", params={"url": f"//localhost:{server.port}/get"})
    assert r.url == server.url_for("/get", host="localhost")


def test_head_does_not_follow_redirects(http: ModuleType, server: Server) -> None:
    r = http.head(server.url + "/redirect/1")
    assert r.status_code == 302 and r.history == []
    r = http.request("HEAD", server.url + "/redirect/1")
    assert r.status_code == 200 and [h.status_code for h in r.history] == [302]


# (status, method) -> (method after the redirect, body kept): requests' rebuild_method; the body and
# Content-Length/Content-Type go whenever the status is not 307/308, even if the method stays.
REWRITES = [
    (301, "POST", "GET", False),
    (301, "PUT", "PUT", False),
    (301, "DELETE", "DELETE", False),
    (302, "POST", "GET", False),
    (302, "PUT", "GET", False),
    (302, "DELETE", "GET", False),
    (303, "POST", "GET", False),
    (303, "PUT", "GET", False),
    (307, "POST", "POST", True),
    (307, "PUT", "PUT", True),
    (308, "POST", "POST", True),
    (308, "PATCH", "PATCH", True),
]


@pytest.mark.parametrize(
    "status, method, after, kept", REWRITES, ids=[f"{s}-{m}" for s, m, _, _ in REWRITES]
)
def test_redirect_method_rewriting(
    http: ModuleType, server: Server, status: int, method: str, after: str, kept: bool
) -> None:
    r = http.request(
        method, server.url + f"/redirect-to?url=/anything&status_code={status}", data={"k": "v"}
    )
    answer = r.json()
    assert [h.status_code for h in r.history] == [status]
    assert r.history[0].request.method == method
    assert answer["method"] == after == r.request.method
    if kept:
        assert answer["form"] == [["k", "v"]]
        assert answer["headers"]["content-type"] == "application/x-www-form-urlencoded"
        assert answer["headers"]["content-length"] == "3"
    else:
        assert answer["data"] == ""
        assert "content-type" not in answer["headers"]
        # A PUT without a body still declares its empty length; GET and DELETE do not.
        assert answer["headers"].get("content-length") == ("0" if after == "PUT" else None)


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_head_stays_head(http: ModuleType, server: Server, status: int) -> None:
    r = http.request("HEAD", server.url + f"/redirect-to?url=/anything&status_code={status}")
    assert r.status_code == 200
    assert r.request.method == "HEAD"
    assert r.content == b""


def test_too_many_redirects(http: ModuleType, server: Server) -> None:
    with pytest.raises(exc(http, "TooManyRedirects")) as info:
        http.get(server.url + "/redirect-loop")
    assert info.value.response.status_code == 302
    assert len(info.value.response.history) == 30


@pytest.mark.parametrize("hops, ok", [(3, True), (4, False)])
def test_session_max_redirects(http: ModuleType, server: Server, hops: int, ok: bool) -> None:
    with http.Session() as s:
        assert s.max_redirects == 30
        s.max_redirects = 3
        if ok:
            assert len(s.get(server.url + f"/redirect/{hops}").history) == hops
        else:
            with pytest.raises(exc(http, "TooManyRedirects")):
                s.get(server.url + f"/redirect/{hops}")


@pytest.mark.parametrize("how", ["auth", "header"])
@pytest.mark.parametrize(
    "target, kept",
    [("path", True), ("same-origin", True), ("other-host", False), ("other-port", False)],
)
def test_authorization_on_redirect(
    http: ModuleType, server: Server, other_server: Server, how: str, target: str, kept: bool
) -> None:
    url = {
        "path": "/headers",
        "same-origin": server.url + "/headers",
        "other-host": server.url_for("/headers", host="localhost"),
        "other-port": other_server.url + "/headers",
    }[target]
    kwargs: dict[str, Any] = (
        {"auth": ("u", "p")} if how == "auth" else {"headers": {"Authorization": basic("u", "p")}}
    )
    r = http.get(server.url + "/redirect-to?url=" + quote(url, safe=""), **kwargs)
    assert len(r.history) == 1
    assert r.json()["headers"].get("authorization") == (basic("u", "p") if kept else None)


def test_redirect_to_other_host_changes_host_header(http: ModuleType, server: Server) -> None:
    r = http.get(
        server.url + "/redirect-to", params={"url": server.url_for("/headers", host="localhost")}
    )
    assert r.json()["headers"]["host"] == f"localhost:{server.port}"


# Content codings.

CODINGS = [
    ("/gzip", "gzip", "gzipped"),
    ("/deflate", "deflate", "deflated"),
    ("/deflate-raw", "deflate", "deflated"),
    ("/brotli", "br", "brotli"),
]


@pytest.mark.parametrize("path, coding, flag", CODINGS, ids=[p[1:] for p, _, _ in CODINGS])
def test_decompression(http: ModuleType, server: Server, path: str, coding: str, flag: str) -> None:
    r = http.get(server.url + path)
    assert r.headers["Content-Encoding"] == coding
    assert r.content.startswith(b"{")
    assert r.text == r.content.decode()
    assert r.json()[flag] is True


@pytest.mark.parametrize("path, coding, flag", CODINGS, ids=[p[1:] for p, _, _ in CODINGS])
def test_streamed_decompression(
    http: ModuleType, server: Server, path: str, coding: str, flag: str
) -> None:
    r = http.get(server.url + path, stream=True)
    chunks = list(r.iter_content(chunk_size=16))
    assert all(len(c) == 16 for c in chunks[:-1]) and 0 < len(chunks[-1]) <= 16
    assert json.loads(b"".join(chunks))[flag] is True


@pytest.mark.parametrize("stream", [False, True])
def test_bad_content_coding(http: ModuleType, server: Server, stream: bool) -> None:
    with pytest.raises(exc(http, "ContentDecodingError")):
        r = http.get(server.url + "/bad-gzip", stream=stream)
        r.content


# Text and JSON.

ENCODINGS = [
    ("text/plain", "\u00e9t\u00e9", "utf-8", "ISO-8859-1", "\u00c3\u00a9t\u00c3\u00a9"),
    ("text/html; charset=utf-8", "\u00e9t\u00e9", "utf-8", "utf-8", "\u00e9t\u00e9"),
    ('text/plain; charset="UTF-8"', "\u00e9t\u00e9", "utf-8", "UTF-8", "\u00e9t\u00e9"),
    ("text/plain; charset=windows-1252", "\u20ac5", "windows-1252", "windows-1252", "\u20ac5"),
    ("application/json", '{"a": "\u00e9"}', "utf-8", "utf-8", '{"a": "\u00e9"}'),
    ("application/octet-stream", "plain ascii", "utf-8", None, "plain ascii"),
]


@pytest.mark.parametrize(
    "content_type, body, charset, encoding, text",
    ENCODINGS,
    ids=["text-default", "html-utf8", "quoted", "cp1252", "json", "binary"],
)
def test_encoding_and_text(
    http: ModuleType,
    server: Server,
    content_type: str,
    body: str,
    charset: str,
    encoding: str | None,
    text: str,
) -> None:
    r = http.get(
        server.url + "/text",
        params={"content_type": content_type, "body": body, "charset": charset},
    )
    assert r.encoding == encoding
    assert r.text == text
    assert r.content == body.encode(charset)


def test_encoding_can_be_set(http: ModuleType, server: Server) -> None:
    r = http.get(server.url + "/text", params={"content_type": "text/plain", "body": "\u00e9"})
    assert r.text == "\u00c3\u00a9"
    r.encoding = "utf-8"
    assert r.text == "\u00e9"


def test_utf8_page(http: ModuleType, server: Server) -> None:
    r = http.get(server.url + "/encoding/utf8")
    assert r.encoding == "utf-8"
    assert r.text == servers.UTF8_TEXT


def test_html_charset(http: ModuleType, server: Server) -> None:
    r = http.get(server.url + "/html")
    assert r.encoding == "ISO-8859-15"
    assert r.text == servers.HTML_PAGE


def test_json(http: ModuleType, server: Server) -> None:
    r = http.get(server.url + "/json")
    assert r.json() == servers.JSON_DOCUMENT
    assert r.headers["content-type"] == "application/json"


@pytest.mark.parametrize(
    "body, charset",
    [('{"a": "\u00e9"}', "utf-16-le"), ('\ufeff{"a": "\u00e9"}', "utf-8")],
    ids=["utf16", "bom"],
)
def test_json_guesses_unicode_encoding(
    http: ModuleType, server: Server, body: str, charset: str
) -> None:
    r = http.get(
        server.url + "/text",
        params={"content_type": "application/octet-stream", "body": body, "charset": charset},
    )
    assert r.encoding is None
    assert r.json() == {"a": "\u00e9"}


@pytest.mark.parametrize(
    "path, doc",
    [("/invalid-json", '{"a": 1,, "b"}'), ("/status/204", "")],
    ids=["invalid", "empty"],
)
def test_json_decode_error(http: ModuleType, server: Server, path: str, doc: str) -> None:
    with pytest.raises(json.JSONDecodeError) as info:
        http.get(server.url + path).json()
    error = info.value
    assert isinstance(error, exc(http, "JSONDecodeError"))
    assert isinstance(error, exc(http, "RequestException"))
    assert isinstance(error, ValueError)
    with pytest.raises(json.JSONDecodeError) as stdlib:
        json.loads(doc)
    assert (error.msg, error.pos, error.doc, error.lineno, error.colno) == (
        stdlib.value.msg,
        stdlib.value.pos,
        stdlib.value.doc,
        stdlib.value.lineno,
        stdlib.value.colno,
    )


# Status, reason and the Response object.


@pytest.mark.parametrize(
    "code, reason, ok",
    [
        (200, "OK", True),
        (201, "Created", True),
        (404, "Not Found", False),
        (418, "I'm a Teapot", False),
        (500, "Internal Server Error", False),
        (503, "Service Unavailable", False),
    ],
)
def test_status_reason_ok(
    http: ModuleType, server: Server, code: int, reason: str, ok: bool
) -> None:
    r = http.get(server.url + f"/status/{code}")
    assert r.status_code == code
    assert r.reason == reason
    assert r.ok is ok
    assert bool(r) is ok
    assert repr(r) == f"<Response [{code}]>"


def test_custom_reason(http: ModuleType, server: Server) -> None:
    assert http.get(server.url + "/status/299?reason=Fine+Thanks").reason == "Fine Thanks"


@pytest.mark.parametrize("code", [400, 404, 500, 599])
def test_raise_for_status_error(http: ModuleType, server: Server, code: int) -> None:
    r = http.get(server.url + f"/status/{code}")
    with pytest.raises(exc(http, "HTTPError")) as info:
        r.raise_for_status()
    assert info.value.response is r
    assert isinstance(info.value, exc(http, "RequestException"))
    assert str(code) in str(info.value)


@pytest.mark.parametrize("path", ["/get", "/status/204", "/status/399"])
def test_raise_for_status_success(http: ModuleType, server: Server, path: str) -> None:
    assert http.get(server.url + path).raise_for_status() is None


def test_elapsed(http: ModuleType, server: Server) -> None:
    r = http.get(server.url + "/delay/0.2")
    assert isinstance(r.elapsed, datetime.timedelta)
    assert r.elapsed >= datetime.timedelta(seconds=0.2)


def test_request_object(http: ModuleType, server: Server) -> None:
    r = http.post(server.url + "/post", params={"q": "1"}, json={"a": 1}, headers={"X-Test": "t"})
    assert r.request.method == "POST"
    assert r.request.url == server.url + "/post?q=1"
    assert r.request.headers["x-test"] == "t"
    assert r.request.headers["Content-Type"] == "application/json"
    assert r.request.headers["Content-Length"] == "8"
    assert r.request.body == b'{"a": 1}'


def test_response_context_manager(http: ModuleType, server: Server) -> None:
    with http.get(server.url + "/get", stream=True) as r:
        assert r.status_code == 200
        assert r.json()["url"] == server.url + "/get"


def test_head(http: ModuleType, server: Server) -> None:
    length = len(http.get(server.url + "/json").content)
    r = http.head(server.url + "/json")
    assert r.status_code == 200
    assert r.content == b"" and r.text == ""
    assert r.headers["Content-Length"] == str(length)


@pytest.mark.parametrize("code", [204, 304])
def test_no_body_statuses(http: ModuleType, server: Server, code: int) -> None:
    r = http.get(server.url + f"/status/{code}")
    assert r.status_code == code
    assert r.content == b"" and r.text == ""
    assert "content-length" not in r.headers


def test_close_delimited_body(http: ModuleType, server: Server) -> None:
    with http.Session() as s:
        r = s.get(server.url + "/close-delimited")
        assert r.content == b"until the connection closes\n" * 100
        assert "content-length" not in r.headers
        assert s.get(server.url + "/get").status_code == 200  # a new connection


# Streaming.


def test_iter_content_sizes(http: ModuleType, server: Server) -> None:
    r = http.get(server.url + "/bytes/100", stream=True)
    chunks = list(r.iter_content(chunk_size=10))
    assert [len(c) for c in chunks] == [10] * 10
    assert b"".join(chunks) == servers.payload(100)


def test_iter_content_chunked(http: ModuleType, server: Server) -> None:
    r = http.get(server.url + "/stream-bytes/1000?chunk_size=7", stream=True)
    assert r.headers["Transfer-Encoding"] == "chunked"
    chunks = list(r.iter_content(chunk_size=64))
    assert all(0 < len(c) <= 64 for c in chunks)
    assert b"".join(chunks) == servers.payload(1000)


def test_iter_content_of_read_response(http: ModuleType, server: Server) -> None:
    r = http.get(server.url + "/bytes/25")
    assert [len(c) for c in r.iter_content(10)] == [10, 10, 5]
    assert b"".join(r.iter_content(10)) == servers.payload(25)  # again: from the stored content


def test_stream_consumed(http: ModuleType, server: Server) -> None:
    r = http.get(server.url + "/bytes/30", stream=True)
    assert b"".join(r.iter_content(8)) == servers.payload(30)
    with pytest.raises(RuntimeError):
        r.content
    with pytest.raises(exc(http, "StreamConsumedError")):
        next(iter(r.iter_content(8)))


def test_stream_then_content(http: ModuleType, server: Server) -> None:
    r = http.get(server.url + "/stream-bytes/500", stream=True)
    assert r.content == servers.payload(500)
    assert b"".join(r.iter_content(100)) == servers.payload(500)


def test_iter_lines(http: ModuleType, server: Server) -> None:
    r = http.get(server.url + "/stream/4", stream=True)
    lines = list(r.iter_lines())
    assert lines == [json.dumps({"id": i, "path": "/stream"}).encode() for i in range(4)]


def test_iter_lines_decoded(http: ModuleType, server: Server) -> None:
    r = http.get(
        server.url + "/text",
        params={"content_type": "text/plain; charset=utf-8", "body": "\u00e9\nb\r\nc\n\nd\n"},
        stream=True,
    )
    assert list(r.iter_lines(decode_unicode=True)) == ["\u00e9", "b", "c", "", "d"]


def test_stream_json(http: ModuleType, server: Server) -> None:
    assert http.get(server.url + "/json", stream=True).json() == servers.JSON_DOCUMENT


# Errors.


def test_connection_refused(http: ModuleType, closed_port: int) -> None:
    with pytest.raises(exc(http, "ConnectionError")) as info:
        http.get(f"http://127.0.0.1:{closed_port}/", timeout=5)
    assert not isinstance(info.value, exc(http, "Timeout"))
    assert isinstance(info.value, exc(http, "RequestException"))


@pytest.mark.parametrize("timeout", [0.2, (5, 0.2)], ids=["single", "tuple"])
def test_read_timeout(http: ModuleType, server: Server, timeout: Any) -> None:
    with pytest.raises(exc(http, "ReadTimeout")) as info:
        http.get(server.url + "/delay/1", timeout=timeout)
    assert isinstance(info.value, exc(http, "Timeout"))
    assert not isinstance(info.value, exc(http, "ConnectionError"))


def test_timeout_long_enough(http: ModuleType, server: Server) -> None:
    assert http.get(server.url + "/delay/0.1", timeout=(5, 5)).status_code == 200


@pytest.mark.parametrize(
    "url, error",
    [
        ("example.com/x", "MissingSchema"),
        ("127.0.0.1/x", "MissingSchema"),
        ("", "MissingSchema"),
        ("ftp://127.0.0.1/x", "InvalidSchema"),
        ("file:///etc/hosts", "InvalidSchema"),
        ("localhost:80/x", "InvalidSchema"),
        ("http://", "InvalidURL"),
        ("https://", "InvalidURL"),
        ("http:///path", "InvalidURL"),
        ("http://[::1", "InvalidURL"),
        ("http://127.0.0.1:99999/", "InvalidURL"),
        ("http://127.0.0.1:port/", "InvalidURL"),
        ("http://exa mple.com/", "InvalidURL"),
    ],
)
def test_bad_url(http: ModuleType, url: str, error: str) -> None:
    with pytest.raises(exc(http, error)) as info:
        http.get(url)
    assert isinstance(info.value, exc(http, "RequestException"))


# Proxies.


def test_explicit_proxy(http: ModuleType, server: Server, proxy: Server) -> None:
    r = http.get(server.url + "/get?a=1", proxies={"http": proxy.url})
    assert r.status_code == 200
    assert r.headers["Via"] == "1.1 pyaot-test-proxy"
    assert r.json()["args"] == [["a", "1"]]
    assert [(s.method, s.target) for s in proxy.seen] == [("GET", server.url + "/get?a=1")]
    assert proxy.seen[0].headers["host"] == f"127.0.0.1:{server.port}"
    assert "proxy-authorization" not in proxy.seen[0].headers


def test_proxy_post_body(http: ModuleType, server: Server, proxy: Server) -> None:
    r = http.post(server.url + "/post", data={"k": "v"}, proxies={"http": proxy.url})
    assert r.json()["form"] == [["k", "v"]]
    assert [(s.method, s.target) for s in proxy.seen] == [("POST", server.url + "/post")]


def test_proxy_credentials(http: ModuleType, server: Server, proxy: Server) -> None:
    r = http.get(
        server.url + "/headers", proxies={"http": f"http://user:pw@127.0.0.1:{proxy.port}"}
    )
    assert r.status_code == 200
    assert proxy.seen[0].headers["proxy-authorization"] == basic("user", "pw")
    assert "proxy-authorization" not in r.json()["headers"]  # the proxy consumed it


def test_session_proxies(http: ModuleType, server: Server, proxy: Server) -> None:
    with http.Session() as s:
        assert s.proxies == {}
        s.proxies = {"http": proxy.url}
        assert s.get(server.url + "/get").status_code == 200
    assert [s.target for s in proxy.seen] == [server.url + "/get"]


@pytest.mark.parametrize("variable", ["HTTP_PROXY", "http_proxy", "ALL_PROXY"])
def test_proxy_from_environment(
    http: ModuleType, server: Server, proxy: Server, monkeypatch: pytest.MonkeyPatch, variable: str
) -> None:
    monkeypatch.setenv(variable, proxy.url)
    assert http.get(server.url + "/get").json()["url"] == server.url + "/get"
    assert [s.target for s in proxy.seen] == [server.url + "/get"]


@pytest.mark.parametrize(
    "host, no_proxy",
    [
        ("127.0.0.1", "127.0.0.1"),
        ("127.0.0.1", "example.com, 127.0.0.1"),
        ("127.0.0.1", "127.0.0.0/8"),
        ("127.0.0.1", "*"),
        ("localhost", "localhost"),
        ("localhost", "localhost:{port}"),
    ],
)
def test_no_proxy_bypass(
    http: ModuleType,
    server: Server,
    proxy: Server,
    monkeypatch: pytest.MonkeyPatch,
    host: str,
    no_proxy: str,
) -> None:
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    monkeypatch.setenv("NO_PROXY", no_proxy.format(port=server.port))
    assert http.get(server.url_for("/get", host=host)).status_code == 200
    assert proxy.seen == []


def test_no_proxy_other_host_still_proxied(
    http: ModuleType, server: Server, proxy: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    monkeypatch.setenv("NO_PROXY", "example.com")
    assert http.get(server.url + "/get").status_code == 200
    assert [s.target for s in proxy.seen] == [server.url + "/get"]


def test_proxy_unreachable(http: ModuleType, server: Server, closed_port: int) -> None:
    with pytest.raises(exc(http, "ProxyError")) as info:
        http.get(server.url + "/get", proxies={"http": f"http://127.0.0.1:{closed_port}"})
    assert isinstance(info.value, exc(http, "ConnectionError"))


def test_malformed_proxy_url(http: ModuleType, server: Server) -> None:
    with pytest.raises(exc(http, "InvalidProxyURL")):
        http.get(server.url + "/get", proxies={"http": "http://"})


# Sessions.


def test_session_defaults(http: ModuleType) -> None:
    with http.Session() as s:
        assert isinstance(s.headers, sub(http, "structures").CaseInsensitiveDict)
        assert {k.lower() for k in s.headers} == {
            "user-agent",
            "accept-encoding",
            "accept",
            "connection",
        }
        assert s.headers["Accept"] == "*/*"
        assert s.headers["connection"] == "keep-alive"
        assert s.auth is None
        assert s.verify is True
        assert s.max_redirects == 30
        assert s.cookies.get_dict() == {}


def test_session_context_manager(http: ModuleType, server: Server) -> None:
    session = http.Session()
    with session as s:
        assert s is session
        assert s.get(server.url + "/get").status_code == 200
    session.close()  # closing twice is harmless


def test_session_reuses_connection(http: ModuleType, server: Server) -> None:
    # Keep-alive must not desynchronise a connection whatever the previous answer's framing was.
    with http.Session() as s:
        for path in [
            "/get",
            "/gzip",
            "/stream/2",
            "/status/204",
            "/redirect/2",
            "/bytes/10",
            "/get",
        ]:
            assert s.get(server.url + path).status_code in (200, 204)
        assert s.post(server.url + "/post", data=b"x" * 100_000).json()["data"] == "x" * 100_000


def test_mount_adapter(http: ModuleType, server: Server, closed_port: int) -> None:
    adapter = sub(http, "adapters").HTTPAdapter(max_retries=2)
    with http.Session() as s:
        s.mount("http://", adapter)
        assert s.get(server.url + "/get").status_code == 200
        with pytest.raises(exc(http, "ConnectionError")):
            s.get(f"http://127.0.0.1:{closed_port}/", timeout=5)
