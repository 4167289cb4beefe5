"""Platform listening on a real mastodon-mock: watch terms searched (/api/v2/search,
type=statuses) and hashtag timelines read (/api/v1/timelines/tag/:hashtag) become
mentions of the same shape as a feed's, deduplicated and routed by the watch terms.

What is posted: Ana (public) names the hori-hori and tags #AlderFinch, so search and the
tag timeline both find her: one mention. Ben says hori-hori unlisted, Cy's profile says
#nobot, Dee boosts Ana: none of them is a mention. Eve tags #gardening without a watch
term: in the source's latest, not a mention.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from conversations.listening.cli import main
from tests.servers import mastodon_mock, mastodon_token

pytestmark = pytest.mark.integration
FEEDS = Path(__file__).resolve().parent.parent / "fixtures" / "listening"


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[dict]:
    with mastodon_mock(tmp_path_factory.mktemp("mastodon") / "server.log") as url:
        tokens = {n: mastodon_token(url, n) for n in ("org", "ana", "ben", "cy", "dee", "eve")}

        def call(who: str, method: str, path: str, **data: str) -> dict:
            answer = httpx.request(method, f"{url}{path}", data=data,
                                   headers={"Authorization": f"Bearer {tokens[who]}"})  # fmt: skip
            answer.raise_for_status()
            return answer.json()

        call("cy", "PATCH", "/api/v1/accounts/update_credentials", note="Gardener. #nobot")
        asked = "Has anyone tried the hori-hori? <script>alert(1)</script> #AlderFinch"
        ana = call("ana", "POST", "/api/v1/statuses", status=asked)
        quiet = {"status": "My hori-hori, quietly", "visibility": "unlisted"}
        call("ben", "POST", "/api/v1/statuses", **quiet)
        call("cy", "POST", "/api/v1/statuses", status="hori-hori season #AlderFinch")
        call("dee", "POST", f"/api/v1/statuses/{ana['id']}/reblog")
        call("eve", "POST", "/api/v1/statuses", status="Spring at last #gardening")
        yield {"url": url, "tokens": tokens, "ana": ana}


def config(tmp_path: Path, url: str, **extra: str) -> Path:
    path = tmp_path / "listening.yaml"
    lines = [
        "sources:",
        f"  - {{name: Garden Trade Weekly, url: {FEEDS / 'rss2.xml'}, kind: industry}}",
        "platforms:",
        f"  - {{name: Mastodon, platform: mastodon, url: '{url}',",
        "      hashtags: [AlderFinch, gardening]}",
        *extra.values(),
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


def test_search_and_hashtags_become_routed_mentions(server, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("CHORUS_MASTODON_URL", server["url"])
    monkeypatch.setenv("CHORUS_MASTODON_TOKEN", server["tokens"]["org"])
    data = run(tmp_path, config(tmp_path, server["url"]))
    record = next(s for s in data["sources"] if s["name"] == "Mastodon")
    assert record["status"] == "ok" and record["error"] is None
    heard = [m for m in data["mentions"] if m["source"] == "Mastodon"]
    assert len(heard) == 1, heard
    mention = heard[0]
    feed_mention = next(m for m in data["mentions"] if m["source"] != "Mastodon")
    assert set(mention) == set(feed_mention)  # the same shape as a feed's mention
    assert mention["url"] == server["ana"]["url"]
    assert mention["terms"] == ["hori-hori", "Alder & Finch"]
    assert mention["departments"] == ["product", "support", "marketing"]
    assert "<script" not in mention["summary_html"]  # the server sent the text escaped
    assert mention["title"].startswith("Has anyone tried the hori-hori?")
    assert mention["published"].endswith("+00:00")
    latest = [e["summary_html"] for e in data["latest"]["Mastodon"]]
    assert any("Spring at last" in html for html in latest)
    everything = json.dumps(data)
    assert "quietly" not in everything and "hori-hori season" not in everything


def test_the_token_goes_only_to_our_own_instance(server, tmp_path, monkeypatch) -> None:
    sent: list[httpx.Request] = []
    monkeypatch.setenv("CHORUS_MASTODON_URL", "https://social.elsewhere.example")
    monkeypatch.setenv("CHORUS_MASTODON_TOKEN", server["tokens"]["org"])
    original = httpx.Client.send

    def recording(self, request, **kw):
        sent.append(request)
        return original(self, request, **kw)

    monkeypatch.setattr(httpx.Client, "send", recording)
    data = run(tmp_path, config(tmp_path, server["url"]))
    asked = [r for r in sent if r.url.path.startswith("/api/")]
    assert {r.url.path for r in asked} == {
        "/api/v2/search", "/api/v1/timelines/tag/AlderFinch", "/api/v1/timelines/tag/gardening"
    }  # fmt: skip
    assert {r.url.params["q"] for r in asked if r.url.path == "/api/v2/search"} == {
        "hori-hori", "hori hori", "Alder & Finch", "AlderFinch"
    }  # fmt: skip
    assert all("authorization" not in r.headers for r in asked)
    assert any(m["source"] == "Mastodon" for m in data["mentions"])  # the tag timeline


def test_a_platform_that_fails_is_one_line_and_the_feeds_go_on(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("CHORUS_MASTODON_URL", raising=False)
    data = run(tmp_path, config(tmp_path, "http://127.0.0.1:9"))
    record = next(s for s in data["sources"] if s["name"] == "Mastodon")
    assert record["status"] == "error" and "cannot connect" in record["error"]
    assert any(m["source"] == "Garden Trade Weekly" for m in data["mentions"])
    out = capsys.readouterr().out
    line = next(line for line in out.splitlines() if "Mastodon" in line)
    assert line.strip().startswith("error")
