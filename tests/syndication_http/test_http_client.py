"""syndication.http: reset headers and the status → error mapping, against a real server."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import format_datetime

import httpx
import pytest

from syndication.http import Api, PayloadTooLarge, error_detail, parse_reset
from syndication.model import Permanent, RateLimited, Transient
from tests.servers import free_port

from .conftest import LocalServer, json_reply, running

NOW = 1_800_000_000.0


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"x-rate-limit-reset": "1800000030"}, NOW + 30),  # X: epoch seconds
        ({"X-RateLimit-Reset": "2027-01-15T08:00:30.000Z"}, 1800000030.0),  # Mastodon: ISO
        ({"RateLimit-Reset": "1800000045"}, NOW + 45),  # Bluesky: epoch seconds
        ({"RateLimit-Reset": "12"}, NOW + 12),  # IETF draft: delta seconds
        ({"Retry-After": "120"}, NOW + 120),
        (
            {"Retry-After": format_datetime(datetime.fromtimestamp(NOW + 60, UTC), usegmt=True)},
            NOW + 60,
        ),
        ({"Retry-After": "10", "x-rate-limit-reset": "1800000030"}, NOW + 30),  # latest wins
        ({"Retry-After": "soon"}, None),
        ({}, None),
    ],
)
def test_parse_reset(headers, expected):
    assert parse_reset(headers, NOW) == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            b'{"error": {"message": "(#32) Page request limit reached", "code": 32}}',
            "(#32) Page request limit reached (code 32)",
        ),
        (b'{"detail": "Unauthorized", "title": "Unauthorized"}', "Unauthorized"),
        (b'{"message": "Invalid access token", "status": 401}', "Invalid access token"),
        (
            b'{"error": "RateLimitExceeded", "message": "Rate Limit Exceeded"}',
            "RateLimitExceeded Rate Limit Exceeded",
        ),
        (b"invalid_payload", "invalid_payload"),
        (b"", ""),
    ],
)
def test_error_detail(body, expected):
    assert error_detail(httpx.Response(400, content=body)) == expected


def echo_server() -> LocalServer:
    server = LocalServer("echo")
    server.route("GET", r"/thing", lambda request, match: json_reply(200, {"ok": True}))
    server.route("POST", r"/thing", lambda request, match: json_reply(201, {"ok": True}))
    return server


@pytest.fixture
def echo():
    with running(echo_server()) as server:
        yield server


@pytest.mark.integration
def test_ok(echo):
    api = Api("echo", echo.url)
    assert api.json("GET", "/thing") == {"ok": True}


@pytest.mark.integration
def test_429_with_reset_header_is_rate_limited(echo, fake_time):
    echo.fault(status=429, headers={"x-rate-limit-reset": str(int(fake_time.now) + 30)})
    with pytest.raises(RateLimited) as caught:
        Api("echo", echo.url, clock=fake_time).json("GET", "/thing")
    assert caught.value.reset_at == fake_time.now + 30
    assert str(caught.value).startswith(f"echo: GET {echo.url}/thing: HTTP 429")


@pytest.mark.integration
def test_500_is_transient_and_maybe_sent(echo):
    echo.fault(status=500)
    with pytest.raises(Transient) as caught:
        Api("echo", echo.url).json("POST", "/thing", json={})
    assert caught.value.maybe_sent is True
    assert "HTTP 500: Internal Server Error" in str(caught.value)


@pytest.mark.integration
def test_other_4xx_is_permanent(echo):
    echo.fault(status=404, body=b'{"detail": "no such thing"}')
    with pytest.raises(Permanent, match="HTTP 404: no such thing"):
        Api("echo", echo.url).json("GET", "/thing")


@pytest.mark.integration
def test_413_is_one_permanent_line_naming_host_and_cause(echo):
    """A proxy's HTML 413 as much as a PDS's JSON one: never retried, nothing was created."""
    echo.fault(status=413, body=b"<html><body><h1>413 Request Entity Too Large</h1></body></html>")
    with pytest.raises(PayloadTooLarge) as caught:
        Api("echo", echo.url).json("POST", "/thing", json={})
    message = str(caught.value)
    assert message.startswith(f"echo: POST {echo.url}/thing: HTTP 413: the request is larger")
    assert f"than {httpx.URL(echo.url).host} accepts" in message
    assert "Request Entity Too Large" in message and "\n" not in message
    assert isinstance(caught.value, Permanent) and caught.value.maybe_sent is False


@pytest.mark.integration
def test_slow_answer_is_transient_timeout(echo):
    echo.fault(slow=True)
    client = httpx.Client(timeout=httpx.Timeout(0.3, connect=2.0))
    with pytest.raises(Transient, match="no answer in time") as caught:
        Api("echo", echo.url, client=client).json("POST", "/thing", json={})
    assert caught.value.maybe_sent is True


@pytest.mark.integration
def test_malformed_body_is_transient(echo):
    echo.fault(malformed=True)
    with pytest.raises(Transient, match="body is not JSON: <html><body><h1>502 Bad Gateway"):
        Api("echo", echo.url).json("GET", "/thing")


def test_connection_refused_is_transient_and_not_sent():
    port = free_port()  # a port nobody listens on
    with pytest.raises(Transient, match="cannot connect") as caught:
        Api("echo", f"http://127.0.0.1:{port}").json("GET", "/thing")
    assert caught.value.maybe_sent is False
