"""Paths as a person reads them in a message."""

from __future__ import annotations

import os
from pathlib import PurePath


def shown_path(path: str | os.PathLike, root: str | os.PathLike | None = None) -> str:
    """`path` as messages, reports and editors' annotations show it: relative to `root` (by
    default where the command runs, the repository root) as a POSIX path when it lies
    inside it, else absolute — `../../tmp/x.md` helps nobody find the file. A relative
    `path` is taken as relative to the working directory, like open() takes it."""
    absolute = os.path.abspath(os.fspath(path))
    base = os.path.abspath(os.fspath(root)) if root is not None else os.getcwd()
    inside = base.rstrip(os.sep) + os.sep
    if absolute.startswith(inside):  # the common case, without relpath's work (a lint
        rel = absolute[len(inside) :]  # of 5,000 posts asks this 5,000 times)
        return rel if os.sep == "/" else PurePath(rel).as_posix()
    if os.sep == "/" and absolute != base.rstrip(os.sep):
        return absolute  # outside `base`: what relpath would say climbs out of it (below)
    try:
        rel = os.path.relpath(absolute, base)
    except ValueError:  # another drive
        return PurePath(absolute).as_posix()
    if rel == os.pardir or rel.startswith(os.pardir + os.sep):
        return PurePath(absolute).as_posix()
    return PurePath(rel).as_posix()


def shown_paths(absolute: list[str]) -> list[str]:
    """shown_path() of many paths already made absolute (os.path.abspath), relative to the
    working directory: a lint of 5,000 posts asks for all of them at once."""
    base = os.getcwd().rstrip(os.sep)
    inside = base + os.sep
    if os.sep != "/":
        return [shown_path(path) for path in absolute]
    # inside: relative; outside (content elsewhere, as the bench's): absolute, as it is
    return [p[len(inside) :] if p.startswith(inside) else p if p != base else "." for p in absolute]
