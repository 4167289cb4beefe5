"""The one folder every cache of a build, a lint or a preview lives in (`CHORUS_CACHE`:
a folder, or "off"; by default .chorus/cache/, which git ignores), and how many files of
each kind it keeps.

Why one: "off" must mean that nothing of an earlier run is read or written (the bench's
cold builds, a suspicious result), whichever cache it is: the prepared posts, the lint's
findings, the page record, compiled templates, the Guidelines view, the file memo.
"""

from __future__ import annotations

import os
from pathlib import Path

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


def memo_file() -> Path | None:
    """Where core/filememo.py keeps what it knows of files (None: no cache)."""
    folder = cache_dir()
    return folder / "files.marshal" if folder is not None else None
