"""The ledger on both stores (SQLite file, real PostgreSQL): states, claims, the crash-safe
order of writes, threads, migration of an old ledger, and one-line errors."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import subprocess
import sys
import threading

import pytest

from syndication.ledger import Ledger, LedgerError, default_path
from syndication.model import Posted
from syndication.store import StoreError

from .conftest import FIXTURES, ROOT

T0 = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


class Clock:
    def __init__(self, at: dt.datetime = T0):
        self.at = at

    def __call__(self) -> dt.datetime:
        return self.at


@pytest.fixture
def ledger(ledger_location):
    with Ledger(ledger_location, now=Clock()) as opened:
        opened.begin_run(wait=0)
        yield opened


def test_claim_then_posted_then_links(ledger):
    claim = ledger.claim("e1", "mastodon")
    assert (claim.attempts, claim.reconcile) == (1, False)
    assert ledger.get("e1", "mastodon").state == "pending"
    ledger.mark_posted("e1", "mastodon", Posted("42", "https://m.example/@a/42"), fingerprint="f1")
    row = ledger.get("e1", "mastodon")
    assert (row.state, row.attempts, row.remote_id, row.fingerprint) == ("posted", 1, "42", "f1")
    assert ledger.links() == {"e1": {"mastodon": "https://m.example/@a/42"}}
    assert ledger.claim("e1", "mastodon") is None  # a posted row is never claimed again


def test_a_posted_row_is_never_overwritten(ledger):
    ledger.claim("e1", "x")
    ledger.mark_posted("e1", "x", Posted("1", "https://x.com/i/web/status/1"))
    ledger.mark_posted("e1", "x", Posted("2", "https://x.com/i/web/status/2"))
    ledger.mark_failed("e1", "x", "late failure")
    row = ledger.get("e1", "x")
    assert (row.state, row.remote_id) == ("posted", "1")


def test_failed_waits_for_its_retry_time_then_is_claimed_again(ledger):
    clock = ledger._now
    ledger.claim("e1", "linkedin")
    retry_at = T0 + dt.timedelta(minutes=5)
    ledger.mark_failed("e1", "linkedin", "linkedin: HTTP 503", maybe_sent=True, retry_at=retry_at)
    row = ledger.get("e1", "linkedin")
    assert (row.state, row.attempts, row.maybe_sent) == ("failed", 1, True)
    assert ledger.claim("e1", "linkedin") is None  # not due yet
    clock.at = retry_at
    claim = ledger.claim("e1", "linkedin")
    assert (claim.attempts, claim.reconcile) == (2, True)  # it may have gone out: look first


def test_abandoned_is_not_claimed_until_retried_now_and_dismiss_ends_it(ledger):
    ledger.claim("e1", "x")
    ledger.mark_failed("e1", "x", "x: HTTP 401", abandon=True)
    assert ledger.get("e1", "x").state == "abandoned"
    assert ledger.claim("e1", "x", force=True) is None
    assert ledger.retry_now("x") == 1
    assert ledger.claim("e1", "x").attempts == 1  # the count starts again
    ledger.mark_failed("e1", "x", "x: HTTP 401", abandon=True)
    assert ledger.dismiss() == 1
    assert ledger.get("e1", "x").state == "dismissed"


def test_baseline_never_overwrites_a_row(ledger):
    ledger.claim("e1", "mastodon")
    added = ledger.mark_seen([("e1", "mastodon", None), ("e2", "mastodon", "2026-01-01")])
    assert added == 1
    assert ledger.states() == {("e1", "mastodon"): "pending", ("e2", "mastodon"): "seen"}


def test_restore_from_links_file_adds_posted_rows_only_where_missing(ledger):
    ledger.claim("e1", "mastodon")
    restored = ledger.restore_posted(
        {"e1": {"mastodon": "https://m/1"}, "e2": {"bluesky": "https://b/2"}}
    )
    assert restored == 1
    assert ledger.states() == {("e1", "mastodon"): "pending", ("e2", "bluesky"): "posted"}


def test_a_failed_commit_leaves_the_row_pending(ledger):
    ledger.claim("e1", "bluesky")

    def boom():
        raise RuntimeError("power cut")

    with pytest.raises(RuntimeError):
        ledger.mark_posted("e1", "bluesky", Posted("at://x", "https://b/x"), before_commit=boom)
    assert ledger.get("e1", "bluesky").state == "pending"


def test_a_pending_row_of_a_dead_run_is_taken_over_and_looked_up(ledger_location):
    with Ledger(ledger_location) as first:
        first.begin_run(wait=0)
        first.claim("e1", "mastodon")
    # the first run has ended (its lock is gone) without finishing
    with Ledger(ledger_location) as second:
        second.begin_run(wait=0)
        claim = second.claim("e1", "mastodon")
        assert claim.reconcile and claim.took_over == first.run_id
        assert claim.attempts == 2


def test_threads_write_at_once_without_losing_a_row(ledger):
    platforms = ["mastodon", "bluesky", "internal", "x"]

    def work(platform):
        for i in range(30):
            assert ledger.claim(f"e{i}", platform) is not None
            ledger.mark_posted(f"e{i}", platform, Posted(str(i), f"https://{platform}/{i}"))

    threads = [threading.Thread(target=work, args=(p,)) for p in platforms]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(ledger.rows(state="posted")) == 120


def test_edit_claims_are_once_per_version(ledger):
    ledger.claim("e1", "mastodon")
    ledger.mark_posted("e1", "mastodon", Posted("1", "https://m/1"), fingerprint="v1")
    assert ledger.claim_edit("e1", "mastodon", "v1") is None  # up to date
    assert ledger.claim_edit("e1", "mastodon", "v2").remote_id == "1"
    assert ledger.claim_edit("e1", "mastodon", "v2") is None  # ours already
    ledger.set_fingerprint("e1", "mastodon", "v2")
    assert ledger.claim_edit("e1", "mastodon", "v2") is None


def test_retraction_states(ledger):
    ledger.claim("e1", "mastodon")
    ledger.mark_posted("e1", "mastodon", Posted("1", "https://m/1"))
    ledger.mark_seen([("e1", "linkedin", None)])
    row = ledger.claim_retraction("e1", "mastodon")
    assert (row.state, row.remote_id) == ("retracting", "1")
    assert ledger.claim_retraction("e1", "linkedin") is None  # never posted: nothing to delete
    assert ledger.get("e1", "linkedin").state == "retracted"
    ledger.mark_retracted("e1", "mastodon")
    assert ledger.claim_retraction("e1", "mastodon") is None
    assert ledger.links() == {}


def test_claims_need_a_run(ledger_location):
    with Ledger(ledger_location) as opened, pytest.raises(LedgerError):
        opened.claim("e1", "x")


def test_wal_and_the_schema_other_tools_read(tmp_path):
    path = tmp_path / "l.sqlite"
    Ledger(path).close()
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    columns = [r[1] for r in db.execute("PRAGMA table_info(syndication)")]
    assert columns[:4] == ["entry_id", "platform", "state", "attempts"]
    with pytest.raises(sqlite3.IntegrityError):
        db.execute(
            "INSERT INTO syndication (entry_id, platform, state, created_at, updated_at)"
            " VALUES ('e', 'p', 'lost', '', '')"
        )


def test_a_ledger_of_the_first_schema_is_migrated_without_losing_a_row(tmp_path):
    path = tmp_path / "old.sqlite"
    db = sqlite3.connect(path)
    db.executescript((FIXTURES / "ledger-v1.sql").read_text(encoding="utf-8"))
    db.close()
    with Ledger(path) as ledger:
        rows = {(r.entry_id, r.platform): r for r in ledger.rows()}
    assert {k: r.state for k, r in rows.items()} == {
        ("tag:a", "mastodon"): "posted",
        ("tag:a", "linkedin"): "failed",
        ("tag:b", "mastodon"): "pending",
        ("tag:old", "mastodon"): "seen",
    }
    assert rows[("tag:a", "mastodon")].remote_url == "https://social.example/@af/1"
    assert rows[("tag:a", "linkedin")].maybe_sent  # an old failure may have been sent


@pytest.mark.parametrize(
    "content, says",
    [
        (b"this is not a database at all, just text" * 100, "damaged"),
        (b"SQLite format 3\x00" + b"\x00" * 84, "damaged"),  # truncated after the header
    ],
)
def test_a_damaged_ledger_is_one_line_naming_it(tmp_path, content, says):
    path = tmp_path / "l.sqlite"
    path.write_bytes(content)
    with pytest.raises(StoreError) as caught:
        Ledger(path)
    message = str(caught.value)
    assert says in message and str(path) in message and "\n" not in message
    assert path.read_bytes() == content  # never "repaired" by overwriting


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes read-only files anyway")
def test_a_read_only_ledger_is_one_line(tmp_path):
    path = tmp_path / "l.sqlite"
    Ledger(path).close()
    path.chmod(0o444)
    with pytest.raises(StoreError, match="read-only"):
        Ledger(path)


def test_a_read_only_folder_is_one_line_even_as_root(tmp_path):
    """Root ignores file modes, but nobody can create a folder under a regular file."""
    (tmp_path / "file").write_text("x")
    with pytest.raises(StoreError, match="cannot create its folder"):
        Ledger(tmp_path / "file" / "l.sqlite")


def test_a_second_run_on_a_sqlite_ledger_waits_then_refuses_in_one_line(tmp_path):
    path = tmp_path / "l.sqlite"
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time; from syndication.ledger import Ledger;"
         f"l = Ledger({str(path)!r}); l.begin_run(wait=0); print('held', flush=True);"
         "time.sleep(60)"],
        cwd=ROOT, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout.readline().strip() == "held"
        lines = []
        with Ledger(path) as second, pytest.raises(StoreError) as caught:
            second.begin_run(wait=0.5, say=lines.append)
        assert "another syndicate run" in str(caught.value) and "\n" not in str(caught.value)
        assert lines and "waiting" in lines[0]
    finally:
        holder.kill()
        holder.wait()
    with Ledger(path) as third:  # the dead holder's lock is gone with it
        third.begin_run(wait=5)


def test_default_path_from_environment(tmp_path):
    assert default_path({}, tmp_path) == tmp_path / ".chorus/ledger.sqlite"
    assert str(default_path({"CHORUS_LEDGER": "/x/l.sqlite"}, tmp_path)) == "/x/l.sqlite"
    url = "postgresql://chorus:pw@db.internal:5432/chorus"
    assert default_path({"CHORUS_LEDGER": url}, tmp_path) == url


@pytest.mark.integration
def test_an_unreachable_postgresql_is_one_line_without_its_password():
    from tests.servers import free_port

    url = f"postgresql://chorus:s3cret-pw@127.0.0.1:{free_port()}/chorus"
    with pytest.raises(StoreError) as caught:
        Ledger(url)
    message = str(caught.value)
    assert "s3cret-pw" not in message and "127.0.0.1" in message and "\n" not in message


def test_runs_opening_a_new_ledger_together_create_it_once(ledger_location):
    errors: list[Exception] = []
    start = threading.Barrier(6)

    def open_it():
        start.wait()
        try:
            Ledger(ledger_location).close()
        except Exception as exc:  # the assertion below shows which
            errors.append(exc)

    threads = [threading.Thread(target=open_it) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
