"""A hostile post, built into the real demo site: nothing in it may execute anywhere, and
its text must still read as the author typed it (escaped, not dropped).

The post (tests/fixtures/hostile/) puts <script>, quotes, &, "</script>", javascript:
links and onerror images into its title, summary, tags, image_alt and body. Pages are
parsed with html5lib — an HTML5 parser that builds the same tree a browser does — so the
assertions are about what a browser would run, not about how the markup is spelled.
(html5lib comes with mf2py, a dev dependency.)
"""

from __future__ import annotations

import functools
import json
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import html5lib
import pytest

from tests.conftest import FIXTURES, ROOT, TEST_SITEURL, build_site, copy_content, resolve

pytestmark = pytest.mark.integration

HOSTILE = FIXTURES / "hostile"
SLUG = "pallets-and-quotes"
POST_URL = f"{TEST_SITEURL}/posts/{SLUG}/"
TITLE = (
    'Pallets & "quotes" <script>alert("title")</script> </script><img src=x onerror=alert(1)> done'
)
TAGS = ('<script>alert("tag")</script>', 'Tools & "Tricks"')
SUMMARY_TEXT = 'Fish & Chips for the "night" shift'
IMAGE_ALT = 'Alt & "quoted" </script><script>alert("alt")</script><img src=x onerror=alert(4)>'
BODY_TEXT = 'Pallets & "quotes" in the body: 5 < 6 and Fish & Chips.'
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "poster", "xlink:href"}
BAD_SCHEME = re.compile(r"^(?:javascript|vbscript|data):", re.I)
EMBED_HOSTS = ("www.youtube-nocookie.com", "player.vimeo.com", "video.alderfinch.example")


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("hostile")
    content = copy_content(tmp)
    shutil.copy(HOSTILE / f"{SLUG}.md", content / "posts" / "warehouse" / f"{SLUG}.md")
    (content / "images").mkdir(exist_ok=True)
    shutil.copy(HOSTILE / "hostile.png", content / "images" / "hostile.png")
    output = tmp / "output"
    result = build_site(output, content)
    assert result.ok, "\n".join(result.problems)
    return output


@functools.cache
def tag_slug(name: str) -> str:
    """The slug Pelican gives a tag under our settings (tag pages and feeds use it)."""
    from pelican.urlwrappers import Tag

    from core.settings import load_settings

    return Tag(name, load_settings(ROOT / "pelicanconf.py")).slug


# --- reading what a browser would read ---------------------------------------------------


def parse(html: str):
    return html5lib.parse(html, namespaceHTMLElements=False)


def parse_fragment(html: str):
    return html5lib.parseFragment(html, namespaceHTMLElements=False)


def text_of(tree) -> str:
    """Visible text (scripts and styles excluded), whitespace collapsed."""
    parts: list[str] = []

    def walk(el) -> None:
        if el.tag in ("script", "style"):
            return
        parts.append(el.text or "")
        for child in el:
            walk(child)
            parts.append(child.tail or "")  # the text after a child belongs to its parent

    walk(tree)
    return " ".join("".join(parts).split())


def local(name: str) -> str:
    return name.rsplit("}", 1)[-1]


def executable(tree, where: str) -> list[str]:
    """Everything in a parsed document or fragment that a browser could execute."""
    found = []
    for el in tree.iter():
        if not isinstance(el.tag, str):
            continue  # comments
        tag = local(el.tag)
        if tag == "script":
            kind = (el.get("type") or "").lower()
            if kind != "application/ld+json" and "alert" in (el.text or ""):
                found.append(f"{where}: <script> runs {el.text!r}")
            if kind != "application/ld+json" and el.get("src", "").startswith("https://evil"):
                found.append(f"{where}: <script src={el.get('src')!r}>")
        if tag in ("object", "embed", "base", "form") or (
            tag == "meta" and (el.get("http-equiv") or "").lower() == "refresh"
        ):
            found.append(f"{where}: <{tag}> element")
        if tag == "iframe":
            host = re.match(r"https://([^/?#]+)", el.get("src", ""))
            if host is None or host.group(1) not in EMBED_HOSTS:
                found.append(f"{where}: iframe {el.get('src')!r}")
        for name, value in el.attrib.items():
            name = local(name).lower()
            if name.startswith("on"):
                found.append(f"{where}: <{tag} {name}={value!r}>")
            if name in URL_ATTRIBUTES and BAD_SCHEME.match(re.sub(r"[\s\x00-\x1f]", "", value)):
                found.append(f"{where}: <{tag} {name}={value!r}>")
            if name == "srcdoc":
                found.append(f"{where}: <{tag} srcdoc>")
    return found


