"""metrics.json and metrics.csv: the same numbers as the page, for CRM and BI tools.

The CSV is tidy (long) format, one number per row — `metric, department, key, period, value`
— because that is what a pivot table, a BI import or pandas wants; the JSON keeps the
page's shape for scripts. Both name metrics exactly as the Metrics dataclass does.
"""

from __future__ import annotations

import csv
import io
import json

from plugins.metrics.collect import Metrics

CSV_COLUMNS = ("metric", "department", "key", "period", "value")


def to_dict(m: Metrics) -> dict:
    return {
        "version": 1,
        "today": m.today.isoformat(),
        "departments": m.departments,
        "months": m.months,
        "partial_month": m.partial_month,
        "posts": m.posts,
        "active_authors": m.active_authors,
        "authors_total": m.authors_total,
        "site_active_authors": m.site_active_authors,
        "site_authors_total": m.site_authors_total,
        "first_time_authors": m.first_time_authors,
        "departments_posted": {
            "window_days": m.window_days,
            "since": m.window_start.isoformat(),
            "until": m.today.isoformat(),
            "departments": m.departments_posted,
            "count": len(m.departments_posted),
            "total": len(m.departments),
            "share": round(m.share_posted, 4),
        },
        "findings": m.findings,
        "findings_by_level": m.findings_by_level,
        "switches": m.switches,
        "crossposts": m.crossposts,
        "mentions": m.mentions,
        "dialogue": _dialogue(m),
        "notes": m.notes,
    }


def _dialogue(m: Metrics) -> list[dict] | None:
    if m.dialogue is None:
        return None
    return [{"department": d, "month": month, **n} for (d, month), n in m.dialogue.items()]


def to_json(m: Metrics) -> str:
    return json.dumps(to_dict(m), ensure_ascii=False, indent=2) + "\n"


def rows(m: Metrics) -> list[tuple[str, str, str, str, int | float]]:
    """One row per number. Monthly metrics have period YYYY-MM (the build date's month is to
    date: `partial_month` in the JSON); point-in-time counts (lint, links file, listening)
    have the build date; the 90-day share and the distinct-author totals have an ISO 8601
    interval."""
    out: list[tuple[str, str, str, str, int | float]] = []
    for metric in ("posts", "active_authors", "first_time_authors"):
        table = getattr(m, metric)
        for dept, months in table.items():
            for month in m.months:
                if months.get(month):
                    out.append((metric, dept, "", month, months[month]))
    for month, n in m.site_active_authors.items():
        if n:
            out.append(("site_active_authors", "", "", month, n))
    today = m.today.isoformat()
    interval = f"{m.window_start.isoformat()}/{today}"
    if m.months:
        # distinct authors over every month: an ISO 8601 interval from the first month on
        period = f"{m.months[0]}-01/{today}"
        for dept, n in m.authors_total.items():
            out.append(("authors_total", dept, "", period, n))
        out.append(("site_authors_total", "", "", period, m.site_authors_total))
    for dept in m.departments:
        out.append(("posted_in_window", dept, "", interval, int(dept in m.departments_posted)))
    out.append(("departments_posted_share", "", "", interval, round(m.share_posted, 4)))
    for rule, n in (m.findings or {}).items():
        out.append(("findings", "", rule, today, n))
    for rule, n in (m.switches or {}).items():
        out.append(("switches", "", rule, today, n))
    for platform, states in (m.crossposts or {}).items():
        for state, n in states.items():
            out.append((f"crossposts_{state}", "", platform, today, n))
    for dept, n in (m.mentions or {}).items():
        out.append(("mentions", dept, "", today, n))
    for (dept, month), numbers in (m.dialogue or {}).items():
        for name, value in numbers.items():
            if value is not None:
                out.append((f"dialogue_{name}", dept, "", month, value))
    return out


def to_csv(m: Metrics) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")  # RFC 4180
    writer.writerow(CSV_COLUMNS)
    writer.writerows(rows(m))
    return buffer.getvalue()
