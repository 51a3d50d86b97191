"""Shared fixtures: fixture sites copied into ``tmp_path`` and built for real."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from helpers import FIXTURES, Build, build_site


@pytest.fixture
def site(tmp_path: Path):
    """Copy a fixture site into ``tmp_path`` and return its content folder."""

    def copy(name: str = "basic") -> Path:
        target = tmp_path / "content"
        shutil.copytree(FIXTURES / name, target)
        return target

    return copy


@pytest.fixture(scope="session")
def basic_build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The basic fixture, built once with the publish settings."""
    base = tmp_path_factory.mktemp("basic")
    shutil.copytree(FIXTURES / "basic", base / "content")
    result = build_site(base / "content", base / "output")
    assert result.returncode == 0, result.log
    return result


@pytest.fixture(scope="session")
def quotes_build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The quotes fixture, built once with the publish settings (its own cache beside it)."""
    base = tmp_path_factory.mktemp("quotes")
    shutil.copytree(FIXTURES / "quotes", base / "content")
    result = build_site(base / "content", base / "output", cwd=base)
    assert result.returncode == 0, result.log
    return result
