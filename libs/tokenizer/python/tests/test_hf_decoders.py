"""``pyaot_tokenizer.hf.decoders`` against HuggingFace's: ``decoder.decode(tokens)`` on lists of
token strings, and ``Tokenizer.decode`` / ``decode_batch`` (with and without special tokens)
through whole pipelines."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hf_compat import (  # noqa: F401 - ours_fixture and ref_fixture are the ref/ours fixtures
    EDGE_TEXTS,
    PIECES,
    PROPERTY,
    Module,
    bert_tokenizer,
    byte_level_bpe,
    corpus,
    ours_fixture,
    ref_fixture,
    same,
    texts,
)

Build = Callable[[Module], Any]

DECODERS: dict[str, Build] = {
    "WordPiece()": lambda m: m.decoders.WordPiece(),
    "WordPiece('##', cleanup=False)": lambda m: m.decoders.WordPiece(prefix="##", cleanup=False),
    "WordPiece('@@', cleanup=True)": lambda m: m.decoders.WordPiece(prefix="@@", cleanup=True),
    "ByteLevel()": lambda m: m.decoders.ByteLevel(),
    "BPEDecoder()": lambda m: m.decoders.BPEDecoder(),
    "BPEDecoder('</w>')": lambda m: m.decoders.BPEDecoder(suffix="</w>"),
    "BPEDecoder('_')": lambda m: m.decoders.BPEDecoder(suffix="_"),
    "Metaspace()": lambda m: m.decoders.Metaspace(),
    **{
        f"Metaspace({rep!r}, {scheme!r}, split={split})": (
            lambda m, rep=rep, scheme=scheme, split=split: m.decoders.Metaspace(
                replacement=rep, prepend_scheme=scheme, split=split
            )
        )
        for rep in ("▁", "_")
        for scheme in ("always", "never", "first")
        for split in (True, False)
    },
    "Replace('▁', ' ')": lambda m: m.decoders.Replace("▁", " "),
    "Replace('ab', '')": lambda m: m.decoders.Replace("ab", ""),
    "Replace(Regex('\\s+'), '_')": lambda m: m.decoders.Replace(m.Regex(r"\s+"), "_"),
    "Strip(' ', 1, 0)": lambda m: m.decoders.Strip(" ", 1, 0),
    "Strip(content='x', left=0, right=2)": lambda m: m.decoders.Strip(content="x", left=0, right=2),
    "Strip(' ', 3, 3)": lambda m: m.decoders.Strip(" ", 3, 3),
    "Strip()": lambda m: m.decoders.Strip(),
    "Fuse()": lambda m: m.decoders.Fuse(),
    "ByteFallback()": lambda m: m.decoders.ByteFallback(),
    "Sequence([])": lambda m: m.decoders.Sequence([]),
    "Sequence(Llama: Replace, ByteFallback, Fuse, Strip)": lambda m: m.decoders.Sequence(
        [m.decoders.Replace("▁", " "), m.decoders.ByteFallback(), m.decoders.Fuse(), m.decoders.Strip(" ", 1, 0)]
    ),
    "Sequence([ByteFallback, Metaspace])": lambda m: m.decoders.Sequence(
        [m.decoders.ByteFallback(), m.decoders.Metaspace()]
    ),
    "Sequence([WordPiece, Replace])": lambda m: m.decoders.Sequence(
        [m.decoders.WordPiece(), m.decoders.Replace(" ", "|")]
    ),
}

BYTE_TOKENS = ["<0x41>", "<0xE2>", "<0x82>", "<0xAC>", "<0xC3>", "<0xA9>", "<0xFF>", "<0x00>", "<0x0A>", "<0x4>", "<0xZZ>", "<0x410>"]
TOKEN_PIECES = [
    *PIECES, *BYTE_TOKENS, "##a", "##", "##ing", "@@x", "▁", "▁the", "▁▁", "_x", "x_", "Ġ", "Ġthe", "Ċ", "ĉ", "ä¸Ń",
    "Ã©", "hello</w>", "</w>", "wor", "ld</w>", " ", ".", ",", "'", "n't", "'s", "'m", "'ve", "'re", " ?", " !", " do",
    "not", "xx", "x",
]

TOKEN_LISTS: list[list[str]] = [
    [],
    [""],
    ["hello"],
    ["hel", "##lo", "world", "##s", "!"],
    ["##a", "b"],  # a first token's prefix
    ["don", "'", "t", "do", "n't", "I", "'m", "we", "'ve", "they", "'re", "it", "'s", "a", ".", "b", ",", "c", "?", "d", "!"],
    ["Ġhello", "Ġworld", "Ċ", "ĠĠ", "ä¸Ń", "æĸĩ", "Ã©"],
    ["▁hello", "▁world", "▁", "▁▁", "x▁y"],
    ["hello</w>", "wor", "ld</w>", "</w>"],
    ["<0x41>", "<0xE2>", "<0x82>", "<0xAC>", "x", "<0xE2>", "<0x82>", "y", "<0xZZ>", "<0x4>", "<0xc3>"],
    ["▁", "<0x41>", "▁the", "<0xF0>", "<0x9F>", "<0x98>", "<0x80>", "▁end"],
    ["  a  ", " ", "x", "xx", "xxx"],
    ["[CLS]", "hello", "[SEP]"],
    ["é", "e\u0301", "😀", "👨‍👩‍👧‍👦", "中文", "\x00", "\t", "\r\n"],
]


def _check(ref: Module, ours: Module, name: str, tokens: list[str]) -> None:
    same(ref, ours, lambda m: DECODERS[name](m).decode(tokens), f"{name}.decode({tokens!r:.300})")


@pytest.mark.parametrize("name", DECODERS)
def test_decode_token_lists(ref: Module, ours: Module, name: str) -> None:
    for tokens in [*TOKEN_LISTS, *([text] for text in EDGE_TEXTS), [text for text in EDGE_TEXTS if len(text) < 40]]:
        _check(ref, ours, name, tokens)


@PROPERTY
@given(tokens=st.lists(st.sampled_from(TOKEN_PIECES) | texts(max_pieces=2), max_size=10))
def test_decode_generated(ref: Module, ours: Module, tokens: list[str]) -> None:
    for name in DECODERS:
        _check(ref, ours, name, tokens)


# ---------------------------------------------------------------------------------------------
# Tokenizer.decode and decode_batch through whole pipelines

def _llama(m: Module) -> Any:
    """SentencePiece-like BPE: Metaspace, byte fallback, the Llama decoder sequence."""
    vocab = {"<unk>": 0, "<s>": 1, "</s>": 2, **{f"<0x{b:02X}>": 3 + b for b in range(256)}}
    for token in ["▁", "h", "e", "l", "o", "w", "r", "d", "t", "▁h", "▁he", "▁hel", "▁hell", "▁hello", "▁w", "▁wo", "▁wor", "▁worl", "▁world", "▁t", "▁th", "▁the", "th"]:
        vocab.setdefault(token, len(vocab))
    merges = [("▁", "h"), ("▁h", "e"), ("▁he", "l"), ("▁hel", "l"), ("▁hell", "o"), ("▁", "w"), ("▁w", "o"), ("▁wo", "r"), ("▁wor", "l"), ("▁worl", "d"), ("▁", "t"), ("t", "h"), ("▁t", "h"), ("▁th", "e")]
    tok = m.Tokenizer(m.models.BPE(vocab=vocab, merges=merges, unk_token="<unk>", byte_fallback=True, fuse_unk=True))
    tok.pre_tokenizer = m.pre_tokenizers.Metaspace(prepend_scheme="first", split=False)
    tok.decoder = m.decoders.Sequence(
        [m.decoders.Replace("▁", " "), m.decoders.ByteFallback(), m.decoders.Fuse(), m.decoders.Strip(" ", 1, 0)]
    )
    tok.add_special_tokens(["<s>", "</s>"])
    return tok


def _byte_level(m: Module) -> Any:
    tok = byte_level_bpe(m)
    tok.add_special_tokens(["<|endoftext|>"])
    tok.add_tokens(["hello world", " New"])
    return tok


def _bert(m: Module) -> Any:
    tok = bert_tokenizer(m)
    tok.add_special_tokens(["[MASK]", "<extra>"])
    return tok


def _no_decoder(m: Module) -> Any:
    tok = bert_tokenizer(m)
    tok.decoder = None
    return tok


PIPELINES: dict[str, Build] = {"llama": _llama, "byte-level": _byte_level, "bert": _bert, "bert without decoder": _no_decoder}
_CACHE: dict[tuple[int, str], Any] = {}


def pipeline(m: Module, name: str) -> Any:
    if (id(m), name) not in _CACHE:
        _CACHE[id(m), name] = PIPELINES[name](m)
    return _CACHE[id(m), name]


DECODE_TEXTS = [
    "hello world", "the world", "Hello there, World!", "hello 😀 é 中文", "  hello  ", "unaffable tests.", "<s>hello</s>",
    "[CLS] hello [MASK] <extra>", "<|endoftext|>hello world New", "don't", "", *EDGE_TEXTS[:40],
]


@pytest.mark.parametrize("skip_special_tokens", [True, False])
@pytest.mark.parametrize("name", PIPELINES)
def test_tokenizer_decode_round_trip(ref: Module, ours: Module, name: str, skip_special_tokens: bool) -> None:
    ref_tok, our_tok = pipeline(ref, name), pipeline(ours, name)
    batch = []
    for text in DECODE_TEXTS:
        ids = ref_tok.encode(text).ids
        assert our_tok.encode(text).ids == ids, f"{name}: encode({text!r:.200}).ids"
        expected = ref_tok.decode(ids, skip_special_tokens=skip_special_tokens)
        assert our_tok.decode(ids, skip_special_tokens=skip_special_tokens) == expected, f"{name}: decode of {text!r:.200}"
        batch.append(ids)
    expected_batch = ref_tok.decode_batch(batch, skip_special_tokens=skip_special_tokens)
    assert our_tok.decode_batch(batch, skip_special_tokens=skip_special_tokens) == expected_batch, f"{name}: decode_batch"
    assert our_tok.decode(batch[0]) == ref_tok.decode(batch[0]), f"{name}: decode default skip_special_tokens"


@pytest.mark.parametrize("name", PIPELINES)
def test_tokenizer_decode_arbitrary_ids(ref: Module, ours: Module, name: str) -> None:
    ref_tok = pipeline(ref, name)
    size = ref_tok.get_vocab_size()
    id_lists = [[], [0], list(range(size)), list(range(size))[::-1], [size - 1, 0, size - 1], [5, 5, 5, 7]]
    for ids in id_lists:
        for skip in (True, False):
            same(ref, ours, lambda m, ids=ids, skip=skip: pipeline(m, name).decode(ids, skip_special_tokens=skip), f"{name}: decode({ids!r:.200}, {skip})")
    same(ref, ours, lambda m: pipeline(m, name).decode_batch(id_lists), f"{name}: decode_batch")
    # Unknown ids: HF drops them silently.
    same(ref, ours, lambda m: pipeline(m, name).decode([0, size + 10, 10**6, 1]), f"{name}: decode with unknown ids")


def test_tokenizer_decode_corpus(ref: Module, ours: Module) -> None:
    texts_ = list(corpus()[::3])
    for name in PIPELINES:
        ref_tok, our_tok = pipeline(ref, name), pipeline(ours, name)
        batch = [e.ids for e in ref_tok.encode_batch(texts_)]
        same(ref, ours, lambda m, name=name: pipeline(m, name).decode_batch(batch), f"{name}: decode_batch(corpus)")
        assert [e.ids for e in our_tok.encode_batch(texts_)] == batch, f"{name}: encode_batch(corpus) ids"
