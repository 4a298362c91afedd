"""Shared set-up of the differential tests of ``pyaot_tokenizer.hf`` against HuggingFace
``tokenizers`` (the ``test_hf_*.py`` files).

Every test builds the same object on both sides with identical calls, one on ``ref`` (the
``tokenizers`` module) and one on ``ours`` (``pyaot_tokenizer.hf``), and requires identical
results through the public Python API.

- The ``ref`` and ``ours`` fixtures give the two modules. A test module imports them with
  ``from hf_compat import ours_fixture, ref_fixture  # noqa: F401``.
- ``PYAOT_HF_SELFTEST=1`` makes ``ours`` HuggingFace's own module (plus an ``Uppercase``
  normalizer built from ``NormalizedString.uppercase``, which HF's Python lacks), so that the
  suite itself can be run and checked before ``pyaot_tokenizer.hf`` exists. Without it,
  ``pyaot_tokenizer.hf`` must import: an ImportError fails every test, nothing is skipped.
- Inputs: :data:`EDGE_TEXTS` (explicit corners), :func:`texts` (a hypothesis strategy that mixes
  those pieces with random text, never lone surrogates, which are not valid input for HF), and
  :func:`corpus` (``tokenizer/corpus.json`` from the shared data).
- Where HF panics (``pyo3_runtime.PanicException``, a BaseException: a bug in HF, not a
  behaviour to copy), ours may answer or raise an ordinary Exception, but must not panic: see
  :func:`outcome`.

HF 0.23.3 behaviours these tests pin down that are easy to get wrong:

- ``Regex`` is Oniguruma; a ``str`` pattern is literal; ``Split("")`` splits every character.
- ``ByteLevel.alphabet()`` is in HashSet order (changes between processes).
- ``BertProcessing``/``RobertaProcessing`` take ``(sep, cls_token)`` (the repr says ``cls``).
- Templates: ``$N`` is sequence A with type id N; the default ``pair`` is ``$A $B:1``.
- ``special_tokens_mask`` marks only post-processor tokens, not added special tokens in the text.
- Non-special added tokens are ``normalized`` (matched in normalized text, token = matched text).
- ``Encoding.words`` warns (DeprecationWarning). ``save`` defaults to pretty, ``to_str`` to compact.
- ``decoders.Strip`` panics when a token is shorter than ``right`` and all ``content``; ``BPE``
  panics when a merge's result is missing from the vocabulary.
- Trainers: prefix/suffix symbols get ids in HashMap order (see test_hf_train.py).
"""

from __future__ import annotations

import functools
import importlib
import json
import os
import types
import unicodedata
import warnings
from collections.abc import Callable, Iterable
from typing import Any

import pytest
import tokenizers
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

import pyaot_testdata

SELFTEST_ENV = "PYAOT_HF_SELFTEST"
SELFTEST = os.environ.get(SELFTEST_ENV) == "1"

Module = Any  # a ``tokenizers``-shaped module: ours or HuggingFace's


def _selftest_module() -> types.ModuleType:
    """HuggingFace's ``tokenizers``, with ``normalizers.Uppercase`` added (ours has it)."""

    class _Upper:
        def normalize(self, normalized: Any) -> None:
            normalized.uppercase()

    norms = types.ModuleType("selftest_normalizers")
    norms.__dict__.update(vars(tokenizers.normalizers))
    norms.Uppercase = lambda: tokenizers.normalizers.Normalizer.custom(_Upper())  # type: ignore[attr-defined]
    module = types.ModuleType("selftest_hf")
    module.__dict__.update(vars(tokenizers))
    module.normalizers = norms  # type: ignore[attr-defined]
    return module


@functools.cache
def load_ours() -> Module:
    if SELFTEST:
        return _selftest_module()
    return importlib.import_module("pyaot_tokenizer.hf")


@pytest.fixture(name="ref", scope="session")
def ref_fixture() -> Module:
    """HuggingFace ``tokenizers``: the reference."""
    return tokenizers


@pytest.fixture(name="ours", scope="session")
def ours_fixture() -> Module:
    """``pyaot_tokenizer.hf`` (HF itself under ``PYAOT_HF_SELFTEST=1``)."""
    return load_ours()


# Hypothesis: modest example counts so that the whole test_hf_* suite stays well under a minute.
# Derandomised under CI by the repository's "ci" profile (root conftest.py).
PROPERTY = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SMALL_PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# --------------------------------------------------------------------------------------------
# Inputs

