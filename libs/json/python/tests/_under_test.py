"""Which JSON module the tests exercise, and how to call it reproducibly.

The tests compare a module under test against the standard library's ``json`` (the reference).
The module under test is named by the ``PYAOT_JSON_UNDER_TEST`` environment variable, default
``pyaot_json``; with ``PYAOT_JSON_UNDER_TEST=json`` the stdlib is compared with itself, which is
how the tests themselves are validated: every test must pass that way.
"""

from __future__ import annotations

import importlib
import json as reference
import os
import sys
from typing import Any, Callable

__all__ = [
    "ENV_VAR",
    "IS_REFERENCE",
    "RECORDING_HEADROOM",
    "UNDER_TEST_NAME",
    "call_with_headroom",
    "json_under_test",
    "reference",
]

ENV_VAR = "PYAOT_JSON_UNDER_TEST"
UNDER_TEST_NAME = os.environ.get(ENV_VAR) or "pyaot_json"

json_under_test = importlib.import_module(UNDER_TEST_NAME)

# True when the module under test is the stdlib itself (the tests are being validated).
IS_REFERENCE = json_under_test is reference


def _nested_calls_left() -> int:
    """How many nested Python calls the caller could still make before a RecursionError."""
    count = 0

    def dive() -> None:
        nonlocal count
        count += 1
        dive()

    try:
        dive()
    except RecursionError:
        pass
    return count + 1  # dive's calls, plus this function's own frame


# With the default limit of 1000, a function called from a script's top level can make 998 more
# nested calls. That is where CPython's JSONTestSuite verdicts were recorded, and it matters:
# which nesting level of `[{"":[{"":...` hits the limit (an array or an object) depends on it.
RECORDING_HEADROOM = 998


def call_with_headroom(headroom: int, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Call ``fn(*args, **kwargs)`` with exactly ``headroom`` nested calls left before the
    recursion limit, whatever the depth of the caller (pytest's stack, hypothesis...).

    The message of a RecursionError raised while decoding nested JSON depends on the level at
    which the limit is hit; calling the reference and the module under test with the same
    headroom makes that level, and so the message, comparable and reproducible.
    """
    limit = sys.getrecursionlimit()
    used = limit - _nested_calls_left()
    sys.setrecursionlimit(used + headroom)
    try:
        return fn(*args, **kwargs)
    finally:
        sys.setrecursionlimit(limit)
