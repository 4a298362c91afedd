"""``pyaot_tokenizer.hf.processors`` against HuggingFace's, through whole tokenizers: every
``Encoding`` attribute of ``encode(seq)`` and ``encode(seq, pair)``, with and without special
tokens."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hf_compat import (  # noqa: F401 - ours_fixture and ref_fixture are the ref/ours fixtures
    EDGE_TEXTS,
    PROPERTY,
    Module,
    assert_same_encodings,
    bert_tokenizer,
    byte_level_bpe,
    corpus,
    ours_fixture,
    ref_fixture,
    same,
    texts,
    wordpiece_vocab,
)

Build = Callable[[Module], Any]
CLS, SEP = ("[CLS]", wordpiece_vocab()["[CLS]"]), ("[SEP]", wordpiece_vocab()["[SEP]"])
SPECIALS = [CLS, SEP]


def _template(single: Any, pair: Any = None, special_tokens: Any = None) -> Build:
    def build(m: Module) -> Any:
        kwargs: dict[str, Any] = {"single": single}
        if pair is not None:
            kwargs["pair"] = pair
        return m.processors.TemplateProcessing(**kwargs, special_tokens=SPECIALS if special_tokens is None else special_tokens)

    return build


# Processors for the BERT-shaped pipeline (WordPiece): the special token ids are in its vocabulary.
BERT_PROCESSORS: dict[str, Build] = {
    "none": lambda m: None,
    "BertProcessing": lambda m: m.processors.BertProcessing(SEP, CLS),
    "Template(str)": _template("[CLS] $A [SEP]", "[CLS] $A [SEP] $B:1 [SEP]:1"),
    "Template(list)": _template(["[CLS]", "$A", "[SEP]"], ["[CLS]", "$A", "[SEP]", "$B:1", "[SEP]:1"]),
    # "$N" is sequence A with type id N (not sequence N): HF's shorthand.
    "Template($N type ids)": _template("[CLS]:1 $1 [SEP]:2", "$0 [SEP] $B:1 [SEP]"),
    "Template($ and $B only)": _template("$", "$B:1 [SEP] $A"),
    "Template(single only; default pair)": _template("[CLS] $A [SEP]"),
    "Template(no specials)": _template("$A", "$A $B", []),
    "Template(multi-id special)": _template(
        "[X] $A [SEP]",
        "[X] $A [SEP] $B:1 [X]:1",
        [SEP, {"id": "[X]", "ids": [CLS[1], SEP[1]], "tokens": ["[CLS]", "[SEP]"]}],
    ),
    "Sequence([Bert])": lambda m: m.processors.Sequence([m.processors.BertProcessing(SEP, CLS)]),
    "Sequence([])": lambda m: m.processors.Sequence([]),
}

# Processors for the GPT-2-shaped pipeline (byte-level BPE); "<s>"/"</s>" are added special tokens.
BYTE_PROCESSORS: dict[str, Callable[[Module, Any], Any]] = {
    "none": lambda m, t: None,
    **{
        f"ByteLevel(trim_offsets={trim})": (lambda m, t, trim=trim: m.processors.ByteLevel(trim_offsets=trim))
        for trim in (True, False)
    },
    "ByteLevel()": lambda m, t: m.processors.ByteLevel(),
    **{
        f"RobertaProcessing(trim_offsets={trim}, add_prefix_space={prefix})": (
            lambda m, t, trim=trim, prefix=prefix: m.processors.RobertaProcessing(
                ("</s>", t.token_to_id("</s>")), ("<s>", t.token_to_id("<s>")), trim_offsets=trim, add_prefix_space=prefix
            )
        )
        for trim in (True, False)
        for prefix in (True, False)
    },
    "RobertaProcessing(defaults)": lambda m, t: m.processors.RobertaProcessing(
        ("</s>", t.token_to_id("</s>")), ("<s>", t.token_to_id("<s>"))
    ),
    "Sequence([ByteLevel(trim_offsets=True), Template])": lambda m, t: m.processors.Sequence(
        [
            m.processors.ByteLevel(trim_offsets=True),
            m.processors.TemplateProcessing(
                single="<s> $A", pair="<s> $A <s>:1 $B:1", special_tokens=[("<s>", t.token_to_id("<s>"))]
            ),
        ]
    ),
}

_CACHE: dict[tuple[int, str, str], Any] = {}


def bert(m: Module, name: str) -> Any:
    key = (id(m), "bert", name)
    if key not in _CACHE:
        tok = bert_tokenizer(m)
        tok.post_processor = BERT_PROCESSORS[name](m)
        _CACHE[key] = tok
    return _CACHE[key]


def byte_level(m: Module, name: str, add_prefix_space: bool = False) -> Any:
    key = (id(m), f"byte{add_prefix_space}", name)
    if key not in _CACHE:
        tok = byte_level_bpe(m)
        tok.pre_tokenizer = m.pre_tokenizers.ByteLevel(add_prefix_space=add_prefix_space)
        tok.add_special_tokens(["<s>", "</s>"])
        tok.post_processor = BYTE_PROCESSORS[name](m, tok)
        _CACHE[key] = tok
    return _CACHE[key]


TEXTS = [
    "", " ", "hello world", "Hello, World!", "  the  test  ", "don't stop", "café 中文 test", "\t\n", "a", "12 and 123",
    " leading space", "trailing space ", "😀 emoji", "e\u0301", "unaffable tests",
]
PAIRS = [(a, b) for a in TEXTS[:8] for b in TEXTS[:8]] + [("", ""), (" ", ""), ("hello", " "), (EDGE_TEXTS[-3], "x")]


def _inputs() -> list[Any]:
    return [*TEXTS, *EDGE_TEXTS, *PAIRS]


@pytest.mark.parametrize("add_special_tokens", [True, False])
@pytest.mark.parametrize("name", BERT_PROCESSORS)
def test_bert_pipeline(ref: Module, ours: Module, name: str, add_special_tokens: bool) -> None:
    assert_same_encodings(
        bert(ref, name), bert(ours, name), _inputs(), f"BERT + {name}", add_special_tokens=add_special_tokens
    )


@pytest.mark.parametrize("add_prefix_space", [False, True])
@pytest.mark.parametrize("add_special_tokens", [True, False])
@pytest.mark.parametrize("name", BYTE_PROCESSORS)
def test_byte_level_pipeline(ref: Module, ours: Module, name: str, add_special_tokens: bool, add_prefix_space: bool) -> None:
    assert_same_encodings(
        byte_level(ref, name, add_prefix_space),
        byte_level(ours, name, add_prefix_space),
        _inputs(),
        f"byte-level BPE (add_prefix_space={add_prefix_space}) + {name}",
        add_special_tokens=add_special_tokens,
    )


@PROPERTY
@given(a=texts(max_pieces=5), b=st.none() | texts(max_pieces=5), add_special_tokens=st.booleans())
def test_generated(ref: Module, ours: Module, a: str, b: str | None, add_special_tokens: bool) -> None:
    item: Any = a if b is None else (a, b)
    for name in BERT_PROCESSORS:
        assert_same_encodings(bert(ref, name), bert(ours, name), [item], f"BERT + {name}", add_special_tokens=add_special_tokens)
    for name in BYTE_PROCESSORS:
        assert_same_encodings(
            byte_level(ref, name), byte_level(ours, name), [item], f"byte-level + {name}", add_special_tokens=add_special_tokens
        )


def test_corpus_pairs(ref: Module, ours: Module) -> None:
    texts_ = list(corpus()[:120])
    pairs = list(zip(texts_[::2], texts_[1::2], strict=True))
    for name in ("BertProcessing", "Template($N type ids)"):
        assert_same_encodings(bert(ref, name), bert(ours, name), pairs, f"BERT + {name}")
    for name in ("RobertaProcessing(defaults)", "ByteLevel()"):
        assert_same_encodings(byte_level(ref, name), byte_level(ours, name), pairs, f"byte-level + {name}")


def test_is_pretokenized_pairs(ref: Module, ours: Module) -> None:
    items = [(["hello", "world"], ["test"]), ([], ["a"]), (["don't", " x "], [])]
    for name in BERT_PROCESSORS:
        assert_same_encodings(bert(ref, name), bert(ours, name), items, f"BERT + {name}", is_pretokenized=True)


def test_num_special_tokens_to_add(ref: Module, ours: Module) -> None:
    for name, build in BERT_PROCESSORS.items():
        for is_pair in (False, True):
            same(
                ref,
                ours,
                lambda m, build=build, is_pair=is_pair: None if build(m) is None else build(m).num_special_tokens_to_add(is_pair),
                f"{name}.num_special_tokens_to_add({is_pair})",
            )


def test_template_errors_alike(ref: Module, ours: Module) -> None:
    cases: dict[str, Build] = {
        "special token missing from special_tokens": _template("[CLS] $A [MISSING]"),
        "bad type id": _template("$A:x"),
        "pair template without $B": _template("$A", "$A [SEP]"),
        "unknown sequence $C": _template("$C"),
    }
    for what, build in cases.items():
        same(ref, ours, lambda m, build=build: type(build(m)).__name__, f"TemplateProcessing: {what}")
