"""`conversations digest`: each department's inbox (open conversations and the listening
mentions routed to it, conversations/inbox.py) as one message to that department's internal
channel, oldest first.

The channel is the internal platform's Slack-style webhook (syndication/platforms/
internal.py: `text` + mrkdwn `blocks`, escaped with its helpers). Which webhook: the
department's `channel` in departments.yaml names a CHORUS_* environment variable holding
the URL (the URL is a credential and never sits in a committed file); without one, or when
that variable is unset, CHORUS_WEBHOOK_URL. A dry run (the default) prints what would be
sent and where, and sends nothing. One department's failed send is one line; the others
are still sent.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import httpx

from conversations.inbox import MENTION_DAYS, Waiting
from core.dialogue import moment
from core.problems import one_line
from core.text import html_to_text
from plugins.people.directory import Department
from plugins.text import cut_at_word
from syndication import credentials
from syndication.compose.internal import escape, link
from syndication.http import Api
from syndication.model import PlatformError
from syndication.registry import spec

FALLBACK = "CHORUS_WEBHOOK_URL"
SECTION_LIMIT = int(spec("internal").limits["max_characters"])  # a section block's text
EXCERPT = 90  # characters of the waiting message shown per line


def age(now: dt.datetime, stamp: str) -> str:
    """How long someone has been waiting, as the inbox prints it: `3d 4h`."""
    waited = now - moment(stamp)
    return f"{waited.days}d {waited.seconds // 3600}h"


@dataclass(frozen=True)
class Channel:
    variable: str  # the environment variable the URL came from (shown, never the URL)
    url: str
    note: str = ""  # why the fallback was used


def channel(department: Department | None, environ: Mapping[str, str] | None = None) -> Channel:
    wanted = department.channel if department else ""
    if wanted:
        url = credentials.secret(wanted, environ)
        if url:
            return Channel(wanted, url)
    note = f"{wanted} is not set" if wanted else ""
    return Channel(FALLBACK, credentials.secret(FALLBACK, environ), note)


def _line(item: Waiting, now: dt.datetime) -> str:
    # one_line: no escape, bell or bidi-override character reaches a channel or a terminal
    excerpt = one_line(cut_at_word(html_to_text(item.text), EXCERPT)) or "(no text)"
    linked = item.url.startswith(("https://", "http://"))
    said = link(item.url, excerpt) if linked else escape(excerpt)
    who = escape(one_line(item.who))
    if item.kind == "mention":
        return f"• {age(now, item.since)} · heard on {who} ({escape(one_line(item.about))}): {said}"
    return (
        f"• {age(now, item.since)} · {who} on {escape(item.where)}, "
        f"post {escape(one_line(item.about))}: {said}"
    )


def _count(items: list[Waiting]) -> str:
    """`2 open conversations and 1 mention`, leaving out a kind with none."""
    talks = sum(1 for i in items if i.kind == "conversation")
    heard = len(items) - talks
    parts = [f"{talks} open conversation{'' if talks == 1 else 's'}"] if talks else []
    parts += [f"{heard} mention{'' if heard == 1 else 's'}"] if heard else []
    return " and ".join(parts)


def message(slug: str, name: str, items: list[Waiting], now: dt.datetime) -> dict:
    """The webhook body for one department: a headline, one line per item waiting
    (oldest first) as long as the section block takes them, then how many more."""
    n = len(items)
    oldest = age(now, items[0].since)
    headline = f"{name}: {_count(items)}, the oldest waiting for {oldest}"
    lines: list[str] = []
    used = 0
    more = f"`invoke conversations inbox --department {slug}`" if slug else "the inbox"
    for i, item in enumerate(items):
        line = _line(item, now)
        rest = f"\n…and {n - i} more: {more}"
        if used + len(line) + 1 + len(rest) > SECTION_LIMIT:
            lines.append(rest.strip())
            break
        lines.append(line)
        used += len(line) + 1
    return {
        "text": escape(headline),
        "blocks": [
            {"type": "section", "text": {"type": "mrkdwn", "text": f"*{escape(headline)}*"}},
            {"type": "section", "text": {"type": "mrkdwn", "text": "\n".join(lines)}},
            {
                "type": "context",
                "elements": [
                    {
                        "type": "mrkdwn",
                        "text": "Answer where the conversation is; it leaves this list once "
                        "someone from us has replied. A mention leaves it when listed "
                        "under `done:` in the decisions file, or after "
                        f"{MENTION_DAYS} days.",
                    }
                ],
            },
        ],
        "unfurl_links": False,
    }


def group(items: Iterable[Waiting]) -> dict[str, list[Waiting]]:
    """Department slug ("" when unknown) → what waits for it, in the order given (the
    inbox's: oldest first)."""
    found: dict[str, list[Waiting]] = {}
    for item in items:
        found.setdefault(item.department, []).append(item)
    return found


def run(
    items: Iterable[Waiting],
    departments: Mapping[str, Department],
    *,
    live: bool = False,
    only: str = "",
    say: Callable[[str], None] = print,
    environ: Mapping[str, str] | None = None,
    client: httpx.Client | None = None,
    now: dt.datetime | None = None,
) -> int:
    """Send (or, not live, print) one message per department with something waiting;
    the number of departments whose message could not be sent."""
    now = now or dt.datetime.now(dt.UTC)
    grouped = group(items)
    order = [d for d in departments if d in grouped] + sorted(set(grouped) - set(departments))
    if only:
        order = [d for d in order if d == only]
    if not order:
        say(f"digest: nothing waiting{f' for {only}' if only else ''}")
    failed = 0
    for slug in order:
        department = departments.get(slug)
        name = department.name if department else (slug or "No department")
        body = message(slug, name, grouped[slug], now)
        target = channel(department, environ)
        where = target.variable + (f" ({target.note})" if target.note else "")
        if not live:
            say(f"digest: would send to {slug or '(no department)'} via {where}:")
            say("\n".join(b["text"]["text"] for b in body["blocks"] if b["type"] == "section"))
            continue
        if not target.url:
            wanted = department.channel if department and department.channel else ""
            say(f"digest: {slug or '(no department)'}: no webhook: set "
                f"{f'{wanted} or ' if wanted else ''}{FALLBACK}")  # fmt: skip
            failed += 1
            continue
        api = Api("internal", target.url, client=client)
        try:
            api.request("POST", "", json=body, ok=(200, 201, 202, 204))
        except PlatformError as exc:
            say(f"digest: {slug or '(no department)'}: {exc}")
            failed += 1
            continue
        finally:
            api.close()
        say(f"digest: sent {len(grouped[slug])} open to {slug or '(no department)'} via {where}")
    return failed
