"""The default output: findings grouped by file, coloured by level, each with the title of
the guideline section it comes from and a link to the rule on the Guidelines page.

Written for the author of the post, not for a parser: the message teaches, the link explains
why. Messages are user text (a post's words end up in them), so they are printed as rich
Text, never as markup, and folded to one line: a title cannot repaint the terminal. Lines
are never hard-wrapped (soft_wrap): a CI log or `grep` sees one finding per line.
"""

from __future__ import annotations

import io
from itertools import groupby
from pathlib import Path

from rich.console import Console
from rich.text import Text

from core.paths import shown_path
from core.urls import rule_url
from plugins.guidelines.model import LintReport
from plugins.guidelines.report import counts
from plugins.problems import one_line

STYLES = {"error": "bold red", "warning": "yellow", "suggestion": "cyan"}


def print_report(
    report: LintReport,
    console: Console,
    *,
    siteurl: str = "",
    root: Path | None = None,
) -> None:
    findings = sorted(report.findings, key=lambda f: (shown_path(f.path, root), f.line, f.column))
    for path, group in groupby(findings, key=lambda f: shown_path(f.path, root)):
        console.print(Text(one_line(path), style="bold underline"))
        for f in group:
            line = Text("  ")
            line.append(f"{f.line}:{f.column}".ljust(8), style="dim")
            line.append(f.level.ljust(11), style=STYLES.get(f.level, ""))
            line.append(one_line(f.message))
            if f.suggestion_note:
                line.append(f.suggestion_note, style="green")
            line.append(f"  {f.rule_id}", style="dim")
            console.print(line, soft_wrap=True)
            where = Text("          ")
            section = one_line(f.section_title or f.section)
            if section:
                where.append(f"Guidelines › {section}", style="italic")
            if siteurl:
                url = rule_url(siteurl, f.rule_id)
                where.append(("  " if section else "") + url, style=f"blue link {url}")
            if where.plain.strip():
                console.print(where, soft_wrap=True)
        console.print()
    total = counts(report.findings)
    summary = Text()
    parts = [
        (total["error"], "error", "errors"),
        (total["warning"], "warning", "warnings"),
        (total["suggestion"], "suggestion", "suggestions"),
    ]
    for i, (n, one, many) in enumerate(parts):
        summary.append(", " if i else "")
        summary.append(f"{n} {one if n == 1 else many}", style=STYLES[one] if n else "")
    files_with = len({f.path for f in report.findings})
    summary.append(f" in {files_with} of {report.files} file(s) checked")
    if report.guidelines_version:
        summary.append(f" (guidelines version {report.guidelines_version})", style="dim")
    if report.switches:
        summary.append(f"; {len(report.switches)} rule(s) switched off inline", style="dim")
    console.print(summary, soft_wrap=True)
    if not report.findings:
        console.print(Text("✓ nothing to fix", style="bold green"))


def render(
    report: LintReport,
    *,
    guidelines=None,
    siteurl: str = "",
    root: Path | None = None,
    color: bool = False,
    width: int = 100,
) -> str:
    """Plain (or ANSI-coloured) text, for tests and for writing to a file."""
    buffer = io.StringIO()
    console = Console(
        file=buffer, force_terminal=color, no_color=not color, width=width, highlight=False
    )
    print_report(report, console, siteurl=siteurl, root=root)
    return buffer.getvalue()
