"""Facts about files (a digest of the bytes, the `slug:` a post declares) remembered by
each file's stat, the way git's index remembers which files are unchanged.

Why: a warm lint of 5,000 posts would otherwise read and hash 5,000 files only to learn
that none changed. Here a file whose size, mtime, ctime and inode are those recorded is
taken as unchanged and its facts are served without opening it; any difference in the
stat means reading it again. ctime cannot be set back by a program (utime sets it to now),
so even an edit that restores the size and the mtime is seen.

The one hole is git's "racily clean" file: the file system's clock is coarse (a few ms on
Linux), so a file written twice within one tick, the same size both times, keeps its
stat. A stat is therefore trusted only if the file had not been touched for RACY_NS when
its facts were recorded; a file edited just before a run is simply read again next time.

The memo is one marshal file under .chorus/ (ignored by git); a missing, unreadable or
corrupt memo is an empty one, never an error. A process that opens it again and again (the
live-reload server: three times per build) keeps what it last read or wrote while the
file's own stat is unchanged: at 5,000 posts unmarshalling it is 0.15 s each time. Serving
a memo another process has just replaced within one clock tick, at the same size, is
harmless: every entry is checked against its file's stat, so a stale one only costs a read.
"""

from __future__ import annotations

import marshal
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from core.cache import replace_file

RACY_NS = 2_000_000_000  # more than any file system's timestamp tick, network ones included
LAYOUT = 1  # bumped when an entry's shape changes: an older memo is then empty
T = TypeVar("T")
_LOADED: dict[str, tuple[tuple, dict]] = {}  # memo file → (its stat, its entries) as last seen


def _stamp(path: Path) -> tuple | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ino)


class FileMemo:
    """Absolute path → the facts recorded for it and the stat they were recorded at. Each
    file is stat'ed at most once per memo: open one per run."""

    def __init__(self, file: str | os.PathLike | None):
        self.file = Path(file) if file is not None else None
        self.entries: dict[str, tuple] = self._read()  # path → (stat, facts), as saved
        self.current: dict[str, tuple] = {}  # path → (stat, facts, trusted) seen since refresh
        self.learnt: dict[str, tuple | None] = {}  # to save: (stat, facts), None = forget

    def _read(self) -> dict[str, tuple]:
        if self.file is None:
            return {}
        stamp, key = _stamp(self.file), str(self.file)
        known = _LOADED.get(key)
        if stamp is not None and known is not None and known[0] == stamp:
            return known[1]
        entries: dict = {}
        try:
            layout, read = marshal.loads(self.file.read_bytes())
            if layout == LAYOUT and isinstance(read, dict):
                entries = read
        except Exception:  # missing, truncated, another layout: start empty
            pass
        if stamp is not None:
            _LOADED[key] = (stamp, entries)
        return entries

    def facts(self, path: str) -> dict | None:
        """The facts of the file at `path` (absolute) that still hold, to read and add to;
        None when it cannot be stat'ed."""
        seen = self.current.get(path)
        if seen is not None:
            return seen[1]
        try:
            st = os.stat(path)
        except OSError:
            return None
        stamp = (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
        entry = self.entries.get(path)
        if entry is not None and entry[0] == stamp:
            facts, trusted = entry[1], True
        else:
            facts = {}
            # trusted next time only if the file had settled before it was read now
            trusted = time.time_ns() - max(st.st_mtime_ns, st.st_ctime_ns) > RACY_NS
            self.learnt[path] = (stamp, facts) if trusted else None
        self.current[path] = (stamp, facts, trusted)
        return facts

    def refresh(self) -> None:
        """Stat every file again from now on: for a memo kept longer than one run (a lint
        context lives as long as a build, or a development server)."""
        self.current = {}

    def get(self, path: str, name: str, compute: Callable[[str], T]) -> T:
        """facts(path)[name], computed by compute(path) when not known."""
        facts = self.facts(path)
        if facts is None:
            return compute(path)
        if name not in facts:
            self._learn(path, name, compute(path))
        return facts[name]

    def put(self, path: str, name: str, value) -> None:
        """Record a fact learnt about the file as it is now (kept only while its stat is)."""
        facts = self.facts(path)
        if facts is not None and facts.get(name) != value:
            self._learn(path, name, value)

    def _learn(self, path: str, name: str, value) -> None:
        stamp, facts, trusted = self.current[path]
        facts[name] = value
        if trusted:
            self.learnt[path] = (stamp, facts)

    def save(self) -> None:
        """Atomically replace the memo file with what is on disk now plus what this memo
        learnt (another process, or another memo in this one, may have saved since it was
        read: their facts are kept). Failing to write only costs the next run its reads."""
        if self.file is None or not self.learnt:
            return
        entries = self._read()
        for path, mine in self.learnt.items():
            theirs = entries.get(path)
            if mine is None:  # not trusted (written too recently)
                entries.pop(path, None)
                continue
            if theirs is not None and theirs[0] == mine[0]:
                for name, value in theirs[1].items():  # the same file: both learnt
                    mine[1].setdefault(name, value)
            entries[path] = mine
        if len(self.current) * 2 > len(entries):  # a whole-site run: forget the rest
            keep = self.current.keys() | self.learnt.keys()
            entries = {p: e for p, e in entries.items() if p in keep}
        self.entries, self.learnt = entries, {}
        try:
            replace_file(self.file, marshal.dumps((LAYOUT, entries)))
        except (OSError, ValueError):
            return
        stamp = _stamp(self.file)
        if stamp is not None:
            _LOADED[str(self.file)] = (stamp, entries)
