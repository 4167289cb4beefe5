"""Lint findings as text for people (human), programs (json), code scanning (sarif) and
GitHub Actions annotations (github).

Every formatter takes the same inputs and returns a string, so the CLI, tests and CI use
one code path; only `human` also knows how to paint a terminal.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from plugins.guidelines.model import Finding, LintReport

FORMATS = ("human", "json", "sarif", "github")


def counts(findings: Iterable[Finding]) -> dict[str, int]:
    totals = {"error": 0, "warning": 0, "suggestion": 0}
    for finding in findings:
        totals[finding.level] = totals.get(finding.level, 0) + 1
    return totals


def render(
    report: LintReport,
    fmt: str,
    *,
    guidelines=None,
    siteurl: str = "",
    root: Path | None = None,
) -> str:
    """One entry point for every format; `guidelines` (optional) gives SARIF its full rule
    list and descriptions, `root` makes paths repository-relative."""
    if fmt == "json":
        from plugins.guidelines.report import json as out
    elif fmt == "sarif":
        from plugins.guidelines.report import sarif as out
    elif fmt == "github":
        from plugins.guidelines.report import github as out
    elif fmt == "human":
        from plugins.guidelines.report import human as out
    else:
        raise ValueError(f"unknown format '{fmt}' (known: {', '.join(FORMATS)})")
    return out.render(report, guidelines=guidelines, siteurl=siteurl, root=root)
