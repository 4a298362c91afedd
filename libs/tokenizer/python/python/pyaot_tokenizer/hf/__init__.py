"""A drop-in for HuggingFace ``tokenizers``: change ``import tokenizers`` to
``import pyaot_tokenizer.hf as tokenizers``.

Same classes, argument names and results (vocabularies and merges from training, ids, tokens,
offsets, ``tokenizer.json``) for BPE and WordPiece models with the components in
``normalizers``, ``pre_tokenizers``, ``processors`` and ``decoders``. The pipeline runs in Rust
(``pyaot_tokenizer._native``); each component crosses as its ``tokenizer.json`` object.
Not here: padding, truncation, Unigram/WordLevel models, ``from_pretrained``, async and
streaming APIs (see the package README).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from typing import Any

from .. import _native
from . import decoders, models, normalizers, pre_tokenizers, processors, trainers
from ._base import Regex, from_json_or_none

__all__ = [
    "AddedToken", "Encoding", "Regex", "Tokenizer",
    "decoders", "models", "normalizers", "pre_tokenizers", "processors", "trainers",
]

Encoding = _native.Encoding


class AddedToken:
    """A token added to a tokenizer, with HuggingFace's options."""

    def __init__(
        self,
        content: str = "",
        single_word: bool = False,
        lstrip: bool = False,
        rstrip: bool = False,
        normalized: bool | None = None,
        special: bool = False,
    ) -> None:
        self.content = content
        self.single_word = bool(single_word)
        self.lstrip = bool(lstrip)
        self.rstrip = bool(rstrip)
        self.special = bool(special)
        self._normalized = normalized

    @property
    def normalized(self) -> bool:
        return (not self.special) if self._normalized is None else bool(self._normalized)

    @normalized.setter
    def normalized(self, value: bool) -> None:
        self._normalized = bool(value)

    def _tuple(self, special: bool | None = None) -> tuple[str, bool, bool, bool, bool, bool]:
        is_special = self.special if special is None else special
        normalized = (not is_special) if self._normalized is None else bool(self._normalized)
        return (self.content, self.single_word, self.lstrip, self.rstrip, normalized, is_special)

    def __str__(self) -> str:
        return self.content

    def __repr__(self) -> str:
        return (
            f'AddedToken("{self.content}", rstrip={self.rstrip}, lstrip={self.lstrip}, '
            f"single_word={self.single_word}, normalized={self.normalized}, special={self.special})"
        )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, AddedToken) and self._tuple() == other._tuple()

    def __hash__(self) -> int:
        return hash(self.content)


def _added(token: Any, special: bool) -> tuple[str, bool, bool, bool, bool, bool]:
    if isinstance(token, str):
        return (token, False, False, False, not special, special)
    if isinstance(token, AddedToken):
        return token._tuple(special=True if special else None)
    raise TypeError("Input must be a List[Union[str, AddedToken]]")


