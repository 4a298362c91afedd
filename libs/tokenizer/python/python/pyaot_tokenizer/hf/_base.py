"""The shared machinery of the component classes: each component is its ``tokenizer.json``
object, which the native side reads. Bad options fail when the object is made."""

from __future__ import annotations

import json
from typing import Any, ClassVar

from .. import _native


class Regex:
    """A regex pattern for ``Replace`` and ``Split`` (HuggingFace's ``tokenizers.Regex``)."""

    def __init__(self, pattern: str) -> None:
        if not isinstance(pattern, str):
            raise TypeError("argument 'pattern': expected str")
        _native.hf_check("regex", json.dumps(pattern))
        self.pattern = pattern

    def __repr__(self) -> str:
        return f"Regex({self.pattern!r})"


def pattern_json(pattern: Any) -> dict[str, str]:
    if isinstance(pattern, Regex):
        return {"Regex": pattern.pattern}
    if isinstance(pattern, str):
        return {"String": pattern}
    raise TypeError("pattern must be a str or a Regex")


def pattern_from_json(value: dict[str, str]) -> Any:
    if "Regex" in value:
        return Regex(value["Regex"])
    return value["String"]


class Component:
    """A pipeline component: its fields, in ``tokenizer.json`` order."""

    _kind: ClassVar[str] = ""
    _type: ClassVar[str] = ""
    _registry: ClassVar[dict[str, type[Component]]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls._type:
            cls._registry[cls._type] = cls

    def _fields(self) -> dict[str, Any]:
        return {}

    def _json(self) -> dict[str, Any]:
        return {"type": self._type, **self._fields()}

    def _json_str(self) -> str:
        return json.dumps(self._json(), ensure_ascii=False)

    def _check(self) -> None:
        _native.hf_check(self._kind, self._json_str())

    @classmethod
    def _from_json(cls, value: dict[str, Any]) -> Component:
        kind = value.get("type")
        klass = cls._registry.get(kind)  # type: ignore[arg-type]
        if klass is None:
            raise Exception(f"unsupported {cls._kind} type `{kind}`")
        obj = klass.__new__(klass)
        obj._load(value)
        return obj

    def _load(self, value: dict[str, Any]) -> None:
        for key, item in value.items():
            if key != "type":
                setattr(self, key, item)

    def __getstate__(self) -> str:
        return self._json_str()

    def __setstate__(self, state: str) -> None:
        self._load(json.loads(state))

    def __reduce__(self) -> Any:
        return (_rebuild, (type(self)._registry_name(), self._json_str()))

    @classmethod
    def _registry_name(cls) -> str:
        return cls._kind

    def __repr__(self) -> str:
        fields = ", ".join(f"{k}={v!r}" for k, v in self._fields().items())
        return f"{type(self).__name__}({fields})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Component) and self._json() == other._json()

    __hash__ = None  # type: ignore[assignment]


class ReplaceFields(Component):
    """``pattern`` and ``content``: ``normalizers.Replace`` and ``decoders.Replace``."""

    def __init__(self, pattern: Any, content: str) -> None:
        self.pattern = pattern
        self.content = content
        self._check()

    def _fields(self) -> dict[str, Any]:
        return {"pattern": pattern_json(self.pattern), "content": self.content}

    def _load(self, value: dict[str, Any]) -> None:
        self.pattern = pattern_from_json(value["pattern"])
        self.content = value["content"]


class ByteLevelFields(Component):
    """The options of the three ``ByteLevel`` components (pre-tokenizer, processor, decoder)."""

    def __init__(self, add_prefix_space: bool = True, trim_offsets: bool = True, use_regex: bool = True) -> None:
        self.add_prefix_space = bool(add_prefix_space)
        self.trim_offsets = bool(trim_offsets)
        self.use_regex = bool(use_regex)

    def _fields(self) -> dict[str, Any]:
        return {"add_prefix_space": self.add_prefix_space, "trim_offsets": self.trim_offsets, "use_regex": self.use_regex}


class SequenceFields(Component):
    """A list of components of the same kind, under the key ``_items`` names."""

    _items: ClassVar[str] = ""

    def __init__(self, items: list[Any]) -> None:
        base = _KINDS[self._kind]  # the kind's base class (Normalizer, Decoder...)
        for item in items:
            if not isinstance(item, base):
                raise TypeError(f"Sequence takes a list of {base.__name__} objects")
        setattr(self, self._items, self._flatten(list(items)))

    def _flatten(self, items: list[Any]) -> list[Any]:
        return items

    def _fields(self) -> dict[str, Any]:
        return {self._items: [item._json() for item in getattr(self, self._items)]}

    def _load(self, value: dict[str, Any]) -> None:
        base = _KINDS[self._kind]
        setattr(self, self._items, [base._from_json(v) for v in value[self._items]])

    def __getitem__(self, index: int) -> Any:
        return getattr(self, self._items)[index]

    def __len__(self) -> int:
        return len(getattr(self, self._items))


_KINDS: dict[str, type[Component]] = {}


def register_kind(cls: type[Component]) -> type[Component]:
    _KINDS[cls._kind] = cls
    return cls


def _rebuild(kind: str, state: str) -> Component:
    return _KINDS[kind]._from_json(json.loads(state))


def from_json_or_none(base: type[Component], text: str | None) -> Component | None:
    return None if text is None else base._from_json(json.loads(text))
