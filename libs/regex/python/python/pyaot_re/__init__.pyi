"""Types of pyaot_re, a drop-in for ``re``: the same signatures as typeshed's ``re``."""

import re as _std
from collections.abc import Callable, Iterator
from typing import Any, AnyStr, overload

from ._native import DEFAULT_STEP_LIMIT as DEFAULT_STEP_LIMIT
from ._native import BacktrackLimitError as BacktrackLimitError
from ._native import Match as Match
from ._native import Pattern as Pattern

__all__ = [
    "match", "fullmatch", "search", "sub", "subn", "split",
    "findall", "finditer", "compile", "purge", "template", "escape",
    "error", "Pattern", "Match", "A", "I", "L", "M", "S", "X", "U",
    "ASCII", "IGNORECASE", "LOCALE", "MULTILINE", "DOTALL", "VERBOSE",
    "UNICODE", "NOFLAG", "RegexFlag", "BacktrackLimitError",
]

__version__: str

# The standard library's own flag enum and exception class.
RegexFlag = _std.RegexFlag
error = _std.error

NOFLAG: RegexFlag
A: RegexFlag
ASCII: RegexFlag
I: RegexFlag
IGNORECASE: RegexFlag
L: RegexFlag
LOCALE: RegexFlag
U: RegexFlag
UNICODE: RegexFlag
M: RegexFlag
MULTILINE: RegexFlag
S: RegexFlag
DOTALL: RegexFlag
X: RegexFlag
VERBOSE: RegexFlag
T: RegexFlag
TEMPLATE: RegexFlag
DEBUG: RegexFlag

_FlagsType = int | RegexFlag
_Repl = AnyStr | Callable[[Match[AnyStr]], AnyStr]

@overload
def compile(pattern: AnyStr, flags: _FlagsType = 0) -> Pattern[AnyStr]: ...
@overload
def compile(pattern: Pattern[AnyStr], flags: _FlagsType = 0) -> Pattern[AnyStr]: ...
def search(pattern: AnyStr | Pattern[AnyStr], string: AnyStr, flags: _FlagsType = 0) -> Match[AnyStr] | None: ...
def match(pattern: AnyStr | Pattern[AnyStr], string: AnyStr, flags: _FlagsType = 0) -> Match[AnyStr] | None: ...
def fullmatch(pattern: AnyStr | Pattern[AnyStr], string: AnyStr, flags: _FlagsType = 0) -> Match[AnyStr] | None: ...
def split(
    pattern: AnyStr | Pattern[AnyStr], string: AnyStr, maxsplit: int = 0, flags: _FlagsType = 0
) -> list[AnyStr | Any]: ...
def findall(pattern: AnyStr | Pattern[AnyStr], string: AnyStr, flags: _FlagsType = 0) -> list[Any]: ...
def finditer(pattern: AnyStr | Pattern[AnyStr], string: AnyStr, flags: _FlagsType = 0) -> Iterator[Match[AnyStr]]: ...
def sub(
    pattern: AnyStr | Pattern[AnyStr], repl: _Repl[AnyStr], string: AnyStr, count: int = 0, flags: _FlagsType = 0
) -> AnyStr: ...
def subn(
    pattern: AnyStr | Pattern[AnyStr], repl: _Repl[AnyStr], string: AnyStr, count: int = 0, flags: _FlagsType = 0
) -> tuple[AnyStr, int]: ...
def escape(pattern: AnyStr) -> AnyStr: ...
def purge() -> None: ...
def template(pattern: AnyStr | Pattern[AnyStr], flags: _FlagsType = 0) -> Pattern[AnyStr]: ...

class Scanner:
    lexicon: list[tuple[Any, Any]]
    scanner: Pattern[Any]
    match: Match[Any]
    def __init__(self, lexicon: list[tuple[Any, Any]], flags: _FlagsType = 0) -> None: ...
    def scan(self, string: Any) -> tuple[list[Any], Any]: ...
