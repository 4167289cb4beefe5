"""One listening run: config → fetch → parse → dedupe → match → snapshot (+ state).

The run never stops for a bad source; it stops (and leaves the snapshot as it was) only
when listening.yaml itself is wrong, because a snapshot made from half a config would
silently drop sources. Conditional-GET validators live in a separate state file (not
committed: they describe this machine's cache, not the site) and are sent only for sources
whose entries the previous snapshot still holds — otherwise a 304 would leave us nothing
to show.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from conversations.listening.dedupe import dedupe
from conversations.listening.fetch import (
    DEFAULT_LIMITS,
    FetchResult,
    Limits,
    Validators,
    fetch_all,
    make_client,
)
from conversations.listening.match import find_mentions
from conversations.listening.platform_read import Heard, read_all
from conversations.listening.sources import ListeningConfig, Source, load_config
from plugins.listening.parse import Entry, parse_feed
from plugins.listening.snapshot import (
    VERSION,
    newest_first,
    previous_entries,
    previous_source,
    read_snapshot,
    write_json,
    write_snapshot,
)
from plugins.problems import ContentError

LATEST_PER_SOURCE = 5
STATE_VERSION = 1


@dataclass
class RunResult:
    snapshot: dict | None = None
    errors: list[ContentError] = field(default_factory=list)  # the config is wrong: no snapshot
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def read_state(path: Path) -> dict[str, dict]:
    """Validators per source name; an unreadable state file only costs full downloads."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    sources = data.get("sources") if isinstance(data, dict) else None
    return sources if isinstance(sources, dict) else {}


def validators_to_send(
    sources: list[Source], state: dict[str, dict], previous: dict | None
) -> dict[str, Validators]:
    out = {}
    for source in sources:
        saved = state.get(source.name) or {}
        record = previous_source(previous, source.name)
        if saved.get("url") != source.url or not record:
            continue
        if record.get("url") != source.url or record.get("status") == "error":
            continue
        out[source.name] = Validators(saved.get("etag"), saved.get("last_modified"))
    return out


def listen(
    config_path: Path,
    snapshot_path: Path,
    state_path: Path,
    limits: Limits = DEFAULT_LIMITS,
    departments: set[str] | None = None,
    client: httpx.Client | None = None,
    now: dt.datetime | None = None,
    latest: int = LATEST_PER_SOURCE,
) -> RunResult:
    config = load_config(config_path, departments)
    if config.errors:
        return RunResult(errors=config.errors)
    result = RunResult()
    try:
        previous = read_snapshot(snapshot_path)
    except ContentError as exc:
        result.warnings.append(f"{exc.format()} (ignored: every source is fetched in full)")
        previous = None
    state = read_state(state_path)
    sent = validators_to_send(config.sources, state, previous)
    fetched = fetch_all(config.sources, config.base_dir, sent, limits, client)
    heard: list[Heard] = []
    if config.platforms:
        own = client or make_client(limits)
        try:
            heard = read_all(config.platforms, config.terms, own, limits.timeout)
        finally:
            if client is None:
                own.close()
    now = now or dt.datetime.now(dt.UTC)
    result.snapshot = build_snapshot(config, fetched, previous, now, latest, heard)
    write_snapshot(snapshot_path, result.snapshot)
    write_json(state_path, {"version": STATE_VERSION, "sources": _new_state(fetched)})
    return result


def build_snapshot(
    config: ListeningConfig,
    fetched: list[FetchResult],
    previous: dict | None,
    now: dt.datetime,
    latest: int = LATEST_PER_SOURCE,
    heard: list[Heard] = (),
) -> dict:
    """`heard`: what the platform sources (listening.yaml `platforms:`) returned; their
    entries join the feeds' before deduplication and matching, in config order."""
    records, per_source = [], {}
    for result in fetched:
        source = result.source
        status, error, entries = result.status, result.error, []
        if status == "ok":
            parsed = parse_feed(result.body or b"", source.name, result.url)
            if parsed.error:
                status, error = "error", parsed.error
            entries = dedupe(parsed.entries)
        elif status == "not-modified":
            entries = previous_entries(previous, source.name)
            count = (previous_source(previous, source.name) or {}).get("entries")
        per_source[source.name] = entries
        records.append(
            {
                "name": source.name,
                "kind": source.kind,
                "url": source.url,
                "status": status,
                "error": error,
                "entries": count if status == "not-modified" and isinstance(count, int)
                else len(entries),
            }
        )  # fmt: skip
    for platform in heard:
        source = platform.source
        per_source[source.name] = platform.entries
        records.append(
            {
                "name": source.name,
                "kind": source.kind,
                "url": source.url,  # "" when it is CHORUS_MASTODON_URL's instance
                "status": platform.status,
                "error": platform.error,
                "entries": len(platform.entries),
            }
        )
    names = [s.name for s in config.sources] + [h.source.name for h in heard]
    everything: list[Entry] = dedupe(e for name in names for e in per_source[name])
    mentions = find_mentions(newest_first(everything), config.terms)
    return {
        "version": VERSION,
        "generated": now.astimezone(dt.UTC).isoformat(timespec="seconds"),
        "sources": records,
        "mentions": [m.to_dict() for m in mentions],
        "latest": {
            name: [e.to_dict() for e in newest_first(entries)[:latest]]
            for name, entries in per_source.items()
        },
    }


def _new_state(fetched: list[FetchResult]) -> dict[str, dict]:
    state = {}
    for result in fetched:
        v = result.validators
        if result.status in ("ok", "not-modified") and (v.etag or v.last_modified):
            state[result.source.name] = {
                "url": result.source.url,
                "etag": v.etag,
                "last_modified": v.last_modified,
            }
    return state
