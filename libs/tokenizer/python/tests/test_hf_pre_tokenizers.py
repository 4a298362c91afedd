"""``pyaot_tokenizer.hf.pre_tokenizers`` against HuggingFace's: ``pre_tokenize_str`` (pieces and
their offsets, as a list of ``(str, (start, end))`` tuples) on corner cases, generated text and the
corpus, and ``ByteLevel.alphabet()``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given

from hf_compat import (  # noqa: F401 - ours_fixture and ref_fixture are the ref/ours fixtures
    EDGE_TEXTS,
    GPT2_PATTERN,
    PROPERTY,
    Module,
    corpus,
    ours_fixture,
    ref_fixture,
    same,
    texts,
)

Build = Callable[[Module], Any]

BEHAVIORS = ("removed", "isolated", "merged_with_previous", "merged_with_next", "contiguous")
LLAMA3_PATTERN = (
    r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+"
    r"|\s+(?!\S)|\s+"
)


def _split(pattern: str, behavior: str, invert: bool, regex: bool) -> Build:
    def build(m: Module) -> Any:
        return m.pre_tokenizers.Split(m.Regex(pattern) if regex else pattern, behavior, invert=invert)

    return build


PRE_TOKENIZERS: dict[str, Build] = {
    "Whitespace()": lambda m: m.pre_tokenizers.Whitespace(),
    "WhitespaceSplit()": lambda m: m.pre_tokenizers.WhitespaceSplit(),
    "BertPreTokenizer()": lambda m: m.pre_tokenizers.BertPreTokenizer(),
    **{
        f"ByteLevel(add_prefix_space={a}, use_regex={r})": (
            lambda m, a=a, r=r: m.pre_tokenizers.ByteLevel(add_prefix_space=a, use_regex=r)
        )
        for a in (True, False)
        for r in (True, False)
    },
    "ByteLevel()": lambda m: m.pre_tokenizers.ByteLevel(),
    "Punctuation()": lambda m: m.pre_tokenizers.Punctuation(),
    **{f"Punctuation({b!r})": (lambda m, b=b: m.pre_tokenizers.Punctuation(behavior=b)) for b in BEHAVIORS},
    "Digits()": lambda m: m.pre_tokenizers.Digits(),
    "Digits(individual_digits=True)": lambda m: m.pre_tokenizers.Digits(individual_digits=True),
    "Digits(individual_digits=False)": lambda m: m.pre_tokenizers.Digits(individual_digits=False),
    "Metaspace()": lambda m: m.pre_tokenizers.Metaspace(),
    **{
        f"Metaspace({rep!r}, {scheme!r}, split={split})": (
            lambda m, rep=rep, scheme=scheme, split=split: m.pre_tokenizers.Metaspace(
                replacement=rep, prepend_scheme=scheme, split=split
            )
        )
        for rep in ("▁", "_")
        for scheme in ("always", "never", "first")
        for split in (True, False)
    },
    "CharDelimiterSplit('-')": lambda m: m.pre_tokenizers.CharDelimiterSplit("-"),
    "CharDelimiterSplit(' ')": lambda m: m.pre_tokenizers.CharDelimiterSplit(" "),
    "CharDelimiterSplit('é')": lambda m: m.pre_tokenizers.CharDelimiterSplit("é"),
    **{
        f"Split({pattern!r}{', Regex' if regex else ''}, {b!r}, invert={invert})": _split(pattern, b, invert, regex)
        for pattern, regex in ((" ", False), ("ab", False), (".", False), (r"\s+", True), (r"\p{N}", True), ("a|b+", True))
        for b in BEHAVIORS
        for invert in (False, True)
    },
    "Split('', 'isolated')": _split("", "isolated", False, False),
    "Split(Regex('x*'), 'isolated')": _split("x*", "isolated", False, True),
    "Split(Regex(GPT-2), 'isolated')": _split(GPT2_PATTERN, "isolated", False, True),
    "Split(Regex(GPT-2), 'removed', invert=True)": _split(GPT2_PATTERN, "removed", True, True),
    "Split(Regex(Llama-3), 'isolated')": _split(LLAMA3_PATTERN, "isolated", False, True),
    "Sequence([])": lambda m: m.pre_tokenizers.Sequence([]),
    "Sequence([Whitespace, Digits(True)])": lambda m: m.pre_tokenizers.Sequence(
        [m.pre_tokenizers.Whitespace(), m.pre_tokenizers.Digits(individual_digits=True)]
    ),
    "Sequence([WhitespaceSplit, Punctuation])": lambda m: m.pre_tokenizers.Sequence(
        [m.pre_tokenizers.WhitespaceSplit(), m.pre_tokenizers.Punctuation()]
    ),
    "Sequence([Split(Regex(Llama-3)), ByteLevel(False, use_regex=False)])": lambda m: m.pre_tokenizers.Sequence(
        [
            m.pre_tokenizers.Split(m.Regex(LLAMA3_PATTERN), "isolated"),
            m.pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False),
        ]
    ),
    "Sequence([Digits(True), ByteLevel])": lambda m: m.pre_tokenizers.Sequence(
        [m.pre_tokenizers.Digits(individual_digits=True), m.pre_tokenizers.ByteLevel()]
    ),
    "Sequence([Metaspace(split=False), Split(' ', 'merged_with_next')])": lambda m: m.pre_tokenizers.Sequence(
        [m.pre_tokenizers.Metaspace(split=False), m.pre_tokenizers.Split(" ", "merged_with_next")]
    ),
}


def _check(ref: Module, ours: Module, name: str, text: str) -> None:
    same(ref, ours, lambda m: PRE_TOKENIZERS[name](m).pre_tokenize_str(text), f"{name}.pre_tokenize_str({text!r:.300})")


@pytest.mark.parametrize("name", PRE_TOKENIZERS)
def test_pre_tokenize_str_edge_cases(ref: Module, ours: Module, name: str) -> None:
    for text in EDGE_TEXTS:
        _check(ref, ours, name, text)


@pytest.mark.parametrize("name", PRE_TOKENIZERS)
def test_pre_tokenize_str_corpus(ref: Module, ours: Module, name: str) -> None:
    ref_pre, our_pre = PRE_TOKENIZERS[name](ref), PRE_TOKENIZERS[name](ours)
    for text in corpus()[::3]:
        expected = ref_pre.pre_tokenize_str(text)
        assert our_pre.pre_tokenize_str(text) == expected, f"{name}.pre_tokenize_str({text!r:.300})"


@PROPERTY
@given(text=texts())
def test_pre_tokenize_str_generated(ref: Module, ours: Module, text: str) -> None:
    for name in PRE_TOKENIZERS:
        _check(ref, ours, name, text)


def test_result_types(ref: Module, ours: Module) -> None:
    """A list of tuples ``(str, (int, int))``, offsets in characters of the input."""
    expected = ref.pre_tokenizers.Whitespace().pre_tokenize_str("héllo wörld")
    assert expected == [("héllo", (0, 5)), ("wörld", (6, 11))]
    actual = ours.pre_tokenizers.Whitespace().pre_tokenize_str("héllo wörld")
    assert actual == expected
    assert type(actual) is list and all(type(p) is tuple and type(p[1]) is tuple for p in actual), repr(actual)


def test_byte_level_alphabet(ref: Module, ours: Module) -> None:
    # HF returns the 256 characters in HashSet order (it changes between processes): compare sets.
    expected = ref.pre_tokenizers.ByteLevel.alphabet()
    actual = ours.pre_tokenizers.ByteLevel.alphabet()
    assert isinstance(actual, list) and len(actual) == len(expected) == 256
    assert sorted(actual) == sorted(expected)
    # The GPT-2 byte-to-unicode map: printable Latin-1 maps to itself, the rest to U+0100 on.
    assert "Ġ" in actual and "Ċ" in actual and "a" in actual and " " not in actual


def test_invalid_arguments_rejected_alike(ref: Module, ours: Module) -> None:
    for what, build in {
        "Punctuation('nonsense')": lambda m: m.pre_tokenizers.Punctuation(behavior="nonsense"),
        "Split(' ', 'nonsense')": lambda m: m.pre_tokenizers.Split(" ", "nonsense"),
        "Metaspace(prepend_scheme='nonsense')": lambda m: m.pre_tokenizers.Metaspace(prepend_scheme="nonsense"),
        "CharDelimiterSplit('ab')": lambda m: m.pre_tokenizers.CharDelimiterSplit("ab"),
        "Regex('(')": lambda m: m.Regex("("),
    }.items():
        same(ref, ours, lambda m, build=build: type(build(m)).__name__, what)
