"""Listening mentions in the inbox and the digest, beside the open conversations.

Fixture (fixtures/inbox/listening.json, a listening snapshot generated 2 Dec 06:00): a
forum thread about the secateurs routed to support and product (27 Nov), one about the dock
routed to warehouse (30 Nov), one already handled (listed under `done:` in decisions.yaml),
one from October (past the 14 days), an undated one with a javascript: link (counted from
the snapshot's time, shown without a link) and one routed to no department. The
conversations are those of fixtures/digest: Ana waits on warehouse's post since 28 Nov, Cy
on support's since 1 Dec.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from conversations import cli, inbox
from conversations.moderation import load
from tests.conversations.conftest import make_site, site_args

FIXTURES = Path(__file__).parent / "fixtures"
SNAPSHOT = FIXTURES / "inbox" / "listening.json"
NOW = dt.datetime(2026, 12, 3, 9, 0, tzinfo=dt.UTC)
FORUM = "https://allotmentgrowers.example/forum/t/"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    shutil.copy(FIXTURES / "inbox" / "decisions.yaml", tmp_path / "decisions.yaml")
    shutil.copy(SNAPSHOT, tmp_path / "listening.json")
    return make_site(tmp_path, FIXTURES / "digest" / "responses.json")


def heard(days: int = inbox.MENTION_DAYS) -> list[inbox.Waiting]:
    snapshot = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    return inbox.mentions(snapshot, load(FIXTURES / "inbox" / "decisions.yaml").done, NOW, days)


def test_a_mention_waits_once_per_department_until_done_or_too_old() -> None:
    got = [(w.kind, w.department, w.key, w.since) for w in heard()]
    assert got == [
        ("mention", "support", f"{FORUM}4412", "2026-11-27T18:40:00Z"),
        ("mention", "product", f"{FORUM}4412", "2026-11-27T18:40:00Z"),
        ("mention", "warehouse", f"{FORUM}4420", "2026-11-30T07:00:00Z"),
        ("mention", "warehouse", "urn:undated:1", "2026-12-02T06:00:00Z"),
    ]


def test_a_longer_window_brings_old_mentions_back_but_never_done_ones() -> None:
    keys = {w.key for w in heard(days=60)}
    assert f"{FORUM}3001" in keys and f"{FORUM}4430" not in keys


def test_an_unsafe_link_is_dropped_and_the_source_and_terms_are_kept() -> None:
    undated = next(w for w in heard() if w.key == "urn:undated:1")
    assert undated.url == "" and undated.who == "Allotment Growers Forum"
    assert undated.about == "Alder Finch" and undated.where == "listening"


def test_no_snapshot_is_no_mentions() -> None:
    assert inbox.mentions(None, set(), NOW) == []


def inbox_lines(site: Path, *extra: str, capsys) -> list[list[str]]:
    # the fixture's dates are fixed and the CLI measures age from today: a wide window
    assert cli.main(["inbox", *site_args(site), "--mention-days", "100000", *extra]) == 0
    return [line.split("\t") for line in capsys.readouterr().out.splitlines()]


def test_inbox_lists_conversations_and_mentions_oldest_first(site, capsys) -> None:
    rows = inbox_lines(site, capsys=capsys)
    got = [(kind, dept, url) for _age, kind, dept, _who, url in rows]
    assert got == [
        ("mention", "warehouse", f"{FORUM}3001"),
        ("mention", "support", f"{FORUM}4412"),
        ("mention", "product", f"{FORUM}4412"),
        ("conversation", "warehouse", "https://example.social/@ana/101"),
        ("mention", "warehouse", f"{FORUM}4420"),
        ("conversation", "support", "https://other.example/@cy/201"),
        ("mention", "warehouse", ""),
    ]


def test_inbox_for_one_department(site, capsys) -> None:
    rows = inbox_lines(site, "--department", "support", capsys=capsys)
    assert [(r[1], r[3]) for r in rows] == [
        ("mention", "Allotment Growers Forum"),
        ("conversation", "cy@other.example"),
    ]


def test_done_takes_a_mention_out_of_the_inbox(site, capsys) -> None:
    assert cli.main(["review", *site_args(site), "--done", f"{FORUM}4420"]) == 0
    assert f"{FORUM}4420" in load(site / "decisions.yaml").done
    capsys.readouterr()
    urls = [r[4] for r in inbox_lines(site, capsys=capsys)]
    assert f"{FORUM}4420" not in urls and f"{FORUM}4412" in urls


def test_digest_sends_mentions_with_the_conversations(site, capsys) -> None:
    args = ["digest", *site_args(site), "--mention-days", "100000",
            "--departments", str(FIXTURES / "digest" / "departments.yaml")]  # fmt: skip
    assert cli.main(args) == 0
    out = capsys.readouterr().out
    assert "Warehouse &amp; Operations: 1 open conversation and 3 mentions" in out
    assert "Customer Support: 1 open conversation and 1 mention" in out
    assert "would send to product via CHORUS_WEBHOOK_URL" in out
    assert "product: 1 mention, the oldest" in out
    assert (f"heard on Allotment Growers Forum (Finch secateurs): <{FORUM}4412|Finch "
            "secateurs spring keeps popping out | fix?>") in out  # fmt: skip
    assert "Routed nowhere" not in out and "Already answered" not in out


def test_a_broken_listening_snapshot_is_one_line_with_its_file(site, capsys) -> None:
    (site / "listening.json").write_text('{"version": 1,\n  "mentions": [', encoding="utf-8")
    assert cli.main(["inbox", *site_args(site)]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"{site / 'listening.json'}:") and "not valid JSON" in err
    assert "\n" not in err
