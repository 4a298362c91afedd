"""The native core of pyaot_http (Rust: pyaot-http on ureq + rustls). The requests-style API
lives in the Python modules; this is what they call."""

from collections.abc import Iterator
from typing import final

__all__ = [
    "Client",
    "Response",
    "Jar",
    "encode_multipart",
    "NativeError",
    "USER_AGENT",
    "DEFAULT_CONNECT_TIMEOUT",
    "DEFAULT_READ_TIMEOUT",
    "DEFAULT_MAX_DECOMPRESSED_SIZE",
]

USER_AGENT: str
DEFAULT_CONNECT_TIMEOUT: float | None
DEFAULT_READ_TIMEOUT: float | None
DEFAULT_MAX_DECOMPRESSED_SIZE: int

_Cookie = tuple[str, str, str, str, bool, int | None, bool, bool]

class NativeError(Exception):
    """args: (kind, message, Response or None)."""

@final
class Jar:
    def __new__(cls) -> Jar: ...
    def cookies(self) -> list[_Cookie]: ...
    def set(
        self,
        name: str,
        value: str,
        domain: str = "",
        path: str = "/",
        secure: bool = False,
        expires: int | None = None,
        domain_specified: bool = False,
        http_only: bool = False,
    ) -> None: ...
    def remove(self, name: str, domain: str | None = None, path: str | None = None) -> int: ...
    def clear(self, domain: str | None = None, path: str | None = None, name: str | None = None) -> None: ...
    def __len__(self) -> int: ...

@final
class Response:
    @property
    def status(self) -> int: ...
    @property
    def reason(self) -> str: ...
    @property
    def url(self) -> str: ...
    @property
    def elapsed(self) -> float: ...
    @property
    def encoding(self) -> str | None: ...
    @property
    def request(self) -> tuple[str, str, list[tuple[str, str]], bytes | None]: ...
    @property
    def cookies(self) -> list[_Cookie]: ...
    def head(self) -> tuple[int, str, str, str | None, float, list[Response]]: ...
    def header_store(self) -> dict[str, tuple[str, str]]: ...
    def content(self) -> bytes: ...
    def read(self, size: int | None = None) -> bytes: ...
    def close(self) -> None: ...

@final
class Client:
    def __new__(cls, max_decompressed_size: int | None = ..., pool_size: int = 10) -> Client: ...
    def send(
        self,
        method: str,
        url: str,
        query: str = "",
        headers: list[tuple[str, str]] = ...,
        removed: list[str] = ...,
        body: bytes | Iterator[bytes] | None = None,
        body_len: int | None = None,
        content_type: str | None = None,
        auth: tuple[str, str] | None = None,
        cookies: list[tuple[str, str]] = ...,
        timeout: tuple[float | None, float | None] | None = None,
        allow_redirects: bool = True,
        stream: bool = False,
        proxies: list[tuple[str, str]] = ...,
        session_proxies: list[tuple[str, str]] = ...,
        verify: bool | str | None = None,
        cert: tuple[str, str | None] | None = None,
        trust_env: bool = True,
        max_redirects: int = 30,
        retry: tuple[int, float, float, list[int], list[str] | None, bool, bool] | None = None,
        jar: Jar | None = None,
        max_decompressed_size: int | None = ...,
    ) -> tuple[Response, tuple[int, str, str, str | None, float, list[Response], bytes | None]]: ...

def encode_multipart(
    parts: list[tuple[str, str | None, str | None, list[tuple[str, str]], bytes]],
) -> tuple[bytes, str]: ...

