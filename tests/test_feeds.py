"""Feeds: Atom, RSS and JSON Feed for the site, departments, people and tags.

Expectations are derived from the content files (front matter, people, departments), never
hard-coded, because the demo content changes while these tests stay the same.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import feedparser
import jsonschema
import pytest
import yaml

from core.feed_contract import ItemExtension
from core.feeds import feed_paths
from plugins.feeds.absolute import absolutize
from plugins.feeds.entry import Author, Category, Entry
from plugins.posts.frontmatter import parse_date, read_post
from plugins.posts.identity import entry_id
from tests.conftest import FIXTURES, ROOT, TEST_SITEURL, build_site, copy_content

ATOM = "{http://www.w3.org/2005/Atom}"
DC = "{http://purl.org/dc/elements/1.1/}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}"
FEEDS = FIXTURES / "feeds"
SCHEMA = json.loads((FIXTURES / "jsonfeed-1.1.schema.json").read_text())


def settings(**overrides) -> dict:
    from core.settings import load_settings

    return load_settings(ROOT / "pelicanconf.py", {"SITEURL": TEST_SITEURL, **overrides})


# --- what the content says the feeds must contain -------------------------------------


@dataclass
class Post:
    slug: str
    meta: dict
    department: str
    date: dt.datetime
    tags: list[str]  # slugs, as Pelican makes them
    body: str

    @property
    def published(self) -> bool:
        """On the public site: published, and not for the intranet only."""
        status = self.meta.get("status", "published")
        return status == "published" and self.meta.get("audience", "public") == "public"


def read_posts(content: Path, s: dict) -> list[Post]:
    from pelican.urlwrappers import Tag

    posts = []
    for path in sorted((content / "posts").rglob("*.md")):
        post = read_post(path)
        meta = post.meta
        date = parse_date(meta["date"])
        if date.tzinfo is None:
            date = date.replace(tzinfo=ZoneInfo(s["TIMEZONE"]))
        tags = [Tag(str(t), s).slug for t in meta.get("tags") or []]
        slug = meta.get("slug") or path.stem
        department = meta.get("department") or path.parent.name
        posts.append(Post(slug, meta, department, date, tags, post.body))
    return posts


def expected_feeds(content: Path, s: dict) -> dict[str, list[str]]:
    """feed path stem (feeds/…) → entry ids, newest first, at most FEED_MAX_ITEMS."""
    posts = [p for p in read_posts(content, s) if p.published]
    posts.sort(key=lambda p: (p.date, p.slug), reverse=True)
    departments = yaml.safe_load((content / s["DEPARTMENTS_FILE"]).read_text())
    people = [p.stem for p in (content / s["PEOPLE_PATH"]).glob("*.yaml")]
    scopes = {("all", None): lambda p: True}
    for slug in departments:
        scopes["departments", slug] = lambda p, slug=slug: p.department == slug
    for handle in people:
        scopes["people", handle] = lambda p, handle=handle: p.meta["author"] == handle
    for tag in {t for p in posts for t in p.tags}:
        scopes["tags", tag] = lambda p, tag=tag: tag in p.tags
    limit = s["FEED_MAX_ITEMS"]
    ids = {p.slug: entry_id(s["FEED_ID_AUTHORITY"], s["FEED_ID_START"], p.slug) for p in posts}
    return {
        feed_paths(scope, slug)["atom"].removesuffix(".atom.xml"): [
            ids[p.slug] for p in posts if match(p)
        ][:limit]
        for (scope, slug), match in scopes.items()
    }


# --- reading what was built ------------------------------------------------------------


class _Urls(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        for name, value in attrs:
            if name in ("href", "src", "poster", "cite") and value is not None:
                self.urls.append(value)
            elif name == "srcset" and value:
                self.urls += [c.split()[0] for c in value.split(",") if c.strip()]


def urls_in_html(fragment: str) -> list[str]:
    parser = _Urls()
    parser.feed(fragment)
    return parser.urls


def is_absolute(url: str) -> bool:
    parts = urlsplit(url)
    return bool(parts.scheme) and (parts.scheme not in ("http", "https") or bool(parts.netloc))


def format_checker() -> jsonschema.FormatChecker:
    """jsonschema checks 'uri' and 'date-time' only with optional packages: check them here."""
    checker = jsonschema.FormatChecker()

    @checker.checks("uri")
    def uri(value) -> bool:
        return not isinstance(value, str) or is_absolute(value)

    @checker.checks("date-time", raises=ValueError)
    def date_time(value) -> bool:
        return not isinstance(value, str) or dt.datetime.fromisoformat(value).tzinfo is not None

    return checker


def feed_files(output: Path) -> dict[str, dict[str, Path]]:
    """feed stem → format → file for post feeds (listening digests: tests/listening;
    replies: tests/conversations/test_conv_feeds.py)."""
    found: dict[str, dict[str, Path]] = {}
    for path in (output / "feeds").rglob("*"):
        top = path.relative_to(output / "feeds").parts[0]
        if (
            path.is_file()
            and top not in ("listening", "responses")
            and not top.startswith("responses.")
        ):
            rel = path.relative_to(output).as_posix()
            for fmt, ext in (("atom", ".atom.xml"), ("rss", ".rss.xml"), ("json", ".json")):
                if rel.endswith(ext):
                    found.setdefault(rel.removesuffix(ext), {})[fmt] = path
    return found


def atom_ids(path: Path) -> list[str]:
    return [e.findtext(f"{ATOM}id") for e in ET.parse(path).getroot().iter(f"{ATOM}entry")]


def rss_guids(path: Path) -> list[str]:
    return [g.text for g in ET.parse(path).getroot().iter("guid")]


def json_ids(path: Path) -> list[str]:
    return [item["id"] for item in json.loads(path.read_text())["items"]]


# --- fast unit tests -------------------------------------------------------------------


@pytest.mark.parametrize(
    "case",
    sorted(p.name.removesuffix(".input.html") for p in (FEEDS / "absolute").glob("*.input.html")),
)
def test_absolutize(case):
    source = (FEEDS / "absolute" / f"{case}.input.html").read_text()
    expected = (FEEDS / "absolute" / f"{case}.expected.html").read_text()
    assert absolutize(source, "https://chorus.test/posts/example-post/") == expected


def _xml_legal(ch: str) -> bool:
    """XML 1.0 Char production, minus C1 controls (our policy): written out independently
    of plugins.feeds.text so that the test does not just repeat the implementation."""
    c = ord(ch)
    if c in (0x9, 0xA, 0xD) or 0x20 <= c <= 0x7E or 0xA0 <= c <= 0xD7FF:
        return True
    return 0xE000 <= c <= 0xFFFD or 0x10000 <= c <= 0x10FFFF


@pytest.mark.parametrize(
    "text", json.loads((FEEDS / "hostile-strings.json").read_text())["strings"]
)
def test_hostile_text_survives_every_format(text):
    from plugins.feeds import atom, entry, jsonfeed, rss
    from plugins.feeds.model import FeedInfo

    when = dt.datetime(2026, 11, 20, 9, 30, tzinfo=dt.UTC)
    e = Entry(
        id="tag:chorus.test,2026:posts/x", slug="x", url="https://chorus.test/posts/x/",
        title=entry.clean(text), content_html="<p>body</p>", summary=entry.clean(text),
        published=when, updated=when, author=Author(entry.clean(text)), handle="x",
        department="d", categories=[Category("t", entry.clean(text))],
        chorus=ItemExtension("d", syndication_text={"x": entry.clean(text)}),
    )  # fmt: skip
    urls = {f: f"https://chorus.test/feeds/all.{x}" for f, x in (("atom", "atom.xml"),
            ("rss", "rss.xml"), ("json", "json"))}  # fmt: skip
    info = FeedInfo("all", entry.clean(text), "", "https://chorus.test/", urls, {}, "tag:x",
                    "en", when)  # fmt: skip
    kept = "".join(ch for ch in text if _xml_legal(ch))
    atom_doc = ET.fromstring(atom.feed(info, [atom.entry(e)]).encode())
    assert atom_doc.findtext(f"{ATOM}title") == kept
    assert atom_doc.find(f"{ATOM}entry/{ATOM}title").text == kept
    assert atom_doc.find(f"{ATOM}entry/{ATOM}category").get("label") == kept
    rss_doc = ET.fromstring(rss.feed(info, [rss.entry(e)]).encode())
    assert rss_doc.findtext("channel/item/title") == kept
    assert rss_doc.findtext(f"channel/item/{DC}creator") == kept
    doc = json.loads(jsonfeed.feed(info, [jsonfeed.entry(e)]).encode("utf-8"))
    assert doc["items"][0]["title"] == kept
    assert doc["items"][0]["_chorus"]["syndication_text"]["x"] == kept
    for body in (atom.feed(info, [atom.entry(e)]), rss.feed(info, [rss.entry(e)])):
        assert feedparser.parse(body.encode()).bozo == 0


# --- the demo site ---------------------------------------------------------------------


def check_site(output: Path, content: Path, s: dict, hub: str | None = None) -> None:
    """Everything every feed of a built site must satisfy, derived from its content."""
    expected = expected_feeds(content, s)
    files = feed_files(output)
    assert set(files) == set(expected)
    people = {p.stem: yaml.safe_load(p.read_text()) for p in (content / "people").glob("*.yaml")}
    departments = yaml.safe_load((content / s["DEPARTMENTS_FILE"]).read_text())
    posts = {entry_id(s["FEED_ID_AUTHORITY"], s["FEED_ID_START"], p.slug): p
             for p in read_posts(content, s)}  # fmt: skip
    validator = jsonschema.Draft7Validator(SCHEMA, format_checker=format_checker())
    stylesheet = f'<?xml-stylesheet type="text/xsl" href="{TEST_SITEURL}/theme/feed.xsl"?>'
    assert (output / "theme" / "feed.xsl").is_file()
    for stem, formats in files.items():
        assert set(formats) == {"atom", "rss", "json"}, stem
        ids = expected[stem]
        # Atom
        atom_path = formats["atom"]
        assert stylesheet in atom_path.read_text()
        parsed = feedparser.parse(atom_path.read_bytes())
        assert parsed.bozo == 0, (atom_path, parsed.get("bozo_exception"))
        root = ET.parse(atom_path).getroot()
        assert atom_ids(atom_path) == ids, stem
        assert root.get("{http://www.w3.org/XML/1998/namespace}lang")
        links = {(li.get("rel"), li.get("href")) for li in root.findall(f"{ATOM}link")}
        assert ("self", f"{TEST_SITEURL}/{stem}.atom.xml") in links
        assert {h for r, h in links if r == "hub"} == ({hub} if hub else set())
        for link in root.iter(f"{ATOM}link"):
            assert is_absolute(link.get("href")), (stem, link.get("href"))
        entry_updates = [e.findtext(f"{ATOM}updated") for e in root.iter(f"{ATOM}entry")]
        if entry_updates:  # the feed changed when its newest entry did
            newest = max(entry_updates, key=dt.datetime.fromisoformat)
            assert root.findtext(f"{ATOM}updated") == newest
        for e in root.iter(f"{ATOM}entry"):
            post = posts[e.findtext(f"{ATOM}id")]
            assert post.published
            person = people[post.meta["author"]]
            assert e.findtext(f"{ATOM}author/{ATOM}name") == person["name"]
            assert e.findtext(f"{ATOM}author/{ATOM}uri").startswith(TEST_SITEURL + "/people/")
            terms = [c.get("term") for c in e.findall(f"{ATOM}category")]
            assert terms == [post.department, *post.tags]
            labels = [c.get("label") for c in e.findall(f"{ATOM}category")]
            assert labels[0] == departments[post.department]["name"]
            assert e.findtext(f"{ATOM}published") and e.findtext(f"{ATOM}updated")
            content_html = e.findtext(f"{ATOM}content")
            assert all(is_absolute(u) for u in urls_in_html(content_html)), post.slug
            words = len(post.body.split())
            if words > s["SUMMARY_MAX_LENGTH"] * 2:  # the full post, not a truncated summary
                assert len(re.sub(r"<[^>]+>", " ", content_html).split()) > words / 2
            if post.meta.get("image"):
                enclosure = [li for li in e.findall(f"{ATOM}link") if li.get("rel") == "enclosure"]
                assert enclosure and enclosure[0].get("href").endswith(post.meta["image"])
        # RSS
        rss_path = formats["rss"]
        assert stylesheet in rss_path.read_text()
        parsed = feedparser.parse(rss_path.read_bytes())
        assert parsed.bozo == 0, (rss_path, parsed.get("bozo_exception"))
        channel = ET.parse(rss_path).getroot().find("channel")
        assert rss_guids(rss_path) == ids
        assert channel.findtext("language")
        self_links = [
            li.get("href") for li in channel.findall(f"{ATOM}link") if li.get("rel") == "self"
        ]
        assert self_links == [f"{TEST_SITEURL}/{stem}.rss.xml"]
        hubs = [li.get("href") for li in channel.findall(f"{ATOM}link") if li.get("rel") == "hub"]
        assert hubs == ([hub] if hub else [])
        for item in channel.findall("item"):
            post = posts[item.findtext("guid")]
            assert item.find("guid").get("isPermaLink") == "false"
            assert item.find("author") is None  # RSS <author> must be an e-mail; we have none
            assert item.findtext(f"{DC}creator") == people[post.meta["author"]]["name"]
            assert len(item.findall("category")) == 1 + len(post.tags)
            assert is_absolute(item.findtext("link"))
            assert all(is_absolute(u) for u in urls_in_html(item.findtext(f"{CONTENT}encoded")))
        # JSON Feed
        json_path = formats["json"]  # feedparser 6.0 cannot read JSON Feed: the schema does
        doc = json.loads(json_path.read_text(encoding="utf-8"))
        errors = [f"{list(err.path)}: {err.message}" for err in validator.iter_errors(doc)]
        assert not errors, (json_path, errors)
        assert doc["feed_url"] == f"{TEST_SITEURL}/{stem}.json"
        assert doc["language"]
        assert doc.get("hubs", []) == ([{"type": "WebSub", "url": hub}] if hub else [])
        assert json_ids(json_path) == ids
        for item in doc["items"]:
            post = posts[item["id"]]
            person = people[post.meta["author"]]
            (author,) = item["authors"]
            assert author["name"] == person["name"]
            assert is_absolute(author["url"])
            assert ("avatar" in author) == bool(person.get("avatar"))
            assert all(is_absolute(u) for u in urls_in_html(item["content_html"]))
            assert item["tags"][0] == departments[post.department]["name"]
            assert len(item["tags"]) == 1 + len(post.tags)
            check_chorus(item["_chorus"], post, departments)


def check_chorus(ext: dict, post: Post, departments: dict) -> None:
    """The cross-posting engine's extension: explicit `syndicate` (even []) wins over the
    department's default."""
    if "syndicate" in post.meta:
        assert ext["syndicate"] == post.meta["syndicate"]
    else:
        assert ext["syndicate"] == departments[post.department].get("syndicate", [])
    assert ext["department"] == post.department
    assert ext["audience"] == "public"
    assert ext["syndication_text"] == post.meta.get("syndication_text", {})
    assert ext["status"] == "published"


