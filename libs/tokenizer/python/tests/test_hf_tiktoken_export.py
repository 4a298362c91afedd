"""A byte-level BPE trained by ``pyaot_tokenizer.hf`` exports as a ``.tiktoken`` rank file that
tiktoken itself (and ``pyaot_tokenizer``) loads and encodes with exactly the ids the trained
tokenizer gives, on the whole corpus."""

from __future__ import annotations

import base64
from pathlib import Path

import tiktoken

import pyaot_tokenizer
from hf_compat import corpus
from pyaot_tokenizer import hf

GPT2_PATTERN = r"""'(?:[sdmt]|ll|ve|re)| ?\p{L}++| ?\p{N}++| ?[^\s\p{L}\p{N}]++|\s++$|\s+(?!\S)|\s"""


def _trained() -> hf.Tokenizer:
    tok = hf.Tokenizer(hf.models.BPE())
    tok.pre_tokenizer = hf.pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)
    trainer = hf.trainers.BpeTrainer(
        vocab_size=2000,
        show_progress=False,
        special_tokens=["<|endoftext|>"],
        initial_alphabet=hf.pre_tokenizers.ByteLevel.alphabet(),
    )
    tok.train_from_iterator(corpus(), trainer)
    return tok


def _ranks(path: Path) -> dict[bytes, int]:
    ranks = {}
    for line in path.read_text(encoding="ascii").splitlines():
        token, rank = line.split()
        ranks[base64.b64decode(token)] = int(rank)
    return ranks


def test_exported_ranks_encode_like_the_trained_tokenizer(tmp_path: Path) -> None:
    tok = _trained()
    path = tmp_path / "trained.tiktoken"
    tok.save_tiktoken(str(path))
    ranks = _ranks(path)
    special = tok.token_to_id("<|endoftext|>")
    assert special == 0, "the trainer's special token comes first"
    assert len(ranks) == tok.get_vocab_size() - 1, "every token but the special one has a rank"
    assert all(len(token) >= 1 for token in ranks)
    specials = {"<|endoftext|>": special}
    reference = tiktoken.Encoding("trained", pat_str=GPT2_PATTERN, mergeable_ranks=ranks, special_tokens=specials)
    ours = pyaot_tokenizer.Encoding("trained", pat_str=GPT2_PATTERN, mergeable_ranks=ranks, special_tokens=specials)
    for text in corpus():
        want = tok.encode(text).ids
        assert reference.encode_ordinary(text) == want, f"tiktoken on the exported ranks differs for {text[:80]!r}"
        assert ours.encode_ordinary(text) == want, f"pyaot_tokenizer on the exported ranks differs for {text[:80]!r}"


def test_non_byte_level_model_is_refused(tmp_path: Path) -> None:
    tok = hf.Tokenizer(hf.models.WordPiece({"[UNK]": 0, "a": 1}))
    try:
        tok.save_tiktoken(str(tmp_path / "x.tiktoken"))
    except ValueError as exc:
        assert "byte-level BPE" in str(exc)
    else:
        raise AssertionError("a WordPiece model has no .tiktoken form")
    bpe = hf.Tokenizer(hf.models.BPE({"a": 0, "€": 1}, []))
    try:
        bpe.save_tiktoken(str(tmp_path / "y.tiktoken"))
    except Exception as exc:  # noqa: BLE001 - the native error type
        assert "not byte-level" in str(exc)
    else:
        raise AssertionError("'€' is not a byte-level token")
