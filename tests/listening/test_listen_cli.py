"""`python -m conversations.listening` as a user runs it: exit codes, one line per problem."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "listening"


def listen(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "conversations.listening", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )


def test_bad_config_exits_1_with_located_lines_and_writes_nothing(tmp_path):
    snapshot = tmp_path / "snapshot.json"
    bad = FIXTURES / "config" / "bad-kind.yaml"
    done = listen("--config", str(bad), "--snapshot", str(snapshot), "--state", str(tmp_path / "s"))
    assert done.returncode == 1
    lines = done.stderr.splitlines()
    assert lines[0] == (
        "tests/fixtures/listening/config/bad-kind.yaml:6: error: unknown kind 'blog' "
        "(expected one of: industry, competitor, community, news)"
    )
    assert lines[1] == "Listening stopped: 1 problem(s); nothing written."
    assert "Traceback" not in done.stderr
    assert not snapshot.exists()


def test_demo_config_runs_offline(tmp_path):
    snapshot = tmp_path / "snapshot.json"
    done = listen("--snapshot", str(snapshot), "--state", str(tmp_path / "state.json"))
    assert done.returncode == 0, done.stderr
    data = json.loads(snapshot.read_text(encoding="utf-8"))
    assert [s["status"] for s in data["sources"]] == ["ok"] * len(data["sources"])
    assert done.stdout.splitlines()[-1].startswith(
        f"Wrote {snapshot}: {len(data['mentions'])} mention"
    )
    # the committed demo snapshot is what this run makes, apart from when it ran
    committed = json.loads((ROOT / "content" / "listening" / "snapshot.json").read_text("utf-8"))
    assert {**data, "generated": None} == {**committed, "generated": None}


def test_failing_sources_are_reported_but_not_fatal(tmp_path):
    config = tmp_path / "listening.yaml"
    config.write_text(
        "sources:\n"
        f"  - {{name: Broken, url: '{FIXTURES / 'malformed.xml'}', kind: news}}\n"
        "  - {name: Gone, url: no-such-file.xml, kind: news}\n"
        f"  - {{name: Fine, url: 'file://{FIXTURES / 'atom.xml'}', kind: competitor}}\n",
        encoding="utf-8",
    )
    done = listen("--config", str(config), "--snapshot", str(tmp_path / "s.json"),
                  "--state", str(tmp_path / "state.json"))  # fmt: skip
    assert done.returncode == 0, done.stderr
    out = done.stdout.splitlines()
    assert out[0].split(None, 1) == ["error", f"Broken: {out[0].split(': ', 1)[1]}"]
    assert "not a feed" in out[0]
    assert out[1].startswith("       error  Gone: cannot read ")
    assert out[2] == "          ok  Fine: 2 entries"
    assert out[3].endswith("from 3 source(s), 2 failed.")
