"""The built-in encodings by name (tiktoken's ``tiktoken.registry``).

Unlike tiktoken, nothing is downloaded: the rank files are bundled in the native module, and a
built-in encoding is built natively without making Python objects for its ranks.
"""

from __future__ import annotations

import _thread

from . import _native
from .core import Encoding

_lock = _thread.RLock()
ENCODINGS: dict[str, Encoding] = {}
"""Encodings built so far, by name."""


def get_encoding(encoding_name: str) -> Encoding:
    """The built-in encoding ``encoding_name``, built once per process."""
    if not isinstance(encoding_name, str):
        raise ValueError(f"Expected a string in get_encoding, got {type(encoding_name)}")
    encoding = ENCODINGS.get(encoding_name)
    if encoding is not None:
        return encoding
    with _lock:
        encoding = ENCODINGS.get(encoding_name)
        if encoding is not None:
            return encoding
        if encoding_name not in _native.CoreBPE.builtin_names():
            raise ValueError(
                f"Unknown encoding {encoding_name}.\n"
                f"Known encodings: {list_encoding_names()}\n"
                "pyaot_tokenizer bundles the encodings of tiktoken 0.14"
            )
        encoding = Encoding._builtin(encoding_name)
        ENCODINGS[encoding_name] = encoding
        return encoding


def list_encoding_names() -> list[str]:
    """The names of the built-in encodings."""
    return list(_native.CoreBPE.builtin_names())
