"""After a live run against the local servers, the rebuilt post links to its copies."""

from __future__ import annotations

import pytest

from core.links import export_links
from syndication.ledger import Ledger
from syndication.platforms import create
from syndication.runner import Runner
from syndication.select import select
from syndication.source import read_feed

from ..conftest import build_site
from .test_synd_runner_live import stand_in_compose

pytestmark = pytest.mark.integration
SLUG = "how-chorus-is-built"  # IT: mastodon + bluesky


def test_rebuilt_post_shows_also_on_links(tmp_path, mastodon_account, bluesky_account):
    first = build_site(tmp_path / "first")
    assert first.ok, first.problems
    entries = [
        e for e in read_feed(tmp_path / "first" / "feeds" / "all.json").entries if SLUG in e.url
    ]
    platforms = {
        "mastodon": create("mastodon", mastodon_account.credentials()),
        "bluesky": create("bluesky", bluesky_account.credentials()),
    }
    links_path = tmp_path / "syndication-links.json"
    with Ledger(tmp_path / "l.sqlite") as ledger:
        ledger.begin_run(wait=0)
        jobs = select(entries, ledger.snapshot(), now=entries[0].published).jobs
        assert {j.platform for j in jobs} == {"mastodon", "bluesky"}
        Runner(ledger, platforms, stand_in_compose, say=lambda line: None).run(jobs)
        export_links(links_path, ledger.links())
        urls = {r.platform: r.remote_url for r in ledger.rows(state="posted")}
    second = build_site(tmp_path / "second", SYNDICATION_LINKS_FILE=str(links_path))
    assert second.ok, second.problems
    page = (tmp_path / "second" / "posts" / SLUG / "index.html").read_text()
    for platform, label in (("mastodon", "Mastodon"), ("bluesky", "Bluesky")):
        anchor = (
            f'<a class="u-syndication pill pill-{platform}" rel="syndication" '
            f'href="{urls[platform]}">{label}</a>'
        )
        assert anchor in page
    assert mastodon_account.statuses()[0]["url"] == urls["mastodon"]
