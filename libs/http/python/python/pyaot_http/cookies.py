"""Cookie jars with requests' ``RequestsCookieJar`` interface, kept in the native jar.

The native jar is what the client reads and fills while sending (with the matching rules of
``http.cookiejar``), so a session's cookies never get copied back and forth. Iterating a jar
yields ``http.cookiejar.Cookie`` objects, as requests' does.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping, MutableMapping
from http.cookiejar import Cookie
from typing import Any

from . import _native

__all__ = ["CookieConflictError", "RequestsCookieJar", "cookiejar_from_dict", "create_cookie", "merge_cookies"]


class CookieConflictError(RuntimeError):
    """There are two cookies that meet the criteria specified in the cookie jar."""


def _to_cookie(t: tuple[Any, ...]) -> Cookie:
    name, value, domain, path, secure, expires, domain_specified, http_only = t
    return Cookie(
        version=0,
        name=name,
        value=value,
        port=None,
        port_specified=False,
        domain=domain,
        domain_specified=domain_specified,
        domain_initial_dot=domain.startswith("."),
        path=path,
        path_specified=True,
        secure=secure,
        expires=expires,
        discard=expires is None,
        comment=None,
        comment_url=None,
        rest={"HttpOnly": None} if http_only else {},  # type: ignore[dict-item]
        rfc2109=False,
    )


def create_cookie(name: str, value: str, **kwargs: Any) -> Cookie:
    """Make a cookie from its parts (domain ``""`` and path ``/`` unless given), as requests'."""
    domain = kwargs.get("domain", "") or ""
    return _to_cookie(
        (
            name,
            value,
            domain,
            kwargs.get("path", "/") or "/",
            bool(kwargs.get("secure", False)),
            kwargs.get("expires"),
            bool(domain),
            bool(kwargs.get("rest", {}).get("HttpOnly", False)),
        )
    )


