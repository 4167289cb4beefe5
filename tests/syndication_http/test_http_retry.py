"""call_with_retry, Pacer and post_with_retry with an injected clock: the waits that were
asked for are asserted; nothing here sleeps."""

from __future__ import annotations

import threading

import pytest

from syndication.model import AlreadyPosted, Permanent, Posted, RateLimited, Transient
from syndication.retry import Pacer, Policy, call_with_retry


def failing(*errors, result="done"):
    """fn for call_with_retry: raises the given errors in turn, then returns result."""
    calls = []

    def fn():
        calls.append(1)
        if len(calls) <= len(errors):
            raise errors[len(calls) - 1]
        return result

    fn.calls = calls
    return fn


def test_rate_limit_waits_until_reset(fake_time):
    fn = failing(RateLimited("x: HTTP 429", reset_at=fake_time.now + 30))
    result = call_with_retry(fn, policy=Policy(), clock=fake_time, sleep=fake_time.sleep)
    assert result == "done"
    assert fake_time.sleeps == [30]
    assert len(fn.calls) == 2


def test_rate_limit_beyond_max_delay_gives_up_at_once(fake_time):
    fn = failing(RateLimited("x: HTTP 429", reset_at=fake_time.now + 3600))
    with pytest.raises(RateLimited) as caught:
        call_with_retry(fn, policy=Policy(max_delay=300), clock=fake_time, sleep=fake_time.sleep)
    assert fake_time.sleeps == []
    assert "resets in 3600 s" in str(caught.value)
    assert caught.value.reset_at == fake_time.now + 3600  # the runner can still read it


def test_rate_limit_reset_in_the_past_retries_without_waiting(fake_time):
    fn = failing(RateLimited("429", reset_at=fake_time.now - 5))
    assert call_with_retry(fn, policy=Policy(), clock=fake_time, sleep=fake_time.sleep)
    assert fake_time.sleeps == []


def test_transient_backs_off_exponentially_with_jitter(fake_time):
    fn = failing(Transient("500"), Transient("500"), Transient("500"))
    call_with_retry(
        fn, policy=Policy(base_delay=2), clock=fake_time, sleep=fake_time.sleep, rand=lambda: 1.0
    )
    assert fake_time.sleeps == [2, 4, 8]


def test_jitter_keeps_at_least_half_the_delay(fake_time):
    fn = failing(Transient("500"), Transient("500"))
    call_with_retry(
        fn, policy=Policy(base_delay=2), clock=fake_time, sleep=fake_time.sleep, rand=lambda: 0.0
    )
    assert fake_time.sleeps == [1, 2]


def test_backoff_is_capped(fake_time):
    policy = Policy(max_attempts=6, base_delay=10, max_delay=25)
    fn = failing(*[Transient("500")] * 5)
    call_with_retry(fn, policy=policy, clock=fake_time, sleep=fake_time.sleep, rand=lambda: 1.0)
    assert fake_time.sleeps == [10, 20, 25, 25, 25]


def test_gives_up_after_max_attempts_with_the_count(fake_time):
    fn = failing(*[Transient("x: POST /2/tweets: HTTP 500")] * 10)
    with pytest.raises(Transient) as caught:
        call_with_retry(fn, policy=Policy(max_attempts=4), clock=fake_time, sleep=fake_time.sleep)
    assert len(fn.calls) == 4
    assert len(fake_time.sleeps) == 3
    assert str(caught.value) == "x: POST /2/tweets: HTTP 500 (gave up after 4 attempts)"


@pytest.mark.parametrize("error", [Permanent("401"), AlreadyPosted("dup")])
def test_permanent_and_already_posted_are_not_retried(fake_time, error):
    fn = failing(error)
    with pytest.raises(type(error)):
        call_with_retry(fn, policy=Policy(), clock=fake_time, sleep=fake_time.sleep)
    assert len(fn.calls) == 1
    assert fake_time.sleeps == []


