"""Guideline advice a new author can trust, on the demo guidelines (content/guidelines.yaml):
superlatives found by pattern in title, summary and body; an absolute claim rewritten only
when the rewrite is mechanical, and never flagged where a right is guaranteed; hashtags
split into words only when the words are real; image paths get image advice."""

from __future__ import annotations

from pathlib import Path

import pytest

from plugins.guidelines.engine import lint_files

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "quality"
DEMO = ROOT / "content"


@pytest.fixture(scope="module")
def guidelines():
    from plugins.guidelines.config import load_guidelines

    return load_guidelines(DEMO / "guidelines.yaml")


def findings(name: str, guidelines, tmp_path, rule: str):
    post = tmp_path / "posts" / "hr" / name
    post.parent.mkdir(parents=True, exist_ok=True)
    post.write_text((FIXTURES / name).read_text(encoding="utf-8"), encoding="utf-8")
    report = lint_files([post], guidelines, content_root=DEMO)
    return [f for f in report.findings if f.rule_id == rule]


def test_superlatives_by_pattern_in_title_summary_and_body(guidelines, tmp_path):
    found = findings("superlatives.md", guidelines, tmp_path, "claims.superlative")
    matched = [f.message[1:].split("' is a superlative")[0] for f in found]
    assert matched == [
        "The best pruners in the world",
        "the best ever",
        "second to none",
        "number one",
        "unbeatable",
        "world's best",
    ]
    assert [f.line for f in found] == [2, 6, 6, 8, 8, 8]
    assert all("consider" in f.message and f.suggestion is None for f in found)


def test_ordinary_uses_of_best_and_number_are_not_superlatives(guidelines, tmp_path):
    assert findings("superlatives-fine.md", guidelines, tmp_path, "claims.superlative") == []


def test_a_guaranteed_right_is_not_an_absolute_claim(guidelines, tmp_path):
    assert findings("guaranteed-leave.md", guidelines, tmp_path, "claims.absolute") == []


def test_mechanical_rewrite_is_a_suggestion_and_the_rest_is_advice(guidelines, tmp_path):
    found = findings("guaranteed-claim.md", guidelines, tmp_path, "claims.absolute")
    assert [(f.line, f.suggestion) for f in found] == [(7, "designed to"), (7, None)]
    assert "Write 'designed to' instead" in found[0].message
    assert "consider saying what we actually do" in found[1].message
    assert "designed to' instead" not in found[1].message
    assert found[0].suggestion_note == ""  # the message already says it: not twice


def test_hashtag_advice_splits_real_words_and_does_not_guess(guidelines, tmp_path):
    found = findings("hashtags.md", guidelines, tmp_path, "hashtags.camel-case")
    assert [f.suggestion for f in found] == ["#ParentalLeave", "#Rotterdam", None]


def test_a_missing_image_gets_image_advice_and_a_missing_post_post_advice(guidelines, tmp_path):
    found = findings("image-path.md", guidelines, tmp_path, "links.internal")
    assert len(found) == 2
    image, post = found
    assert "{static}/images/" in image.message and "{filename}" not in image.message
    assert "{filename}/posts/" in post.message
