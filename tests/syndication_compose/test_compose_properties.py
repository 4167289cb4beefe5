"""What must hold for every composition, checked over every fixture and over a sweep of
smaller limits: length ≤ limit, the length is what the platform would count, the link back
is whole, no grapheme cluster is ever split, Bluesky facets point at what they name."""

from __future__ import annotations

import warnings

import pytest
import regex
from atproto import client_utils

from syndication.compose import ComposeError, compose
from syndication.compose.linkedin import escape as linkedin_escape
from tests.syndication_compose.conftest import case_files, entry_from, load

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from twitter_text import parse_tweet
    from twitter_text.extract_urls import extract_urls_with_indices

CASES = [p for p in case_files() if "error" not in load(p)]
EMOJI = regex.compile(r"\p{Extended_Pictographic}|\p{Regional_Indicator}")


def clusters(text: str) -> list[str]:
    return regex.findall(r"\X", text)


def platform_count(platform: str, text: str, limits: dict) -> int:
    """Each platform's rule, written out again from its documentation."""
    if platform == "x":
        options = {"max_weighted_tweet_length": limits["max_characters"]}
        return parse_tweet(text, {**_x_defaults(), **options}).weightedLength
    if platform == "mastodon":
        # URLs as twitter-text (its JS port, not our matcher) finds them, with a protocol:
        # the texts we send have no run-on into CJK, where Mastodon's wider path differs.
        url_length = limits.get("url_length", 23)
        for found in reversed(extract_urls_with_indices(text, False)):
            start, end = found["indices"]
            text = text[:start] + "\ue010" + text[end:]
        total = 0
        for token in regex.split(r"(\s+)", text):
            if "\ue010" in token:
                total += token.count("\ue010") * url_length + len(
                    clusters(token.replace("\ue010", ""))
                )
            elif mention := regex.match(r"@(\w+)@[\w.-]+\w", token):
                total += 1 + len(clusters(mention[1])) + len(clusters(token[mention.end() :]))
            else:
                total += len(clusters(token))
        return total
    if platform == "bluesky":
        return len(clusters(text))
    if platform == "threads":
        return sum(len(c.encode()) if EMOJI.search(c) else 1 for c in clusters(text))
    if platform == "internal":
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return len(text.encode("utf-16-le")) // 2  # linkedin, facebook, internal


def _x_defaults() -> dict:
    from twitter_text.config import config

    return config["defaults"]


def sweep(path):
    """The fixture at its own limit, then at ~25 smaller limits down to a tiny one."""
    case = load(path)
    entry = entry_from(case["entry"])
    platform, templates = case["platform"], case.get("templates")
    base = dict(case.get("limits") or {})
    natural = compose(
        entry, platform, templates=templates, limits={**base, "max_characters": 10**6}
    )
    top = min(natural.length + 5, base.get("max_characters", natural.length + 5))
    step = max(1, top // 25)
    for limit in [None, *range(top, 15, -step)]:
        limits = base if limit is None else {**base, "max_characters": limit}
        yield case, entry, limits, natural


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_every_composition_fits_and_counts_right(path):
    checked = 0
    for case, entry, limits, natural in sweep(path):
        platform = case["platform"]
        try:
            composed = compose(entry, platform, templates=case.get("templates"), limits=limits)
        except ComposeError as exc:
            assert "link back alone" in str(exc) and "\n" not in str(exc)
            continue
        checked += 1
        assert composed.length <= composed.limit
        full_limits = {"url_length": 23, "max_characters": composed.limit, **limits}
        assert composed.length == platform_count(platform, composed.text, full_limits)
        link = linkedin_escape(entry.url) if platform == "linkedin" else entry.url
        assert link in composed.text
        allowed = set(clusters(natural.text)) | {"…", " ", "\n"}
        assert set(clusters(composed.text)) <= allowed, "a grapheme cluster was split"
        if "…" in composed.text and "…" not in natural.text:
            assert composed.truncated
        if not composed.truncated and composed.hashtags == natural.hashtags:
            assert composed.text == natural.text
        if platform == "bluesky":
            assert len(composed.text.encode()) <= 3000
            assert_facets_match_sdk(composed)
    assert checked >= 1


def assert_facets_match_sdk(composed) -> None:
    """Rebuild the text with the atproto SDK's TextBuilder from our facets: the SDK's own
    byte offsets must be ours, and every facet must cover exactly what it names."""
    raw = composed.text.encode()
    builder = client_utils.TextBuilder()
    at = 0
    for facet in composed.facets:
        covered = raw[facet.byte_start : facet.byte_end].decode()
        if facet.kind == "link":
            assert covered == facet.value
        else:
            assert covered in (f"#{facet.value}", f"＃{facet.value}")
        builder.text(raw[at : facet.byte_start].decode())
        if facet.kind == "link":
            builder.link(covered, facet.value)
        else:
            builder.tag(covered, facet.value)
        at = facet.byte_end
    builder.text(raw[at:].decode())
    assert builder.build_text() == composed.text
    sdk = [(f.index.byte_start, f.index.byte_end) for f in builder.build_facets()]
    assert sdk == [(f.byte_start, f.byte_end) for f in composed.facets]
