"""Loading guidelines: the default file is valid and complete; every bad file gives exactly
one `file:line: message` line (GuidelinesError), never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from plugins.guidelines.config import load_guidelines, parse_guidelines
from plugins.guidelines.kinds import KINDS
from plugins.guidelines.model import Applies, GuidelinesError
from plugins.guidelines.page import describe_rule
from plugins.guidelines.post import Post

ROOT = Path(__file__).resolve().parents[2]
BAD = ROOT / "tests" / "fixtures" / "guidelines" / "config-bad"
EXPECTED_BAD: dict[str, str] = yaml.safe_load((BAD / "expected.yaml").read_text())


@pytest.mark.parametrize("name", sorted(EXPECTED_BAD))
def test_bad_guidelines_file_gives_one_located_line(name):
    with pytest.raises(GuidelinesError) as caught:
        load_guidelines(Path("tests/fixtures/guidelines/config-bad") / name)
    assert caught.value.format() == EXPECTED_BAD[name]
    assert "\n" not in caught.value.format()


def test_every_bad_fixture_is_listed():
    assert sorted(p.name for p in BAD.glob("*.yaml") if p.name != "expected.yaml") == sorted(
        EXPECTED_BAD
    )


def test_missing_guidelines_file():
    with pytest.raises(GuidelinesError) as caught:
        load_guidelines(Path("no/such/guidelines.yaml"))
    assert caught.value.format() == "no/such/guidelines.yaml: no guidelines file here"


def test_default_guidelines_cover_every_kind_and_topic():
    guidelines = load_guidelines(ROOT / "content" / "guidelines.yaml")
    assert guidelines.version and guidelines.updated
    assert guidelines.changelog[0].version == guidelines.version
    assert {rule.kind for rule in guidelines.rules} == set(KINDS)
    sections = {s.id for s in guidelines.sections}
    topics = "disclosure confidentiality customers competitors claims privacy secrets hashtags"
    assert {*topics.split(), "images", "links", "readability", "approval"} <= sections
    for rule in guidelines.rules:
        assert guidelines.rule(rule.id) is rule
        assert describe_rule(rule).startswith(rule.level.capitalize() + ": ")
        assert rule.section_title and rule.message


def test_describe_reads_as_plain_language():
    guidelines = load_guidelines(ROOT / "content" / "guidelines.yaml")
    assert describe_rule(guidelines.rule("claims.absolute")).startswith(
        "Error: say 'designed to' instead of 'guaranteed to', instead of 'guaranteed',"
        " consider saying what we actually do"
    )
    assert "camille.bernard" in describe_rule(guidelines.rule("approval.finance"))


def test_applies_matches_departments_tags_and_authors():
    post = Post("p.md", "", {"author": "kwame.mensah", "tags": ["Pricing", "dealers"]}, {}, 1, 3,
                "sales", "p")  # fmt: skip
    assert Applies().matches(post)
    assert Applies(departments=("sales",), tags=("pricing",)).matches(post)
    assert not Applies(departments=("finance",)).matches(post)
    assert not Applies(tags=("results",)).matches(post)
    assert Applies(authors=("kwame.mensah",)).matches(post)


def _one_rule(body: str) -> str:
    return "version: '1'\nsections:\n  - id: s\n    title: S\n    rules:\n" + body


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("      - kind: existence\n        level: error\n        message: m\n        terms: [x]\n",
         "g.yaml:6: a rule needs 'id'"),
        ("      - id: a.b\n        kind: existence\n        level: error\n        message: m\n"
         "        applies: {scopes: [footer]}\n        terms: [x]\n",
         "g.yaml:10: rule 'a.b': unknown scope 'footer' (known: body, title, summary, image_alt, "
         "syndication_text)"),
        ("      - id: a.b\n        kind: approval\n        level: error\n        message: m\n"
         "        approvers: []\n",
         "g.yaml:10: rule 'a.b': 'approvers' lists the handles who may approve"),
        ("      - id: A B\n        kind: existence\n        level: error\n        message: m\n",
         "g.yaml:6: rule 'A B': an id uses a-z, 0-9, '.' and '-' (like claims.absolute)"),
    ],
)  # fmt: skip
def test_more_mistakes_are_located(body, expected):
    with pytest.raises(GuidelinesError) as caught:
        parse_guidelines("g.yaml", _one_rule(body))
    assert caught.value.format() == expected
