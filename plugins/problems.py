"""The build's side of problems: plugins record ContentError (core.problems) in the
run (plugins/run.py) while Pelican reads, and chorus.build prints them and refuses to publish."""

from __future__ import annotations

from core.problems import ContentError, location, one_line
from plugins.run import run_of

__all__ = ["ContentError", "ProblemsFound", "location", "one_line", "record", "stop_if_problems"]


def record(settings: dict, error: ContentError) -> None:
    """Remember a problem for chorus.build: the run's list (plugins/run.py) is shared by
    every reader and generator of one Pelican run."""
    problems = run_of(settings).problems
    if error not in problems:
        problems.append(error)


class ProblemsFound(Exception):
    """Raised once everything is read, if anything was wrong: nothing gets written."""


def stop_if_problems(generators) -> None:
    """all_generators_finalized: every file has been read and checked; writing a site we
    will throw away only wastes time (and Pelican would trip over duplicate slugs)."""
    settings = generators[0].settings if generators else {}
    if settings and run_of(settings).problems:
        raise ProblemsFound()
