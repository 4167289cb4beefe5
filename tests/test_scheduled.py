"""A post dated in the future is not on the public site until it is due, and then it is:
the publish build (WITH_FUTURE_DATES = False) leaves it out entirely — no page, no drafts/
folder, no feed item — and a build after its date publishes it."""

from __future__ import annotations

import datetime as dt

import pytest

from plugins.posts.reader import scheduled
from tests.conftest import build_site, copy_content

POST = """---
title: The winter opening hours
date: {date}
author: maria.lopez
tags: [warehouse]
summary: When the dock opens and closes from December to February, and who to call.
syndicate: [mastodon]
---
From the first of December the dock opens at seven and closes at four.
"""


def test_scheduled_only_where_future_dates_are_held_back():
    settings = {"WITH_FUTURE_DATES": False, "TIMEZONE": "Europe/Amsterdam"}
    now = dt.datetime(2026, 12, 2, 12, 0, tzinfo=dt.UTC)
    assert scheduled("2026-12-02 14:00", settings, now)  # 14:00 Amsterdam is 13:00 UTC
    assert not scheduled("2026-12-02 12:30", settings, now)  # 11:30 UTC: due
    assert not scheduled("2026-12-03 09:00", {**settings, "WITH_FUTURE_DATES": True}, now)
    assert not scheduled("not a date", settings, now)  # the date check reports that


@pytest.mark.integration
@pytest.mark.parametrize("due", [False, True])
def test_publish_build_holds_a_future_post_until_it_is_due(tmp_path, due):
    content = copy_content(tmp_path)
    when = dt.datetime.now() + dt.timedelta(days=-1 if due else 3)
    post = content / "posts" / "warehouse" / "winter-hours.md"
    post.write_text(POST.format(date=when.strftime("%Y-%m-%d %H:%M")), encoding="utf-8")
    output = tmp_path / "out"
    result = build_site(output, content, settings="publishconf.py")
    assert result.ok, result.problems
    page = output / "posts" / "winter-hours" / "index.html"
    assert page.exists() is due
    assert not (output / "drafts").exists()
    feed = (output / "feeds" / "all.json").read_text(encoding="utf-8")
    assert ("winter-hours" in feed) is due
    assert ("winter opening hours" in (output / "index.html").read_text()) is due
