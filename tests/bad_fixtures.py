"""tests/fixtures/bad/: what each fixture is, where it goes, and what must be said about it.

Shared by the build test (test_bad_input.py, a real build per fixture) and the lint test
(test_lint_is_build.py): both hold the lint and the build to the same file:line.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from tests.conftest import FIXTURES, ROOT

BAD = FIXTURES / "bad"
EXPECTED: dict[str, dict] = yaml.safe_load((BAD / "expected.yaml").read_text(encoding="utf-8"))


def place(name: str, spec: dict, content: Path) -> str:
    """Put fixture `name` into `content` as its spec says; return the reported file."""
    source = BAD / name
    if source.is_dir():
        shutil.copytree(source, content, dirs_exist_ok=True)
        return spec["file"]
    if "append" in spec:
        target = content / spec["append"]
        text = target.read_text(encoding="utf-8")
        if not text.endswith("\n"):
            text += "\n"
        spec["line"] += text.count("\n")
        target.write_text(text + source.read_text(encoding="utf-8"), encoding="utf-8")
        return spec.get("file", spec["append"])
    into = spec.get("into", "posts/warehouse")
    (content / into).mkdir(parents=True, exist_ok=True)
    target = content / into / name
    data = source.read_bytes()
    if spec.get("grow"):
        from plugins.posts.frontmatter import MAX_POST_BYTES

        filler = data.splitlines(keepends=True)[-1]
        data += filler * (MAX_POST_BYTES // len(filler) + 1)
        assert len(data) > MAX_POST_BYTES
    target.write_bytes(data)
    return spec.get("file", f"{into}/{name}")


def lint_errors(cwd: Path, content: str) -> list[dict]:
    """`python -m plugins.guidelines lint --content CONTENT --format json` run from `cwd`:
    its error findings (path relative to `cwd`, line)."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), CHORUS_CACHE="off")
    proc = subprocess.run(
        [sys.executable, "-m", "plugins.guidelines", "lint", "--content", content,
         "--format", "json"],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 1, proc.stdout + proc.stderr
    return [f for f in json.loads(proc.stdout)["findings"] if f["level"] == "error"]
