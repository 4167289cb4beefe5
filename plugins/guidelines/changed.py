"""`lint --changed`: the posts a branch changes, so a pre-commit hook or a pull request
checks what its author touched and not the whole archive.

"Changed" is what the author would call changed: committed on this branch since it left the
base (`git diff base...HEAD`, the three-dot form that ignores what landed on the base since),
plus edits not committed yet, staged or not, plus new files git does not know about yet.
Deleted files are dropped: there is nothing left to lint.
"""

from __future__ import annotations

import subprocess
from pathlib import Path


class GitError(Exception):
    """git is missing, this is not a repository, or the base branch does not exist."""


def _git(repo: Path, *args: str) -> list[str]:
    try:
        done = subprocess.run(
            ["git", *args], cwd=repo, capture_output=True, text=True, timeout=60, check=False
        )
    except (OSError, subprocess.SubprocessError) as exc:
        raise GitError(f"cannot run git: {exc}") from None
    if done.returncode != 0:
        detail = " ".join(done.stderr.split()) or f"exit code {done.returncode}"
        raise GitError(f"git {' '.join(args)} failed: {detail}")
    return [line for line in done.stdout.split("\0") if line]


def changed_files(repo: Path, base: str = "main") -> list[Path]:
    """Absolute paths of existing files changed against `base` (see the module doc)."""
    top = Path(_git(repo, "rev-parse", "--show-toplevel")[0].rstrip("\n"))
    try:
        _git(top, "rev-parse", "--verify", "--quiet", f"{base}^{{commit}}")
    except GitError:
        raise GitError(f"no branch or commit '{base}' to compare with (use --base)") from None
    names: set[str] = set()
    names.update(_git(top, "diff", "--name-only", "-z", "--no-renames", f"{base}...HEAD"))
    names.update(_git(top, "diff", "--name-only", "-z", "--no-renames", "HEAD"))
    names.update(_git(top, "ls-files", "--others", "--exclude-standard", "-z"))
    return sorted(p for p in (top / n for n in names) if p.is_file())


def changed_posts(
    repo: Path, posts_dir: Path, base: str = "main", suffixes: tuple[str, ...] = (".md",)
) -> list[Path]:
    """Changed files that are posts: Markdown under the posts folder."""
    posts_dir = posts_dir.resolve()
    return [
        p
        for p in changed_files(repo, base)
        if p.suffix in suffixes and p.resolve().is_relative_to(posts_dir)
    ]
