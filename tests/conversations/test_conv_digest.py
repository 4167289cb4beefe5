"""`conversations digest`: the inbox per department, one message to that department's
channel, against the local Slack-style webhook receiver of the syndication tests (it
refuses a body whose shape or mrkdwn escaping is wrong).

Fixture (fixtures/digest): warehouse has Ana waiting since 28 Nov, Ben answered by our
account (closed) and a blocked spam domain; support has Cy waiting since 1 Dec. Warehouse
names its own channel variable, support uses CHORUS_WEBHOOK_URL.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from conversations import cli, digest
from conversations.dialogue import threads
from conversations.inbox import of_thread
from plugins.people.directory import load_departments
from tests.conversations.conftest import make_site, response, site_args
from tests.syndication_http.conftest import WEBHOOK_PATH, LocalServer, make_webhook, running

FIXTURES = Path(__file__).parent / "fixtures" / "digest"
NOW = dt.datetime(2026, 12, 3, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    shutil.copy(FIXTURES / "decisions.yaml", tmp_path / "decisions.yaml")
    return make_site(tmp_path, FIXTURES / "responses.json")


def run(site: Path, *extra: str, departments: str = "departments.yaml") -> int:
    return cli.main(["digest", *site_args(site), "--departments", str(FIXTURES / departments),
                     *extra])  # fmt: skip


@pytest.fixture
def channels(monkeypatch) -> Iterator[tuple[LocalServer, LocalServer]]:
    with running(make_webhook()) as warehouse, running(make_webhook()) as fallback:
        monkeypatch.setenv("CHORUS_WEBHOOK_URL_WAREHOUSE", warehouse.url + WEBHOOK_PATH)
        monkeypatch.setenv("CHORUS_WEBHOOK_URL", fallback.url + WEBHOOK_PATH)
        monkeypatch.delenv("CHORUS_SECRETS_FILE", raising=False)
        yield warehouse, fallback


def section_text(message: dict) -> str:
    return "\n".join(b["text"]["text"] for b in message["blocks"] if b["type"] == "section")


@pytest.mark.integration
def test_dry_run_prints_and_sends_nothing(site, channels, capsys) -> None:
    assert run(site) == 0
    out = capsys.readouterr().out
    assert "would send to warehouse via CHORUS_WEBHOOK_URL_WAREHOUSE" in out
    assert "would send to support via CHORUS_WEBHOOK_URL:" in out
    assert "ana@example.social" in out and "cy@other.example" in out
    assert "ben@example.social" not in out and "spam.example" not in out
    assert all(not server.requests for server in channels)
    assert WEBHOOK_PATH not in out  # the URL is a credential


@pytest.mark.integration
def test_live_sends_one_message_per_department_to_its_channel(site, channels, capsys) -> None:
    warehouse, fallback = channels
    assert run(site, "--live") == 0
    assert warehouse.violations == [] and fallback.violations == []
    assert len(warehouse.messages) == 1 and len(fallback.messages) == 1
    sent = section_text(warehouse.messages[0])
    assert sent.startswith("*Warehouse &amp; Operations: 1 open conversation, the oldest")
    assert "ana@example.social" in sent and "post dock-news" in sent
    assert "<https://example.social/@ana/101|Does the Tom &amp; Jerry dock open on" in sent
    assert "alert" not in sent and "ben@" not in sent and "spam" not in sent
    other = section_text(fallback.messages[0])
    assert other.startswith("*Customer Support: 1 open conversation")
    assert "My rake broke %7C again &gt; twice" not in other  # labels are escaped, not encoded
    assert "My rake broke | again &gt; twice" in other
    out = capsys.readouterr().out
    assert "sent 1 open to warehouse via CHORUS_WEBHOOK_URL_WAREHOUSE" in out
    assert WEBHOOK_PATH not in out


@pytest.mark.integration
def test_one_department_only(site, channels) -> None:
    warehouse, fallback = channels
    assert run(site, "--live", "--department", "support") == 0
    assert warehouse.requests == [] and len(fallback.messages) == 1


@pytest.mark.integration
def test_a_failed_channel_is_one_line_and_the_others_are_sent(site, channels, capsys) -> None:
    warehouse, fallback = channels
    warehouse.fault(status=500)
    assert run(site, "--live") == 1
    assert len(fallback.messages) == 1
    out = capsys.readouterr().out
    failed = [line for line in out.splitlines() if line.startswith("digest: warehouse:")]
    assert len(failed) == 1 and "HTTP 500" in failed[0]
    assert WEBHOOK_PATH not in out and "hookSECRET" not in out


def test_unset_channel_variable_falls_back(monkeypatch) -> None:
    monkeypatch.delenv("CHORUS_WEBHOOK_URL_WAREHOUSE", raising=False)
    monkeypatch.delenv("CHORUS_SECRETS_FILE", raising=False)
    monkeypatch.setenv("CHORUS_WEBHOOK_URL", "https://hooks.example/fallback-xyz")
    warehouse = load_departments(FIXTURES / "departments.yaml")["warehouse"]
    found = digest.channel(warehouse)
    assert found.variable == "CHORUS_WEBHOOK_URL"
    assert found.note == "CHORUS_WEBHOOK_URL_WAREHOUSE is not set"


def test_no_webhook_at_all_is_one_line(site, monkeypatch, capsys) -> None:
    for name in ("CHORUS_WEBHOOK_URL_WAREHOUSE", "CHORUS_WEBHOOK_URL", "CHORUS_SECRETS_FILE"):
        monkeypatch.delenv(name, raising=False)
    assert run(site, "--live", "--department", "warehouse") == 1
    assert capsys.readouterr().out.strip() == (
        "digest: warehouse: no webhook: set CHORUS_WEBHOOK_URL_WAREHOUSE or CHORUS_WEBHOOK_URL"
    )


def test_a_url_as_channel_is_refused_with_file_and_line(site, capsys) -> None:
    assert run(site, departments="bad-departments.yaml") == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"{FIXTURES / 'bad-departments.yaml'}:3:")
    assert "names the environment variable" in err and "secret" not in err


def test_a_long_inbox_fits_the_section_and_says_how_many_more() -> None:
    many = [
        response(
            {
                "copy": "100",
                "id": str(i),
                "parent": "100",
                "author": f"p{i}@example.social",
                "published": f"2026-11-{1 + i % 28:02d}T08:00:00Z",
                "text": "<p>" + "word " * 60 + "</p>",
            }
        )
        for i in range(80)
    ]
    found = [
        of_thread(t, "warehouse")
        for t in threads(many, {("mastodon", "100"): "tag:x:posts/dock-news"}, set())
    ]
    body = digest.message("warehouse", "Warehouse", found, NOW)
    listed = body["blocks"][1]["text"]["text"]
    assert len(listed) <= digest.SECTION_LIMIT
    shown = listed.count("\n• ") + 1
    assert listed.endswith("more: `invoke conversations inbox --department warehouse`")
    assert f"…and {80 - shown} more" in listed


def test_no_control_or_bidi_character_reaches_the_channel() -> None:
    evil = response({"copy": "100", "id": "1", "parent": "100", "author": "x@example.social",
                     "published": "2026-11-30T08:00:00Z",
                     "text": "<p>\u001b[2J\u0007Hi \u202eenilno\u202c</p>"})  # fmt: skip
    found = [
        of_thread(t, "warehouse")
        for t in threads([evil], {("mastodon", "100"): "tag:x:posts/dock-news"}, set())
    ]
    text = json.dumps(digest.message("warehouse", "Warehouse", found, NOW), ensure_ascii=False)
    assert not any(c in text for c in ("\x1b", "\x07", "\u202e", "\u202c"))
    assert "Hi \\\\u202eenilno\\\\u202c" in text  # shown as escapes
