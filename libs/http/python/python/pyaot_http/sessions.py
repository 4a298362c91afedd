"""``Session``: requests' session over the native client.

The session's settings (headers, auth, params, proxies, verify, cert, cookies) merge into each
request here, as requests merges them; the native client then sends it, follows redirects,
keeps cookies in the session's native jar and decodes the body, all without the GIL.
"""

from __future__ import annotations

import io
import os
import warnings
from collections import OrderedDict
from collections.abc import Mapping
from json import dumps as _json_dumps
from typing import Any
from urllib.parse import urlencode, urljoin, urlsplit

from . import _native
from .adapters import BaseAdapter, HTTPAdapter
from .auth import HTTPBasicAuth
from .cookies import RequestsCookieJar
from .exceptions import (
    ChunkedEncodingError,
    ConnectionError,
    ConnectTimeout,
    ContentDecodingError,
    InsecureRequestWarning,
    InvalidHeader,
    InvalidJSONError,
    InvalidProxyURL,
    InvalidSchema,
    InvalidURL,
    MissingSchema,
    ProxyError,
    ReadTimeout,
    RequestException,
    RetryError,
    SSLError,
    StreamConsumedError,
    TooManyRedirects,
    UnrewindableBodyError,
)
from .models import PreparedRequest, Request, Response
from .structures import CaseInsensitiveDict

__all__ = ["Session", "session"]

DEFAULT_REDIRECT_LIMIT = 30
_DEFAULT_NAMES = (
    ("user-agent", "User-Agent"),
    ("accept-encoding", "Accept-Encoding"),
    ("accept", "Accept"),
    ("connection", "Connection"),
)

_KINDS: dict[str, type[RequestException]] = {
    "MissingSchema": MissingSchema,
    "InvalidSchema": InvalidSchema,
    "InvalidURL": InvalidURL,
    "InvalidHeader": InvalidHeader,
    "InvalidProxyURL": InvalidProxyURL,
    "ConnectionError": ConnectionError,
    "ProxyError": ProxyError,
    "SSLError": SSLError,
    "ConnectTimeout": ConnectTimeout,
    "ReadTimeout": ReadTimeout,
    "TooManyRedirects": TooManyRedirects,
    "ContentDecodingError": ContentDecodingError,
    "ChunkedEncodingError": ChunkedEncodingError,
    "RetryError": RetryError,
    "UnrewindableBodyError": UnrewindableBodyError,
    "StreamConsumedError": StreamConsumedError,
    "InvalidBody": RequestException,
}


def _translate(err: _native.NativeError, request: PreparedRequest | None = None) -> Exception:
    """The requests-style exception for a native error."""
    kind, message, native = err.args
    if kind == "InvalidConfig":
        return OSError(message)
    response = None
    if native is not None:
        response = Response._from_native(native, stream=False)
    cls = _KINDS.get(kind, RequestException)
    return cls(message, response=response, request=request)


def default_headers() -> CaseInsensitiveDict[str]:
    return CaseInsensitiveDict(
        {
            "User-Agent": _native.USER_AGENT,
            "Accept-Encoding": "gzip, deflate, br",
            "Accept": "*/*",
            "Connection": "keep-alive",
        }
    )


def merge_setting(request_setting: Any, session_setting: Any, dict_class: Any = OrderedDict) -> Any:
    """requests' ``merge_setting``: request values over session values, None removing a key."""
    if session_setting is None:
        return request_setting
    if request_setting is None:
        return session_setting
    if not (isinstance(session_setting, Mapping) and isinstance(request_setting, Mapping)):
        return request_setting
    merged = dict_class(_to_key_val_list(session_setting))
    merged.update(_to_key_val_list(request_setting))
    for key in [k for (k, v) in merged.items() if v is None]:
        del merged[key]
    return merged


def _to_key_val_list(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, (str, bytes, bool, int)):
        raise ValueError("cannot encode objects that are not 2-tuples")
    if isinstance(value, Mapping):
        return list(value.items())
    return list(value)


