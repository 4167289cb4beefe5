"""`conversations fetch`: for every posted copy in the ledger, read its responses and
store them. One copy's or one platform's failure is one line and never loses what the
others returned; a copy of ours that is gone (404/410) is said once and not asked again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from conversations.model import CopyGone
from conversations.store import ResponseStore
from syndication import credentials
from syndication.http import Api
from syndication.ledger import Ledger
from syndication.model import PlatformError
from syndication.registry import SPECS


def readers() -> dict[str, object]:
    """The reader module of every platform whose responses are read (the registry's
    `reader`)."""
    return {name: s.reader_module() for name, s in SPECS.items() if s.reader}


def connect() -> dict[str, Api]:
    """An Api for every platform whose reader has the credentials it needs."""
    found = {}
    for name, module in readers().items():
        creds = credentials.load(name)
        api = module.connect(creds) if creds else None
        if api is not None:
            found[name] = api
    return found


@dataclass(frozen=True)
class Polling:
    """How often a copy is read, by its age: often while it is new (that is when people
    answer), rarely after, never once it is old: the way Bridgy polls, and polite to the
    platforms' rate limits. Ages and intervals in hours."""

    steps: tuple[tuple[float, float], ...] = ((48, 0.5), (14 * 24, 6), (60 * 24, 24))
    # (younger than, read every): past the last age the copy is no longer read

    def due(self, posted: str | None, fetched: str | None, now: dt.datetime) -> bool:
        if not fetched:
            return True
        age = _hours(now, posted) if posted else 0.0
        since = _hours(now, fetched)
        for younger_than, every in self.steps:
            if age < younger_than:
                return since >= every
        return False


def _hours(now: dt.datetime, stamp: str) -> float:
    when = dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return (now - when).total_seconds() / 3600


@dataclass
class Outcome:
    copies: int = 0
    new: int = 0
    removed: int = 0
    unchanged: int = 0
    not_due: int = 0
    gone: int = 0
    errors: list[str] = field(default_factory=list)


def copy_id_of(remote_id: str | None, remote_url: str | None, reader: object = None) -> str:
    """The id we ask the platform about; a row restored from the links file has only
    its URL: the reader's copy_id_from_url reads it (Bluesky's web URL names the at://
    URI), else its last segment is the id (a Mastodon status id)."""
    if remote_id:
        return remote_id
    from_url = getattr(reader, "copy_id_from_url", None)
    if from_url is not None:
        return from_url(remote_url or "")
    return (remote_url or "").rstrip("/").rsplit("/", 1)[-1]


def run(
    ledger: Ledger,
    apis: Mapping[str, Api],
    *,
    say: Callable[[str], None] = print,
    polling: Polling | None = None,
    now: dt.datetime | None = None,
) -> Outcome:
    """`polling`: read only the copies due (the CLI's default); None reads every copy now
    (`fetch --all`, and the tests)."""
    store = ResponseStore(ledger.store)
    modules = readers()
    outcome = Outcome()
    now = now or dt.datetime.now(dt.UTC)
    for row in ledger.rows(state="posted"):
        api, reader = apis.get(row.platform), modules.get(row.platform)
        if api is None or reader is None:
            continue
        copy_id = copy_id_of(row.remote_id, row.remote_url, reader)
        known = store.copy(row.platform, copy_id) if copy_id else None
        if known is None or known.gone:
            continue
        posted = row.published or row.created_at or None
        if polling and not polling.due(posted, known.fetched_at, now):
            outcome.not_due += 1
            continue
        outcome.copies += 1
        try:
            probe = getattr(reader, "signature", None)
            sign = probe(api, copy_id) if probe else ""
            if sign and sign == known.signature:
                store.touch(row.platform, copy_id)
                outcome.unchanged += 1
                continue
            responses = reader.fetch(api, copy_id)
        except PlatformError as exc:
            message = str(exc)
            if isinstance(exc, CopyGone) or " HTTP 404" in message or " HTTP 410" in message:
                if store.mark_gone(row.platform, copy_id, row.entry_id):
                    outcome.gone += 1
                    say(f"{row.platform}: our copy of {row.entry_id} is gone ({row.remote_url})")
                continue
            store.failed(row.platform, copy_id, row.entry_id, message)
            outcome.errors.append(message)
            say(message)
            continue
        new, removed = store.replace(row.platform, copy_id, row.entry_id, responses)
        if sign:
            store.set_signature(row.platform, copy_id, sign)
        outcome.new += new
        outcome.removed += removed
    return outcome
