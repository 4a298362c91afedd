"""Run one `kind = "python"` benchmark suite in-process: check every engine, then time it.

    python run_suite.py SUITE.toml OUT.json [--quick]

Each engine is Python code: `setup` (statements, run once) and `call` (an expression giving a
callable, evaluated for each case with the case's name bound to `case`, so that one engine can
serve rows that differ in more than their input, e.g. the encoding of a tokenizer suite). Each
case's input is a file from the shared data directory, given to the callable as text
(`input_kind = "text"`) or as the object `json.loads` makes of it (`"object"`). This directory is
on `sys.path`, so `setup` can import helpers kept beside this file.

Before anything is timed, every engine's answer is checked (`check`):
- "equal": equal to the baseline's answer (deep equality in which NaN equals NaN and
  int/float/bool types must match);
- "roundtrip": `json.loads` of the answer (str or bytes) equals the input object;
an engine listed in `exact` must moreover return exactly the baseline's answer (same str).
A wrong engine (or one that raises) is reported and not timed.

Timing: each engine's first call on a fresh copy of the input (the baseline's too: it is the one
whose answer the others are checked against) is reported separately (cold); then each
sample runs the callable enough times to take at least 20 ms (5 ms with --quick), engines in
turn, so that drift hits all of them alike. Results (ns per call) go to OUT.json for
`pyaot-bench`, which writes the tables.
"""

from __future__ import annotations

import gc
import json
import math
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
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return a == b


def fresh(value):
    """A new object equal to `value` (a new str for text), so CPython's per-object caches
    (the UTF-8 cache of a str) start cold."""
    if isinstance(value, str):
        return value.encode("utf-8", "surrogatepass").decode("utf-8", "surrogatepass")
    return json.loads(json.dumps(value))


def difference(answer, expected) -> str:
    """What a wrong answer got, for the report: for lists (of token ids, say), where they part."""
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


def per_call(fn, arg, number: int) -> float:
    start = time.perf_counter_ns()
    for _ in range(number):
        fn(arg)
    return (time.perf_counter_ns() - start) / number


def main() -> None:
    suite_path, out_path = Path(sys.argv[1]), Path(sys.argv[2])
    quick = "--quick" in sys.argv[3:]
    suite = tomllib.loads(suite_path.read_text())
    engines = suite["engine"]
    baseline = suite["baseline"]
    exact = set(suite.get("exact", []))
    check = suite["check"]
    namespaces = {}
    for engine in engines:
        namespace: dict = {}
        exec(engine.get("setup", ""), namespace)
        namespaces[engine["name"]] = namespace
    min_sample_ns = 5e6 if quick else 20e6
    samples = 5 if quick else 15
    report = {"cases": []}
    for case in suite["case"]:
        functions = {
            e["name"]: eval(e["call"], {**namespaces[e["name"]], "case": case["name"]}) for e in engines
        }
        text = pyaot_testdata.data_path(case["input"]).read_text(encoding="utf-8")
        value = text if suite["input_kind"] == "text" else json.loads(text)
        results = {}
        # The baseline's first call gives the expected answer: it goes first.
        order = [baseline] + [name for name in functions if name != baseline]
        expected = None
        for name in order:
            fn = functions[name]
            try:
                start = time.perf_counter_ns()
                answer = fn(fresh(value))
                cold = time.perf_counter_ns() - start
            except Exception as e:  # noqa: BLE001 (any failure of a peer is reported, not fatal)
                if name == baseline:
                    raise
                results[name] = {"engine": name, "wrong": f"raised {type(e).__name__}: {e}"[:200]}
                continue
            if name == baseline:
                expected = answer
            if check == "equal":
                ok = same(answer, expected)
            else:
                ok = same(json.loads(answer), json.loads(text))
            if ok and name in exact:
                ok = answer == expected
            if not ok:
                why = difference(answer, expected) if check == "equal" else repr(answer)[:200]
                results[name] = {"engine": name, "wrong": why}
                continue
            number = 1
            while per_call(fn, value, number) * number < min_sample_ns:
                number *= 2
            results[name] = {"engine": name, "cold_ns": cold, "number": number, "times": []}
        timed = [name for name, r in results.items() if "wrong" not in r]
        gc.collect()
        for _ in range(samples):
            for name in timed:
                results[name]["times"].append(per_call(functions[name], value, results[name]["number"]))
        for name in timed:
            times = results[name]["times"]
            results[name]["mean_ns"] = statistics.fmean(times)
            results[name]["stddev_ns"] = statistics.stdev(times) if len(times) > 1 else 0.0
        report["cases"].append({"case": case["name"], "results": [results[e["name"]] for e in engines]})
    out_path.write_text(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
