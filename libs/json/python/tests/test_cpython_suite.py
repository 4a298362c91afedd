"""CPython 3.11's own ``test.test_json`` suite, run against the module under test.

``test.test_json`` builds its two flavours with ``import_helper.import_fresh_module('json',
fresh=['_json'])`` (``CTest``: with the accelerator) and ``(..., blocked=['_json'])`` (``PyTest``:
pure Python). Those two calls are redirected to fresh imports of the module under test's package,
with its accelerator shared (a Rust extension module can't be initialised twice) or blocked. The
suite's doctests (the stdlib ``json`` docstrings) run with ``json`` and its submodules in
``sys.modules`` swapped for the module under test, so their ``import json`` imports it, and
``test_tool``'s subprocesses run ``python -m <module under test>.tool`` instead of ``python -m
json.tool``. The suite runs in a temporary working directory (``test_tool`` writes files there).

Every test must pass except those listed in ``cpython_suite_exclusions.toml``: tests of CPython's
internals (``[[exclude]]``) and skips that CPython makes too (``[[skipped]]``). Against the stdlib
reference the excluded tests must pass (they are sound tests that only CPython's own modules can
pass); against anything else they must fail, or the exclusion is stale.
"""

from __future__ import annotations

import contextlib
import doctest
import importlib
import pkgutil
import subprocess
import sys
import tomllib
import types
import unittest
from collections.abc import Iterator
from pathlib import Path
from unittest import mock

import pytest
from test.support import import_helper, os_helper

from _under_test import IS_REFERENCE, UNDER_TEST_NAME, json_under_test, reference

SUITE = "test.test_json"
EXCLUSIONS_FILE = Path(__file__).with_name("cpython_suite_exclusions.toml")
EXCLUSIONS = tomllib.loads(EXCLUSIONS_FILE.read_text(encoding="utf-8"))
EXCLUDED = {row["test"]: row["reason"] for row in EXCLUSIONS.get("exclude", [])}
SKIPPED = {row["test"]: row["reason"] for row in EXCLUSIONS.get("skipped", [])}
ACCELERATED_NAMES = {
    "scanner": ["make_scanner"],
    "decoder": ["scanstring"],
    "encoder": ["encode_basestring_ascii", "encode_basestring", "make_encoder"],
}


def accelerator_of(package: str) -> str:
    """The accelerator module a package imports: CPython's `_json`, or the package's `_native`."""
    return "_json" if package == "json" else f"{package}._native"


def _loaded_package_modules(package: str) -> list[str]:
    return [name for name in sys.modules if name == package or name.startswith(package + ".")]


def fresh_flavour(package: str, *, accelerated: bool) -> types.ModuleType:
    """A fresh import of ``package`` and its submodules, leaving ``sys.modules`` as it was.

    Accelerated: the already loaded accelerator is shared. Not accelerated: the accelerator is
    blocked (``sys.modules[name] = None``), so the package falls back to pure Python, like
    ``import_fresh_module('json', blocked=['_json'])``.
    """
    accelerator = accelerator_of(package)
    importlib.import_module(accelerator)
    saved = {name: sys.modules[name] for name in {*_loaded_package_modules(package), accelerator}}
    for name in saved:
        if name != accelerator:
            del sys.modules[name]
    if not accelerated:
        sys.modules[accelerator] = None
    try:
        return importlib.import_module(package)
    finally:
        for name in {*_loaded_package_modules(package), accelerator}:
            del sys.modules[name]
        sys.modules.update(saved)


def _drop_suite_modules() -> None:
    for name in _loaded_package_modules(SUITE):
        del sys.modules[name]


@contextlib.contextmanager
def cpython_suite(c_flavour: types.ModuleType, py_flavour: types.ModuleType) -> Iterator[types.ModuleType]:
    """``test.test_json`` imported afresh with its two flavours replaced by ours."""
    original = import_helper.import_fresh_module
    answers = {("json", ("_json",), ()): c_flavour, ("json", (), ("_json",)): py_flavour}
    requests = []

    def import_fresh_module(name, fresh=(), blocked=(), **kwargs):
        request = (name, tuple(fresh), tuple(blocked))
        requests.append(request)
        if request in answers:
            return answers[request]
        return original(name, fresh, blocked, **kwargs)

    _drop_suite_modules()
    try:
        with mock.patch.object(import_helper, "import_fresh_module", import_fresh_module):
            package = importlib.import_module(SUITE)
        assert sorted(requests) == sorted(answers), f"{SUITE} asked for {requests}"
        assert package.CTest.json is c_flavour and package.PyTest.json is py_flavour
        yield package
    finally:
        _drop_suite_modules()


