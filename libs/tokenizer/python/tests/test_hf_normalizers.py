"""``pyaot_tokenizer.hf.normalizers`` against HuggingFace's: ``normalize_str`` on corner cases,
generated text and the corpus, and the offsets a normalizer leaves behind in a whole tokenizer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given

from hf_compat import (  # noqa: F401 - ours_fixture and ref_fixture are the ref/ours fixtures
    EDGE_TEXTS,
    PROPERTY,
    Module,
    assert_same_encodings,
    corpus,
    ours_fixture,
    ref_fixture,
    same,
    texts,
)

Build = Callable[[Module], Any]


def _bert(clean_text: bool, chinese: bool, strip_accents: bool | None, lowercase: bool) -> Build:
    return lambda m: m.normalizers.BertNormalizer(
        clean_text=clean_text, handle_chinese_chars=chinese, strip_accents=strip_accents, lowercase=lowercase
    )


NORMALIZERS: dict[str, Build] = {
    "Lowercase()": lambda m: m.normalizers.Lowercase(),
    "StripAccents()": lambda m: m.normalizers.StripAccents(),
    "NFC()": lambda m: m.normalizers.NFC(),
    "NFD()": lambda m: m.normalizers.NFD(),
    "NFKC()": lambda m: m.normalizers.NFKC(),
    "NFKD()": lambda m: m.normalizers.NFKD(),
    "Replace('a', 'b')": lambda m: m.normalizers.Replace("a", "b"),
    "Replace(' ', '▁')": lambda m: m.normalizers.Replace(" ", "▁"),
    "Replace('ab', '')": lambda m: m.normalizers.Replace("ab", ""),
    "Replace('é', 'e')": lambda m: m.normalizers.Replace("é", "e"),
    "Replace('\\r\\n', '\\n')": lambda m: m.normalizers.Replace("\r\n", "\n"),
    "Replace('.', 'DOT')": lambda m: m.normalizers.Replace(".", "DOT"),  # a str pattern is literal
    "Replace(Regex('\\s+'), ' ')": lambda m: m.normalizers.Replace(m.Regex(r"\s+"), " "),
    "Replace(Regex('\\p{N}'), '#')": lambda m: m.normalizers.Replace(m.Regex(r"\p{N}"), "#"),
    "Replace(Regex('(?i)hello'), 'hi')": lambda m: m.normalizers.Replace(m.Regex(r"(?i)hello"), "hi"),
    "Replace(Regex('[\\u0300-\\u036f]'), '')": lambda m: m.normalizers.Replace(m.Regex("[\u0300-\u036f]"), ""),
    "Replace(Regex('.'), 'xy')": lambda m: m.normalizers.Replace(m.Regex("."), "xy"),
    "Strip()": lambda m: m.normalizers.Strip(),
    "Strip(left=False)": lambda m: m.normalizers.Strip(left=False),
    "Strip(right=False)": lambda m: m.normalizers.Strip(right=False),
    "Strip(False, False)": lambda m: m.normalizers.Strip(left=False, right=False),
    "Prepend('▁')": lambda m: m.normalizers.Prepend("▁"),
    "Prepend('ab ')": lambda m: m.normalizers.Prepend(prepend="ab "),
    "BertNormalizer()": lambda m: m.normalizers.BertNormalizer(),
    **{
        f"BertNormalizer({c}, {h}, {s}, {lc})": _bert(c, h, s, lc)
        for c in (True, False)
        for h in (True, False)
        for s in (None, True, False)
        for lc in (True, False)
    },
    "Sequence([])": lambda m: m.normalizers.Sequence([]),
    "Sequence([NFD, StripAccents, Lowercase])": lambda m: m.normalizers.Sequence(
        [m.normalizers.NFD(), m.normalizers.StripAccents(), m.normalizers.Lowercase()]
    ),
    "Sequence([Prepend('▁'), Replace(' ', '▁')])  (Llama)": lambda m: m.normalizers.Sequence(
        [m.normalizers.Prepend("▁"), m.normalizers.Replace(" ", "▁")]
    ),
    "Sequence([NFKC, Strip, Replace(Regex, ' '), Lowercase])": lambda m: m.normalizers.Sequence(
        [
            m.normalizers.NFKC(),
            m.normalizers.Strip(),
            m.normalizers.Replace(m.Regex(r"\s+"), " "),
            m.normalizers.Lowercase(),
        ]
    ),
    "Sequence([Sequence([NFC]), BertNormalizer])": lambda m: m.normalizers.Sequence(
        [m.normalizers.Sequence([m.normalizers.NFC()]), m.normalizers.BertNormalizer(strip_accents=True)]
    ),
}


def _hf_uppercase(ref: Module, text: str) -> str:
    normalized = ref.NormalizedString(text)
    normalized.uppercase()
    return str(normalized.normalized)


def _byte_tokenizer(m: Module, normalizer: Any) -> Any:
    """Every byte its own token: the offsets show where each normalized byte came from."""
    alphabet = sorted(m.pre_tokenizers.ByteLevel.alphabet())
    tok = m.Tokenizer(m.models.BPE(vocab={c: i for i, c in enumerate(alphabet)}, merges=[]))
    tok.normalizer = normalizer
    tok.pre_tokenizer = m.pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False)
    return tok


_TOKENIZERS: dict[tuple[int, str], Any] = {}


def _tokenizer(m: Module, name: str) -> Any:
    key = (id(m), name)
    if key not in _TOKENIZERS:
        _TOKENIZERS[key] = _byte_tokenizer(m, NORMALIZERS[name](m))
    return _TOKENIZERS[key]


def _check_normalize(ref: Module, ours: Module, name: str, text: str) -> None:
    same(ref, ours, lambda m: NORMALIZERS[name](m).normalize_str(text), f"{name}.normalize_str({text!r:.300})")


@pytest.mark.parametrize("name", NORMALIZERS)
def test_normalize_str_edge_cases(ref: Module, ours: Module, name: str) -> None:
    for text in EDGE_TEXTS:
        _check_normalize(ref, ours, name, text)


@pytest.mark.parametrize("name", NORMALIZERS)
def test_normalize_str_corpus(ref: Module, ours: Module, name: str) -> None:
    ref_norm, our_norm = NORMALIZERS[name](ref), NORMALIZERS[name](ours)
    for text in corpus():
        expected = ref_norm.normalize_str(text)
        assert our_norm.normalize_str(text) == expected, f"{name}.normalize_str({text!r:.300})"


@PROPERTY
@given(text=texts())
def test_normalize_str_generated(ref: Module, ours: Module, text: str) -> None:
    for name in NORMALIZERS:
        _check_normalize(ref, ours, name, text)


@pytest.mark.parametrize("name", NORMALIZERS)
def test_offsets_through_tokenizer_edge_cases(ref: Module, ours: Module, name: str) -> None:
    assert_same_encodings(_tokenizer(ref, name), _tokenizer(ours, name), EDGE_TEXTS, f"normalizer {name}")


@PROPERTY
@given(text=texts(max_pieces=6))
def test_offsets_through_tokenizer_generated(ref: Module, ours: Module, text: str) -> None:
    for name in NORMALIZERS:
        assert_same_encodings(_tokenizer(ref, name), _tokenizer(ours, name), [text], f"normalizer {name}")


def test_offsets_through_tokenizer_corpus(ref: Module, ours: Module) -> None:
    texts_ = list(corpus())[::4]
    for name in ("NFKD()", "BertNormalizer()", "Sequence([NFKC, Strip, Replace(Regex, ' '), Lowercase])"):
        ref_tok, our_tok = _tokenizer(ref, name), _tokenizer(ours, name)
        expected = ref_tok.encode_batch(texts_)
        actual = our_tok.encode_batch(texts_)
        for text, want, got in zip(texts_, expected, actual, strict=True):
            assert got.offsets == want.offsets, f"normalizer {name}: offsets of {text!r:.200}"
            assert got.ids == want.ids, f"normalizer {name}: ids of {text!r:.200}"


# Uppercase: HF's Python has no Uppercase normalizer; ours does, and it must do what HF's
# NormalizedString.uppercase() does (full case mapping: "ß" becomes "SS").


def _check_uppercase(ref: Module, ours: Module, text: str) -> None:
    expected = _hf_uppercase(ref, text)
    assert ours.normalizers.Uppercase().normalize_str(text) == expected, f"Uppercase().normalize_str({text!r:.300})"


def test_uppercase_edge_cases(ref: Module, ours: Module) -> None:
    for text in [*EDGE_TEXTS, "straße ǆ ﬁ ŉ ΐ"]:
        _check_uppercase(ref, ours, text)
    assert ours.normalizers.Uppercase().normalize_str("straße") == "STRASSE"


def test_uppercase_corpus(ref: Module, ours: Module) -> None:
    upper = ours.normalizers.Uppercase()
    for text in corpus():
        assert upper.normalize_str(text) == _hf_uppercase(ref, text), f"Uppercase().normalize_str({text!r:.300})"


@PROPERTY
@given(text=texts())
def test_uppercase_generated(ref: Module, ours: Module, text: str) -> None:
    _check_uppercase(ref, ours, text)


class _HfUpper:
    def normalize(self, normalized: Any) -> None:
        normalized.uppercase()


def test_uppercase_offsets_through_tokenizer(ref: Module, ours: Module) -> None:
    ref_tok = _byte_tokenizer(ref, ref.normalizers.Normalizer.custom(_HfUpper()))
    our_tok = _byte_tokenizer(ours, ours.normalizers.Uppercase())
    inputs = [*EDGE_TEXTS, "straße ǆ ﬁ ŉ ΐ", *list(corpus())[:60]]
    assert_same_encodings(ref_tok, our_tok, inputs, "normalizer Uppercase()")
