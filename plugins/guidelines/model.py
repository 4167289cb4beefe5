"""What the guideline engine produces and the tools around it consume (CLI outputs, build gate,
preview, metrics). Shared vocabulary: keep these names stable.

A finding always points into the source file the author edits (1-based line and column), and
names the rule and the guideline section it comes from so every message can link to the
section's anchor on the Guidelines page (`guidelines/#<rule id>`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

LEVELS = ("error", "warning", "suggestion")
"""Most to least severe. Exit code 1 only when at least one finding is an error."""


class OptionError(ValueError):
    """Raised by a kind's prepare(): a bad option value, reported at that option's line."""

    def __init__(self, key: str | None, message: str):
        super().__init__(message)
        self.key = key


@dataclass(frozen=True)
class Applies:
    """Which posts and which parts of a post a rule reads. Within a list any value matches;
    across lists all must (departments: [finance], tags: [pricing] = finance posts tagged
    pricing). An empty list means "any"."""

    departments: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    scopes: tuple[str, ...] = ()

    def matches(self, post: Any) -> bool:
        if self.departments and post.department not in self.departments:
            return False
        if self.authors and post.author not in self.authors:
            return False
        return not self.tags or bool(set(self.tags) & {t.casefold() for t in post.tags})

    def describe(self) -> str:
        def either(items: tuple[str, ...]) -> str:
            return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]

        parts = []
        if self.departments:
            parts.append("posts from " + either(self.departments))
        if self.tags:
            parts.append("posts tagged " + either(self.tags))
        if self.authors:
            parts.append("posts by " + either(self.authors))
        return "; ".join(parts)


@dataclass
class Rule:
    id: str
    kind: str
    level: str
    message: str
    section_id: str
    section_title: str
    applies: Applies
    options: dict
    line: int
    switchable: bool = True  # approval rules cannot be switched off inline
    description: str = ""  # `describe:` in the YAML: the owners' own plain-language wording
    _compiled: Any = field(default=None, repr=False)
    confidential: bool = False  # its terms are shown only internally (confidential.py)
    # The kind's prepare(), when config.py deferred it: run on first use of `compiled`.
    pending: Callable[[Rule], Any] | None = field(default=None, repr=False, compare=False)

    @property
    def compiled(self) -> Any:
        """What the kind's prepare() made of the options (regexes, term lists…)."""
        if self.pending is not None:
            prepare, self.pending = self.pending, None
            self._compiled = prepare(self)
        return self._compiled

    @compiled.setter
    def compiled(self, value: Any) -> None:
        self._compiled, self.pending = value, None


@dataclass(frozen=True)
class Change:
    version: str
    date: str
    changes: list[str]


@dataclass
class Section:
    id: str
    title: str
    prose: str
    rules: list[Rule]
    line: int


@dataclass
class Guidelines:
    path: str
    version: str
    updated: str
    changelog: list[Change]
    sections: list[Section]
    _index: dict[str, Rule] = field(default_factory=dict, repr=False)

    @property
    def rules(self) -> list[Rule]:
        return [rule for section in self.sections for rule in section.rules]

    def rule(self, rule_id: str) -> Rule | None:
        if not self._index:
            self._index = {rule.id: rule for rule in self.rules}
        return self._index.get(rule_id)


@dataclass(frozen=True, order=True)
class Finding:
    path: str  # as given / relative to the repository root, POSIX separators
    line: int  # 1-based; front-matter findings point at the key's line
    column: int  # 1-based
    rule_id: str  # e.g. "disclosure.employee"
    level: str  # one of LEVELS
    message: str  # plain language, teaches what to do instead
    section: str  # guideline section id, e.g. "disclosure"
    section_title: str = ""
    end_line: int | None = None
    end_column: int | None = None
    suggestion: str | None = None  # replacement text for substitution rules

    def to_dict(self) -> dict:
        return asdict(self)

    @property
    def suggestion_note(self) -> str:
        """ " (suggested: …)" for a person to read, or "" when the message already names the
        replacement (machine formats keep `suggestion` either way, for editors to apply)."""
        if not self.suggestion or self.suggestion in self.message:
            return ""
        return f" (suggested: {' '.join(self.suggestion.split())})"


@dataclass(frozen=True)
class Switch:
    """An inline switch (`<!-- chorus: off rule.id -- reason -->` … `<!-- chorus: on rule.id -->`)
    that turned a rule off for a region. Counted by the metrics."""

    path: str
    line: int
    rule_id: str
    reason: str
    end_line: int | None = None


@dataclass
class LintReport:
    findings: list[Finding] = field(default_factory=list)
    switches: list[Switch] = field(default_factory=list)
    files: int = 0
    guidelines_version: str = ""
    # path → the post's status ("published" | "draft"): drafts are linted too, and the
    # build gate only blocks published posts. Unreadable files are absent.
    statuses: dict[str, str] = field(default_factory=dict)

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.level == "error")

    @property
    def exit_code(self) -> int:
        return 1 if self.errors else 0


class GuidelinesError(Exception):
    """The guidelines file itself is wrong (YAML error, unknown kind, missing key, bad regex):
    exit code 2 with one `file:line: message` line."""

    def __init__(self, path: str, line: int | None, message: str):
        super().__init__(message)
        self.path, self.line, self.message = path, line, message

    def format(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"
