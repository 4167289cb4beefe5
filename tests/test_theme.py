"""The theme on real builds: microformats, JSON-LD, Open Graph, CSP, no foreign requests,
"Also on" links, escaping, accessibility basics and colour contrast.

Expected values come from the sources (front matter, the people directory, the links
fixture), never from the rendered pages, so a template that drops or garbles a field fails.
"""

from __future__ import annotations

import json
import re
import shutil
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import mf2py
import pytest

from core.feeds import feed_paths
from plugins.people.directory import load_directory
from plugins.posts.frontmatter import read_post
from plugins.social.meta import content_security_policy, plain_summary
from tests.conftest import FIXTURES, ROOT, TEST_SITEURL, build_site, copy_content, page_url

pytestmark = pytest.mark.integration

LINKS = FIXTURES / "links"
CONTENT = ROOT / "content"
CSS = ROOT / "themes" / "chorus" / "static" / "css" / "chorus.css"
ESCAPE_SLUG = "quotes-and-brackets"
SITE_HOST = urlsplit(TEST_SITEURL).hostname
FEED_TYPES = {
    "atom": "application/atom+xml",
    "rss": "application/rss+xml",
    "json": "application/feed+json",
}


@cache
def settings() -> dict:
    from core.settings import load_settings

    return load_settings(ROOT / "pelicanconf.py", {"SITEURL": TEST_SITEURL})


@cache
def directory():
    return load_directory(CONTENT, "people", "departments.yaml")


def published_posts(content: Path = CONTENT) -> dict[str, dict]:
    """slug → front matter of every post on the public site, read from the source files."""
    posts = {}
    for path in sorted((content / "posts").rglob("*.md")):
        meta = read_post(path).meta
        public = meta.get("audience", "public") == "public"
        if meta.get("status", "published") == "published" and public:
            posts[path.stem] = {**meta, "department": meta.get("department", path.parent.name)}
    return posts


# --- reading pages ----------------------------------------------------------------------------


class Page(HTMLParser):
    """Elements with their attributes, JSON-LD blocks, text by id, in document order.

    Given the page's URL, href and src are resolved against it as a browser does (the
    development build links relatively), so a test compares what a reader would reach."""

    FOCUSABLE = frozenset({"a", "button", "input", "select", "textarea", "summary"})
    LINKS = ("href", "src")

    def __init__(self, html: str, url: str = ""):
        super().__init__(convert_charrefs=True)
        self.url = url
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.json_ld: list[str] = []
        self.text_of: dict[str, str] = {}  # element id → its text
        self._all_text: list[str] = []
        self._script: list[str] | None = None
        self._open_ids: list[tuple[str, str, list[str]]] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for key in self.LINKS:
            value = attributes.get(key)
            if self.url and value and not value.startswith("#"):
                attributes[key] = urljoin(self.url, value)
        self.elements.append((tag, attributes))
        if tag == "script" and attributes.get("type") == "application/ld+json":
            self._script = []
        if attributes.get("id"):
            self._open_ids.append((tag, attributes["id"], []))

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            self.json_ld.append("".join(self._script))
            self._script = None
        if self._open_ids and self._open_ids[-1][0] == tag:
            _, ident, parts = self._open_ids.pop()
            self.text_of[ident] = " ".join("".join(parts).split())

    def handle_data(self, data):
        if self._script is not None:
            self._script.append(data)
        for _, _, parts in self._open_ids:
            parts.append(data)
        if self._script is None:
            self._all_text.append(data)

    @property
    def text(self) -> str:
        """All text outside JSON-LD, whitespace collapsed: what the page says."""
        return " ".join("".join(self._all_text).split())

    def all(self, tag: str, **match) -> list[dict]:
        return [
            attrs
            for t, attrs in self.elements
            if t == tag and all(attrs.get(k.replace("_", "-")) == v for k, v in match.items())
        ]

    def meta(self) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for attrs in self.all("meta"):
            key = attrs.get("property") or attrs.get("name") or attrs.get("http-equiv")
            if key:
                found.setdefault(key, []).append(attrs.get("content") or "")
        return found

    def alternates(self) -> set[tuple[str, str]]:
        return {(a["type"], a["href"]) for a in self.all("link", rel="alternate")}


def read(site: Path, rel: str) -> str:
    path = site / rel
    assert path.is_file(), f"{rel} was not written"
    return path.read_text(encoding="utf-8")


def page(site: Path, rel: str | Path) -> Page:
    rel = Path(rel).relative_to(site).as_posix() if Path(rel).is_absolute() else str(rel)
    return Page(read(site, rel), page_url(rel))