@contextlib.contextmanager
def json_replaced_by(module: types.ModuleType) -> Iterator[None]:
    """``import json`` (and ``json.encoder``...) gives ``module`` (and its submodules)."""
    replacements = {"json": module, **{f"json.{sub}": getattr(module, sub) for sub in ACCELERATED_NAMES}}
    saved = {name: sys.modules.get(name) for name in replacements}
    sys.modules.update(replacements)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = value


def doctests_against(module: types.ModuleType) -> unittest.TestSuite:
    """The doctests the suite runs (stdlib ``json``, ``json.encoder``, ``json.decoder``), with
    ``import json`` importing ``module``."""
    swaps: list[contextlib.ExitStack] = []

    def set_up(_test):
        stack = contextlib.ExitStack()
        stack.enter_context(json_replaced_by(module))
        swaps.append(stack)

    def tear_down(_test):
        swaps.pop().close()

    suite = unittest.TestSuite()
    for documented in (reference, reference.encoder, reference.decoder):
        suite.addTest(doctest.DocTestSuite(documented, setUp=set_up, tearDown=tear_down))
    return suite


@contextlib.contextmanager
def tool_redirected_to(target: str) -> Iterator[None]:
    """``test_tool`` runs ``python -m json.tool`` in subprocesses: make them run ``python -m target``."""
    tool_tests = importlib.import_module(f"{SUITE}.test_tool")

    def redirected(args):
        return [target if arg == "json.tool" else arg for arg in args]

    run_python = tool_tests.assert_python_ok
    shim = types.SimpleNamespace(**{name: getattr(subprocess, name) for name in subprocess.__all__})
    shim.run = lambda args, *rest, **kwargs: subprocess.run(redirected(args), *rest, **kwargs)
    shim.Popen = lambda args, *rest, **kwargs: subprocess.Popen(redirected(args), *rest, **kwargs)
    with mock.patch.multiple(
        tool_tests, subprocess=shim, assert_python_ok=lambda *args, **kwargs: run_python(*redirected(args), **kwargs)
    ):
        yield


def build_suite(package: types.ModuleType) -> unittest.TestSuite:
    """What ``test.test_json.load_tests`` builds."""
    loader = unittest.TestLoader()
    suite = unittest.TestSuite()
    suite.addTest(doctests_against(json_under_test))
    suite.addTest(package.TestPyTest("test_pyjson"))
    suite.addTest(package.TestCTest("test_cjson"))
    for info in pkgutil.iter_modules(package.__path__):
        if info.name.startswith("test_"):
            suite.addTests(loader.loadTestsFromName(f"{package.__name__}.{info.name}"))
    return suite


class Outcomes(unittest.TestResult):
    """Every test's outcome by id: "pass", "fail" (with tracebacks), "skip", ..."""

    def __init__(self) -> None:
        super().__init__()
        self.by_id: dict[str, str] = {}
        self.details: dict[str, list[str]] = {}

    def _record(self, test: unittest.TestCase, outcome: str, detail: str | None = None) -> None:
        test_id = getattr(test, "test_case", test).id()  # a subtest counts for its test
        if self.by_id.get(test_id) != "fail":
            self.by_id[test_id] = outcome
        if detail:
            self.details.setdefault(test_id, []).append(f"{test.id()}\n{detail}")

    def addSuccess(self, test):
        self._record(test, "pass")

    def addFailure(self, test, err):
        self._record(test, "fail", self._exc_info_to_string(err, test))

    def addError(self, test, err):
        self._record(test, "fail", self._exc_info_to_string(err, test))

    def addSubTest(self, test, subtest, err):
        if err is not None:
            self._record(subtest, "fail", self._exc_info_to_string(err, test))

    def addSkip(self, test, reason):
        self._record(test, "skip", f"skipped: {reason}")

    def addExpectedFailure(self, test, err):
        self._record(test, "expected failure", self._exc_info_to_string(err, test))

    def addUnexpectedSuccess(self, test):
        self._record(test, "unexpected success")