@pytest.mark.integration
def test_demo_feeds(demo_site):
    check_site(demo_site, ROOT / "content", settings())


@pytest.mark.integration
def test_demo_drafts_absent(demo_site):
    """Drafts, internal and retracted posts are in no feed (a retracted one is named only
    in the site feed's top-level `_chorus.retracted`, which syndication reads)."""
    s = settings()
    drafts = [p for p in read_posts(ROOT / "content", s) if not p.published]
    for path in (demo_site / "feeds").rglob("*.*"):
        text = path.read_text(encoding="utf-8")
        if path.name == "all.json":
            data = json.loads(text)
            data.pop("_chorus", None)
            text = json.dumps(data, ensure_ascii=False)
        for post in drafts:
            assert entry_id(s["FEED_ID_AUTHORITY"], s["FEED_ID_START"], post.slug) not in text
            assert f"/posts/{post.slug}/" not in text


# --- builds of edited copies -----------------------------------------------------------


def add_fixture_posts(content: Path) -> dict[str, str]:
    """Copy tests/fixtures/feeds/posts/*.md into the content, written by the first person
    in the directory and filed in that person's department. Returns slug → department."""
    person = sorted((content / "people").glob("*.yaml"))[0]
    department = yaml.safe_load(person.read_text())["department"]
    placed = {}
    for source in sorted((FEEDS / "posts").glob("*.md")):
        target = content / "posts" / department / source.name
        target.write_text(source.read_text().replace("__AUTHOR__", person.stem))
        placed[source.stem] = department
    return placed


