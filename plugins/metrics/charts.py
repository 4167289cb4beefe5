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
        "posts_by_month": line_chart(
            "chart-posts-by-month",
            "Posts and active authors per month",
            m.months,
            {
                "posts": [m.month_total(m.posts, month) for month in m.months],
                "active authors": [m.month_total(m.active_authors, month) for month in m.months],
            },
            "Site-wide, all departments; an author active in two departments counts in both.",
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


def _span(m: Metrics) -> str:
    return f"{m.months[0]} to {m.months[-1]}" if m.months else "no posts yet"
