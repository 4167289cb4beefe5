"""Which charts the Metrics page shows, built from a Metrics value (labels are department
names, not slugs: the chart is for people)."""

from __future__ import annotations

from markupsafe import Markup

from plugins.metrics.collect import Metrics
from plugins.metrics.svg import bar_chart, line_chart


def charts_for(m: Metrics) -> dict[str, Markup]:
    names = [m.departments.get(d, d) for d in m.departments]
    charts = {
        "posts_by_department": bar_chart(
            "chart-posts-by-department",
            "Posts per department",
            names,
            {"posts": [m.total(m.posts, d) for d in m.departments]},
            f"Published posts from {_span(m)}.",
        ),
        "authors_by_month": line_chart(
            "chart-authors-by-month",
            "Active and first-time authors per month",
            month_labels(m.months, m.partial_month),
            {
                "active authors": [m.site_active_authors[month] for month in m.months],
                "first-time authors": [
                    m.month_total(m.first_time_authors, month) for month in m.months
                ],
            },
            "Site-wide, all departments: each author counts once a month."
            + (
                f" {_month_name(m.partial_month)} is to date ({m.today.isoformat()})."
                if m.partial_month
                else ""
            ),
            last_is_partial=m.partial_month is not None and m.partial_month == m.months[-1],
        ),
    }
    if m.findings:
        charts["findings"] = bar_chart(
            "chart-findings",
            "Guideline findings per rule",
            list(m.findings),
            {"findings": list(m.findings.values())},
            "Findings of the guideline lint on every post, drafts included.",
        )
    if m.crossposts and any(n for states in m.crossposts.values() for n in states.values()):
        platforms = list(m.crossposts)
        charts["crossposts"] = bar_chart(
            "chart-crossposts",
            "Cross-posts per platform",
            platforms,
            {
                "posted": [m.crossposts[p].get("posted", 0) for p in platforms],
                "failed": [m.crossposts[p].get("failed", 0) for p in platforms],
            },
            "Copies the links file records as posted, and those still failing.",
        )
    if m.mentions and any(m.mentions.values()):
        charts["mentions"] = bar_chart(
            "chart-mentions",
            "Listening mentions per department",
            [m.departments.get(d, d) for d in m.mentions],
            {"mentions": list(m.mentions.values())},
            "Mentions in the latest listening snapshot, routed to departments by watch term.",
        )
    return charts


def month_labels(months: list[str], partial: str | None = None) -> list[str]:
    """Chart labels for YYYY-MM months: "Sep" with the year under the first month and
    under each January, and "to date" under a month that is not over."""
    labels = []
    for i, month in enumerate(months):
        year, number = month.split("-")
        under = [year] if i == 0 or number == "01" else []
        if month == partial:
            under.append("to date")
        labels.append("\n".join([MONTHS[int(number) - 1], " ".join(under)]).strip())
    return labels


MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _month_name(month: str) -> str:
    year, number = month.split("-")
    return f"{MONTHS[int(number) - 1]} {year}"


def _span(m: Metrics) -> str:
    return f"{m.months[0]} to {m.months[-1]}" if m.months else "no posts yet"
