"""Retries and pacing, with time injected: the tests pass a fake clock and a fake sleep and
assert the waits that were asked for, so no test ever sleeps for a rate limit.

What is retried and how:
- RateLimited with a reset time: wait exactly until then. If that is further away than
  `max_delay`, give up at once: sleeping max_delay only to be refused again wastes the run,
  and the row stays pending/failed for the next run (the message says when to try).
- RateLimited without a reset time, and Transient: exponential backoff with jitter.
- Permanent and AlreadyPosted: raised at once; retrying cannot change the answer.
When the attempts are used up the last error is raised again, same class, with the count.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from syndication.model import (
    AlreadyPosted,
    Composed,
    Permanent,
    Posted,
    RateLimited,
    SourceEntry,
    Transient,
)

T = TypeVar("T")
OnRetry = Callable[[int, Exception, float], None]  # (attempt that failed, its error, delay)


@dataclass(frozen=True)
class Policy:
    max_attempts: int = 4
    base_delay: float = 1.0
    max_delay: float = 300.0

    def backoff(self, attempt: int, rand: Callable[[], float]) -> float:
        """Delay after failed attempt n (1-based): base·2^(n-1), capped, "equal jitter"
        (half fixed, half random) so runs that failed together do not retry together."""
        ceiling = min(self.max_delay, self.base_delay * 2 ** (attempt - 1))
        return ceiling / 2 + rand() * ceiling / 2


def _again(error: Exception, note: str) -> Exception:
    """The same kind of error with a note appended, keeping what the runner reads from it."""
    if isinstance(error, RateLimited):
        again: Exception = RateLimited(f"{error} ({note})", reset_at=error.reset_at)
    else:
        again = type(error)(f"{error} ({note})")
    for attribute in ("maybe_sent",):
        if hasattr(error, attribute):
            setattr(again, attribute, getattr(error, attribute))
    return again


def call_with_retry(
    fn: Callable[[], T],
    *,
    policy: Policy,
    clock: Callable[[], float] = time.time,
    sleep: Callable[[float], None] = time.sleep,
    on_retry: OnRetry | None = None,
    rand: Callable[[], float] = random.random,
) -> T:
    """fn() until it succeeds, following the rules in the module docstring."""
    attempt = 0
    while True:
        attempt += 1
        try:
            return fn()
        except (Permanent, AlreadyPosted):
            raise
        except RateLimited as error:
            if error.reset_at is not None:
                delay = max(0.0, error.reset_at - clock())
                if delay > policy.max_delay:
                    raise _again(
                        error, f"rate limit resets in {delay:.0f} s, more than we wait"
                    ) from error
            else:
                delay = policy.backoff(attempt, rand)
            last: Exception = error
        except Transient as error:
            delay = policy.backoff(attempt, rand)
            last = error
        if attempt >= policy.max_attempts:
            raise _again(last, f"gave up after {attempt} attempts") from last
        if on_retry is not None:
            on_retry(attempt, last, delay)
        if delay > 0:
            sleep(delay)


class Pacer:
    """At least `min_interval` seconds between calls to one platform, across threads.

    The lock is held while sleeping on purpose: callers queue up and each gets its own
    slot, instead of all waking at once and bursting.
    """

    def __init__(
        self,
        min_interval: float,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.min_interval = float(min_interval)
        self.clock = clock
        self.sleep = sleep
        self._next: float | None = None
        self._lock = threading.Lock()

    def wait(self) -> float:
        """Block until this caller's slot; returns how long it waited."""
        with self._lock:
            now = self.clock()
            waited = 0.0
            if self._next is not None and now < self._next:
                waited = self._next - now
                self.sleep(waited)
                now = self._next
            self._next = now + self.min_interval
            return waited


def post_with_retry(
    platform,
    composed: Composed,
    entry: SourceEntry,
    key: str,
    *,
    policy: Policy,
    pacer: Pacer | None = None,
    clock: Callable[[], float] = time.time,
    sleep: Callable[[float], None] = time.sleep,
    on_retry: OnRetry | None = None,
    rand: Callable[[], float] = random.random,
) -> Posted:
    """platform.post() with retries that never post twice.

    A platform with no idempotency key (X, LinkedIn, Facebook, Threads) may have published
    a post whose answer we never got (read timeout, 5xx after the write). Before resending
    after such an error, ask platform.find(); if the copy is there, that is the result.
    AlreadyPosted carrying the copy is a success too.
    """
    uncertain = False

    def attempt() -> Posted:
        nonlocal uncertain
        if uncertain:
            found = platform.find(entry, key)
            if found is not None:
                return found
        if pacer is not None:
            pacer.wait()
        try:
            return platform.post(composed, entry, key)
        except Transient as error:
            uncertain = uncertain or getattr(error, "maybe_sent", True)
            raise

    try:
        return call_with_retry(
            attempt, policy=policy, clock=clock, sleep=sleep, on_retry=on_retry, rand=rand
        )
    except AlreadyPosted as error:
        if error.posted is not None:
            return error.posted
        found = platform.find(entry, key)
        if found is not None:
            return found
        raise
