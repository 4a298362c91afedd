"""``tokenizer.json`` compatibility of ``pyaot_tokenizer.hf`` with HuggingFace: ``to_str`` emits
the same document as HF (as parsed JSON, and as text, key order and layout included), a file
written by either side loads in the other and encodes identically, trained tokenizers survive the
round trip, and unsupported components are refused with a message that names them."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import tokenizers

import test_hf_decoders
import test_hf_models
import test_hf_normalizers
import test_hf_pre_tokenizers
import test_hf_processors
from hf_compat import (  # noqa: F401 - ours_fixture and ref_fixture are the ref/ours fixtures
    EDGE_TEXTS,
    SELFTEST,
    Module,
    assert_same_encodings,
    bert_tokenizer,
    byte_level_bpe,
    corpus,
    ours_fixture,
    ref_fixture,
    wordpiece_vocab,
)

Build = Callable[[Module], Any]


def _gpt2(m: Module) -> Any:
    tok = byte_level_bpe(m)
    tok.post_processor = m.processors.ByteLevel(trim_offsets=False)
    tok.add_special_tokens(["<|endoftext|>"])
    return tok


def _bert_template(m: Module) -> Any:
    tok = bert_tokenizer(m)
    vocab = wordpiece_vocab()
    tok.post_processor = m.processors.TemplateProcessing(
        single="[CLS] $A [SEP]",
        pair="[CLS] $A [SEP] $B:1 [SEP]:1",
        special_tokens=[("[CLS]", vocab["[CLS]"]), ("[SEP]", vocab["[SEP]"])],
    )
    tok.add_special_tokens(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"])
    return tok


def _roberta(m: Module) -> Any:
    tok = byte_level_bpe(m)
    tok.add_special_tokens(["<s>", "<pad>", "</s>", "<unk>", "<mask>"])
    tok.post_processor = m.processors.RobertaProcessing(
        ("</s>", tok.token_to_id("</s>")), ("<s>", tok.token_to_id("<s>")), trim_offsets=True, add_prefix_space=False
    )
    return tok


def _llama(m: Module) -> Any:
    vocab = {"<unk>": 0, "<s>": 1, "</s>": 2, **{f"<0x{b:02X}>": 3 + b for b in range(256)}}
    pieces, merges = test_hf_models.vocab_merges(["▁the", "▁hello", "▁world", "▁a", "ing", "▁Rust"], extra=["▁"])
    for token in pieces:
        vocab.setdefault(token, len(vocab))
    tok = m.Tokenizer(m.models.BPE(vocab=vocab, merges=merges, unk_token="<unk>", byte_fallback=True, fuse_unk=True))
    tok.normalizer = m.normalizers.Sequence([m.normalizers.Prepend("▁"), m.normalizers.Replace(" ", "▁")])
    tok.decoder = m.decoders.Sequence(
        [m.decoders.Replace("▁", " "), m.decoders.ByteFallback(), m.decoders.Fuse(), m.decoders.Strip(" ", 1, 0)]
    )
    tok.post_processor = m.processors.TemplateProcessing(single="<s> $A", pair="<s> $A <s> $B", special_tokens=[("<s>", 1)])
    tok.add_special_tokens(["<unk>", "<s>", "</s>"])
    return tok


def _bare(m: Module) -> Any:
    return m.Tokenizer(m.models.BPE(vocab={"a": 0, "b": 1, "ab": 2}, merges=[("a", "b")]))


PIPELINES: dict[str, Build] = {
    "bare BPE": _bare,
    "GPT-2": _gpt2,
    "BERT (BertProcessing)": bert_tokenizer,
    "BERT (TemplateProcessing)": _bert_template,
    "RoBERTa": _roberta,
    "Llama": _llama,
}


def _texts() -> list[str]:
    return [*EDGE_TEXTS, *corpus()[::6], "<s>hello</s> [CLS] <|endoftext|>"]


def _pairs() -> list[tuple[str, str]]:
    texts = list(corpus()[:40])
    return list(zip(texts[::2], texts[1::2], strict=True))


@pytest.mark.parametrize("pretty", [False, True])
@pytest.mark.parametrize("name", PIPELINES)
def test_to_str_same_document(ref: Module, ours: Module, name: str, pretty: bool) -> None:
    expected, actual = PIPELINES[name](ref).to_str(pretty=pretty), PIPELINES[name](ours).to_str(pretty=pretty)
    assert json.loads(actual) == json.loads(expected), f"{name}: to_str(pretty={pretty}) parses to another document"
    assert actual == expected, f"{name}: to_str(pretty={pretty}) differs in text (key order or layout)"


def test_to_str_default_is_compact(ref: Module, ours: Module) -> None:
    for m in (ref, ours):
        assert _gpt2(m).to_str() == _gpt2(m).to_str(pretty=False), f"{m.__name__}: to_str() default"
        assert "\n" not in _gpt2(m).to_str()


@pytest.mark.parametrize("name", PIPELINES)
def test_cross_load_from_str(ref: Module, ours: Module, name: str) -> None:
    ref_tok, our_tok = PIPELINES[name](ref), PIPELINES[name](ours)
    ref_json, our_json = ref_tok.to_str(), our_tok.to_str()
    ours_from_hf = ours.Tokenizer.from_str(ref_json)
    hf_from_ours = ref.Tokenizer.from_str(our_json)
    assert_same_encodings(ref_tok, ours_from_hf, [*_texts(), *_pairs()], f"{name}: HF's JSON loaded by ours")
    assert_same_encodings(ref_tok, hf_from_ours, _texts(), f"{name}: our JSON loaded by HF")
    assert ours_from_hf.to_str() == ref_json, f"{name}: ours.from_str(HF JSON).to_str() is not HF's JSON"
    ids = [ref_tok.encode(t).ids for t in _texts()]
    for skip in (True, False):
        assert ours_from_hf.decode_batch(ids, skip_special_tokens=skip) == ref_tok.decode_batch(ids, skip_special_tokens=skip), (
            f"{name}: decode_batch after loading HF's JSON (skip_special_tokens={skip})"
        )
    assert ours_from_hf.get_vocab() == ref_tok.get_vocab(), f"{name}: get_vocab after loading"


@pytest.mark.parametrize("pretty", [False, True])
@pytest.mark.parametrize("name", ["GPT-2", "BERT (TemplateProcessing)", "Llama"])
def test_save_and_from_file(ref: Module, ours: Module, name: str, pretty: bool, tmp_path: Path) -> None:
    hf_path, our_path = tmp_path / "hf.json", tmp_path / "ours.json"
    PIPELINES[name](ref).save(str(hf_path), pretty=pretty)
    PIPELINES[name](ours).save(str(our_path), pretty=pretty)
    assert our_path.read_text(encoding="utf-8") == hf_path.read_text(encoding="utf-8"), f"{name}: save(pretty={pretty}) file"
    ours_from_hf = ours.Tokenizer.from_file(str(hf_path))
    hf_from_ours = ref.Tokenizer.from_file(str(our_path))
    assert_same_encodings(hf_from_ours, ours_from_hf, [*_texts(), *_pairs()], f"{name}: from_file across sides")


def test_save_default_is_pretty(ref: Module, ours: Module, tmp_path: Path) -> None:
    """HF's ``save`` defaults to ``pretty=True``, unlike ``to_str``."""
    for m, path in ((ref, tmp_path / "hf.json"), (ours, tmp_path / "ours.json")):
        _gpt2(m).save(str(path))
        assert path.read_text(encoding="utf-8") == _gpt2(m).to_str(pretty=True), f"{m.__name__}: save() default"


