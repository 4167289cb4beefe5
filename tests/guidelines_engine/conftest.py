"""Fixtures for the guideline engine tests: the fixture content root and its guidelines."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "guidelines"


@pytest.fixture(autouse=True)
def _at_repo_root(monkeypatch):
    """Findings show paths relative to where the lint runs: the repository root."""
    monkeypatch.chdir(ROOT)


@pytest.fixture(scope="session")
def fixture_guidelines():
    from plugins.guidelines.config import load_guidelines

    return load_guidelines(FIXTURES / "guidelines.yaml")


@pytest.fixture
def content_copy(tmp_path) -> Path:
    """A private copy of the fixture content root (people, departments, guidelines) with
    no posts and no approvals, for tests that write and edit files."""
    target = tmp_path / "content"
    shutil.copytree(FIXTURES, target, ignore=shutil.ignore_patterns("posts", "approvals"))
    (target / "posts").mkdir()
    (target / "approvals").mkdir()
    return target
