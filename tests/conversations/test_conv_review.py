"""`conversations review`, interactive: one pending reply at a time, a/h/b/s/q, every
decision written to decisions.yaml at once; fed through stdin as a person would type.

Fixture (fixtures/review), oldest first: Ana 301, Ben 302 (escape sequences and an RTL
override in his text), Ana 303, Cy 304, Dee 305; a like is never asked about.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conversations import cli
from tests.conftest import ROOT
from tests.conversations.conftest import make_site, site_args

FIXTURES = Path(__file__).parent / "fixtures" / "review"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return make_site(tmp_path, FIXTURES / "responses.json")


def decisions(site: Path) -> dict:
    return yaml.safe_load((site / "decisions.yaml").read_text(encoding="utf-8"))


def review(site: Path, typed: str, monkeypatch, *extra: str) -> int:
    monkeypatch.setattr(sys, "stdin", io.StringIO(typed))
    return cli.main(["review", "--interactive", *site_args(site), *extra])


def test_block_hide_approve_skip_and_the_end_of_input(site, monkeypatch, capsys) -> None:
    # Ana: block (her 303 is settled by it); Ben: a wrong key, then hide; Cy: approve;
    # Dee: skip; then the input ends.
    assert review(site, "b\nx\nh\na\ns\n", monkeypatch) == 0
    assert decisions(site) == {"approve": ["mastodon:304"], "hide": ["mastodon:302"],
                               "block_accounts": ["ana@example.social"]}  # fmt: skip
    out = capsys.readouterr().out
    assert out.count("[a]pprove  [h]ide  [b]lock author  [s]kip  [q]uit > ") == 5
    assert "[1/5] mastodon:301 · ana@example.social · 2026-11-20T09:00:00Z" in out
    assert "\n  on post dock-news (warehouse)\n  First from Ana\n" in out
    assert "answer a, h, b, s or q" in out
    assert "mastodon:303" not in out  # settled by the block, never asked
    assert "like:9" not in out
    assert out.strip().endswith(
        "review: 1 blocked, 1 hidden, 1 settled by a block, 1 approved, 1 skipped; 1 still waiting"
    )
    snapshot = (site / "snapshot.json").read_text(encoding="utf-8")
    assert "Cy asks about rakes" in snapshot
    assert "Ana" not in snapshot and "Ben" not in snapshot and "Dee says" not in snapshot


def test_nothing_from_a_stranger_reaches_the_terminal_raw(site, monkeypatch, capsys) -> None:
    assert review(site, "s\ns\nq\n", monkeypatch) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out
    assert "\\u202eenilno\\u202c here" in out  # shown, as escapes


def test_quit_keeps_what_was_decided(site, monkeypatch, capsys) -> None:
    assert review(site, "a\nq\n", monkeypatch) == 0
    assert decisions(site) == {"approve": ["mastodon:301"]}
    assert capsys.readouterr().out.strip().endswith("review: 1 approved; 4 still waiting")
    assert review(site, "", monkeypatch) == 0  # the next session starts at Ben
    assert "[1/4] mastodon:302" in capsys.readouterr().out


def test_flags_and_the_script_listing_still_work(site, capsys) -> None:
    assert cli.main(["review", *site_args(site), "--approve", "mastodon:305",
                     "--block", "other.example"]) == 0  # fmt: skip
    assert decisions(site) == {"approve": ["mastodon:305"], "block_domains": ["other.example"]}
    listed = [line.split("\t") for line in capsys.readouterr().out.splitlines()]
    assert [row[0] for row in listed] == ["mastodon:301", "mastodon:302", "mastodon:303"]
    assert all(len(row) == 4 for row in listed)


def test_a_real_process_reading_its_stdin(site) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "conversations.cli", "review", "--interactive", *site_args(site)],
        input="h\nq\n", capture_output=True, text=True, cwd=ROOT, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "review: 1 hidden; 4 still waiting" in done.stdout
    assert json.dumps(decisions(site)) == '{"hide": ["mastodon:301"]}'
