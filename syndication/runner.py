"""The live run, per platform: claim, look, compose, send, record.

Exactly-once rests on the order of the writes: a (entry, platform) is claimed in the ledger
(committed, 'pending') before a request leaves, 'posted' is written after the platform
accepted it, and a claim that an earlier attempt may have gone through (a dead run's
pending row, a failure after the request left) is first looked up on the platform
(`find`) and only then sent again, with the same idempotency key. A crash at any point
therefore leaves either nothing sent, or a row whose copy the next run finds. Two runs
never send the same copy: only the one holding the claim sends.

A failure is never final by silence: it is recorded with its retry time (back-off by
attempt), retried by later runs, and after `Schedule.max_attempts` it is 'abandoned',
which every run reports until someone acts.

Platforms are independent, so each runs in its own thread with its own pacing and retries:
a slow or rate-limited platform does not hold up the others. Entries go out oldest first
within a platform. `stop` (set on Ctrl-C) ends each platform's work after the request in
flight; what was sent is recorded.

CHORUS_CRASH_AT is a test hook: `after-pending:mastodon`, `after-send:bluesky:2` (the 2nd
time), `before-posted:mastodon` make this process SIGKILL itself at that point, so the
crash tests exercise the real code path. Nothing sets it outside the tests.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import signal
import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TypeVar

from syndication.ledger import Ledger, stamp
from syndication.model import Composed, Platform, PlatformError, Posted, RateLimited, SourceEntry
from syndication.registry import SPECS
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
class Schedule:
    """When a failed post is tried again by a later run: base·2^(attempt−1), capped; after
    max_attempts it is abandoned. A rate limit's reset time is honoured when later."""

    base: float = 300.0  # seconds: the first retry waits for the next scheduled run or two
    cap: float = 12 * 3600.0
    max_attempts: int = 8

    def retry_at(self, now: dt.datetime, attempts: int, error: BaseException) -> dt.datetime:
        delay = min(self.cap, self.base * 2 ** max(attempts - 1, 0))
        moment = now + dt.timedelta(seconds=delay)
        reset = getattr(error, "reset_at", None)
        if isinstance(error, RateLimited) and reset:
            moment = max(moment, dt.datetime.fromtimestamp(reset, dt.UTC))
        return moment


class Stopped(Exception):
    """Ctrl-C: stop before the next request."""


@dataclass(frozen=True)
class Outcome:
    entry_id: str
    platform: str
    state: str  # 'posted' | 'failed' | 'abandoned' | 'edited' | 'not editable' | 'retracted' | …
    url: str = ""
    error: str = ""
    action: str = "post"


