"""Threads: create a container, then publish it; quota read first; against a local server."""

from __future__ import annotations

import httpx
import pytest

from syndication.model import Permanent, RateLimited
from syndication.platforms import create
from syndication.platforms.threads import Threads
from syndication.retry import Policy, post_with_retry

from .conftest import THREADS_USER_ID, TOKEN, fixture_text, make_composed, make_entry

pytestmark = pytest.mark.integration

TEXT = "Warehouse voices: what contractors tell us 🚚 #Listening"
CREDENTIALS = {"CHORUS_THREADS_USER_ID": THREADS_USER_ID, "CHORUS_THREADS_TOKEN": TOKEN}


def listings(server):
    return [r for r in server.requests if r.method == "GET" and r.path.endswith("/threads")]


def platform(server, **kwargs):
    return Threads(CREDENTIALS, base_url=server.url, **kwargs)


def test_post_creates_then_publishes(threads_server):
    threads = create("threads", CREDENTIALS, base_url=threads_server.url)
    posted = threads.post(make_composed("threads", TEXT), make_entry(), "k")
    assert posted.remote_id == "17900000000000000"
    assert posted.url == "https://www.threads.net/@alderfinch/post/C000000"
    steps = [(r.method, r.path) for r in threads_server.requests]
    assert steps == [
        ("GET", f"/{THREADS_USER_ID}/threads_publishing_limit"),
        ("POST", f"/{THREADS_USER_ID}/threads"),
        ("POST", f"/{THREADS_USER_ID}/threads_publish"),
        ("GET", "/17900000000000000"),
    ]
    assert threads_server.requests[1].form() == {
        "media_type": ["TEXT"],
        "text": [TEXT],
        "link_attachment": [make_entry().url],
    }
    assert threads_server.requests[2].form() == {"creation_id": ["18000000000000000"]}
    assert threads_server.violations == []


def test_exhausted_quota_is_rate_limited_before_anything_is_created(threads_server, fake_time):
    threads_server.used = 250
    with pytest.raises(RateLimited, match=r"quota used up \(250 of 250 posts in 24 h\)") as caught:
        platform(threads_server, clock=fake_time).post(
            make_composed("threads", TEXT), make_entry(), "k"
        )
    assert caught.value.reset_at == fake_time.now + 86400
    assert threads_server.containers == {}


def test_limits_report_the_remaining_quota(threads_server):
    threads_server.used = 12
    # only what the server reports: the fixed limits are the registry's
    assert platform(threads_server).limits() == {"quota_remaining": 238}


def test_container_failure_is_safe_to_resend(threads_server, fake_time):
    threads_server.fault(status=500, path=f"/{THREADS_USER_ID}/threads", after=True)
    posted = post_with_retry(
        platform(threads_server),
        make_composed("threads", TEXT),
        make_entry(),
        "k",
        policy=Policy(),
        clock=fake_time,
        sleep=fake_time.sleep,
    )
    assert len(threads_server.posts) == 1
    assert len(threads_server.containers) == 2  # the orphan container never went public
    assert posted.remote_id == threads_server.posts[0]["id"]
    assert not any(
        r.path.endswith("/threads") and r.method == "GET" for r in threads_server.requests
    )


def test_publish_answer_lost_is_reconciled_not_republished(threads_server, fake_time):
    threads_server.fault(slow=True, path="threads_publish", after=True)  # published, no answer
    threads = Threads(
        CREDENTIALS,
        base_url=threads_server.url,
        client=httpx.Client(timeout=httpx.Timeout(0.3, connect=2)),
    )
    posted = post_with_retry(
        threads,
        make_composed("threads", TEXT),
        make_entry(),
        "k",
        policy=Policy(),
        clock=fake_time,
        sleep=fake_time.sleep,
    )
    assert len(threads_server.posts) == 1
    assert posted.remote_id == threads_server.posts[0]["id"]
    listing = [
        r for r in threads_server.requests if r.method == "GET" and r.path.endswith("/threads")
    ]
    assert len(listing) == 1  # reconciled before resending


def test_publish_5xx_after_publishing_is_found(threads_server, fake_time):
    threads_server.fault(status=500, path="threads_publish", after=True)
    posted = post_with_retry(
        platform(threads_server),
        make_composed("threads", TEXT),
        make_entry(),
        "k",
        policy=Policy(),
        clock=fake_time,
        sleep=fake_time.sleep,
    )
    assert len(threads_server.posts) == 1
    assert posted.url.startswith("https://www.threads.net/@alderfinch/post/")


def test_too_many_links_is_permanent(threads_server):
    links = " ".join(f"https://chorus.test/{n}/" for n in range(6))
    with pytest.raises(Permanent, match="Too many links in the post"):
        platform(threads_server).post(make_composed("threads", links), make_entry(), "k")
    assert fixture_text("threads", "error-link-limit.json")
