"""The sanitiser on its own: one input/expected HTML pair per case in tests/fixtures/html/.

A case is `<name>.input.html` (what Markdown or an author produced) and
`<name>.expected.html` (exactly what may reach a page). Add a case by adding two files.
"""

from __future__ import annotations

import copy
import datetime
import re
from pathlib import Path

import pytest

from plugins.sanitize.clean import embed_allowed, sanitize_html

CASES_DIR = Path(__file__).parent / "fixtures" / "html"
CASES = sorted(p.name.removesuffix(".input.html") for p in CASES_DIR.glob("*.input.html"))
EMBED_HOSTS = ("www.youtube-nocookie.com", "player.vimeo.com")

# The cases the sanitiser was specified with; the directory may hold more, never fewer.
REQUIRED = {
    "script-tag", "onerror-attribute", "javascript-link", "style-tag", "iframe-allowed-host",
    "iframe-evil-host", "object-embed", "svg-onload", "figure-figcaption", "table",
    "codehilite", "footnotes", "details-summary", "data-url-image", "form",
}  # fmt: skip


def read_case(name: str) -> tuple[str, str]:
    source = (CASES_DIR / f"{name}.input.html").read_text(encoding="utf-8")
    expected = (CASES_DIR / f"{name}.expected.html").read_text(encoding="utf-8")
    return source, expected


def test_every_case_is_a_pair_and_none_is_missing():
    inputs = {p.name.removesuffix(".input.html") for p in CASES_DIR.glob("*.input.html")}
    outputs = {p.name.removesuffix(".expected.html") for p in CASES_DIR.glob("*.expected.html")}
    assert inputs == outputs, "every case needs both <name>.input.html and <name>.expected.html"
    assert not REQUIRED - inputs, f"missing cases: {sorted(REQUIRED - inputs)}"


@pytest.mark.parametrize("name", CASES)
def test_case(name):
    source, expected = read_case(name)
    assert sanitize_html(source, EMBED_HOSTS) == expected


@pytest.mark.parametrize("name", CASES)
def test_clean_output_is_a_fixed_point(name):
    """Feeds and previews may sanitise again; clean HTML must come back unchanged."""
    _, expected = read_case(name)
    assert sanitize_html(expected, EMBED_HOSTS) == expected


HAZARDS = re.compile(
    r"<(?:script|style|svg|math|object|embed|form|input|meta|link|base)\b"
    r"|\son[a-z]+\s*=|srcdoc|javascript:|vbscript:|data:|evil\.example",
    re.I,
)


@pytest.mark.parametrize("name", CASES)
def test_nothing_executable_survives(name):
    """A coarse second opinion on every expected file, independent of the exact markup
    (guards against a wrong expected file being accepted as golden)."""
    _, expected = read_case(name)
    assert HAZARDS.findall(expected) == []


def test_no_embed_hosts_means_no_iframes():
    source, _ = read_case("iframe-allowed-host")
    assert "<iframe" not in sanitize_html(source, ())


def test_empty_input():
    assert sanitize_html("", EMBED_HOSTS) == ""


@pytest.mark.parametrize(
    ("src", "allowed"),
    [
        ("https://www.youtube-nocookie.com/embed/x", True),
        ("https://WWW.YOUTUBE-NOCOOKIE.COM/embed/x", True),
        ("https://player.vimeo.com", True),
        ("https://player.vimeo.com?x=1", True),
        ("https://player.vimeo.com#t", True),
        ("http://player.vimeo.com/video/1", False),
        ("//player.vimeo.com/video/1", False),
        ("https://player.vimeo.com.evil.example/", False),
        ("https://evil.example/player.vimeo.com/", False),
        ("https://evil.example\\@player.vimeo.com/", False),
        ("https://u:p@player.vimeo.com/", False),
        ("https://player.vimeo.com:443/", False),
        (" https://player.vimeo.com/", False),
        ("https://player.vimeo.com/\tx", False),
        ("https://vimeo.com/", False),
        ("javascript:alert(1)//https://player.vimeo.com/", False),
    ],
)
def test_embed_allowed(src, allowed):
    assert embed_allowed(src, EMBED_HOSTS) is allowed


# --- The Pelican hook, on real content objects (no build) --------------------------------


def unhooked(cls, *args, **kwargs):
    """A content object with no plugin run on it: Pelican's signals are process-wide, and
    a site built earlier in this process leaves every plugin connected."""
    from pelican import signals

    with signals.content_object_init.muted():
        return cls(*args, **kwargs)


