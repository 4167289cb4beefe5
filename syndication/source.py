"""The source: the published JSON Feed (`feeds/all.json`), a path or a URL.

The published feed is the one source of truth for syndication (design: no step reaches back
into content/). JSON Feed because its items carry `_chorus`, the build's extension with the
department, the resolved platform list, per-platform texts and the status; feedparser does
not read JSON Feed, so this is plain `json` — the Atom twin of the same feed is what readers
and the feed tests parse with feedparser.

Bad input is one line naming `file:line` (a JSON syntax error's line, or the line where the
faulty item starts); nothing is half-read: either every item is valid or none is returned.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx

from core.feed_contract import EXTENSION, ContractError, FeedExtension, ItemExtension, Retraction
from core.problems import ContentError
from syndication.model import SourceEntry


class SourceError(ContentError):
    """The feed cannot be read or is not what the build writes: `file:line: error: …`."""


@dataclass(frozen=True)
class Feed:
    entries: list[SourceEntry]  # published and due, oldest first
    retracted: list[Retraction]  # `_chorus.retracted`: entries whose copies must go


def read_feed(
    location: str | Path,
    *,
    client: httpx.Client | None = None,
    now: Callable[[], dt.datetime] | None = None,
) -> Feed:
    """Every published, already-dated entry of the feed at `location`, oldest first, and
    the retracted ones.

    Drafts never reach the feed, and future-dated posts are not published yet — both are
    skipped here anyway, so no other path can post them early.
    """
    text, name = _fetch(str(location), client)
    entries, retracted = parse_feed(text, name, with_retracted=True)
    moment = (now or (lambda: dt.datetime.now(dt.UTC)))()
    kept = [e for e in entries if e.status == "published" and e.published <= moment]
    gone = {r.id for r in retracted}
    kept = [e for e in kept if e.id not in gone]
    return Feed(sorted(kept, key=lambda e: (e.published, e.id)), retracted)


def _fetch(location: str, client: httpx.Client | None) -> tuple[str, str]:
    if location.startswith(("http://", "https://")):
        try:
            if client is None:
                with httpx.Client(timeout=30, follow_redirects=True) as own:
                    response = own.get(location)
            else:
                response = client.get(location)
        except httpx.HTTPError as exc:
            raise SourceError(location, None, f"cannot fetch the feed: {exc}") from None
        if response.status_code != 200:
            raise SourceError(location, None, f"cannot fetch the feed: HTTP {response.status_code}")
        return response.text, location
    path = Path(location)
    try:
        return path.read_text(encoding="utf-8"), location
    except FileNotFoundError:
        raise SourceError(
            location, None, "feed not found (build the site first: invoke build)"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceError(location, None, f"cannot read the feed: {exc}") from None


def parse_feed(text: str, name: str = "<feed>", *, with_retracted: bool = False):
    """All items of a JSON Feed document as SourceEntry, in document order (and, with
    `with_retracted`, the feed's `_chorus.retracted` list)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SourceError(name, exc.lineno, f"the feed is not valid JSON: {exc.msg}") from None
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        raise SourceError(name, 1, "not a JSON Feed: no 'items' list")
    if not str(data.get("version", "")).startswith("https://jsonfeed.org/version/"):
        raise SourceError(name, 1, "not a JSON Feed: 'version' is missing or unknown")
    lines = _item_lines(text)
    entries, seen = [], set()
    for index, item in enumerate(data["items"]):
        line = lines[index] if index < len(lines) else None
        entry = _entry(item, name, line)
        if entry.id in seen:
            raise SourceError(name, line, f"duplicate item id {entry.id!r}")
        seen.add(entry.id)
        entries.append(entry)
    if not with_retracted:
        return entries
    return entries, _retracted(data.get(EXTENSION), name)


def _retracted(extension: object, name: str) -> list[Retraction]:
    try:
        return list(FeedExtension.from_json(extension).retracted)
    except ContractError as exc:
        raise SourceError(name, 1, str(exc)) from None


def _item_lines(text: str) -> list[int]:
    """The line each item starts on, for messages: decode again, remembering offsets."""
    decoder = json.JSONDecoder()
    start = text.find('"items"')
    if start < 0:
        return []
    pos = text.find("[", start) + 1
    lines = []
    while True:
        while pos < len(text) and text[pos] in " \t\r\n,":
            pos += 1
        if pos >= len(text) or text[pos] == "]":
            return lines
        lines.append(text.count("\n", 0, pos) + 1)
        try:
            _, pos = decoder.raw_decode(text, pos)
        except json.JSONDecodeError:
            return lines


def _entry(item: object, name: str, line: int | None) -> SourceEntry:
    def fail(message: str) -> SourceError:
        return SourceError(name, line, message)

    if not isinstance(item, dict):
        raise fail("feed item is not an object")
    for key in ("id", "url"):
        if not isinstance(item.get(key), str) or not item[key]:
            raise fail(f"feed item has no {key!r}")
    ident = item["id"]
    url = item["url"]
    if not url.startswith(("https://", "http://")):
        raise fail(f"item {ident!r}: url must be absolute, got {url!r}")
    try:
        chorus = ItemExtension.from_json(item.get(EXTENSION))
    except ContractError as exc:
        raise fail(f"item {ident!r}: {exc}") from None
    for key in ("title", "summary", "content_html", "image"):
        if item.get(key) is not None and not isinstance(item[key], str):
            raise fail(f"item {ident!r}: {key} must be a string, not {type(item[key]).__name__}")
    published = _date(item.get("date_published"), fail, ident, "date_published")
    updated = (
        _date(item["date_modified"], fail, ident, "date_modified")
        if item.get("date_modified")
        else published
    )
    authors = item.get("authors") or [{}]
    if not isinstance(authors, list):
        raise fail(f"item {ident!r}: authors must be a list")
    author = authors[0] if authors and isinstance(authors[0], dict) else {}
    tags = item.get("tags") or []
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise fail(f"item {ident!r}: tags must be a list of strings")
    if chorus.tags is not None:  # the build names the tags apart from the department
        tags = list(chorus.tags)
    elif tags:  # an older feed: JSON Feed's tags are the department's label, then the tags
        tags = tags[1:]
    return SourceEntry(
        id=ident,
        url=url,
        title=str(item.get("title") or ""),
        summary=str(item.get("summary") or ""),
        content_html=str(item.get("content_html") or ""),
        published=published,
        updated=updated,
        tags=tuple(str(t) for t in tags),
        department=chorus.department,
        author_name=str(author.get("name") or ""),
        author_url=str(author.get("url") or ""),
        image_url=str(item["image"]) if item.get("image") else None,
        image_alt=chorus.image_alt,
        syndicate=chorus.syndicate,
        syndication_text=dict(chorus.syndication_text),
        status=chorus.status,
    )


def _date(value: object, fail, ident: str, key: str) -> dt.datetime:
    if not isinstance(value, str):
        raise fail(f"item {ident!r} has no {key!r}")
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise fail(f"item {ident!r}: {key} {value!r} is not an ISO 8601 date") from None
    if moment.tzinfo is None:
        raise fail(f"item {ident!r}: {key} {value!r} has no timezone")
    return moment