@pytest.fixture(scope="module")
def flavours() -> dict[str, types.ModuleType]:
    return {
        "C": fresh_flavour(UNDER_TEST_NAME, accelerated=True),
        "Py": fresh_flavour(UNDER_TEST_NAME, accelerated=False),
    }


@pytest.fixture(scope="module")
def outcomes(flavours) -> Outcomes:
    result = Outcomes()
    with (
        cpython_suite(flavours["C"], flavours["Py"]) as package,
        tool_redirected_to(f"{UNDER_TEST_NAME}.tool"),
        os_helper.temp_cwd(),
    ):
        build_suite(package).run(result)
    return result


def test_every_test_passes_except_the_exclusions(outcomes: Outcomes) -> None:
    # 164 in CPython 3.11.7: the distinct tests `python -m unittest test.test_json` runs (it runs
    # the two doctests twice).
    assert len(outcomes.by_id) >= 164, f"only {len(outcomes.by_id)} tests ran"
    allowed = {**{t: "pass" for t in outcomes.by_id}, **{t: "skip" for t in SKIPPED}}
    bad = {test_id: outcome for test_id, outcome in outcomes.by_id.items()
           if outcome != allowed[test_id] and test_id not in EXCLUDED}
    report = "\n\n".join(
        f"{test_id}: {outcome}\n" + "\n".join(outcomes.details.get(test_id, []))
        for test_id, outcome in sorted(bad.items())
    )
    assert not bad, f"{len(bad)} test(s) of {SUITE} did not pass against {UNDER_TEST_NAME}:\n\n{report}"


def test_exclusions_name_tests_that_only_cpython_passes(outcomes: Outcomes) -> None:
    unknown = sorted((set(EXCLUDED) | set(SKIPPED)) - set(outcomes.by_id))
    assert not unknown, f"excluded or skipped tests that the suite does not have: {unknown}"
    if IS_REFERENCE:
        # CPython passes its own internals tests: an exclusion is never a broken test.
        failing = {t: outcomes.details.get(t) for t in EXCLUDED if outcomes.by_id[t] != "pass"}
        assert not failing, f"excluded tests fail even against the stdlib: {failing}"
    else:
        stale = sorted(t for t in EXCLUDED if outcomes.by_id[t] == "pass")
        assert not stale, f"stale exclusions (these pass against {UNDER_TEST_NAME}): {stale}"


@pytest.mark.parametrize("flavour", ["C", "Py"])
@pytest.mark.parametrize("submodule", sorted(ACCELERATED_NAMES))
def test_flavours_are_what_they_claim(flavours, flavour: str, submodule: str) -> None:
    """What the excluded internals tests check, by identity instead of module names: the C flavour
    uses its accelerator's functions, the Py flavour its pure-Python ones."""
    module = getattr(flavours[flavour], submodule)
    assert module.__name__ == f"{UNDER_TEST_NAME}.{submodule}"
    for name in ACCELERATED_NAMES[submodule]:
        accelerated = getattr(module, f"c_{name}")
        if flavour == "Py":
            assert accelerated is None, f"{submodule}.c_{name} is set although the accelerator is blocked"
        else:
            shared = importlib.import_module(accelerator_of(UNDER_TEST_NAME))
            assert accelerated is getattr(shared, name), f"{submodule}.c_{name} is not the accelerator's {name}"
    in_use = {
        "scanner": ("make_scanner", "c_make_scanner", "py_make_scanner"),
        "decoder": ("scanstring", "c_scanstring", "py_scanstring"),
        "encoder": ("encode_basestring_ascii", "c_encode_basestring_ascii", "py_encode_basestring_ascii"),
    }[submodule]
    public, accelerated, pure = (getattr(module, name) for name in in_use)
    assert public is (accelerated if flavour == "C" else pure), f"{submodule}.{in_use[0]} is the wrong one"


@pytest.mark.parametrize("flavour", ["C", "Py"])
def test_flavour_submodules_belong_together(flavours, flavour: str) -> None:
    """A vendored ``decoder.py`` must import the flavour's own ``scanner``, not another copy's."""
    package = flavours[flavour]
    assert package.decoder.scanner is package.scanner
    assert package.JSONDecoder is package.decoder.JSONDecoder
    assert package.JSONEncoder is package.encoder.JSONEncoder
