"""Facebook Page feed against a local Graph API stand-in."""

from __future__ import annotations

import json

import pytest

from syndication.model import AlreadyPosted, Permanent, RateLimited
from syndication.platforms import create
from syndication.platforms.facebook import Facebook
from syndication.retry import Policy, call_with_retry

from .conftest import PAGE_ID, TOKEN, fixture_text, make_composed, make_entry

pytestmark = pytest.mark.integration

TEXT = "What contractors tell us — three things we learned at the loading dock. #Listening"


def platform(server, clock=None):
    credentials = {"CHORUS_FACEBOOK_PAGE_ID": PAGE_ID, "CHORUS_FACEBOOK_TOKEN": TOKEN}
    if clock is None:
        return create("facebook", credentials, base_url=server.url)
    return Facebook(credentials, base_url=server.url, clock=clock)


def test_post_sends_message_and_link_with_the_token_out_of_the_url(facebook_server):
    posted = platform(facebook_server).post(make_composed("facebook", TEXT), make_entry(), "k")
    assert posted.remote_id == f"{PAGE_ID}_122100000000000"
    assert posted.url == f"https://www.facebook.com/{PAGE_ID}/posts/122100000000000"
    [request] = facebook_server.requests
    assert (request.method, request.path) == ("POST", f"/{PAGE_ID}/feed")
    assert request.form() == {"message": [TEXT], "link": [make_entry().url]}
    assert request.raw_query == ""
    assert facebook_server.violations == []


@pytest.mark.parametrize("status", [400, 403, 429])
def test_throttling_codes_are_rate_limited_with_regain_time(facebook_server, fake_time, status):
    usage = {PAGE_ID: [{"type": "pages", "call_count": 100, "estimated_time_to_regain_access": 2}]}
    facebook_server.fault(
        status=status,
        body=fixture_text("facebook", "error-rate-limit.json").encode(),
        headers={"X-Business-Use-Case-Usage": json.dumps(usage)},
    )
    fb = platform(facebook_server, clock=fake_time)
    call_with_retry(
        lambda: fb.post(make_composed("facebook", TEXT), make_entry(), "k"),
        policy=Policy(),
        clock=fake_time,
        sleep=fake_time.sleep,
    )
    assert fake_time.sleeps == [120]
    assert len(facebook_server.posts) == 1


def test_expired_token_is_permanent_with_graph_message(facebook_server):
    facebook_server.fault(status=400, body=fixture_text("facebook", "error-token.json").encode())
    with pytest.raises(Permanent) as caught:
        platform(facebook_server).post(make_composed("facebook", TEXT), make_entry(), "k")
    assert str(caught.value) == (
        "facebook: HTTP 400: Error validating access token: Session has expired. (code 190)"
    )


def test_duplicate_status_is_already_posted(facebook_server):
    facebook_server.fault(
        status=400, body=fixture_text("facebook", "error-duplicate.json").encode()
    )
    with pytest.raises(AlreadyPosted):
        platform(facebook_server).post(make_composed("facebook", TEXT), make_entry(), "k")


def test_rate_limit_without_usage_header(facebook_server):
    facebook_server.fault(
        status=403, body=fixture_text("facebook", "error-rate-limit.json").encode()
    )
    with pytest.raises(RateLimited) as caught:
        platform(facebook_server).post(make_composed("facebook", TEXT), make_entry(), "k")
    assert caught.value.reset_at is None


def test_find_matches_the_attachment_link(facebook_server):
    fb = platform(facebook_server)
    fb.post(make_composed("facebook", "Other"), make_entry(url="https://chorus.test/o/"), "k")
    fb.post(make_composed("facebook", TEXT), make_entry(), "k")
    found = fb.find(make_entry(), "k")
    assert found.remote_id == f"{PAGE_ID}_122100000000001"
    assert found.url == f"https://www.facebook.com/{PAGE_ID}/posts/pfbid122100000000001"
    assert fb.find(make_entry(url="https://chorus.test/none/"), "k") is None
    assert facebook_server.violations == []
