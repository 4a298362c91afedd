"""Run one `kind = "python"` benchmark suite in-process: check every engine, then time it.

    python run_suite.py SUITE.toml OUT.json [--quick]

Each engine is Python code: `setup` (statements, run once) and `call` (an expression giving a
callable, evaluated for each case with the case's name bound to `case` and its `requests` (or
None) to `requests`, so that one engine can serve rows that differ in more than their input,
e.g. the encoding of a tokenizer suite). Each case's input is a file from the shared data
directory, given to the callable as text (`input_kind = "text"`) or as the object `json.loads`
makes of it (`"object"`); with `input_kind = "none"` cases have no input and the callable is
called with no argument. This directory is on `sys.path`, so `setup` can import helpers kept
beside this file.

A suite may name a `fixture`, `"module:function"`: a context manager entered before any engine
is set up and left when the run ends (failed, interrupted or not), whose value is bound to
`fixture` for `setup`, `call` and `expected`; a local server, for instance. Its `description`
attribute, if any, goes into the report.

Before anything is timed, every engine's answer is checked (`check`):
- "equal": equal to the baseline's answer (deep equality in which NaN equals NaN and
  int/float/bool types must match);
- "roundtrip": `json.loads` of the answer (str or bytes) equals the input object;
- "expected": equal to the value of the suite's `expected` expression for the case (evaluated
  like `call`); the baseline is checked like the others;
an engine listed in `exact` must moreover return exactly the baseline's answer (same str).
A wrong engine (or one that raises) is reported and not timed. An engine listed in `may_differ`
(another regex dialect, say) whose answer differs is reported as n/a ("differs"), not as wrong.
An engine whose `setup` or `call` raises (a package that is not installed) is reported as
failed for the cases it could not serve, and the others still run; the baseline must set up.

Timing: each engine's first call on a fresh copy of the input (the baseline's too: it is the one
whose answer the others are checked against) is reported separately (cold); then each
sample runs the callable enough times to take at least 20 ms (5 ms with --quick), engines in
turn, so that drift hits all of them alike. Results (ns per call) go to OUT.json for
`pyaot-bench`, which writes the tables.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import importlib
import json
import math
import signal
import statistics
import sys
import time
import tomllib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "libs" / "testdata"))
import pyaot_testdata  # noqa: E402


def same(a, b) -> bool:
    """Deep equality with NaN == NaN and exact number types (1 != 1.0 != True)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        return a == b or (math.isnan(a) and math.isnan(b))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return a == b


def fresh(value):
    """A new object equal to `value` (a new str for text), so CPython's per-object caches
    (the UTF-8 cache of a str) start cold."""
    if isinstance(value, str):
        return value.encode("utf-8", "surrogatepass").decode("utf-8", "surrogatepass")
    return json.loads(json.dumps(value))


def summary(value) -> str:
    """A short repr: long bytes become their length and digest."""
    if isinstance(value, bytes) and len(value) > 64:
        return f"<{len(value)} bytes, sha256 {hashlib.sha256(value).hexdigest()[:16]}...>"
    if isinstance(value, tuple):
        return "(" + ", ".join(summary(v) for v in value) + ")"
    return repr(value)[:200]


def difference(answer, expected) -> str:
    """What a wrong answer got, for the report: for lists (of token ids, say), where they part."""
    if isinstance(answer, tuple) and isinstance(expected, tuple):
        return f"{summary(answer)} instead of {summary(expected)}"[:400]
    if isinstance(answer, list) and isinstance(expected, list):
        bad = [i for i, (a, b) in enumerate(zip(answer, expected)) if not same(a, b)]
        if len(answer) != len(expected):
            return f"{len(answer)} items instead of {len(expected)}; " + (
                f"first difference at [{bad[0]}]" if bad else "the common ones agree"
            )
        if bad:
            first = bad[0]
            return (
                f"{len(bad)} of {len(answer)} items differ; first at [{first}]: "
                f"{repr(answer[first])[:120]} instead of {repr(expected[first])[:120]}"
            )
    return repr(answer)[:200]


def per_call(fn, args: tuple, number: int) -> float:
    start = time.perf_counter_ns()
    for _ in range(number):
        fn(*args)
    return (time.perf_counter_ns() - start) / number


def _terminate(signum, frame):
    """SIGTERM ends the run like Ctrl-C does: through the `finally`s, so the fixture stops."""
    raise SystemExit(128 + signum)