HANGUL = "한국어 텍스트"
PIECES: list[str] = [
    "", " ", "  ", "   ", "\t", "\n", "\r\n", "\r", "\x0b", "\x0c", "\u00a0", "\u3000", "\u2028", "\u0085",
    "\u200b", "\u200d", "\ufeff", "\x00", "\x01", "\x7f", "\x9f",
    "a", "Z", "hello", "World", "HELLO", "don't", "I'm", "we'll", "IT'S", "'s", "'", "##", "##ab", "</w>", "▁", "▁a",
    "e\u0301", "\u0300", "\u0301\u0302", "é", "É", "Crème", "Brûlée", "naïve", "Ångström", "ß", "İ", "ı", "ǅ", "ǆ",
    "Σ", "ς", "ﬁ", "ﬀ", "①", "²", "½", "™", "Ａ", "ｂ", "１２", "ｶﾞ", "ℌ", "Ⅷ",
    "😀", "👍🏽", "👨‍👩‍👧‍👦", "🏳️‍🌈", "🇺🇸", "❤️",
    "中文", "日本語", "ひらがな", "カタカナ", HANGUL, unicodedata.normalize("NFD", HANGUL), "ᄀ", "ᅡ", "ᆨ",
    "ภาษาไทย", "العربية", "עברית", "हिन्दी", "русский", "Ελληνικά",
    "0", "7", "42", "12345", "3.14", "٣٤", "१२",
    ".", ",", "!", "?", "...", "-", "_", "(", ")", "[", "]", "{", "}", "/", "\\", "@", "#", "$", "%", "&", "*", "+",
    "=", "<", ">", "|", "~", "`", "^", '"', "“", "”", "«", "»", "¿", "¡", "—", "–", "·",
    "[CLS]", "[SEP]", "[UNK]", "<s>", "</s>", "<unk>", "<0x41>", "Ġ", "Ċ",
]

EDGE_TEXTS: list[str] = [
    "", " ", "   ", "\t", "\t\tx\t", "\n", "a\r\nb", "\r\n\r\n", "a\rb", " \t\n \u00a0 ", "x\u3000y",
    "e\u0301", "\u0300", "\u0300a", "a\u0300\u0301\u0302", "Crème Brûlée", "ÅÄÖ åäö", "naïve café",
    "İstanbul ıi", "Straße", "ǅemal", "ΣΊΣΥΦΟΣ σίσυφος",
    "😀", "👨‍👩‍👧‍👦 family", "👍🏽👍🏿", "🏳️‍🌈", "🇺🇸🇫🇷", "a😀b",
    "中文字符", "日本語のテキスト", "ภาษาไทยง่ายนิดเดียว", "العربية لغة", "עברית", "हिन्दी",
    HANGUL, unicodedata.normalize("NFD", HANGUL), "각", "각",
    "ﬁne ﬂow", "①②③", "ＡＢＣ１２３ｘｙｚ", "x²+y½", "ｶﾞｷﾞ", "™ℌ",
    "\x00", "a\x00b", "\x01\x02\x03", "\x7f", "\x9f", "\u200b\u200d\ufeff", "a\u200bb",
    "hello   world", "  leading", "trailing  ", "Hello, World!", "don't I'm we'll IT'S",
    "a.b,c!d?e", "3.14159 12345 007", "٣٤٥ १२३", "x=1+2*3", "path/to/file.rs", "snake_case camelCase",
    "[CLS] [SEP] <s> </s> <unk> [UNK]", "<0x41><0xE2>", "▁▁a ▁", "##ab ##", "end</w>",
    "\"quoted\" “curly” «guillemets»",
    "x" * 3000,
    "é" * 1500,
    "ab " * 1000,
    "hello world " * 300,
    "中" * 800,
    "1234567890" * 100,
    "😀" * 300,
    "  " * 500,
]

_chars = st.characters(exclude_categories=("Cs",))  # lone surrogates are not valid HF input


def texts(max_pieces: int = 12) -> st.SearchStrategy[str]:
    """Text made of the corner pieces above and runs of arbitrary (non-surrogate) characters."""
    piece = st.one_of(st.sampled_from(PIECES), st.text(_chars, max_size=6))
    return st.lists(piece, max_size=max_pieces).map("".join)