@pytest.mark.integration
def test_fixture_posts_with_hub(tmp_path):
    """Drafts, explicit and default syndication, a hostile title, and a WebSub hub."""
    content = copy_content(tmp_path)
    placed = add_fixture_posts(content)
    hub = "https://hub.chorus.test/"
    output = tmp_path / "out"
    result = build_site(output, content, WEBSUB_HUB=hub)
    assert result.ok, result.problems
    s = settings(WEBSUB_HUB=hub)
    check_site(output, content, s, hub=hub)
    items = {
        i["id"].rsplit("/", 1)[1]: i
        for i in json.loads((output / "feeds/all.json").read_text())["items"]
    }
    assert {"feeds-syndicate-default", "feeds-syndicate-none", "feeds-syndicate-list"} <= set(items)
    assert items["feeds-syndicate-none"]["_chorus"]["syndicate"] == []
    assert items["feeds-syndicate-list"]["_chorus"]["syndicate"] == ["mastodon"]
    assert "feeds-draft" in placed and "feeds-draft" not in items
    assert not (output / "feeds/tags/feeds-draft-only.json").exists()
    # The hostile title round-trips through every format, minus what XML cannot carry.
    title = read_post(
        content / "posts" / placed["feeds-hostile-title"] / "feeds-hostile-title.md"
    ).meta["title"]
    kept = "".join(ch for ch in title if _xml_legal(ch))
    assert items["feeds-hostile-title"]["title"] == kept
    atom_titles = [
        e.findtext(f"{ATOM}title")
        for e in ET.parse(output / "feeds/all.atom.xml").getroot().iter(f"{ATOM}entry")
    ]
    assert kept in atom_titles
    rss_titles = [
        i.findtext("title") for i in ET.parse(output / "feeds/all.rss.xml").getroot().iter("item")
    ]
    assert kept in rss_titles


