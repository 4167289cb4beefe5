"""From the committed snapshot (conversations/snapshot.py) to what article.html prints.

Nothing here reaches another host: authors are shown by their initials, never a remote
avatar; the text was sanitized through the nh3 policy when it was fetched and is run
through it again here (the external-HTML policy listening uses: text and links, no
images, no ids), because the snapshot is a file anyone may edit in a pull request.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from core.platforms import LABELS
from core.settings import chorus_settings
from plugins.listening.clean import clean_summary, safe_url
from plugins.problems import ContentError, record

REPLY_PLATFORMS = ("mastodon", "bluesky")


@dataclass
class Comment:
    id: str
    platform: str
    author_name: str
    author_url: str
    author_handle: str
    initials: str
    html: str
    url: str
    published: str
    org: bool
    children: list[Comment] = field(default_factory=list)


@dataclass
class Conversation:
    comments: list[Comment]
    counts: list[tuple[str, int, int]]  # (platform label, likes, reposts)
    reply_links: list[tuple[str, str]]  # (label, url)


def web(url: str) -> str:
    """Only absolute http(s) links leave the page (the snapshot is editable by hand)."""
    return safe_url(url) or ""


def initials(name: str) -> str:
    letters = [w[0] for w in name.replace("@", " ").split() if w and w[0].isalnum()]
    return ("".join(letters[:2]) or "?").upper()


def read(path: Path) -> dict:
    """The snapshot, or {} when there is none yet; a broken one is one located line."""
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ContentError(str(path), exc.lineno, f"not valid JSON: {exc.msg}") from None
    if not isinstance(data, dict) or data.get("version") != 1:
        raise ContentError(str(path), 1, "conversations snapshot must be {'version': 1, …}")
    entries = data.get("entries")
    return entries if isinstance(entries, dict) else {}


def thread(replies: list[dict]) -> list[Comment]:
    """Replies nested under their parent; a reply whose parent is not shown (pending,
    hidden) is shown at the top level rather than lost."""
    comments: dict[str, Comment] = {}
    for r in sorted(replies, key=lambda r: str(r.get("published") or "")):
        author = r.get("author") or {}
        name = str(author.get("name") or author.get("handle") or "")
        comments[str(r.get("id"))] = Comment(
            id=str(r.get("id")),
            platform=str(r.get("platform") or ""),
            author_name=name,
            author_url=web(str(author.get("url") or "")),
            author_handle=str(author.get("handle") or ""),
            initials=initials(name),
            html=clean_summary(str(r.get("html") or "")),
            url=web(str(r.get("url") or "")),
            published=str(r.get("published") or ""),
            org=bool(author.get("org")),
        )
    top: list[Comment] = []
    for r in replies:
        comment = comments[str(r.get("id"))]
        parent = comments.get(str(r.get("parent") or ""))
        (parent.children if parent is not None else top).append(comment)
    top.sort(key=lambda c: c.published)
    return top


def conversation(entry: dict | None, syndication_links: list[dict]) -> Conversation:
    entry = entry or {}
    counts = [
        (LABELS.get(p, p), int(c.get("like", 0)), int(c.get("repost", 0)))
        for p, c in sorted((entry.get("counts") or {}).items())
    ]
    links = [
        (f"Reply on {LABELS[link['platform']]}", link["url"])
        for link in syndication_links
        if link.get("platform") in REPLY_PLATFORMS
    ]
    return Conversation(thread(list(entry.get("replies") or [])), counts, links)


def snapshot_path(settings: dict) -> Path:
    """The conversations snapshot (what `invoke conversations snapshot` writes)."""
    return Path(settings["PATH"]) / chorus_settings(settings).CONVERSATIONS_SNAPSHOT


def attach(generators) -> None:
    """all_generators_finalized: after plugins.social has set article.syndication_links."""
    from pelican.generators import ArticlesGenerator

    for generator in generators:
        if not isinstance(generator, ArticlesGenerator):
            continue
        settings = generator.settings
        try:
            entries = read(snapshot_path(settings))
        except ContentError as exc:
            record(settings, exc)
            entries = {}
        for article in generator.articles:
            article.conversation = conversation(
                entries.get(getattr(article, "entry_id", "")),
                getattr(article, "syndication_links", []) or [],
            )
