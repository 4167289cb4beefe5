"""The reader's fast date is the very object pelican-yaml-metadata makes: same class, value,
time zone and formatting, or the same error."""

import datetime as dt
from pathlib import Path

import pytest
import yaml
from pelican.plugins.yaml_metadata.yaml_metadata import _parse_date

from plugins.posts.reader import pelican_date

ROOT = Path(__file__).resolve().parent.parent
CASES = [
    "2026-03-04",
    "2026-03-04 09:00",
    "2026-03-04 09:00:00",
    "2026-03-04T09:00:00",
    "2026-03-04 09:00:00.5",
    "2026-03-04 09:00:00.123456",
    "2026-03-04  09:00",
    " 2026-03-04 09:00 ",
    "2026_03_04",
    "2026-03-04T09:00:00+01:00",
    "2026-03-04T09:00:00Z",
    "2026-03-04T09:00:00+00:00",
    "2026-03-04T09:00:00-05:30",
    "2026-3-4 9:00",
    "March 4, 2026",
    "20260304",
    "2026-03-04T09",
    dt.date(2026, 3, 4),
    dt.datetime(2026, 3, 4, 9, 0),
    dt.datetime(2026, 3, 4, 9, 0, tzinfo=dt.UTC),
    dt.datetime(2026, 3, 4, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=2))),
]
BAD = ["2026-02-30", "2026-03-04 25:00", "not a date", "2026-13-01"]


def demo_dates() -> list:
    found = []
    for path in sorted((ROOT / "content" / "posts").rglob("*.md")):
        head = path.read_text(encoding="utf-8").split("---")[1]
        meta = yaml.safe_load(head) or {}
        found += [meta[k] for k in ("date", "modified") if meta.get(k) is not None]
    return found


def shape(value: dt.datetime) -> tuple:
    return type(value), value, repr(value.tzinfo), value.strftime("%Y %m %d %H %M %S %f %Z %z")


@pytest.mark.parametrize("value", CASES + demo_dates(), ids=str)
def test_same_date_as_pelican(value):
    assert shape(pelican_date(value)) == shape(_parse_date(value))


@pytest.mark.parametrize("value", BAD)
def test_same_error_as_pelican(value):
    with pytest.raises(ValueError) as theirs:
        _parse_date(value)
    with pytest.raises(ValueError) as ours:
        pelican_date(value)
    assert str(ours.value) == str(theirs.value)
