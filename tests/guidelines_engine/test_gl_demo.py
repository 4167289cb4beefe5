"""The demo site's posts are clean under the default guidelines, and every approval record
in content/approvals/ is current, by an allowed approver who is not the author."""

from __future__ import annotations

from pathlib import Path

import yaml

from plugins.guidelines.approvals import content_hash
from plugins.guidelines.config import load_guidelines
from plugins.guidelines.engine import lint_site
from plugins.people.directory import load_directory

ROOT = Path(__file__).resolve().parents[2]


def test_demo_posts_have_no_findings():
    report = lint_site(Path("content"))
    assert report.files >= 18
    assert [f"{f.path}:{f.line}: {f.rule_id}: {f.message}" for f in report.findings] == []
    assert (
        report.statuses["content/posts/marketing/autumn-catalogue-behind-the-scenes.md"] == "draft"
    )


def test_demo_switch_is_counted():
    report = lint_site(Path("content"))
    assert [(s.path, s.rule_id) for s in report.switches] == [
        ("content/posts/it/phishing-drill-results.md", "privacy.personal-data")
    ]


def test_demo_approval_records_are_current_and_allowed():
    guidelines = load_guidelines(ROOT / "content" / "guidelines.yaml")
    people = load_directory(ROOT / "content").people
    records = sorted((ROOT / "content" / "approvals").glob("*.yaml"))
    assert len(records) >= 2
    for path in records:
        record = yaml.safe_load(path.read_text())
        post = ROOT / record["post"]
        author = yaml.safe_load(post.read_text().split("---")[1])["author"]
        rule = guidelines.rule(record["rule"])
        assert record["content_sha256"] == content_hash(post), path.name
        assert record["approver"] in rule.options["approvers"] and record["approver"] in people
        assert record["approver"] != author
