"""Selection: which (entry, platform) pairs this run should post, reconcile or mark as seen.

Pure functions over the source entries and the ledger's states, so every rule is a unit
test: only platforms the post (or its department's default, already resolved in the feed)
names; never a pair the ledger has as 'seen' or 'posted'; 'pending' pairs are reconciled
first; 'failed' pairs only with --retry-failed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from syndication import PLATFORMS
from syndication.model import SourceEntry


@dataclass(frozen=True)
class Job:
    entry: SourceEntry
    platform: str
    reconcile: bool = False  # a 'pending' row from a run that did not finish


@dataclass
class Selection:
    jobs: list[Job] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def wanted(
    entries: Iterable[SourceEntry], only: Iterable[str] | None = None
) -> tuple[list[tuple[SourceEntry, str]], list[str]]:
    """Every (entry, platform) the feed asks for, limited to `only`; unknown names warned."""
    only_set = set(only) if only else None
    pairs, warnings = [], []
    for entry in entries:
        for platform in dict.fromkeys(entry.syndicate):  # keep order, drop repeats
            if platform not in PLATFORMS:
                warnings.append(f"{entry.url}: unknown platform {platform!r} in syndicate, skipped")
                continue
            if only_set is None or platform in only_set:
                pairs.append((entry, platform))
    return pairs, warnings


def select(
    entries: Iterable[SourceEntry],
    states: dict[tuple[str, str], str],
    *,
    only: Iterable[str] | None = None,
    retry_failed: bool = False,
) -> Selection:
    """The work of one run; pending reconciliations come first within each platform."""
    entries = list(entries)
    pairs, warnings = wanted(entries, only)
    if gap := feed_gap(entries, states):
        warnings.append(gap)
    pending, new = [], []
    for entry, platform in pairs:
        state = states.get((entry.id, platform))
        if state == "pending":
            pending.append(Job(entry, platform, reconcile=True))
        elif state is None or (state == "failed" and retry_failed):
            new.append(Job(entry, platform))
    return Selection(jobs=pending + new, warnings=warnings)


def feed_gap(entries: list[SourceEntry], states: dict[tuple[str, str], str]) -> str:
    """A warning when the ledger knows posts but none of the feed's: the feed only lists
    the newest FEED_MAX_ITEMS posts, so if more than that were published since the last
    run, the oldest of them are not in it and would never be cross-posted unnoticed."""
    known = {entry_id for entry_id, _ in states}
    if not entries or not known or any(entry.id in known for entry in entries):
        return ""
    return (
        f"none of the {len(entries)} entries in the feed has been seen before: posts "
        "published before the oldest of them since the last run may be missing from the "
        "feed (FEED_MAX_ITEMS); raise it for one build and run again to cross-post them"
    )


def baseline(
    entries: Iterable[SourceEntry], only: Iterable[str] | None = None
) -> list[tuple[str, str]]:
    """--baseline: the (entry id, platform) pairs to record as already seen."""
    pairs, _ = wanted(entries, only)
    return [(entry.id, platform) for entry, platform in pairs]
