"""Tests of the Python data locator; the Rust twin has the same cases in src/lib.rs."""

from pathlib import Path

import pytest

import pyaot_testdata as td


def test_override_wins_over_fallback(tmp_path: Path) -> None:
    data = tmp_path / "elsewhere"
    data.mkdir()
    (tmp_path / "shared" / "data").mkdir(parents=True)
    assert td.locate(str(data), tmp_path / "ws") == data


def test_fallback_is_beside_the_workspace(tmp_path: Path) -> None:
    (tmp_path / "ws").mkdir()
    (tmp_path / "shared" / "data").mkdir(parents=True)
    found = td.locate(None, tmp_path / "ws")
    assert found.resolve() == (tmp_path / "shared" / "data").resolve()
    assert td.locate("", tmp_path / "ws") == found  # empty counts as unset


def test_missing_override_names_both_places(tmp_path: Path) -> None:
    (tmp_path / "shared" / "data").mkdir(parents=True)
    with pytest.raises(td.DataDirError) as info:
        td.locate("/no/such/pyaot/data", tmp_path / "ws")
    message = str(info.value)
    assert "PYAOT_DATA is set to /no/such/pyaot/data" in message
    assert str(tmp_path / "ws" / td.FALLBACK) in message


def test_missing_fallback_names_both_places(tmp_path: Path) -> None:
    with pytest.raises(td.DataDirError) as info:
        td.locate(None, tmp_path / "ws")
    message = str(info.value)
    assert "PYAOT_DATA is not set" in message
    assert str(tmp_path / "ws" / td.FALLBACK) in message


def test_environment_variable_is_honoured(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYAOT_DATA", str(tmp_path))
    assert td.data_dir() == tmp_path
    monkeypatch.setenv("PYAOT_DATA", str(tmp_path / "missing"))
    with pytest.raises(td.DataDirError):
        td.data_dir()


def test_the_shared_data_is_found(pyaot_data: Path) -> None:
    assert (pyaot_data / "README.md").is_file()
    assert td.data_path("json/JSONTestSuite").is_dir()
    with pytest.raises(td.DataDirError, match="no/such/file not found in the test data directory"):
        td.data_path("no/such/file")


def test_rust_and_python_agree_on_the_workspace_root() -> None:
    assert (td.workspace_root() / "Cargo.toml").read_text().count("[workspace]") == 1
