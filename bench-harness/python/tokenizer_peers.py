"""The tokenizer suites' engines, built the same way for every suite (`bench-harness/suites/tokenizer-*.toml`).

Each suite's case names start with the encoding they use (``cl100k-corpus``, ``o200k-corpus_large``),
and `run_suite.py` binds the case name to ``case`` when it evaluates an engine's ``call``, so an
engine reads::

    setup = "from tokenizer_peers import tiktoken_encoding, each"
    call = "each(tiktoken_encoding(case).encode_ordinary)"

Every encoder is built once per encoding and kept, so building it is never timed. Peers:

- ``tiktoken``: loads its vocabularies offline through :mod:`tiktoken_offline`.
- ``pyaot_tokenizer``: ours, a drop-in for tiktoken.
- ``rs_bpe``: its prebuilt ``openai.cl100k_base()`` / ``o200k_base()`` tokenizers.
- ``tokendagger``: a ``tokendagger.Tokenizer`` given tiktoken's pattern, ranks and special tokens.
- HuggingFace ``tokenizers``: a byte-level BPE model converted from tiktoken's ranks (see
  :func:`hf_tokenizer`), so its ids are tiktoken's.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable

import tiktoken_offline  # noqa: F401 (points TIKTOKEN_CACHE_DIR at the shared vocabularies)

__all__ = [
    "ENCODINGS",
    "each",
    "encoding_name",
    "hf_encode",
    "hf_tokenizer",
    "pyaot_encoding",
    "rs_bpe_tokenizer",
    "tiktoken_encoding",
    "tokendagger_tokenizer",
]

# Case-name prefix -> encoding name.
ENCODINGS = {"cl100k": "cl100k_base", "o200k": "o200k_base"}


def encoding_name(case: str) -> str:
    """The encoding a case uses: ``"cl100k-corpus"`` -> ``"cl100k_base"`` (a full name passes through)."""
    prefix = case.split("-", 1)[0]
    return ENCODINGS.get(prefix, prefix)


def each(encode: Callable[[str], list[int]]) -> Callable[[Iterable[str] | dict[str, str]], list[list[int]]]:
    """A callable encoding every text of a corpus, one call per text.

    A corpus is a JSON list of texts, or an object whose values are the texts (adversarial.json).
    """

    def run(texts):
        if isinstance(texts, dict):
            texts = texts.values()
        return [encode(text) for text in texts]

    return run


def tiktoken_encoding(case: str):
    """tiktoken's encoding for the case (a case name or an encoding name)."""
    return _tiktoken(encoding_name(case))


def pyaot_encoding(case: str):
    """Our encoding for the case."""
    return _pyaot(encoding_name(case))


def rs_bpe_tokenizer(case: str):
    """rs-bpe's prebuilt tokenizer for the case's encoding."""
    return _rs_bpe(encoding_name(case))


def tokendagger_tokenizer(case: str):
    """A TokenDagger tokenizer built from tiktoken's pattern, ranks and special tokens."""
    return _tokendagger(encoding_name(case))


# One encoder per encoding (not per case), built on first use, as an application would.
@functools.cache
def _tiktoken(name: str):
    import tiktoken

    return tiktoken.get_encoding(name)


@functools.cache
def _pyaot(name: str):
    import pyaot_tokenizer

    return pyaot_tokenizer.get_encoding(name)


@functools.cache
def _rs_bpe(name: str):
    from rs_bpe.bpe import openai

    return getattr(openai, name)()


@functools.cache
def _tokendagger(name: str):
    import tokendagger

    enc = _tiktoken(name)
    return tokendagger.Tokenizer(
        name=enc.name,
        pat_str=enc._pat_str,
        mergeable_ranks=enc._mergeable_ranks,
        special_tokens=enc._special_tokens,
    )


def _bytes_to_unicode() -> dict[int, str]:
    """GPT-2's byte -> printable character map (the ByteLevel pre-tokenizer's alphabet)."""
    printable = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1))
    printable += list(range(ord("®"), ord("ÿ") + 1))
    chars = printable[:]
    extra = 0
    for b in range(256):
        if b not in printable:
            printable.append(b)
            chars.append(256 + extra)
            extra += 1
    return dict(zip(printable, map(chr, chars)))


def hf_vocab_and_merges(ranks: dict[bytes, int]) -> tuple[dict[str, int], list[tuple[str, str]]]:
    """A byte-level BPE vocabulary and merge list equivalent to tiktoken's ranks.

    The usual conversion (transformers' ``TikTokenConverter``): every token is a vocabulary entry
    (its bytes through the byte-level alphabet); every split of a token into two tokens is a merge,
    ordered by the rank of the merged token, then by the ranks of the two halves. tiktoken merges
    the adjacent pair whose concatenation has the lowest rank, which is the merge list's order.
    """
    alphabet = _bytes_to_unicode()

    def text(token: bytes) -> str:
        return "".join(alphabet[b] for b in token)

    vocab = {text(token): rank for token, rank in ranks.items()}
    merges = []
    for token, rank in ranks.items():
        if len(token) < 2:
            continue
        pairs = [
            (ranks[token[:i]], ranks[token[i:]], token[:i], token[i:])
            for i in range(1, len(token))
            if token[:i] in ranks and token[i:] in ranks
        ]
        merges.extend((rank, left, right, a, b) for left, right, a, b in sorted(pairs))
    merges.sort()
    return vocab, [(text(a), text(b)) for _, _, _, a, b in merges]


def hf_tokenizer(case: str):
    """A HuggingFace ``tokenizers.Tokenizer`` giving tiktoken's ids for the case's encoding."""
    return _hf(encoding_name(case))


@functools.cache
def _hf(name: str):
    """A HuggingFace ``tokenizers.Tokenizer`` giving tiktoken's ids for the encoding.

    BPE over :func:`hf_vocab_and_merges` with ``ignore_merges`` (a piece that is a token is that
    token, as in tiktoken), pre-tokenized by a ``Split`` on tiktoken's own pattern (``isolated``)
    followed by ``ByteLevel(use_regex=False)``.
    """
    from tokenizers import Regex, Tokenizer, decoders, models, pre_tokenizers

    enc = _tiktoken(name)
    vocab, merges = hf_vocab_and_merges(enc._mergeable_ranks)
    # Oniguruma reads `x{1,3}+` as `(x{1,3})+`, not as possessive: tiktoken's cl100k pattern has
    # `\p{N}{1,3}+`, whose possessive `+` changes nothing at the end of an alternative.
    pattern = re.sub(r"(\{\d+(?:,\d*)?\})\+", r"\1", enc._pat_str)
    tokenizer = Tokenizer(models.BPE(vocab, merges, fuse_unk=False, byte_fallback=False, ignore_merges=True))
    tokenizer.pre_tokenizer = pre_tokenizers.Sequence(
        [
            pre_tokenizers.Split(Regex(pattern), behavior="isolated", invert=False),
            pre_tokenizers.ByteLevel(add_prefix_space=False, trim_offsets=False, use_regex=False),
        ]
    )
    tokenizer.decoder = decoders.ByteLevel()
    return tokenizer


def hf_encode(case: str) -> Callable[[str], list[int]]:
    """``encode_ordinary`` through the HuggingFace tokenizer: the ids of ``encode`` without special tokens."""
    tokenizer = hf_tokenizer(case)
    return lambda text: tokenizer.encode(text, add_special_tokens=False).ids
