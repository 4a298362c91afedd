"""``Response``, ``Request`` and ``PreparedRequest``: requests' objects over native responses."""

from __future__ import annotations

import codecs
import datetime
import json as _json
import re
from collections.abc import Callable, Iterator
from typing import Any

from . import _native
from .cookies import RequestsCookieJar, _to_cookie
from .exceptions import HTTPError, StreamConsumedError
from .exceptions import JSONDecodeError as RequestsJSONDecodeError
from .status_codes import codes
from .structures import CaseInsensitiveDict

__all__ = ["PreparedRequest", "Request", "Response"]

# "No body recorded" (None is a body value).
_UNSET: Any = object()

REDIRECT_STATI = (codes.moved, codes.found, codes.other, codes.temporary_redirect, codes.permanent_redirect)
CONTENT_CHUNK_SIZE = 10 * 1024
ITER_CHUNK_SIZE = 512

class Request:
    """A user-created request, turned into a ``PreparedRequest`` by ``prepare()``."""

    def __init__(
        self,
        method: str | None = None,
        url: str | None = None,
        headers: Any = None,
        files: Any = None,
        data: Any = None,
        params: Any = None,
        auth: Any = None,
        cookies: Any = None,
        hooks: Any = None,
        json: Any = None,
    ) -> None:
        self.method = method
        self.url = url
        self.headers = headers if headers is not None else {}
        self.files = files if files is not None else []
        self.data = data if data is not None else []
        self.json = json
        self.params = params if params is not None else {}
        self.auth = auth
        self.cookies = cookies
        self.hooks = hooks if hooks is not None else {}

    def __repr__(self) -> str:
        return f"<Request [{self.method}]>"

    def prepare(self) -> PreparedRequest:
        from .sessions import _prepare

        return _prepare(self, None)


class PreparedRequest:
    """The request as it is sent: ``method``, ``url``, ``headers`` and ``body``."""

    def __init__(self) -> None:
        self.method: str | None = None
        self.url: str | None = None
        self.headers: CaseInsensitiveDict[str] = CaseInsensitiveDict()
        self.body: Any = None
        self.hooks: dict[str, list[Callable[..., Any]]] = {"response": []}
        # What the native client needs besides the above.
        self._query = ""
        self._body_len: int | None = None
        self._cookies: list[tuple[str, str]] = []

    @classmethod
    def _blank(cls, headers: CaseInsensitiveDict[str]) -> PreparedRequest:
        """A request with these headers and nothing else (no dict made to be replaced)."""
        p = cls.__new__(cls)
        p.__dict__.update(
            method=None, url=None, headers=headers, body=None, hooks={"response": []}, _query="", _body_len=None, _cookies=[]
        )
        return p

    def __repr__(self) -> str:
        return f"<PreparedRequest [{self.method}]>"

    def copy(self) -> PreparedRequest:
        p = PreparedRequest()
        p.__dict__.update(self.__dict__)
        p.headers = self.headers.copy()
        return p

    def prepare_auth(self, auth: Any, url: str = "") -> None:
        if auth is None:
            return
        if isinstance(auth, tuple) and len(auth) == 2:
            from .auth import HTTPBasicAuth

            auth = HTTPBasicAuth(*auth)
        r = auth(self)
        self.__dict__.update(r.__dict__)

    def register_hook(self, event: str, hook: Any) -> None:
        if callable(hook):
            self.hooks[event].append(hook)
        else:
            self.hooks[event].extend(h for h in hook if callable(h))


def _sent_request(native: _native.Response) -> PreparedRequest:
    method, url, headers, body = native.request
    p = PreparedRequest()
    p.method = method
    p.url = url
    hdrs: CaseInsensitiveDict[str] = CaseInsensitiveDict()
    for name, value in headers:
        hdrs[name] = value
    p.headers = hdrs
    p.body = body
    return p


