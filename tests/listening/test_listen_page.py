"""The build side: the Listening page, the digests and the links to them, on real builds."""

from __future__ import annotations

import json
from pathlib import Path

import feedparser
import html5lib
import pytest

from conversations.listening.fetch import Limits
from conversations.listening.runner import listen
from tests.conftest import ROOT, TEST_SITEURL, build_site, hrefs, resolve

pytestmark = pytest.mark.integration

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "listening"
DEMO_SNAPSHOT = ROOT / "content" / "listening" / "snapshot.json"
NS = {"h": "http://www.w3.org/1999/xhtml"}
SAFE_SCHEMES = ("https://", "http://", "mailto:", "#")


def page(output: Path, path: str = "listening/index.html"):
    return html5lib.parse((output / path).read_bytes(), namespaceHTMLElements=True)


def test_demo_site_shows_listening(demo_site):
    snapshot = json.loads(DEMO_SNAPSHOT.read_text(encoding="utf-8"))
    doc = page(demo_site)
    nav = [
        resolve("listening/index.html", a.get("href")) for a in doc.iterfind(".//h:nav//h:a", NS)
    ]
    assert f"{TEST_SITEURL}/listening/" in nav
    # one list, each mention once, labelled with the departments it was routed to
    entries = doc.findall(".//h:ul[@id='listen-mention-list']/h:li", NS)
    shown = [
        "".join(e.find(".//h:p[@class='listen-entry-title']", NS).itertext()).strip()
        for e in entries
    ]
    assert shown == [m["title"] for m in snapshot["mentions"]]
    for entry, mention in zip(entries, snapshot["mentions"], strict=True):
        labels = [
            c.get("data-department") for c in entry.iterfind(".//h:span[@data-department]", NS)
        ]
        assert labels == mention["departments"]
    digests = {
        li.get("data-department"): "".join(li.itertext())
        for li in doc.iterfind(".//h:ul[@class='pill-list listen-digests']/h:li", NS)
    }
    for slug, text in digests.items():
        assert text.split()[-1] == str(sum(slug in m["departments"] for m in snapshot["mentions"]))
    assert sum(len(v) for v in snapshot["latest"].values()) > 0
    blocks = {b.get("data-source"): b for b in doc.iterfind(".//h:section[@data-source]", NS)}
    assert list(blocks) == [s["name"] for s in snapshot["sources"]]
    text = "".join(doc.itertext())
    assert "Snapshot taken" in text
    for anchor in doc.iterfind(".//h:li[@class='listen-entry']//h:a", NS):
        assert {"nofollow", "noopener", "external"} <= set(anchor.get("rel").split())


def test_demo_digests_are_valid_and_linked(demo_site):
    snapshot = json.loads(DEMO_SNAPSHOT.read_text(encoding="utf-8"))
    departments = [
        p.stem.removesuffix(".atom") for p in (demo_site / "feeds" / "listening").iterdir()
    ]
    assert "support" in departments and "finance" in departments  # empty ones too: no 404s
    for slug in departments:
        served = f"{TEST_SITEURL}/feeds/listening/{slug}.atom.xml"
        feed = feedparser.parse(
            (demo_site / "feeds" / "listening" / f"{slug}.atom.xml").read_bytes()
        )
        assert feed.bozo == 0, (slug, feed.get("bozo_exception"))
        assert [link.href for link in feed.feed.links if link.rel == "self"] == [served]
        expected = [m["title"] for m in snapshot["mentions"] if slug in m["departments"]]
        assert [e.title for e in feed.entries] == expected
        for entry in feed.entries:
            assert entry.link.startswith(("https://", "http://"))
        dept_page = (demo_site / "departments" / slug / "index.html").read_text(encoding="utf-8")
        assert served in hrefs(dept_page, f"departments/{slug}/index.html")
        listening = (demo_site / "listening" / "index.html").read_text(encoding="utf-8")
        assert served in hrefs(listening, "listening/index.html")