def page(site: Path, rel: str):
    path = site / rel
    assert path.is_file(), f"{rel} was not written"
    raw = path.read_text(encoding="utf-8")
    return raw, parse(raw)


# --- every page ---------------------------------------------------------------------------


def test_no_page_runs_anything_from_the_post(site):
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 5
    problems = []
    for path in pages:
        problems += executable(parse(path.read_text(encoding="utf-8")), str(path.relative_to(site)))
    assert problems == []


def test_post_page_reads_as_written(site):
    raw, tree = page(site, f"posts/{SLUG}/index.html")
    text = text_of(tree)
    assert TITLE in text
    assert BODY_TEXT in text
    for tag in TAGS:
        assert tag in text, f"tag {tag!r} not shown as text"
    assert 'alert("body")' not in raw  # the script is removed, not escaped into the page


def test_post_body_links_resolve_and_hostile_ones_are_gone(site):
    _, tree = page(site, f"posts/{SLUG}/index.html")
    rel = f"posts/{SLUG}/index.html"

    def resolved(value: str | None) -> str | None:
        return resolve(rel, value) if value is not None else None

    links = {text_of(a): resolved(a.get("href")) for a in tree.iter("a")}
    assert links["The other post"] == f"{TEST_SITEURL}/posts/what-contractors-tell-us/"
    # a Markdown javascript: link is refused by the parser (CommonMark): text, not a link
    assert "A javascript link" not in links
    assert "A javascript link" in text_of(tree)
    assert all("javascript" not in (href or "") for href in links.values())
    assert links["a raw one"] is None
    assert links["smuggled placeholder"] is None
    images = {img.get("alt"): resolved(img.get("src")) for img in tree.iter("img")}
    assert images["Dock"] == f"{TEST_SITEURL}/images/hostile.png"
    assert (site / "images" / "hostile.png").is_file()
    frames = [f.get("src") for f in tree.iter("iframe")]
    assert frames == ["https://www.youtube-nocookie.com/embed/abc"]


def test_image_alt_is_an_attribute_value_intact(site):
    _, tree = page(site, f"posts/{SLUG}/index.html")
    values = [v for el in tree.iter() if isinstance(el.tag, str) for v in el.attrib.values()]
    assert IMAGE_ALT in values


def test_meta_tags(site):
    _, tree = page(site, f"posts/{SLUG}/index.html")
    metas = {(m.get("property") or m.get("name")): m.get("content") for m in tree.iter("meta")}
    assert metas.get("og:title") == TITLE
    description = metas.get("description")
    assert description is not None, "no <meta name=description>"
    assert SUMMARY_TEXT in description
    assert "<" not in description and "alert" not in description


def test_json_ld(site):
    _, tree = page(site, f"posts/{SLUG}/index.html")
    blocks = [s for s in tree.iter("script") if s.get("type") == "application/ld+json"]
    assert blocks, "no JSON-LD block"
    strings: list[str] = []

    def collect(value) -> None:
        if isinstance(value, str):
            strings.append(value)
        elif isinstance(value, dict):
            for v in value.values():
                collect(v)
        elif isinstance(value, list):
            for v in value:
                collect(v)

    for block in blocks:
        body = block.text or ""
        assert "</script" not in body.lower()
        assert "<!--" not in body
        collect(json.loads(body))
    assert TITLE in strings