def _encode_params(data: Any) -> Any:
    """requests' ``_encode_params``: str and bytes and file objects pass through; mappings and
    pair lists are form-encoded with lists of values repeated and None values left out."""
    if isinstance(data, (str, bytes)):
        return data
    if hasattr(data, "read"):
        return data
    if hasattr(data, "__iter__"):
        result = []
        for k, vs in _to_key_val_list(data):
            if isinstance(vs, (str, bytes)) or not hasattr(vs, "__iter__"):
                vs = [vs]
            for v in vs:
                if v is not None:
                    result.append(
                        (k.encode("utf-8") if isinstance(k, str) else k, v.encode("utf-8") if isinstance(v, str) else v)
                    )
        return urlencode(result, doseq=True)
    return data


def _check_header(name: Any, value: Any) -> str:
    if not isinstance(value, (str, bytes)):
        raise InvalidHeader(
            f"Header part ({value!r}) from {(name, value)} must be of type str or bytes, not {type(value)}"
        )
    if not isinstance(name, (str, bytes)):
        raise InvalidHeader(f"Header part ({name!r}) from {(name, value)} must be of type str or bytes, not {type(name)}")
    return value.decode("latin-1") if isinstance(value, bytes) else value


def _super_len(o: Any) -> int:
    """requests' ``super_len``: the bytes left to read in a body, 0 when unknown."""
    total_length = None
    current_position = 0
    if hasattr(o, "__len__"):
        total_length = len(o)
    elif hasattr(o, "len"):
        total_length = o.len
    elif hasattr(o, "fileno"):
        try:
            fileno = o.fileno()
        except (io.UnsupportedOperation, AttributeError):
            pass
        else:
            total_length = os.fstat(fileno).st_size
    if hasattr(o, "tell"):
        try:
            current_position = o.tell()
        except OSError:
            if total_length is not None:
                current_position = total_length
        else:
            if hasattr(o, "seek") and total_length is None:
                # BytesIO and StringIO can seek but have no usable fileno.
                try:
                    o.seek(0, 2)
                    total_length = o.tell()
                    o.seek(current_position or 0)
                except OSError:
                    total_length = 0
    if total_length is None:
        total_length = 0
    return max(0, total_length - current_position)


def _chunks(body: Any) -> Any:
    """A streamed body as an iterator of bytes: files read in 64 KiB blocks, str encoded."""
    if hasattr(body, "read"):
        while True:
            block = body.read(65536)
            if not block:
                return
            yield block.encode("utf-8") if isinstance(block, str) else block
    else:
        for chunk in body:
            if isinstance(chunk, str):
                chunk = chunk.encode("utf-8")
            if chunk:
                yield bytes(chunk)


def _guess_filename(obj: Any) -> str | None:
    name = getattr(obj, "name", None)
    if name and isinstance(name, (str, bytes)) and name[0] != "<" and name[-1] != ">":
        return os.path.basename(name)  # type: ignore[return-value]
    return None


def _encode_files(files: Any, data: Any) -> tuple[bytes, str]:
    """requests' ``_encode_files``: the data fields, then the files, as multipart parts."""
    if not files:
        raise ValueError("Files must be provided.")
    if isinstance(data, (str, bytes)):
        raise ValueError("Data must not be a string.")
    parts: list[tuple[str, str | None, str | None, list[tuple[str, str]], bytes]] = []
    for field, val in _to_key_val_list(data or {}):
        if isinstance(val, (str, bytes)) or not hasattr(val, "__iter__"):
            val = [val]
        for v in val:
            if v is not None:
                if not isinstance(v, bytes):
                    v = str(v)
                parts.append(
                    (
                        field.decode("utf-8") if isinstance(field, bytes) else field,
                        None,
                        None,
                        [],
                        v.encode("utf-8") if isinstance(v, str) else v,
                    )
                )
    for k, v in _to_key_val_list(files):
        ft = None
        fh = None
        if isinstance(v, (tuple, list)):
            if len(v) == 2:
                fn, fp = v
            elif len(v) == 3:
                fn, fp, ft = v
            else:
                fn, fp, ft, fh = v
        else:
            fn = _guess_filename(v) or k
            fp = v
        if isinstance(fp, (str, bytes, bytearray)):
            fdata = fp
        elif hasattr(fp, "read"):
            fdata = fp.read()
        elif fp is None:
            continue
        else:
            fdata = fp
        if isinstance(fdata, str):
            fdata = fdata.encode("utf-8")
        headers = [(str(hk), str(hv)) for hk, hv in (fh or {}).items()]
        parts.append((k.decode("utf-8") if isinstance(k, bytes) else k, fn, ft, headers, bytes(fdata)))
    return _native.encode_multipart(parts)


