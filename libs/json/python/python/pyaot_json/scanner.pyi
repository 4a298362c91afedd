# Type stubs for pyaot_json: adapted from typeshed's stubs for the stdlib json package
# (Apache-2.0), since the API is the same. Checked against the module by mypy.stubtest.
from ._native import make_scanner as make_scanner
from re import Pattern
from typing import Final

__all__ = ["make_scanner"]

NUMBER_RE: Final[Pattern[str]]  # undocumented
