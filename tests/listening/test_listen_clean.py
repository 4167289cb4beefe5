"""The strict policy for external HTML (clean.py)."""

from __future__ import annotations

import pytest

from plugins.listening.clean import MAX_SUMMARY_CHARS, clean_summary, clean_title, safe_url


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", " JaVaScRiPt:alert(1)", "data:text/html,x", "/relative", "//x.test/a",
     "file:///etc/passwd", "https://", "https://a.test/\nx", "mailto:a@b.test", None, ""],
)  # fmt: skip
def test_unsafe_urls_are_not_links(url):
    assert safe_url(url) is None


def test_https_url_is_kept():
    assert safe_url(" https://a.test/x?y=1 ") == "https://a.test/x?y=1"


def test_images_and_frames_go_links_get_rel():
    out = clean_summary(
        '<p>Hi <img src="https://a.test/i.png"> <iframe src="https://a.test/"></iframe>'
        '<a href="https://a.test/" target="_blank" id="main">a</a></p>'
    )
    assert out == (
        '<p>Hi  <a href="https://a.test/" rel="external nofollow noopener noreferrer">a</a></p>'
    )


def test_long_summary_becomes_a_plain_text_teaser():
    out = clean_summary("<p><b>" + "word " * 1000 + "</b></p>")
    assert out.startswith("<p>word word") and out.endswith("…</p>")
    assert "<b>" not in out
    assert len(out) <= MAX_SUMMARY_CHARS + len("<p></p>")


def test_title_is_plain_text():
    assert clean_title("A <b>bold</b>\n claim &amp; more") == "A bold claim & more"
    assert clean_title("<script>x()</script>Real") == "Real"
