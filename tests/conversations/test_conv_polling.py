"""The polling schedule: a copy is read often while new, rarely later, never when old."""

from __future__ import annotations

import datetime as dt

import pytest

from conversations.fetch import Polling

NOW = dt.datetime(2026, 12, 3, 12, 0, tzinfo=dt.UTC)


def stamp(hours_ago: float) -> str:
    return (NOW - dt.timedelta(hours=hours_ago)).strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.mark.parametrize(
    ("posted_hours_ago", "fetched_hours_ago", "due"),
    [
        (1, None, True),  # never read: always due
        (1, 0.25, False),  # new copy, read 15 minutes ago
        (1, 0.5, True),  # new copy, half an hour: due
        (72, 2, False),  # three days old: every 6 hours
        (72, 6, True),
        (20 * 24, 12, False),  # three weeks: daily
        (20 * 24, 24, True),
        (90 * 24, 24 * 30, False),  # past 60 days: no longer read
        (90 * 24, None, True),  # ... unless it was never read at all
    ],
)
def test_due(posted_hours_ago, fetched_hours_ago, due):
    fetched = None if fetched_hours_ago is None else stamp(fetched_hours_ago)
    assert Polling().due(stamp(posted_hours_ago), fetched, NOW) is due


def test_a_schedule_of_its_own():
    hourly_for_a_week = Polling(steps=((7 * 24, 1),))
    assert hourly_for_a_week.due(stamp(100), stamp(1), NOW)
    assert not hourly_for_a_week.due(stamp(8 * 24), stamp(30), NOW)