def make_article(content: str, summary: str | None = None, context: dict | None = None):
    from pelican.contents import Article
    from pelican.settings import DEFAULT_CONFIG

    from plugins.sanitize.hook import sanitize_content

    settings = copy.deepcopy(DEFAULT_CONFIG)
    settings.update(PATH="/site/content", SITEURL="https://chorus.test", EMBED_HOSTS=EMBED_HOSTS)
    metadata = {"title": "T", "date": datetime.datetime(2026, 11, 20)}
    if summary is not None:
        metadata["summary"] = summary
    article = unhooked(
        Article,
        content,
        metadata=metadata,
        settings=settings,
        source_path="/site/content/posts/warehouse/a.md",
        context=context if context is not None else {"localsiteurl": "https://chorus.test"},
    )
    sanitize_content(article)  # what the content_object_init signal does in a build
    return article


def test_hook_sanitises_body_and_summary():
    article = make_article(
        '<p>Body<img src="x" onerror="alert(1)"></p><script>alert(2)</script>',
        summary='<p>Sum<script>alert(3)</script> &amp; <a href="javascript:alert(4)">more</a></p>',
    )
    assert article.content == '<p>Body<img src="x"></p>'
    assert article.summary == "<p>Sum &amp; <a>more</a></p>"
    article.refresh_metadata_intersite_links()  # Pelican re-reads _summary here
    assert article.summary == "<p>Sum &amp; <a>more</a></p>"
    assert article.metadata["summary"] == "<p>Sum &amp; <a>more</a></p>"


def test_intrasite_links_still_resolve_after_sanitising():
    """Sanitising runs first; Pelican must still turn {filename}/{static} into URLs."""
    other = make_article("<p>other</p>")
    other.slug = "other"
    other.override_url = "posts/other/"
    image = type("StaticStub", (), {"url": "images/dock.jpg"})()
    context = {
        "localsiteurl": "https://chorus.test",
        "generated_content": {"posts/warehouse/other.md": other},
        "static_content": {"images/dock.jpg": image},
    }
    article = make_article(
        '<p><a href="{filename}other.md#part">o</a> <img src="{static}/images/dock.jpg" alt="d"'
        ' onerror="x()"> <a href="{tag}listening">t</a></p>',
        context=context,
    )
    assert article.content == (
        '<p><a href="https://chorus.test/posts/other/#part">o</a>'
        ' <img src="https://chorus.test/images/dock.jpg" alt="d">'
        ' <a href="https://chorus.test/tag/listening.html">t</a></p>'
    )


def test_pelican_would_turn_a_smuggled_placeholder_into_javascript():
    """Why placeholders are checked: without it, Pelican re-attaches the scheme."""
    from pelican.contents import Article
    from pelican.settings import DEFAULT_CONFIG

    hostile = '<a href="{alert(document.domain)}javascript:void(0)">x</a>'
    settings = copy.deepcopy(DEFAULT_CONFIG)
    settings.update(PATH="/site/content", SITEURL="https://chorus.test")
    raw = unhooked(Article, hostile, metadata={"title": "T"}, settings=settings, context={})
    assert 'href="javascript:{alert(document.domain)}' in raw.content  # the hazard
    assert "javascript:" not in make_article(hostile).content  # and its cure


def test_placeholder_inside_attribute_text_cannot_end_the_attribute():
    """Pelican's unescaping retry writes a raw quote back when the linked file exists."""
    from pelican.contents import Article

    other = make_article("<p>o</p>")
    other.override_url = "posts/a-b/"
    context = {
        "localsiteurl": "https://chorus.test",
        "generated_content": {"posts/warehouse/a&b.md": other},
        "static_content": {},
    }
    hostile = (
        "<p><abbr title=\"x src='{filename}a&amp;b.md?&quot;onmouseover=&quot;alert(1)'\">"
        "t</abbr></p>"
    )
    raw = unhooked(
        Article,
        hostile,
        metadata={"title": "T"},
        settings=other.settings,
        source_path="/site/content/posts/warehouse/z.md",
        context=context,
    )
    assert '"onmouseover="alert(1)' in raw.content  # the hazard, without the sanitiser
    clean = make_article(hostile, context=context).content
    assert clean == (
        '<p><abbr title="x src=&#39;{filename}a&amp;b.md?&quot;onmouseover=&quot;alert(1)&#39;">'
        "t</abbr></p>"
    )
