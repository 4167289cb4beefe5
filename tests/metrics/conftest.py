"""Expectations for the metrics, computed from the content files with nothing but PyYAML and
plain loops — never with plugins.metrics, so a bug there cannot confirm itself."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def front_matter(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    _, block, _ = text.split("---\n", 2)
    return yaml.safe_load(block)


def read_demo_posts(content: Path) -> list[dict]:
    posts = []
    for path in sorted((content / "posts").glob("*/*.md")):
        meta = front_matter(path)
        date = meta["date"]
        if isinstance(date, str):
            date = dt.datetime.strptime(date, "%Y-%m-%d %H:%M")
        posts.append(
            {
                "department": meta.get("department", path.parent.name),
                "author": meta["author"],
                "day": date.date() if isinstance(date, dt.datetime) else date,
                "status": meta.get("status", "published"),
                "audience": meta.get("audience", "public"),
            }
        )
    return posts


def expected(content: Path, today: dt.date) -> dict:
    departments = yaml.safe_load((content / "departments.yaml").read_text(encoding="utf-8"))
    live = [
        p
        for p in read_demo_posts(content)
        if p["status"] == "published" and p["audience"] == "public" and p["day"] <= today
    ]
    posts: dict[str, dict[str, int]] = {}
    active: dict[str, dict[str, set]] = {}
    for p in live:
        month = p["day"].strftime("%Y-%m")
        posts.setdefault(p["department"], {}).setdefault(month, 0)
        posts[p["department"]][month] += 1
        active.setdefault(p["department"], {}).setdefault(month, set()).add(p["author"])
    first: dict[str, dict[str, int]] = {}
    for author in {p["author"] for p in live}:
        earliest = min((p for p in live if p["author"] == author), key=lambda p: p["day"])
        month = earliest["day"].strftime("%Y-%m")
        first.setdefault(earliest["department"], {}).setdefault(month, 0)
        first[earliest["department"]][month] += 1
    cutoff = today - dt.timedelta(days=90)
    recent = {p["department"] for p in live if p["day"] >= cutoff}
    return {
        "departments": {slug: info["name"] for slug, info in departments.items()},
        "posts": posts,
        "active_authors": {d: {m: len(a) for m, a in ms.items()} for d, ms in active.items()},
        "authors_total": {
            d: len({p["author"] for p in live if p["department"] == d}) for d in departments
        },
        "first_time_authors": first,
        "departments_posted": [d for d in departments if d in recent],
        "published": len(live),
    }