def main() -> None:
    suite_path, out_path = Path(sys.argv[1]), Path(sys.argv[2])
    quick = "--quick" in sys.argv[3:]
    suite = tomllib.loads(suite_path.read_text())
    signal.signal(signal.SIGTERM, _terminate)
    with contextlib.ExitStack() as stack:
        fixture = None
        if "fixture" in suite:
            module, _, function = suite["fixture"].partition(":")
            fixture = stack.enter_context(getattr(importlib.import_module(module), function)())
        report = run(suite, fixture, quick)
        if getattr(fixture, "description", None):
            report["fixture"] = fixture.description
    out_path.write_text(json.dumps(report, indent=1))


def run(suite: dict, fixture, quick: bool) -> dict:
    engines = suite["engine"]
    baseline = suite["baseline"]
    exact = set(suite.get("exact", []))
    may_differ = set(suite.get("may_differ", []))
    check = suite["check"]
    namespaces = {}
    broken = {}
    for engine in engines:
        namespace: dict = {"fixture": fixture}
        try:
            exec(engine.get("setup", ""), namespace)
        except Exception as e:  # noqa: BLE001 (an engine that cannot set up is reported, not fatal)
            if engine["name"] == baseline:
                raise
            broken[engine["name"]] = f"setup raised {type(e).__name__}: {e}"[:200]
        namespaces[engine["name"]] = namespace
    min_sample_ns = 5e6 if quick else 20e6
    samples = 5 if quick else 15
    report = {"cases": []}
    for case in suite["case"]:
        bound = {"case": case["name"], "requests": case.get("requests")}
        functions = {}
        results = {}
        for e in engines:
            name = e["name"]
            if name in broken:
                results[name] = {"engine": name, "failed": broken[name]}
                continue
            try:
                functions[name] = eval(e["call"], {**namespaces[name], **bound})
            except Exception as ex:  # noqa: BLE001 (as for setup: reported, not fatal)
                if name == baseline:
                    raise
                results[name] = {"engine": name, "failed": f"call raised {type(ex).__name__}: {ex}"[:200]}
        no_input = suite["input_kind"] == "none"
        if no_input:
            text = value = None
        else:
            text = pyaot_testdata.data_path(case["input"]).read_text(encoding="utf-8")
            value = text if suite["input_kind"] == "text" else json.loads(text)
        args = () if no_input else (value,)
        # The baseline's first call gives the expected answer (unless the suite says what it is):
        # it goes first.
        order = [baseline] + [name for name in functions if name != baseline]
        expected = None
        if check == "expected":
            expected = eval(suite["expected"], {**namespaces[baseline], **bound})
        for name in order:
            fn = functions[name]
            try:
                start = time.perf_counter_ns()
                answer = fn(*(() if no_input else (fresh(value),)))
                cold = time.perf_counter_ns() - start
            except Exception as e:  # noqa: BLE001 (any failure of a peer is reported, not fatal)
                if name == baseline and check != "expected":
                    raise
                results[name] = {"engine": name, "wrong": f"raised {type(e).__name__}: {e}"[:200]}
                continue
            if name == baseline and check != "expected":
                expected = answer
            if check in ("equal", "expected"):
                ok = same(answer, expected)
            else:
                ok = same(json.loads(answer), json.loads(text))
            if ok and name in exact:
                ok = answer == expected
            if not ok:
                why = difference(answer, expected) if check != "roundtrip" else repr(answer)[:200]
                verdict = "differs" if name in may_differ else "wrong"
                results[name] = {"engine": name, verdict: why}
                continue
            number = 1
            while per_call(fn, args, number) * number < min_sample_ns:
                number *= 2
            results[name] = {"engine": name, "cold_ns": cold, "number": number, "times": []}
        timed = [name for name, r in results.items() if "times" in r]
        gc.collect()
        for _ in range(samples):
            for name in timed:
                results[name]["times"].append(per_call(functions[name], args, results[name]["number"]))
        for name in timed:
            times = results[name]["times"]
            results[name]["mean_ns"] = statistics.fmean(times)
            results[name]["stddev_ns"] = statistics.stdev(times) if len(times) > 1 else 0.0
        report["cases"].append({"case": case["name"], "results": [results[e["name"]] for e in engines]})
    return report


if __name__ == "__main__":
    main()
