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
