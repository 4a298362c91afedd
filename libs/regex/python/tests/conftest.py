"""The repository-wide pytest set-up, also when pytest's rootdir is ``libs/regex/python``.

Once ``libs/regex/python/pyproject.toml`` exists, pytest takes that folder as its rootdir and
stops looking for conftest files there, so the repository root's ``conftest.py`` (the hypothesis
profiles, the ``pyaot_data`` fixture) would not be loaded when these tests run. This file loads
it explicitly; when pytest did load it too, the two are the same set-up.
"""

import importlib.util
from pathlib import Path

_ROOT_CONFTEST = Path(__file__).resolve().parents[4] / "conftest.py"
_spec = importlib.util.spec_from_file_location("pyaot_root_conftest", _ROOT_CONFTEST)
_root = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_root)

pyaot_data = _root.pyaot_data

# `_under_test.py` matches pytest's default `*_test.py` pattern but holds no tests.
collect_ignore = ["_under_test.py"]