# --------------------------------------------------------------------------------------------
# Every component alone: its JSON, and loading it on the other side


def _component_cases() -> dict[str, Callable[[Module], Any]]:
    cases: dict[str, Callable[[Module], Any]] = {}

    def with_attr(attr: str, build: Build) -> Callable[[Module], Any]:
        def make(m: Module) -> Any:
            tok = bert_tokenizer(m)
            setattr(tok, attr, build(m))
            return tok

        return make

    for name, build in test_hf_normalizers.NORMALIZERS.items():
        cases[f"normalizer {name}"] = with_attr("normalizer", build)
    for name, build in test_hf_pre_tokenizers.PRE_TOKENIZERS.items():
        cases[f"pre_tokenizer {name}"] = with_attr("pre_tokenizer", build)
    for name, build in test_hf_decoders.DECODERS.items():
        cases[f"decoder {name}"] = with_attr("decoder", build)
    for name, build in test_hf_processors.BERT_PROCESSORS.items():
        cases[f"post_processor {name}"] = with_attr("post_processor", build)
    for name, build in test_hf_processors.BYTE_PROCESSORS.items():
        cases[f"post_processor {name}"] = lambda m, build=build: _with_byte_processor(m, build)
    for name, build in test_hf_models.MODELS.items():
        cases[f"model {name}"] = lambda m, build=build: m.Tokenizer(build(m))
    return cases


def _with_byte_processor(m: Module, build: Callable[[Module, Any], Any]) -> Any:
    tok = byte_level_bpe(m)
    tok.add_special_tokens(["<s>", "</s>"])
    tok.post_processor = build(m, tok)
    return tok


COMPONENTS = _component_cases()


def test_component_json(ref: Module, ours: Module) -> None:
    for name, build in COMPONENTS.items():
        expected = build(ref).to_str()
        actual = build(ours).to_str()
        assert json.loads(actual) == json.loads(expected), f"{name}: to_str() document differs"
        assert actual == expected, f"{name}: to_str() text differs (key order?)"
        loaded = ours.Tokenizer.from_str(expected)
        assert loaded.to_str() == expected, f"{name}: ours.from_str(HF JSON).to_str()"
        assert_same_encodings(build(ref), loaded, ["Hello, World! 12 héllo  中文", "a b", ("x", "y")], f"{name} loaded by ours")


# --------------------------------------------------------------------------------------------
# Tokenizers trained by HF