def _prepare(
    request: Request,
    session: Session | None,
) -> PreparedRequest:
    """requests' ``Session.prepare_request`` and ``PreparedRequest.prepare`` in one pass (with
    shortcuts for what most calls leave out: the hot path of a keep-alive GET)."""
    if session is not None:
        rh = request.headers
        headers = merge_setting(rh, session.headers, dict_class=CaseInsensitiveDict) if rh else session.headers
        params = merge_setting(request.params, session.params) if request.params or session.params else None
        auth = request.auth if request.auth is not None else session.auth
        hooks = merge_setting(request.hooks, session.hooks) if request.hooks else session.hooks
    else:
        headers = CaseInsensitiveDict(request.headers or {})
        params = request.params
        auth = request.auth
        hooks = request.hooks
    method = request.method
    method = method.upper() if isinstance(method, str) else str(method, "utf-8").upper() if method else method
    url = request.url
    if isinstance(url, bytes):
        url = url.decode("utf8")
    url = url if type(url) is str else str(url)
    query = ""
    if params:
        enc = _encode_params(params)
        query = enc.decode("utf-8") if isinstance(enc, bytes) else enc
    store: dict[str, tuple[str, str]] = {}
    pairs = headers._store.values() if isinstance(headers, CaseInsensitiveDict) else (headers or {}).items()
    for name, value in pairs:
        if type(name) is str and type(value) is str:
            store[name.lower()] = (name, value)
        elif value is not None:
            name = name.decode("latin-1") if isinstance(name, bytes) else name
            store[name.lower()] = (name, _check_header(name, value))
    p = PreparedRequest._blank(CaseInsensitiveDict._from_store(store))
    p.method = method
    p.url = url
    p._query = query
    _prepare_body(p, request.data, request.files, request.json)
    if isinstance(auth, (tuple, list)) and len(auth) == 2:
        auth = HTTPBasicAuth(*auth)
    if auth is not None:
        r = auth(p)
        p.__dict__.update(r.__dict__)
    cookies = request.cookies
    if cookies:
        if isinstance(cookies, Mapping):
            p._cookies = [(str(k), str(v)) for k, v in cookies.items() if v is not None]
        else:
            p._cookies = [(c.name, c.value or "") for c in cookies]
    for event, hook in (hooks or {}).items():
        if hook and event in p.hooks:
            p.register_hook(event, hook)
    return p


def _prepare_body(p: PreparedRequest, data: Any, files: Any, json: Any) -> None:
    if not data and json is None and not files:
        return
    body: Any = None
    content_type = None
    if not data and json is not None:
        content_type = "application/json"
        try:
            body = _json_dumps(json, allow_nan=False)
        except ValueError as ve:
            raise InvalidJSONError(ve, request=p) from None
        if not isinstance(body, bytes):
            body = body.encode("utf-8")
    is_stream = all(
        [hasattr(data, "__iter__"), not isinstance(data, (str, bytes, bytearray, list, tuple, Mapping))]
    )
    if is_stream:
        if files:
            raise NotImplementedError("Streamed bodies and files are mutually exclusive.")
        body = data
        length = _super_len(data)
        if length:
            p.headers["Content-Length"] = str(length)
            p._body_len = length
        else:
            p.headers["Transfer-Encoding"] = "chunked"
    else:
        if files:
            body, content_type = _encode_files(files, data)
        elif data:
            body = _encode_params(data)
            if isinstance(data, (str, bytes)) or hasattr(data, "read"):
                content_type = None
            else:
                content_type = "application/x-www-form-urlencoded"
        if content_type and "content-type" not in p.headers:
            p.headers["Content-Type"] = content_type
    p.body = body


