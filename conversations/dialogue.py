"""Open conversations (the inbox) and dialogue metrics, from the stored replies.

A conversation is one direct reply to our copy and everything below it. It is open when
its newest message is from someone outside the organization (our accounts and everyone in
the people directory are "us"): that person is waiting for an answer. Metrics count
dialogue, not fans: replies received, conversations, the share we answered, the median
time to our first answer, and open conversations older than two days.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from conversations.model import Response

STALE = dt.timedelta(days=2)


def moment(stamp: str) -> dt.datetime:
    return dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))


@dataclass(frozen=True)
class Thread:
    entry_id: str
    platform: str
    root: Response
    messages: tuple[Response, ...]  # root first, oldest first
    first_answer: Response | None  # our first message after the root
    last: Response


def threads(
    responses: Iterable[Response], entry_of: Mapping[tuple[str, str], str], ours: set[str]
) -> list[Thread]:
    replies = [r for r in responses if r.kind == "reply" and r.published]
    by_id = {(r.platform, r.response_id): r for r in replies}

    def root_of(r: Response) -> Response:
        seen = set()
        while r.parent_id != r.copy_id and (r.platform, r.parent_id) in by_id:
            if r.response_id in seen:
                break
            seen.add(r.response_id)
            r = by_id[(r.platform, r.parent_id)]
        return r

    groups: dict[tuple[str, str], list[Response]] = defaultdict(list)
    for r in replies:
        root = root_of(r)
        groups[(root.platform, root.response_id)].append(r)
    found = []
    for key, messages in groups.items():
        messages.sort(key=lambda r: moment(r.published))
        root = by_id[key]
        if root.author.handle.lower() in ours:
            continue  # we started it: not someone speaking to us
        answer = next((m for m in messages if m.author.handle.lower() in ours), None)
        entry_id = entry_of.get((root.platform, root.copy_id), "")
        found.append(Thread(entry_id, root.platform, root, tuple(messages), answer, messages[-1]))
    return found


def inbox(
    all_threads: Iterable[Thread],
    ours: set[str],
    department_of: Callable[[str], str],
    department: str = "",
) -> list[Thread]:
    """Open conversations, oldest first (by the message that waits), for one department
    or all."""
    waiting = [
        t
        for t in all_threads
        if t.last.author.handle.lower() not in ours
        and (not department or department_of(t.entry_id) == department)
    ]
    return sorted(waiting, key=lambda t: moment(t.last.published))


def metrics(
    all_threads: Iterable[Thread],
    ours: set[str],
    department_of: Callable[[str], str],
    now: dt.datetime,
) -> dict[tuple[str, str], dict]:
    """(department, YYYY-MM of the conversation's start) → the dialogue numbers."""
    buckets: dict[tuple[str, str], list[Thread]] = defaultdict(list)
    for t in all_threads:
        buckets[(department_of(t.entry_id), t.root.published[:7])].append(t)
    out = {}
    for key, group in sorted(buckets.items()):
        answered = [t for t in group if t.first_answer is not None]
        waits = [
            (moment(t.first_answer.published) - moment(t.root.published)).total_seconds() / 3600
            for t in answered
        ]
        open_old = [
            t
            for t in group
            if t.last.author.handle.lower() not in ours and now - moment(t.last.published) > STALE
        ]
        out[key] = {
            "responses": sum(
                1 for t in group for m in t.messages if m.author.handle.lower() not in ours
            ),
            "conversations": len(group),
            "answered_share": round(len(answered) / len(group), 3),
            "median_hours_to_answer": round(statistics.median(waits), 1) if waits else None,
            "open_over_2_days": len(open_old),
        }
    return out
