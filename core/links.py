"""The links file: where each entry was cross-posted. Written by the cross-posting run,
committed to git, read by the build to render "Also on …" — so it is the durable record of
what was posted: a lost ledger is rebuilt from it, and never means "post the archive".

Git-friendly JSON, sorted keys, one key per line, so a new link is a one-line diff:

    {"version": 1,
     "known_through": "2026-11-20T08:30:00+00:00",
     "entries": {"<entry id>": {"mastodon": "https://…", …}},
     "waiting": {"<entry id>": {"linkedin": "failed"}}}

`known_through`: every entry published up to then is known to the ledger (posted, seen at
the baseline, or waiting): a run that finds its ledger gone refuses to treat those as new.
`waiting`: copies that failed (retried by later runs) or were abandoned, as the ledger
saw them at the last run — so the build can count them without reaching into the ledger.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import os
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from core.platforms import ALSO_ON
from core.problems import ContentError

VERSION = 1


@dataclass
class LinksFile:
    entries: dict[str, dict[str, str]] = field(default_factory=dict)
    known_through: dt.datetime | None = None
    waiting: dict[str, dict[str, str]] = field(default_factory=dict)

    def links(self) -> dict[str, list[dict[str, str]]]:
        """Entry id → [{platform, label, url}], in platform-name order (what templates use)."""
        return {
            entry_id: [
                {"platform": name, "label": ALSO_ON.get(name, name), "url": url}
                for name, url in sorted(platforms.items())
            ]
            for entry_id, platforms in self.entries.items()
        }


def read(path: str | Path) -> LinksFile:
    """The file as data; a missing file is empty. A broken one is a ContentError (file:line)."""
    path = Path(path)
    if not path.exists():
        return LinksFile()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        line = getattr(exc, "lineno", None)
        raise ContentError(str(path), line, f"links file is not valid JSON: {exc}") from None
    except OSError as exc:
        raise ContentError(str(path), None, f"cannot read the links file: {exc.strerror}") from None
    entries = data.get("entries", {}) if isinstance(data, dict) else None
    if not isinstance(entries, dict):
        raise ContentError(str(path), 1, "links file must be {'version': 1, 'entries': {…}}")
    out = LinksFile()
    for entry_id, platforms in entries.items():
        if not isinstance(platforms, dict):
            continue
        kept = {
            str(name): url
            for name, url in platforms.items()
            if isinstance(url, str) and url.startswith(("https://", "http://"))
        }
        if kept:
            out.entries[str(entry_id)] = kept
    waiting = data.get("waiting") or {}
    if isinstance(waiting, dict):
        for entry_id, platforms in waiting.items():
            if isinstance(platforms, dict):
                out.waiting[str(entry_id)] = {
                    str(k): str(v) for k, v in platforms.items() if isinstance(v, str)
                }
    through = data.get("known_through")
    if isinstance(through, str):
        with contextlib.suppress(ValueError):
            moment = dt.datetime.fromisoformat(through)
            out.known_through = moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    return out


def load_links(path: str | Path) -> dict[str, list[dict[str, str]]]:
    """Entry id → [{platform, label, url}]: what the build renders."""
    return read(path).links()


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """One writer at a time: concurrent runs merge their links instead of losing some."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(f".{path.name}.lock"), "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def export_links(
    path: str | Path,
    links: Mapping[str, Mapping[str, str]],
    *,
    known_through: dt.datetime | None = None,
    retracted: Iterable[str] = (),
    waiting: Mapping[str, Mapping[str, str]] | None = None,
) -> bool:
    """Merge the ledger's posted copies into the file; True if its content changed.

    Entries already in the file are kept unless the ledger has a newer URL for the same
    platform (losing the ledger must never remove a link from the site), except for
    retracted entries, which keep only what the ledger still has as posted. `waiting` is
    the ledger's current list and replaces the file's (None keeps it). The file is
    re-read under a lock and replaced atomically through a temporary file of its own, so
    two runs finishing together both land and a reader never sees half a file.
    """
    path = Path(path)
    gone = set(retracted)
    with _locked(path):
        current = read(path)
        merged = {k: dict(v) for k, v in current.entries.items() if k not in gone}
        for entry_id, platforms in links.items():
            merged.setdefault(entry_id, {}).update(platforms)
        merged = {k: v for k, v in merged.items() if v}
        through = max(
            (t for t in (current.known_through, known_through) if t is not None), default=None
        )
        data: dict = {"version": VERSION, "entries": merged}
        pending = current.waiting if waiting is None else waiting
        pending = {k: dict(v) for k, v in pending.items() if v and k not in gone}
        if pending:
            data["waiting"] = pending
        if through is not None:
            data["known_through"] = through.astimezone(dt.UTC).isoformat(timespec="seconds")
        text = json.dumps(data, indent=2, sort_keys=True) + "\n"
        old = path.read_text(encoding="utf-8") if path.exists() else None
        if text == old:
            return False
        fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
    return True
