"""Shared pytest set-up for every Python suite in the repository.

It makes the data locator (`libs/testdata/pyaot_testdata.py`) importable and offers the data
directory as the ``pyaot_data`` fixture.
"""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "libs" / "testdata"))

import pyaot_testdata  # noqa: E402


@pytest.fixture(scope="session")
def pyaot_data() -> Path:
    """The shared test data directory (``PYAOT_DATA``, else ``../shared/data``)."""
    return pyaot_testdata.data_dir()


# Hypothesis: random exploration on every local run (that is how it finds new differences from
# CPython), but fixed, reproducible examples under CI, so that a landing is not decided by what
# one random draw happens to find. Failures found locally become explicit regression tests.
try:
    import os

    from hypothesis import settings

    settings.register_profile("ci", derandomize=True, print_blob=True)
    if os.environ.get("CI") == "true":
        settings.load_profile("ci")
except ImportError:  # hypothesis is only needed by suites that use it
    pass
