"""Models, as ``tokenizers.models``: ``BPE`` and ``WordPiece``."""

from __future__ import annotations

import json
import os
from typing import Any

from .. import _native

__all__ = ["BPE", "Model", "WordPiece"]


class Token:
    """A token a model produced: ``id``, ``value`` and byte ``offsets`` in the piece."""

    def __init__(self, id: int, value: str, offsets: tuple[int, int]) -> None:  # noqa: A002 - HF's name
        self.id = id
        self.value = value
        self.offsets = offsets

    def as_tuple(self) -> tuple[int, str, tuple[int, int]]:
        return (self.id, self.value, self.offsets)

    def __repr__(self) -> str:
        return f"Token(id={self.id}, value={self.value!r}, offsets={self.offsets})"


class Model:
    """Base class of the models. The native model is shared with the tokenizers using it."""

    _native: Any

    @classmethod
    def _wrap(cls, native: Any) -> Model:
        klass: type[Model] = {"BPE": BPE, "WordPiece": WordPiece}[native.type_name()]
        obj = klass.__new__(klass)
        obj._native = native
        return obj

    def _options(self) -> dict[str, Any]:
        value = json.loads(self._native.to_json())
        value.pop("vocab", None)
        value.pop("merges", None)
        return value

    def token_to_id(self, token: str) -> int | None:
        return self._native.token_to_id(token)

    def id_to_token(self, id: int) -> str | None:  # noqa: A002 - HF's name
        return self._native.id_to_token(id)

    def get_vocab(self) -> dict[str, int]:
        return self._native.get_vocab()

    def get_vocab_size(self) -> int:
        return self._native.get_vocab_size()

    def tokenize(self, sequence: str) -> list[Token]:
        return [Token(*t) for t in self._native.tokenize(sequence)]

    def __getstate__(self) -> str:
        return self._native.to_json()

    def __setstate__(self, state: str) -> None:
        self._native = _native.HfModel.from_json(state)

    def __repr__(self) -> str:
        fields = ", ".join(f"{k}={v!r}" for k, v in self._options().items() if k != "type")
        return f"{type(self).__name__}({fields})"


def _vocab_items(vocab: Any) -> list[tuple[str, int]]:
    if vocab is None:
        return []
    if isinstance(vocab, dict):
        return [(str(k), int(v)) for k, v in vocab.items()]
    raise TypeError("vocab must be a dict of token to id")


def _merge_pairs(merges: Any) -> list[tuple[str, str]]:
    out = []
    for m in merges or []:
        if isinstance(m, str):
            a, sep, b = m.partition(" ")
            if not sep:
                raise ValueError(f"invalid merge {m!r}")
            out.append((a, b))
        else:
            a, b = m
            out.append((a, b))
    return out


