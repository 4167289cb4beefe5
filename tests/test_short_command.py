"""core/collector.py: a short command's process runs main() without the collector and exits
with main()'s code; Python code that calls main() itself keeps its collector."""

from __future__ import annotations

import gc
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _process(code: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False
    )


def test_the_process_runs_main_without_the_collector_and_exits_with_its_code():
    done = _process(
        "import gc\n"
        "from core.collector import run_command\n"
        "def main():\n"
        "    print('collecting' if gc.isenabled() else 'not collecting')\n"
        "    return 3\n"
        "run_command(main)\n"
    )
    assert (done.returncode, done.stdout.strip()) == (3, "not collecting")


def test_the_lint_called_from_python_leaves_the_collector_on(tmp_path):
    from plugins.guidelines.cli import main

    assert gc.isenabled()
    main(["lint", str(tmp_path), "--content", str(tmp_path)])  # no guidelines here: exit 2
    assert gc.isenabled()
