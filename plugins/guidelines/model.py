"""What the guideline engine produces and the tools around it consume (CLI outputs, build gate,
preview, metrics). Shared vocabulary: keep these names stable.

A finding always points into the source file the author edits (1-based line and column), and
names the rule and the guideline section it comes from so every message can link to the
section's anchor on the Guidelines page (`guidelines/#<rule id>`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

LEVELS = ("error", "warning", "suggestion")
"""Most to least severe. Exit code 1 only when at least one finding is an error."""


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
