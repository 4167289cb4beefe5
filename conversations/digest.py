"""`conversations digest`: each department's open conversations (the inbox's definition)
as one message to that department's internal channel, oldest first.

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

from conversations.dialogue import Thread
from core.dialogue import moment
from core.problems import one_line
from plugins.listening.clean import text_of
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


def _line(thread: Thread, now: dt.datetime) -> str:
    last = thread.last
    # one_line: no escape, bell or bidi-override character reaches a channel or a terminal
    excerpt = one_line(cut_at_word(text_of(last.text), EXCERPT)) or "(no text)"
    post = thread.entry_id.rstrip("/").rsplit("/", 1)[-1] or thread.entry_id
    said = (
        link(last.url, excerpt) if last.url.startswith(("https://", "http://")) else escape(excerpt)
    )
    return (
        f"• {age(now, last.published)} · {escape(one_line(last.author.handle))} on "
        f"{escape(thread.platform)}, post {escape(post)}: {said}"
    )


def message(slug: str, name: str, threads: list[Thread], now: dt.datetime) -> dict:
    """The webhook body for one department: a headline, one line per open conversation
    (oldest first) as long as the section block takes them, then how many more."""
    n = len(threads)
    plural = "" if n == 1 else "s"
    oldest = age(now, threads[0].last.published)
    headline = f"{name}: {n} open conversation{plural}, the oldest waiting for {oldest}"
    lines: list[str] = []
    used = 0
    more = f"`invoke conversations inbox --department {slug}`" if slug else "the inbox"
    for i, thread in enumerate(threads):
        line = _line(thread, now)
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
                        "someone from us has replied.",
                    }
                ],
            },
        ],
        "unfurl_links": False,
    }


def group(
    threads: Iterable[Thread], department_of: Callable[[str], str]
) -> dict[str, list[Thread]]:
    """Department slug ("" when the post's department is unknown) → its open threads, in
    the order given (the inbox's: oldest first)."""
    found: dict[str, list[Thread]] = {}
    for thread in threads:
        found.setdefault(department_of(thread.entry_id), []).append(thread)
    return found


def run(
    threads: Iterable[Thread],
    department_of: Callable[[str], str],
    departments: Mapping[str, Department],
    *,
    live: bool = False,
    only: str = "",
    say: Callable[[str], None] = print,
    environ: Mapping[str, str] | None = None,
    client: httpx.Client | None = None,
    now: dt.datetime | None = None,
) -> int:
    """Send (or, not live, print) one message per department with open conversations;
    the number of departments whose message could not be sent."""
    now = now or dt.datetime.now(dt.UTC)
    grouped = group(threads, department_of)
    order = [d for d in departments if d in grouped] + sorted(set(grouped) - set(departments))
    if only:
        order = [d for d in order if d == only]
    if not order:
        say(f"digest: no open conversations{f' for {only}' if only else ''}")
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