class BPE(Model):
    """Byte-pair encoding with HuggingFace's options."""

    def __init__(
        self,
        vocab: dict[str, int] | None = None,
        merges: list[tuple[str, str]] | None = None,
        cache_capacity: int | None = None,
        dropout: float | None = None,
        unk_token: str | None = None,
        continuing_subword_prefix: str | None = None,
        end_of_word_suffix: str | None = None,
        fuse_unk: bool | None = None,
        byte_fallback: bool = False,
        ignore_merges: bool = False,
    ) -> None:
        del cache_capacity  # a cache size: no effect on results
        self._native = _native.HfModel.bpe(
            _vocab_items(vocab),
            _merge_pairs(merges),
            unk_token,
            continuing_subword_prefix,
            end_of_word_suffix,
            bool(fuse_unk),
            bool(byte_fallback),
            bool(ignore_merges),
            dropout,
        )

    @staticmethod
    def read_file(vocab: str, merges: str) -> tuple[dict[str, int], list[tuple[str, str]]]:
        """Reads ``vocab.json`` and ``merges.txt``."""
        with open(vocab, encoding="utf-8") as f:
            vocab_map = json.load(f)
        pairs = []
        with open(merges, encoding="utf-8") as f:
            for number, line in enumerate(f):
                line = line.rstrip("\r\n")
                if number == 0 and line.startswith("#version"):
                    continue
                if not line:
                    continue
                a, sep, b = line.partition(" ")
                if not sep:
                    raise Exception(f"Error while reading merges file: line {number + 1} is not a merge")
                pairs.append((a, b))
        return vocab_map, pairs

    @classmethod
    def from_file(cls, vocab: str, merges: str, **kwargs: Any) -> BPE:
        vocab_map, pairs = cls.read_file(vocab, merges)
        return cls(vocab_map, pairs, **kwargs)

    def merges(self) -> list[tuple[str, str]]:
        """The merges, in rank order (not in HuggingFace's Python API)."""
        return self._native.merges()

    def save(self, folder: str, prefix: str | None = None, name: str | None = None) -> list[str]:
        """Writes ``vocab.json`` and ``merges.txt`` (with ``prefix-`` before each name)."""
        stem = prefix or name
        vocab_path = os.path.join(folder, f"{stem}-vocab.json" if stem else "vocab.json")
        merges_path = os.path.join(folder, f"{stem}-merges.txt" if stem else "merges.txt")
        vocab = json.loads(self._native.to_json())["vocab"]
        with open(vocab_path, "w", encoding="utf-8") as f:
            json.dump(vocab, f, ensure_ascii=False, separators=(",", ":"))
        with open(merges_path, "w", encoding="utf-8") as f:
            f.write("#version: 0.2\n")
            for a, b in self._native.merges():
                f.write(f"{a} {b}\n")
        return [vocab_path, merges_path]

    def save_tiktoken(self, path: str, skip: list[str] | None = None) -> None:
        """Writes the model as a tiktoken rank file (``base64(bytes) rank`` per line, ranks =
        ids), for a byte-level BPE; tokens in ``skip`` (special tokens) are left out."""
        text = _native.hf_tiktoken(self._native, list(skip or []))
        with open(path, "w", encoding="ascii") as f:
            f.write(text)

    def __getattr__(self, name: str) -> Any:
        if name in ("unk_token", "continuing_subword_prefix", "end_of_word_suffix", "fuse_unk", "byte_fallback", "ignore_merges", "dropout"):
            return self._options()[name]
        raise AttributeError(name)


class WordPiece(Model):
    """BERT's WordPiece."""

    def __init__(
        self,
        vocab: dict[str, int] | None = None,
        unk_token: str = "[UNK]",
        max_input_chars_per_word: int = 100,
        continuing_subword_prefix: str = "##",
    ) -> None:
        self._native = _native.HfModel.wordpiece(_vocab_items(vocab), unk_token, continuing_subword_prefix, int(max_input_chars_per_word))

    @staticmethod
    def read_file(vocab: str) -> dict[str, int]:
        """Reads a ``vocab.txt`` (one token per line)."""
        with open(vocab, encoding="utf-8") as f:
            return {line.rstrip("\r\n").rstrip(): i for i, line in enumerate(f)}

    @classmethod
    def from_file(cls, vocab: str, **kwargs: Any) -> WordPiece:
        return cls(cls.read_file(vocab), **kwargs)

    def save(self, folder: str, prefix: str | None = None, name: str | None = None) -> list[str]:
        """Writes ``vocab.txt`` (with ``prefix-`` before the name)."""
        stem = prefix or name
        path = os.path.join(folder, f"{stem}-vocab.txt" if stem else "vocab.txt")
        vocab = json.loads(self._native.to_json())["vocab"]
        with open(path, "w", encoding="utf-8") as f:
            for token in vocab:
                f.write(token + "\n")
        return [path]

    def __getattr__(self, name: str) -> Any:
        if name in ("unk_token", "continuing_subword_prefix", "max_input_chars_per_word"):
            return self._options()[name]
        raise AttributeError(name)