def mf2(site: Path, rel: str) -> dict:
    return mf2py.parse(doc=read(site, rel), url=page_url(rel))


def items(parsed: dict, kind: str) -> list[dict]:
    return [i for i in parsed["items"] if kind in i["type"]]


def all_pages(site: Path) -> list[Path]:
    # people/<handle>/signature.html is an email signature to copy into a mail program
    # (inline styles, no site chrome), not a page of the site.
    pages = sorted(p for p in site.rglob("*.html") if p.name != "signature.html")
    assert len(pages) > 10
    return pages


def site_feeds(scope: str = "all", slug: str | None = None) -> set[tuple[str, str]]:
    return {(FEED_TYPES[f], f"{TEST_SITEURL}/{p}") for f, p in feed_paths(scope, slug).items()}


# --- the fixture site with links and a title full of markup characters ------------------------


@pytest.fixture(scope="module")
def linked_site(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("linked")
    content = copy_content(tmp)
    shutil.copy(LINKS / f"{ESCAPE_SLUG}.md", content / "posts" / "warehouse" / f"{ESCAPE_SLUG}.md")
    shutil.copy(LINKS / "also-on.json", content / "also-on.json")
    output = tmp / "output"
    result = build_site(output, content, SYNDICATION_LINKS_FILE="also-on.json")
    assert result.ok, "\n".join(result.problems)
    return output


# --- every page -------------------------------------------------------------------------------


EXPECTED_PAGES = [
    "index.html",
    "404.html",
    "archives/index.html",
    "departments/index.html",
    "tags/index.html",
    "people/index.html",
]


def test_every_page_is_rendered_by_our_theme(demo_site):
    """Pelican silently falls back to its 'simple' theme; ours always has the skip link."""
    for rel in EXPECTED_PAGES:
        assert (demo_site / rel).is_file(), rel
    for path in all_pages(demo_site):
        first = [a for t, a in page(demo_site, path).elements if t == "a"][:1]
        assert first and first[0].get("class") == "skip-link", path.relative_to(demo_site)


def test_every_page_has_the_csp_landmarks_and_site_feeds(demo_site):
    expected_csp = content_security_policy(settings())
    for path in all_pages(demo_site):
        rel = path.relative_to(demo_site)
        doc = page(demo_site, path)
        assert doc.meta().get("Content-Security-Policy") == [expected_csp], rel
        assert doc.all("html")[0].get("lang"), rel
        for landmark in ("header", "nav", "main", "footer"):
            assert doc.all(landmark), f"{rel}: no <{landmark}>"
        assert doc.all("main", id="main"), rel
        assert site_feeds() <= doc.alternates(), rel


def test_skip_link_is_the_first_focusable_element(demo_site):
    for path in all_pages(demo_site):
        doc = page(demo_site, path)
        focusable = [(t, a) for t, a in doc.elements if t in Page.FOCUSABLE or "tabindex" in a]
        focusable = [(t, a) for t, a in focusable if a.get("tabindex") != "-1"]
        assert focusable[0] == ("a", {"class": "skip-link", "href": "#main"}), path


def test_every_image_has_alt_text_and_avatars_are_named(demo_site):
    people_by_avatar = {f"{TEST_SITEURL}/{p.avatar}": p.name for p in directory().people.values()}
    for path in all_pages(demo_site):
        for img in page(demo_site, path).all("img"):
            assert img.get("alt") is not None, f"{path}: {img}"
            if img["src"] in people_by_avatar:
                assert img["alt"] == people_by_avatar[img["src"]], path


def test_nothing_is_loaded_from_another_host(demo_site):
    """Anchors may point anywhere; what a browser *loads* must come from the site itself
    (iframes only from the embed hosts the CSP allows)."""
    embed_hosts = set(settings()["EMBED_HOSTS"])
    loaded = {"img": "src", "script": "src", "iframe": "src", "source": "src", "video": "src",
              "audio": "src", "embed": "src", "link": "href"}  # fmt: skip
    for path in all_pages(demo_site):
        rel = path.relative_to(demo_site)
        doc = page(demo_site, path)
        for tag, attribute in loaded.items():
            for element in doc.all(tag):
                url = element.get(attribute)
                if not url or (tag == "link" and element.get("rel") == "canonical"):
                    continue
                host = urlsplit(url).hostname
                allowed = embed_hosts if tag == "iframe" else {SITE_HOST}
                assert host in allowed, f"{rel}: <{tag} {attribute}={url}>"
        for key, values in doc.meta().items():
            if key in ("og:url", "og:image", "twitter:image", "article:author"):
                assert all(urlsplit(v).hostname == SITE_HOST for v in values), f"{rel}: {key}"


def test_feeds_advertised_on_pages_exist(demo_site):
    for path in all_pages(demo_site):
        for _, href in page(demo_site, path).alternates():
            target = href.removeprefix(TEST_SITEURL + "/")
            assert (demo_site / target).is_file(), f"{path.relative_to(demo_site)}: {href}"


# --- posts ------------------------------------------------------------------------------------


@pytest.mark.parametrize("slug", sorted(published_posts()))
def test_post_h_entry(demo_site, slug):
    meta = published_posts()[slug]
    rel = f"posts/{slug}/index.html"
    parsed = mf2(demo_site, rel)
    [entry] = items(parsed, "h-entry")
    props = entry["properties"]
    url = f"{TEST_SITEURL}/posts/{slug}/"
    assert props["name"] == [meta["title"]]
    assert props["url"][0] == url
    assert props["content"][0]["html"].strip()
    assert props["summary"][0].strip()
    assert props["published"][0].startswith(str(meta["date"])[:10])
    assert props["updated"][0].startswith(str(meta.get("modified", meta["date"]))[:10])
    department = directory().departments[meta["department"]].name
    assert props["category"] == [department, *[str(t) for t in meta.get("tags", [])]]
    person = directory().people[meta["author"]]
    [author] = props["author"]
    assert author["type"] == ["h-card"]
    assert author["properties"]["name"] == [person.name]
    assert author["properties"]["url"] == [f"{TEST_SITEURL}/{person.url}"]
    assert author["properties"]["photo"][0]["value"] == f"{TEST_SITEURL}/{person.avatar}"


@pytest.mark.parametrize("slug", sorted(published_posts()))
def test_post_open_graph_twitter_and_json_ld(demo_site, slug):
    meta = published_posts()[slug]
    person = directory().people[meta["author"]]
    url = f"{TEST_SITEURL}/posts/{slug}/"
    doc = page(demo_site, f"posts/{slug}/index.html")
    tags = doc.meta()
    assert doc.all("link", rel="canonical")[0]["href"] == url
    assert tags["og:type"] == ["article"]
    assert tags["og:title"] == [meta["title"]] == tags["twitter:title"]
    assert tags["og:url"] == [url]
    assert tags["og:site_name"] == [settings()["SITENAME"]]
    description = tags["og:description"][0]
    assert description and "<" not in description
    assert tags["description"] == [description] == tags["twitter:description"]
    assert tags["article:tag"] == [str(t) for t in meta.get("tags", [])]
    assert tags["article:author"] == [f"{TEST_SITEURL}/{person.url}"]
    assert tags["article:published_time"][0].startswith(str(meta["date"])[:10])
    if meta.get("image"):
        image = f"{TEST_SITEURL}/{meta['image'].lstrip('/')}"
        assert tags["og:image"] == [image] == tags["twitter:image"]
        assert tags["og:image:alt"] == [meta["image_alt"]]
        assert tags["twitter:card"] == ["summary_large_image"]
    else:
        assert "og:image" not in tags
        assert tags["twitter:card"] == ["summary"]

    [block] = doc.json_ld
    data = json.loads(block)
    assert data["@type"] == "BlogPosting"
    assert data["headline"] == meta["title"]
    assert data["url"] == url == data["mainEntityOfPage"]["@id"]
    assert data["description"] == description
    assert data["datePublished"] == tags["article:published_time"][0]
    assert data["dateModified"] >= data["datePublished"]
    assert data["articleSection"] == directory().departments[meta["department"]].name
    assert data["author"]["name"] == person.name
    assert data["author"]["url"] == f"{TEST_SITEURL}/{person.url}"
    assert data["author"]["jobTitle"] == person.title
    assert data["author"].get("sameAs", []) == [a.url for a in person.accounts]
    org = settings()["ORGANIZATION"]
    assert data["publisher"]["name"] == org["name"]
    assert data["publisher"]["url"] == org["url"]
    assert data["publisher"]["logo"]["url"] == f"{TEST_SITEURL}/{org['logo']}"
    if meta.get("tags"):
        assert data["keywords"] == ", ".join(str(t) for t in meta["tags"])
    if meta.get("image"):
        assert data["image"]["url"] == tags["og:image"][0]


def test_share_links_are_plain_links_for_the_configured_platforms(demo_site):
    slug = sorted(published_posts())[0]
    doc = page(demo_site, f"posts/{slug}/index.html")
    shares = [a for a in doc.all("a") if "share-link" in (a.get("class") or "")]
    platforms = [re.search(r"pill-(\w+)", a["class"]).group(1) for a in shares]
    assert platforms == settings()["SHARE_PLATFORMS"]
    assert not doc.all("script", type="text/javascript")
    assert [s for s in doc.all("script") if s.get("src")] == []


def test_home_page_has_the_organization(demo_site):
    parsed = mf2(demo_site, "index.html")
    org = settings()["ORGANIZATION"]
    cards = items(parsed, "h-card")
    assert any(c["properties"].get("org") == [org["name"]] for c in cards)
    [block] = page(demo_site, "index.html").json_ld
    graph = {node["@type"]: node for node in json.loads(block)["@graph"]}
    assert graph["Organization"]["name"] == org["name"]
    assert graph["WebSite"]["url"] == f"{TEST_SITEURL}/"


# --- people, departments, tags ----------------------------------------------------------------


@pytest.mark.parametrize("handle", sorted(directory().people))
def test_profile_h_card_and_rel_me(demo_site, handle):
    person = directory().people[handle]
    rel = f"people/{handle}/index.html"
    parsed = mf2(demo_site, rel)
    [card] = items(parsed, "h-card")
    props = card["properties"]
    assert props["name"] == [person.name]
    assert props["job-title"] == [person.title]
    assert props["org"][0]["properties"]["name"] == [settings()["ORGANIZATION"]["name"]]
    assert props["url"][0] == f"{TEST_SITEURL}/{person.url}"
    if person.avatar:
        assert props["photo"][0] == {"value": f"{TEST_SITEURL}/{person.avatar}", "alt": person.name}
    if person.bio:
        assert props["note"] == [person.bio]
    if person.email:
        assert props["email"] == [f"mailto:{person.email}"]
    assert parsed["rels"].get("me", []) == [a.url for a in person.accounts]
    assert site_feeds("people", handle) <= page(demo_site, rel).alternates()
    posts = [s for s, m in published_posts().items() if m["author"] == handle]
    listed = {e["properties"]["url"][0] for e in items(parsed, "h-entry")}
    assert listed == {f"{TEST_SITEURL}/posts/{s}/" for s in posts}


def test_people_directory_lists_everyone_by_department(demo_site):
    doc = page(demo_site, "people/index.html")
    links = {a["href"] for a in doc.all("a")}
    for person in directory().people.values():
        assert f"{TEST_SITEURL}/{person.url}" in links
    for dept in directory().departments.values():
        if dept.people:
            assert doc.text_of[f"people-{dept.slug}"] == dept.name


@pytest.mark.parametrize("slug", sorted(directory().departments))
def test_department_page(demo_site, slug):
    dept = directory().departments[slug]
    posts = [s for s, m in published_posts().items() if m["department"] == slug]
    rel = f"departments/{slug}/index.html"
    if not posts:
        assert not (demo_site / rel).exists()  # Pelican writes categories that have posts
        return
    doc = page(demo_site, rel)
    assert " ".join(dept.description.split()) in doc.text
    assert site_feeds("departments", slug) <= doc.alternates()
    avatars = {img["alt"] for img in doc.all("img") if "avatar" in (img.get("class") or "")}
    assert {p.name for p in dept.people} <= avatars
    hrefs = {a["href"] for a in doc.all("a")}
    per_page = settings()["DEFAULT_PAGINATION"]
    if len(posts) <= per_page:
        assert {f"{TEST_SITEURL}/posts/{s}/" for s in posts} <= hrefs


def test_tag_pages_advertise_their_feeds(demo_site):
    from pelican.urlwrappers import Tag

    tags = {str(t) for m in published_posts().values() for t in m.get("tags", [])}
    assert tags
    for name in tags:
        slug = Tag(name, settings()).slug
        doc = page(demo_site, f"tags/{slug}/index.html")
        assert site_feeds("tags", slug) <= doc.alternates(), name


# --- "Also on" --------------------------------------------------------------------------------


def test_also_on_links_are_rendered_from_the_links_file(linked_site):
    entries = json.loads((LINKS / "also-on.json").read_text())["entries"]
    authority, start = settings()["FEED_ID_AUTHORITY"], settings()["FEED_ID_START"]
    checked = 0
    for slug in [*sorted(published_posts()), ESCAPE_SLUG]:
        rel = f"posts/{slug}/index.html"
        expected = entries.get(f"tag:{authority},{start}:posts/{slug}", {})
        [entry] = items(mf2(linked_site, rel), "h-entry")
        assert sorted(entry["properties"].get("syndication", [])) == sorted(expected.values())
        doc = page(linked_site, rel)
        anchors = [a for a in doc.all("a") if "u-syndication" in (a.get("class") or "")]
        assert all(a.get("rel") == "syndication" for a in anchors)
        assert sorted(a["href"] for a in anchors) == sorted(expected.values())
        if not expected:
            assert "also-on-title" not in doc.text_of  # nothing at all when there are none
        else:
            assert doc.text_of["also-on-title"] == "Also on"
            checked += 1
    assert checked == 2


def test_a_broken_links_file_stops_the_build_at_its_line(tmp_path):
    content = copy_content(tmp_path)
    shutil.copy(LINKS / "not-json.json", content / "links.json")
    result = build_site(tmp_path / "output", content, SYNDICATION_LINKS_FILE="links.json")
    assert not result.ok
    assert any(p.startswith(f"{content / 'links.json'}:6: error:") or
               re.match(r".*links\.json:6: error: links file is not valid JSON", p)
               for p in result.problems), result.problems  # fmt: skip
    assert not (tmp_path / "output").exists()


# --- escaping ---------------------------------------------------------------------------------


def test_titles_with_markup_characters_are_escaped_everywhere(linked_site):
    meta = read_post(LINKS / f"{ESCAPE_SLUG}.md").meta
    title = meta["title"]
    assert "<" in title and "&" in title and '"' in title  # the fixture is what it claims
    rel = f"posts/{ESCAPE_SLUG}/index.html"
    raw = read(linked_site, rel)
    assert "<b>test</b>" not in raw  # shown as text, never as markup
    doc = Page(raw)
    assert doc.meta()["og:title"] == [title]
    assert doc.meta()["article:tag"] == meta["tags"]
    [entry] = items(mf2(linked_site, rel), "h-entry")
    assert entry["properties"]["name"] == [title]
    assert entry["properties"]["category"][1:] == meta["tags"]
    [block] = doc.json_ld
    assert "<" not in block and ">" not in block and "&" not in block
    data = json.loads(block)
    assert data["headline"] == title
    assert data["description"] == plain_summary(
        "Why 5 &lt; 6 &amp; why &quot;quotes&quot; matter: <em>emphasis</em> stays text-only"
        " in meta."
    )
    assert doc.meta()["description"] == [data["description"]]
    for listing in ("index.html", "archives/index.html", "people/maria.lopez/index.html"):
        names = [e["properties"]["name"][0] for e in items(mf2(linked_site, listing), "h-entry")]
        assert title in names, listing
        assert title in page(linked_site, listing).text, listing


# --- colour contrast --------------------------------------------------------------------------

PAIRS = [  # (text, background) that the stylesheet puts together at body-text size
    ("text", "bg"), ("text", "surface"), ("text", "surface-2"), ("muted", "bg"),
    ("muted", "surface"), ("muted", "surface-2"), ("link", "bg"), ("link", "surface"),
    ("link", "surface-2"), ("link-hover", "surface"), ("chip-text", "chip-bg"),
    ("brand-ink", "brand"), ("accent-ink", "accent-tint"),
]  # fmt: skip


def _luminance(hex_colour: str) -> float:
    rgb = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _variables(block: str) -> dict[str, str]:
    return dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})\s*;", block))


