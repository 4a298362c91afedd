"""Hostile patterns and haystacks: linear-time matching, the backtracking step limit, and no crash.

DESIGN.md's third promise: no input makes pyaot_re panic, hang without bound or crash the
interpreter. Each case runs in a fresh interpreter (``sys.executable -c ...``) with a generous
timeout, so a hang or a crash (a stack overflow in native code, an abort) fails one test instead of
taking the run down; the child prints its outcome as JSON: a value's repr, or an exception's class,
MRO and message.

``requires_pyaot_re`` tests check what pyaot_re promises beyond CPython (CPython takes
exponential time on these patterns) and are skipped when the module under test is the stdlib;
the no-crash tests run against both.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

from _under_test import ENV_VAR, UNDER_TEST_NAME, re_under_test, requires_pyaot_re

# Generous: the child only has to import the module and run one call; the point is to fail
# instead of hanging, not to time anything.
TIMEOUT_SECONDS = 120

_CHILD_PRELUDE = textwrap.dedent(
    """
    import importlib, json, sys
    re = importlib.import_module(sys.argv[1])

    def report(fn):
        try:
            value = fn()
        except Exception as exc:
            limit_error = getattr(re, "BacktrackLimitError", None)
            outcome = {
                "kind": "exception",
                "type": type(exc).__name__,
                "mro": [cls.__name__ for cls in type(exc).__mro__],
                "message": str(exc)[:1000],
                "is_backtrack_limit_error": limit_error is not None and isinstance(exc, limit_error),
            }
        else:
            outcome = {"kind": "value", "repr": repr(value)[:1000]}
        print(json.dumps(outcome))
    """
)


def run_isolated(body: str) -> dict:
    """Run ``body`` (which calls ``report(lambda: ...)`` once) in a fresh interpreter with ``re``
    being the module under test; return the outcome it reports. Fails on a crash or a hang."""
    script = _CHILD_PRELUDE + textwrap.dedent(body)
    try:
        child = subprocess.run(
            [sys.executable, "-c", script, UNDER_TEST_NAME],
            capture_output=True,
            text=True,
            timeout=TIMEOUT_SECONDS,
            env={**os.environ, ENV_VAR: UNDER_TEST_NAME},
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"did not finish within {TIMEOUT_SECONDS} s (killed):\n{body}", pytrace=False)
    assert child.returncode == 0, (
        f"the interpreter crashed (exit status {child.returncode}):\n{body}\nstderr:\n{child.stderr[-3000:]}"
    )
    lines = child.stdout.strip().splitlines()
    assert lines, f"no outcome reported:\n{body}\nstderr:\n{child.stderr[-3000:]}"
    return json.loads(lines[-1])


# --- Linear time: regular patterns never backtrack exponentially -----------------------------

LINEAR_CASES = [
    # (call, expected repr): catastrophic for a backtracker, linear for an automaton.
    ("re.match(r'(a+)+$', 'a' * 30000 + '!')", "None"),
    ("re.search(r'(a+)+$', 'a' * 30000 + '!')", "None"),
    ("re.fullmatch(r'(a|aa)*', 'a' * 30000 + '!')", "None"),
    ("re.match(r'(\\w+\\s?)*$', 'ab ' * 10000 + '!')", "None"),
    ("re.search(r'(x+x+)+y', 'x' * 30000)", "None"),
    ("re.match(r'(?:a*)*b', 'a' * 30000)", "None"),
    ("len(re.findall(r'(a|a?)+b', 'a' * 3000 + '!'))", "0"),
]


@requires_pyaot_re
@pytest.mark.parametrize("call, expected", LINEAR_CASES)
def test_regular_patterns_are_linear(call: str, expected: str) -> None:
    outcome = run_isolated(f"report(lambda: {call})")
    assert outcome == {"kind": "value", "repr": expected}, outcome


# --- The backtracker's step limit ------------------------------------------------------------

# Exponential in CPython: each extra 'a' doubles the time (0.6 s at 24 characters on the
# reference machine, so about 2**16 times that at 40). The backreference keeps it off the
# automaton engines, so pyaot_re's backtracker must stop at its step limit instead.
CATASTROPHIC = r"^(a+)+\1$"
CATASTROPHIC_HAYSTACK = "'a' * 40 + '!'"

CATASTROPHIC_CALLS = {
    "Pattern.search": f"re.compile(r'{CATASTROPHIC}').search({CATASTROPHIC_HAYSTACK})",
    "Pattern.match": f"re.compile(r'{CATASTROPHIC}').match({CATASTROPHIC_HAYSTACK})",
    "Pattern.fullmatch": f"re.compile(r'{CATASTROPHIC}').fullmatch({CATASTROPHIC_HAYSTACK})",
    "re.search": f"re.search(r'{CATASTROPHIC}', {CATASTROPHIC_HAYSTACK})",
    "findall": f"re.findall(r'{CATASTROPHIC}', {CATASTROPHIC_HAYSTACK})",
    "finditer": f"list(re.finditer(r'{CATASTROPHIC}', {CATASTROPHIC_HAYSTACK}))",
    "sub": f"re.sub(r'{CATASTROPHIC}', '', {CATASTROPHIC_HAYSTACK})",
    "split": f"re.split(r'{CATASTROPHIC}', {CATASTROPHIC_HAYSTACK})",
    "bytes": f"re.search(rb'{CATASTROPHIC}', b'a' * 40 + b'!')",
}


@requires_pyaot_re
def test_backtrack_limit_error_is_exposed() -> None:
    error = getattr(re_under_test, "BacktrackLimitError", None)
    assert error is not None, f"{UNDER_TEST_NAME} has no BacktrackLimitError"
    assert issubclass(error, RuntimeError)
    assert "BacktrackLimitError" in getattr(re_under_test, "__all__", ["BacktrackLimitError"])


@requires_pyaot_re
@pytest.mark.parametrize("call", list(CATASTROPHIC_CALLS.values()), ids=list(CATASTROPHIC_CALLS))
def test_catastrophic_backtracking_hits_the_step_limit(call: str) -> None:
    outcome = run_isolated(f"report(lambda: {call})")
    assert outcome["kind"] == "exception", f"expected BacktrackLimitError, got {outcome}"
    assert outcome["is_backtrack_limit_error"], outcome
    assert "RuntimeError" in outcome["mro"], outcome
    assert "limit" in outcome["message"].lower(), f"the message should mention the step limit: {outcome}"


@requires_pyaot_re
def test_the_limit_leaves_ordinary_backreferences_alone() -> None:
    """Backreference patterns that CPython answers quickly must not hit the limit, on long input."""
    outcome = run_isolated("report(lambda: [m.span() for m in re.finditer(r'(\\w)\\1', 'abccd' * 20000)][-1])")
    assert outcome == {"kind": "value", "repr": "(99997, 99999)"}, outcome
    outcome = run_isolated("report(lambda: re.search(r'^(a+)+\\1$', 'a' * 40).span())")
    assert outcome == {"kind": "value", "repr": "(0, 40)"}, outcome


# --- Deep nesting and long haystacks: a result or a Python exception, never a crash -----------

NESTED_PATTERNS = {
    "groups": "'(' * 100000 + ')' * 100000",
    "non-capturing quantified": "'(?:' * 100000 + 'a' + ')*' * 100000",
    "alternations": "'(?:a|' * 100000 + ')' * 100000",
    "lookaheads": "'(?=' * 100000 + 'a' + ')' * 100000",
    "lookbehinds": "'(?<=' * 100000 + 'a' + ')' * 100000",
    "atomic": "'(?>' * 100000 + 'a' + ')' * 100000",
    "scoped flags": "'(?i:' * 100000 + 'a' + ')' * 100000",
    "named groups": "''.join(f'(?P<g{i}>' for i in range(100000)) + ')' * 100000",
    "conditionals": "'(a)' + '(?(1)' * 100000 + 'a' + ')' * 100000",
    "unclosed": "'(' * 100000",
    "unopened": "')' * 100000",
    "classes": "'[' * 100000",
    "long alternation": "'|'.join(str(i) for i in range(100000))",
    "many groups": "'(a)' * 100000",
    "big repeat": "'(?:a{1000}){1000}'",
    "nested repeats": "'(?:' * 20 + 'a' + '){2}' * 20",
}


@pytest.mark.parametrize("pattern", list(NESTED_PATTERNS.values()), ids=list(NESTED_PATTERNS))
def test_deeply_nested_patterns_do_not_crash(pattern: str) -> None:
    outcome = run_isolated(
        f"""
        def compile_and_match():
            p = re.compile({pattern})
            return p.match('a' * 100), p.search('aaab'), p.sub('', 'aa')
        report(compile_and_match)
        """
    )
    assert outcome["kind"] in ("value", "exception"), outcome


LONG_HAYSTACKS = {
    "repeated group": "re.match(r'(a)*', 'a' * 1_000_000).span(1)",
    "repeated group lazy": "re.match(r'(a)*?b', 'a' * 1_000_000 + 'b').span(1)",
    "backreference repeat": "re.match(r'(a)\\1*', 'a' * 1_000_000).span()",
    "alternation repeat": "re.match(r'(?:(a)|b)*', 'ab' * 500_000).span(1)",
    "lookaround repeat": "re.match(r'(?:(?=a)a)*', 'a' * 1_000_000).span()",
    "atomic repeat": "re.match(r'(?>a|b)*c', 'ab' * 500_000 + 'c').span()",
    "conditional repeat": "re.match(r'(a)?(?:(?(1)a|b))*', 'a' * 1_000_000).span()",
    "findall empty": "len(re.findall(r'', 'x' * 1_000_000))",
    "sub word boundary": "len(re.sub(r'\\b', '-', 'ab ' * 300_000))",
    "split lines": "len(re.split(r'$', 'ab\\n' * 300_000, flags=re.M))",
    "dot star": "re.search(r'.*z', 'a' * 10_000_000 + 'z').span()",
    "bytes": "re.search(rb'(?:x|y)*\\xff', b'xy' * 2_000_000 + b'\\xff').span()",
    "non-ASCII ignorecase": "len(re.findall(r'(?i)k\\u017f', '\\u212aS' * 500_000))",
}


@pytest.mark.parametrize("call", list(LONG_HAYSTACKS.values()), ids=list(LONG_HAYSTACKS))
def test_long_haystacks_do_not_crash(call: str) -> None:
    outcome = run_isolated(f"report(lambda: {call})")
    assert outcome["kind"] in ("value", "exception"), outcome
