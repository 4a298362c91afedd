"""JSONTestSuite's 318 parsing cases: the module under test's ``loads`` gives CPython 3.11's verdicts.

``json/JSONTestSuite/cpython_reference.tsv`` (tab-separated, one header line, no quoting) has one
row per file of ``test_parsing/`` and mode:

- ``bytes``: ``loads(raw_bytes)``, the file's bytes as they are (``loads`` detects the encoding).
- ``str_utf8``: ``loads(raw_bytes.decode("utf-8"))``, strict UTF-8 with no BOM stripping and no
  newline translation (the files hold no CR). When that decoding fails, the row records
  ``UnicodeDecodeError(file read)`` and ``loads`` is never called.

``py3.11_result`` is ACCEPT or REJECT; for ACCEPT, ``py3.11_message_or_repr`` is ``repr(value)``
cut to its first 200 characters; for REJECT, ``py3.11_exception`` is the exception class name and
the last column ``str(exception)``. The verdicts were recorded with ``loads`` called from a
function at a script's top level under the default recursion limit (998 nested calls left), which
decides the message of ``n_structure_open_array_object.json``'s RecursionError (array or object);
``call_with_headroom`` recreates that.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import NamedTuple

import pytest
import pyaot_testdata

from _under_test import RECORDING_HEADROOM, call_with_headroom, json_under_test, reference

SUITE_DIR = "json/JSONTestSuite"
REPR_LIMIT = 200
FILE_READ_FAILURE = "UnicodeDecodeError(file read)"
FILE_COUNT = 318


class Row(NamedTuple):
    file: str
    suite_expect: str
    mode: str
    result: str
    exception: str
    message_or_repr: str
    differs_in_other_versions: str


def read_rows() -> list[Row]:
    table = pyaot_testdata.data_path(f"{SUITE_DIR}/cpython_reference.tsv").read_text(encoding="utf-8")
    header, *lines = table.splitlines()
    assert header.split("\t") == [
        "file", "suite_expect", "mode", "py3.11_result", "py3.11_exception",
        "py3.11_message_or_repr", "differs_in_other_versions",
    ], header
    return [Row(*line.split("\t")) for line in lines]


ROWS = read_rows()


def document(raw: bytes, mode: str) -> bytes | str:
    """What ``loads`` is given in a mode (may raise UnicodeDecodeError for ``str_utf8``)."""
    if mode == "bytes":
        return raw
    if mode == "str_utf8":
        return raw.decode("utf-8")
    raise AssertionError(f"unknown mode {mode!r}")


def verdict(loads, raw: bytes, mode: str) -> tuple[str, str, str]:
    """(result, exception, message_or_repr) in the table's terms."""
    try:
        doc = document(raw, mode)
    except UnicodeDecodeError as error:
        return "REJECT", FILE_READ_FAILURE, str(error)
    try:
        value = call_with_headroom(RECORDING_HEADROOM, loads, doc)
    except Exception as error:  # noqa: BLE001 - the verdict is the exception
        return "REJECT", type(error).__name__, str(error)
    return "ACCEPT", "", repr(value)[:REPR_LIMIT]


@pytest.mark.parametrize("row", ROWS, ids=[f"{row.mode}-{row.file}" for row in ROWS])
def test_verdict_is_cpythons(row: Row, pyaot_data: Path) -> None:
    raw = (pyaot_data / SUITE_DIR / "test_parsing" / row.file).read_bytes()
    got = verdict(json_under_test.loads, raw, row.mode)
    assert got == (row.result, row.exception, row.message_or_repr)
    if row.exception == "JSONDecodeError":  # also catchable as the package's own class
        with pytest.raises(json_under_test.JSONDecodeError):
            call_with_headroom(RECORDING_HEADROOM, json_under_test.loads, document(raw, row.mode))
    if row.result == "ACCEPT" and len(row.message_or_repr) == REPR_LIMIT:
        # The table only has the start of a long repr: the rest must be the reference's.
        assert repr(json_under_test.loads(document(raw, row.mode))) == repr(reference.loads(document(raw, row.mode)))


def test_every_file_has_one_row_per_mode(pyaot_data: Path) -> None:
    files = sorted(path.name for path in (pyaot_data / SUITE_DIR / "test_parsing").iterdir())
    assert len(files) == FILE_COUNT
    assert Counter((row.file, row.mode) for row in ROWS) == Counter(
        (file, mode) for file in files for mode in ("bytes", "str_utf8")
    )
    assert {row.suite_expect for row in ROWS} == {"y", "n", "i"}
    assert all(row.file.startswith(row.suite_expect + "_") for row in ROWS)