class Tokenizer:
    """A tokenizer pipeline: normalizer, pre-tokenizer, model, post-processor, decoder."""

    def __init__(self, model: models.Model) -> None:
        if not isinstance(model, models.Model):
            raise TypeError("Tokenizer takes a model (pyaot_tokenizer.hf.models.BPE or WordPiece)")
        self._native = _native.HfTokenizer(model._native)
        self._model = model
        self._normalizer: normalizers.Normalizer | None = None
        self._pre_tokenizer: pre_tokenizers.PreTokenizer | None = None
        self._post_processor: processors.PostProcessor | None = None
        self._decoder: decoders.Decoder | None = None

    # -- components ---------------------------------------------------------------------------

    @property
    def model(self) -> models.Model:
        return self._model

    @model.setter
    def model(self, model: models.Model) -> None:
        if not isinstance(model, models.Model):
            raise TypeError("model must be a pyaot_tokenizer.hf.models.Model")
        self._native.set_model(model._native)
        self._model = model

    @property
    def normalizer(self) -> normalizers.Normalizer | None:
        return self._normalizer

    @normalizer.setter
    def normalizer(self, value: normalizers.Normalizer | None) -> None:
        if value is not None and not isinstance(value, normalizers.Normalizer):
            raise TypeError("normalizer must be a pyaot_tokenizer.hf.normalizers.Normalizer or None")
        self._native.set_normalizer(None if value is None else value._json_str())
        self._normalizer = value

    @property
    def pre_tokenizer(self) -> pre_tokenizers.PreTokenizer | None:
        return self._pre_tokenizer

    @pre_tokenizer.setter
    def pre_tokenizer(self, value: pre_tokenizers.PreTokenizer | None) -> None:
        if value is not None and not isinstance(value, pre_tokenizers.PreTokenizer):
            raise TypeError("pre_tokenizer must be a pyaot_tokenizer.hf.pre_tokenizers.PreTokenizer or None")
        self._native.set_pre_tokenizer(None if value is None else value._json_str())
        self._pre_tokenizer = value

    @property
    def post_processor(self) -> processors.PostProcessor | None:
        return self._post_processor

    @post_processor.setter
    def post_processor(self, value: processors.PostProcessor | None) -> None:
        if value is not None and not isinstance(value, processors.PostProcessor):
            raise TypeError("post_processor must be a pyaot_tokenizer.hf.processors.PostProcessor or None")
        self._native.set_post_processor(None if value is None else value._json_str())
        self._post_processor = value

    @property
    def decoder(self) -> decoders.Decoder | None:
        return self._decoder

    @decoder.setter
    def decoder(self, value: decoders.Decoder | None) -> None:
        if value is not None and not isinstance(value, decoders.Decoder):
            raise TypeError("decoder must be a pyaot_tokenizer.hf.decoders.Decoder or None")
        self._native.set_decoder(None if value is None else value._json_str())
        self._decoder = value

    @property
    def padding(self) -> None:
        return None

    @property
    def truncation(self) -> None:
        return None

    def enable_padding(self, *args: Any, **kwargs: Any) -> None:
        raise NotImplementedError("padding is not supported by pyaot_tokenizer.hf")

    def enable_truncation(self, *args: Any, **kwargs: Any) -> None:
        raise NotImplementedError("truncation is not supported by pyaot_tokenizer.hf")

    def no_padding(self) -> None:
        pass

    def no_truncation(self) -> None:
        pass

    # -- encoding and decoding ----------------------------------------------------------------

    def encode(self, sequence: Any, pair: Any = None, is_pretokenized: bool = False, add_special_tokens: bool = True) -> Any:
        """Encodes a sequence (and optionally a pair): an ``Encoding`` with ids, tokens,
        offsets (in characters), type ids, masks and word ids."""
        return self._native.encode(sequence, pair, is_pretokenized, add_special_tokens)

    def encode_batch(self, input: Any, is_pretokenized: bool = False, add_special_tokens: bool = True) -> list[Any]:  # noqa: A002
        """Encodes many sequences (or ``(a, b)`` pairs) on all cores."""
        return self._native.encode_batch(input, is_pretokenized, add_special_tokens)

    def decode(self, ids: list[int], skip_special_tokens: bool = True) -> str:
        return self._native.decode(list(ids), skip_special_tokens)

    def decode_batch(self, sequences: list[list[int]], skip_special_tokens: bool = True) -> list[str]:
        return self._native.decode_batch([list(s) for s in sequences], skip_special_tokens)

    def post_process(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError("post_process is not supported by pyaot_tokenizer.hf")

    def num_special_tokens_to_add(self, is_pair: bool) -> int:
        return self._native.num_special_tokens_to_add(bool(is_pair))

    # -- vocabulary ---------------------------------------------------------------------------

    def token_to_id(self, token: str) -> int | None:
        return self._native.token_to_id(token)

    def id_to_token(self, id: int) -> str | None:  # noqa: A002 - HF's name
        return self._native.id_to_token(id)

    def get_vocab(self, with_added_tokens: bool = True) -> dict[str, int]:
        return self._native.get_vocab(with_added_tokens)

    def get_vocab_size(self, with_added_tokens: bool = True) -> int:
        return self._native.get_vocab_size(with_added_tokens)

    def add_tokens(self, tokens: list[Any]) -> int:
        """Adds tokens (matched in the normalized text); returns how many were new."""
        return self._native.add_tokens([_added(t, special=False) for t in tokens])

    def add_special_tokens(self, tokens: list[Any]) -> int:
        """Adds special tokens (matched in the original text, skipped when decoding)."""
        return self._native.add_tokens([_added(t, special=True) for t in tokens])

    def get_added_tokens_decoder(self) -> dict[int, AddedToken]:
        return {
            id_: AddedToken(content, single_word, lstrip, rstrip, normalized, special)
            for id_, content, single_word, lstrip, rstrip, normalized, special in self._native.added_tokens()
        }

    # -- training -----------------------------------------------------------------------------

    def _default_trainer(self) -> trainers.Trainer:
        return trainers.WordPieceTrainer() if isinstance(self._model, models.WordPiece) else trainers.BpeTrainer()

    def train_from_iterator(self, iterator: Iterable[Any], trainer: trainers.Trainer | None = None, length: int | None = None) -> None:
        """Trains the model on texts (or batches of texts) from an iterator."""
        del length  # only sizes HuggingFace's progress bar
        trainer = trainer or self._default_trainer()
        counts = _native.WordCounts()
        batch: list[str] = []
        for item in iterator:
            if isinstance(item, str):
                batch.append(item)
            elif isinstance(item, (list, tuple)):
                for text in item:
                    if not isinstance(text, str):
                        raise TypeError("train_from_iterator takes an iterator of str or of lists of str")
                    batch.append(text)
            else:
                raise TypeError("train_from_iterator takes an iterator of str or of lists of str")
            if len(batch) >= 8192:
                self._native.count_words(counts, batch)
                batch = []
        if batch:
            self._native.count_words(counts, batch)
        self._native.train(counts, trainer._json_str())
        # The model object the caller holds sees the trained vocabulary, as in HuggingFace.
        self._model._native = self._native.model()

    def train(self, files: list[str], trainer: trainers.Trainer | None = None) -> None:
        """Trains the model on the lines of text files."""
        if isinstance(files, str):
            files = [files]

        def lines() -> Iterator[str]:
            for path in files:
                with open(path, encoding="utf-8") as f:
                    for line in f:
                        yield line.rstrip("\n").rstrip("\r") if line.endswith("\n") else line

        self.train_from_iterator(lines(), trainer)

    # -- serialization ------------------------------------------------------------------------

    def to_str(self, pretty: bool = False) -> str:
        """The ``tokenizer.json`` document."""
        return self._native.to_str(pretty)

    def save(self, path: str, pretty: bool = True) -> None:
        with open(path, "w", encoding="utf-8") as f:
            f.write(self.to_str(pretty))

    @classmethod
    def from_str(cls, json_str: str) -> Tokenizer:
        """A tokenizer from a ``tokenizer.json`` document (unsupported components raise an
        error naming them)."""
        native = _native.HfTokenizer.from_str(json_str)
        tokenizer = cls.__new__(cls)
        tokenizer._native = native
        tokenizer._model = models.Model._wrap(native.model())
        norm, pre, post, dec = native.components()
        tokenizer._normalizer = from_json_or_none(normalizers.Normalizer, norm)  # type: ignore[assignment]
        tokenizer._pre_tokenizer = from_json_or_none(pre_tokenizers.PreTokenizer, pre)  # type: ignore[assignment]
        tokenizer._post_processor = from_json_or_none(processors.PostProcessor, post)  # type: ignore[assignment]
        tokenizer._decoder = from_json_or_none(decoders.Decoder, dec)  # type: ignore[assignment]
        return tokenizer

    @classmethod
    def from_file(cls, path: str) -> Tokenizer:
        with open(path, encoding="utf-8") as f:
            return cls.from_str(f.read())

    @classmethod
    def from_buffer(cls, buffer: bytes) -> Tokenizer:
        return cls.from_str(bytes(buffer).decode("utf-8"))

    def save_tiktoken(self, path: str) -> None:
        """Writes a byte-level BPE model as a tiktoken rank file, special tokens left out (not in
        HuggingFace's API). With GPT-2's split pattern, tiktoken (or ``pyaot_tokenizer``) then
        gives the ids this tokenizer gives behind ``ByteLevel(add_prefix_space=False)``."""
        if not isinstance(self._model, models.BPE):
            raise ValueError("only a byte-level BPE model can be saved as a .tiktoken rank file")
        specials = [content for _, content, *_rest, special in self._native.added_tokens() if special]
        self._model.save_tiktoken(path, specials)

    def __getstate__(self) -> str:
        return self.to_str()

    def __setstate__(self, state: str) -> None:
        other = Tokenizer.from_str(state)
        self.__dict__.update(other.__dict__)

    def __repr__(self) -> str:
        return f"Tokenizer(model={self._model!r})"


del json, os
