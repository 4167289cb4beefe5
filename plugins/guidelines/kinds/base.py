"""What every rule kind shares: the lint context, findings at source positions, and the
term-list options (`terms:` plain phrases, `patterns:` regexes) most kinds accept."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from plugins.guidelines.model import Finding, OptionError
from plugins.guidelines.prose import DEFAULT_SCOPES, scope_spans
from plugins.guidelines.prose import search as prose_search
from plugins.guidelines.terms import Terms, compile_terms

if TYPE_CHECKING:
    import re

    from core.filememo import FileMemo
    from plugins.guidelines.model import Rule
    from plugins.guidelines.post import Post
    from plugins.people.directory import Directory


@dataclass
class Context:
    """Everything outside the post that a rule may look at, loaded once per lint run."""

    content_root: Path
    directory: Directory | None = None
    # Internal link targets: source paths relative to content/ ("posts/it/x.md") and
    # site paths ("/posts/x/", "/write/").
    targets: set[str] = field(default_factory=set)
    approvals_dir: Path | None = None
    guidelines_version: str = ""
    repo_root: Path | None = None
    # Where the directory was read from (PEOPLE_PATH, DEPARTMENTS_FILE under content/):
    # the cache's fingerprint hashes these files.
    people_dir: Path | None = None
    departments_file: Path | None = None
    # Every post file (absolute path) → its `slug:` override or None (plugins/posts/source.py),
    # read once per run for the link targets and the shared-slug check.
    slugs: dict[str, str | None] | None = None
    memo: FileMemo | None = None  # the run's file memo (core/filememo.py), if any


@dataclass(frozen=True)
class Kind:
    name: str
    check: Callable[[Rule, Post, Context], Iterable[Finding]]
    describe: Callable[[Rule], str]
    prepare: Callable[[Rule], Any] = lambda rule: None
    required: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()
    switchable: bool = True
    prose: bool = True  # reads the prose scopes (title, summary, body, syndication_text)


def finding(
    rule: Rule,
    post: Post,
    offset: int | None = None,
    *,
    line: int | None = None,
    column: int = 1,
    message: str | None = None,
    suggestion: str | None = None,
    end: int | None = None,
) -> Finding:
    """A finding at a text offset (preferred) or at a line (front-matter keys)."""
    if offset is not None:
        line, column = post.position(offset)
    end_line = end_column = None
    if end is not None:
        end_line, end_column = post.position(end)
    return Finding(
        path=post.path,
        line=line or post.start_line,
        column=column,
        rule_id=rule.id,
        level=rule.level,
        message=message or rule.message,
        section=rule.section_id,
        section_title=rule.section_title,
        end_line=end_line,
        end_column=end_column,
        suggestion=suggestion,
    )


def fill(message: str, **values: object) -> str:
    """`{match}`, `{count}`… in a rule's message, without str.format's brace surprises."""
    for key, value in values.items():
        message = message.replace("{" + key + "}", str(value))
    return message


def string_list(rule: Rule, key: str) -> list[str]:
    value = rule.options.get(key)
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list) or not all(isinstance(v, str | int | float) for v in value):
        raise OptionError(key, f"'{key}' must be a list, like [a, b]")
    return [str(v) for v in value]


def number(rule: Rule, key: str, default: float | None = None) -> float | None:
    value = rule.options.get(key, default)
    if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
        raise OptionError(key, f"'{key}' must be a number")
    return value


def terms_option(rule: Rule, terms: str = "terms", patterns: str = "patterns") -> Terms | None:
    """`terms:` + `patterns:` → one regex. re.error propagates (reported at the rule).
    Only the paragraphs holding text every match contains are scanned; that text is read
    from the patterns, or given as `clues:` (lower case) where a pattern's own is too short
    to be worth finding ("#1", "no.")."""
    case = rule.options.get("case_sensitive", False)
    return compile_terms(
        string_list(rule, terms),
        string_list(rule, patterns),
        bool(case),
        string_list(rule, "clues") or None,
    )


def spans(rule: Rule, post: Post) -> list[tuple[str, int, int]]:
    return scope_spans(post, rule.applies.scopes or DEFAULT_SCOPES)


def search(pattern: Terms, rule: Rule, post: Post) -> Iterable[re.Match]:
    """Every match of `pattern` in the prose of the rule's scopes, in file order."""
    return prose_search(pattern, post, rule.applies.scopes or DEFAULT_SCOPES)
