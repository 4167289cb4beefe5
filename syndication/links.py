"""The links file: where each entry was cross-posted. syndication/ writes it (issue 4);
the build reads it to render "Also on …" links. Git-friendly JSON, sorted keys:

    {"version": 1, "entries": {"<entry id>": {"mastodon": "https://…", …}}}
"""

from __future__ import annotations

import json
from pathlib import Path

from plugins.problems import ContentError

LABELS = {
    "linkedin": "LinkedIn",
    "facebook": "Facebook",
    "x": "X",
    "mastodon": "Mastodon",
    "bluesky": "Bluesky",
    "threads": "Threads",
    "internal": "our intranet",
}


def load_links(path: str | Path) -> dict[str, list[dict[str, str]]]:
    """Entry id → [{platform, label, url}], in platform-name order; a missing file is empty."""
    path = Path(path)
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        line = getattr(exc, "lineno", None)
        raise ContentError(str(path), line, f"links file is not valid JSON: {exc}") from None
    entries = data.get("entries", {}) if isinstance(data, dict) else None
    if not isinstance(entries, dict):
        raise ContentError(str(path), 1, "links file must be {'version': 1, 'entries': {…}}")
    links = {}
    for entry_id, platforms in entries.items():
        links[entry_id] = [
            {"platform": name, "label": LABELS.get(name, name), "url": url}
            for name, url in sorted(platforms.items())
            if isinstance(url, str) and url.startswith(("https://", "http://"))
        ]
    return links


def export_links(path: str | Path, links: dict[str, dict[str, str]]) -> bool:
    """Write the links file from the ledger's posted rows; True if its content changed.

    Entries already in the file are kept unless the ledger has a newer URL for the same
    platform: the file is committed to git, the ledger is a CI cache that can be lost, and
    losing the cache must never remove a link from the site. Sorted keys, one key per line
    and a final newline, so a new link is a one-line diff.
    """
    path = Path(path)
    merged: dict[str, dict[str, str]] = {}
    if path.exists():
        for entry_id, items in load_links(path).items():
            merged[entry_id] = {item["platform"]: item["url"] for item in items}
    for entry_id, platforms in links.items():
        merged.setdefault(entry_id, {}).update(platforms)
    text = json.dumps({"version": 1, "entries": merged}, indent=2, sort_keys=True) + "\n"
    old = path.read_text(encoding="utf-8") if path.exists() else None
    if text == old:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)  # atomic: the build never reads half a file
    return True