def test_script_from_a_source_never_reaches_the_page(tmp_path):
    config = tmp_path / "listening.yaml"
    terms = (FIXTURES / "listening.yaml").read_text(encoding="utf-8").split("terms:", 1)[1]
    config.write_text(
        "sources:\n"
        f"  - {{name: Hostile <b>Blog</b>, url: '{FIXTURES / 'script.xml'}', kind: community}}\n"
        f"terms:{terms}",
        encoding="utf-8",
    )
    snapshot = tmp_path / "snapshot.json"
    result = listen(config, snapshot, tmp_path / "state.json", Limits())
    assert result.ok
    # and someone edits the committed snapshot by hand: the build cleans it again
    data = json.loads(snapshot.read_text(encoding="utf-8"))
    data["mentions"][0]["summary_html"] += (
        '<script>alert("edited")</script><a href="javascript:x()">x</a>'
    )
    data["mentions"][0]["url"] = "javascript:alert('edited')"
    snapshot.write_text(json.dumps(data), encoding="utf-8")

    output = tmp_path / "out"
    built = build_site(output, LISTENING_SNAPSHOT=str(snapshot))
    assert built.ok, built.problems
    doc = page(output)
    assert list(doc.iterfind(".//h:script", NS)) == []
    for element in doc.iter():
        for name, value in element.attrib.items():
            name = name if isinstance(name, str) else name[1]
            assert not name.lower().startswith("on"), (element.tag, name)
            if name in ("href", "src", "action", "formaction"):
                value = resolve("listening/index.html", value)  # javascript: stays as it is
                assert value.startswith((*SAFE_SCHEMES, TEST_SITEURL)), value
    assert list(doc.iterfind(".//h:main//h:img", NS)) == []
    assert list(doc.iterfind(".//h:iframe", NS)) == []
    main = doc.find(".//h:main", NS)
    text = "".join(main.itertext())
    assert "Hostile <b>Blog</b>" in text  # shown as text, escaped
    assert "Alder & Finch spades" in text
    digest = feedparser.parse((output / "feeds" / "listening" / "support.atom.xml").read_bytes())
    assert digest.bozo == 0 and len(digest.entries) == 1
    raw = (output / "feeds" / "listening" / "support.atom.xml").read_text(encoding="utf-8")
    assert "javascript:" not in raw and "&lt;script" not in raw


def test_failed_sources_and_no_snapshot_are_shown(tmp_path):
    snapshot = tmp_path / "snapshot.json"
    snapshot.write_text(
        json.dumps(
            {
                "version": 1,
                "generated": "2026-11-24T12:00:00+00:00",
                "sources": [
                    {
                        "name": "Slow",
                        "kind": "news",
                        "url": "https://slow.test/",
                        "status": "error",
                        "error": "timed out after 10 s",
                        "entries": 0,
                    },
                ],
                "mentions": [],
                "latest": {"Slow": []},
            }
        ),
        encoding="utf-8",
    )
    output = tmp_path / "out"
    assert build_site(output, LISTENING_SNAPSHOT=str(snapshot)).ok
    doc = page(output)
    failed = doc.find(".//h:section[@class='section listen-failed']", NS)
    stale = doc.find(".//h:p[@class='listen-stale']", NS)  # built after 2026-11-27
    assert stale is not None and "taken 24 November 2026" in "".join(stale.itertext())
    assert "Slow (news): timed out after 10 s" in " ".join("".join(failed.itertext()).split())

    output = tmp_path / "out2"
    assert build_site(output, LISTENING_SNAPSHOT=str(tmp_path / "none.json")).ok
    assert "No listening snapshot yet" in (output / "listening" / "index.html").read_text()


def test_broken_snapshot_fails_the_build_with_its_line(tmp_path):
    snapshot = tmp_path / "snapshot.json"
    snapshot.write_text('{\n  "version": 1,\n  "sources": [,\n}\n', encoding="utf-8")
    result = build_site(tmp_path / "out", LISTENING_SNAPSHOT=str(snapshot))
    assert not result.ok
    mine = [p for p in result.problems if "snapshot.json" in p]
    assert mine == [f"{snapshot}:3: error: not valid JSON: Expecting value"]
    assert not (tmp_path / "out").exists()
