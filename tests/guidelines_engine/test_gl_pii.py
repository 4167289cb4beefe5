"""Phone numbers and email addresses: the detection corpus (tests/fixtures/detection/pii/)
through the real `pii` rule of content/guidelines.yaml, its options, and every place in a
post the rule reads."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from bench.detection_pii import flags, pii_rule, run, totals
from plugins.guidelines.cli import main
from plugins.guidelines.kinds import KINDS
from plugins.guidelines.model import OptionError

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "content"
HEAD = "---\ntitle: Contact\ndate: 2026-11-21 10:00\nauthor: maria.lopez\ntags: [x]\n---\n"


@pytest.fixture(scope="module")
def rule():
    return pii_rule()


def test_corpus_recall_and_false_positives(rule):
    scores = run(rule, show=False)
    recall, fp = totals(scores)
    assert recall >= 0.95 and fp <= 0.03, (recall, fp)
    for score in scores:
        if score.positive:
            assert score.rate >= 0.9, (score.category, score.misses)  # each; 95% overall
        else:
            assert score.rate <= 0.03, (score.category, score.misses)


@pytest.mark.parametrize(
    "text",
    ["Call +31 10 555 0100.", "Call 010 555 0100.", "Call 0031 10 5550100.",
     "Mail PRESS@alderfinch.example.", "Mail someone@lists.example.org."],
)  # fmt: skip
def test_the_organizations_own_contact_details_are_allowed(rule, text):
    assert not flags(rule, text)


def test_a_colleagues_number_next_to_the_allowed_one_is_still_found(rule):
    assert flags(rule, "Call +31 10 555 0100 or Jan on 06 12345678.")


def _with(rule, **options):
    other = copy.copy(rule)
    other.options = {**rule.options, **options}
    other.compiled = KINDS["pii"].prepare(other)
    return other


def test_other_regions_are_what_the_rule_names(rule):
    home_only = _with(rule, regions=[])
    assert flags(rule, "Call (415) 555-0132.") and not flags(home_only, "Call (415) 555-0132.")
    assert flags(home_only, "Call +1 415 555 0132.")  # written with +: any region reads it


@pytest.mark.parametrize(
    ("options", "key"),
    [({"region": "XX"}, "region"), ({"regions": ["NL", "Mars"]}, "regions"),
     ({"allow": ["not a number"]}, "allow"), ({"detect": ["fax"]}, "detect")],
)  # fmt: skip
def test_bad_options_name_the_option(rule, options, key):
    with pytest.raises(OptionError) as error:
        _with(rule, **options)
    assert error.value.key == key


@pytest.mark.parametrize(
    "post",
    [HEAD.replace("title: Contact", "title: Call 06 12345678") + "Body.\n",
     HEAD + "Text:\n\n```\nphone = '+44 20 7946 0958'\n```\n",
     HEAD + "Run `notify --to jan.jansen@gmail.com` now.\n",
     HEAD + "[Call me](tel:+31612345678)\n",
     HEAD + "[Mail me](mailto:jan.jansen@gmail.com)\n",
     HEAD + "![Jan, 06 12345678](/images/logo.svg)\n",
     HEAD + "<!-- ask (415) 555-0132 -->\n"],
    ids=["front-matter", "code-block", "inline-code", "tel-url", "mailto", "alt", "comment"],
)  # fmt: skip
def test_found_everywhere_in_the_post(post, tmp_path, capsys):
    path = tmp_path / "posts" / "hr" / "contact.md"
    path.parent.mkdir(parents=True)
    path.write_text(post, encoding="utf-8")
    code = main(["lint", str(path), "--content", str(DEMO), "--format", "json"])
    out = capsys.readouterr().out
    assert code == 1 and "privacy.personal-data" in out
