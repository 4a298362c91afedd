"""Find pyaot's shared test and benchmark data: the Python twin of the `pyaot-testdata` crate.

Rules, in order (the same as `libs/testdata/src/lib.rs`):

1. the ``PYAOT_DATA`` environment variable, when set and not empty; an override naming a
   missing directory is an error, never a silent fall back;
2. otherwise ``../shared/data`` relative to the workspace root.

A missing directory raises :class:`DataDirError`, whose message names both places.
The repository's root ``conftest.py`` exposes :func:`data_dir` to every pytest suite as the
``pyaot_data`` fixture.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["ENV_VAR", "FALLBACK", "DataDirError", "data_dir", "data_path", "locate", "workspace_root"]

ENV_VAR = "PYAOT_DATA"
FALLBACK = "../shared/data"


class DataDirError(FileNotFoundError):
    """The data directory, or a path inside it, does not exist."""


def workspace_root() -> Path:
    """The workspace root: this file lives at ``<root>/libs/testdata/pyaot_testdata.py``."""
    return Path(__file__).resolve().parents[2]


def locate(env_value: str | None, root: Path) -> Path:
    """The rules of :func:`data_dir` with their inputs explicit, for testing."""
    fallback = root / FALLBACK
    if env_value:
        chosen = Path(env_value)
        if chosen.is_dir():
            return chosen
        raise DataDirError(
            f"test data directory not found: {ENV_VAR} is set to {chosen}, which is not a "
            f"directory (the fallback {fallback} is not used while {ENV_VAR} is set)"
        )
    if fallback.is_dir():
        return fallback
    raise DataDirError(
        f"test data directory not found: {ENV_VAR} is not set and the fallback {fallback} is "
        f"not a directory; set {ENV_VAR} to the data directory (see ../shared/data/README.md)"
    )


def data_dir() -> Path:
    """The data directory, from ``PYAOT_DATA`` or the fallback beside the workspace."""
    return locate(os.environ.get(ENV_VAR), workspace_root())


def data_path(relative: str | os.PathLike[str]) -> Path:
    """A file or directory inside the data directory, e.g. ``data_path("json/docs/twitter.json")``."""
    directory = data_dir()
    full = directory / relative
    if not full.exists():
        raise DataDirError(f"{relative} not found in the test data directory {directory}")
    return full
