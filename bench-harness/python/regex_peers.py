"""The regex suites' benchmarks and engines (`bench-harness/suites/regex-python.toml`).

Every benchmark is an entry of the shared ``regex/spec.json`` (rebar's curated benchmarks plus a
few of our own), found by its name, which is the suite's case name; the case's input is the
entry's haystack. `run_suite.py` binds the case name to ``case`` when it evaluates an engine's
``call``, so an engine reads::

    setup = "from regex_peers import benchmark"
    call = "benchmark('re', case)"

The pattern is compiled once per engine and benchmark, before anything is timed (except in the
``compile`` model, whose point is the compile). What one timed call computes, by the entry's
``model`` (rebar's models, with Python's offsets, which count code points):

- ``count``: the number of matches, ``sum(1 for _ in p.finditer(haystack))``;
- ``count-spans``: the summed length of the matches, ``sum(m.end() - m.start() ...)``;
- ``count-captures``: the number of groups that took part in each match (group 0 included),
  summed over all matches;
- ``grep-captures``: ``p.search(line)`` on each line (the haystack split at ``\\n`` once, outside
  the timed call), summing the groups that took part as above;
- ``compile``: ``purge()`` (each engine's own cache), ``compile``, then ``count`` on the (tiny)
  haystack;
- ``regex-redux``: the Benchmarks Game program (strip headers and newlines with ``sub``, count
  nine variants with ``findall``, five ``sub`` replacements), its patterns compiled beforehand;
  the answer is the counts and the three lengths it prints.

Flags: ``ci`` is ``IGNORECASE``; ``unicode: false`` (rebar's ASCII-only benchmarks) is ``ASCII``,
on ``str`` haystacks as everywhere here. For google-re2 the same options are given its way
(``Options.case_sensitive``; its ``\\w \\d \\s \\b`` are ASCII-only whatever the flags, so its
answers on Unicode benchmarks using them differ, and the suite shows them as n/a).

Engines: ``re`` (CPython's), ``regex`` (PyPI, VERSION0, its ``re``-compatible mode), ``re2``
(google-re2) and ``pyaot_re`` (ours). An engine that cannot be imported fails where its
``call`` is evaluated, which `run_suite.py` reports as that engine's failure.
"""

from __future__ import annotations

import functools
import importlib
import json
from collections.abc import Callable
from typing import Any

import pyaot_testdata

__all__ = ["SPEC", "benchmark", "compile_pattern", "entry", "lines", "spec"]

SPEC = "regex/spec.json"

# regex-redux (the Benchmarks Game): the variants it counts and the replacements it makes.
REDUX_VARIANTS = (
    "agggtaaa|tttaccct",
    "[cgt]gggtaaa|tttaccc[acg]",
    "a[act]ggtaaa|tttacc[agt]t",
    "ag[act]gtaaa|tttac[agt]ct",
    "agg[act]taaa|ttta[agt]cct",
    "aggg[acg]aaa|ttt[cgt]ccct",
    "agggt[cgt]aa|tt[acg]accct",
    "agggta[cgt]a|t[acg]taccct",
    "agggtaa[cgt]|[acg]ttaccct",
)
REDUX_REPLACEMENTS = (
    ("tHa[Nt]", "<4>"),
    ("aND|caN|Ha[DS]|WaS", "<3>"),
    ("a[NSt]|BY", "<2>"),
    ("<[^>]*>", "|"),
    ("\\|[^|][^|]*\\|", "-"),
)
REDUX_STRIP = ">.*\n|\n"


@functools.cache
def spec() -> dict[str, dict[str, Any]]:
    """The benchmark definitions of ``regex/spec.json``, by name."""
    entries = json.loads(pyaot_testdata.data_path(SPEC).read_text(encoding="utf-8"))
    return {e["name"]: e for e in entries}


def entry(case: str) -> dict[str, Any]:
    """The spec entry named ``case``."""
    return spec()[case]


@functools.cache
def _module(engine: str):
    return importlib.import_module(engine)


def compile_pattern(engine: str, pattern: str, ci: bool, unicode: bool):
    """``pattern`` compiled by ``engine`` with the benchmark's flags (see the module docs)."""
    module = _module(engine)
    if engine == "re2":
        options = module.Options()
        options.case_sensitive = not ci
        return module.compile(pattern, options)
    flags = (module.IGNORECASE if ci else 0) | (0 if unicode else module.ASCII)
    return module.compile(pattern, flags)


@functools.lru_cache(maxsize=4)
def lines(haystack: str) -> list[str]:
    """The haystack's lines (split at ``\\n``), made once per haystack, outside the timed call."""
    return haystack.split("\n")


def _groups_taking_part(match) -> int:
    return 1 + sum(g is not None for g in match.groups())


def _count(p, haystack: str) -> int:
    return sum(1 for _ in p.finditer(haystack))


def _count_spans(p, haystack: str) -> int:
    return sum(m.end() - m.start() for m in p.finditer(haystack))


def _count_captures(p, haystack: str) -> int:
    return sum(_groups_taking_part(m) for m in p.finditer(haystack))


def _grep_captures(p, haystack: str) -> int:
    total = 0
    for line in lines(haystack):
        m = p.search(line)
        if m is not None:
            total += _groups_taking_part(m)
    return total


MODELS: dict[str, Callable[[Any, str], int]] = {
    "count": _count,
    "count-spans": _count_spans,
    "count-captures": _count_captures,
    "grep-captures": _grep_captures,
}


def _regex_redux(engine: str, e: dict[str, Any]) -> Callable[[str], tuple]:
    def comp(pattern: str):
        return compile_pattern(engine, pattern, e["ci"], e["unicode"])

    strip = comp(REDUX_STRIP)
    variants = [comp(v) for v in REDUX_VARIANTS]
    replacements = [(comp(f), r) for f, r in REDUX_REPLACEMENTS]

    def run(seq: str) -> tuple:
        input_len = len(seq)
        seq = strip.sub("", seq)
        code_len = len(seq)
        counts = tuple(len(v.findall(seq)) for v in variants)
        for p, r in replacements:
            seq = p.sub(r, seq)
        return counts, input_len, code_len, len(seq)

    return run


def benchmark(engine: str, case: str) -> Callable[[str], Any]:
    """The callable timed for ``engine`` on benchmark ``case``: haystack -> the model's answer.

    Compiles the pattern now (the ``compile`` model compiles inside the callable instead).
    """
    e = entry(case)
    model = e["model"]
    if model == "regex-redux":
        return _regex_redux(engine, e)
    if model == "compile":
        module = _module(engine)

        def compile_then_count(haystack: str) -> int:
            module.purge()
            return _count(compile_pattern(engine, e["pattern"], e["ci"], e["unicode"]), haystack)

        return compile_then_count
    p = compile_pattern(engine, e["pattern"], e["ci"], e["unicode"])
    return functools.partial(MODELS[model], p)
