"""The development loop and what it must never change in the published site.

The development build links relatively so it works on whatever address serves it; the
publish and intranet builds stay absolute. All three carry one strict policy: no origin
named, no inline script, no eval. The live reload runs under it (the browser tests in
tests/test_browser.py show the reload itself).
"""

from __future__ import annotations

import re

import pytest

from chorus.build import load_settings
from chorus.devserver import CLIENT_TAG, _InjectClient
from plugins.social.meta import content_security_policy
from tests.conftest import ROOT, TEST_SITEURL

EMBEDS = (
    "https://www.youtube-nocookie.com https://player.vimeo.com https://video.alderfinch.example"
)
STRICT_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    f"frame-src {EMBEDS}; base-uri 'self'; form-action 'self'; object-src 'none'"
)
"""Written out by hand: a change to the published site's policy must change this test."""


def settings(name: str) -> dict:
    return load_settings(ROOT / name, {"SITEURL": TEST_SITEURL})


@pytest.mark.parametrize("conf", ["pelicanconf.py", "publishconf.py", "internalconf.py"])
def test_every_build_has_the_strict_policy(conf):
    assert content_security_policy(settings(conf)) == STRICT_POLICY


def test_only_the_development_build_links_relatively():
    assert settings("pelicanconf.py")["RELATIVE_URLS"] is True
    assert settings("publishconf.py")["RELATIVE_URLS"] is False
    assert settings("internalconf.py")["RELATIVE_URLS"] is False


def test_the_reload_client_is_a_same_origin_file_not_inline_code():
    """What the dev server adds before </head>: a src on our own host and nothing to run
    inline, which `script-src 'self'` would refuse."""
    assert re.fullmatch(rb'<script src="/[^"]+"></script>', CLIENT_TAG)
    inject = _InjectClient.__new__(_InjectClient)  # the transform needs no request here
    page = b"<html><head><title>x</title></head><body></body></html>"
    headers = {"Content-Type": "text/html; charset=UTF-8", "Content-Length": str(len(page))}
    _, headers, out = inject.transform_first_chunk(200, headers, page, True)
    assert out == page.replace(b"</head>", CLIENT_TAG + b"</head>")
    assert int(headers["Content-Length"]) == len(out)


@pytest.mark.integration
def test_published_pages_carry_the_strict_policy_and_absolute_links(published_site):
    pages = sorted(p for p in published_site.rglob("*.html") if p.name != "signature.html")
    assert len(pages) > 10
    for path in pages:
        html = path.read_text(encoding="utf-8")
        rel = path.relative_to(published_site)
        policies = re.findall(r'http-equiv="Content-Security-Policy" content="([^"]*)"', html)
        assert [p.replace("&#39;", "'") for p in policies] == [STRICT_POLICY], rel
        assert f'href="{TEST_SITEURL}/theme/css/chorus.css"' in html, rel
        assert "livereload" not in html, rel


@pytest.mark.integration
def test_development_pages_link_relatively_but_name_the_site_where_they_must(demo_site):
    """Stylesheet and menu relative (any address works); canonical and og:url absolute."""
    html = (demo_site / "posts" / "what-contractors-tell-us" / "index.html").read_text()
    assert 'href="../../theme/css/chorus.css"' in html
    assert 'href="../../people/"' in html
    assert f'<link rel="canonical" href="{TEST_SITEURL}/posts/what-contractors-tell-us/">' in html
    url = f'<meta property="og:url" content="{TEST_SITEURL}/posts/what-contractors-tell-us/">'
    assert url in html
    assert "livereload" not in html  # only the dev server adds the client, never the build
    feed = (demo_site / "feeds" / "all.atom.xml").read_text()
    assert f'href="{TEST_SITEURL}/feeds/all.atom.xml"' in feed  # feeds stay absolute
