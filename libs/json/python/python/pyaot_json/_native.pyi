# Type stubs for pyaot_json._native, the Rust accelerator (the counterpart of CPython's _json).
from collections.abc import Callable
from typing import Any, final

from typing_extensions import Self

@final
class make_encoder:
    @property
    def sort_keys(self) -> bool: ...
    @property
    def skipkeys(self) -> bool: ...
    @property
    def key_separator(self) -> str: ...
    @property
    def indent(self) -> Any: ...
    @property
    def markers(self) -> dict[int, Any] | None: ...
    @property
    def default(self) -> Callable[[Any], Any]: ...
    @property
    def encoder(self) -> Callable[[str], str]: ...
    @property
    def item_separator(self) -> str: ...
    def __new__(
        cls,
        markers: dict[int, Any] | None,
        default: Callable[[Any], Any],
        encoder: Callable[[str], str],
        indent: str | int | None,
        key_separator: str,
        item_separator: str,
        sort_keys: bool,
        skipkeys: bool,
        allow_nan: bool,
    ) -> Self: ...
    def __call__(self, obj: object, _current_indent_level: int) -> tuple[str]: ...

@final
class make_scanner:
    @property
    def object_hook(self) -> Any: ...
    @property
    def object_pairs_hook(self) -> Any: ...
    @property
    def parse_int(self) -> Any: ...
    @property
    def parse_constant(self) -> Any: ...
    @property
    def parse_float(self) -> Any: ...
    @property
    def strict(self) -> bool: ...
    def __new__(cls, context: Any) -> Self: ...
    def __call__(self, string: str, idx: int) -> tuple[Any, int]: ...

@final
class _Loads:
    def __call__(self, s: str | bytes | bytearray) -> Any: ...

@final
class _Dumps:
    def __call__(
        self,
        obj: Any,
        skipkeys: bool,
        ensure_ascii: bool,
        check_circular: bool,
        allow_nan: bool,
        sort_keys: bool,
        indent: str | None,
        item_separator: str,
        key_separator: str,
        default: Callable[[Any], Any] | None,
    ) -> str: ...

__all__ = [
    "dumps",
    "encode_basestring",
    "encode_basestring_ascii",
    "loads",
    "make_encoder",
    "make_scanner",
    "scanstring",
]

loads: _Loads
dumps: _Dumps

def encode_basestring(s: str, /) -> str: ...
def encode_basestring_ascii(s: str, /) -> str: ...
def scanstring(string: str, end: int, strict: bool = True) -> tuple[str, int]: ...
