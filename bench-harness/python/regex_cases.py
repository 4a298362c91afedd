"""The cases of the regex suites, with their answers computed by CPython's `re`.

    .venv-bench/bin/python bench-harness/python/regex_cases.py regex-python|regex-rust

prints the ``[[case]]`` tables of the named suite, one per entry of the shared
``regex/spec.json``, in its order; paste them into `bench-harness/suites/<suite>.toml` when the
spec changes. Each case's ``note`` gives CPython's answer next to rebar's ``count`` (which
follows Rust regex semantics and counts span lengths in UTF-8 bytes) so that a difference is
visible in the results. For the Rust suite the ``result`` is CPython's answer in the Rust
benches' units: span lengths in UTF-8 bytes; see `bench-harness/benches/regex_rust.rs`, the
Rust twin of :mod:`regex_peers`.

The Python suite needs no ``result``: `run_suite.py` checks every engine against `re` itself.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "libs" / "testdata"))
import pyaot_testdata  # noqa: E402
import regex_peers  # noqa: E402

__all__ = ["python_answer", "rust_result"]


def haystack(e: dict) -> str:
    return pyaot_testdata.data_path(f"regex/{e['haystack']}").read_text(encoding="utf-8")


def python_answer(name: str):
    """What CPython's `re` answers for the benchmark (what the Python suite checks against)."""
    return regex_peers.benchmark("re", name)(haystack(regex_peers.entry(name)))


def rust_result(name: str) -> str:
    """The `result` the Rust suite's engines must reproduce: CPython's answer, with span lengths
    in UTF-8 bytes, and regex-redux as ``counts=...;lengths=...``."""
    e = regex_peers.entry(name)
    if e["model"] == "regex-redux":
        counts, *lengths = python_answer(name)
        return f"counts={','.join(map(str, counts))};lengths={','.join(map(str, lengths))}"
    if e["model"] == "count-spans":
        p = regex_peers.compile_pattern("re", e["pattern"], e["ci"], e["unicode"])
        return str(sum(len(m.group().encode("utf-8")) for m in p.finditer(haystack(e))))
    return str(python_answer(name))


def note(name: str, rust: bool) -> str:
    e = regex_peers.entry(name)
    answer = python_answer(name)
    if e["model"] == "regex-redux":
        answer = answer[-1]
        what = "final length"
    elif e["model"] == "count-spans":
        what = "summed span length (code points)"
    elif e["model"] in ("count-captures", "grep-captures"):
        what = "groups taking part"
    else:
        what = "count"
    text = f"CPython `re` {what} {answer}"
    if rust and e["model"] == "count-spans":
        text += f", {rust_result(name)} in UTF-8 bytes"
    spec = e["count"]
    if spec is None:
        return text + " (no rebar count: one of our benchmarks)"
    same = str(spec) in (str(answer), rust_result(name) if e["model"] == "count-spans" else "")
    return text + ("; rebar's count agrees" if same else f"; rebar's count (Rust regex semantics) is {spec}")


def main() -> None:
    suite = sys.argv[1]
    if suite not in ("regex-python", "regex-rust"):
        sys.exit("usage: regex_cases.py regex-python|regex-rust")
    rust = suite == "regex-rust"
    for name, e in regex_peers.spec().items():
        print(f'\n[[case]]\nname = "{name}"\ninput = "regex/{e["haystack"]}"')
        if rust:
            print(f'result = "{rust_result(name)}"')
        print(f'note = "{note(name, rust)}"')


if __name__ == "__main__":
    main()
