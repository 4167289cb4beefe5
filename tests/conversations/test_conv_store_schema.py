"""A store made before response counts existed gains the column on first open, on both
drivers, and its rows read as one response each."""

from __future__ import annotations

from pathlib import Path

import pytest

from conversations.model import Author, Response
from conversations.store import ResponseStore
from syndication.ledger import Ledger
from tests.servers import postgresql, postgresql_binaries

BEFORE_COUNTS = """
    CREATE TABLE conversation_responses (
        platform TEXT NOT NULL, copy_id TEXT NOT NULL, response_id TEXT NOT NULL,
        kind TEXT NOT NULL, author_handle TEXT NOT NULL, author_name TEXT NOT NULL,
        author_url TEXT NOT NULL, text TEXT NOT NULL, url TEXT NOT NULL,
        published TEXT NOT NULL, updated TEXT NOT NULL, parent_id TEXT NOT NULL,
        seen_at TEXT NOT NULL, PRIMARY KEY (platform, copy_id, response_id)
    )
"""
OLD_ROW = (
    "INSERT INTO conversation_responses VALUES ('mastodon', '100', 'like:7', 'like',"
    " 'ana@m.example', 'Ana', '', '', '', '', '', '', '2026-11-20T10:00:00Z')"
)


def check(location: str) -> None:
    with Ledger(location) as ledger:
        with ledger.store.transaction() as tx:
            tx.execute(BEFORE_COUNTS)
            tx.execute(OLD_ROW)
        store = ResponseStore(ledger.store)
        assert [r.count for r in store.responses()] == [1]
        total = Response("facebook", "1_2", "like:total", "like", Author("", "", ""), count=9)
        store.replace("facebook", "1_2", "e", [total])
        assert store.responses("facebook")[0].count == 9
        ResponseStore(ledger.store)  # a second open leaves it as it is


def test_sqlite_store_gains_counts(tmp_path: Path) -> None:
    check(str(tmp_path / "ledger.sqlite"))


@pytest.mark.integration
def test_postgresql_store_gains_counts() -> None:
    if postgresql_binaries() is None:
        pytest.skip("PostgreSQL is not installed (Debian: apt-get install postgresql)")
    with postgresql() as url:
        check(url)