def words(max_words: int = 8) -> st.SearchStrategy[list[str]]:
    """Lists of words for ``is_pretokenized=True``."""
    word = st.one_of(st.sampled_from(PIECES), st.text(_chars, min_size=0, max_size=6))
    return st.lists(word, max_size=max_words)


@functools.cache
def corpus() -> tuple[str, ...]:
    """The texts of ``tokenizer/corpus.json`` (583 texts, 220k characters)."""
    texts_ = json.loads(pyaot_testdata.data_path("tokenizer/corpus.json").read_text(encoding="utf-8"))
    assert isinstance(texts_, list) and texts_, "corpus.json should be a non-empty list of texts"
    return tuple(texts_)


# --------------------------------------------------------------------------------------------
# Comparison


def outcome(fn: Callable[[], Any]) -> tuple[str, Any]:
    """``("ok", value)`` or ``("error", exception)``, so that both sides can be compared even
    when HF refuses an input."""
    try:
        return "ok", fn()
    except Exception as exc:  # noqa: BLE001 - any refusal is compared with the other side's
        return "error", exc
    except BaseException as exc:
        # HF panics on a few inputs (pyo3_runtime.PanicException, a BaseException). That is a
        # bug, not a behaviour to copy: ours may answer or refuse with an ordinary Exception,
        # but must not panic.
        if type(exc).__name__ != "PanicException":
            raise
        return "panic", exc


def assert_same_outcome(expected: tuple[str, Any], actual: tuple[str, Any], what: str) -> None:
    """Both sides return equal values, or both raise (ours an instance of HF's exception type)."""
    if expected[0] == "panic":
        assert actual[0] != "panic", f"{what}: ours panicked too: {actual[1]!r}"
        return
    if expected[0] == "error":
        assert actual[0] == "error", f"{what}: HF raised {expected[1]!r}, ours returned {actual[1]!r}"
        assert isinstance(actual[1], type(expected[1])), (
            f"{what}: HF raised {type(expected[1]).__name__} ({expected[1]}), ours raised "
            f"{type(actual[1]).__name__} ({actual[1]})"
        )
    else:
        assert actual[0] == "ok", f"{what}: HF returned {expected[1]!r:.2000}, ours raised {actual[1]!r}"
        assert actual[1] == expected[1], f"{what}:\n{describe_difference(expected[1], actual[1])}"


def describe_difference(expected: Any, actual: Any) -> str:
    """HF's and our values, or for two lists the first place where they differ."""
    if isinstance(expected, list) and isinstance(actual, list):
        for i, (want, got) in enumerate(zip(expected, actual)):
            if want != got:
                return f"  first difference at [{i}] of {len(expected)}:\n  HF:   {want!r:.2000}\n  ours: {got!r:.2000}"
        if len(expected) != len(actual):
            return f"  lengths differ: HF {len(expected)}, ours {len(actual)}"
    return f"  HF:   {expected!r:.2000}\n  ours: {actual!r:.2000}"


def same(ref: Module, ours: Module, fn: Callable[[Module], Any], what: str) -> Any:
    """Run ``fn`` on both modules and require the same outcome; returns HF's value."""
    expected = outcome(lambda: fn(ref))
    assert_same_outcome(expected, outcome(lambda: fn(ours)), what)
    return expected[1]


ENCODING_ATTRS = (
    "ids", "tokens", "offsets", "type_ids", "attention_mask", "special_tokens_mask", "word_ids", "words",
    "sequence_ids",
)


def encoding_view(encoding: Any) -> dict[str, Any]:
    """Every compared attribute of an ``Encoding``, with ``len()`` and ``overflowing``."""
    with warnings.catch_warnings():  # HF: "Encoding.words is deprecated" (a DeprecationWarning)
        warnings.simplefilter("ignore", DeprecationWarning)
        view = {name: getattr(encoding, name) for name in ENCODING_ATTRS}
    view["len"] = len(encoding)
    view["overflowing"] = [encoding_view(o) for o in encoding.overflowing]
    return view


def assert_same_encoding(expected: Any, actual: Any, what: str) -> None:
    want, got = encoding_view(expected), encoding_view(actual)
    for name in want:
        assert got[name] == want[name], f"{what}: Encoding.{name} differs\n  HF:   {want[name]!r}\n  ours: {got[name]!r}"


