"""One shape for every problem a user must fix: `file:line: error: message`, one line.

Readers, plugins, the lint and the cross-posting engine raise `ContentError`; whoever
reports it prints it with format(), so every command shows a problem the same way.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.paths import shown_path


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
    path = shown_path(path, root) if root else str(path)
    return f"{one_line(path)}:{line}" if line else one_line(path)


def one_line(text: str) -> str:
    """Fold all whitespace (\\n, \\r, U+2028…) to single spaces and make every other
    control or format character visible, so the text prints as exactly one line."""
    folded = " ".join(text.split())
    return "".join(ch if ch.isprintable() or ch == " " else ascii(ch)[1:-1] for ch in folded)