class _Raw:
    """The undecoded-stream stand-in for urllib3's response (``Response.raw``): ``read``,
    ``stream`` and ``close`` over the native body. The native body is already decoded."""

    def __init__(self, native: _native.Response) -> None:
        self._native = native

    def read(self, amt: int | None = None, decode_content: bool = True) -> bytes:
        if amt is None:
            return self._native.content()
        return self._native.read(amt)

    def stream(self, amt: int | None = 2**16, decode_content: bool = True) -> Iterator[bytes]:
        while True:
            chunk = self._native.read(amt)
            if not chunk:
                break
            yield chunk

    def close(self) -> None:
        self._native.close()


class Response:
    """The response to a request, with requests' attributes and methods."""

    __attrs__ = [
        "_content",
        "status_code",
        "headers",
        "url",
        "history",
        "encoding",
        "reason",
        "cookies",
        "elapsed",
        "request",
    ]

    def __init__(self) -> None:
        self._content: bytes | bool | None = False
        self._content_consumed = False
        self._next: PreparedRequest | None = None
        self._native: _native.Response | None = None
        self._sent_body: Any = _UNSET
        self.status_code: int = None  # type: ignore[assignment]
        self._headers: CaseInsensitiveDict[str] | None = CaseInsensitiveDict()
        self._raw: Any = None
        self.url: str = None  # type: ignore[assignment]
        self.encoding: str | None = None
        self.history: list[Response] = []
        self.reason: str = None  # type: ignore[assignment]
        self._cookies: RequestsCookieJar | None = None
        self.elapsed = datetime.timedelta(0)
        self._request: PreparedRequest | None = None
        self.connection: Any = None

    # Defaults for what a response from the client rarely sets: class attributes, so that
    # making a response fills few instance slots (it is on every request's path).
    _raw: Any = None
    _cookies: RequestsCookieJar | None = None
    _request: PreparedRequest | None = None
    _next: PreparedRequest | None = None
    _headers: CaseInsensitiveDict[str] | None = None
    _sent_body: Any = _UNSET
    _elapsed: float = 0.0
    connection: Any = None

    @classmethod
    def _from_native(cls, native: _native.Response, stream: bool, head: Any = None) -> Response:
        """A response over a native one; `head` is what `Client.send` returned with it (else it
        is asked for)."""
        r = cls.__new__(cls)
        if head is None:
            status, reason, url, encoding, elapsed, history = native.head()
            content = False if stream else native.content()
        else:
            status, reason, url, encoding, elapsed, history, content = head
            if content is None:
                content = False
        d = r.__dict__
        d["_native"] = native
        d["status_code"] = status
        d["url"] = url
        d["encoding"] = encoding
        d["reason"] = reason
        d["_elapsed"] = elapsed
        d["history"] = [cls._from_native(h, False) for h in history] if history else []
        d["_content"] = content
        d["_content_consumed"] = content is not False
        return r

    @property
    def elapsed(self) -> datetime.timedelta:
        """Time from sending the request to having the response's headers."""
        elapsed = self.__dict__.get("_elapsed_td")
        if elapsed is None:
            elapsed = self.__dict__["_elapsed_td"] = datetime.timedelta(seconds=self._elapsed)
        return elapsed

    @elapsed.setter
    def elapsed(self, value: datetime.timedelta) -> None:
        self.__dict__["_elapsed_td"] = value

    # Built on first use: many callers never look at the headers.
    @property
    def headers(self) -> CaseInsensitiveDict[str]:
        headers = self._headers
        if headers is None:
            native = self._native
            headers = self._headers = CaseInsensitiveDict._from_store(native.header_store() if native else {})
        return headers

    @headers.setter
    def headers(self, value: CaseInsensitiveDict[str]) -> None:
        self._headers = value

    @property
    def raw(self) -> Any:
        """The body stream (urllib3's response in requests): ``read``, ``stream``, ``close``."""
        if self._raw is None and self._native is not None:
            self._raw = _Raw(self._native)
        return self._raw

    @raw.setter
    def raw(self, value: Any) -> None:
        self._raw = value

    # Built on first use: most callers never look.
    @property
    def cookies(self) -> RequestsCookieJar:
        if self._cookies is None:
            jar = RequestsCookieJar()
            if self._native is not None:
                for t in self._native.cookies:
                    jar.set_cookie(_to_cookie(t))
            self._cookies = jar
        return self._cookies

    @cookies.setter
    def cookies(self, jar: RequestsCookieJar) -> None:
        self._cookies = jar

    @property
    def request(self) -> PreparedRequest | None:
        if self._request is None and self._native is not None:
            self._request = _sent_request(self._native)
            if self._sent_body is not _UNSET and self._request.body is not None:
                # The body as the caller gave it (a str stays a str, as in requests).
                self._request.body = self._sent_body
        return self._request

    @request.setter
    def request(self, value: PreparedRequest | None) -> None:
        self._request = value

    def __enter__(self) -> Response:
        return self

    def __exit__(self, *args: Any) -> None:
        self.close()

    def __getstate__(self) -> dict[str, Any]:
        if not self._content_consumed:
            self.content
        return {attr: getattr(self, attr, None) for attr in self.__attrs__}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__()  # type: ignore[misc]
        for name, value in state.items():
            setattr(self, name, value)
        self._content_consumed = True
        self.raw = None

    def __repr__(self) -> str:
        return f"<Response [{self.status_code}]>"

    def __bool__(self) -> bool:
        return self.ok

    def __nonzero__(self) -> bool:
        return self.ok

    def __iter__(self) -> Iterator[bytes]:
        return self.iter_content(128)

    @property
    def ok(self) -> bool:
        try:
            self.raise_for_status()
        except HTTPError:
            return False
        return True

    @property
    def is_redirect(self) -> bool:
        return "location" in self.headers and self.status_code in REDIRECT_STATI

    @property
    def is_permanent_redirect(self) -> bool:
        return "location" in self.headers and self.status_code in (codes.moved_permanently, codes.permanent_redirect)

    @property
    def next(self) -> PreparedRequest | None:
        """The redirect this response asks for, when redirects were not followed."""
        return self._next

    @property
    def apparent_encoding(self) -> str | None:
        """The encoding charset_normalizer detects (when installed, as requests uses it), else
        utf-8 when the body is valid UTF-8 and ISO-8859-1 otherwise."""
        content = self.content or b""
        try:
            import charset_normalizer
        except ImportError:
            try:
                content.decode("utf-8")
                return "utf-8"
            except UnicodeDecodeError:
                return "ISO-8859-1"
        return charset_normalizer.detect(content)["encoding"]

    def iter_content(self, chunk_size: int | None = 1, decode_unicode: bool = False) -> Iterator[Any]:
        def generate() -> Iterator[bytes]:
            native = self._native
            if native is not None:
                while True:
                    try:
                        chunk = native.read(chunk_size)
                    except _native.NativeError as e:
                        from .sessions import _translate

                        raise _translate(e) from None
                    if not chunk:
                        break
                    yield chunk
            self._content_consumed = True

        if self._content_consumed and isinstance(self._content, bool):
            raise StreamConsumedError()
        elif chunk_size is not None and not isinstance(chunk_size, int):
            raise TypeError(f"chunk_size must be an int, it is instead a {type(chunk_size)}.")
        reused_chunks = _iter_slices(self._content, chunk_size)  # type: ignore[arg-type]
        stream_chunks = generate()
        chunks = reused_chunks if self._content_consumed else stream_chunks
        if decode_unicode:
            chunks = _stream_decode_response_unicode(chunks, self)
        return chunks

    def iter_lines(
        self, chunk_size: int | None = ITER_CHUNK_SIZE, decode_unicode: bool = False, delimiter: Any = None
    ) -> Iterator[Any]:
        pending = None
        for chunk in self.iter_content(chunk_size=chunk_size, decode_unicode=decode_unicode):
            if pending is not None:
                chunk = pending + chunk
            lines = chunk.split(delimiter) if delimiter else chunk.splitlines()
            if lines and lines[-1] and chunk and lines[-1][-1] == chunk[-1]:
                pending = lines.pop()
            else:
                pending = None
            yield from lines
        if pending is not None:
            yield pending

    @property
    def content(self) -> bytes | None:
        if self._content is False:
            if self._content_consumed:
                raise RuntimeError("The content for this response was already consumed")
            if self.status_code == 0 or self._native is None:
                self._content = None
            else:
                try:
                    self._content = self._native.content()
                except _native.NativeError as e:
                    from .sessions import _translate

                    raise _translate(e) from None
        self._content_consumed = True
        return self._content  # type: ignore[return-value]

    @property
    def text(self) -> str:
        content = self.content
        if not content:
            return ""
        encoding = self.encoding
        if encoding is None:
            encoding = self.apparent_encoding
        try:
            return str(content, encoding or "utf-8", errors="replace")
        except (LookupError, TypeError):
            return str(content, errors="replace")

    def json(self, **kwargs: Any) -> Any:
        content = self.content
        if not self.encoding and content and len(content) > 3:
            encoding = _guess_json_utf(content)
            if encoding is not None:
                try:
                    return _json.loads(content.decode(encoding), **kwargs)
                except UnicodeDecodeError:
                    pass
                except _json.JSONDecodeError as e:
                    raise RequestsJSONDecodeError(e.msg, e.doc, e.pos) from None
        try:
            return _json.loads(self.text, **kwargs)
        except _json.JSONDecodeError as e:
            raise RequestsJSONDecodeError(e.msg, e.doc, e.pos) from None

    @property
    def links(self) -> dict[str, dict[str, str]]:
        header = self.headers.get("link")
        resolved: dict[str, dict[str, str]] = {}
        if header:
            for link in _parse_header_links(header):
                key = link.get("rel") or link.get("url")
                resolved[key] = link  # type: ignore[index]
        return resolved

    def raise_for_status(self) -> None:
        reason = self.reason
        if isinstance(reason, bytes):
            try:
                reason = reason.decode("utf-8")
            except UnicodeDecodeError:
                reason = reason.decode("iso-8859-1")
        if 400 <= self.status_code < 500:
            raise HTTPError(f"{self.status_code} Client Error: {reason} for url: {self.url}", response=self)
        if 500 <= self.status_code < 600:
            raise HTTPError(f"{self.status_code} Server Error: {reason} for url: {self.url}", response=self)

    def close(self) -> None:
        if not self._content_consumed and self._native is not None:
            self._native.close()