def _retitle_and_redate(path: Path) -> None:
    text = path.read_text()
    text = re.sub(r"(?m)^title:.*$", 'title: "A completely new title"', text, count=1)
    text = re.sub(r"(?m)^date:.*$", "date: 2020-01-02 03:04", text, count=1)
    path.write_text(text)


@pytest.mark.integration
def test_ids_survive_title_and_date_edits(tmp_path):
    content = copy_content(tmp_path)
    s = settings()
    post = next(p for p in read_posts(content, s) if p.published)
    out1, out2 = tmp_path / "before", tmp_path / "after"
    assert build_site(out1, content).ok
    source = next(
        p
        for p in (content / "posts").rglob("*.md")
        if (read_post(p).meta.get("slug") or p.stem) == post.slug
    )
    _retitle_and_redate(source)
    assert build_site(out2, content).ok
    person_feed = feed_paths("people", post.meta["author"])
    ident = entry_id(s["FEED_ID_AUTHORITY"], s["FEED_ID_START"], post.slug)
    for out in (out1, out2):
        assert ident in atom_ids(out / person_feed["atom"])
        assert ident in rss_guids(out / person_feed["rss"])
        assert ident in json_ids(out / person_feed["json"])
    before = json.loads((out1 / person_feed["json"]).read_text())["items"]
    after = json.loads((out2 / person_feed["json"]).read_text())["items"]
    old = next(i for i in before if i["id"] == ident)
    new = next(i for i in after if i["id"] == ident)
    assert old["url"] == new["url"]
    assert new["title"] == "A completely new title" != old["title"]
    assert new["date_published"].startswith("2020-01-02T03:04")
    # and the site feed is still exactly what the edited content says
    assert rss_guids(out2 / "feeds/all.rss.xml") == expected_feeds(content, s)["feeds/all"]


