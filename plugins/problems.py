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
        path = self.path
        if root:
            try:
                path = os.path.relpath(path, root)
            except ValueError:
                pass
        where = f"{path}:{self.line}" if self.line else path
        # One line, always: a message must never smuggle a traceback or a newline.
        message = " ".join(str(self.message).split())
        return f"{where}: error: {message}"


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
