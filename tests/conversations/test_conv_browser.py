"""Replies are other people's words: in a real browser, nothing in them runs or loads.

A reply in the committed snapshot is a file anyone may edit in a pull request, and the
platforms' HTML is not ours: the page must show such a reply as text, never run its script,
never follow its event handlers and never fetch anything from another host because of it.
"""

from __future__ import annotations

import functools
import http.server
import json
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.conftest import build_site, copy_content
from tests.test_browser import CHROMIUM, _QuietHandler, browser, visit  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.integration]

POST = "tag:alderfinch.example,2026:posts/four-day-week-pilot"
HOSTILE = [
    "<p>hello<script>window.__pwned = 'script'</script></p>",
    '<p><img src="https://tracker.example/pixel.gif" onerror="window.__pwned=\'onerror\'"></p>',
    "<p><a href=\"javascript:window.__pwned='href'\">click me</a></p>",
    "<p><svg onload=\"window.__pwned='svg'\"></svg>\u202egnp.exe \u200bzero\u200bwidth</p>",
    '<p><iframe src="https://evil.example/"></iframe><style>body{background:url(https://evil.example/x)}</style></p>',
    "<p onmouseover=\"window.__pwned='attr'\">hover <b>bold</b> " + "x" * 2000 + "</p>",
]


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    if not CHROMIUM.exists():
        pytest.fail("Debian Chromium is not installed (/usr/bin/chromium)")
    tmp = tmp_path_factory.mktemp("hostile-replies")
    content = copy_content(tmp)
    snapshot_path = content / "conversations" / "snapshot.json"
    snapshot = json.loads(snapshot_path.read_text(encoding="utf-8"))
    replies = snapshot["entries"][POST]["replies"]
    for n, html in enumerate(HOSTILE):
        replies.append(
            {
                "id": f"mastodon:66{n}",
                "platform": "mastodon",
                "parent": "",
                "author": {
                    "handle": f"mallory{n}@evil.example",
                    "name": "<img src=x onerror=\"window.__pwned='name'\">Mallory",
                    "url": "javascript:window.__pwned='author'",
                    "org": False,
                },
                "html": html,
                "url": f"https://evil.example/@mallory/{n}",
                "published": "2026-11-22T09:00:00Z",
            }
        )
    snapshot_path.write_text(json.dumps(snapshot), encoding="utf-8")
    output = tmp / "output"
    output.mkdir()
    handler = functools.partial(_QuietHandler, directory=str(output))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    result = build_site(output, content, SITEURL=base)
    assert result.ok, "\n".join(result.problems)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield base, output
    finally:
        server.shutdown()
        server.server_close()


def test_hostile_replies_show_as_text_and_nothing_runs_or_leaves(hostile_site, browser):  # noqa: F811
    base, output = hostile_site
    page_file = next(Path(output).glob("posts/four-day-week-pilot/index.html"))
    html = page_file.read_text(encoding="utf-8")
    assert "Mallory" in html, "the hostile replies are not on the page at all"
    page, problems, requests = visit(browser, base + "/posts/four-day-week-pilot/")
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    try:
        page.hover(".u-comment >> nth=-1")
        for link in page.locator(".u-comment a").all():
            href = link.get_attribute("href") or ""
            assert not href.lower().startswith("javascript:"), href
        assert page.evaluate("window.__pwned") is None
        assert dialogs == []
        foreign = [u for u in requests if urlsplit(u).hostname != "127.0.0.1"]
        assert foreign == []
        assert [p for p in problems if "Content Security Policy" not in p] == []
        comments = page.locator(".u-comment").count()
        assert comments >= len(HOSTILE)
    finally:
        page.context.close()