def _iter_slices(string: bytes | None, slice_length: int | None) -> Iterator[bytes]:
    pos = 0
    if string is None:
        return
    if slice_length is None or slice_length <= 0:
        slice_length = len(string)
    while pos < len(string):
        yield string[pos : pos + slice_length]
        pos += slice_length


def _stream_decode_response_unicode(iterator: Iterator[bytes], r: Response) -> Iterator[Any]:
    if r.encoding is None:
        yield from iterator
        return
    decoder = codecs.getincrementaldecoder(r.encoding)(errors="replace")
    for chunk in iterator:
        rv = decoder.decode(chunk)
        if rv:
            yield rv
    rv = decoder.decode(b"", final=True)
    if rv:
        yield rv


_null = b"\x00"
_null2 = _null * 2
_null3 = _null * 3


def _guess_json_utf(data: bytes) -> str | None:
    """requests' ``guess_json_utf``: the UTF flavour of JSON text from its first four bytes."""
    sample = data[:4]
    if sample in (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE):
        return "utf-32"
    if sample[:3] == codecs.BOM_UTF8:
        return "utf-8-sig"
    if sample[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        return "utf-16"
    nullcount = sample.count(_null)
    if nullcount == 0:
        return "utf-8"
    if nullcount == 2:
        if sample[::2] == _null2:
            return "utf-16-be"
        if sample[1::2] == _null2:
            return "utf-16-le"
    if nullcount == 3:
        if sample[:3] == _null3:
            return "utf-32-be"
        if sample[1:] == _null3:
            return "utf-32-le"
    return None


def _parse_header_links(value: str) -> list[dict[str, str]]:
    links: list[dict[str, str]] = []
    replace_chars = " '\""
    value = value.strip(replace_chars)
    if not value:
        return links
    for val in re.split(", *<", value):
        try:
            url, params = val.split(";", 1)
        except ValueError:
            url, params = val, ""
        link = {"url": url.strip("<> '\"")}
        for param in params.split(";"):
            try:
                key, value = param.split("=")
            except ValueError:
                break
            link[key.strip(replace_chars)] = value.strip(replace_chars)
        links.append(link)
    return links
