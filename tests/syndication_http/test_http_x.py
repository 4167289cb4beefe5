"""X API v2 against a local server that checks the documented request shape."""

from __future__ import annotations

import pytest

from syndication.model import AlreadyPosted, Permanent, RateLimited, Transient
from syndication.platforms import create
from syndication.retry import Policy, call_with_retry, post_with_retry

from .conftest import TOKEN, X_USER_ID, fixture_json, fixture_text, make_composed, make_entry

pytestmark = pytest.mark.integration

TEXT = fixture_json("x", "request.json")["text"]


def platform(server, **extra):
    credentials = {"CHORUS_X_TOKEN": TOKEN, "CHORUS_X_USER_ID": X_USER_ID, **extra}
    return create("x", credentials, base_url=server.url)


def test_post_sends_the_documented_request(x_server):
    posted = platform(x_server).post(make_composed("x", TEXT), make_entry(), "key-1")
    assert posted.remote_id == "1445880548472328192"
    assert posted.url == "https://x.com/i/web/status/1445880548472328192"
    [request] = x_server.requests
    assert (request.method, request.path) == ("POST", "/2/tweets")
    assert request.json() == fixture_json("x", "request.json")  # emoji sent as-is
    assert x_server.violations == []


def test_duplicate_403_is_already_posted_with_the_copy(x_server):
    x = platform(x_server)
    first = x.post(make_composed("x", TEXT), make_entry(), "key-1")
    with pytest.raises(AlreadyPosted) as caught:
        x.post(make_composed("x", TEXT), make_entry(), "key-1")
    assert caught.value.posted == first  # found through the timeline's expanded URL
    assert len(x_server.posts) == 1


def test_duplicate_without_user_id_is_still_already_posted(x_server):
    x = create("x", {"CHORUS_X_TOKEN": TOKEN}, base_url=x_server.url)
    x.post(make_composed("x", TEXT), make_entry(), "key-1")
    with pytest.raises(AlreadyPosted) as caught:
        x.post(make_composed("x", TEXT), make_entry(), "key-1")
    assert caught.value.posted is None
    assert x.find(make_entry(), "key-1") is None


def test_find_matches_the_expanded_url_not_the_tco_link(x_server):
    x = platform(x_server)
    x.post(make_composed("x", "Another post https://chorus.test/posts/other/"), make_entry(), "k")
    mine = x.post(make_composed("x", TEXT), make_entry(), "key-1")
    x.post(make_composed("x", "Newer https://chorus.test/posts/newer/"), make_entry(), "k")
    assert x.find(make_entry(), "key-1") == mine
    assert x.find(make_entry(url="https://chorus.test/posts/never/"), "k") is None
    timeline = x_server.requests[-1]
    assert timeline.path == f"/2/users/{X_USER_ID}/tweets"
    assert x_server.violations == []


def test_429_honoured_with_x_rate_limit_reset(x_server, fake_time):
    x_server.fault(
        status=429,
        headers={"x-rate-limit-reset": str(int(fake_time.now) + 30)},
        body=fixture_text("x", "rate-limit-429.json").encode(),
    )
    x = create("x", {"CHORUS_X_TOKEN": TOKEN}, base_url=x_server.url)
    x.api.clock = fake_time
    posted = call_with_retry(
        lambda: x.post(make_composed("x", TEXT), make_entry(), "k"),
        policy=Policy(),
        clock=fake_time,
        sleep=fake_time.sleep,
    )
    assert fake_time.sleeps == [30]
    assert posted.remote_id
    assert len(x_server.posts) == 1


def test_5xx_retried_then_failed_with_a_clear_message(x_server, fake_time):
    x_server.fault(status=503, times=4)
    x = platform(x_server)
    with pytest.raises(Transient) as caught:
        call_with_retry(
            lambda: x.post(make_composed("x", TEXT), make_entry(), "k"),
            policy=Policy(max_attempts=4),
            clock=fake_time,
            sleep=fake_time.sleep,
            rand=lambda: 1.0,
        )
    assert str(caught.value) == (
        f"x: POST {x_server.url}/2/tweets: HTTP 503: Internal Server Error"
        " (gave up after 4 attempts)"
    )
    assert fake_time.sleeps == [1, 2, 4]
    assert len(x_server.requests) == 4
    assert TOKEN not in str(caught.value)


def test_posted_but_answer_lost_is_reconciled_not_reposted(x_server, fake_time):
    x_server.fault(status=500, path="/2/tweets", after=True)  # stored, then a 500
    x = platform(x_server)
    posted = post_with_retry(
        x,
        make_composed("x", TEXT),
        make_entry(),
        "k",
        policy=Policy(),
        clock=fake_time,
        sleep=fake_time.sleep,
    )
    assert len(x_server.posts) == 1
    assert posted.remote_id == x_server.posts[0]["id"]


def test_bad_token_is_permanent(x_server):
    x = create("x", {"CHORUS_X_TOKEN": "wrong-token"}, base_url=x_server.url)
    with pytest.raises(Permanent, match=r"HTTP 401: Unauthorized$"):
        x.post(make_composed("x", TEXT), make_entry(), "k")


def test_rate_limited_message_never_shows_the_token(x_server, fake_time):
    x_server.fault(status=429, body=f'{{"detail": "echo Bearer {TOKEN}"}}'.encode())
    x = platform(x_server)
    with pytest.raises(RateLimited) as caught:
        x.post(make_composed("x", TEXT), make_entry(), "k")
    assert TOKEN not in str(caught.value)
    assert caught.value.reset_at is None


def test_malformed_success_body_is_reconciled(x_server, fake_time):
    x_server.fault(malformed=True, status=201, path="/2/tweets", after=True)  # posted, HTML back
    posted = post_with_retry(
        platform(x_server),
        make_composed("x", TEXT),
        make_entry(),
        "k",
        policy=Policy(),
        clock=fake_time,
        sleep=fake_time.sleep,
    )
    assert len(x_server.posts) == 1
    assert posted.remote_id == x_server.posts[0]["id"]
    assert fake_time.sleeps  # it backed off before looking


def test_slow_answer_times_out_as_transient(x_server):
    import httpx

    x_server.fault(slow=True, path="/2/tweets")
    x = create(
        "x",
        {"CHORUS_X_TOKEN": TOKEN},
        base_url=x_server.url,
        client=httpx.Client(timeout=httpx.Timeout(0.3, connect=2)),
    )
    with pytest.raises(Transient, match=r"x: POST .*/2/tweets: no answer in time \(ReadTimeout\)"):
        x.post(make_composed("x", TEXT), make_entry(), "k")