def _wire_body(body: Any) -> Any:
    """What the native client takes: bytes, or an iterator of bytes for streams."""
    if body is None or isinstance(body, bytes):
        return body
    if isinstance(body, str):
        try:
            return body.encode("iso-8859-1")
        except UnicodeEncodeError as err:
            raise UnicodeEncodeError(
                err.encoding,
                err.object,
                err.start,
                err.end,
                f"Body ({err.object[err.start : err.end]!r}) is not valid Latin-1. "
                "Use body.encode('utf-8') if you want to send it encoded in UTF-8.",
            ) from None
    if isinstance(body, (bytearray, memoryview)):
        return bytes(body)
    return _chunks(body)


def _timeout(timeout: Any) -> tuple[float | None, float | None] | None:
    if timeout is None:
        return None
    if isinstance(timeout, tuple):
        try:
            connect, read = timeout
        except ValueError:
            raise ValueError(
                f"Invalid timeout {timeout}. Pass a (connect, read) timeout tuple, "
                "or a single float to set both timeouts to the same value."
            ) from None
        return (None if connect is None else float(connect), None if read is None else float(read))
    value = float(timeout)
    return (value, value)


def _cert(cert: Any) -> tuple[str, str | None] | None:
    if not cert:
        return None
    if isinstance(cert, (str, os.PathLike)):
        return (os.fspath(cert), None)
    cert_file, key_file = cert
    return (os.fspath(cert_file), None if key_file is None else os.fspath(key_file))


def _verify(verify: Any) -> Any:
    if verify is True or verify is False or verify is None:
        return verify
    return os.fspath(verify)


_shared: tuple[int, _native.Client] | None = None


def _shared_client() -> _native.Client:
    """One client (so one set of pools) for the module-level functions; a forked child makes
    its own, never reusing its parent's sockets."""
    global _shared
    pid = os.getpid()
    if _shared is None or _shared[0] != pid:
        _shared = (pid, _native.Client())
    return _shared[1]


