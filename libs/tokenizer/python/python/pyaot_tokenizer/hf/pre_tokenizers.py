"""Pre-tokenizers, as ``tokenizers.pre_tokenizers``."""

from __future__ import annotations

from typing import Any, ClassVar

from .. import _native
from ._base import ByteLevelFields, Component, SequenceFields, pattern_from_json, pattern_json, register_kind

__all__ = [
    "BertPreTokenizer", "ByteLevel", "CharDelimiterSplit", "Digits", "Metaspace", "PreTokenizer", "Punctuation",
    "Sequence", "Split", "Whitespace", "WhitespaceSplit",
]

_BEHAVIORS = {
    "removed": "Removed",
    "isolated": "Isolated",
    "merged_with_previous": "MergedWithPrevious",
    "merged_with_next": "MergedWithNext",
    "contiguous": "Contiguous",
}
_BEHAVIOR_NAMES = {v: k for k, v in _BEHAVIORS.items()}


def _behavior(name: str) -> str:
    try:
        return _BEHAVIORS[name]
    except (KeyError, TypeError):
        raise ValueError(
            f"Wrong value for SplitDelimiterBehavior, expected one of: "
            f"`removed, isolated, merged_with_previous, merged_with_next, contiguous`"
        ) from None


@register_kind
class PreTokenizer(Component):
    """Base class of the pre-tokenizers."""

    _kind = "pre_tokenizer"
    _registry: ClassVar[dict[str, type[Component]]] = {}

    def pre_tokenize_str(self, sequence: str) -> list[tuple[str, tuple[int, int]]]:
        """The pieces of ``sequence`` with their character offsets."""
        return _native.hf_pre_tokenize_str(self._json_str(), sequence)


class Whitespace(PreTokenizer):
    _type = "Whitespace"

    def __init__(self) -> None:
        pass


class WhitespaceSplit(PreTokenizer):
    _type = "WhitespaceSplit"

    def __init__(self) -> None:
        pass


class BertPreTokenizer(PreTokenizer):
    _type = "BertPreTokenizer"

    def __init__(self) -> None:
        pass


class ByteLevel(ByteLevelFields, PreTokenizer):
    _type = "ByteLevel"

    def __init__(self, add_prefix_space: bool = True, use_regex: bool = True, trim_offsets: bool = True) -> None:
        super().__init__(add_prefix_space, trim_offsets, use_regex)

    @staticmethod
    def alphabet() -> list[str]:
        """The 256 characters standing for bytes."""
        return [chr(c) for c in _BYTE_CHARS]


def _byte_chars() -> list[int]:
    printable = [*range(0x21, 0x7F), *range(0xA1, 0xAD), *range(0xAE, 0x100)]
    chars, extra = [], 0
    for b in range(256):
        if b in printable:
            chars.append(b)
        else:
            chars.append(0x100 + extra)
            extra += 1
    return chars


_BYTE_CHARS = _byte_chars()


class Punctuation(PreTokenizer):
    _type = "Punctuation"

    def __init__(self, behavior: str = "isolated") -> None:
        self.behavior = behavior
        self._behavior = _behavior(behavior)

    def _fields(self) -> dict[str, Any]:
        return {"behavior": self._behavior}

    def _load(self, value: dict[str, Any]) -> None:
        self._behavior = value.get("behavior", "Isolated")
        self.behavior = _BEHAVIOR_NAMES.get(self._behavior, self._behavior)


class Digits(PreTokenizer):
    _type = "Digits"

    def __init__(self, individual_digits: bool = False) -> None:
        self.individual_digits = bool(individual_digits)

    def _fields(self) -> dict[str, Any]:
        return {"individual_digits": self.individual_digits}


def _one_char(value: Any, name: str) -> str:
    if not isinstance(value, str) or len(value) != 1:
        raise ValueError(f"expected a string of length 1 for `{name}`")
    return value


class Metaspace(PreTokenizer):
    _type = "Metaspace"

    def __init__(self, replacement: str = "▁", prepend_scheme: str = "always", split: bool = True) -> None:
        self.replacement = _one_char(replacement, "replacement")
        if prepend_scheme not in ("always", "never", "first"):
            raise ValueError(f"{prepend_scheme} is an unknown variant, should be one of ['first', 'never', 'always']")
        self.prepend_scheme = prepend_scheme
        self.split = bool(split)

    def _fields(self) -> dict[str, Any]:
        return {"replacement": self.replacement, "prepend_scheme": self.prepend_scheme, "split": self.split}


class Split(PreTokenizer):
    _type = "Split"

    def __init__(self, pattern: Any, behavior: str, invert: bool = False) -> None:
        self.pattern = pattern
        self.behavior = behavior
        self._behavior = _behavior(behavior)
        self.invert = bool(invert)
        self._check()

    def _fields(self) -> dict[str, Any]:
        return {"pattern": pattern_json(self.pattern), "behavior": self._behavior, "invert": self.invert}

    def _load(self, value: dict[str, Any]) -> None:
        self.pattern = pattern_from_json(value["pattern"])
        self._behavior = value["behavior"]
        self.behavior = _BEHAVIOR_NAMES.get(self._behavior, self._behavior)
        self.invert = value.get("invert", False)


class CharDelimiterSplit(PreTokenizer):
    _type = "CharDelimiterSplit"

    def __init__(self, delimiter: str) -> None:
        self.delimiter = _one_char(delimiter, "delimiter")

    def _fields(self) -> dict[str, Any]:
        return {"delimiter": self.delimiter}


class Sequence(SequenceFields, PreTokenizer):
    _type = "Sequence"
    _items = "pretokenizers"
