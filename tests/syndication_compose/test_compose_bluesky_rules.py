"""Bluesky's own rules, through the real composer: tag facets within 64 graphemes, a URL
where atproto's detection ends it (balanced parentheses kept, CJK after it not URL),
link cards cut to the registry's bounds; and atproto's detection test cases."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from syndication.compose import compose, richtext
from syndication.compose.text import grapheme_len
from syndication.registry import spec
from tests.syndication_compose.conftest import CASES, entry_from, load

ATPROTO = yaml.safe_load(
    (CASES / "conformance" / "atproto" / "rich-text-detection.yaml").read_text(encoding="utf-8")
)
LIMITS = spec("bluesky").limits


def _composed(name: str):
    case = load(CASES / f"{name}.yaml")
    return compose(entry_from(case["entry"]), "bluesky", limits=case.get("limits")), case


def _facet_texts(composed) -> list[tuple[str, str, str]]:
    raw = composed.text.encode()
    return [(f.kind, raw[f.byte_start : f.byte_end].decode(), f.value) for f in composed.facets]


def test_no_tag_past_the_limit_is_sent_and_every_facet_covers_what_it_names():
    composed, _ = _composed("bluesky_long_hashtags")
    assert "Warehouses" not in composed.text  # the over-long front-matter tag is not sent
    for kind, covered, value in _facet_texts(composed):
        if kind == "tag":
            assert covered == f"#{value}"
            assert grapheme_len(value) <= LIMITS["max_tag_graphemes"]
        else:
            assert covered == value
    tags = [value for kind, _, value in _facet_texts(composed) if kind == "tag"]
    assert "thisisa65characterstring_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab" not in tags
    assert "#thisisa65characterstring_" in composed.text  # the author's words stay


def test_balanced_parentheses_belong_to_the_url():
    composed, _ = _composed("bluesky_url_parens")
    links = [value for kind, _, value in _facet_texts(composed) if kind == "link"]
    assert "https://en.wikipedia.org/wiki/Primer_(film)" in links
    assert "https://alderfinch.com/films" in links  # "(see …)" keeps its own ')'


def test_a_url_ends_before_cjk_text():
    composed, _ = _composed("bluesky_url_cjk")
    links = [covered for kind, covered, _ in _facet_texts(composed) if kind == "link"]
    assert links[:2] == ["https://example.com/x/", "https://example.com/map"]


def test_card_title_and_description_are_cut_to_the_registry_bounds():
    composed, case = _composed("bluesky_card_cut")
    assert grapheme_len(case["entry"]["title"]) > LIMITS["card_title"]
    assert grapheme_len(case["entry"]["summary"]) > LIMITS["card_description"]
    assert grapheme_len(composed.card.title) <= LIMITS["card_title"]
    assert grapheme_len(composed.card.description) <= LIMITS["card_description"]
    assert composed.card.title.endswith("very…")  # cut at a word, with the ellipsis
    assert composed.card.description.endswith("…")


def _ids(cases: list[dict]) -> list[str]:
    return [repr(c["text"])[:60] for c in cases]


def _skip(case: dict) -> None:
    if "skip" in case:
        pytest.skip(case["skip"])


@pytest.mark.parametrize("case", ATPROTO["links"], ids=_ids(ATPROTO["links"]))
def test_atproto_link_detection(case):
    _skip(case)
    got = [
        {"text": case["text"][s.start : s.end], "uri": s.value}
        for s in richtext.links(case["text"])
    ]
    assert got == case["links"]


@pytest.mark.parametrize("case", ATPROTO["tags"], ids=_ids(ATPROTO["tags"]))
def test_atproto_tag_detection(case):
    _skip(case)
    text = case["text"]
    spans = richtext.detect(text)
    assert [s.value for s in spans if s.kind == "tag"] == case["tags"]
    indices = [[len(text[: s.start].encode()), len(text[: s.end].encode())] for s in spans]
    assert indices == case["indices"]


def test_the_conformance_file_records_its_commit():
    readme = Path(CASES / "conformance" / "atproto" / "README.md").read_text(encoding="utf-8")
    assert ATPROTO["commit"] in readme
    skipped = [c for c in ATPROTO["links"] + ATPROTO["tags"] if "skip" in c]
    assert len(skipped) < len(ATPROTO["links"]) // 3  # most cases are ours to meet
