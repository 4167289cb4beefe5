"""Open conversations (the inbox) and dialogue metrics, from the stored replies.

A conversation is one direct reply to our copy and everything below it. It is open when
its newest message is from someone outside the organization (our accounts and everyone in
the people directory are "us"): that person is waiting for an answer. Metrics count
dialogue, not fans: replies received, conversations, the share we answered, the median
time to our first answer, and open conversations older than two days.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from conversations.model import Response
from core.dialogue import aggregate, moment


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


def summary(thread: Thread, ours: set[str]) -> dict:
    """What the metrics need of a thread, and nothing anyone wrote (see core/dialogue.py)."""
    return {
        "platform": thread.platform,
        "started": thread.root.published,
        "first_answer": thread.first_answer.published if thread.first_answer else "",
        "last": thread.last.published,
        "waiting": thread.last.author.handle.lower() not in ours,
        "responses": sum(1 for m in thread.messages if m.author.handle.lower() not in ours),
    }


def metrics(
    all_threads: Iterable[Thread],
    ours: set[str],
    department_of: Callable[[str], str],
    now: dt.datetime,
) -> dict[tuple[str, str], dict]:
    """(department, YYYY-MM of the conversation's start) → the dialogue numbers."""
    return aggregate(((t.entry_id, summary(t, ours)) for t in all_threads), department_of, now)