@pytest.mark.parametrize("which", ["index", "person", "tag-0", "tag-1"])
def test_listing_pages_show_the_title_as_text(site, which):
    """Wherever the post is listed (on whichever page of the listing), it reads as typed."""
    base = {
        "index": "",
        "person": "people/maria.lopez/",
        "tag-0": f"tags/{tag_slug(TAGS[0])}/",
        "tag-1": f"tags/{tag_slug(TAGS[1])}/",
    }[which]
    first = site / base / "index.html"
    assert first.is_file(), f"{base}index.html was not written"
    texts = [
        text_of(parse(p.read_text(encoding="utf-8")))
        for p in (first, *sorted((site / base / "page").glob("*/index.html")))
    ]
    listed = [t for t in texts if TITLE in t]
    assert listed, f"{base}index.html (or its later pages) does not show the title as text"
    if which == "index":
        assert SUMMARY_TEXT in listed[0]


def test_tag_pages_name_their_tag(site):
    for tag in TAGS:
        _, tree = page(site, f"tags/{tag_slug(tag)}/index.html")
        assert tag in text_of(tree)


# --- feeds -----------------------------------------------------------------------------


def feeds_with_the_post() -> list[str]:
    scopes = ["feeds/all", "feeds/departments/warehouse", "feeds/people/maria.lopez"]
    scopes += [f"feeds/tags/{tag_slug(t)}" for t in TAGS]
    return [f"{s}.{ext}" for s in scopes for ext in ("atom.xml", "rss.xml", "json")]


def test_every_feed_parses(site):
    # feeds/index.html is the page that lists them, not a feed
    feeds = sorted(p for p in (site / "feeds").rglob("*") if p.suffix in (".xml", ".json"))
    assert feeds, "no feeds written"
    for path in feeds:
        data = path.read_bytes()
        if path.suffix == ".json":
            json.loads(data)
        else:
            parsed = feedparser.parse(data)
            assert parsed.bozo == 0, f"{path.relative_to(site)}: {parsed.get('bozo_exception')}"


ATOM = "{http://www.w3.org/2005/Atom}"
CONTENT_ENCODED = "{http://purl.org/rss/1.0/modules/content/}encoded"


def xml_entry(root: ET.Element) -> ET.Element:
    """The hostile post's <entry>/<item>, found by its link."""
    for entry in [*root.iter(f"{ATOM}entry"), *root.iter("item")]:
        links = [link.get("href") for link in entry.iter(f"{ATOM}link")]
        links += [link.text for link in entry.iter("link")]
        if POST_URL in links:
            return entry
    raise AssertionError(f"no entry links to {POST_URL}")


@pytest.mark.parametrize("rel", feeds_with_the_post())
def test_feed_entry(site, rel):
    path = site / rel
    assert path.is_file(), f"{rel} was not written"
    if rel.endswith(".json"):
        feed = json.loads(path.read_text(encoding="utf-8"))
        item = next((i for i in feed["items"] if i.get("url") == POST_URL), None)
        assert item is not None, f"no item with url {POST_URL}"
        assert item["title"] == TITLE
        html_parts = [item.get("content_html", "")]
        for key in ("summary", "content_text"):  # plain text by the JSON Feed spec
            if key in item:
                assert "alert" not in item[key] and "<script" not in item[key], key
    else:
        entry = xml_entry(ET.fromstring(path.read_bytes()))
        title = entry.find(f"{ATOM}title")
        if title is None:
            title = entry.find("title")
        assert title is not None
        assert title.get("type", "text") == "text", "a title typed html would be read as markup"
        assert title.text == TITLE
        html_parts = [
            el.text or ""
            for el in entry.iter()
            if el.tag in (f"{ATOM}content", f"{ATOM}summary", "description", CONTENT_ENCODED)
            and el.get("type", "html") in ("html", "text")
        ]
    assert any(html_parts), "entry has no content"
    for fragment in html_parts:
        assert executable(parse_fragment(fragment), rel) == []
    full = "\n".join(html_parts)
    assert "Fish &amp; Chips" in full or "Fish & Chips" in full
    assert f"{TEST_SITEURL}/posts/what-contractors-tell-us/" in full
