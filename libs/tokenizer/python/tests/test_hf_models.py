"""``pyaot_tokenizer.hf.models`` (BPE from a vocabulary and merges, WordPiece) against
HuggingFace's: whole encodings through a ``Tokenizer``, ``token_to_id``/``id_to_token``,
``get_vocab``, and ``from_file``."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given

from hf_compat import (  # noqa: F401 - ours_fixture and ref_fixture are the ref/ours fixtures
    EDGE_TEXTS,
    PROPERTY,
    SELFTEST,
    Module,
    assert_same_encodings,
    corpus,
    ours_fixture,
    ref_fixture,
    same,
    texts,
    wordpiece_vocab,
)

Build = Callable[[Module], Any]

ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,!?'-éü中文"
WORDS = [
    "the", "The", "and", "hello", "Hello", "world", "ing", "tion", "er", "re", "in", "on", "at", "en", "an",
    "token", "tokenizer", "Rust", "python", "123", "00", "don", "'t", "café", "中文",
]


def vocab_merges(
    words: Iterable[str], *, prefix: str = "", suffix: str = "", extra: Iterable[str] = ()
) -> tuple[dict[str, int], list[tuple[str, str]]]:
    """A consistent BPE vocabulary and merges spelling ``words`` left to right, with HF's rules
    for ``continuing_subword_prefix`` (every symbol but a word's first carries it; a merge drops
    the right side's prefix) and ``end_of_word_suffix`` (a word's last symbol carries it)."""
    vocab: dict[str, int] = {}
    for token in extra:
        vocab.setdefault(token, len(vocab))
    for c in ALPHABET:
        vocab.setdefault(c, len(vocab))
        if prefix:
            vocab.setdefault(prefix + c, len(vocab))
        if suffix:
            vocab.setdefault(c + suffix, len(vocab))
        if prefix and suffix:
            vocab.setdefault(prefix + c + suffix, len(vocab))
    merges: list[tuple[str, str]] = []
    for word in words:
        symbols = [c if i == 0 else prefix + c for i, c in enumerate(word)]
        symbols[-1] += suffix
        left = symbols[0]
        for right in symbols[1:]:
            joined = left + right[len(prefix) :]
            if joined not in vocab:
                vocab[joined] = len(vocab)
                merges.append((left, right))
            left = joined
    return vocab, merges


BYTES = [f"<0x{b:02X}>" for b in range(256)]


def _bpe(*, prefix: str = "", suffix: str = "", extra: Iterable[str] = (), **kwargs: Any) -> Build:
    vocab, merges = vocab_merges(WORDS, prefix=prefix, suffix=suffix, extra=extra)
    if prefix:
        kwargs["continuing_subword_prefix"] = prefix
    if suffix:
        kwargs["end_of_word_suffix"] = suffix
    return lambda m: m.models.BPE(vocab=dict(vocab), merges=list(merges), **kwargs)


def _bpe_ignore_merges(m: Module) -> Any:
    vocab, merges = vocab_merges(WORDS)
    vocab = {**vocab, "zebra": len(vocab), "hello world": len(vocab) + 1}  # no merges lead to these
    return m.models.BPE(vocab=vocab, merges=merges, ignore_merges=True)


MODELS: dict[str, Build] = {
    "BPE(vocab, merges)": _bpe(),
    "BPE(unk_token='<unk>')": _bpe(extra=["<unk>"], unk_token="<unk>"),
    "BPE(unk_token='<unk>', fuse_unk=True)": _bpe(extra=["<unk>"], unk_token="<unk>", fuse_unk=True),
    "BPE(continuing_subword_prefix='##')": _bpe(prefix="##", extra=["[UNK]"], unk_token="[UNK]"),
    "BPE(end_of_word_suffix='</w>')": _bpe(suffix="</w>", extra=["<unk>"], unk_token="<unk>"),
    "BPE(prefix='##', suffix='</w>')": _bpe(prefix="##", suffix="</w>"),
    "BPE(byte_fallback=True)": _bpe(extra=["<unk>", *BYTES], unk_token="<unk>", byte_fallback=True),
    "BPE(byte_fallback=True, fuse_unk=True)": _bpe(
        extra=["<unk>", *BYTES], unk_token="<unk>", byte_fallback=True, fuse_unk=True
    ),
    "BPE(byte_fallback=True, no unk)": _bpe(extra=BYTES, byte_fallback=True),
    "BPE(ignore_merges=True)": _bpe_ignore_merges,
    "BPE(ignore_merges=False, vocab has unreachable words)": lambda m: m.models.BPE(
        vocab={**vocab_merges(WORDS)[0], "zebra": 10_000}, merges=vocab_merges(WORDS)[1]
    ),
    "WordPiece(vocab)": lambda m: m.models.WordPiece(vocab=wordpiece_vocab()),
    "WordPiece(unk_token='[UNK]', max_input_chars_per_word=5)": lambda m: m.models.WordPiece(
        vocab=wordpiece_vocab(), unk_token="[UNK]", max_input_chars_per_word=5
    ),
    "WordPiece(continuing_subword_prefix='@@')": lambda m: m.models.WordPiece(
        vocab={k.replace("##", "@@"): v for k, v in wordpiece_vocab().items()}, continuing_subword_prefix="@@"
    ),
    "WordPiece(unk_token='<unk>' not in vocab)": lambda m: m.models.WordPiece(vocab=wordpiece_vocab(), unk_token="<unk>"),
}

PRE_TOKENIZERS: dict[str, Build] = {
    "Whitespace": lambda m: m.pre_tokenizers.Whitespace(),
    "Metaspace": lambda m: m.pre_tokenizers.Metaspace(),
    "None": lambda m: None,
}

_CACHE: dict[tuple[int, str, str], Any] = {}


def tokenizer(m: Module, model: str, pre: str) -> Any:
    key = (id(m), model, pre)
    if key not in _CACHE:
        tok = m.Tokenizer(MODELS[model](m))
        pre_tokenizer = PRE_TOKENIZERS[pre](m)
        if pre_tokenizer is not None:
            tok.pre_tokenizer = pre_tokenizer
        _CACHE[key] = tok
    return _CACHE[key]


EXTRA_TEXTS = [
    "hello world", "Hello World", "the tokenizer", "tokenizers and tokenization", "don't", "café 中文", "zebra",
    "hello world zebra", "unaffable", "helloworld", "123 00 1234567", "x y z", "the the the",
]


@pytest.mark.parametrize("pre", PRE_TOKENIZERS)
@pytest.mark.parametrize("model", MODELS)
def test_encode_edge_cases(ref: Module, ours: Module, model: str, pre: str) -> None:
    assert_same_encodings(
        tokenizer(ref, model, pre), tokenizer(ours, model, pre), [*EDGE_TEXTS, *EXTRA_TEXTS], f"{model} + {pre}"
    )


@pytest.mark.parametrize("model", MODELS)
def test_encode_corpus(ref: Module, ours: Module, model: str) -> None:
    texts_ = list(corpus()[::5])
    same(
        ref,
        ours,
        lambda m: [(e.ids, e.tokens, e.offsets) for e in tokenizer(m, model, "Whitespace").encode_batch(texts_)],
        f"{model}: encode_batch(corpus.json[::5])",
    )


@PROPERTY
@given(text=texts(max_pieces=8))
def test_encode_generated(ref: Module, ours: Module, text: str) -> None:
    for model in MODELS:
        assert_same_encodings(
            tokenizer(ref, model, "Whitespace"), tokenizer(ours, model, "Whitespace"), [text], model
        )


@pytest.mark.parametrize("model", MODELS)
def test_vocab_lookups(ref: Module, ours: Module, model: str) -> None:
    ref_model, our_model = MODELS[model](ref), MODELS[model](ours)
    ref_tok, our_tok = tokenizer(ref, model, "None"), tokenizer(ours, model, "None")
    vocab = ref_tok.get_vocab()
    assert our_tok.get_vocab() == vocab, f"{model}: get_vocab()"
    assert our_tok.get_vocab_size() == ref_tok.get_vocab_size(), f"{model}: get_vocab_size()"
    for token in [*vocab, "", "nope", "<unk>", "[UNK]", "##", "</w>", "hello world"]:
        assert our_model.token_to_id(token) == ref_model.token_to_id(token), f"{model}: model.token_to_id({token!r})"
        assert our_tok.token_to_id(token) == ref_tok.token_to_id(token), f"{model}: token_to_id({token!r})"
    for i in [*range(len(vocab) + 3), 10_000, 2**32 - 1]:
        assert our_model.id_to_token(i) == ref_model.id_to_token(i), f"{model}: model.id_to_token({i})"
        assert our_tok.id_to_token(i) == ref_tok.id_to_token(i), f"{model}: id_to_token({i})"


def _write_bpe_files(directory: Path, vocab: dict[str, int], merges: list[tuple[str, str]]) -> tuple[str, str]:
    vocab_path, merges_path = directory / "vocab.json", directory / "merges.txt"
    vocab_path.write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    merges_path.write_text("#version: 0.2\n" + "".join(f"{a} {b}\n" for a, b in merges), encoding="utf-8")
    return str(vocab_path), str(merges_path)


@pytest.mark.parametrize("kwargs", [{}, {"unk_token": "<unk>"}, {"unk_token": "<unk>", "fuse_unk": True}])
def test_bpe_from_file(ref: Module, ours: Module, tmp_path: Path, kwargs: dict[str, Any]) -> None:
    vocab, merges = vocab_merges(WORDS, extra=["<unk>"])
    vocab_path, merges_path = _write_bpe_files(tmp_path, vocab, merges)
    toks = []
    for m in (ref, ours):
        tok = m.Tokenizer(m.models.BPE.from_file(vocab_path, merges_path, **kwargs))
        tok.pre_tokenizer = m.pre_tokenizers.Whitespace()
        toks.append(tok)
    assert toks[1].get_vocab() == toks[0].get_vocab() == vocab
    assert_same_encodings(toks[0], toks[1], [*EDGE_TEXTS, *EXTRA_TEXTS], f"BPE.from_file(**{kwargs})")
    # The file-built model equals the one built from the same dict and list.
    direct = ref.Tokenizer(ref.models.BPE(vocab=vocab, merges=merges, **kwargs))
    direct.pre_tokenizer = ref.pre_tokenizers.Whitespace()
    assert_same_encodings(direct, toks[1], EXTRA_TEXTS, "BPE.from_file vs BPE(vocab, merges)")


def test_bpe_from_file_without_version_header(ref: Module, ours: Module, tmp_path: Path) -> None:
    vocab, merges = vocab_merges(WORDS)
    vocab_path, merges_path = _write_bpe_files(tmp_path, vocab, merges)
    Path(merges_path).write_text("".join(f"{a} {b}\n" for a, b in merges), encoding="utf-8")
    same(
        ref,
        ours,
        lambda m: m.Tokenizer(m.models.BPE.from_file(vocab_path, merges_path)).encode("hello the world").tokens,
        "BPE.from_file with merges.txt lacking '#version'",
    )


def test_wordpiece_from_file(ref: Module, ours: Module, tmp_path: Path) -> None:
    vocab = wordpiece_vocab()
    path = tmp_path / "vocab.txt"
    path.write_text("".join(f"{token}\n" for token in vocab), encoding="utf-8")
    toks = []
    for m in (ref, ours):
        tok = m.Tokenizer(m.models.WordPiece.from_file(str(path)))
        tok.pre_tokenizer = m.pre_tokenizers.BertPreTokenizer()
        toks.append(tok)
    assert toks[1].get_vocab() == toks[0].get_vocab() == vocab
    assert_same_encodings(toks[0], toks[1], [*EDGE_TEXTS, *EXTRA_TEXTS], "WordPiece.from_file")
    for kwargs in ({"unk_token": "[PAD]"}, {"max_input_chars_per_word": 3}):
        same(
            ref,
            ours,
            lambda m, kwargs=kwargs: m.Tokenizer(m.models.WordPiece.from_file(str(path), **kwargs))
            .encode("unaffable hello")
            .tokens,
            f"WordPiece.from_file(**{kwargs})",
        )


def test_bpe_merge_not_in_vocab_rejected(ref: Module, ours: Module) -> None:
    """HF 0.23.3 *panics* here (``pyo3_runtime.PanicException``, a BaseException, from
    ``bpe/model.rs``); ours must refuse the model with an ordinary Exception instead."""
    with pytest.raises(BaseException) as hf_error:
        ref.models.BPE(vocab={"a": 0, "b": 1}, merges=[("a", "b")])
    assert "range end index" in str(hf_error.value)
    if SELFTEST:  # ours is HF: its panic was checked above
        return
    with pytest.raises(Exception, match="ab"):
        ours.models.BPE(vocab={"a": 0, "b": 1}, merges=[("a", "b")])
