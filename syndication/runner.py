"""The live run: reconcile, compose, record 'pending', send, record 'posted' — per platform.

Exactly-once rests on the order of three writes: 'pending' is committed before a request
leaves, 'posted' after the platform accepted it, and a 'pending' row found at the start of a
run is first looked up on the platform (find) and only then resent, with the same
idempotency key. A crash at any point therefore leaves either nothing sent, or a pending row
whose post the next run finds (or the platform deduplicates).

Platforms are independent, so each runs in its own thread with its own pacing and retries:
a slow or rate-limited platform does not hold up the others. Entries go out oldest first
within a platform. The ledger gives each thread its own SQLite connection.

CHORUS_CRASH_AT is a test hook: `after-pending:mastodon`, `after-send:bluesky:2` (the 2nd
time), `before-posted:mastodon` make this process SIGKILL itself at that point, so the
crash tests exercise the real code path. Nothing sets it outside the tests.
"""

from __future__ import annotations

import hashlib
import os
import signal
import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TypeVar

from syndication.ledger import Ledger
from syndication.model import Composed, Platform, PlatformError, Posted, SourceEntry
from syndication.retry import Pacer, Policy, call_with_retry, post_with_retry
from syndication.select import Job

T = TypeVar("T")
CRASH_ENV = "CHORUS_CRASH_AT"
CRASH_POINTS = ("after-pending", "after-send", "before-posted")

Compose = Callable[[SourceEntry, str, dict], Composed]  # (entry, platform, limits)


def idempotency_key(entry_id: str, platform: str) -> str:
    """Same entry and platform → same key, in every run and on every machine."""
    return hashlib.sha256(f"chorus\n{entry_id}\n{platform}".encode()).hexdigest()[:40]


@dataclass(frozen=True)
class Outcome:
    entry_id: str
    platform: str
    state: str  # 'posted' | 'failed'
    url: str = ""
    error: str = ""
    reconciled: bool = False  # found on the platform after an interrupted run


@dataclass
class Report:
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def failures(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.state == "failed"]

    @property
    def posted(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.state == "posted"]


class CrashHook:
    """Parses CHORUS_CRASH_AT once; `hit(point, platform)` kills the process on a match."""

    def __init__(self, spec: str | None):
        self._rules: dict[tuple[str, str], int] = {}
        self._counts: dict[tuple[str, str], int] = {}
        self._lock = threading.Lock()
        for part in (spec or "").split(","):
            if not part.strip():
                continue
            bits = part.strip().split(":")
            if len(bits) not in (2, 3) or bits[0] not in CRASH_POINTS:
                raise ValueError(f"{CRASH_ENV}: expected point:platform[:n], got {part!r}")
            self._rules[(bits[0], bits[1])] = int(bits[2]) if len(bits) == 3 else 1

    def hit(self, point: str, platform: str) -> None:
        wanted = self._rules.get((point, platform))
        if wanted is None:
            return
        with self._lock:
            count = self._counts.get((point, platform), 0) + 1
            self._counts[(point, platform)] = count
        if count == wanted:
            os.kill(os.getpid(), signal.SIGKILL)


@dataclass
class Runner:
    """One live run. Everything it talks to is passed in, so tests can hand it real
    platforms on local servers, a temporary ledger and a fake clock."""

    ledger: Ledger
    platforms: Mapping[str, Platform]
    compose: Compose
    policy: Policy = field(default_factory=Policy)
    pacers: Mapping[str, Pacer] = field(default_factory=dict)
    clock: Callable[[], float] = time.time
    sleep: Callable[[float], None] = time.sleep
    say: Callable[[str], None] = print
    redact: Callable[[str], str] = str
    crash: CrashHook = field(default_factory=lambda: CrashHook(os.environ.get(CRASH_ENV)))

    def run(self, jobs: list[Job]) -> Report:
        by_platform: dict[str, list[Job]] = {}
        for job in jobs:
            by_platform.setdefault(job.platform, []).append(job)
        report = Report()
        lock = threading.Lock()

        def work(name: str) -> list[Outcome]:
            outcomes = self._platform(name, by_platform[name])
            with lock:
                report.outcomes.extend(outcomes)
            return outcomes

        names = [n for n in by_platform if n in self.platforms]
        for name in by_platform:
            if name not in self.platforms:
                report.outcomes.extend(
                    Outcome(j.entry.id, name, "failed", error=f"{name}: not configured")
                    for j in by_platform[name]
                )
        if names:
            with ThreadPoolExecutor(max_workers=len(names), thread_name_prefix="synd") as pool:
                for future in [pool.submit(work, name) for name in names]:
                    future.result()
        report.outcomes.sort(key=lambda o: (o.platform, o.entry_id))
        return report

    def _platform(self, name: str, jobs: list[Job]) -> list[Outcome]:
        platform = self.platforms[name]
        try:
            limits = self.retry(platform.limits)
        except PlatformError as exc:
            message = self._clean(exc)
            self.say(f"{name}: cannot read its limits: {message}")
            return [self._fail(job, message) for job in jobs]
        return [self._one(platform, name, job, limits) for job in jobs]

    def _one(self, platform: Platform, name: str, job: Job, limits: dict) -> Outcome:
        entry = job.entry
        key = idempotency_key(entry.id, name)
        try:
            if job.reconcile:
                found = self.retry(lambda: platform.find(entry, key))
                if found is not None:
                    self._posted(name, entry, found)
                    self.say(f"{name}: {entry.url} was already posted: {found.url}")
                    return Outcome(entry.id, name, "posted", found.url, reconciled=True)
            composed = self.compose(entry, name, limits)
            self.ledger.mark_pending(entry.id, name)
            self.crash.hit("after-pending", name)
            posted = post_with_retry(
                platform,
                composed,
                entry,
                key,
                policy=self.policy,
                pacer=self.pacers.get(name),
                clock=self.clock,
                sleep=self.sleep,
            )
            self.crash.hit("after-send", name)
            self._posted(name, entry, posted)
        except PlatformError as exc:
            return self._fail(job, self._clean(exc))
        except Exception as exc:  # a bug in compose or a platform: record it, go on
            return self._fail(job, self._clean(exc, internal=True))
        self.say(f"{name}: posted {entry.url} → {posted.url}")
        return Outcome(entry.id, name, "posted", posted.url)

    def retry(self, fn: Callable[[], T]) -> T:
        return call_with_retry(fn, policy=self.policy, clock=self.clock, sleep=self.sleep)

    def _posted(self, name: str, entry: SourceEntry, posted: Posted) -> None:
        self.ledger.mark_posted(
            entry.id, name, posted, before_commit=lambda: self.crash.hit("before-posted", name)
        )

    def _fail(self, job: Job, message: str) -> Outcome:
        self.ledger.mark_failed(job.entry.id, job.platform, message)
        self.say(f"{job.platform}: FAILED {job.entry.url}: {message}")
        return Outcome(job.entry.id, job.platform, "failed", error=message)

    def _clean(self, exc: BaseException, internal: bool = False) -> str:
        text = str(exc) or type(exc).__name__
        if internal:
            text = f"internal error: {type(exc).__name__}: {text}"
        return self.redact(" ".join(text.split()))