def assert_same_encodings(
    ref_tok: Any, our_tok: Any, inputs: Iterable[Any], what: str, **kwargs: Any
) -> None:
    """``encode`` each input (a str, a ``(a, b)`` pair, or a word list with ``is_pretokenized``)
    on both tokenizers and compare every attribute."""
    for item in inputs:
        args = item if isinstance(item, tuple) else (item,)
        expected = outcome(lambda: ref_tok.encode(*args, **kwargs))
        actual = outcome(lambda: our_tok.encode(*args, **kwargs))
        label = f"{what}: encode{args!r:.300} {kwargs}"
        if expected[0] == "ok" and actual[0] == "ok":
            assert_same_encoding(expected[1], actual[1], label)
        else:
            assert_same_outcome(expected, actual, label)


# --------------------------------------------------------------------------------------------
# Building blocks shared by several files


def bpe_vocab_merges(alphabet: Iterable[str], words_: Iterable[str]) -> tuple[dict[str, int], list[tuple[str, str]]]:
    """A consistent BPE vocabulary and merge list, built without training: every alphabet
    character, then for each word the left-to-right merges that spell it."""
    vocab: dict[str, int] = {}
    for c in alphabet:
        vocab.setdefault(c, len(vocab))
    merges: list[tuple[str, str]] = []
    for word in words_:
        chars = list(word)
        for c in chars:
            vocab.setdefault(c, len(vocab))
        left = chars[0]
        for c in chars[1:]:
            joined = left + c
            if joined not in vocab:
                vocab[joined] = len(vocab)
                merges.append((left, c))
            left = joined
    return vocab, merges


GPT2_PATTERN = r"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"

BYTE_WORDS = [
    "Ġthe", "Ġand", "Ġhello", "Ġworld", "hello", "world", "ing", "Ġtest", "Ġ.", "ĠĠ", "ĠĠĠ", "Ċ", "ĊĊ", "Ġdon", "'t",
    "Ġa", "Ġin", "er", "Ġ1", "23", "ä¸Ń", "Ġ(", "Ġ)", "Ġ=",
]


def byte_level_bpe(m: Module) -> Any:
    """A GPT-2-shaped ``Tokenizer`` (ByteLevel pre-tokenizer, BPE, ByteLevel decoder) over a
    hand-made vocabulary; the post-processor is left to the caller."""
    alphabet = sorted(m.pre_tokenizers.ByteLevel.alphabet())
    vocab, merges = bpe_vocab_merges(alphabet, BYTE_WORDS)
    tok = m.Tokenizer(m.models.BPE(vocab=vocab, merges=merges))
    tok.pre_tokenizer = m.pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = m.decoders.ByteLevel()
    return tok


WORDPIECE_WORDS = [
    "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "and", "hello", "world", "test", "##s", "##ing", "##ed", "un",
    "##aff", "##able", "don", "'", "t", ".", ",", "!", "?", "-", "(", ")", "1", "2", "3", "##1", "##2", "##3", "12",
    "中", "文", "字", "café", "cafe", "creme", "brulee", "##e", "##a", "straße", "strasse",
]


def wordpiece_vocab() -> dict[str, int]:
    """A small BERT-style vocabulary: specials, words, ``##`` pieces and every ASCII letter both
    as a word start and as a continuation."""
    vocab: dict[str, int] = {}
    for token in WORDPIECE_WORDS:
        vocab.setdefault(token, len(vocab))
    for c in "abcdefghijklmnopqrstuvwxyz0123456789":
        vocab.setdefault(c, len(vocab))
        vocab.setdefault("##" + c, len(vocab))
    return vocab


def bert_tokenizer(m: Module, *, lowercase: bool = True) -> Any:
    """BertNormalizer + BertPreTokenizer + WordPiece + BertProcessing + WordPiece decoder."""
    vocab = wordpiece_vocab()
    tok = m.Tokenizer(m.models.WordPiece(vocab=vocab, unk_token="[UNK]"))
    tok.normalizer = m.normalizers.BertNormalizer(lowercase=lowercase)
    tok.pre_tokenizer = m.pre_tokenizers.BertPreTokenizer()
    tok.post_processor = m.processors.BertProcessing(("[SEP]", vocab["[SEP]"]), ("[CLS]", vocab["[CLS]"]))
    tok.decoder = m.decoders.WordPiece()
    return tok
