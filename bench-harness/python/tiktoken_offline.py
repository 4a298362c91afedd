"""Make tiktoken load its vocabularies offline, from the shared data directory.

    import tiktoken_offline  # before tiktoken loads an encoding
    import tiktoken
    enc = tiktoken.get_encoding("cl100k_base")  # no download

tiktoken fetches each vocabulary from a blob URL and caches it in ``TIKTOKEN_CACHE_DIR`` under the
SHA-1 of that URL (``tiktoken/load.py: read_file_cached``), checking the content against the
SHA-256 it pins. The shared ``vocab/`` files are byte-identical to those blobs, so importing this
module fills a cache directory in the system temp directory with symbolic links to them under the
names tiktoken expects, and points ``TIKTOKEN_CACHE_DIR`` at it.

The directory is stable (``$TMPDIR/pyaot-tiktoken-cache-<uid>``) so that benchmarks starting
fresh processes pay only a few ``stat`` calls here: this module imports nothing but ``os`` and
``hashlib`` unless the links must be (re)made.
"""

from __future__ import annotations

import hashlib
import os

__all__ = ["BLOBS", "CACHE_DIR", "cache_dir"]

# The URL tiktoken 0.14 (tiktoken_ext/openai_public.py) reads each vocabulary from, and the name
# of the file in the shared `vocab/` directory that holds the same bytes.
_BASE = "https://openaipublic.blob.core.windows.net/"
BLOBS = {
    _BASE + "encodings/cl100k_base.tiktoken": "cl100k_base.tiktoken",
    _BASE + "encodings/o200k_base.tiktoken": "o200k_base.tiktoken",
    _BASE + "encodings/p50k_base.tiktoken": "p50k_base.tiktoken",
    _BASE + "encodings/r50k_base.tiktoken": "r50k_base.tiktoken",
    _BASE + "gpt-2/encodings/main/vocab.bpe": "gpt2_vocab.bpe",
    _BASE + "gpt-2/encodings/main/encoder.json": "gpt2_encoder.json",
}

CACHE_DIR = os.path.join(os.environ.get("TMPDIR") or "/tmp", f"pyaot-tiktoken-cache-{os.getuid()}")


def _link_all(directory: str) -> None:
    import sys

    here = os.path.dirname(os.path.abspath(__file__))
    sys.path.insert(0, os.path.join(here, "..", "..", "libs", "testdata"))
    import pyaot_testdata

    vocab = pyaot_testdata.data_path("vocab")
    os.makedirs(directory, exist_ok=True)
    for url, name in BLOBS.items():
        link = os.path.join(directory, hashlib.sha1(url.encode()).hexdigest())
        tmp = f"{link}.{os.getpid()}.tmp"
        os.symlink(vocab / name, tmp)
        os.replace(tmp, link)  # atomic, so concurrent processes never see a half-made cache


def cache_dir() -> str:
    """Fills (if needed) the offline cache, sets ``TIKTOKEN_CACHE_DIR`` to it and returns it."""
    links = [os.path.join(CACHE_DIR, hashlib.sha1(url.encode()).hexdigest()) for url in BLOBS]
    # os.path.exists follows the links: a link to a data directory that moved is remade.
    if not all(os.path.exists(link) for link in links):
        _link_all(CACHE_DIR)
    os.environ["TIKTOKEN_CACHE_DIR"] = CACHE_DIR
    return CACHE_DIR


cache_dir()