def colour_schemes() -> dict[str, list[dict[str, str]]]:
    """scheme → one variable set per department (plus the default), from chorus.css."""
    css = CSS.read_text()
    dark_at = css.index("@media (prefers-color-scheme: dark)")
    light_css, dark_css = css[:dark_at], css[dark_at : css.index("/* --- Base")]
    schemes = {}
    for name, part in (("light", light_css), ("dark", dark_css)):
        root = _variables(re.search(r":root\s*{(.*?)}", part, re.S).group(1))
        depts = [_variables(b) for b in re.findall(r"\.dept-[\w-]+\s*{([^}]*)}", part)]
        schemes[name] = [root] + [{**root, **d} for d in depts]
    return schemes


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_colour_pairs_meet_wcag_aa(scheme):
    sets = colour_schemes()[scheme]
    assert len(sets) > len(directory().departments)  # every department has an accent
    light_root = colour_schemes()["light"][0]
    for variables in sets:
        for fg, bg in PAIRS:
            colours = {**light_root, **variables} if scheme == "dark" else variables
            ratio = contrast(colours[fg], colours[bg])
            assert ratio >= 4.5, f"{scheme}: --{fg} on --{bg} is {ratio:.2f}:1"


def test_footer_does_not_add_a_second_full_stop_after_the_organization(demo_site):
    html = read(demo_site, "index.html")
    assert "Co.</a> Every post" in html
    assert "Co.</a>." not in html
