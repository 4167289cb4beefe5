"""The approval flow end to end, through the command line as an approver uses it:
needs approval → approve → clean → edit → stale → re-approve; the author and a person who
is not an approver are refused and nothing is written for them."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from tests.conftest import FIXTURES, ROOT

SITE = FIXTURES / "guidelines_tools" / "site"
POST = "content/posts/finance/half-year.md"
RECORD = "content/approvals/half-year.yaml"


def cli(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "plugins.guidelines", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )


def approval_findings(cwd: Path) -> tuple[int, list[dict]]:
    done = cli(cwd, "lint", POST, "--format", "json")
    doc = json.loads(done.stdout)
    return done.returncode, [f for f in doc["findings"] if f["rule_id"] == "approval.finance"]


def test_approval_flow(tmp_path):
    shutil.copytree(SITE, tmp_path / "content")
    post = tmp_path / POST
    record = tmp_path / RECORD

    code, found = approval_findings(tmp_path)
    assert code == 1
    assert [(f["level"], f["line"]) for f in found] == [("error", 1)]
    assert "needs approval" in found[0]["message"]

    # the author cannot approve their own post
    done = cli(tmp_path, "approve", POST, "--by", "priya.raman")
    assert done.returncode == 1
    assert "priya.raman wrote this post and cannot approve it" in done.stderr
    assert not record.exists()

    # someone who is not an approver for this rule cannot either
    done = cli(tmp_path, "approve", POST, "--by", "maria.lopez")
    assert done.returncode == 1
    assert "maria.lopez may not approve under approval.finance" in done.stderr
    assert not record.exists()

    done = cli(tmp_path, "approve", POST, "--by", "camille.bernard")
    assert done.returncode == 0, done.stderr
    assert RECORD in done.stdout
    data = yaml.safe_load(record.read_text(encoding="utf-8"))
    assert data["approver"] == "camille.bernard"
    assert data["post"] == POST
    assert data["guidelines_version"] == "1.2"
    assert data["rule"] == "approval.finance"
    assert data["content_sha256"] == hashlib.sha256(post.read_bytes()).hexdigest()

    assert approval_findings(tmp_path) == (0, [])

    post.write_text(post.read_text(encoding="utf-8") + "\nAnd costs fell.\n", encoding="utf-8")
    code, found = approval_findings(tmp_path)
    assert code == 1 and len(found) == 1
    assert "camille.bernard approved it on" in found[0]["message"]
    assert "changed since" in found[0]["message"]

    done = cli(tmp_path, "approve", POST, "--by", "camille.bernard")
    assert done.returncode == 0, done.stderr
    assert approval_findings(tmp_path) == (0, [])


def test_a_post_no_rule_covers_needs_no_approval(tmp_path):
    shutil.copytree(SITE, tmp_path / "content")
    clean = "content/posts/warehouse/clean-post.md"
    done = cli(tmp_path, "approve", clean, "--by", "camille.bernard")
    assert done.returncode == 0
    assert "nothing to approve" in done.stdout
    assert not (tmp_path / "content" / "approvals").exists()


def test_approving_a_missing_post_is_a_usage_error(tmp_path):
    shutil.copytree(SITE, tmp_path / "content")
    done = cli(tmp_path, "approve", "content/posts/finance/nope.md", "--by", "camille.bernard")
    assert done.returncode == 2
    assert done.stderr.strip() == "error: content/posts/finance/nope.md: no such post"
