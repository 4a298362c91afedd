"""Which regular-expression module the tests exercise.

The tests compare a module under test against the standard library's ``re`` (the reference).
The module under test is named by the ``PYAOT_RE_UNDER_TEST`` environment variable, default
``pyaot_re``; with ``PYAOT_RE_UNDER_TEST=re`` the stdlib is compared with itself, which is how the
tests themselves are validated: every test must pass that way (the tests of pyaot_re's own
additions, marked ``requires_pyaot_re``, are skipped).
"""

from __future__ import annotations

import importlib
import os
import re as reference

import pytest

__all__ = [
    "ENV_VAR",
    "IS_REFERENCE",
    "UNDER_TEST_NAME",
    "re_under_test",
    "reference",
    "requires_pyaot_re",
]

ENV_VAR = "PYAOT_RE_UNDER_TEST"
UNDER_TEST_NAME = os.environ.get(ENV_VAR) or "pyaot_re"

re_under_test = importlib.import_module(UNDER_TEST_NAME)

# True when the module under test is the stdlib itself (the tests are being validated).
IS_REFERENCE = re_under_test is reference

# For tests of what pyaot_re promises beyond `re` (linear-time matching, a backtracking step
# limit): the stdlib does not make those promises, so they only run against pyaot_re.
requires_pyaot_re = pytest.mark.skipif(
    IS_REFERENCE, reason=f"tests a pyaot_re guarantee that the stdlib re does not make ({ENV_VAR}=re)"
)
