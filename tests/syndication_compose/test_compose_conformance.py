"""Mastodon's URL matcher against data nobody here wrote (twitter-text's conformance cases),
and the Mastodon URL fixtures through the real composer."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import regex
import yaml

from syndication.compose import compose, mastodon, urls
from tests.syndication_compose.conftest import CASES, entry_from, load

CONFORMANCE = CASES / "conformance" / "twitter_text_extract_urls.yml"
WITH_PROTOCOL = regex.compile(r"^[a-z][a-z0-9+.-]*://", regex.IGNORECASE)

# Cases where Mastodon itself differs from twitter-text, by its own overrides
# (config/initializers/twitter_regex.rb: a path is any character but white space, <>()?).
MASTODON_DIFFERS = {
    "Extract URLs with and without protocol surrounded by CJK characters": (
        "Mastodon's path runs on into CJK text (separate_urls is checked on it)"
    ),
    "Extract URLs from RTL text": (
        "U+202C/U+2069 are not white space: Mastodon's path takes them in (separate_urls)"
    ),
    "Extract URLs from RTL text with embedded directional marks": (
        "U+202C/U+2069 are not white space: Mastodon's path takes them in (separate_urls)"
    ),
}


def conformance() -> list[tuple[str, dict]]:
    tests = yaml.safe_load(CONFORMANCE.read_text(encoding="utf-8"))["tests"]
    return [(section, case) for section, cases in tests.items() for case in cases]


CONFORMANCE_CASES = conformance()


def expected_with_protocol(case: dict) -> list[tuple]:
    """Mastodon extracts with `extract_url_without_protocol: false`: bare domains are text."""
    out = []
    for item in case["expected"]:
        url = item["url"] if isinstance(item, dict) else item
        if WITH_PROTOCOL.match(url):
            out.append((url, *item["indices"]) if isinstance(item, dict) else (url,))
    return out


def test_conformance_file_is_the_url_sections():
    sections = {section for section, _ in CONFORMANCE_CASES}
    assert sections == {
        "urls",
        "urls_with_indices",
        "urls_with_directional_markers",
        "tco_urls_with_params",
    }
    assert len(CONFORMANCE_CASES) == 108


@pytest.mark.parametrize(
    ("section", "case"),
    CONFORMANCE_CASES,
    ids=[f"{section}:{case['description']}" for section, case in CONFORMANCE_CASES],
)
def test_mastodon_matcher_agrees_with_twitter_text(section, case):
    if case["description"] in MASTODON_DIFFERS:
        pytest.skip(MASTODON_DIFFERS[case["description"]])
    want = expected_with_protocol(case)
    found = urls.extract(case["text"])
    if want and len(want[0]) == 3:
        assert [(u.url, u.start, u.end) for u in found] == want
    else:
        assert [(u.url,) for u in found] == want


def test_every_skip_names_a_real_case_that_does_differ():
    by_description = {case["description"]: case for _, case in CONFORMANCE_CASES}
    for description in MASTODON_DIFFERS:
        case = by_description[description]
        got = [(u.url,) for u in urls.extract(case["text"])]
        assert got != [item[:1] for item in expected_with_protocol(case)], description


@pytest.mark.parametrize("description", sorted(MASTODON_DIFFERS))
def test_separating_gives_twitter_text_urls(description):
    """After the composer's spaces, Mastodon links exactly the URLs twitter-text sees, where
    twitter-text sees them (the spaces go after each URL, never before or inside one)."""
    case = next(c for _, c in CONFORMANCE_CASES if c["description"] == description)
    separated = urls.separate_urls(case["text"])
    want = expected_with_protocol(case)
    found = urls.extract(separated)
    if len(want[0]) == 3:
        assert [(u.url, u.start, u.end) for u in found] == want
    else:
        assert [(u.url,) for u in found] == want
    assert separated.replace(" ", "") == case["text"].replace(" ", "")


def test_separating_leaves_text_without_run_on_alone():
    for _, case in CONFORMANCE_CASES:
        if case["description"] in MASTODON_DIFFERS:
            continue
        assert urls.separate_urls(case["text"]) == case["text"], case["description"]


MASTODON_URL_FILES = sorted(CASES.glob("mastodon_url_*.yaml"))


def test_there_are_mastodon_url_cases():
    assert {p.stem for p in MASTODON_URL_FILES} >= {
        "mastodon_url_cjk",
        "mastodon_url_no_public_suffix",
        "mastodon_url_parens",
    }


@pytest.mark.parametrize("path", MASTODON_URL_FILES, ids=[p.stem for p in MASTODON_URL_FILES])
def test_mastodon_url_case(path: Path):
    case = load(path)
    entry = entry_from(case["entry"])
    composed = compose(entry, "mastodon", limits=case.get("limits"))
    want = case["expected"]
    assert composed.text == want["text"]
    assert composed.length == want["length"] == mastodon.count(composed.text)
    assert [u.url for u in urls.extract(composed.text)] == want["mastodon_urls"]
    assert entry.url in [u.url for u in urls.extract(composed.text)]


TLDS = CASES / "conformance" / "twitter_text_tlds.yml"
TLD_CASES = [
    (section, case)
    for section, cases in yaml.safe_load(TLDS.read_text(encoding="utf-8"))["tests"].items()
    for case in cases
]


def test_every_twitter_text_tld_is_a_mastodon_url():
    """Mastodon's TLD list is twitter-text's (not the Public Suffix List): all 1,574 of them."""
    assert len(TLD_CASES) == 1574
    wrong = [
        case["text"]
        for _, case in TLD_CASES
        if [u.url for u in urls.extract(case["text"])] != case["expected"]
    ]
    assert wrong == []


def test_written_out_white_space_is_unicodes():
    """The matcher spells Ruby's \\p{White_Space} out for the stdlib `re`: same set."""
    ours = re.compile(f"[{urls._WS}]")
    everything = "".join(map(chr, range(0x3100)))  # White_Space has nothing above U+3000
    assert ours.findall(everything) == regex.findall(r"\p{White_Space}", everything)
    assert not regex.search(r"\p{White_Space}", "".join(map(chr, range(0x3100, 0xD800))))


@pytest.mark.parametrize(
    ("text", "sent"),
    [
        (
            "詳しくはhttps://example.com/x/をご覧ください",
            "詳しくはhttps://example.com/x/ をご覧ください",
        ),
        ("자세한 내용은 https://example.com/x에서", "자세한 내용은 https://example.com/x 에서"),
        ("见 https://example.com/a（详情）", "见 https://example.com/a （详情）"),
        # A raw CJK path is taken as text too; a link into one is written percent-encoded.
        ("https://ja.wikipedia.org/wiki/東京", "https://ja.wikipedia.org/wiki/ 東京"),
        ("https://ja.wikipedia.org/wiki/%E6%9D%B1%E4%BA%AC", None),
        ("https://日本語.jp/ と https://example.com/ です", None),
        ("http://localhost:8000/をご覧", None),  # not a URL to Mastodon: nothing to separate
    ],
)
def test_separating_decisions(text, sent):
    assert urls.separate_urls(text) == (text if sent is None else sent)
