"""The build gate: what a build does with the lint's findings.

- `publish` (publishconf.py, CI): an error on a published post is a build problem, so the
  all-or-nothing build in chorus/build.py fails and nothing reaches output/. A draft with
  an error is left out of the site (drafts are written to drafts/, and a draft may hold the
  very secret the lint found) but does not stop everyone else's posts.
- `dev` (pelicanconf.py): every post is built; findings are logged as warnings (the build
  prints them) and attached to the post so the theme shows them in a box on its page.
- `off`: no lint during the build (benchmarks of the bare build, emergencies).

The decision is a plain function of the findings and the posts, tested without Pelican;
hook.py applies it to a Pelican run.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from core.settings import chorus_settings
from core.urls import rule_url
from plugins.guidelines.model import Finding
from plugins.problems import ContentError, one_line

MODES = ("publish", "dev", "off")


@dataclass
class GatedPost:
    path: str
    status: str  # "published" | "draft"


@dataclass
class Decision:
    problems: list[ContentError] = field(default_factory=list)  # fail the build
    warnings: list[str] = field(default_factory=list)  # printed, build goes on
    dropped: set[str] = field(default_factory=set)  # paths left out of the site
    shown: dict[str, list[Finding]] = field(default_factory=dict)  # path → findings box


def mode_of(settings: dict) -> str:
    mode = chorus_settings(settings).GUIDELINES_GATE
    if mode not in MODES:
        raise ValueError(f"GUIDELINES_GATE must be one of {', '.join(MODES)}, not {mode!r}")
    return mode


def by_path(findings: Iterable[Finding]) -> dict[str, list[Finding]]:
    grouped: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        grouped[_key(finding.path)].append(finding)
    return {path: sorted(found) for path, found in grouped.items()}


@lru_cache(maxsize=1 << 16)
def _key(path: str) -> str:
    """Findings and posts name one file by different paths; resolved once per path and
    process (a build resolves every post's path, a live-reload server every build)."""
    return str(Path(path).resolve())


def message(finding: Finding, siteurl: str = "") -> str:
    """`rule.id: message (see …/guidelines/#rule.id)`: the build line names the rule and
    where to read about it, like the lint does."""
    text = f"{finding.rule_id}: {finding.message}"
    text += finding.suggestion_note
    if siteurl:
        text += f" — see {rule_url(siteurl, finding.rule_id)}"
    return one_line(text)


def decide(
    posts: Iterable[GatedPost], findings: Iterable[Finding], mode: str, siteurl: str = ""
) -> Decision:
    decision = Decision()
    if mode == "off":
        return decision
    grouped = by_path(findings)
    for post in posts:
        found = grouped.get(_key(post.path), [])
        if not found:
            continue
        errors = [f for f in found if f.level == "error"]
        if mode == "publish" and errors:
            if post.status == "draft":
                decision.dropped.add(post.path)
                decision.warnings.append(
                    f"{post.path}: draft left out of the site: {len(errors)} guideline"
                    " error(s); run `invoke lint` on it"
                )
            else:
                decision.problems.extend(
                    ContentError(post.path, f.line, message(f, siteurl)) for f in errors
                )
            found = [f for f in found if f.level != "error"]
        for f in found:
            decision.warnings.append(
                f"{post.path}:{f.line}:{f.column}: {f.level}: {message(f, siteurl)}"
            )
        if mode == "dev":
            decision.shown[post.path] = found
    return decision
