"""One shape for every problem a user must fix: `file:line: message`, nothing more.

Readers and plugins raise or record `ContentError`; chorus.build prints them one per line
and refuses to publish. Keeping the type here lets lint (issue 3) reuse it unchanged.
"""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class ContentError(Exception):
    """A problem in a file the user wrote, located as precisely as we know."""

    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        return self.format()

    def format(self, root: str | None = None) -> str:
        """`path:line: error: message` on one line, whatever the path and message contain.

        The path is shown relative to `root` (where the user runs the build) when it lies
        inside it, else absolute: `../../tmp/x.md` helps nobody find the file. Newlines are
        folded and control characters (an ANSI escape in a hostile title) are shown as
        `\\x1b`, so a message can neither forge another line nor repaint the terminal.
        """
        return f"{location(self.path, self.line, root)}: error: {one_line(str(self.message))}"


def location(path: str, line: int | None = None, root: str | None = None) -> str:
    """`path:line` (or `path`) as ContentError.format shows it."""
    path = str(path)
    if root:
        try:
            rel = os.path.relpath(path, root)
        except ValueError:
            rel = path
        path = os.path.abspath(path) if rel.split(os.sep, 1)[0] == os.pardir else rel
    return f"{one_line(path)}:{line}" if line else one_line(path)


def one_line(text: str) -> str:
    """Fold all whitespace (\\n, \\r, U+2028…) to single spaces and make every other
    control or format character visible, so the text prints as exactly one line."""
    folded = " ".join(text.split())
    return "".join(ch if ch.isprintable() or ch == " " else ascii(ch)[1:-1] for ch in folded)


def record(settings: dict, error: ContentError) -> None:
    """Remember a problem for chorus.build; a plain list on the settings dict is shared
    by every reader and generator of one Pelican run."""
    problems = settings.setdefault("CHORUS_PROBLEMS", [])
    if error not in problems:
        problems.append(error)


class ProblemsFound(Exception):
    """Raised once everything is read, if anything was wrong: nothing gets written."""


def stop_if_problems(generators) -> None:
    """all_generators_finalized: every file has been read and checked; writing a site we
    will throw away only wastes time (and Pelican would trip over duplicate slugs)."""
    settings = generators[0].settings if generators else {}
    if settings.get("CHORUS_PROBLEMS"):
        raise ProblemsFound()
