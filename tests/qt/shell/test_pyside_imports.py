"""PySide6's check of each imported module no longer keeps the module's source in memory."""

from __future__ import annotations

import importlib
import linecache
import sys
import types
from pathlib import Path

import pytest

from backtimer.qt.shell import pyside_imports
from backtimer.qt.shell.pyside_imports import CHECK_NAME, FEATURE_MODULE, install, mentions_pyside


def _module_from(path: Path, name: str) -> types.ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_module_that_names_pyside_is_seen(tmp_path: Path) -> None:
    path = tmp_path / "uses_qt.py"
    path.write_text("NAME = 'PySide6'\n", encoding="utf-8")
    assert mentions_pyside(_module_from(path, "uses_qt"))


def test_a_module_without_it_is_not_and_nothing_is_cached(tmp_path: Path) -> None:
    path = tmp_path / "plain.py"
    path.write_text("VALUE = 1\n", encoding="utf-8")
    assert not mentions_pyside(_module_from(path, "plain"))
    assert str(path) not in linecache.cache


def test_modules_without_source_are_not_pyside_users() -> None:
    assert not mentions_pyside(sys)  # built in
    assert not mentions_pyside(types.ModuleType("made_in_memory"))


def test_the_app_swapped_the_check_when_pyside_has_one() -> None:
    feature = sys.modules.get(FEATURE_MODULE)
    if feature is None or not hasattr(feature, CHECK_NAME):
        pytest.skip("this PySide6 has no such check")
    assert getattr(feature, CHECK_NAME) is mentions_pyside


def test_install_does_nothing_without_the_check(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, FEATURE_MODULE, types.ModuleType(FEATURE_MODULE))
    assert install() is False


def test_imports_after_install_leave_linecache_alone(tmp_path: Path) -> None:
    feature = sys.modules.get(FEATURE_MODULE)
    if feature is None or getattr(feature, CHECK_NAME, None) is not mentions_pyside:
        pytest.skip("this PySide6 has no such check")
    path = tmp_path / "imported_after_qt.py"
    path.write_text("VALUE = 2\n", encoding="utf-8")
    sys.path.insert(0, str(tmp_path))
    try:
        importlib.import_module("imported_after_qt")
    finally:
        sys.path.remove(str(tmp_path))
        sys.modules.pop("imported_after_qt", None)
    assert str(path) not in linecache.cache
    assert pyside_imports.install() is True
