"""tiktoken's API around the ids: errors, metadata, custom encodings, loaders, pickling,
threads. Compared with tiktoken itself wherever it has an answer."""

from __future__ import annotations

import multiprocessing
import pickle
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest
import tiktoken

import pyaot_tokenizer
from pyaot_tokenizer import load

ENCODINGS = pyaot_tokenizer.list_encoding_names()


@pytest.mark.parametrize("name", ENCODINGS)
def test_metadata_identical(name: str) -> None:
    ours, theirs = pyaot_tokenizer.get_encoding(name), tiktoken.get_encoding(name)
    assert ours.name == theirs.name
    assert ours.n_vocab == theirs.n_vocab
    assert ours.max_token_value == theirs.max_token_value
    assert ours.eot_token == theirs.eot_token
    assert ours.special_tokens_set == theirs.special_tokens_set
    assert ours._special_tokens == theirs._special_tokens
    assert ours._pat_str == theirs._pat_str
    assert ours._mergeable_ranks == theirs._mergeable_ranks
    assert ours.token_byte_values() == theirs.token_byte_values()
    for token in (0, 255, ours.eot_token, ours.max_token_value):
        assert ours.decode_single_token_bytes(token) == theirs.decode_single_token_bytes(token)
        assert ours.is_special_token(token) == theirs.is_special_token(token)
    assert repr(ours) == repr(theirs)


def test_get_encoding_is_shared_and_offline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", "/nonexistent")
    assert pyaot_tokenizer.get_encoding("o200k_base") is pyaot_tokenizer.get_encoding("o200k_base")
    with pytest.raises(ValueError, match="Unknown encoding nope"):
        pyaot_tokenizer.get_encoding("nope")
    with pytest.raises(ValueError, match="Expected a string in get_encoding"):
        pyaot_tokenizer.get_encoding(1)  # type: ignore[arg-type]


@pytest.mark.parametrize("model", ["gpt2", "gpt-4", "gpt-4o", "gpt-3.5-turbo-0301", "text-davinci-edit-001", "gpt-oss-120b"])
def test_encoding_for_model(model: str) -> None:
    assert pyaot_tokenizer.encoding_for_model(model).name == tiktoken.encoding_for_model(model).name
    assert pyaot_tokenizer.encoding_name_for_model(model) == tiktoken.encoding_name_for_model(model)


def test_unknown_model_message() -> None:
    with pytest.raises(KeyError) as ours:
        pyaot_tokenizer.encoding_for_model("no-such-model")
    with pytest.raises(KeyError) as theirs:
        tiktoken.encoding_for_model("no-such-model")
    assert str(ours.value) == str(theirs.value)


@pytest.mark.parametrize(
    "call",
    [
        lambda e: e.decode_single_token_bytes(100256),
        lambda e: e.decode_single_token_bytes(10**6),
        lambda e: e.decode_bytes([15339, 100256]),
        lambda e: e.decode([10**6]),
        lambda e: e.encode_single_token("hello world"),
        lambda e: e.encode_single_token(b"\xff\xfe"),
        lambda e: e.decode_bytes([-1]),
        lambda e: e.decode_bytes([2**32]),
        lambda e: e.decode_with_offsets([9468, 239]),
        lambda e: e.encode("a<|endofprompt|>b<|endoftext|>"),
        lambda e: e.encode("x<|endoftext|>", disallowed_special={"x"}),
        lambda e: e.encode("abc", disallowed_special={"", "b"}),
        lambda e: e.encode("<|fim_middle|>", allowed_special={"<|fim_prefix|>"}),
        lambda e: e.encode_batch(["ok", "<|endoftext|>", "<|fim_suffix|>"]),
        lambda e: e.encode_with_unstable("hi <|endoftext|>"),
    ],
)
def test_errors_identical(call) -> None:
    ours, theirs = pyaot_tokenizer.get_encoding("cl100k_base"), tiktoken.get_encoding("cl100k_base")
    with pytest.raises(Exception) as expected:
        call(theirs)
    with pytest.raises(type(expected.value)) as actual:
        call(ours)
    assert str(actual.value) == str(expected.value)


def test_custom_encoding_and_pickle() -> None:
    base = pyaot_tokenizer.get_encoding("r50k_base")
    custom = pyaot_tokenizer.Encoding(
        "custom", pat_str=r"\w+|\s+|[^\w\s]+", mergeable_ranks=base._mergeable_ranks, special_tokens={"<|x|>": 60000}
    )
    reference = tiktoken.Encoding(
        "custom", pat_str=r"\w+|\s+|[^\w\s]+", mergeable_ranks=base._mergeable_ranks, special_tokens={"<|x|>": 60000}
    )
    text = "hello, world!! <|x|> déjà vu   42"
    assert custom.encode(text, allowed_special="all") == reference.encode(text, allowed_special="all")
    assert custom.n_vocab == 60001
    for encoding in (custom, base):
        clone = pickle.loads(pickle.dumps(encoding))
        assert clone.encode(text, allowed_special="all") == encoding.encode(text, allowed_special="all")
    assert pickle.loads(pickle.dumps(base)) is not None
    assert pickle.dumps(base) == pickle.dumps(pyaot_tokenizer.get_encoding("r50k_base"))  # by name
    with pytest.raises(ValueError, match="invalid split pattern"):
        pyaot_tokenizer.Encoding("bad", pat_str="(", mergeable_ranks=base._mergeable_ranks, special_tokens={})
    with pytest.raises(ValueError, match="every byte must be a token"):
        pyaot_tokenizer.Encoding("bad", pat_str=r"\w+", mergeable_ranks={b"a": 0}, special_tokens={})


