"""Each fixture file is one case: an entry, a platform (and maybe limits or templates), and
either the exact composed result or the one-line error expected."""

from __future__ import annotations

import pytest

from syndication.compose import ComposeError, TemplateProblem, compose
from tests.syndication_compose.conftest import case_files, entry_from, load

FILES = case_files()


def test_there_is_a_case_per_platform():
    platforms = {load(path)["platform"] for path in FILES}
    assert platforms == {"mastodon", "bluesky", "x", "linkedin", "facebook", "threads", "internal"}


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_case(path):
    case = load(path)
    entry = entry_from(case["entry"])
    call = lambda: compose(  # noqa: E731
        entry, case["platform"], templates=case.get("templates"), limits=case.get("limits")
    )
    if "error" in case:
        with pytest.raises((ComposeError, TemplateProblem)) as caught:
            call()
        message = str(caught.value)
        assert case["error"] in message
        assert "\n" not in message and "Traceback" not in message
        return
    composed = call()
    want = case["expected"]
    assert composed.text == want["text"]
    assert composed.length == want["length"]
    assert composed.limit == want["limit"]
    assert composed.truncated == want["truncated"]
    assert list(composed.hashtags) == want["hashtags"]
    assert composed.link == entry.url
    if "facets" in want:
        got = [
            {"byte_start": f.byte_start, "byte_end": f.byte_end, "kind": f.kind, "value": f.value}
            for f in composed.facets
        ]
        assert got == want["facets"]
    if "card" in want:
        card = composed.card
        assert card is not None
        assert {
            "url": card.url,
            "title": card.title,
            "description": card.description,
            "image_url": card.image_url,
        } == want["card"]
