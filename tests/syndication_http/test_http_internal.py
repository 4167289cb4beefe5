"""The internal webhook (Slack-style JSON) against a local receiver."""

from __future__ import annotations

import pytest

from syndication.credentials import load
from syndication.model import Permanent, RateLimited
from syndication.platforms import create
from syndication.retry import Policy, call_with_retry

from .conftest import WEBHOOK_PATH, fixture_json, make_composed, make_entry

pytestmark = pytest.mark.integration

TEXT = "Q&A: what <contractors> tell us https://chorus.test/posts/warehouse-voices/"


def platform(server, **extra):
    credentials = load("internal", {"CHORUS_WEBHOOK_URL": server.url + WEBHOOK_PATH, **extra})
    return create("internal", credentials)


def test_post_sends_escaped_text_and_blocks(webhook_server):
    internal = platform(
        webhook_server, CHORUS_WEBHOOK_CHANNEL_URL="https://chat.example/c/announcements"
    )
    posted = internal.post(make_composed("internal", TEXT), make_entry(), "key-77")
    assert posted.remote_id == "key-77"
    assert posted.url == "https://chat.example/c/announcements"
    assert webhook_server.messages == [fixture_json("internal", "request.json")]
    assert webhook_server.requests[0].path == WEBHOOK_PATH  # used exactly as issued
    assert webhook_server.violations == []


def test_find_cannot_know(webhook_server):
    assert platform(webhook_server).find(make_entry(), "k") is None


def test_errors_never_show_the_webhook_url(webhook_server):
    webhook_server.fault(status=404, body=b"channel_not_found")
    with pytest.raises(Permanent) as caught:
        platform(webhook_server).post(make_composed("internal", TEXT), make_entry(), "k")
    assert str(caught.value) == "internal: POST ***: HTTP 404: channel_not_found"
    assert "hookSECRET" not in str(caught.value)


def test_429_retry_after(webhook_server, fake_time):
    webhook_server.fault(status=429, headers={"Retry-After": "3"}, body=b"rate_limited")
    internal = platform(webhook_server)
    internal.api.clock = fake_time
    with pytest.raises(RateLimited):
        internal.post(make_composed("internal", TEXT), make_entry(), "k")
    webhook_server.fault(status=429, headers={"Retry-After": "3"}, body=b"rate_limited")
    call_with_retry(
        lambda: internal.post(make_composed("internal", TEXT), make_entry(), "k"),
        policy=Policy(),
        clock=fake_time,
        sleep=fake_time.sleep,
    )
    assert fake_time.sleeps == [3]
    assert len(webhook_server.messages) == 1
