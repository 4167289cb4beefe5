"""The fixture corpus: every post in tests/fixtures/guidelines/posts/ against the frozen
guidelines beside it, each finding's exact rule id, level, line and column as listed in
expected.yaml (and nothing more), good posts giving none."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from plugins.guidelines.engine import lint_files
from plugins.guidelines.model import LEVELS

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "guidelines"

EXPECTED: dict[str, list[str]] = yaml.safe_load((FIXTURES / "expected.yaml").read_text())
POSTS = sorted(p.relative_to(FIXTURES).as_posix() for p in (FIXTURES / "posts").rglob("*.md"))


@pytest.fixture(scope="module")
def report(fixture_guidelines):
    paths = [FIXTURES / p for p in POSTS]
    return lint_files(paths, fixture_guidelines, content_root=FIXTURES, workers=1)


def _found(report, rel: str) -> list[str]:
    shown = (FIXTURES / rel).relative_to(ROOT).as_posix()
    return sorted(
        f"{f.rule_id} {f.level} {f.line}:{f.column}" for f in report.findings if f.path == shown
    )


def test_corpus_is_large_enough_and_fully_listed():
    assert len(POSTS) >= 40
    assert sorted(k for k in EXPECTED if k.startswith("posts/")) == POSTS
    good = [p for p in POSTS if EXPECTED[p] == []]
    assert len(good) >= 10 and len(POSTS) - len(good) >= 30


@pytest.mark.parametrize("rel", sorted(EXPECTED))
def test_findings_match_expected(report, rel):
    assert _found(report, rel) == sorted(EXPECTED[rel] or [])


def test_every_rule_kind_is_exercised_by_a_bad_post(report, fixture_guidelines):
    kinds_hit = {fixture_guidelines.rule(f.rule_id).kind for f in report.findings
                 if fixture_guidelines.rule(f.rule_id)}  # fmt: skip
    all_kinds = {rule.kind for rule in fixture_guidelines.rules}
    assert kinds_hit == all_kinds


def test_findings_carry_section_and_plain_message(report, fixture_guidelines):
    for f in report.findings:
        assert f.level in LEVELS
        assert f.message and "\n" not in f.message
        rule = fixture_guidelines.rule(f.rule_id)
        if rule is not None:
            assert (f.section, f.section_title) == (rule.section_id, rule.section_title)
        else:
            assert f.rule_id.startswith("lint.") and f.section == "lint"


def test_substitution_gives_the_suggestion(report):
    claims = [f for f in report.findings if f.rule_id == "claims.absolute"
              and f.path.endswith("bad-claims.md")]  # fmt: skip
    assert [f.suggestion for f in claims] == ["designed to", "low-risk", "low-risk"]
    assert "'guaranteed'" in claims[0].message and "designed to" in claims[0].message
    assert (claims[0].end_line, claims[0].end_column) == (13, 26)


def test_secret_values_never_appear_in_messages(report):
    text = (FIXTURES / "posts/it/bad-secrets.md").read_text()
    secrets = ["AKIA2OGYBAH6STMMNXNN", "ghp_Xq8kT2mWv9Lr4Bn7Yc3Hd6Jf1Gs5Pz0Ua2Ke", "hunter2"]
    assert all(s in text for s in secrets)
    messages = " ".join(f.message for f in report.findings if f.rule_id == "secrets.credentials")
    assert messages and not any(s in messages for s in secrets)


def test_switches_in_effect_are_reported(report):
    switches = {(Path(s.path).name, s.rule_id, s.line, s.end_line) for s in report.switches}
    assert switches == {
        ("good-switch.md", "confidentiality.codenames", 13, 17),
        ("good-switch-unclosed.md", "claims.absolute", 13, None),
    }
    reasons = {s.reason for s in report.switches}
    assert "quoting the 1970 catalogue, which we no longer say" in reasons


def test_statuses_include_drafts(report):
    statuses = {Path(p).name: s for p, s in report.statuses.items()}
    assert statuses["good-draft.md"] == "draft"
    assert statuses["good-plain.md"] == "published"
    assert "bad-frontmatter.md" not in statuses  # unreadable: only its lint.post finding
    assert report.files == len(POSTS)


def test_stale_approval_says_when_it_was_approved(report):
    [stale] = [f for f in report.findings if f.path.endswith("bad-approval-stale.md")]
    assert "camille.bernard approved it on 19 November 2026 at 14:30 UTC" in stale.message
    assert "changed since" in stale.message


def test_parallel_run_gives_the_same_report(report, fixture_guidelines):
    paths = [FIXTURES / p for p in POSTS]
    parallel = lint_files(paths, fixture_guidelines, content_root=FIXTURES, workers=2)
    assert parallel.findings == report.findings
    assert parallel.switches == report.switches
    assert parallel.statuses == report.statuses
