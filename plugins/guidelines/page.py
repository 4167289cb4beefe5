"""The Guidelines page: the same YAML the lint reads, rendered for people.

One source for both means the page can never say something the lint does not check (or the
reverse), and every rule's anchor (`#<rule id>`) is what lint messages link to. This module
turns a Guidelines object into plain template data; hook.py writes the page with the theme's
guidelines.html.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from markdown_it import MarkdownIt

LEVEL_LABELS = {
    "error": "Must — the post cannot be published until this is fixed",
    "warning": "Should — fix it unless you have a good reason",
    "suggestion": "Could — a tip to make the post better",
}

# CommonMark with raw HTML off: the prose is trusted more than a post, but a page on our
# domain should not depend on that.
_MD = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})


def prose_html(text: str) -> str:
    return _MD.render(text or "")


@dataclass
class RuleView:
    id: str
    level: str
    level_label: str
    message: str
    description: str
    kind: str
    confidential: bool = False


@dataclass
class SectionView:
    id: str
    title: str
    prose_html: str
    rules: list[RuleView] = field(default_factory=list)


@dataclass
class ChangeView:
    version: str
    date: str
    changes: list[str]


@dataclass
class GuidelinesView:
    version: str
    updated: str
    sections: list[SectionView]
    changelog: list[ChangeView]
    rule_count: int


# The lint's own checks are not in guidelines.yaml, but their findings link to
# /guidelines/#<rule id> like every other: the page carries them, so those anchors exist.
LINT_SECTION = (
    "lint",
    "What the build needs",
    "Checks Chorus makes on every post, whatever the guidelines say.",
)
LINT_RULES = (
    ("lint.post", "the front matter, the author and the slug must be what the build accepts"),
    ("lint.internal", "a check that failed on a post is reported as an error: tell IT"),
    ("lint.switch-unknown", "an inline switch must name a rule that exists"),
    ("lint.switch-reason", "an inline switch needs a written reason"),
    ("lint.switch-locked", "some rules cannot be switched off inline"),
)


def lint_section() -> SectionView:
    rules = [
        RuleView(id=rid, level="error", level_label=LEVEL_LABELS.get("error", "error"),
                 message=text, description=text, kind="lint", confidential=False)
        for rid, text in LINT_RULES
    ]  # fmt: skip
    sid, title, prose = LINT_SECTION
    return SectionView(sid, title, prose_html(prose), rules)


def describe(rule, show_confidential: bool = False) -> str:
    if getattr(rule, "confidential", False):
        from plugins.guidelines.confidential import internal_description, public_description

        return internal_description(rule) if show_confidential else public_description(rule)
    return str(describe_rule(rule) or rule.message)


def describe_rule(rule) -> str:
    """The rule in plain language for the guidelines page: the owners' own `describe:`
    wording, else what its kind says of it."""
    from plugins.guidelines.kinds import KINDS

    said = rule.description or KINDS[rule.kind].describe(rule)
    text = f"{rule.level.capitalize()}: {said}"
    where = rule.applies.describe()
    return f"{text} (applies to {where})" if where else text


def guidelines_view(guidelines, show_confidential: bool = False) -> GuidelinesView:
    """The page's data. Confidential rules list their terms only with `show_confidential`
    (the intranet site, the local preview); the public page gives their description."""
    sections = []
    count = 0
    for section in guidelines.sections:
        rules = [
            RuleView(
                id=rule.id,
                level=rule.level,
                level_label=LEVEL_LABELS.get(rule.level, rule.level),
                message=str(rule.message),
                description=describe(rule, show_confidential),
                kind=str(rule.kind),
                confidential=bool(getattr(rule, "confidential", False)),
            )
            for rule in section.rules
        ]
        count += len(rules)
        sections.append(
            SectionView(section.id, str(section.title), prose_html(section.prose), rules)
        )
    sections.append(lint_section())
    changelog = [
        ChangeView(
            str(change.version),
            str(change.date or ""),
            [str(c) for c in (change.changes or [])]
            if isinstance(change.changes, list)
            else [str(change.changes)],
        )
        for change in guidelines.changelog
    ]
    return GuidelinesView(
        version=str(guidelines.version),
        updated=str(guidelines.updated or ""),
        sections=sections,
        changelog=changelog,
        rule_count=count,
    )
