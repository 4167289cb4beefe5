"""Reading the metrics' inputs: the links file and the listening snapshot.

Each reader returns (data, note): data is None when the input does not exist yet or cannot be
read, and the note says why in one line (with file:line when the file is broken) so the page
can show "no data yet" and the build log a warning. None of them ever raises.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from core import links
from core.problems import ContentError, location, one_line
from core.settings import chorus_settings
from plugins.metrics.collect import PostRecord

COUNTED_STATES = ("posted", "failed")


def posts_from_articles(articles, drafts=()) -> list[PostRecord]:
    """PostRecords from Pelican's articles (department = category slug, as the reader sets
    it from the folder or `department:`), in the post's own time zone."""
    records = []
    for article in [*articles, *drafts]:
        records.append(
            PostRecord(
                department=article.category.slug,
                author=str(getattr(article, "author", "")),
                date=article.date.date(),
                status=str(getattr(article, "status", "published")),
            )
        )
    return records


def links_path(settings: dict) -> Path:
    """The committed links file the cross-posting run writes (SYNDICATION_LINKS_FILE, under
    the content folder): the build counts copies from it, never from the ledger itself,
    which may be a CI cache or a database the build cannot reach."""
    return Path(settings["PATH"]) / chorus_settings(settings).SYNDICATION_LINKS_FILE


def read_crossposts(path: Path) -> tuple[dict[str, dict[str, int]] | None, str]:
    """Copies per platform: posted (links) and failed (still waiting or abandoned). No file
    (syndication never ran) means zero cross-posts, not missing data."""
    if not path.exists():
        return {}, "nothing cross-posted yet (no links file)"
    try:
        data = links.read(path)
    except ContentError as exc:
        return None, exc.format()
    counts: dict[str, dict[str, int]] = {}
    for platforms in data.entries.values():
        for platform in platforms:
            counts.setdefault(platform, dict.fromkeys(COUNTED_STATES, 0))["posted"] += 1
    for platforms in data.waiting.values():
        for platform in platforms:
            counts.setdefault(platform, dict.fromkeys(COUNTED_STATES, 0))["failed"] += 1
    return counts, ""


def read_snapshot(path: Path) -> tuple[dict | None, str]:
    if not path.exists():
        return None, "no listening snapshot yet (run `invoke listen`)"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        return None, one_line(f"{location(str(path), exc.lineno)}: not valid JSON: {exc.msg}")
    except (OSError, UnicodeDecodeError) as exc:
        return None, one_line(f"{location(str(path))}: cannot read: {exc}")
    if not isinstance(data, dict) or not isinstance(data.get("mentions", []), list):
        return None, one_line(f"{location(str(path), 1)}: expected an object with 'mentions'")
    return data, ""


def today_for_build(setting: str | dt.date | None, now: dt.datetime) -> dt.date:
    """The newest of the BUILD_DATE setting and now: a pinned date makes a rebuild of old
    content reproducible, but never pretends time went backwards."""
    pinned = None
    if isinstance(setting, dt.datetime):
        pinned = setting.date()
    elif isinstance(setting, dt.date):
        pinned = setting
    elif setting:
        pinned = dt.date.fromisoformat(str(setting)[:10])
    return max(pinned, now.date()) if pinned else now.date()
