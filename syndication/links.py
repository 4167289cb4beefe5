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
