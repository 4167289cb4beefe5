"""A guidelines file that prepared without error is remembered (core/filememo.py), so a
warm lint compiles none of its rules; the lint is the same, and an edited file is checked
in full again."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest

from core import filememo
from core.filememo import FileMemo
from plugins.guidelines.config import load_guidelines
from plugins.guidelines.engine import lint_files
from plugins.guidelines.hook import load
from plugins.guidelines.model import GuidelinesError
from plugins.run import new_run, run_of

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "guidelines"
SETTLED = 10**18  # an mtime long before the memo looks at the file


@pytest.fixture
def guidelines_file(tmp_path, monkeypatch) -> Path:
    # The file is written by the test just now; count it as settled (its stat trusted).
    monkeypatch.setattr(filememo, "RACY_NS", -1)
    target = tmp_path / "guidelines.yaml"
    shutil.copy(FIXTURES / "guidelines.yaml", target)
    os.utime(target, ns=(SETTLED, SETTLED))
    return target


def proven(guidelines_file: Path, memo_file: Path):
    memo = FileMemo(memo_file)
    loaded = load_guidelines(guidelines_file, memo)
    memo.save()
    return loaded


def test_a_proven_file_prepares_its_rules_on_first_use_and_lints_the_same(
    guidelines_file, tmp_path
):
    memo_file = tmp_path / "memo"
    eager = proven(guidelines_file, memo_file)
    assert all(rule.pending is None for rule in eager.rules)
    deferred = load_guidelines(guidelines_file, FileMemo(memo_file))
    assert all(rule.pending is not None for rule in deferred.rules)

    posts = sorted((FIXTURES / "posts").rglob("*.md"))
    kwargs = {"content_root": FIXTURES, "workers": 1}
    assert lint_files(posts, deferred, **kwargs) == lint_files(posts, eager, **kwargs)
    assert all(rule.pending is None for rule in deferred.rules)


def test_an_edited_file_is_checked_in_full_again(guidelines_file, tmp_path):
    memo_file = tmp_path / "memo"
    proven(guidelines_file, memo_file)
    text = guidelines_file.read_text(encoding="utf-8")
    guidelines_file.write_text(text.replace(r"'€\s?\d'", "'€(\\d'"), encoding="utf-8")
    os.utime(guidelines_file, ns=(SETTLED + 1, SETTLED + 1))
    with pytest.raises(GuidelinesError, match="bad regular expression"):
        load_guidelines(guidelines_file, FileMemo(memo_file))


def test_other_engine_code_means_preparing_again(guidelines_file, tmp_path, monkeypatch):
    memo_file = tmp_path / "memo"
    proven(guidelines_file, memo_file)
    monkeypatch.setattr("plugins.guidelines.config.engine_digest", lambda memo: b"other code")
    again = load_guidelines(guidelines_file, FileMemo(memo_file))
    assert all(rule.pending is None for rule in again.rules)


def test_a_build_loads_the_guidelines_through_its_run_memo(guidelines_file, tmp_path, monkeypatch):
    monkeypatch.setenv("CHORUS_CACHE", str(tmp_path / "cache"))  # the memo: cache/files.marshal
    settings = {"PATH": str(tmp_path)}
    monkeypatch.setattr("plugins.guidelines.hook.guidelines_file", lambda s: guidelines_file)
    for _build in range(2):
        new_run(settings)
        load(SimpleNamespace(settings=settings))
        run_of(settings).memo.save()
    rules = run_of(settings).guidelines.rules
    assert rules and all(rule.pending is not None for rule in rules)  # the second: proven
