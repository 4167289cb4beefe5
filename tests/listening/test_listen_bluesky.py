"""Platform listening on Bluesky against the real PDS (tools/pds) and the local AppView
over it (tests/appview.py), which answers app.bsky.feed.searchPosts: watch terms and a
hashtag searched there become mentions of the same shape as a feed's, deduplicated and
routed by the watch terms, straight from the AppView and through our PDS's proxy.

What is posted: Ana names the hori-hori and tags #AlderFinch, so the term search and the
hashtag search both find her: one mention. Shy's profile says #NoBackfeed, Quiet carries
the !no-unauthenticated self-label: neither is heard. Eve tags #gardening only: in the
source's latest, not a mention.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from conversations.listening.cli import main
from tests.appview import Stack, proxied_stack
from tests.conversations.test_conv_bluesky_live import Account
from tests.servers import pds_installed

pytestmark = pytest.mark.integration
FEEDS = Path(__file__).resolve().parent.parent / "fixtures" / "listening"


@pytest.fixture(scope="module")
def stack(tmp_path_factory) -> Iterator[Stack]:
    if shutil.which("node") is None or not pds_installed():
        reason = "the Bluesky PDS needs Node 20 and `make pds` (tools/pds/)"
        (pytest.fail if os.environ.get("CHORUS_CI") else pytest.skip)(reason)
    with proxied_stack(tmp_path_factory.mktemp("pds")) as stack:
        yield stack


@pytest.fixture(scope="module")
def posted(stack: Stack) -> dict:
    names = ("org", "ana", "shy", "quiet", "eve")
    org, ana, shy, quiet, eve = (Account(stack.pds, p) for p in names)
    shy.profile("Posting about tools. #NoBackfeed please")
    quiet.profile("", labels=("!no-unauthenticated",))
    asked = "Has anyone tried the hori-hori? <b>bold</b> #AlderFinch"
    question = ana.create("app.bsky.feed.post", {"text": asked})
    shy.create("app.bsky.feed.post", {"text": "hori-hori season #AlderFinch"})
    quiet.create("app.bsky.feed.post", {"text": "My hori-hori, quietly"})
    eve.create("app.bsky.feed.post", {"text": "Spring at last #gardening"})
    return {"org": org, "ana": ana, "question": question}


def config(tmp_path: Path, url: str = "") -> Path:
    path = tmp_path / "listening.yaml"
    where = f", url: '{url}'" if url else ""
    lines = [
        "sources:",
        f"  - {{name: Garden Trade Weekly, url: {FEEDS / 'rss2.xml'}, kind: industry}}",
        "platforms:",
        f"  - {{name: Bluesky, platform: bluesky{where}, hashtags: [AlderFinch, gardening]}}",
        "terms:",
        "  - {term: hori-hori, aliases: [hori hori], departments: [product, support]}",
        "  - {term: Alder & Finch, aliases: [AlderFinch], departments: [marketing, support]}",
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def run(tmp_path: Path, cfg: Path) -> dict:
    snapshot = tmp_path / "snapshot.json"
    code = main(["--config", str(cfg), "--snapshot", str(snapshot),
                 "--state", str(tmp_path / "state.json"),
                 "--departments", str(Path("content/departments.yaml").resolve())])  # fmt: skip
    assert code == 0
    return json.loads(snapshot.read_text(encoding="utf-8"))


@pytest.fixture
def no_credentials(monkeypatch) -> None:
    names = ("CHORUS_BLUESKY_APPVIEW_URL", "CHORUS_BLUESKY_HANDLE", "CHORUS_BLUESKY_PDS",
             "CHORUS_BLUESKY_APP_PASSWORD", "CHORUS_SECRETS_FILE")  # fmt: skip
    for name in names:
        monkeypatch.delenv(name, raising=False)


def heard_once(data: dict, posted: dict) -> dict:
    record = next(s for s in data["sources"] if s["name"] == "Bluesky")
    assert record["status"] == "ok" and record["error"] is None, record
    heard = [m for m in data["mentions"] if m["source"] == "Bluesky"]
    assert len(heard) == 1, heard
    mention = heard[0]
    rkey = posted["question"]["uri"].rsplit("/", 1)[-1]
    assert mention["url"] == f"https://bsky.app/profile/{posted['ana'].handle}/post/{rkey}"
    assert mention["id"] == posted["question"]["uri"]
    return mention


def test_search_and_hashtags_become_routed_mentions(stack, posted, tmp_path, no_credentials):
    before = dict(stack.view.requests)
    data = run(tmp_path, config(tmp_path, stack.appview))
    mention = heard_once(data, posted)
    feed_mention = next(m for m in data["mentions"] if m["source"] != "Bluesky")
    assert set(mention) == set(feed_mention)  # the same shape as a feed's mention
    assert mention["terms"] == ["hori-hori", "Alder & Finch"]
    assert mention["departments"] == ["product", "support", "marketing"]
    assert "<b>" not in mention["summary_html"] and "&lt;b&gt;" in mention["summary_html"]
    assert mention["published"].endswith("+00:00")
    latest = [e["summary_html"] for e in data["latest"]["Bluesky"]]
    assert any("Spring at last" in html for html in latest)
    everything = json.dumps(data)
    assert "quietly" not in everything and "hori-hori season" not in everything
    # two spellings of two terms, two hashtags: one searchPosts each, one page each; the
    # authors' profiles in one getProfiles
    asked = {k: v - before.get(k, 0) for k, v in stack.view.requests.items()}
    assert {k: v for k, v in asked.items() if v} == {
        "app.bsky.feed.searchPosts": 6, "app.bsky.actor.getProfiles": 1
    }  # fmt: skip


def test_through_our_pds_with_its_session(stack, posted, tmp_path, no_credentials, monkeypatch):
    for name, value in posted["org"].credentials().items():
        monkeypatch.setenv(name, value)
    heard_once(run(tmp_path, config(tmp_path)), posted)


def test_an_appview_that_is_down_is_one_line_and_the_feeds_go_on(tmp_path, no_credentials):
    data = run(tmp_path, config(tmp_path, "http://127.0.0.1:9"))
    record = next(s for s in data["sources"] if s["name"] == "Bluesky")
    assert record["status"] == "error" and "cannot connect" in record["error"]
    assert any(m["source"] == "Garden Trade Weekly" for m in data["mentions"])
