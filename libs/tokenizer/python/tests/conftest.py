"""Set-up for pyaot_tokenizer's tests.

- Loads the repository's root ``conftest.py`` (pytest takes ``libs/tokenizer/python`` as its
  rootdir because of the ``pyproject.toml`` there, and would not load it on its own).
- Points tiktoken (the reference, installed from PyPI in the test venv) at the shared vocabulary
  files, under the cache names tiktoken looks for, so that it runs offline.
"""

import hashlib
import importlib.util
import os
import shutil
import tempfile
from pathlib import Path

_ROOT_CONFTEST = Path(__file__).resolve().parents[4] / "conftest.py"
_spec = importlib.util.spec_from_file_location("pyaot_root_conftest", _ROOT_CONFTEST)
assert _spec is not None and _spec.loader is not None
_root = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_root)

pyaot_data = _root.pyaot_data

_BLOBS = "https://openaipublic.blob.core.windows.net"
# tiktoken's cache key is the sha1 of the URL it would download from.
_TIKTOKEN_FILES = {
    f"{_BLOBS}/encodings/{name}.tiktoken": f"{name}.tiktoken"
    for name in ("r50k_base", "p50k_base", "cl100k_base", "o200k_base")
} | {
    f"{_BLOBS}/gpt-2/encodings/main/vocab.bpe": "gpt2_vocab.bpe",
    f"{_BLOBS}/gpt-2/encodings/main/encoder.json": "gpt2_encoder.json",
}


def _offline_tiktoken_cache() -> str:
    cache = tempfile.mkdtemp(prefix="pyaot-tiktoken-cache-")
    vocab = _root.pyaot_testdata.data_dir() / "vocab"
    for url, name in _TIKTOKEN_FILES.items():
        shutil.copyfile(vocab / name, os.path.join(cache, hashlib.sha1(url.encode()).hexdigest()))
    return cache


os.environ["TIKTOKEN_CACHE_DIR"] = _offline_tiktoken_cache()
