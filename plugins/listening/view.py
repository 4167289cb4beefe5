"""The snapshot turned into what listening.html prints: plain data, no Pelican.

Everything from a source is cleaned again here (clean.py), even though `invoke listen`
already did: the snapshot is a committed JSON file, and the page must be safe whatever is in
it. Templates then print `summary_html` with |safe and everything else autoescaped.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from core.settings import ChorusSettings
from plugins.listening.clean import clean_summary, clean_title, safe_url


@dataclass
class Item:
    id: str
    title: str
    url: str | None
    source: str
    published: dt.datetime | None
    summary_html: str
    terms: list[str] = field(default_factory=list)
    departments: list[str] = field(default_factory=list)


@dataclass
class SourceView:
    name: str
    kind: str
    url: str
    status: str
    error: str | None
    entries: int
    latest: list[Item]


@dataclass
class DepartmentView:
    slug: str
    name: str
    mentions: list[Item]
    digest: str  # path of its Atom digest, relative to the site root


STALE_DAYS = ChorusSettings.LISTENING_STALE_DAYS  # the default; the page passes the setting
"""A snapshot older than this many days is announced as old on the page: listening is only
useful while it is recent, and the page cannot refresh itself."""


@dataclass
class ListeningView:
    generated: dt.datetime | None
    departments: list[DepartmentView]
    sources: list[SourceView]
    mention_count: int
    mentions: list[Item] = field(default_factory=list)  # each once, in snapshot order
    age_days: int | None = None  # whole days between the snapshot and the build
    stale_days: int = STALE_DAYS

    @property
    def failed(self) -> list[SourceView]:
        return [s for s in self.sources if s.status == "error"]

    @property
    def stale(self) -> bool:
        return self.age_days is not None and self.age_days > self.stale_days

    def department_name(self, slug: str) -> str:
        return next((d.name for d in self.departments if d.slug == slug), slug)


def _when(value: object) -> dt.datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def item(row: dict) -> Item:
    return Item(
        id=str(row.get("id", "")),
        title=clean_title(str(row.get("title") or "")) or "(untitled)",
        url=safe_url(row.get("url") if isinstance(row.get("url"), str) else None),
        source=clean_title(str(row.get("source") or "")),
        published=_when(row.get("published")),
        summary_html=clean_summary(str(row.get("summary_html") or "")),
        terms=[str(t) for t in row.get("terms") or [] if isinstance(t, str)],
        departments=[str(d) for d in row.get("departments") or [] if isinstance(d, str)],
    )


def make_view(
    snapshot: dict | None,
    departments: dict[str, str],
    digest_path,
    now: dt.datetime | None = None,
    stale_days: int = STALE_DAYS,
) -> ListeningView:
    """`departments` is slug → name in departments.yaml order; every one is listed (empty
    ones with zero), then any slug the snapshot routes to that the site does not know.
    `now` is the build's time, to say how old the snapshot is."""
    if not snapshot:
        return ListeningView(None, [], [], 0, stale_days=stale_days)
    mentions = [item(m) for m in snapshot.get("mentions", [])]
    names = dict(departments)
    for m in mentions:
        for slug in m.departments:
            names.setdefault(slug, slug)
    by_dept = [
        DepartmentView(
            slug, name, [m for m in mentions if slug in m.departments], digest_path(slug)
        )
        for slug, name in names.items()
    ]
    latest = snapshot.get("latest", {})
    sources = [
        SourceView(
            name=str(s.get("name")),
            kind=str(s.get("kind") or ""),
            url=str(s.get("url") or ""),
            status=str(s.get("status") or "error"),
            error=str(s["error"]) if s.get("error") else None,
            entries=int(s.get("entries") or 0),
            latest=[item(e) for e in latest.get(s.get("name"), [])],
        )
        for s in snapshot.get("sources", [])
    ]
    generated = _when(snapshot.get("generated"))
    age = (now - generated).days if generated and now else None
    return ListeningView(
        generated, by_dept, sources, len(mentions), mentions, age, stale_days=stale_days
    )
