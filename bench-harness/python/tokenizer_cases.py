"""The expected results of the Rust tokenizer suites, computed with tiktoken.

    .venv-bench/bin/python bench-harness/python/tokenizer_cases.py SUITE...

prints, for every case of each named criterion suite (``tokenizer-rust``, ``tokenizer-worst``,
``tokenizer-load-rust``), the ``result`` its engines must reproduce; paste them into the suite
file when a case changes. The Rust twin of everything here is `bench-harness/benches/tokenizer_common.rs`:

- a case name starts with its encoding (``cl100k-...`` / ``o200k-...``);
- a case with an ``input`` encodes every text of that JSON corpus (a list of strings, or an object
  whose values are the strings, taken in key order);
- a case without one encodes a generated text named by the rest of its name
  (``cl100k-letters-1MB``: ``<kind>-<size>``, see :func:`worst_text`), or, when its name is just
  the encoding (``cl100k_base``, the load suite), :data:`SENTENCE`;
- the result is :func:`digest` of the ids of each text, in order.
"""

from __future__ import annotations

import hashlib
import json
import struct
import sys
import tomllib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "libs" / "testdata"))
import pyaot_testdata  # noqa: E402

__all__ = ["SENTENCE", "SIZES", "case_texts", "digest", "worst_text"]

# What the load suites encode once the encoding is loaded.
SENTENCE = "Hello, world! Loading an encoding, cold."

SIZES = {"10KB": 10_000, "100KB": 100_000, "1MB": 1_000_000}

ALPHABETS = {
    # One character repeated: a single pre-token as long as the text.
    "repeat": "a",
    # Random lowercase letters: also a single pre-token (no space, digit or punctuation to split on).
    "letters": "abcdefghijklmnopqrstuvwxyz",
    # Random printable ASCII without the space: letters, digits and punctuation, short pre-tokens.
    "nospace": "".join(chr(c) for c in range(0x21, 0x7F)),
}


def worst_text(kind: str, size: int) -> str:
    """A deterministic ASCII text of ``size`` bytes without whitespace (see :data:`ALPHABETS`).

    Characters are drawn with a 64-bit LCG (Knuth's MMIX constants), seed 42, each taking
    ``(state >> 33) % len(alphabet)``, so that the Rust benches make the same text.
    """
    alphabet = ALPHABETS[kind]
    if len(alphabet) == 1:
        return alphabet * size
    state = 42
    mask = (1 << 64) - 1
    out = []
    for _ in range(size):
        state = (state * 6364136223846793005 + 1442695040888963407) & mask
        out.append(alphabet[(state >> 33) % len(alphabet)])
    return "".join(out)


def case_texts(case: dict) -> list[str]:
    """The texts one case encodes."""
    if "input" in case:
        corpus = json.loads(pyaot_testdata.data_path(case["input"]).read_text(encoding="utf-8"))
        if isinstance(corpus, dict):
            corpus = [corpus[key] for key in sorted(corpus)]
        return corpus
    rest = case["name"].partition("-")[2]
    if not rest:
        return [SENTENCE]
    kind, size = rest.rsplit("-", 1)
    return [worst_text(kind, SIZES[size])]


def digest(ids_per_text: list[list[int]]) -> str:
    """``texts=N tokens=T sha256=H``: H hashes each text's ids as little-endian u32 followed by
    0xFFFFFFFF."""
    h = hashlib.sha256()
    tokens = 0
    for ids in ids_per_text:
        h.update(struct.pack(f"<{len(ids)}I", *ids))
        h.update(b"\xff\xff\xff\xff")
        tokens += len(ids)
    return f"texts={len(ids_per_text)} tokens={tokens} sha256={h.hexdigest()}"


def main() -> None:
    from tokenizer_peers import tiktoken_encoding

    for name in sys.argv[1:]:
        path = Path(__file__).resolve().parents[1] / "suites" / f"{name}.toml"
        suite = tomllib.loads(path.read_text())
        print(f"# {name}")
        for case in suite["case"]:
            enc = tiktoken_encoding(case["name"].partition("-")[0])
            result = digest([enc.encode_ordinary(text) for text in case_texts(case)])
            print(f'[[case]] name = "{case["name"]}"\nresult = "{result}"')


if __name__ == "__main__":
    main()
