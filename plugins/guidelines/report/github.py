"""`--format github`: GitHub Actions workflow commands, one annotation per finding.

GitHub reads `::error file=…,line=…::message` from a step's output and pins it on the
pull request's diff. Escaping follows the runner's own (actions/toolkit command.ts): in the
message `%`, CR and LF are percent-encoded; in property values `:` and `,` are too, or a
title containing a comma would end the property early and forge another one.
"""

from __future__ import annotations

from pathlib import Path

from core.paths import shown_path
from core.urls import rule_url
from plugins.guidelines.model import Finding, LintReport
from plugins.guidelines.report import counts

COMMANDS = {"error": "error", "warning": "warning", "suggestion": "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(finding: Finding, *, siteurl: str = "", root: Path | None = None) -> str:
    props = {
        "file": shown_path(finding.path, root),
        "line": str(finding.line),
        "col": str(finding.column),
    }
    if finding.end_line:
        props["endLine"] = str(finding.end_line)
    if finding.end_column and (finding.end_line in (None, finding.line)):
        props["endColumn"] = str(finding.end_column)  # GitHub ignores it across lines
    section = finding.section_title or finding.section
    props["title"] = f"{finding.rule_id} ({section})" if section else finding.rule_id
    message = finding.message
    if finding.suggestion:
        message += f" Suggested: {finding.suggestion}"
    if siteurl:
        message += f"\nSee {rule_url(siteurl, finding.rule_id)}"
    head = ",".join(f"{key}={escape_property(value)}" for key, value in props.items())
    return f"::{COMMANDS.get(finding.level, 'warning')} {head}::{escape_data(message)}"


def render(
    report: LintReport, *, guidelines=None, siteurl: str = "", root: Path | None = None
) -> str:
    lines = [annotation(f, siteurl=siteurl, root=root) for f in sorted(report.findings)]
    total = counts(report.findings)
    lines.append(
        f"chorus lint: {total['error']} error(s), {total['warning']} warning(s),"
        f" {total['suggestion']} suggestion(s) in {report.files} file(s)"
    )
    return "\n".join(lines) + "\n"