class RequestsCookieJar(MutableMapping[str, str]):
    """A dict-like cookie jar: ``jar["name"]``, ``jar.set(name, value, domain=..., path=...)``,
    ``jar.get_dict()``; iteration yields ``http.cookiejar.Cookie`` objects."""

    def __init__(self, policy: Any = None) -> None:
        self._jar = _native.Jar()

    # What the client reads.
    @property
    def native(self) -> _native.Jar:
        return self._jar

    def _cookies(self) -> list[Cookie]:
        return [_to_cookie(t) for t in self._jar.cookies()]

    def get(self, name: str, default: Any = None, domain: str | None = None, path: str | None = None) -> Any:  # type: ignore[override]
        try:
            return self._find_no_duplicates(name, domain, path)
        except KeyError:
            return default

    def set(self, name: str, value: Any, **kwargs: Any) -> Cookie | None:
        """Set a cookie; a value of None removes cookies of that name (and domain and path)."""
        if value is None:
            self._jar.remove(name, kwargs.get("domain"), kwargs.get("path"))
            return None
        if isinstance(value, Cookie):
            self.set_cookie(value)
            return value
        cookie = create_cookie(name, str(value), **kwargs)
        self.set_cookie(cookie)
        return cookie

    def set_cookie(self, cookie: Cookie, *args: Any, **kwargs: Any) -> None:
        value = cookie.value
        if value is not None and value.startswith('"') and value.endswith('"'):
            value = value.replace('\\"', "")
        self._jar.set(
            cookie.name,
            "" if value is None else value,
            cookie.domain,
            cookie.path or "/",
            bool(cookie.secure),
            cookie.expires,
            bool(cookie.domain_specified),
            cookie.has_nonstandard_attr("HttpOnly"),
        )

    def iterkeys(self) -> Iterator[str]:
        for cookie in self._cookies():
            yield cookie.name

    def keys(self) -> list[str]:  # type: ignore[override]
        return list(self.iterkeys())

    def itervalues(self) -> Iterator[str]:
        for cookie in self._cookies():
            yield cookie.value or ""

    def values(self) -> list[str]:  # type: ignore[override]
        return list(self.itervalues())

    def iteritems(self) -> Iterator[tuple[str, str]]:
        for cookie in self._cookies():
            yield cookie.name, cookie.value or ""

    def items(self) -> list[tuple[str, str]]:  # type: ignore[override]
        return list(self.iteritems())

    def list_domains(self) -> list[str]:
        domains: list[str] = []
        for cookie in self._cookies():
            if cookie.domain not in domains:
                domains.append(cookie.domain)
        return domains

    def list_paths(self) -> list[str]:
        paths: list[str] = []
        for cookie in self._cookies():
            if cookie.path not in paths:
                paths.append(cookie.path)
        return paths

    def multiple_domains(self) -> bool:
        domains = [c.domain for c in self._cookies()]
        return len(set(domains)) != len(domains)

    def get_dict(self, domain: str | None = None, path: str | None = None) -> dict[str, str]:
        return {
            c.name: c.value or ""
            for c in self._cookies()
            if (domain is None or c.domain == domain) and (path is None or c.path == path)
        }

    def __contains__(self, name: object) -> bool:
        return any(c.name == name for c in self._cookies())

    def __getitem__(self, name: str) -> str:
        return self._find_no_duplicates(name)

    def __setitem__(self, name: str, value: Any) -> None:
        self.set(name, value)

    def __delitem__(self, name: str) -> None:
        self._jar.remove(name)

    def __iter__(self) -> Iterator[Cookie]:  # type: ignore[override]
        return iter(self._cookies())

    def __len__(self) -> int:
        return len(self._jar)

    def __repr__(self) -> str:
        return "<RequestsCookieJar[%s]>" % ", ".join(
            f"<Cookie {c.name}={c.value} for {c.domain}{c.path}>" for c in self._cookies()
        )

    def update(self, other: Any = (), /, **kwargs: Any) -> None:  # type: ignore[override]
        if isinstance(other, RequestsCookieJar) or _is_cookiejar(other):
            for cookie in other:
                self.set_cookie(cookie)
        elif isinstance(other, Mapping):
            for name, value in other.items():
                self.set(name, value)
        else:
            for name, value in other:
                self.set(name, value)
        for name, value in kwargs.items():
            self.set(name, value)

    def copy(self) -> RequestsCookieJar:
        new = RequestsCookieJar()
        new.update(self)
        return new

    def clear(self, domain: str | None = None, path: str | None = None, name: str | None = None) -> None:  # type: ignore[override]
        self._jar.clear(domain, path, name)

    def clear_session_cookies(self) -> None:
        for cookie in self._cookies():
            if cookie.discard:
                self._jar.remove(cookie.name, cookie.domain, cookie.path)

    def clear_expired_cookies(self) -> None:
        now = time.time()
        for cookie in self._cookies():
            if cookie.expires is not None and cookie.expires <= now:
                self._jar.remove(cookie.name, cookie.domain, cookie.path)

    def _find(self, name: str, domain: str | None = None, path: str | None = None) -> str:
        for c in self._cookies():
            if c.name == name and (domain is None or c.domain == domain) and (path is None or c.path == path):
                return c.value or ""
        raise KeyError(f"name={name!r}, domain={domain!r}, path={path!r}")

    def _find_no_duplicates(self, name: str, domain: str | None = None, path: str | None = None) -> str:
        found = None
        for c in self._cookies():
            if c.name == name and (domain is None or c.domain == domain) and (path is None or c.path == path):
                if found is not None:
                    raise CookieConflictError(f"There are multiple cookies with name, {name!r}")
                found = c.value or ""
        if found is None:
            raise KeyError(f"name={name!r}, domain={domain!r}, path={path!r}")
        return found

    def __getstate__(self) -> dict[str, Any]:
        return {"cookies": self._jar.cookies()}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self._jar = _native.Jar()
        for t in state["cookies"]:
            self._jar.set(*t)


def _is_cookiejar(obj: Any) -> bool:
    from http.cookiejar import CookieJar

    return isinstance(obj, CookieJar)


def cookiejar_from_dict(cookie_dict: Mapping[str, str] | None, cookiejar: Any = None, overwrite: bool = True) -> Any:
    """A jar holding the cookies of a dict."""
    if cookiejar is None:
        cookiejar = RequestsCookieJar()
    if cookie_dict is not None:
        names = [c.name for c in cookiejar]
        for name in cookie_dict:
            if overwrite or name not in names:
                cookiejar.set_cookie(create_cookie(name, cookie_dict[name]))
    return cookiejar


def merge_cookies(cookiejar: Any, cookies: Any) -> Any:
    """Add cookies (a dict or a jar) to a jar."""
    if isinstance(cookies, dict):
        return cookiejar_from_dict(cookies, cookiejar=cookiejar, overwrite=False)
    for cookie in cookies:
        cookiejar.set_cookie(cookie)
    return cookiejar

