"""The inbox: everything waiting for someone at the organization, oldest first.

Two kinds wait. A *conversation* (dialogue.py) waits while someone outside the
organization spoke last in a thread under one of our copies. A *mention* is what listening
heard about us (the listening snapshot, content/listening/snapshot.json) and routed to a
department: it waits until someone says it is handled, by listing its id under `done:` in
the conversations decisions file, or until it is older than `MENTION_DAYS` (by then the
moment to join in has passed, and the Listening page still shows it). One list, so the
inbox and the digest show the same thing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from conversations.dialogue import Thread
from core.dialogue import moment
from plugins.listening.clean import safe_url

MENTION_DAYS = 14
KINDS = ("conversation", "mention")


@dataclass(frozen=True)
class Waiting:
    kind: str  # "conversation" | "mention"
    department: str  # "" when routed nowhere known
    since: str  # ISO 8601: when the waiting message was published
    who: str  # a conversation's last speaker; a mention's listening source
    where: str  # the platform (conversation) or "listening" (mention)
    about: str  # the post slug a conversation is under; the terms a mention matched
    text: str  # the waiting message as (external, to be cleaned) HTML
    url: str
    key: str = ""  # a mention's id: what `done:` lists to take it out of the inbox


def of_thread(thread: Thread, department: str) -> Waiting:
    last = thread.last
    post = thread.entry_id.rstrip("/").rsplit("/", 1)[-1] or thread.entry_id
    return Waiting("conversation", department, last.published, last.author.handle,
                   thread.platform, post, last.text, last.url)  # fmt: skip


def _when(stamp: object) -> dt.datetime | None:
    try:
        when = moment(str(stamp or ""))
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)


def mentions(
    snapshot: Mapping | None,
    done: Iterable[str],
    now: dt.datetime,
    days: int = MENTION_DAYS,
) -> list[Waiting]:
    """One item per (mention, department it is routed to) that is neither done nor older
    than `days`. An undated mention counts from the snapshot's `generated` time: listening
    heard it then at the latest. Mentions routed to no department wait for nobody."""
    if not snapshot:
        return []
    done = set(done)
    heard = _when(snapshot.get("generated"))
    out = []
    for m in snapshot.get("mentions", []):
        if m["id"] in done:
            continue
        when = _when(m.get("published")) or heard
        if when is None or now - when > dt.timedelta(days=days):
            continue
        terms = ", ".join(str(t) for t in m.get("terms") or [])
        for department in dict.fromkeys(m.get("departments") or []):
            item = Waiting("mention", str(department), when.strftime("%Y-%m-%dT%H:%M:%SZ"),
                           str(m.get("source") or ""), "listening", terms,
                           str(m.get("title") or m.get("summary_html") or ""),
                           safe_url(m.get("url")) or "", m["id"])  # fmt: skip
            out.append(item)
    return out


def merge(
    threads: Iterable[Thread],
    department_of: Callable[[str], str],
    heard: Iterable[Waiting],
    department: str = "",
) -> list[Waiting]:
    """Open conversations and waiting mentions as one list, oldest first, for one
    department or all."""
    items = [of_thread(t, department_of(t.entry_id)) for t in threads]
    items += heard
    if department:
        items = [i for i in items if i.department == department]
    return sorted(items, key=lambda i: moment(i.since))
