"""Decoders, as ``tokenizers.decoders``."""

from __future__ import annotations

from typing import Any, ClassVar

from .. import _native
from ._base import ByteLevelFields, Component, ReplaceFields, SequenceFields, register_kind

__all__ = ["BPEDecoder", "ByteFallback", "ByteLevel", "Decoder", "Fuse", "Metaspace", "Replace", "Sequence", "Strip", "WordPiece"]


@register_kind
class Decoder(Component):
    """Base class of the decoders."""

    _kind = "decoder"
    _registry: ClassVar[dict[str, type[Component]]] = {}

    def decode(self, tokens: list[str]) -> str:
        """The text of a list of token strings."""
        if isinstance(tokens, str) or not all(isinstance(t, str) for t in tokens):
            raise TypeError("decode takes a list of str")
        return _native.hf_decode(self._json_str(), list(tokens))


class WordPiece(Decoder):
    _type = "WordPiece"

    def __init__(self, prefix: str = "##", cleanup: bool = True) -> None:
        self.prefix = prefix
        self.cleanup = bool(cleanup)

    def _fields(self) -> dict[str, Any]:
        return {"prefix": self.prefix, "cleanup": self.cleanup}


class ByteLevel(ByteLevelFields, Decoder):
    _type = "ByteLevel"


class BPEDecoder(Decoder):
    _type = "BPEDecoder"

    def __init__(self, suffix: str = "</w>") -> None:
        self.suffix = suffix

    def _fields(self) -> dict[str, Any]:
        return {"suffix": self.suffix}


class Metaspace(Decoder):
    _type = "Metaspace"

    def __init__(self, replacement: str = "▁", prepend_scheme: str = "always", split: bool = True) -> None:
        if not isinstance(replacement, str) or len(replacement) != 1:
            raise ValueError("expected a string of length 1 for `replacement`")
        if prepend_scheme not in ("always", "never", "first"):
            raise ValueError(f"{prepend_scheme} is an unknown variant, should be one of ['first', 'never', 'always']")
        self.replacement = replacement
        self.prepend_scheme = prepend_scheme
        self.split = bool(split)

    def _fields(self) -> dict[str, Any]:
        return {"replacement": self.replacement, "prepend_scheme": self.prepend_scheme, "split": self.split}


class Replace(ReplaceFields, Decoder):
    _type = "Replace"


class Strip(Decoder):
    _type = "Strip"

    def __init__(self, content: str = " ", left: int = 0, right: int = 0) -> None:
        if not isinstance(content, str) or len(content) != 1:
            raise ValueError("expected a string of length 1 for `content`")
        self.content = content
        self.start = int(left)
        self.stop = int(right)

    def _fields(self) -> dict[str, Any]:
        return {"content": self.content, "start": self.start, "stop": self.stop}


class Fuse(Decoder):
    _type = "Fuse"

    def __init__(self) -> None:
        pass


class ByteFallback(Decoder):
    _type = "ByteFallback"

    def __init__(self) -> None:
        pass


class Sequence(SequenceFields, Decoder):
    _type = "Sequence"
    _items = "decoders"
