"""Audiences, drafts and confidential terms in real builds of the demo content.

The publish build (publishconf.py) must carry no draft, no internal post and no confidential
term anywhere: every file under the output is read (pages, feeds, metrics.json/csv, cards,
sitemaps if any, static files by name), not a list of places we thought of. The intranet
build (internalconf.py) carries all three. The oracles read the sources and the guidelines
YAML directly, not through the code under test.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from urllib.parse import unquote

import pytest
import yaml

from plugins.posts.frontmatter import read_post
from syndication.source import read_feed
from tests.conftest import ROOT, TEST_SITEURL, build_demo, build_site, copy_content

pytestmark = pytest.mark.integration

CONTENT = ROOT / "content"


def posts(content: Path = CONTENT) -> dict[Path, dict]:
    return {p: read_post(p).meta for p in sorted((content / "posts").rglob("*.md"))}


def internal_posts() -> list[Path]:
    return [p for p, meta in posts().items() if meta.get("audience") == "internal"]


def drafts() -> list[Path]:
    return [p for p, meta in posts().items() if meta.get("status") == "draft"]


def secrets_of(path: Path) -> list[str]:
    """Strings of a post that must not leak: slug, title, summary, tags, image path, and
    every line of prose of its body."""
    post = read_post(path)
    meta = post.meta
    found = [path.stem, str(meta["title"]), " ".join(str(meta.get("summary", "")).split())]
    found += [str(t) for t in meta.get("tags") or []]
    found += [str(meta["image"])] if meta.get("image") else []
    for line in post.body.splitlines():
        line = line.lstrip("#").strip()
        if len(line) > 25:
            found.append(line)
    return [s for s in found if s]


def confidential_terms() -> list[re.Pattern]:
    data = yaml.safe_load((CONTENT / "guidelines.yaml").read_text(encoding="utf-8"))
    patterns = []
    for section in data["sections"]:
        for rule in section.get("rules") or []:
            if rule.get("confidential"):
                flags = 0 if rule.get("case_sensitive") else re.IGNORECASE
                for term in rule.get("terms") or []:
                    words = r"\s+".join(map(re.escape, term.split()))
                    patterns.append(re.compile(rf"(?<!\w){words}(?!\w)", flags))
    return patterns


def everything(output: Path) -> dict[str, str]:
    """Every file of a build: its path, and its bytes read as text, also unescaped."""
    texts = {}
    for path in sorted(output.rglob("*")):
        if path.is_file():
            raw = path.read_bytes().decode("utf-8", errors="replace")
            texts[path.relative_to(output).as_posix()] = (
                f"{raw}\n{html.unescape(raw)}\n{unquote(raw)}"
            )
    return texts


def leaks(output: Path, needles: list[str]) -> list[tuple[str, str]]:
    return [
        (name, needle)
        for name, text in everything(output).items()
        for needle in needles
        if needle in text or needle in name
    ]


@pytest.fixture(scope="module")
def published(published_site) -> Path:
    return published_site


@pytest.fixture(scope="module")
def intranet(tmp_path_factory) -> Path:
    return build_demo(tmp_path_factory, "internalconf.py")


def test_the_demo_has_an_internal_post_and_a_draft():
    assert internal_posts() and drafts()


def test_publish_build_writes_no_draft(published):
    assert (published / "index.html").is_file() and (published / "metrics.json").is_file()
    assert not (published / "drafts").exists()
    needles = [n for p in drafts() for n in (p.stem, str(read_post(p).meta["title"]))]
    assert leaks(published, needles) == []


def test_publish_build_has_no_byte_of_an_internal_post(published):
    needles = [n for p in internal_posts() for n in secrets_of(p)]
    assert len(needles) > 8
    assert leaks(published, needles) == []
    source = read_feed(published / "feeds" / "all.json").entries  # what syndication reads
    assert source and not {p.stem for p in internal_posts()} & {
        e.id.rsplit("/")[-1] for e in source
    }


def test_publish_build_has_no_confidential_term(published):
    patterns = confidential_terms()
    assert len(patterns) >= 8
    found = [
        (name, p.pattern)
        for name, text in everything(published).items()
        for p in patterns
        if p.search(text) or p.search(name)
    ]
    assert found == []
    assert (
        "The current list is on the intranet." in (published / "guidelines/index.html").read_text()
    )


def test_intranet_build_has_internal_posts_drafts_and_the_full_guidelines(intranet):
    for path in internal_posts():
        page = (intranet / "posts" / path.stem / "index.html").read_text(encoding="utf-8")
        assert html.escape(str(read_post(path).meta["title"]), quote=False) in page
        image = read_post(path).meta.get("image")
        assert not image or (intranet / image).is_file()
    for path in drafts():
        assert (intranet / "drafts" / path.stem / "index.html").is_file()
    guidelines = html.unescape((intranet / "guidelines" / "index.html").read_text("utf-8"))
    assert all(p.search(guidelines) for p in confidential_terms())


def test_intranet_feed_sends_internal_posts_to_the_internal_channel_only(intranet):
    feed = json.loads((intranet / "feeds" / "all.json").read_text(encoding="utf-8"))
    chorus = {item["url"].rstrip("/").rsplit("/", 1)[-1]: item["_chorus"] for item in feed["items"]}
    for path in internal_posts():
        assert chorus[path.stem]["audience"] == "internal"
        assert chorus[path.stem]["syndicate"] == ["internal"]
    public = [c for slug, c in chorus.items() if slug not in {p.stem for p in internal_posts()}]
    assert public and all(c["audience"] == "public" and c["syndicate"] == [] for c in public)


def test_dev_build_shows_drafts_but_not_internal_posts(demo_site):
    for path in drafts():
        assert (demo_site / "drafts" / path.stem / "index.html").is_file()
    needles = [n for p in internal_posts() for n in secrets_of(p)]
    assert leaks(demo_site, needles) == []


def test_a_department_can_make_its_posts_internal(tmp_path):
    content = copy_content(tmp_path)
    departments = content / "departments.yaml"
    text = departments.read_text(encoding="utf-8")
    departments.write_text(
        text.replace(
            "hr:\n  name: People & Culture\n",
            "hr:\n  name: People & Culture\n  audience: internal\n",
        ),
        encoding="utf-8",
    )
    hr = [
        p for p, meta in posts(content).items() if p.parent.name == "hr" and "audience" not in meta
    ]
    assert hr
    public, intranet = tmp_path / "output", tmp_path / "output-internal"
    assert build_site(public, content, settings="publishconf.py").ok
    assert build_site(intranet, content, settings="internalconf.py").ok
    for path in hr:
        assert not (public / "posts" / path.stem).exists()
        assert (intranet / "posts" / path.stem / "index.html").is_file()
    assert leaks(public, [str(read_post(p).meta["title"]) for p in hr]) == []


def test_a_confidential_term_anywhere_stops_the_publish_build(tmp_path):
    """Pages, profiles and listening are not linted as posts; the publish build still reads
    back what it wrote and refuses it, one located line, output left as it was."""
    content = copy_content(tmp_path)
    about = content / "pages" / "about.md"
    about.write_text(about.read_text(encoding="utf-8") + "\nSoon: Blackthorn.\n", "utf-8")
    output = tmp_path / "output"
    result = build_site(output, content, settings="publishconf.py")
    assert not result.ok
    assert len(result.problems) == 1, result.problems
    assert "about/index.html:" in result.problems[0]
    assert "'Blackthorn' is confidential (confidentiality.codenames)" in result.problems[0]
    assert not output.exists()
    assert build_site(tmp_path / "dev", content).ok  # the author's local build still works
    assert build_site(tmp_path / "intranet", content, settings="internalconf.py").ok


def test_siteurl_of_the_intranet_is_its_own(intranet):
    feed = json.loads((intranet / "feeds" / "all.json").read_text(encoding="utf-8"))
    assert feed["home_page_url"].startswith(TEST_SITEURL)  # tests pin SITEURL
    assert "hubs" not in feed  # no public WebSub hub learns the intranet's feeds