def test_other_exceptions_pass_through(fake_time):
    fn = failing(ValueError("bug"))
    with pytest.raises(ValueError):
        call_with_retry(fn, policy=Policy(), clock=fake_time, sleep=fake_time.sleep)
    assert len(fn.calls) == 1


def test_on_retry_hears_each_retry(fake_time):
    heard = []
    fn = failing(Transient("a"), RateLimited("b", reset_at=fake_time.now + 8))  # 1 s spent
    call_with_retry(
        fn,
        policy=Policy(),
        clock=fake_time,
        sleep=fake_time.sleep,
        rand=lambda: 1.0,
        on_retry=lambda attempt, error, delay: heard.append((attempt, str(error), delay)),
    )
    assert heard == [(1, "a", 1.0), (2, "b", 7.0)]


def test_policy_is_frozen_with_documented_defaults():
    policy = Policy()
    assert (policy.max_attempts, policy.base_delay, policy.max_delay) == (4, 1.0, 300.0)
    with pytest.raises(AttributeError):
        policy.max_attempts = 9  # type: ignore[misc]


def test_pacer_spaces_calls(fake_time):
    pacer = Pacer(2.0, clock=fake_time, sleep=fake_time.sleep)
    assert pacer.wait() == 0
    fake_time.now += 0.5
    assert pacer.wait() == 1.5
    assert pacer.wait() == 2.0
    fake_time.now += 10
    assert pacer.wait() == 0
    assert fake_time.sleeps == [1.5, 2.0]


def test_pacer_gives_each_thread_its_own_slot(fake_time):
    lock = threading.Lock()

    def sleep(seconds):
        with lock:
            fake_time.sleep(seconds)

    pacer = Pacer(1.0, clock=fake_time, sleep=sleep)
    threads = [threading.Thread(target=pacer.wait) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(fake_time.sleeps) == [1.0] * 7  # one free slot, seven paced ones
    assert fake_time.now == 1_800_000_007.0


class Recorder:
    """A platform whose answers a test scripts (only for post_with_retry's bookkeeping;
    the platforms themselves are tested against real local servers)."""

    name = "scripted"

    def __init__(self, posts, finds):
        self.posts, self.finds, self.calls = list(posts), list(finds), []

    def post(self, composed, entry, key):
        self.calls.append("post")
        outcome = self.posts.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    def find(self, entry, key):
        self.calls.append("find")
        return self.finds.pop(0)


def uncertain(message="read timeout"):
    error = Transient(message)
    error.maybe_sent = True
    return error


def test_post_with_retry_reconciles_before_resending(fake_time):
    from syndication.retry import post_with_retry

    copy = Posted("1", "https://x.com/i/web/status/1")
    platform = Recorder(posts=[uncertain()], finds=[copy])
    result = post_with_retry(
        platform, None, None, "k", policy=Policy(), clock=fake_time, sleep=fake_time.sleep
    )
    assert result == copy
    assert platform.calls == ["post", "find"]


def test_post_with_retry_resends_when_nothing_can_have_been_sent(fake_time):
    from syndication.retry import post_with_retry

    refused = Transient("cannot connect")
    refused.maybe_sent = False
    copy = Posted("2", "u")
    platform = Recorder(posts=[refused, copy], finds=[])
    assert (
        post_with_retry(
            platform, None, None, "k", policy=Policy(), clock=fake_time, sleep=fake_time.sleep
        )
        == copy
    )
    assert platform.calls == ["post", "post"]


def test_post_with_retry_already_posted_is_success(fake_time):
    from syndication.retry import post_with_retry

    copy = Posted("3", "u")
    platform = Recorder(posts=[AlreadyPosted("dup")], finds=[copy])
    assert (
        post_with_retry(
            platform, None, None, "k", policy=Policy(), clock=fake_time, sleep=fake_time.sleep
        )
        == copy
    )
