"""Dialogue numbers from thread summaries: one definition for the inbox CLI and the build.

A thread summary is what a conversation needs for measuring, and nothing a reader wrote:
when it started, when we first answered, when and by whom it was last spoken in, and how
many messages came from outside. The conversations run writes them into the committed
snapshot (for every response that is not blocked, approved or not yet); the Metrics page
reads them there, so the build never opens the ledger and shows no unapproved words.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping

STALE = dt.timedelta(days=2)  # an open conversation older than this is a failure to answer
FIELDS = ("responses", "conversations", "answered_share", "median_hours_to_answer",
          "open_over_2_days")  # fmt: skip


def moment(stamp: str) -> dt.datetime:
    return dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))


def aggregate(
    summaries: Iterable[tuple[str, Mapping]],
    department_of: Callable[[str], str],
    now: dt.datetime,
) -> dict[tuple[str, str], dict]:
    """(entry id, summary) pairs → {(department, YYYY-MM the conversation started): numbers}.

    A summary: {"started", "first_answer" ("" when none), "last", "waiting" (someone outside
    spoke last), "responses" (messages from outside)}."""
    buckets: dict[tuple[str, str], list[Mapping]] = defaultdict(list)
    for entry_id, s in summaries:
        buckets[(department_of(entry_id), s["started"][:7])].append(s)
    out = {}
    for key, group in sorted(buckets.items()):
        answered = [s for s in group if s.get("first_answer")]
        waits = [
            (moment(s["first_answer"]) - moment(s["started"])).total_seconds() / 3600
            for s in answered
        ]
        out[key] = {
            "responses": sum(int(s.get("responses", 0)) for s in group),
            "conversations": len(group),
            "answered_share": round(len(answered) / len(group), 3),
            "median_hours_to_answer": round(statistics.median(waits), 1) if waits else None,
            "open_over_2_days": sum(
                1 for s in group if s.get("waiting") and now - moment(s["last"]) > STALE
            ),
        }
    return out