@dataclass
class Report:
    outcomes: list[Outcome] = field(default_factory=list)
    interrupted: bool = False

    def _in(self, *states: str) -> list[Outcome]:
        return [o for o in self.outcomes if o.state in states]

    @property
    def failures(self) -> list[Outcome]:
        return self._in("failed", "abandoned")

    @property
    def posted(self) -> list[Outcome]:
        return [o for o in self._in("posted") if o.action == "post"]

    @property
    def edited(self) -> list[Outcome]:
        return self._in("edited")

    @property
    def retracted(self) -> list[Outcome]:
        return self._in("retracted")


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
    platforms on local servers, a temporary ledger and a fake clock. The ledger must be in
    a run (Ledger.begin_run)."""

    ledger: Ledger
    platforms: Mapping[str, Platform]
    compose: Compose
    policy: Policy = field(default_factory=Policy)
    schedule: Schedule = field(default_factory=Schedule)
    pacers: Mapping[str, Pacer] = field(default_factory=dict)
    clock: Callable[[], float] = time.time
    sleep: Callable[[float], None] | None = None
    say: Callable[[str], None] = print
    redact: Callable[[str], str] = str
    look_first: bool = False  # look before every send (the ledger was lost and restored)
    stop: threading.Event = field(default_factory=threading.Event)
    crash: CrashHook = field(default_factory=lambda: CrashHook(os.environ.get(CRASH_ENV)))

    def run(self, jobs: list[Job]) -> Report:
        by_platform: dict[str, list[Job]] = {}
        for job in jobs:
            by_platform.setdefault(job.platform, []).append(job)
        report = Report()
        lock = threading.Lock()

        def work(name: str) -> None:
            outcomes = self._platform(name, by_platform[name])
            with lock:
                report.outcomes.extend(outcomes)

        names = [n for n in by_platform if n in self.platforms]
        for name in by_platform:
            if name not in self.platforms:
                report.outcomes.extend(
                    Outcome(j.entry.id, name, "skipped", error=f"{name}: not configured")
                    for j in by_platform[name]
                )
        if names:
            with ThreadPoolExecutor(max_workers=len(names), thread_name_prefix="synd") as pool:
                futures = [pool.submit(work, name) for name in names]
                for future in futures:
                    future.result()
        report.interrupted = self.stop.is_set()
        report.outcomes.sort(key=lambda o: (o.platform, o.entry_id, o.action))
        return report

    # --- one platform ------------------------------------------------------------------
    def _platform(self, name: str, jobs: list[Job]) -> list[Outcome]:
        platform = self.platforms[name]
        outcomes: list[Outcome] = []
        limits: dict | None = None
        for job in jobs:
            if self.stop.is_set():
                break
            try:
                if job.action == "retract":
                    outcome = self._retract(platform, name, job)
                else:
                    if limits is None:
                        limits = self._retry(platform.limits)
                    if job.action == "edit":
                        outcome = self._edit(platform, name, job, limits)
                    else:
                        outcome = self._post(platform, name, job, limits)
            except Stopped:
                break
            except PlatformError as exc:
                # the platform's limits could not be read: nothing was claimed
                outcome = Outcome(job.entry.id, name, "failed", error=self._clean(exc))
                self.say(f"{name}: cannot start: {outcome.error}")
                outcomes.append(outcome)
                break
            if outcome is not None:
                outcomes.append(outcome)
        return outcomes

    def _post(self, platform: Platform, name: str, job: Job, limits: dict) -> Outcome | None:
        entry = job.entry
        claim = self.ledger.claim(entry.id, name, published=stamp(entry.published))
        if claim is None:
            return None  # posted, not due, or another run has it
        if claim.took_over:
            self.say(f"{name}: {entry.url}: finishing the post of a run that stopped")
        key = idempotency_key(entry.id, name)
        try:
            look = claim.reconcile or self.look_first or SPECS[name].look_first
            if look:
                found = self._retry(lambda: platform.find(entry, key))
                if found is not None:
                    self._posted(name, entry, found)
                    self.say(f"{name}: {entry.url} was already posted: {found.url}")
                    return Outcome(entry.id, name, "posted", found.url)
            composed = self.compose(entry, name, limits)
            self.crash.hit("after-pending", name)
            self._check_stop()
            posted = post_with_retry(
                platform, composed, entry, key,
                policy=self.policy, pacer=self.pacers.get(name), clock=self.clock,
                sleep=self._sleep,
            )  # fmt: skip
            self.crash.hit("after-send", name)
            self._posted(name, entry, posted)
        except Stopped:
            # not the platform's fault: the next run takes it up at once, looking first
            self._failed(name, entry, claim.attempts, "interrupted (Ctrl-C)", maybe_sent=True,
                         retry_now=True)  # fmt: skip
            raise
        except PlatformError as exc:
            return self._failed(name, entry, claim.attempts, self._clean(exc), exc=exc)
        except Exception as exc:  # a bug in compose or a platform: record it, go on
            message = self._clean(exc, internal=True)
            return self._failed(name, entry, claim.attempts, message, maybe_sent=True)
        self.say(f"{name}: posted {entry.url} → {posted.url}")
        return Outcome(entry.id, name, "posted", posted.url)

    def _edit(self, platform: Platform, name: str, job: Job, limits: dict) -> Outcome | None:
        entry = job.entry
        fingerprint = entry.fingerprint(name)
        row = self.ledger.claim_edit(entry.id, name, fingerprint)
        if row is None:
            return None
        if not SPECS[name].can_edit or not row.remote_id:
            self.ledger.set_fingerprint(entry.id, name, fingerprint)  # reported once
            self.say(
                f"{name}: {entry.url} was edited, but {SPECS[name].label} copies cannot be "
                f"edited: {row.remote_url or 'the copy'} keeps the old text"
            )
            return Outcome(entry.id, name, "not editable", row.remote_url or "", action="edit")
        try:
            composed = self.compose(entry, name, limits)
            self._check_stop()
            self._retry(lambda: platform.edit(row.remote_id, composed))
        except Stopped:
            self.ledger.edit_failed(entry.id, name, "interrupted (Ctrl-C)")
            raise
        except Exception as exc:
            message = self._clean(exc, internal=not isinstance(exc, PlatformError))
            self.ledger.edit_failed(entry.id, name, message)
            self.say(f"{name}: FAILED to edit {entry.url}: {message} (tried again next run)")
            return Outcome(entry.id, name, "failed", error=message, action="edit")
        self.ledger.set_fingerprint(entry.id, name, fingerprint)
        self.say(f"{name}: edited {row.remote_url} to match {entry.url}")
        return Outcome(entry.id, name, "edited", row.remote_url or "", action="edit")

    def _retract(self, platform: Platform, name: str, job: Job) -> Outcome | None:
        entry = job.entry
        row = self.ledger.claim_retraction(entry.id, name)
        if row is None:
            return None
        spec = SPECS[name]
        try:
            remote_id = row.remote_id
            if not remote_id and spec.idempotency != "none":
                found = self._retry(lambda: platform.find(entry, idempotency_key(entry.id, name)))
                remote_id = found.remote_id if found else None
                if not remote_id:  # it never went out
                    self.ledger.mark_retracted(entry.id, name)
                    return Outcome(entry.id, name, "retracted", action="retract")
            if not spec.can_delete or not remote_id:
                self.ledger.mark_retracted(entry.id, name)
                where = row.remote_url or "the copy"
                self.say(
                    f"{name}: {entry.url} is retracted, but {spec.label} copies cannot be "
                    f"deleted through its API: delete {where} by hand"
                )
                url = row.remote_url or ""
                return Outcome(entry.id, name, "not deletable", url, action="retract")
            self._check_stop()
            self._retry(lambda: platform.delete(remote_id))
        except Stopped:
            self.ledger.retraction_failed(entry.id, name, "interrupted (Ctrl-C)")
            raise
        except Exception as exc:
            message = self._clean(exc, internal=not isinstance(exc, PlatformError))
            self.ledger.retraction_failed(entry.id, name, message)
            self.say(
                f"{name}: FAILED to delete the copy of {entry.url}: {message}"
                " (tried again next run)"
            )
            return Outcome(entry.id, name, "failed", error=message, action="retract")
        self.ledger.mark_retracted(entry.id, name)
        self.say(f"{name}: deleted {row.remote_url or remote_id} (the post was retracted)")
        return Outcome(entry.id, name, "retracted", row.remote_url or "", action="retract")

    # --- helpers -----------------------------------------------------------------------
    def _sleep(self, seconds: float) -> None:
        """Waits that Ctrl-C cuts short: a rate-limit wait must not hold the stop up."""
        if self.sleep is not None:
            self.sleep(seconds)
        elif self.stop.wait(seconds):
            raise Stopped()
        self._check_stop()

    def _check_stop(self) -> None:
        if self.stop.is_set():
            raise Stopped()

    def _retry(self, fn: Callable[[], T]) -> T:
        return call_with_retry(fn, policy=self.policy, clock=self.clock, sleep=self._sleep)

    def _posted(self, name: str, entry: SourceEntry, posted: Posted) -> None:
        self.ledger.mark_posted(
            entry.id,
            name,
            posted,
            fingerprint=entry.fingerprint(name),
            before_commit=lambda: self.crash.hit("before-posted", name),
        )

    def _failed(
        self,
        name: str,
        entry: SourceEntry,
        attempts: int,
        message: str,
        *,
        exc: BaseException | None = None,
        maybe_sent: bool | None = None,
        retry_now: bool = False,
    ) -> Outcome:
        now = dt.datetime.fromtimestamp(self.clock(), dt.UTC)
        sent = bool(getattr(exc, "maybe_sent", False)) if maybe_sent is None else maybe_sent
        abandon = attempts >= self.schedule.max_attempts and not retry_now
        retry_at = now if retry_now else self.schedule.retry_at(now, attempts, exc or Exception())
        self.ledger.mark_failed(
            entry.id, name, message, maybe_sent=sent, retry_at=retry_at, abandon=abandon
        )
        if abandon:
            self.say(f"{name}: ABANDONED {entry.url} after {attempts} attempts: {message}")
            return Outcome(entry.id, name, "abandoned", error=message)
        when = retry_at.strftime("%Y-%m-%d %H:%M UTC")
        self.say(
            f"{name}: FAILED {entry.url} (attempt {attempts} of {self.schedule.max_attempts};"
            f" tried again from {when}): {message}"
        )
        return Outcome(entry.id, name, "failed", error=message)

    def _clean(self, exc: BaseException, internal: bool = False) -> str:
        text = str(exc) or type(exc).__name__
        if internal:
            text = f"internal error: {type(exc).__name__}: {text}"
        return self.redact(" ".join(text.split()))