def _encode_in_child(args: tuple[pyaot_tokenizer.Encoding, str]) -> list[int]:
    encoding, text = args
    return encoding.encode_ordinary(text)


def test_multiprocessing() -> None:
    encoding = pyaot_tokenizer.get_encoding("cl100k_base")
    texts = ["hello world", "multiprocessing ✓", "x" * 1000]
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        assert pool.map(_encode_in_child, [(encoding, t) for t in texts]) == [encoding.encode_ordinary(t) for t in texts]


def test_loaders(tmp_path: Path, pyaot_data: Path) -> None:
    vocab = pyaot_data / "vocab"
    ranks = load.load_tiktoken_bpe(str(vocab / "cl100k_base.tiktoken"))
    assert ranks == pyaot_tokenizer.get_encoding("cl100k_base")._mergeable_ranks
    gpt2 = load.data_gym_to_mergeable_bpe_ranks(str(vocab / "gpt2_vocab.bpe"), str(vocab / "gpt2_encoder.json"))
    assert gpt2 == pyaot_tokenizer.get_encoding("gpt2")._mergeable_ranks
    out = tmp_path / "out.tiktoken"
    load.dump_tiktoken_bpe(ranks, str(out))
    assert out.read_bytes() == (vocab / "cl100k_base.tiktoken").read_bytes()
    # The built-in URLs are served from the bundled copies, without network or cache.
    url = "https://openaipublic.blob.core.windows.net/encodings/o200k_base.tiktoken"
    assert load.read_file_cached(url) == (vocab / "o200k_base.tiktoken").read_bytes()
    with pytest.raises(ValueError, match="Error parsing line"):
        bad = tmp_path / "bad.tiktoken"
        bad.write_bytes(b"aGVsbG8=\n")
        load.load_tiktoken_bpe(str(bad))


def test_numpy() -> None:
    encoding = pyaot_tokenizer.get_encoding("o200k_base")
    array = encoding.encode_to_numpy("hello world <|endoftext|>", allowed_special="all")
    assert array.dtype == np.uint32
    assert array.tolist() == tiktoken.get_encoding("o200k_base").encode("hello world <|endoftext|>", allowed_special="all")


def test_batch_keeps_order_on_many_threads() -> None:
    encoding = pyaot_tokenizer.get_encoding("cl100k_base")
    texts = [f"text number {i} " * (i % 17) for i in range(500)]
    expected = [encoding.encode(t) for t in texts]
    for threads in (1, 2, 3, 8, 64):
        assert encoding.encode_batch(texts, num_threads=threads) == expected
        assert encoding.encode_ordinary_batch(texts, num_threads=threads) == expected
    assert encoding.encode_batch([]) == []


FORK_AFTER_BATCH = """
import os, sys, pyaot_tokenizer
enc = pyaot_tokenizer.get_encoding("cl100k_base")
texts = ["hello world", "fork"] * 50
expected = [enc.encode_ordinary(t) for t in texts]
assert enc.encode_ordinary_batch(texts, num_threads=2) == expected
pid = os.fork()
if pid == 0:
    os._exit(0 if enc.encode_ordinary_batch(texts, num_threads=2) == expected else 1)
sys.exit(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))
"""


def test_batch_in_a_forked_child() -> None:
    # The batch workers' pool does not survive fork (multiprocessing's default on Linux): a
    # child forked after a batch must still encode batches, not wait for them forever.
    result = subprocess.run([sys.executable, "-c", FORK_AFTER_BATCH], timeout=120)
    assert result.returncode == 0


def test_gil_released_while_encoding() -> None:
    # While one thread encodes a large text natively, another thread keeps running Python.
    encoding = pyaot_tokenizer.get_encoding("cl100k_base")
    text = "lorem ipsum dolor sit amet, " * 200_000
    ticks = 0
    done = threading.Event()

    def count() -> None:
        nonlocal ticks
        while not done.is_set():
            ticks += 1
            time.sleep(0)

    counter = threading.Thread(target=count)
    counter.start()
    start = time.perf_counter()
    encoding.encode_ordinary(text)
    elapsed = time.perf_counter() - start
    done.set()
    counter.join()
    # With the GIL held, the counter could only run at the switch interval (5 ms) boundaries
    # if at all; released, it spins freely for the whole encode.
    assert elapsed > 0.02
    assert ticks > 1000 * elapsed
