"""The one folder every cache of a build, a lint or a preview lives in (`CHORUS_CACHE`:
a folder, or "off"; by default .chorus/cache/, which git ignores), and how many files of
each kind it keeps.

Why one: "off" must mean that nothing of an earlier run is read or written (the bench's
cold builds, a suspicious result), whichever cache it is: the prepared posts, the lint's
findings, the page record, compiled templates, the Guidelines view, the file memo.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

DEFAULT_DIR = Path(".chorus") / "cache"


def cache_dir(environ=os.environ) -> Path | None:
    """Where the cache lives for this run; None when switched off."""
    chosen = environ.get("CHORUS_CACHE", "")
    if chosen.lower() in ("off", "0", "no", "false"):
        return None
    return Path(chosen) if chosen else DEFAULT_DIR


KEEP = 4
"""Files kept of each kind of cache file (one per fingerprint of its inputs): enough for the
public and the internal build and the preview, which differ in their settings, to keep
theirs side by side, while the files of inputs long gone are removed."""


def make_room(file: Path, pattern: str, keep: int = KEEP) -> None:
    """Before `file` is written: remove the least recently written files matching
    `pattern` beside it, so that with it at most `keep` remain."""

    def written(path: Path) -> int:
        try:
            return path.stat().st_mtime_ns
        except OSError:
            return 0

    others = sorted((p for p in file.parent.glob(pattern) if p != file), key=written)
    for old in others[: max(0, len(others) - (keep - 1))]:
        old.unlink(missing_ok=True)


def replace_file(
    file: Path, data: bytes | Callable[[BinaryIO], object], kind: str | None = None
) -> None:
    """Write a cache file whole or not at all: into a temporary file beside it, then one
    rename, so another process (or the next run, after a crash) reads the old file or the
    new one, never half of one. `data`: the bytes, or a function that writes them to the
    open file (a large pickle, streamed). `kind`: the glob of the files of its kind, to
    make_room() for it first. Raises OSError; the callers take a cache they cannot write
    as one that costs the next run its time."""
    file.parent.mkdir(parents=True, exist_ok=True)
    if kind is not None:
        make_room(file, kind)
    temporary = file.with_suffix(f".{os.getpid()}.tmp")
    with open(temporary, "wb") as handle:
        if isinstance(data, bytes):
            handle.write(data)
        else:
            data(handle)
    temporary.replace(file)


def memo_file() -> Path | None:
    """Where core/filememo.py keeps what it knows of files (None: no cache)."""
    folder = cache_dir()
    return folder / "files.marshal" if folder is not None else None
