"""`--format sarif`: SARIF 2.1.0 for GitHub code scanning (upload-sarif).

What GitHub needs and why it is here:
- tool.driver.rules lists every rule of the guidelines (not only those that fired), so a
  result's ruleIndex is stable between runs and the alert shows the rule's plain-language
  description and a link (helpUri) to its anchor on the Guidelines page;
- locations are repository-relative with uriBaseId %SRCROOT%, or GitHub cannot place them;
- partialFingerprints lets GitHub recognise the same finding after lines move: a hash of the
  rule id, the file and the finding's line text with whitespace folded, plus an occurrence
  counter for identical lines (the scheme of GitHub's own primaryLocationLineHash);
- columns are counted in Unicode code points, like the engine's, and the run says so.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path

from core.paths import shown_path
from core.urls import rule_url
from plugins.guidelines.model import Finding, LintReport

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
TOOL_NAME = "chorus-guidelines"
INFORMATION_URI = "https://github.com/alderfinch/chorus"
LEVELS = {"error": "error", "warning": "warning", "suggestion": "note"}
FINGERPRINT_KEY = "chorusLineHash/v1"


def sarif_name(rule_id: str) -> str:
    """`disclosure.employee` → `DisclosureEmployee`: SARIF's name is an identifier."""
    parts = [p for chunk in rule_id.split(".") for p in chunk.replace("_", "-").split("-")]
    return "".join(p[:1].upper() + p[1:] for p in parts if p) or "Rule"


def _descriptor(rule_id: str, level: str, short: str, full: str, section: str, siteurl: str):
    descriptor = {
        "id": rule_id,
        "name": sarif_name(rule_id),
        "shortDescription": {"text": short or rule_id},
        "fullDescription": {"text": full or short or rule_id},
        "defaultConfiguration": {"level": LEVELS.get(level, "warning")},
        "properties": {"tags": [t for t in ("guidelines", section) if t]},
    }
    if siteurl:
        descriptor["helpUri"] = rule_url(siteurl, rule_id)
        descriptor["help"] = {"text": f"{full or short} See {rule_url(siteurl, rule_id)}"}
    return descriptor


def _rules(report: LintReport, guidelines, siteurl: str) -> tuple[list[dict], dict[str, int]]:
    rules: list[dict] = []
    index: dict[str, int] = {}
    for rule in getattr(guidelines, "rules", None) or []:
        describe = getattr(rule, "describe", None)
        full = describe() if callable(describe) else rule.message
        section = getattr(rule, "section_title", "") or getattr(rule, "section_id", "")
        index[rule.id] = len(rules)
        rules.append(_descriptor(rule.id, rule.level, rule.message, full, section, siteurl))
    for finding in sorted(report.findings):  # rules the engine adds itself (switches…)
        if finding.rule_id not in index:
            index[finding.rule_id] = len(rules)
            section = finding.section_title or finding.section
            rules.append(
                _descriptor(finding.rule_id, finding.level, finding.message, "", section, siteurl)
            )
    return rules, index


class _Lines:
    """Source lines, read once per file, for fingerprints."""

    def __init__(self, root: Path | None):
        self.root, self.cache = root, {}

    def text(self, path: str, line: int) -> str:
        if path not in self.cache:
            p = Path(path)
            if not p.is_absolute() and self.root is not None:
                p = self.root / p
            try:
                self.cache[path] = p.read_text(encoding="utf-8", errors="replace").splitlines()
            except OSError:
                self.cache[path] = []
        lines = self.cache[path]
        return " ".join(lines[line - 1].split()) if 0 < line <= len(lines) else ""


def fingerprint(rule_id: str, path: str, line_text: str, occurrence: int) -> str:
    digest = hashlib.sha256(f"{rule_id}\0{path}\0{line_text}".encode()).hexdigest()[:32]
    return f"{digest}:{occurrence}"


def _region(finding: Finding) -> dict:
    region = {"startLine": max(finding.line, 1), "startColumn": max(finding.column, 1)}
    if finding.end_line:
        region["endLine"] = max(finding.end_line, region["startLine"])
    if finding.end_column:
        region["endColumn"] = max(finding.end_column, 1)
    return region


def sarif_log(
    report: LintReport, *, guidelines=None, siteurl: str = "", root: Path | None = None
) -> dict:
    """The SARIF log as a dict (render() serialises it)."""
    rules, index = _rules(report, guidelines, siteurl)
    lines = _Lines(root)
    seen: Counter = Counter()
    results = []
    for finding in sorted(report.findings):
        uri = shown_path(finding.path, root)
        text = lines.text(finding.path, finding.line)
        seen[(finding.rule_id, uri, text)] += 1
        message = finding.message
        if finding.suggestion:
            message += f" Suggested: {finding.suggestion}"
        results.append(
            {
                "ruleId": finding.rule_id,
                "ruleIndex": index[finding.rule_id],
                "level": LEVELS.get(finding.level, "warning"),
                "message": {"text": message},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": {"uri": uri, "uriBaseId": "%SRCROOT%"},
                            "region": _region(finding),
                        }
                    }
                ],
                "partialFingerprints": {
                    FINGERPRINT_KEY: fingerprint(
                        finding.rule_id, uri, text, seen[(finding.rule_id, uri, text)]
                    )
                },
            }
        )
    driver = {"name": TOOL_NAME, "informationUri": INFORMATION_URI, "rules": rules}
    if report.guidelines_version:
        driver["version"] = str(report.guidelines_version)
    run = {"tool": {"driver": driver}, "columnKind": "unicodeCodePoints", "results": results}
    if root is not None:
        run["originalUriBaseIds"] = {"%SRCROOT%": {"uri": _root_uri(root)}}
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def _root_uri(root: Path) -> str:
    return root.resolve().as_uri().rstrip("/") + "/"


def render(
    report: LintReport, *, guidelines=None, siteurl: str = "", root: Path | None = None
) -> str:
    log = sarif_log(report, guidelines=guidelines, siteurl=siteurl, root=root)
    return json.dumps(log, ensure_ascii=False, indent=2) + "\n"
