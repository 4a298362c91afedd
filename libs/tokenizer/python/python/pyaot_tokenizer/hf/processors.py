"""Post-processors, as ``tokenizers.processors``."""

from __future__ import annotations

import json
from typing import Any, ClassVar

from .. import _native
from ._base import ByteLevelFields, Component, SequenceFields, register_kind

__all__ = ["BertProcessing", "ByteLevel", "PostProcessor", "RobertaProcessing", "Sequence", "TemplateProcessing"]


@register_kind
class PostProcessor(Component):
    """Base class of the post-processors."""

    _kind = "post_processor"
    _registry: ClassVar[dict[str, type[Component]]] = {}

    def num_special_tokens_to_add(self, is_pair: bool) -> int:
        """How many tokens this processor adds to one sequence or a pair."""
        from . import Tokenizer, models

        tokenizer = Tokenizer(models.BPE())
        tokenizer.post_processor = self
        return tokenizer.num_special_tokens_to_add(is_pair)


def _token_id(value: Any, name: str) -> list[Any]:
    if not (isinstance(value, (tuple, list)) and len(value) == 2):
        raise TypeError(f"`{name}` must be a (str, int) tuple")
    token, id_ = value
    if isinstance(token, int) and isinstance(id_, str):
        token, id_ = id_, token
    if not isinstance(token, str) or not isinstance(id_, int):
        raise TypeError(f"`{name}` must be a (str, int) tuple")
    return [token, id_]


class BertProcessing(PostProcessor):
    _type = "BertProcessing"

    def __init__(self, sep: tuple[str, int], cls: tuple[str, int]) -> None:
        self.sep = tuple(_token_id(sep, "sep"))
        self.cls = tuple(_token_id(cls, "cls"))

    def _fields(self) -> dict[str, Any]:
        return {"sep": list(self.sep), "cls": list(self.cls)}

    def _load(self, value: dict[str, Any]) -> None:
        self.sep = tuple(value["sep"])
        self.cls = tuple(value["cls"])


class RobertaProcessing(PostProcessor):
    _type = "RobertaProcessing"

    def __init__(self, sep: tuple[str, int], cls: tuple[str, int], trim_offsets: bool = True, add_prefix_space: bool = True) -> None:
        self.sep = tuple(_token_id(sep, "sep"))
        self.cls = tuple(_token_id(cls, "cls"))
        self.trim_offsets = bool(trim_offsets)
        self.add_prefix_space = bool(add_prefix_space)

    def _fields(self) -> dict[str, Any]:
        return {"sep": list(self.sep), "cls": list(self.cls), "trim_offsets": self.trim_offsets, "add_prefix_space": self.add_prefix_space}

    def _load(self, value: dict[str, Any]) -> None:
        self.sep = tuple(value["sep"])
        self.cls = tuple(value["cls"])
        self.trim_offsets = value.get("trim_offsets", True)
        self.add_prefix_space = value.get("add_prefix_space", True)


class ByteLevel(ByteLevelFields, PostProcessor):
    _type = "ByteLevel"


def _pieces(template: Any, name: str) -> list[str] | None:
    if template is None:
        return None
    if isinstance(template, str):
        return template.split()
    if isinstance(template, (list, tuple)) and all(isinstance(p, str) for p in template):
        return list(template)
    raise TypeError(f"`{name}` must be a str or a list of str")


def _special(token: Any) -> tuple[str, list[int], list[str]]:
    if isinstance(token, (tuple, list)) and len(token) == 2:
        content, id_ = token
        if isinstance(content, int) and isinstance(id_, str):
            content, id_ = id_, content
        if isinstance(content, str) and isinstance(id_, int):
            return content, [id_], [content]
    if isinstance(token, dict):
        id_ = token.get("id")
        ids, tokens = token.get("ids"), token.get("tokens")
        if isinstance(id_, str) and isinstance(ids, list) and isinstance(tokens, list):
            if len(ids) != len(tokens):
                raise ValueError("SpecialToken: ids and tokens must be of the same length")
            return id_, list(ids), list(tokens)
    raise TypeError("special tokens must be (str, int) tuples or dicts with `id`, `ids` and `tokens`")


class TemplateProcessing(PostProcessor):
    _type = "TemplateProcessing"

    def __init__(self, single: Any = None, pair: Any = None, special_tokens: Any = None) -> None:
        specials = [_special(t) for t in (special_tokens or [])]
        single_pieces = _pieces(single, "single") or ["$0"]
        text = _native.hf_template(single_pieces, _pieces(pair, "pair"), specials)
        self._value = json.loads(text)

    def _fields(self) -> dict[str, Any]:
        return {k: v for k, v in self._value.items() if k != "type"}

    def _load(self, value: dict[str, Any]) -> None:
        self._value = dict(value)

    @property
    def single(self) -> Any:
        return self._value["single"]

    @property
    def pair(self) -> Any:
        return self._value["pair"]

    @property
    def special_tokens(self) -> Any:
        return self._value["special_tokens"]


class Sequence(SequenceFields, PostProcessor):
    _type = "Sequence"
    _items = "processors"
