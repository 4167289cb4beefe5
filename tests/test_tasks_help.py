"""`invoke TASK --help` shows the task's help for every task, including those whose first
argument is positional (invoke would otherwise take "--help" as the post or the title)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def invoke(*argv: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "invoke", "--search-root", str(ROOT), *argv],
        capture_output=True,
        text=True,
        timeout=60,
    )


TASKS = [
    line.split()[0]
    for line in invoke("--list").stdout.splitlines()[1:]
    if line.startswith("  ") and not line.startswith("   ")
]


def test_every_task_is_listed():
    assert {"new", "lint", "approve", "preview", "build"} <= set(TASKS)


@pytest.mark.parametrize("name", TASKS)
def test_help_on_a_task_shows_its_help(name):
    result = invoke(name, "--help")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"Usage: inv[oke] [--core-opts] {name} ")


def test_fast_tests_pass_their_marker_expression_as_one_argument():
    result = invoke("--dry", "test", "--fast")
    assert result.returncode == 0, result.stderr
    assert "-m 'not integration and not browser'" in result.stdout
