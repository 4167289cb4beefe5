"""Participation metrics, computed from plain inputs so they can be checked without Pelican.

The build hands in what it already has (posts, the departments, a lint report, cross-post counts,
the listening snapshot); each input other than the posts may be missing, and a missing input
is "no data yet" on the page rather than a failed build: metrics describe the site, they must
never be the reason it is not published.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

WINDOW_DAYS = 90
"""'Departments that posted recently' looks back this many days from the build date."""


@dataclass(frozen=True)
class PostRecord:
    """What the metrics need from one post: the same names as the front matter."""

    department: str
    author: str
    date: dt.date
    status: str = "published"


@dataclass
class Metrics:
    today: dt.date
    departments: dict[str, str]  # slug → name, in the order of content/departments.yaml
    months: list[str]  # "YYYY-MM", every month from the first post to the last, gaps included
    posts: dict[str, dict[str, int]]  # department → month → published posts
    active_authors: dict[str, dict[str, int]]  # department → month → distinct authors
    # distinct authors over every month, per department and site-wide: never a sum of the
    # monthly counts (someone who wrote in two months is one author)
    authors_total: dict[str, int]  # department → distinct authors
    site_active_authors: dict[str, int]  # month → distinct authors, all departments
    site_authors_total: int
    first_time_authors: dict[str, dict[str, int]]  # department → month → first post ever
    departments_posted: list[str]  # departments with a post in the window
    window_days: int = WINDOW_DAYS
    findings: dict[str, int] | None = None  # rule id → findings; None: lint not available
    findings_by_level: dict[str, int] | None = None
    switches: dict[str, int] | None = None  # rule id → inline switches
    crossposts: dict[str, dict[str, int]] | None = None  # platform → {"posted", "failed"}
    mentions: dict[str, int] | None = None  # department → listening mentions
    # (department, YYYY-MM) → responses, conversations, answered share, median hours to
    # the first answer, open over 2 days (core/dialogue.py); None: no conversations snapshot
    dialogue: dict[tuple[str, str], dict] | None = None
    notes: dict[str, str] = field(default_factory=dict)  # input → why it shows no data

    @property
    def partial_month(self) -> str | None:
        """The month the build date falls in, when it is on the page: it is not over yet, so
        its numbers are "to date" and must not read as a drop."""
        month = month_of(self.today)
        return month if month in self.months else None

    @property
    def window_start(self) -> dt.date:
        return self.today - dt.timedelta(days=self.window_days)

    @property
    def share_posted(self) -> float:
        """Share of all departments (not only those with posts) that posted in the window."""
        return len(self.departments_posted) / len(self.departments) if self.departments else 0.0

    def total(self, table: Mapping[str, Mapping[str, int]], department: str) -> int:
        return sum(table.get(department, {}).values())

    def month_total(self, table: Mapping[str, Mapping[str, int]], month: str) -> int:
        return sum(row.get(month, 0) for row in table.values())

    def department_totals(self, table: Mapping[str, Mapping[str, int]]) -> dict[str, int]:
        """Each department's sum over the months: right for posts and first-time authors
        (each counted once), wrong for active authors (use authors_total)."""
        return {d: self.total(table, d) for d in self.departments}

    def month_totals(self, table: Mapping[str, Mapping[str, int]]) -> dict[str, int]:
        return {month: self.month_total(table, month) for month in self.months}

    @property
    def posts_total(self) -> int:
        return sum(sum(row.values()) for row in self.posts.values())


def month_of(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def month_range(first: dt.date, last: dt.date) -> list[str]:
    """Every month from first to last: a month without posts is a zero, not a missing bar."""
    months, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def count_posts(
    posts: Iterable[PostRecord], departments: Mapping[str, str], today: dt.date
) -> Metrics:
    """Posts, active and first-time authors per department and month, and the share of
    departments that posted in the last WINDOW_DAYS days.

    Only published posts dated on or before `today` count: a draft or a post scheduled for
    later is not participation yet. A first-time author is counted once, in the month and
    department of their first published post on the whole site. The months run from the
    first post to the build date's month, so the months since the last post show as zeros.
    """
    published = sorted(
        (p for p in posts if p.status == "published" and p.date <= today),
        key=lambda p: (p.date, p.author),
    )
    posts_by = defaultdict(Counter)
    authors_by: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    first = defaultdict(Counter)
    seen: set[str] = set()
    for post in published:
        month = month_of(post.date)
        posts_by[post.department][month] += 1
        authors_by[post.department][month].add(post.author)
        if post.author not in seen:
            seen.add(post.author)
            first[post.department][month] += 1
    months = month_range(published[0].date, today) if published else []
    start = today - dt.timedelta(days=WINDOW_DAYS)
    recent = {p.department for p in published if p.date >= start}
    order = list(departments) + sorted(set(posts_by) - set(departments))
    return Metrics(
        today=today,
        departments=dict(departments),
        months=months,
        posts={d: dict(posts_by[d]) for d in order if d in posts_by},
        active_authors={
            d: {m: len(a) for m, a in authors_by[d].items()} for d in order if d in authors_by
        },
        first_time_authors={d: dict(first[d]) for d in order if d in first},
        authors_total={d: len({p.author for p in published if p.department == d}) for d in order},
        site_active_authors={
            m: len({p.author for p in published if month_of(p.date) == m}) for m in months
        },
        site_authors_total=len(seen),
        departments_posted=[d for d in departments if d in recent],
    )


def count_findings(report) -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
    """(findings per rule, findings per level, switches per rule) of a LintReport
    (plugins/guidelines/model.py), most frequent first."""
    findings = Counter(f.rule_id for f in report.findings)
    levels = Counter(f.level for f in report.findings)
    switches = Counter(s.rule_id for s in report.switches)
    return _ranked(findings), _ranked(levels), _ranked(switches)


def count_mentions(snapshot: Mapping, departments: Mapping[str, str]) -> dict[str, int]:
    """Listening mentions routed to each department (a mention routed to two departments
    counts for both); every known department is listed, with zero when nobody mentioned it."""
    counts = Counter()
    seen_ids: set[str] = set()
    for mention in snapshot.get("mentions") or []:
        key = str(mention.get("id") or mention.get("url") or id(mention))
        if key in seen_ids:
            continue  # the listener deduplicates; a hand-edited snapshot might not
        seen_ids.add(key)
        for slug in set(mention.get("departments") or []):
            counts[str(slug)] += 1
    result = {slug: counts.get(slug, 0) for slug in departments}
    result.update({slug: n for slug, n in sorted(counts.items()) if slug not in result})
    return result


def _ranked(counter: Counter) -> dict[str, int]:
    return dict(sorted(counter.items(), key=lambda item: (-item[1], item[0])))
