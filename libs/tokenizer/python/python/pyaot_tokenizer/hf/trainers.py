"""Trainers, as ``tokenizers.trainers``: ``BpeTrainer`` and ``WordPieceTrainer``."""

from __future__ import annotations

import json
from typing import Any

__all__ = ["BpeTrainer", "Trainer", "WordPieceTrainer"]


def _special_contents(tokens: Any) -> list[str]:
    out = []
    for t in tokens or []:
        content = t if isinstance(t, str) else getattr(t, "content", None)
        if not isinstance(content, str):
            raise TypeError("special_tokens must be a list of str or AddedToken")
        out.append(content)
    return out


class Trainer:
    """Base class of the trainers: their options, as HuggingFace names them."""

    _type = ""

    def __init__(
        self,
        vocab_size: int = 30000,
        min_frequency: int = 0,
        show_progress: bool = True,
        special_tokens: list[Any] | None = None,
        limit_alphabet: int | None = None,
        initial_alphabet: list[str] | None = None,
        continuing_subword_prefix: str | None = None,
        end_of_word_suffix: str | None = None,
        max_token_length: int | None = None,
    ) -> None:
        self.vocab_size = int(vocab_size)
        self.min_frequency = int(min_frequency)
        self.show_progress = bool(show_progress)
        self.special_tokens = _special_contents(special_tokens)
        self.limit_alphabet = limit_alphabet
        self.initial_alphabet = [s for s in (initial_alphabet or []) if s]
        self.continuing_subword_prefix = continuing_subword_prefix
        self.end_of_word_suffix = end_of_word_suffix
        self.max_token_length = max_token_length

    def _json_str(self) -> str:
        return json.dumps({"type": self._type, **{k: v for k, v in vars(self).items()}}, ensure_ascii=False)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{k}={v!r}' for k, v in vars(self).items())})"


class BpeTrainer(Trainer):
    """Trains a ``BPE`` model exactly as HuggingFace's ``BpeTrainer`` does."""

    _type = "BpeTrainer"


class WordPieceTrainer(Trainer):
    """Trains a ``WordPiece`` model exactly as HuggingFace's ``WordPieceTrainer`` does."""

    _type = "WordPieceTrainer"

    def __init__(
        self,
        vocab_size: int = 30000,
        min_frequency: int = 0,
        show_progress: bool = True,
        special_tokens: list[Any] | None = None,
        limit_alphabet: int | None = None,
        initial_alphabet: list[str] | None = None,
        continuing_subword_prefix: str = "##",
        end_of_word_suffix: str | None = None,
        max_token_length: int | None = None,
    ) -> None:
        super().__init__(
            vocab_size, min_frequency, show_progress, special_tokens, limit_alphabet, initial_alphabet,
            continuing_subword_prefix, end_of_word_suffix, max_token_length,
        )
