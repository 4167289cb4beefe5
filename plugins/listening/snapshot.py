"""The snapshot: what one listening run heard, as a JSON file the build renders.

The file is the contract between `invoke listen` (which writes it), the Listening page and
digest feeds (which render it) and the metrics plugin (which counts its mentions), so its
names are fixed (version 1):

    {"version": 1, "generated": ISO-8601 UTC,
     "sources": [{"name", "kind", "url", "status": "ok"|"not-modified"|"error",
                  "error": str|null, "entries": int}],
     "mentions": [{"id", "title", "url", "source", "published", "summary_html",
                   "terms": [...], "departments": [slugs]}],
     "latest": {source name: [entries, same shape without terms/departments]}}

It is committed for the demo, so a site builds without network; it is written atomically,
so an interrupted run leaves the previous one whole.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from core.settings import chorus_settings
from plugins.listening.parse import Entry
from plugins.problems import ContentError

VERSION = 1
STATUSES = ("ok", "not-modified", "error")


def snapshot_path(settings: dict) -> Path:
    """The snapshot a build with these settings renders (the Listening page, its digests and
    the metrics' mention counts all read this one)."""
    return Path(settings["PATH"]) / chorus_settings(settings).LISTENING_SNAPSHOT


def newest_first(entries: list[Entry]) -> list[Entry]:
    """Dated entries newest first, then undated ones in feed order (stable sort)."""
    return sorted(entries, key=lambda e: e.published or "", reverse=True)


def previous_entries(previous: dict | None, source: str) -> list[Entry]:
    """What an earlier snapshot knew of one source: its latest entries and its mentions.
    That is everything the snapshot shows of the source, so a 304 loses nothing visible."""
    if not previous:
        return []
    rows = [*previous.get("latest", {}).get(source, [])]
    rows += [m for m in previous.get("mentions", []) if m.get("source") == source]
    seen, out = set(), []
    for row in rows:
        entry = Entry.from_dict(row)
        if entry.id not in seen:
            seen.add(entry.id)
            out.append(entry)
    return newest_first(out)


def previous_source(previous: dict | None, name: str) -> dict | None:
    for record in (previous or {}).get("sources", []):
        if record.get("name") == name:
            return record
    return None


def read_snapshot(path: str | Path) -> dict | None:
    """The snapshot, or None when there is none yet. A broken file is a ContentError with
    its line (it is committed content: CI must say where it is broken)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise ContentError(str(path), None, f"cannot read the listening snapshot: {exc}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ContentError(str(path), exc.lineno, f"not valid JSON: {exc.msg}") from None
    problem = _shape_problem(data)
    if problem:
        raise ContentError(str(path), 1, f"not a listening snapshot: {problem}")
    return data


def _shape_problem(data: object) -> str | None:
    if not isinstance(data, dict):
        return "expected a JSON object"
    if data.get("version") != VERSION:
        return f"version {data.get('version')!r} (this Chorus reads version {VERSION})"
    for key, kind in (("sources", list), ("mentions", list), ("latest", dict)):
        if not isinstance(data.get(key), kind):
            return f"'{key}' is missing or not a {kind.__name__}"
    if not all(isinstance(s, dict) and isinstance(s.get("name"), str) for s in data["sources"]):
        return "each source needs a 'name'"
    rows = [*data["mentions"], *(r for v in data["latest"].values() for r in v)]
    if not all(isinstance(r, dict) and isinstance(r.get("id"), str) for r in rows):
        return "each entry needs an 'id'"
    return None


def write_snapshot(path: str | Path, data: dict) -> None:
    write_json(Path(path), data)


def write_json(path: Path, data: dict) -> None:
    """Write next to the target and rename: readers never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.chmod(tmp, 0o644)  # a committed file, not a secret
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
