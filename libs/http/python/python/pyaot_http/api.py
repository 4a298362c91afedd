"""The module-level functions: ``request``, ``get``, ``post``, ...

Each call is a fresh session (its own cookies, as in requests) on one shared set of connection
pools, so repeated calls to the same host reuse connections.
"""

from __future__ import annotations

from typing import Any

from . import sessions
from .models import Response

__all__ = ["delete", "get", "head", "options", "patch", "post", "put", "request"]


def request(method: str, url: str, **kwargs: Any) -> Response:
    session = sessions.Session()
    session._client = sessions._shared_client()
    return session.request(method=method, url=url, **kwargs)


def get(url: str, params: Any = None, **kwargs: Any) -> Response:
    return request("get", url, params=params, **kwargs)


def options(url: str, **kwargs: Any) -> Response:
    return request("options", url, **kwargs)


def head(url: str, **kwargs: Any) -> Response:
    kwargs.setdefault("allow_redirects", False)
    return request("head", url, **kwargs)


def post(url: str, data: Any = None, json: Any = None, **kwargs: Any) -> Response:
    return request("post", url, data=data, json=json, **kwargs)


def put(url: str, data: Any = None, **kwargs: Any) -> Response:
    return request("put", url, data=data, **kwargs)


def patch(url: str, data: Any = None, **kwargs: Any) -> Response:
    return request("patch", url, data=data, **kwargs)


def delete(url: str, **kwargs: Any) -> Response:
    return request("delete", url, **kwargs)