def _trained_gpt2(ref: Module) -> Any:
    tok = ref.Tokenizer(ref.models.BPE())
    tok.pre_tokenizer = ref.pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = ref.decoders.ByteLevel()
    tok.post_processor = ref.processors.ByteLevel(trim_offsets=False)
    trainer = ref.trainers.BpeTrainer(
        vocab_size=1500, show_progress=False, initial_alphabet=ref.pre_tokenizers.ByteLevel.alphabet(), special_tokens=["<|endoftext|>"]
    )
    tok.train_from_iterator(list(corpus()), trainer=trainer)
    return tok


def _trained_bert(ref: Module) -> Any:
    tok = ref.Tokenizer(ref.models.WordPiece(unk_token="[UNK]"))
    tok.normalizer = ref.normalizers.BertNormalizer()
    tok.pre_tokenizer = ref.pre_tokenizers.BertPreTokenizer()
    tok.decoder = ref.decoders.WordPiece()
    specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    tok.train_from_iterator(
        list(corpus()), trainer=ref.trainers.WordPieceTrainer(vocab_size=1500, limit_alphabet=299, show_progress=False, special_tokens=specials)
    )
    tok.post_processor = ref.processors.BertProcessing(("[SEP]", tok.token_to_id("[SEP]")), ("[CLS]", tok.token_to_id("[CLS]")))
    return tok


def _trained_llama(ref: Module) -> Any:
    tok = _llama(ref)
    tok.model = ref.models.BPE(unk_token="<unk>", byte_fallback=True, fuse_unk=True)
    trainer = ref.trainers.BpeTrainer(
        vocab_size=1200, show_progress=False, limit_alphabet=200, special_tokens=["<unk>", "<s>", "</s>", *(f"<0x{b:02X}>" for b in range(256))]
    )
    tok.train_from_iterator(list(corpus()), trainer=trainer)
    return tok


TRAINED: dict[str, Callable[[Module], Any]] = {"GPT-2": _trained_gpt2, "BERT": _trained_bert, "Llama": _trained_llama}


@pytest.mark.parametrize("name", TRAINED)
def test_hf_trained_loaded_by_ours(ref: Module, ours: Module, name: str, tmp_path: Path) -> None:
    hf_tok = TRAINED[name](ref)
    path = tmp_path / "tokenizer.json"
    hf_tok.save(str(path))
    our_tok = ours.Tokenizer.from_file(str(path))
    assert our_tok.to_str() == hf_tok.to_str(), f"trained {name}: our to_str() after from_file"
    texts = list(corpus())
    expected, actual = hf_tok.encode_batch(texts), our_tok.encode_batch(texts)
    for text, want, got in zip(texts, expected, actual, strict=True):
        assert (got.ids, got.tokens, got.offsets) == (want.ids, want.tokens, want.offsets), f"trained {name}: {text!r:.200}"
    batch = [e.ids for e in expected]
    assert our_tok.decode_batch(batch) == hf_tok.decode_batch(batch), f"trained {name}: decode_batch(corpus)"
    assert_same_encodings(hf_tok, our_tok, [*EDGE_TEXTS, *_pairs()[:10]], f"trained {name}")
    back = ref.Tokenizer.from_str(our_tok.to_str(pretty=True))
    assert back.to_str() == hf_tok.to_str(), f"trained {name}: HF reloading our pretty JSON"


# --------------------------------------------------------------------------------------------
# Unsupported components


def _unsupported_documents() -> dict[str, tuple[str, str]]:
    """Case name: (the component type the error must name, a tokenizer.json HF accepts)."""
    base = json.loads(bert_tokenizer(tokenizers).to_str())
    unigram = dict(base, model={"type": "Unigram", "unk_id": 0, "vocab": [["<unk>", 0.0], ["a", -1.0]], "byte_fallback": False})
    nmt = dict(base, normalizer={"type": "Nmt"})
    scripts = dict(base, pre_tokenizer={"type": "UnicodeScripts"})
    nested = dict(base, pre_tokenizer={"type": "Sequence", "pretokenizers": [{"type": "Whitespace"}, {"type": "UnicodeScripts"}]})
    return {
        "model Unigram": ("Unigram", json.dumps(unigram)),
        "normalizer Nmt": ("Nmt", json.dumps(nmt)),
        "pre_tokenizer UnicodeScripts": ("UnicodeScripts", json.dumps(scripts)),
        "UnicodeScripts inside a Sequence": ("UnicodeScripts", json.dumps(nested)),
    }


@pytest.mark.parametrize("case", _unsupported_documents())
def test_unsupported_component_refused(ref: Module, ours: Module, case: str) -> None:
    component, document = _unsupported_documents()[case]
    # The document is valid for HF (so the refusal below is about support, not syntax).
    assert ref.Tokenizer.from_str(document).encode("a b").tokens, f"{case}: HF should load and use the document"
    if SELFTEST:  # ours is HF, which supports everything
        return
    with pytest.raises(Exception) as error:
        ours.Tokenizer.from_str(document)
    assert component in str(error.value), f"{case}: the error should name {component}: {error.value}"
