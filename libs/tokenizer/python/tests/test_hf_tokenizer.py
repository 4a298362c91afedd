"""``pyaot_tokenizer.hf.Tokenizer`` against HuggingFace's: the pipeline attributes, ``encode``
(pairs, pre-tokenized input, with and without special tokens), ``encode_batch``, added and
special tokens (matching, ids, vocabulary, decode), and vocabulary look-ups."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hf_compat import (  # noqa: F401 - ours_fixture and ref_fixture are the ref/ours fixtures
    EDGE_TEXTS,
    PROPERTY,
    Module,
    assert_same_encoding,
    assert_same_encodings,
    bert_tokenizer,
    byte_level_bpe,
    corpus,
    ours_fixture,
    ref_fixture,
    same,
    texts,
    words,
)


def test_pipeline_attributes_default_to_none(ref: Module, ours: Module) -> None:
    for m in (ref, ours):
        tok = m.Tokenizer(m.models.WordPiece(vocab={"[UNK]": 0, "a": 1}))
        for attr in ("normalizer", "pre_tokenizer", "post_processor", "decoder"):
            assert getattr(tok, attr) is None, f"{m.__name__}: Tokenizer(model).{attr}"
        assert type(tok.model).__name__ == "WordPiece", f"{m.__name__}: type(tok.model)"


def test_pipeline_attributes_settable(ref: Module, ours: Module) -> None:
    def run(m: Module) -> Any:
        tok = m.Tokenizer(m.models.WordPiece(vocab={"[UNK]": 0, "a": 1}))
        tok.normalizer = m.normalizers.Lowercase()
        tok.pre_tokenizer = m.pre_tokenizers.Whitespace()
        tok.post_processor = m.processors.TemplateProcessing(single="[UNK] $A", special_tokens=[("[UNK]", 0)])
        tok.decoder = m.decoders.WordPiece()
        got = (
            type(tok.normalizer).__name__,
            tok.normalizer.normalize_str("ÀB"),
            type(tok.pre_tokenizer).__name__,
            tok.pre_tokenizer.pre_tokenize_str("a b"),
            type(tok.post_processor).__name__,
            type(tok.decoder).__name__,
            tok.decoder.decode(["a", "##b"]),
            tok.encode("A b").tokens,
        )
        tok.model = m.models.BPE(vocab={"a": 0, "b": 1, "ab": 2}, merges=[("a", "b")])
        tok.normalizer = None
        tok.post_processor = None
        return (*got, type(tok.model).__name__, tok.encode("ab a").tokens, tok.normalizer, tok.get_vocab_size())

    same(ref, ours, run, "set and read back the pipeline attributes, then replace the model")


# --------------------------------------------------------------------------------------------
# encode / encode_batch


def _pipelines(m: Module) -> dict[str, Any]:
    bert = bert_tokenizer(m)
    gpt = byte_level_bpe(m)
    gpt.post_processor = m.processors.ByteLevel(trim_offsets=True)
    return {"bert": bert, "byte-level": gpt}


_CACHE: dict[int, dict[str, Any]] = {}


def pipelines(m: Module) -> dict[str, Any]:
    if id(m) not in _CACHE:
        _CACHE[id(m)] = _pipelines(m)
    return _CACHE[id(m)]


@pytest.mark.parametrize("add_special_tokens", [True, False])
@pytest.mark.parametrize("name", ["bert", "byte-level"])
def test_encode_pretokenized(ref: Module, ours: Module, name: str, add_special_tokens: bool) -> None:
    items: list[Any] = [
        [], [""], ["hello"], ["hello", "world"], ["hello world", " x "], ["Café", "中文", "😀", "\t"], ["unaffable", "test"],
        (["hello"], ["world", "test"]), ([], []), (["a b"], [""]),
    ]
    assert_same_encodings(
        pipelines(ref)[name], pipelines(ours)[name], items, name, is_pretokenized=True, add_special_tokens=add_special_tokens
    )


@PROPERTY
@given(first=words(), second=st.none() | words(), add_special_tokens=st.booleans())
def test_encode_pretokenized_generated(
    ref: Module, ours: Module, first: list[str], second: list[str] | None, add_special_tokens: bool
) -> None:
    item: Any = first if second is None else (first, second)
    for name in ("bert", "byte-level"):
        assert_same_encodings(
            pipelines(ref)[name], pipelines(ours)[name], [item], name, is_pretokenized=True, add_special_tokens=add_special_tokens
        )


def test_encode_keyword_arguments(ref: Module, ours: Module) -> None:
    for name in ("bert", "byte-level"):
        ref_tok, our_tok = pipelines(ref)[name], pipelines(ours)[name]
        assert_same_encoding(
            ref_tok.encode(sequence="hello", pair="world", is_pretokenized=False, add_special_tokens=True),
            our_tok.encode(sequence="hello", pair="world", is_pretokenized=False, add_special_tokens=True),
            f"{name}: encode(sequence=..., pair=...)",
        )
        assert_same_encoding(ref_tok.encode("hello", None), our_tok.encode("hello", None), f"{name}: encode(s, None)")


@pytest.mark.parametrize("name", ["bert", "byte-level"])
def test_encode_batch(ref: Module, ours: Module, name: str) -> None:
    singles = [*EDGE_TEXTS, *corpus()[:50]]
    pairs = list(zip(singles[::2], singles[1::2]))
    for label, batch, kwargs in [
        ("singles", singles, {}),
        ("pairs", pairs, {}),
        ("singles, no special tokens", singles, {"add_special_tokens": False}),
        ("pairs, no special tokens", pairs, {"add_special_tokens": False}),
        ("pre-tokenized", [t.split() for t in singles], {"is_pretokenized": True}),
        ("pre-tokenized pairs", [(a.split(), b.split()) for a, b in pairs], {"is_pretokenized": True}),
        ("empty batch", [], {}),
    ]:
        ref_tok, our_tok = pipelines(ref)[name], pipelines(ours)[name]
        expected = ref_tok.encode_batch(batch, **kwargs)
        actual = our_tok.encode_batch(batch, **kwargs)
        assert len(actual) == len(expected), f"{name}: encode_batch({label}) length"
        for item, want, got in zip(batch, expected, actual, strict=True):
            assert_same_encoding(want, got, f"{name}: encode_batch({label}) item {item!r:.200}")
            args = item if isinstance(item, tuple) else (item,)
            assert_same_encoding(want, ref_tok.encode(*args, **kwargs), f"HF's own encode_batch vs encode on {item!r:.100}")


def test_encode_batch_list_pairs(ref: Module, ours: Module) -> None:
    """HF also takes a pair as a two-element list."""
    same(ref, ours, lambda m: [e.ids for e in pipelines(m)["bert"].encode_batch([["hello", "world"], "test"])], "encode_batch([[a, b], c])")


# --------------------------------------------------------------------------------------------
# added tokens


def _with_added(m: Module) -> tuple[Any, list[Any]]:
    tok = m.Tokenizer(m.models.WordPiece(vocab={"[UNK]": 0, "hello": 1, "world": 2, "new": 3, "york": 4, "##s": 5}))
    tok.normalizer = m.normalizers.Lowercase()
    tok.pre_tokenizer = m.pre_tokenizers.Whitespace()
    tok.decoder = m.decoders.WordPiece()
    returns = [
        tok.add_tokens(["New York", "hello", "[X]", "ab", "a"]),  # "hello" is in the vocabulary already
        tok.add_special_tokens(["[SPECIAL]", "world", "<|endoftext|>"]),  # so is "world"
        tok.add_tokens(["New York"]),  # again
        tok.add_special_tokens([]),
        tok.add_tokens(["[SPECIAL]"]),
        tok.add_special_tokens(["ab"]),  # added as normal before
    ]
    return tok, returns


ADDED_TEXTS = [
    "HELLO new york New York[SPECIAL]world [X]x", "hello", "helloworld", "ab abc cab a", "New Yorks", "NEW YORK",
    "[SPECIAL][SPECIAL] [special]", "<|endoftext|>hello<|endoftext|>", "<|endoftext", "x[x]y", "", " [SPECIAL] ",
    "world worlds", "aaa", "ab\tab\nab",
]


def test_added_tokens(ref: Module, ours: Module) -> None:
    (ref_tok, ref_returns), (our_tok, our_returns) = _with_added(ref), _with_added(ours)
    assert our_returns == ref_returns, "return values of add_tokens/add_special_tokens"
    for flag in (True, False):
        assert our_tok.get_vocab(with_added_tokens=flag) == ref_tok.get_vocab(with_added_tokens=flag), f"get_vocab({flag})"
        assert our_tok.get_vocab_size(with_added_tokens=flag) == ref_tok.get_vocab_size(with_added_tokens=flag), f"get_vocab_size({flag})"
    assert our_tok.get_vocab() == ref_tok.get_vocab(), "get_vocab() default"
    assert our_tok.get_vocab_size() == ref_tok.get_vocab_size(), "get_vocab_size() default"
    for token in ["New York", "new york", "[SPECIAL]", "world", "[X]", "[x]", "ab", "a", "<|endoftext|>", "nope"]:
        assert our_tok.token_to_id(token) == ref_tok.token_to_id(token), f"token_to_id({token!r})"
    for i in range(ref_tok.get_vocab_size() + 2):
        assert our_tok.id_to_token(i) == ref_tok.id_to_token(i), f"id_to_token({i})"
    assert_same_encodings(ref_tok, our_tok, [*ADDED_TEXTS, *EDGE_TEXTS], "added tokens")
    assert_same_encodings(ref_tok, our_tok, [("hello [SPECIAL]", "New York ab")], "added tokens, pair")
    assert_same_encodings(ref_tok, our_tok, [["New York", "[SPECIAL]x", "hello"]], "added tokens, pre-tokenized", is_pretokenized=True)
    for text in ADDED_TEXTS:
        ids = ref_tok.encode(text).ids
        for skip in (True, False):
            expected = ref_tok.decode(ids, skip_special_tokens=skip)
            assert our_tok.decode(ids, skip_special_tokens=skip) == expected, f"decode({text!r}, skip_special_tokens={skip})"
    assert json.loads(our_tok.to_str())["added_tokens"] == json.loads(ref_tok.to_str())["added_tokens"], "added_tokens in to_str()"


@PROPERTY
@given(text=st.lists(st.sampled_from(["New York", "[SPECIAL]", "<|endoftext|>", "ab", "hello", " ", "NEW", "york"]) | texts(3), max_size=8).map("".join))
def test_added_tokens_generated(ref: Module, ours: Module, text: str) -> None:
    ref_tok, our_tok = _with_added_cached(ref), _with_added_cached(ours)
    assert_same_encodings(ref_tok, our_tok, [text], "added tokens")
    ids = ref_tok.encode(text).ids
    same(ref, ours, lambda m: _with_added_cached(m).decode(ids, skip_special_tokens=True), f"decode(encode({text!r}).ids)")


_ADDED: dict[int, Any] = {}


def _with_added_cached(m: Module) -> Any:
    if id(m) not in _ADDED:
        _ADDED[id(m)] = _with_added(m)[0]
    return _ADDED[id(m)]


def test_added_tokens_byte_level(ref: Module, ours: Module) -> None:
    def build(m: Module) -> Any:
        tok = byte_level_bpe(m)
        tok.add_special_tokens(["<|endoftext|>", "<|fim_prefix|>"])
        tok.add_tokens(["  ", " hello", "中文"])
        return tok

    ref_tok, our_tok = build(ref), build(ours)
    inputs = ["<|endoftext|>hello world<|endoftext|>", " hello  there 中文", "<|fim_prefix|> x", *corpus()[:30]]
    assert_same_encodings(ref_tok, our_tok, inputs, "byte-level with added tokens")
    for text in inputs:
        ids = ref_tok.encode(text).ids
        for skip in (True, False):
            assert our_tok.decode(ids, skip_special_tokens=skip) == ref_tok.decode(ids, skip_special_tokens=skip), f"decode {text!r:.100}"
