"""`conversations fetch`: for every posted copy in the ledger, read its responses and
store them. One copy's or one platform's failure is one line and never loses what the
others returned; a copy of ours that is gone (404/410) is said once and not asked again.
A 429 stops reading that platform for the rest of the run (every further request would
only earn another one before the reset it names); its other copies keep what they had and
are read at the next run. When the platform says until when, that time is kept in the
store and a run before it does not ask that platform at all.
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
from syndication.model import PlatformError, RateLimited
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
    limited: int = 0  # copies not read because their platform said 429 earlier in the run
    errors: list[str] = field(default_factory=list)


def _iso(when: dt.datetime) -> str:
    return when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _until(reset_at: float | None) -> str:
    if not reset_at:
        return ""
    return f" (the platform says to wait until {_iso(dt.datetime.fromtimestamp(reset_at, dt.UTC))})"


def copy_id_of(remote_id: str | None, remote_url: str | None, platform: str = "mastodon") -> str:
    """The id we ask the platform about. A row restored from the links file has only its
    URL: its last segment is the id on Mastodon, X and LinkedIn; a reader whose URLs say
    otherwise has id_from_url(url) (Bluesky's web URL names the at:// URI; "" when the URL
    does not hold the id: that copy is not read, rather than asked about a wrong id and
    marked gone)."""
    if remote_id:
        return remote_id
    spec = SPECS.get(platform)
    from_url = getattr(spec.reader_module(), "id_from_url", None) if spec and spec.reader else None
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
    limited: set[str] = set()
    for platform in sorted(apis):
        resume = store.resume_at(platform)
        if resume and resume > _iso(now):
            limited.add(platform)
            say(f"{platform}: not read this run: rate-limited until {resume}")
    for row in ledger.rows(state="posted"):
        api, reader = apis.get(row.platform), modules.get(row.platform)
        if api is None or reader is None:
            continue
        if row.platform in limited:
            outcome.limited += 1
            continue
        copy_id = copy_id_of(row.remote_id, row.remote_url, row.platform)
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
        except RateLimited as exc:
            limited.add(row.platform)
            if exc.reset_at:
                stamp = _iso(dt.datetime.fromtimestamp(exc.reset_at, dt.UTC))
                store.limit(row.platform, stamp)
            outcome.limited += 1
            message = f"{exc}; {row.platform} is not read again this run{_until(exc.reset_at)}"
            outcome.errors.append(message)
            say(message)
            continue
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
