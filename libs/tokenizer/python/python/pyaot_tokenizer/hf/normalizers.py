"""Normalizers, as ``tokenizers.normalizers``."""

from __future__ import annotations

from typing import Any, ClassVar

from .. import _native
from ._base import Component, ReplaceFields, SequenceFields, register_kind

__all__ = [
    "BertNormalizer", "Lowercase", "NFC", "NFD", "NFKC", "NFKD", "Normalizer", "Prepend", "Replace", "Sequence",
    "Strip", "StripAccents", "Uppercase",
]


@register_kind
class Normalizer(Component):
    """Base class of the normalizers."""

    _kind = "normalizer"
    _registry: ClassVar[dict[str, type[Component]]] = {}

    def normalize_str(self, sequence: str) -> str:
        """The normalized form of ``sequence``."""
        return _native.hf_normalize_str(self._json_str(), sequence)


class _Unit(Normalizer):
    def __init__(self) -> None:
        pass


class Lowercase(_Unit):
    _type = "Lowercase"


class Uppercase(_Unit):
    """Unicode upper case (HuggingFace's Python API has none; its ``NormalizedString.uppercase``)."""

    _type = "Uppercase"


class StripAccents(_Unit):
    _type = "StripAccents"


class NFC(_Unit):
    _type = "NFC"


class NFD(_Unit):
    _type = "NFD"


class NFKC(_Unit):
    _type = "NFKC"


class NFKD(_Unit):
    _type = "NFKD"


class Replace(ReplaceFields, Normalizer):
    _type = "Replace"


class Strip(Normalizer):
    _type = "Strip"

    def __init__(self, left: bool = True, right: bool = True) -> None:
        self.left = bool(left)
        self.right = bool(right)

    def _fields(self) -> dict[str, Any]:
        return {"strip_left": self.left, "strip_right": self.right}

    def _load(self, value: dict[str, Any]) -> None:
        self.left = value.get("strip_left", True)
        self.right = value.get("strip_right", True)


class Prepend(Normalizer):
    _type = "Prepend"

    def __init__(self, prepend: str) -> None:
        if not isinstance(prepend, str):
            raise TypeError("argument 'prepend': expected str")
        self.prepend = prepend

    def _fields(self) -> dict[str, Any]:
        return {"prepend": self.prepend}


class BertNormalizer(Normalizer):
    _type = "BertNormalizer"

    def __init__(
        self,
        clean_text: bool = True,
        handle_chinese_chars: bool = True,
        strip_accents: bool | None = None,
        lowercase: bool = True,
    ) -> None:
        self.clean_text = bool(clean_text)
        self.handle_chinese_chars = bool(handle_chinese_chars)
        self.strip_accents = None if strip_accents is None else bool(strip_accents)
        self.lowercase = bool(lowercase)

    def _fields(self) -> dict[str, Any]:
        return {
            "clean_text": self.clean_text,
            "handle_chinese_chars": self.handle_chinese_chars,
            "strip_accents": self.strip_accents,
            "lowercase": self.lowercase,
        }


class Sequence(SequenceFields, Normalizer):
    _type = "Sequence"
    _items = "normalizers"
    normalizers: list[Normalizer]

    def _flatten(self, items: list[Any]) -> list[Any]:
        # HuggingFace flattens nested sequences.
        return [n for item in items for n in (item.normalizers if isinstance(item, Sequence) else [item])]
