"""Normalizers, as ``tokenizers.normalizers``."""

from __future__ import annotations

from typing import Any, ClassVar

from .. import _native
from ._base import Component, pattern_from_json, pattern_json, register_kind

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


class Replace(Normalizer):
    _type = "Replace"

    def __init__(self, pattern: Any, content: str) -> None:
        self.pattern = pattern
        self.content = content
        self._check()

    def _fields(self) -> dict[str, Any]:
        return {"pattern": pattern_json(self.pattern), "content": self.content}

    def _load(self, value: dict[str, Any]) -> None:
        self.pattern = pattern_from_json(value["pattern"])
        self.content = value["content"]


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


class Sequence(Normalizer):
    _type = "Sequence"
    normalizers: list[Normalizer]

    def __init__(self, normalizers: list[Normalizer]) -> None:
        flat: list[Normalizer] = []
        for n in normalizers:
            if not isinstance(n, Normalizer):
                raise TypeError("Sequence takes a list of normalizers")
            # HuggingFace flattens nested sequences.
            flat.extend(n.normalizers if isinstance(n, Sequence) else [n])
        self.normalizers = flat

    def _fields(self) -> dict[str, Any]:
        return {"normalizers": [n._json() for n in self.normalizers]}

    def _load(self, value: dict[str, Any]) -> None:
        self.normalizers = [Normalizer._from_json(v) for v in value["normalizers"]]  # type: ignore[misc]

    def __getitem__(self, index: int) -> Normalizer:
        return self.normalizers[index]

    def __len__(self) -> int:
        return len(self.normalizers)
