"""Exactly-once under crash: the syndicate process SIGKILLs itself at each named point, then
runs again; every entry is on mastodon-mock and the PDS exactly once, the ledger agrees.

Needs syndication.compose (the real CLI composes the text).
"""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys

import pytest

from .conftest import FIXTURES, ROOT, env_without_chorus, fixture_feed

pytestmark = pytest.mark.integration
SLUGS = ("cafe-opening", "forklift-week")


def syndicate(tmp_path, environ, crash_at=None):
    env = {**env_without_chorus(), **environ}
    if crash_at:
        env["CHORUS_CRASH_AT"] = crash_at
    return subprocess.run(
        [sys.executable, "-m", "syndication.cli", "--live", "--first-run", "--pace", "0",
         "--platform", "mastodon,bluesky", "--feed", str(tmp_path / "site" / "all.json"),
         "--ledger", str(tmp_path / "l.sqlite"), "--links", str(tmp_path / "links.json")],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


@pytest.mark.parametrize("point", ["after-pending", "after-send", "before-posted"])
@pytest.mark.parametrize("platform", ["mastodon", "bluesky"])
def test_crash_then_rerun_posts_each_entry_once(
    tmp_path, static_server, mastodon_account, bluesky_account, point, platform
):
    site, root = static_server
    (root / "all.json").write_text(fixture_feed("feed_good.json", site), encoding="utf-8")
    (root / "card.png").write_bytes((FIXTURES / "card.png").read_bytes())
    environ = {**mastodon_account.credentials(), **bluesky_account.credentials()}

    crashed = syndicate(tmp_path, environ, f"{point}:{platform}:2")  # at the second entry
    assert crashed.returncode == -signal.SIGKILL, crashed.stderr
    again = syndicate(tmp_path, environ)
    assert again.returncode == 0, again.stdout + again.stderr

    statuses = mastodon_account.statuses()
    records = bluesky_account.records()
    for slug in SLUGS:
        assert sum(f"/posts/{slug}/" in s["content"] for s in statuses) == 1, slug
        assert sum(f"/posts/{slug}/" in r["value"]["text"] for r in records) == 1, slug
    assert (len(statuses), len(records)) == (2, 2)

    db = sqlite3.connect(tmp_path / "l.sqlite")
    rows = db.execute("SELECT platform, state, remote_id, remote_url FROM syndication").fetchall()
    assert (
        sorted((p, s) for p, s, _, _ in rows)
        == [("bluesky", "posted")] * 2 + [("mastodon", "posted")] * 2
    )
    assert {i for p, _, i, _ in rows if p == "mastodon"} == {s["id"] for s in statuses}
    assert {i for p, _, i, _ in rows if p == "bluesky"} == {r["uri"] for r in records}
    links = json.loads((tmp_path / "links.json").read_text())["entries"]
    assert sum(len(v) for v in links.values()) == 4

    for output in (crashed.stdout, crashed.stderr, again.stdout, again.stderr):
        assert mastodon_account.token not in output
        assert bluesky_account.password not in output
