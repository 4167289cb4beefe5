"""Inline switches: turn one rule off for a region, and say why.

    <!-- chorus: off pii.email -- the drill's fake sender address, not a person's -->
    …
    <!-- chorus: on pii.email -->

HTML comments never render, so the switch stays with the text it excuses. A switch without
a reason, or naming a rule that does not exist (a typo would silently switch nothing off),
is itself an error and switches nothing off. A switch that is never closed lasts to the end
of the file. Every switch in effect is reported, so the metrics can count them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from plugins.guidelines.model import Finding, Switch
from plugins.guidelines.post import Post
from plugins.guidelines.prose import analyse

SWITCH = re.compile(
    r"<!--\s*chorus:\s*(?P<state>off|on)\s+(?P<rule>[^\s>]+?)(?:\s+--\s*(?P<reason>.*?))?\s*-->",
    re.S | re.I,
)
LINT_SECTION = ("lint", "Inline switches")


@dataclass(frozen=True)
class Region:
    rule_id: str
    first: int
    last: int  # lines, inclusive


def _lint_finding(post: Post, line: int, column: int, rule_id: str, message: str) -> Finding:
    return Finding(post.path, line, column, rule_id, "error", message, *LINT_SECTION)


def read_switches(post: Post, guidelines) -> tuple[list[Region], list[Switch], list[Finding]]:
    """Regions to silence, the switches in effect, and errors about malformed switches."""
    text = analyse(post).code_free  # a switch shown in a code sample is not a switch
    regions, switches, errors = [], [], []
    open_: dict[str, tuple[int, str]] = {}
    last_line = len(post.line_starts)
    for match in SWITCH.finditer(text, post.body_offset):
        line, column = post.position(match.start())
        rule_id = match.group("rule")
        rule = guidelines.rule(rule_id)
        reason = " ".join((match.group("reason") or "").split())
        if rule is None:
            errors.append(
                _lint_finding(
                    post,
                    line,
                    column,
                    "lint.switch-unknown",
                    f"there is no rule '{rule_id}' to switch {match.group('state')}: check the id "
                    "on the guidelines page",
                )
            )
            continue
        if match.group("state").lower() == "on":
            if rule_id in open_:
                first, why = open_.pop(rule_id)
                regions.append(Region(rule_id, first, line))
                switches.append(Switch(post.path, first, rule_id, why, line))
            continue
        if not reason:
            errors.append(
                _lint_finding(
                    post,
                    line,
                    column,
                    "lint.switch-reason",
                    f"say why '{rule_id}' is switched off: <!-- chorus: off {rule_id} -- your "
                    "reason -->; without a reason the rule stays on",
                )
            )
            continue
        if not rule.switchable:
            errors.append(
                _lint_finding(
                    post,
                    line,
                    column,
                    "lint.switch-locked",
                    f"'{rule_id}' cannot be switched off in a post; ask one of its approvers",
                )
            )
            continue
        open_.setdefault(rule_id, (line, reason))
    for rule_id, (first, why) in open_.items():
        regions.append(Region(rule_id, first, last_line))
        switches.append(Switch(post.path, first, rule_id, why, None))
    switches.sort(key=lambda s: (s.line, s.rule_id))
    return regions, switches, errors


def silenced(finding: Finding, regions: list[Region]) -> bool:
    return any(r.rule_id == finding.rule_id and r.first <= finding.line <= r.last for r in regions)
