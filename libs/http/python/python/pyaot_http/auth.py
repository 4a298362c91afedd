"""Authentication handlers, as requests' ``requests.auth``."""

from __future__ import annotations

from base64 import b64encode
from typing import Any

__all__ = ["AuthBase", "HTTPBasicAuth", "HTTPProxyAuth"]


def _basic_auth_str(username: str | bytes, password: str | bytes) -> str:
    """The value of a basic ``Authorization`` header (credentials encoded as ISO-8859-1)."""
    if not isinstance(username, (str, bytes)):
        username = str(username)
    if not isinstance(password, (str, bytes)):
        password = str(password)
    if isinstance(username, str):
        username = username.encode("latin1")
    if isinstance(password, str):
        password = password.encode("latin1")
    return "Basic " + b64encode(b":".join((username, password))).strip().decode("ascii")


class AuthBase:
    """Base class that all auth implementations derive from: called with the prepared request,
    returns it (usually with a header added)."""

    def __call__(self, r: Any) -> Any:
        raise NotImplementedError("Auth hooks must be callable.")


class HTTPBasicAuth(AuthBase):
    """Attaches HTTP Basic Authentication to the given Request object."""

    def __init__(self, username: str | bytes, password: str | bytes) -> None:
        self.username = username
        self.password = password

    def __eq__(self, other: object) -> bool:
        return all(
            [self.username == getattr(other, "username", None), self.password == getattr(other, "password", None)]
        )

    def __ne__(self, other: object) -> bool:
        return not self == other

    def __call__(self, r: Any) -> Any:
        r.headers["Authorization"] = _basic_auth_str(self.username, self.password)
        return r


class HTTPProxyAuth(HTTPBasicAuth):
    """Attaches HTTP Proxy Authentication to a given Request object."""

    def __call__(self, r: Any) -> Any:
        r.headers["Proxy-Authorization"] = _basic_auth_str(self.username, self.password)
        return r
