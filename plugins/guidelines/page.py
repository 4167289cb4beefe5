"""The Guidelines page: the same YAML the lint reads, rendered for people.

One source for both means the page can never say something the lint does not check (or the
reverse), and every rule's anchor (`#<rule id>`) is what lint messages link to. This module
turns a Guidelines object into plain template data; hook.py writes the page with the theme's
guidelines.html.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

from core.cache import replace_file
from core.filememo import FileMemo
from plugins import text as text_module
from plugins.guidelines.cache import engine_digest, file_digest
from plugins.text import as_sentence

# The page speaks of must / should / could, in its introduction and on every badge; the
# lint's own words (error / warning / suggestion) stay in its output and the YAML.
LEVEL_NAMES = {"error": "must", "warning": "should", "suggestion": "could"}
LEVEL_LABELS = {
    "error": "the post cannot be published until this is fixed",
    "warning": "fix it unless you have a good reason",
    "suggestion": "a tip to make the post better",
}

VIEW_CACHE = "guidelines-view-{}.pickle"


@functools.cache
def _markdown():
    """CommonMark with raw HTML off: the prose is trusted more than a post, but a page on
    our domain should not depend on that. (markdown-it is imported here: a preview takes
    the page's data from cached_view() and renders no prose.)"""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})


def prose_html(text: str) -> str:
    return _markdown().render(text or "")


@dataclass
class RuleView:
    id: str
    level: str  # error | warning | suggestion: the lint's name, for classes and anchors
    level_name: str  # must | should | could: what the page prints
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

    @property
    def levels(self) -> list[tuple[str, str, str]]:
        """(level, name, what it means) for the page's key to its badges."""
        return [(level, LEVEL_NAMES[level], LEVEL_LABELS[level]) for level in LEVEL_NAMES]


# The lint's own checks are not in guidelines.yaml, but their findings link to
# /guidelines/#<rule id> like every other: the page carries them, so those anchors exist.
LINT_SECTION = (
    "lint",
    "What the build needs",
    "Checks Chorus makes on every post, whatever the guidelines say.",
)
LINT_RULES = (
    ("lint.post", "the front matter, the author and the file name must be ones the build accepts"),
    ("lint.internal", "if one of these checks breaks on a post, the post is held back: tell IT"),
    ("lint.switch-unknown", "an inline switch must name a rule that exists"),
    ("lint.switch-reason", "an inline switch needs a written reason"),
    ("lint.switch-locked", "some rules cannot be switched off inline"),
)


def lint_section() -> SectionView:
    rules = [
        RuleView(id=rid, level="error", level_name=LEVEL_NAMES["error"],
                 level_label=LEVEL_LABELS["error"], message=text,
                 description=as_sentence(text), kind="lint", confidential=False)
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

    said = as_sentence(rule.description or KINDS[rule.kind].describe(rule))
    where = rule.applies.describe()
    # the level is the page's badge, not part of the sentence; the scope is said once
    repeated = where.casefold() in said.casefold()
    return f"{said} Applies to {where}." if where and not repeated else said


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
                level_name=LEVEL_NAMES.get(rule.level, rule.level),
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


def cached_view(
    guidelines, show_confidential: bool, folder: Path | None, memo: FileMemo | None = None
) -> GuidelinesView:
    """guidelines_view(), kept in `folder` (the lint's cache folder; None: made every time).
    The preview writes the Guidelines page beside every post it renders, and the page's
    data depends only on the guidelines file's bytes, the code that reads and describes it
    (every module under plugins/guidelines/, and plugins/text.py) and the Markdown and YAML
    engines' versions: those are its key. A missing or corrupt file is made again."""
    if folder is None:
        return guidelines_view(guidelines, show_confidential)
    digest = hashlib.sha256(b"chorus-guidelines-view-1\0")
    digest.update(engine_digest(memo))
    for path in (os.path.abspath(guidelines.path), os.path.abspath(text_module.__file__)):
        found = memo.get(path, "sha256", file_digest) if memo else file_digest(path)
        digest.update(path.encode() + b"\0" + (found or b"<unreadable>"))
    engines = (version("markdown-it-py"), version("pyyaml"), show_confidential)
    digest.update(repr(engines).encode())
    file = Path(folder) / VIEW_CACHE.format(digest.hexdigest()[:32])
    try:
        with open(file, "rb") as handle:
            view = pickle.load(handle)  # our own file under .chorus/, as the page cache
        if isinstance(view, GuidelinesView):
            return view
    except Exception:  # missing, truncated, another layout: made again
        pass
    view = guidelines_view(guidelines, show_confidential)
    try:
        data = pickle.dumps(view, protocol=pickle.HIGHEST_PROTOCOL)
        replace_file(file, data, VIEW_CACHE.format("*"))
    except OSError:
        pass  # only costs the next preview the prose
    return view
