"""The WebSub hub ping from the syndication side (syndication/platforms/websub.py: one ping_hub)."""

from __future__ import annotations

import pytest

from syndication.credentials import load
from syndication.platforms.websub import WebSub, failed

pytestmark = pytest.mark.integration


def feeds(tmp_path):
    for rel in ("feeds/all.atom.xml", "feeds/all.json", "feeds/people/maria.lopez.rss.xml"):
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x", encoding="utf-8")
    return tmp_path


def test_ping_every_feed(hub_server, tmp_path):
    hub = WebSub(load("websub", {"CHORUS_WEBSUB_HUB": hub_server.url + "/hub"}))
    lines = hub.ping("https://chorus.test", feeds(tmp_path))
    assert hub_server.topics == [
        "https://chorus.test/feeds/all.atom.xml",
        "https://chorus.test/feeds/all.json",
        "https://chorus.test/feeds/people/maria.lopez.rss.xml",
    ]
    assert lines == [f"websub: pinged {hub_server.url}/hub for 3 of 3 feed(s)"]
    assert not failed(lines)
    assert hub_server.violations == []


def test_hub_error_is_reported(hub_server, tmp_path):
    hub_server.fault(status=500, times=3)
    lines = WebSub({"CHORUS_WEBSUB_HUB": hub_server.url + "/hub"}).ping(
        "https://chorus.test", feeds(tmp_path)
    )
    assert failed(lines)
    assert "answered HTTP 500 for 3 feed(s)" in lines[1]


def test_live_run_pings_the_hub_after_posting(hub_server, tmp_path):
    """CI builds with `publish --no-ping`; the syndicate step pings once the site is live."""
    from syndication.cli import ping_websub

    lines: list[str] = []
    environ = {"CHORUS_WEBSUB_HUB": hub_server.url + "/hub", "CHORUS_SITEURL": "https://c.test"}
    ping_websub(feeds(tmp_path), lines.append, environ)
    assert len(hub_server.topics) == 3
    assert lines == [f"websub: pinged {hub_server.url}/hub for 3 of 3 feed(s)"]


def test_no_hub_configured_means_no_ping(hub_server, tmp_path):
    from syndication.cli import ping_websub

    lines: list[str] = []
    ping_websub(feeds(tmp_path), lines.append, {"CHORUS_SITEURL": "https://c.test"})
    assert hub_server.topics == [] and lines == []


def test_pacing_comes_from_the_registry():
    from syndication.registry import SPECS

    assert SPECS["threads"].min_interval == 2.0
    assert SPECS["bluesky"].min_interval == 1.0
