"""`lint --changed` in a throwaway git repository (never the project's own): committed on
the branch since it left main, uncommitted edits and untracked posts count; changes that
landed on main meanwhile, deleted posts and files that are not posts do not."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from plugins.guidelines.changed import GitError, changed_posts
from tests.conftest import FIXTURES, ROOT

SITE = FIXTURES / "guidelines_tools" / "site"
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.invalid",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.invalid",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
    "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
}


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, env=GIT_ENV, check=True, capture_output=True)


def write(path: Path, body: str, author: str = "maria.lopez") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f"---\ntitle: {path.stem}\ndate: 2026-10-01 09:00\nauthor: {author}\n"
        f"summary: A post.\n---\n{body}\n",
        encoding="utf-8",
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    shutil.copytree(SITE, repo / "content")
    shutil.rmtree(repo / "content" / "posts")
    posts = repo / "content" / "posts" / "warehouse"
    for name in ("committed", "edited", "deleted", "untouched", "on-main"):
        write(posts / f"{name}.md", "Plain words.")
    (repo / "README.md").write_text("readme\n", encoding="utf-8")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "start")
    git(repo, "checkout", "-q", "-b", "feature")
    write(posts / "committed.md", "It is guaranteed.")  # committed on the branch
    (repo / "README.md").write_text("changed, but not a post\n", encoding="utf-8")
    git(repo, "commit", "-q", "-am", "feature work")
    git(repo, "checkout", "-q", "main")
    write(posts / "on-main.md", "Changed on main after the branch left.")
    git(repo, "commit", "-q", "-am", "main moves on")
    git(repo, "checkout", "-q", "feature")
    write(posts / "edited.md", "Edited, not committed.")  # uncommitted
    write(posts / "new-post.md", "Brand new and untracked.")  # untracked
    (posts / "deleted.md").unlink()  # deleted: nothing to lint
    return repo


def names(paths: list[Path]) -> list[str]:
    return sorted(p.name for p in paths)


def test_changed_posts(repo):
    found = changed_posts(repo, repo / "content" / "posts", "main")
    assert names(found) == ["committed.md", "edited.md", "new-post.md"]


def test_from_a_subfolder_too(repo):
    found = changed_posts(repo / "content" / "posts", repo / "content" / "posts", "main")
    assert names(found) == ["committed.md", "edited.md", "new-post.md"]


def test_unknown_base_is_a_clear_error(repo):
    with pytest.raises(GitError, match="no branch or commit 'trunk'"):
        changed_posts(repo, repo / "content" / "posts", "trunk")


def test_not_a_repository(tmp_path):
    with pytest.raises(GitError):
        changed_posts(tmp_path, tmp_path, "main")


def cli(repo: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "plugins.guidelines", "lint", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=120,
        env={**GIT_ENV, "PYTHONPATH": str(ROOT)},
    )


def test_cli_lints_only_the_changed_posts(repo):
    done = cli(repo, "--changed", "--format", "json")
    assert done.returncode == 1, done.stderr  # committed.md says "guaranteed"
    doc = json.loads(done.stdout)
    assert doc["files"] == 3
    assert {f["path"] for f in doc["findings"] if f["level"] == "error"} == {
        "content/posts/warehouse/committed.md"
    }


def test_cli_changed_against_another_base(repo):
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "everything")
    done = cli(repo, "--changed", "--base", "feature", "--format", "json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["files"] == 0


def test_cli_bad_base_exits_2(repo):
    done = cli(repo, "--changed", "--base", "trunk")
    assert done.returncode == 2
    assert done.stderr.strip() == "error: no branch or commit 'trunk' to compare with (use --base)"
