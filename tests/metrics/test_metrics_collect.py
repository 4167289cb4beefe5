"""Posts, active and first-time authors, and the 90-day share, on the demo content."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml

from plugins.metrics.collect import PostRecord, count_posts, month_range
from tests.metrics.conftest import FIXTURES, ROOT, expected, read_demo_posts

CONTENT = ROOT / "content"


def demo_records() -> list[PostRecord]:
    """The demo posts as the public build hands them to metrics (internal posts are not in
    it), read by the tests' own reader rather than by the plugin."""
    return [
        PostRecord(p["department"], p["author"], p["day"], status=p["status"])
        for p in read_demo_posts(CONTENT)
        if p["audience"] == "public"
    ]


@pytest.fixture(scope="module")
def departments() -> dict[str, str]:
    return expected(CONTENT, dt.date(2026, 11, 24))["departments"]


@pytest.mark.parametrize(
    "today",
    [dt.date(2026, 11, 24), dt.date(2026, 12, 20), dt.date(2027, 2, 10), dt.date(2026, 10, 1)],
)
def test_demo_numbers_match_the_content_files(today, departments):
    want = expected(CONTENT, today)
    got = count_posts(demo_records(), departments, today)
    assert got.posts == want["posts"]
    assert got.active_authors == want["active_authors"]
    assert got.first_time_authors == want["first_time_authors"]
    assert got.departments_posted == want["departments_posted"]
    assert got.share_posted == len(want["departments_posted"]) / len(departments)
    assert sum(got.total(got.posts, d) for d in got.posts) == want["published"]


def test_the_window_moves_with_the_injected_date(departments):
    # Marketing's only published post is dated 2026-09-18: inside the window on 2026-11-24,
    # outside it 90 days after (the draft of 2026-11-18 never counts).
    posts = demo_records()
    assert "marketing" in count_posts(posts, departments, dt.date(2026, 11, 24)).departments_posted
    later = count_posts(posts, departments, dt.date(2026, 12, 20))
    assert "marketing" not in later.departments_posted
    assert len(later.departments_posted) < len(departments)


def test_drafts_and_future_posts_do_not_count():
    posts = [
        PostRecord("hr", "zoe", dt.date(2026, 9, 1)),
        PostRecord("hr", "zoe", dt.date(2026, 9, 20)),
        PostRecord("hr", "ann", dt.date(2026, 9, 21), status="draft"),
        PostRecord("it", "ann", dt.date(2026, 12, 1)),  # scheduled after "today"
        PostRecord("it", "bob", dt.date(2026, 11, 2)),
    ]
    m = count_posts(posts, {"hr": "HR", "it": "IT", "sales": "Sales"}, dt.date(2026, 11, 30))
    assert m.posts == {"hr": {"2026-09": 2}, "it": {"2026-11": 1}}
    assert m.active_authors == {"hr": {"2026-09": 1}, "it": {"2026-11": 1}}
    assert m.first_time_authors == {"hr": {"2026-09": 1}, "it": {"2026-11": 1}}
    assert m.months == ["2026-09", "2026-10", "2026-11"]  # October is a zero, not a gap
    assert m.departments_posted == ["hr", "it"]  # 2026-09-01 is exactly 90 days before
    assert m.share_posted == pytest.approx(2 / 3)


def test_a_first_time_author_counts_once_in_the_department_of_their_first_post():
    posts = [
        PostRecord("it", "ann", dt.date(2026, 10, 5)),
        PostRecord("hr", "ann", dt.date(2026, 11, 5)),
        PostRecord("hr", "bob", dt.date(2026, 11, 6)),
    ]
    m = count_posts(posts, {"hr": "HR", "it": "IT"}, dt.date(2026, 11, 30))
    assert m.first_time_authors == {"it": {"2026-10": 1}, "hr": {"2026-11": 1}}
    assert m.active_authors == {"it": {"2026-10": 1}, "hr": {"2026-11": 2}}


def test_no_posts_at_all():
    m = count_posts([], {"hr": "HR"}, dt.date(2026, 11, 30))
    assert (m.months, m.posts, m.departments_posted, m.share_posted) == ([], {}, [], 0.0)


def test_month_range_crosses_the_year():
    assert month_range(dt.date(2026, 11, 30), dt.date(2027, 2, 1)) == [
        "2026-11",
        "2026-12",
        "2027-01",
        "2027-02",
    ]


def from_fixture(name: str):
    data = yaml.safe_load((FIXTURES / name).read_text(encoding="utf-8"))
    posts = [PostRecord(p["department"], p["author"], p["date"]) for p in data["posts"]]
    return count_posts(posts, data["departments"], data["today"])


def test_author_totals_are_people_not_sums_of_months():
    m = from_fixture("posts-warehouse.yaml")
    assert m.active_authors["warehouse"] == {"2026-09": 1, "2026-10": 1, "2026-11": 2}
    assert m.total(m.active_authors, "warehouse") == 4  # what the page used to show
    assert m.authors_total == {"warehouse": 2, "hr": 1}
    # site-wide, maria.lopez in two departments in one month is still one author
    assert m.site_active_authors == {"2026-09": 1, "2026-10": 1, "2026-11": 2, "2026-12": 1}
    assert m.site_authors_total == 2
    assert sum(m.month_totals(m.first_time_authors).values()) == 2


def test_the_build_dates_month_is_marked_partial_and_months_run_to_it():
    m = from_fixture("posts-warehouse.yaml")
    assert m.months == ["2026-09", "2026-10", "2026-11", "2026-12"]
    assert m.partial_month == "2026-12"
    # a build long after the last post: the quiet months are zeros up to the month to date
    later = count_posts(
        [PostRecord("hr", "ann", dt.date(2026, 10, 3))], {"hr": "HR"}, dt.date(2027, 1, 15)
    )
    assert later.months == ["2026-10", "2026-11", "2026-12", "2027-01"]
    assert later.partial_month == "2027-01"
    assert later.site_active_authors["2027-01"] == 0
    assert count_posts([], {"hr": "HR"}, dt.date(2027, 1, 15)).partial_month is None
