"""YAML mistakes in plain language, one vocabulary for every file people write by hand:
front matter, people and departments, the guidelines, approvals, listening, moderation.

libyaml says where it noticed the problem, which is often a line after the mistake ("a
quote is opened and never closed" is reported at the end of the file); this says what it
usually means and points at the line to fix.
"""

from __future__ import annotations

import yaml

from core.problems import ContentError

# libyaml's wording, and what it usually means for someone writing front matter by hand.
_YAML_HINTS = (
    ("mapping values are not allowed", "unexpected ':' here; put text containing ': ' in "
     "quotes, and check that this line is indented like the others"),
    ("could not find expected ':'", "expected 'key: value' here; check the indentation and "
     "that every field has a ':'"),
    ("did not find expected key", "this line is indented differently from the lines above"),
    ("did not find expected ',' or ']'", "a list opened with '[' is not closed: add ']'"),
    ("expected ',' or ']'", "a list opened with '[' is not closed: add ']'"),
    ("did not find expected ',' or '}'", "a mapping opened with '{' is not closed: add '}'"),
    ("expected ',' or '}'", "a mapping opened with '{' is not closed: add '}'"),
    ("found unexpected end of stream", "a quote is opened and never closed"),
    ("did not find expected node content", "a value is missing here; is a '[' or '{' "
     "left open?"),
    ("found undefined alias", "'*' starts a YAML alias; put text starting with '*' in quotes"),
    ("found character that cannot start any token", "this character cannot start a value; "
     "put the value in quotes"),
    ("found unknown escape character", "unknown backslash escape in double quotes; "
     "use single quotes or write \\\\"),
)  # fmt: skip


def explain(exc: yaml.MarkedYAMLError, text: str) -> tuple[int, str]:
    """A 0-based line inside `text` and a plain-language message for a YAML error."""
    mark = exc.problem_mark or exc.context_mark
    problem = exc.problem or exc.context or "invalid YAML"
    lines = text.splitlines()
    line = mark.line if mark else 0
    context = exc.context or ""
    if exc.context_mark and "flow" in context and mark and mark.line != exc.context_mark.line:
        # Ran on past the line inside a [ or {: the fix belongs where it was opened.
        line = exc.context_mark.line
    elif exc.context_mark and "quoted scalar" in context:
        line = exc.context_mark.line  # where the unclosed quote starts
    if mark and 0 <= mark.line < len(lines):
        where = lines[mark.line]
        if "\t" in where[: mark.column + 1] and (
            "cannot start any token" in problem or "tab" in problem or not where[:1].strip()
        ):
            return line, "a tab is used for indentation; YAML needs spaces"
    for needle, hint in _YAML_HINTS:
        if needle in problem:
            return line, hint
    return line, " ".join(problem.split())


def yaml_error(
    path: str, exc: yaml.YAMLError, text: str, first_line: int = 1, what: str = "this file"
) -> ContentError:
    """The one-line ContentError for a YAML error in `text` (which starts at `first_line`
    of the file: front matter starts at line 2)."""
    if isinstance(exc, yaml.MarkedYAMLError):
        line, message = explain(exc, text)
        return ContentError(path, first_line + line, f"{what} is not valid YAML: {message}")
    detail = " ".join(str(exc).split())
    return ContentError(path, first_line, f"{what} is not valid YAML: {detail}")
