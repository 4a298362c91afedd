"""Transport adapters, as far as requests users configure them: retries and pool size.

``Session.mount(prefix, HTTPAdapter(max_retries=...))`` sets the retry policy for URLs under
``prefix``; the native client does the retrying (with urllib3's rules: connect errors for every
method, read errors and ``status_forcelist`` statuses for idempotent methods, exponential
backoff, ``Retry-After``).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

__all__ = ["DEFAULT_POOLSIZE", "DEFAULT_RETRIES", "BaseAdapter", "HTTPAdapter", "Retry"]

DEFAULT_POOLSIZE = 10
DEFAULT_RETRIES = 0
DEFAULT_ALLOWED_METHODS = frozenset({"DELETE", "GET", "HEAD", "OPTIONS", "PUT", "TRACE"})


class Retry:
    """urllib3's ``Retry`` settings that this client honours (urllib3's own ``Retry`` objects
    are accepted too)."""

    DEFAULT_ALLOWED_METHODS = DEFAULT_ALLOWED_METHODS
    DEFAULT_BACKOFF_MAX = 120.0

    def __init__(
        self,
        total: int | bool | None = 10,
        connect: int | None = None,
        read: int | bool | None = None,
        redirect: int | bool | None = None,
        status: int | None = None,
        other: int | None = None,
        allowed_methods: Collection[str] | None = DEFAULT_ALLOWED_METHODS,
        status_forcelist: Collection[int] | None = None,
        backoff_factor: float = 0,
        backoff_max: float = DEFAULT_BACKOFF_MAX,
        raise_on_redirect: bool = True,
        raise_on_status: bool = True,
        respect_retry_after_header: bool = True,
        **kwargs: Any,
    ) -> None:
        self.total = total
        self.connect = connect
        self.read = read
        self.redirect = redirect
        self.status = status
        self.other = other
        self.allowed_methods = allowed_methods
        self.status_forcelist = status_forcelist or set()
        self.backoff_factor = backoff_factor
        self.backoff_max = backoff_max
        self.raise_on_redirect = raise_on_redirect
        self.raise_on_status = raise_on_status
        self.respect_retry_after_header = respect_retry_after_header

    @classmethod
    def from_int(cls, retries: Any, redirect: bool = True, default: Any = None) -> Any:
        if retries is None:
            retries = default if default is not None else cls()
        if isinstance(retries, int) and not isinstance(retries, bool):
            return cls(retries, redirect=redirect)
        return retries

    def __repr__(self) -> str:
        return f"Retry(total={self.total}, connect={self.connect}, read={self.read}, status={self.status})"


def _retry_tuple(retry: Any) -> tuple[Any, ...] | None:
    """The native client's form of a Retry (urllib3's or ours), or None for no retries."""
    total = getattr(retry, "total", 0)
    if total is None or total is True:
        counts = [getattr(retry, k, None) for k in ("connect", "read", "status")]
        total = max([c for c in counts if isinstance(c, int) and not isinstance(c, bool)] or [0])
    if not total:
        return None
    methods = getattr(retry, "allowed_methods", DEFAULT_ALLOWED_METHODS)
    return (
        int(total),
        float(getattr(retry, "backoff_factor", 0) or 0),
        float(getattr(retry, "backoff_max", Retry.DEFAULT_BACKOFF_MAX) or Retry.DEFAULT_BACKOFF_MAX),
        sorted(int(s) for s in (getattr(retry, "status_forcelist", None) or ())),
        None if methods is None else sorted(m.upper() for m in methods),
        bool(getattr(retry, "respect_retry_after_header", True)),
        bool(getattr(retry, "raise_on_status", True)),
    )


class BaseAdapter:
    """The Base Transport Adapter."""

    def close(self) -> None:
        pass


class HTTPAdapter(BaseAdapter):
    """Holds the retry policy and pool size for URLs it is mounted on."""

    __attrs__ = ["max_retries", "config", "_pool_connections", "_pool_maxsize", "_pool_block"]

    def __init__(
        self,
        pool_connections: int = DEFAULT_POOLSIZE,
        pool_maxsize: int = DEFAULT_POOLSIZE,
        max_retries: Any = DEFAULT_RETRIES,
        pool_block: bool = False,
    ) -> None:
        if max_retries == DEFAULT_RETRIES:
            self.max_retries = Retry(0, read=False)
        else:
            self.max_retries = Retry.from_int(max_retries)
        self.config: dict[str, Any] = {}
        self._pool_connections = pool_connections
        self._pool_maxsize = pool_maxsize
        self._pool_block = pool_block
        self._retry = _retry_tuple(self.max_retries)

    def __setattr__(self, name: str, value: Any) -> None:
        super().__setattr__(name, value)
        if name == "max_retries":
            super().__setattr__("_retry", _retry_tuple(value))
