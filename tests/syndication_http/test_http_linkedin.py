"""LinkedIn Posts API against a local server that checks headers, body and escaping."""

from __future__ import annotations

import re

import pytest

from syndication.model import Permanent, RateLimited, Transient
from syndication.platforms import create
from syndication.retry import Policy, call_with_retry, post_with_retry

from .conftest import LINKEDIN_AUTHOR, TOKEN, fixture_json, fixture_text, make_composed, make_entry

pytestmark = pytest.mark.integration

EXPECTED = fixture_json("linkedin", "request.json")


def platform(server, **extra):
    credentials = {
        "CHORUS_LINKEDIN_TOKEN": TOKEN,
        "CHORUS_LINKEDIN_AUTHOR": LINKEDIN_AUTHOR,
        **extra,
    }
    return create("linkedin", credentials, base_url=server.url)


def test_post_sends_the_documented_request(linkedin_server):
    posted = platform(linkedin_server).post(
        make_composed("linkedin", EXPECTED["commentary"]), make_entry(), "k"
    )
    assert posted.remote_id == "urn:li:share:7000000000000000000"
    assert posted.url == "https://www.linkedin.com/feed/update/urn:li:share:7000000000000000000/"
    [request] = linkedin_server.requests
    assert (request.method, request.path) == ("POST", "/rest/posts")
    assert request.json() == EXPECTED
    assert re.fullmatch(r"\d{6}", request.headers["linkedin-version"])
    assert request.headers["x-restli-protocol-version"] == "2.0.0"
    assert linkedin_server.violations == []


def test_composed_post_with_hashtags_is_accepted(linkedin_server):
    """What syndication.compose writes (escapes + HashtagTemplates) is what the server takes."""
    from syndication.compose import compose

    entry = make_entry(tags=("listening", "loading dock", "h&s"), title="Dock (north) *update*")
    composed = compose(entry, "linkedin")
    assert "{hashtag|\\#|LoadingDock}" in composed.text and "\\(north\\)" in composed.text
    platform(linkedin_server).post(composed, entry, "k")
    [request] = linkedin_server.requests
    assert request.json()["commentary"] == composed.text
    assert linkedin_server.violations == []


def test_version_is_a_setting(linkedin_server):
    li = platform(linkedin_server, CHORUS_LINKEDIN_VERSION="202601")
    li.post(make_composed("linkedin", EXPECTED["commentary"]), make_entry(), "k")
    assert linkedin_server.requests[0].headers["linkedin-version"] == "202601"


def test_unescaped_commentary_is_refused_like_linkedin_would_cut_it(linkedin_server):
    with pytest.raises(Permanent, match=r"unescaped little-text characters \['\(', '\)'\]"):
        platform(linkedin_server).post(
            make_composed("linkedin", "Contractors (and us) https://chorus.test/x/"),
            make_entry(),
            "k",
        )


def test_find_uses_the_author_finder(linkedin_server):
    li = platform(linkedin_server)
    mine = li.post(make_composed("linkedin", EXPECTED["commentary"]), make_entry(), "k")
    assert li.find(make_entry(), "k") == mine
    assert li.find(make_entry(url="https://chorus.test/posts/other/"), "k") is None
    assert linkedin_server.requests[-1].method == "GET"
    assert linkedin_server.violations == []


def test_429_with_retry_after(linkedin_server, fake_time):
    linkedin_server.fault(status=429, headers={"Retry-After": "45"}, path="/rest/posts")
    li = platform(linkedin_server)
    li.api.clock = fake_time
    call_with_retry(
        lambda: li.post(make_composed("linkedin", EXPECTED["commentary"]), make_entry(), "k"),
        policy=Policy(),
        clock=fake_time,
        sleep=fake_time.sleep,
    )
    assert fake_time.sleeps == [45]
    assert len(linkedin_server.posts) == 1


def test_429_without_reset_backs_off(linkedin_server, fake_time):
    linkedin_server.fault(status=429)
    li = platform(linkedin_server)
    with pytest.raises(RateLimited):
        li.post(make_composed("linkedin", EXPECTED["commentary"]), make_entry(), "k")


def test_lost_answer_is_reconciled(linkedin_server, fake_time):
    linkedin_server.fault(status=504, after=True, path="/rest/posts")
    posted = post_with_retry(
        platform(linkedin_server),
        make_composed("linkedin", EXPECTED["commentary"]),
        make_entry(),
        "k",
        policy=Policy(),
        clock=fake_time,
        sleep=fake_time.sleep,
    )
    assert len(linkedin_server.posts) == 1
    assert posted.remote_id == linkedin_server.posts[0]["id"]


def test_server_error_message_is_kept(linkedin_server):
    linkedin_server.fault(status=422, body=fixture_text("linkedin", "error-422.json").encode())
    with pytest.raises(Permanent, match="HTTP 422: ERROR :: /commentary :: is too long"):
        platform(linkedin_server).post(
            make_composed("linkedin", EXPECTED["commentary"]), make_entry(), "k"
        )


def test_201_without_urn_is_transient(linkedin_server):
    linkedin_server.fault(status=201, body=b"", after=True)
    with pytest.raises(Transient, match="without an x-restli-id"):
        platform(linkedin_server).post(
            make_composed("linkedin", EXPECTED["commentary"]), make_entry(), "k"
        )
