"""`--format json`: the report as one JSON document, for scripts and editors.

Field names are the Finding's own (model.py), so a consumer learns one vocabulary; each
finding also carries the `url` of its rule on the Guidelines page.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

from core.paths import shown_path
from core.urls import rule_url
from plugins.guidelines.model import LintReport
from plugins.guidelines.report import counts

SCHEMA_VERSION = 1  # bump when a field changes meaning; adding fields keeps it


def render(
    report: LintReport, *, guidelines=None, siteurl: str = "", root: Path | None = None
) -> str:
    findings = []
    for finding in sorted(report.findings):
        item = finding.to_dict()
        item["path"] = shown_path(finding.path, root)
        item["url"] = rule_url(siteurl, finding.rule_id) if siteurl else ""
        findings.append(item)
    document = {
        "format": "chorus-lint",
        "format_version": SCHEMA_VERSION,
        "guidelines_version": report.guidelines_version,
        "files": report.files,
        "summary": counts(report.findings),
        "exit_code": report.exit_code,
        "findings": findings,
        "switches": [{**asdict(s), "path": shown_path(s.path, root)} for s in report.switches],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
