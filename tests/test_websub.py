"""WebSub publish pings against a real local HTTP server standing in for the hub."""

from __future__ import annotations

import json
import socket
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import parse_qs

import pytest

from syndication.platforms.websub import failed, ping_hub
from tests.conftest import TEST_SITEURL
from tests.servers import http_server

ATOM = "{http://www.w3.org/2005/Atom}"


@contextmanager
def hub(status: int) -> Iterator[tuple[str, list[dict]]]:
    """A hub on 127.0.0.1 that records every request and answers `status`."""
    requests: list[dict] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            requests.append(
                {
                    "path": self.path,
                    "content_type": self.headers.get("Content-Type", ""),
                    "form": parse_qs(body.decode("ascii"), strict_parsing=True),
                }
            )
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):  # keep pytest output clean
            pass

    with http_server(Handler) as url:
        yield f"{url}/hub", requests


def self_links(output: Path) -> set[str]:
    """The URL each feed file says it is served at (its self link / feed_url)."""
    urls = set()
    for path in (output / "feeds").rglob("*.*"):
        if path.name.endswith(".json"):
            urls.add(json.loads(path.read_text(encoding="utf-8"))["feed_url"])
            continue
        for link in ET.parse(path).getroot().iter(f"{ATOM}link"):
            if link.get("rel") == "self":
                urls.add(link.get("href"))
    return urls


@pytest.mark.integration
def test_ping_every_feed(demo_site):
    with hub(202) as (url, requests):
        lines = ping_hub({"WEBSUB_HUB": url, "SITEURL": TEST_SITEURL}, demo_site)
    expected = self_links(demo_site)
    assert len(requests) == len(expected)
    assert {r["form"]["hub.url"][0] for r in requests} == expected
    for request in requests:
        assert request["path"] == "/hub"
        assert request["content_type"].startswith("application/x-www-form-urlencoded")
        assert request["form"]["hub.mode"] == ["publish"]
        assert len(request["form"]["hub.url"]) == 1
    assert not failed(lines)
    assert lines == [f"websub: pinged {url} for {len(expected)} of {len(expected)} feed(s)"]


@pytest.mark.integration
def test_hub_error_is_one_line_per_status(demo_site):
    with hub(500) as (url, requests):
        lines = ping_hub({"WEBSUB_HUB": url, "SITEURL": TEST_SITEURL}, demo_site)
    total = len(self_links(demo_site))
    assert len(requests) == total  # a 500 for one feed does not stop the others
    assert failed(lines)
    assert len(lines) == 2
    assert f"answered HTTP 500 for {total} feed(s)" in lines[1]
    assert all("\n" not in line and "Traceback" not in line for line in lines)


@pytest.mark.integration
def test_unreachable_hub_is_reported_once(demo_site):
    with socket.socket() as sock:  # a port that was free a moment ago: nobody listens
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    lines = ping_hub(
        {"WEBSUB_HUB": f"http://127.0.0.1:{port}/", "SITEURL": TEST_SITEURL}, demo_site
    )
    assert failed(lines)
    assert len(lines) == 2
    assert "cannot reach hub" in lines[1] and "not pinged" in lines[1]


def test_no_hub_configured(tmp_path):
    lines = ping_hub({"WEBSUB_HUB": None, "SITEURL": TEST_SITEURL}, tmp_path)
    assert len(lines) == 1 and "no WEBSUB_HUB" in lines[0]