@pytest.mark.integration
def test_max_items(tmp_path):
    content = copy_content(tmp_path)
    output = tmp_path / "out"
    assert build_site(output, content, FEED_MAX_ITEMS=2).ok
    s = settings(FEED_MAX_ITEMS=2)
    expected = expected_feeds(content, s)
    assert len(expected["feeds/all"]) == min(
        2, len([p for p in read_posts(content, s) if p.published])
    )
    for stem, formats in feed_files(output).items():
        assert atom_ids(formats["atom"]) == expected[stem]
        assert json_ids(formats["json"]) == expected[stem]


# --- the XSL stylesheet in a real browser ----------------------------------------------


@pytest.mark.browser
@pytest.mark.integration
def test_feed_stylesheet_in_chromium(tmp_path):
    """Opening a feed in Debian's Chromium shows a readable page (while it still has XSLT)."""
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    playwright_api = pytest.importorskip("playwright.sync_api")
    if not Path("/usr/bin/chromium").exists():
        pytest.skip("Debian chromium is not installed (/usr/bin/chromium)")
    output = tmp_path / "out"

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(output)))
    siteurl = f"http://127.0.0.1:{server.server_address[1]}"  # XSLT must be same-origin
    assert build_site(output, SITEURL=siteurl).ok
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
    try:
        with playwright_api.sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=flags)
            page = browser.new_page()
            if page.evaluate("typeof XSLTProcessor") == "undefined":
                pytest.skip("this Chromium has no XSLT any more; feeds show as raw XML")
            for fmt in ("atom", "rss"):
                rel = feed_paths("all")[fmt]
                page.goto(f"{siteurl}/{rel}")
                root = ET.parse(output / rel).getroot()
                title = (root.findtext(f"{ATOM}title") or root.findtext("channel/title")).strip()
                entries = len(root.findall(f"{ATOM}entry")) + len(root.findall("channel/item"))
                assert page.locator("h1").inner_text().strip() == title
                assert "This is a web feed" in page.locator("body").inner_text()
                assert page.locator("#feed-url").input_value() == f"{siteurl}/{rel}"
                assert page.locator("li.feed-entry").count() == entries
                first = page.locator("li.feed-entry a").first.get_attribute("href")
                assert first.startswith(siteurl + "/posts/")
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