class Session:
    """A requests ``Session``: shared headers, auth, cookies and connection pools.

    Safe to share across threads: the native client and jar are thread-safe, and the GIL is
    released while a request is in flight.
    """

    __attrs__ = [
        "headers",
        "cookies",
        "auth",
        "proxies",
        "hooks",
        "params",
        "verify",
        "cert",
        "adapters",
        "stream",
        "trust_env",
        "max_redirects",
        "max_decompressed_size",
    ]

    def __init__(self) -> None:
        self.headers: CaseInsensitiveDict[str] = default_headers()
        self.auth: Any = None
        self.proxies: dict[str, str] = {}
        self.hooks: dict[str, list[Any]] = {"response": []}
        self.params: Any = {}
        self.stream = False
        self.verify: Any = True
        self.cert: Any = None
        self.max_redirects = DEFAULT_REDIRECT_LIMIT
        self.trust_env = True
        #: The bound on a decompressed body (bytes; None removes it), against decompression
        #: bombs. Not in requests, which has none.
        self.max_decompressed_size: int | None = _native.DEFAULT_MAX_DECOMPRESSED_SIZE
        self.cookies = RequestsCookieJar()
        self.adapters: OrderedDict[str, BaseAdapter] = OrderedDict()
        self.mount("https://", HTTPAdapter())
        self.mount("http://", HTTPAdapter())
        self._client: _native.Client | None = None

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *args: Any) -> None:
        self.close()

    def __getstate__(self) -> dict[str, Any]:
        return {attr: getattr(self, attr, None) for attr in self.__attrs__}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self._client = None
        for attr, value in state.items():
            setattr(self, attr, value)

    def prepare_request(self, request: Request) -> PreparedRequest:
        return _prepare(request, self)

    def request(
        self,
        method: str | bytes,
        url: str | bytes,
        params: Any = None,
        data: Any = None,
        headers: Any = None,
        cookies: Any = None,
        files: Any = None,
        auth: Any = None,
        timeout: Any = None,
        allow_redirects: bool = True,
        proxies: Any = None,
        hooks: Any = None,
        stream: bool | None = None,
        verify: Any = None,
        cert: Any = None,
        json: Any = None,
    ) -> Response:
        if (
            params is None
            and data is None
            and headers is None
            and cookies is None
            and files is None
            and auth is None
            and proxies is None
            and hooks is None
            and json is None
            and type(method) is str
            and type(url) is str
            and self._is_plain()
        ):
            # The common call (a URL and maybe a timeout, on a session that adds only headers):
            # no Request or PreparedRequest to build; the response's `request` comes from what
            # was sent.
            pairs = list(self.headers._store.values())
            if all(type(name) is str and type(value) is str for name, value in pairs):
                return self._exchange(
                    method.upper(), url, "", pairs, None, None, [], (), timeout, allow_redirects, stream, None, verify, cert
                )
        req = Request(
            method=method.upper() if isinstance(method, str) else method,  # type: ignore[arg-type]
            url=url,  # type: ignore[arg-type]
            headers=headers,
            files=files,
            data=data or {},
            json=json,
            params=params or {},
            auth=auth,
            cookies=cookies,
            hooks=hooks,
        )
        prep = _prepare(req, self)
        return self.send(
            prep,
            timeout=timeout,
            allow_redirects=allow_redirects,
            proxies=proxies,
            stream=stream,
            verify=verify,
            cert=cert,
        )

    def get(self, url: str | bytes, **kwargs: Any) -> Response:
        kwargs.setdefault("allow_redirects", True)
        return self.request("GET", url, **kwargs)

    def options(self, url: str | bytes, **kwargs: Any) -> Response:
        kwargs.setdefault("allow_redirects", True)
        return self.request("OPTIONS", url, **kwargs)

    def head(self, url: str | bytes, **kwargs: Any) -> Response:
        kwargs.setdefault("allow_redirects", False)
        return self.request("HEAD", url, **kwargs)

    def post(self, url: str | bytes, data: Any = None, json: Any = None, **kwargs: Any) -> Response:
        return self.request("POST", url, data=data, json=json, **kwargs)

    def put(self, url: str | bytes, data: Any = None, **kwargs: Any) -> Response:
        return self.request("PUT", url, data=data, **kwargs)

    def patch(self, url: str | bytes, data: Any = None, **kwargs: Any) -> Response:
        return self.request("PATCH", url, data=data, **kwargs)

    def delete(self, url: str | bytes, **kwargs: Any) -> Response:
        return self.request("DELETE", url, **kwargs)

    def send(self, request: PreparedRequest, **kwargs: Any) -> Response:
        """Send a prepared request (``timeout``, ``allow_redirects``, ``proxies``, ``stream``,
        ``verify``, ``cert`` as keyword arguments)."""
        if isinstance(request, Request):
            raise ValueError("You can only send PreparedRequests.")
        headers = request.headers
        if isinstance(headers, CaseInsensitiveDict):
            pairs = list(headers._store.values())
        else:
            pairs = list(headers.items())
        return self._exchange(
            request.method or "GET",
            request.url or "",
            request._query,
            pairs,
            request.body,
            request._body_len,
            request._cookies,
            request.hooks["response"],
            kwargs.get("timeout"),
            kwargs.get("allow_redirects", True),
            kwargs.get("stream"),
            kwargs.get("proxies"),
            kwargs.get("verify"),
            kwargs.get("cert"),
            request,
            kwargs,
        )

    def _is_plain(self) -> bool:
        """Whether this session adds nothing to a request but headers (and is not a subclass
        that changes how requests are prepared or sent)."""
        cls = type(self)
        return (
            self.auth is None
            and not self.params
            and not self.hooks.get("response")
            and (cls is Session or (cls.send is Session.send and cls.prepare_request is Session.prepare_request))
            and type(self.headers) is CaseInsensitiveDict
        )

    def _exchange(
        self,
        method: str,
        url: str,
        query: str,
        pairs: list[tuple[str, str]],
        body: Any,
        body_len: int | None,
        cookies: list[tuple[str, str]],
        hooks: Any,
        timeout: Any,
        allow_redirects: bool,
        stream: Any,
        proxies: Any,
        verify: Any,
        cert: Any,
        request: PreparedRequest | None = None,
        hook_kwargs: dict[str, Any] | None = None,
    ) -> Response:
        """Sends a request in wire form through the native client with the session's settings
        merged in, and wraps the answer."""
        stream = self.stream if stream is None else stream
        verify = self.verify if verify is None else verify
        cert = cert or self.cert
        try:
            adapter: BaseAdapter | None = self.get_adapter(url)
        except InvalidSchema:
            adapter = None  # the native client names what is wrong with the URL
        if verify is False and url[:6].lower() == "https:":
            warnings.warn(
                f"Unverified HTTPS request is being made to host '{urlsplit(url).hostname}'. "
                "Adding certificate verification is strongly advised.",
                InsecureRequestWarning,
                stacklevel=4,
            )
        present = {name.lower() for name, _ in pairs}
        removed = [name for lower, name in _DEFAULT_NAMES if lower not in present]
        client = self._client
        if client is None:
            client = self._client = _native.Client(pool_size=getattr(adapter, "_pool_maxsize", 10))
        session_proxies = self.proxies
        jar = self.cookies
        try:
            # Positional, in the native signature's order (cheaper to take apart than keywords).
            native, head = client.send(
                method,
                url,
                query,
                pairs,
                removed,
                _wire_body(body),
                body_len,
                None,
                None,
                cookies,
                _timeout(timeout),
                allow_redirects,
                bool(stream),
                [(str(k), str(v)) for k, v in proxies.items() if v is not None] if proxies else [],
                [(str(k), str(v)) for k, v in session_proxies.items() if v is not None] if session_proxies else [],
                _verify(verify),
                _cert(cert),
                bool(self.trust_env),
                int(self.max_redirects),
                getattr(adapter, "_retry", None),
                jar.native if isinstance(jar, RequestsCookieJar) else None,
                self.max_decompressed_size,
            )
        except _native.NativeError as e:
            raise _translate(e, request) from None
        r = Response._from_native(native, bool(stream), head)
        r._sent_body = body
        if not allow_redirects and r.is_redirect:
            r._next = _next_request(r)
        for hook in hooks:
            result = hook(r, **(hook_kwargs or {}))
            if result is not None:
                r = result
        return r

    def get_adapter(self, url: str) -> BaseAdapter:
        for prefix, adapter in self.adapters.items():
            if url.lower().startswith(prefix.lower()):
                return adapter
        raise InvalidSchema(f"No connection adapters were found for {url!r}")

    def mount(self, prefix: str, adapter: BaseAdapter) -> None:
        self.adapters[prefix] = adapter
        keys_to_move = [k for k in self.adapters if len(k) < len(prefix)]
        for key in keys_to_move:
            self.adapters[key] = self.adapters.pop(key)

    def close(self) -> None:
        """Drop the session's connections (a later request opens new ones)."""
        for adapter in self.adapters.values():
            adapter.close()
        self._client = None

    def merge_environment_settings(self, url: str, proxies: Any, stream: Any, verify: Any, cert: Any) -> dict[str, Any]:
        """The settings a request will use; proxies and CA bundles from the environment are read
        by the native client itself when ``trust_env`` is on."""
        return {
            "proxies": merge_setting(proxies, self.proxies),
            "stream": merge_setting(stream, self.stream),
            "verify": merge_setting(verify, self.verify),
            "cert": merge_setting(cert, self.cert),
        }


def _next_request(r: Response) -> PreparedRequest:
    """The request a redirect asks for (requests' ``Response.next``)."""
    sent = r.request
    p = PreparedRequest()
    method = sent.method if sent is not None else "GET"
    if r.status_code in (302, 303) and method != "HEAD" or r.status_code == 301 and method == "POST":
        method = "GET"
    p.method = method
    p.url = urljoin(r.url, r.headers["location"])
    if sent is not None:
        p.headers = sent.headers.copy()
        if r.status_code in (307, 308):
            p.body = sent.body
    return p


def session() -> Session:
    """A new Session (deprecated in requests, kept for compatibility)."""
    return Session()
