"""The /feeds/ page lists every feed the build wrote, and only those, with how to subscribe."""

from __future__ import annotations

from pathlib import Path

import html5lib
import pytest

from plugins.feeds.page import feed_groups
from plugins.feeds.plan import Scope
from tests.conftest import TEST_SITEURL, resolve


def test_groups_follow_the_scopes_and_drop_the_site_name():
    scopes = [
        Scope("all", None, "Chorus", "", "https://x.test/"),
        Scope("departments", "hr", "People & Culture — Chorus", "", "https://x.test/d/hr/"),
        Scope("responses", None, "Replies to Chorus", "", "https://x.test/"),
    ]
    groups = feed_groups(
        scopes, {"hr": ("People & Culture", "feeds/listening/hr.atom.xml")}, "Chorus"
    )
    assert [g.scope for g in groups] == ["all", "departments", "responses", "listening"]
    dept = groups[1].feeds[0]
    assert dept.title == "People & Culture"
    assert dept.paths == {
        "atom": "feeds/departments/hr.atom.xml",
        "rss": "feeds/departments/hr.rss.xml",
        "json": "feeds/departments/hr.json",
    }
    assert groups[3].feeds[0].paths == {"atom": "feeds/listening/hr.atom.xml"}


@pytest.mark.integration
def test_every_written_feed_is_on_the_page_and_every_link_exists(demo_site: Path):
    doc = html5lib.parse(
        (demo_site / "feeds" / "index.html").read_bytes(), namespaceHTMLElements=False
    )
    main = doc.find(".//main")
    linked = {
        resolve("feeds/index.html", a.get("href")).removeprefix(TEST_SITEURL + "/")
        for a in main.iterfind(".//a[@class='feed-link']")
    }
    written = {
        p.relative_to(demo_site).as_posix()
        for p in (demo_site / "feeds").rglob("*")
        if p.is_file() and p.suffix in (".xml", ".json")
    }
    assert linked == written
    scopes = [s.get("data-scope") for s in main.iterfind(".//section[@data-scope]")]
    assert scopes == ["all", "departments", "people", "tags", "responses", "listening"]
    assert "Copy link" in "".join(main.itertext())
    home = html5lib.parse((demo_site / "index.html").read_bytes(), namespaceHTMLElements=False)
    footer = [resolve("index.html", a.get("href")) for a in home.iterfind(".//footer//a")]
    assert f"{TEST_SITEURL}/feeds/" in footer
    assert (demo_site / "theme" / "feed.xsl").exists()  # the styled view stays
