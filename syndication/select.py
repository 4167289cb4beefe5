"""Selection: the work one run should do, from the feed and the ledger's rows.

Pure functions, so every rule is a unit test:
- post: only platforms the post (or its department's default, resolved in the feed)
  names; never a pair the ledger has as seen, posted, abandoned, dismissed or retracted;
  a pending pair (a run that did not finish) and a failed pair whose retry time has come
  are posted again, looked up first when the earlier attempt may have gone through;
- edit: a posted copy whose entry's words changed since (the row's fingerprint);
- retract: every copy of an entry the feed lists as retracted;
- report: failed pairs waiting for their retry time, and abandoned ones.
Which run actually sends is decided later, by the ledger's claim; this only proposes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from core.feed_contract import Retraction
from core.platforms import NAMES
from syndication.ledger import Row, stamp
from syndication.model import SourceEntry


@dataclass(frozen=True)
class Job:
    entry: SourceEntry
    platform: str
    action: str = "post"  # "post" | "edit" | "retract"
    reconcile: bool = False  # an earlier attempt may have gone through: look first


@dataclass
class Selection:
    jobs: list[Job] = field(default_factory=list)
    waiting: list[Row] = field(default_factory=list)  # failed, retry time not come yet
    abandoned: list[Row] = field(default_factory=list)
    adopt: list[tuple[str, str, str]] = field(default_factory=list)  # (entry, platform, fp)
    warnings: list[str] = field(default_factory=list)

    def of(self, action: str) -> list[Job]:
        return [job for job in self.jobs if job.action == action]


def wanted(
    entries: Iterable[SourceEntry], only: Iterable[str] | None = None
) -> tuple[list[tuple[SourceEntry, str]], list[str]]:
    """Every (entry, platform) the feed asks for, limited to `only`; unknown names warned."""
    only_set = set(only) if only else None
    pairs, warnings = [], []
    for entry in entries:
        for platform in dict.fromkeys(entry.syndicate):  # keep order, drop repeats
            if platform not in NAMES:
                warnings.append(f"{entry.url}: unknown platform {platform!r} in syndicate, skipped")
                continue
            if only_set is None or platform in only_set:
                pairs.append((entry, platform))
    return pairs, warnings


def select(
    entries: Iterable[SourceEntry],
    rows: Mapping[tuple[str, str], Row],
    *,
    now: dt.datetime,
    only: Iterable[str] | None = None,
    retracted: Iterable[Retraction] = (),
    retry_failed: bool = False,
) -> Selection:
    """The work of one run; within a platform, retractions first, then posts (pending
    reconciliations before new ones), then edits."""
    entries = list(entries)
    pairs, warnings = wanted(entries, only)
    if gap := feed_gap(entries, rows):
        warnings.append(gap)
    selection = Selection(warnings=warnings)
    due = stamp(now)
    retract, pending, new, edits = [], [], [], []
    gone = {item.id: item for item in retracted}
    only_set = set(only) if only else None
    for (entry_id, platform), row in sorted(rows.items()):
        wanted_here = only_set is None or platform in only_set
        if entry_id in gone and row.state != "retracted" and wanted_here:
            item = gone[entry_id]
            stub = SourceEntry(entry_id, item.url, "", "", "", now, now, status="retracted")
            retract.append(Job(stub, platform, "retract"))
    for entry, platform in pairs:
        row = rows.get((entry.id, platform))
        if entry.id in gone:
            continue
        if row is None:
            new.append(Job(entry, platform))
        elif row.state == "pending":
            pending.append(Job(entry, platform, reconcile=True))
        elif row.state == "failed":
            if retry_failed or row.next_attempt_at is None or row.next_attempt_at <= due:
                pending.append(Job(entry, platform, reconcile=row.maybe_sent))
            else:
                selection.waiting.append(row)
        elif row.state == "posted":
            fingerprint = entry.fingerprint(platform)
            if row.fingerprint is None:
                selection.adopt.append((entry.id, platform, fingerprint))
            elif row.fingerprint != fingerprint:
                edits.append(Job(entry, platform, "edit"))
    selection.jobs = retract + pending + new + edits
    selection.abandoned = [
        row
        for row in rows.values()
        if row.state == "abandoned" and (only_set is None or row.platform in only_set)
    ]
    return selection


def feed_gap(entries: list[SourceEntry], rows: Mapping[tuple[str, str], Row]) -> str:
    """A warning when the ledger knows posts but none of the feed's: the feed only lists
    the newest FEED_MAX_ITEMS posts, so if more than that were published since the last
    run, the oldest of them are not in it and would never be cross-posted unnoticed."""
    known = {entry_id for entry_id, _ in rows}
    if not entries or not known or any(entry.id in known for entry in entries):
        return ""
    return (
        f"none of the {len(entries)} entries in the feed has been seen before: posts "
        "published before the oldest of them since the last run may be missing from the "
        "feed (FEED_MAX_ITEMS); raise it for one build and run again to cross-post them"
    )


def baseline(
    entries: Iterable[SourceEntry], only: Iterable[str] | None = None
) -> list[tuple[str, str, str]]:
    """--baseline: the (entry id, platform, published) triples to record as already seen."""
    pairs, _ = wanted(entries, only)
    return [(entry.id, platform, stamp(entry.published)) for entry, platform in pairs]
