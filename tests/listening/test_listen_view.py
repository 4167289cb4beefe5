"""The Listening page's data: each mention once, and how old the snapshot is."""

from __future__ import annotations

import datetime as dt
import json

from plugins.listening.view import make_view
from tests.conftest import ROOT

SNAPSHOT = json.loads((ROOT / "content" / "listening" / "snapshot.json").read_text("utf-8"))
DEPARTMENTS = {"sales": "Sales", "support": "Customer Support", "finance": "Finance"}
TAKEN = dt.datetime.fromisoformat(SNAPSHOT["generated"])


def view(now: dt.datetime, **kwargs):
    return make_view(
        SNAPSHOT, DEPARTMENTS, lambda slug: f"feeds/listening/{slug}.atom.xml", now=now, **kwargs
    )


def test_each_mention_is_listed_once_with_all_its_departments():
    v = view(TAKEN)
    assert [m.id for m in v.mentions] == [m["id"] for m in SNAPSHOT["mentions"]]
    assert len(v.mentions) == v.mention_count == len({m["id"] for m in SNAPSHOT["mentions"]})
    routed = sum(len(m["departments"]) for m in SNAPSHOT["mentions"])
    assert routed > len(v.mentions)  # what the page used to print, one copy per department
    assert v.department_name("support") == "Customer Support"
    assert v.department_name("product") == "product"  # routed to, not in DEPARTMENTS


def test_a_snapshot_older_than_the_limit_is_stale():
    assert not view(TAKEN + dt.timedelta(days=3, hours=23)).stale  # 3 whole days: fine
    old = view(TAKEN + dt.timedelta(days=4))
    assert old.stale and old.age_days == 4
    assert not view(TAKEN + dt.timedelta(days=4), stale_days=7).stale
    assert not make_view(None, DEPARTMENTS, str, now=TAKEN).stale  # no snapshot: said elsewhere
