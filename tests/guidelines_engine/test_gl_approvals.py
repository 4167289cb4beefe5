"""The approval flow end to end, at the function level: a post that needs approval →
write_approval → clean → edit → stale (saying when it was approved) → re-approve → clean;
self-approval and a wrong approver refused; broken records reported, not crashed on."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from plugins.guidelines.approvals import (
    approval_rules_for,
    content_hash,
    load_approval,
    write_approval,
)
from plugins.guidelines.config import load_guidelines
from plugins.guidelines.engine import lint_files
from plugins.guidelines.model import GuidelinesError
from plugins.guidelines.post import load_post

POST = """---
title: What the half-year numbers mean
date: 2026-09-29 16:30
author: priya.raman
tags: [finance]
summary: A short guide to the three numbers that matter in the half-year figures.
---
Last week everyone received the half-year figures. Several of you asked what the numbers
mean, so here is a short guide. Revenue is what customers paid us. Gross margin is what is
left after the cost of making the tools. Cash is the money in the bank, and it is lower
than revenue suggests because early orders have spring payment terms.
"""
MOMENT = dt.datetime(2026, 9, 29, 15, 10, tzinfo=dt.UTC)


@pytest.fixture
def setup(content_copy):
    post = content_copy / "posts" / "finance" / "half-year.md"
    post.parent.mkdir(parents=True)
    post.write_text(POST)
    guidelines = load_guidelines(content_copy / "guidelines.yaml")
    return content_copy, post, guidelines


def _approval_findings(content, post, guidelines):
    report = lint_files([post], guidelines, content_root=content)
    return [f for f in report.findings if f.rule_id.startswith("approval.")]


def test_needs_approve_clean_edit_stale_reapprove(setup):
    content, post, guidelines = setup
    rules = approval_rules_for(load_post(post), guidelines)
    assert [r.id for r in rules] == ["approval.finance"]

    [missing] = _approval_findings(content, post, guidelines)
    assert (missing.rule_id, missing.level, missing.line) == ("approval.finance", "error", 1)
    assert "needs approval" in missing.message and "camille.bernard" in missing.message

    record = write_approval(content / "approvals", post, "camille.bernard", rules[0],
                            guidelines.version, now=MOMENT)  # fmt: skip
    assert record == content / "approvals" / "half-year.yaml"
    data = yaml.safe_load(record.read_text())
    assert data == {
        "post": data["post"],
        "approver": "camille.bernard",
        "approved": "2026-09-29T15:10:00+00:00",
        "guidelines_version": guidelines.version,
        "content_sha256": content_hash(post),
        "rule": "approval.finance",
    }
    assert data["post"].endswith("posts/finance/half-year.md")
    assert _approval_findings(content, post, guidelines) == []

    post.write_text(POST.replace("a short guide", "a short, friendly guide"))
    [stale] = _approval_findings(content, post, guidelines)
    assert "camille.bernard approved it on 29 September 2026 at 15:10 UTC" in stale.message
    assert "changed since" in stale.message

    write_approval(content / "approvals", post, "camille.bernard", rules[0], guidelines.version)
    assert _approval_findings(content, post, guidelines) == []


def test_self_approval_is_refused(setup):
    content, post, guidelines = setup
    rule = guidelines.rule("approval.finance")
    with pytest.raises(ValueError, match=r"priya.raman wrote this post and cannot approve it"):
        write_approval(content / "approvals", post, "priya.raman", rule, guidelines.version)
    assert not (content / "approvals" / "half-year.yaml").exists()


def test_wrong_approver_is_refused(setup):
    content, post, guidelines = setup
    rule = guidelines.rule("approval.finance")
    with pytest.raises(ValueError, match=r"kwame.mensah may not approve under approval.finance"):
        write_approval(content / "approvals", post, "kwame.mensah", rule, guidelines.version)


def test_rule_that_does_not_cover_the_post_is_refused(setup):
    content, post, guidelines = setup
    with pytest.raises(ValueError, match="does not apply to this post"):
        write_approval(content / "approvals", post, "camille.bernard",
                       guidelines.rule("approval.prices"), guidelines.version)  # fmt: skip


def test_hash_ignores_line_endings(tmp_path):
    lf, crlf = tmp_path / "lf.md", tmp_path / "crlf.md"
    lf.write_bytes(POST.encode())
    crlf.write_bytes(POST.replace("\n", "\r\n").encode())
    assert content_hash(lf) == content_hash(crlf)


def test_a_crlf_checkout_keeps_the_approval(setup):
    content, post, guidelines = setup
    write_approval(content / "approvals", post, "camille.bernard",
                   guidelines.rule("approval.finance"), guidelines.version)  # fmt: skip
    post.write_bytes(POST.replace("\n", "\r\n").encode())
    assert _approval_findings(content, post, guidelines) == []


def test_broken_record_is_one_finding_not_a_crash(setup):
    content, post, guidelines = setup
    (content / "approvals" / "half-year.yaml").write_text("approver: [camille\n")
    with pytest.raises(GuidelinesError) as caught:
        load_approval(content / "approvals", "half-year")
    assert caught.value.line == 1  # where the '[' opened, the line to fix
    assert "a list opened with '[' is not closed" in caught.value.message
    [found] = _approval_findings(content, post, guidelines)
    assert found.path.endswith("approvals/half-year.yaml") and found.line == 1


def test_record_missing_keys(setup):
    content, _, _ = setup
    (content / "approvals" / "x.yaml").write_text("approver: camille.bernard\n")
    with pytest.raises(GuidelinesError, match="lacks post, approved"):
        load_approval(content / "approvals", "x")
    assert load_approval(content / "approvals", "nothing-here") is None


def test_approver_must_exist_in_people(setup):
    content, post, _ = setup
    text = (content / "guidelines.yaml").read_text()
    old, new = "[camille.bernard, priya.raman]\n", "[camille.bernard, legal.team]\n"
    (content / "guidelines.yaml").write_text(text.replace(old, new, 1))
    guidelines = load_guidelines(content / "guidelines.yaml")
    with pytest.raises(GuidelinesError, match=r"approver 'legal\.team' has no file"):
        lint_files([post], guidelines, content_root=content)


def test_terms_trigger_approval(content_copy):
    post = content_copy / "posts" / "sales" / "offer.md"
    post.parent.mkdir(parents=True)
    post.write_text(POST.replace("priya.raman", "kwame.mensah").replace("[finance]", "[dealers]")
                    + "\nDealers get a discount before December.\n")  # fmt: skip
    guidelines = load_guidelines(content_copy / "guidelines.yaml")
    assert [r.id for r in approval_rules_for(load_post(post), guidelines)] == ["approval.prices"]
    code_only = Path(str(post).replace("offer", "code"))
    sales_post = POST.replace("[finance]", "[dealers]").replace("priya.raman", "kwame.mensah")
    code_only.write_text(sales_post + "\n`discount` in code is not a mention.\n")
    assert approval_rules_for(load_post(code_only), guidelines) == []
