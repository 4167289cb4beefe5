"""Responses per copy, in the ledger's own store (SQLite or PostgreSQL, same SQL).

A fetch replaces a copy's responses as a whole: what the platform no longer returns (a
deleted reply, an undone like) is gone after the next fetch, and an edit overwrites the
text. `seen_at` keeps the first time we saw a response, across fetches, so the inbox can
tell how old a conversation is. A copy that answers 404/410 is marked gone once and not
asked again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from conversations.model import Author, Response
from syndication.store import Store

SCHEMA = (
    """
    CREATE TABLE IF NOT EXISTS conversation_responses (
        platform TEXT NOT NULL,
        copy_id TEXT NOT NULL,
        response_id TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('reply', 'like', 'repost', 'quote')),
        author_handle TEXT NOT NULL,
        author_name TEXT NOT NULL,
        author_url TEXT NOT NULL,
        text TEXT NOT NULL,
        url TEXT NOT NULL,
        published TEXT NOT NULL,
        updated TEXT NOT NULL,
        parent_id TEXT NOT NULL,
        seen_at TEXT NOT NULL,
        count INTEGER NOT NULL DEFAULT 1,
        PRIMARY KEY (platform, copy_id, response_id)
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS conversation_copies (
        platform TEXT NOT NULL,
        copy_id TEXT NOT NULL,
        entry_id TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('live', 'gone')),
        fetched_at TEXT,
        last_error TEXT,
        signature TEXT,
        PRIMARY KEY (platform, copy_id)
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS conversation_limits (
        platform TEXT PRIMARY KEY,
        resume_at TEXT NOT NULL
    )
    """,
)
FIELDS = (
    "platform, copy_id, response_id, kind, author_handle, author_name, author_url, text,"
    " url, published, updated, parent_id, seen_at, count"
)
ADDED = {"count": "INTEGER NOT NULL DEFAULT 1"}  # columns a store made before them lacks


def now_stamp() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class CopyState:
    gone: bool = False  # our copy answered 404/410 once: never asked again
    fetched_at: str | None = None  # last read, in full or found unchanged
    signature: str | None = None  # the counts last seen (one cheap request tells a change)


class ResponseStore:
    def __init__(self, store: Store):
        self.store = store
        with self.store.transaction() as tx:
            self.store.lock_schema(tx)
            for statement in SCHEMA:
                tx.execute(statement)
            tx.execute("SELECT * FROM conversation_responses WHERE 1 = 0")
            present = set(tx.columns)
            for name, definition in ADDED.items():
                if name not in present:
                    tx.execute(f"ALTER TABLE conversation_responses ADD COLUMN {name} {definition}")

    def copy(self, platform: str, copy_id: str) -> CopyState:
        """What a fetch needs to know of one copy before asking the platform: one read."""
        with self.store.transaction() as tx:
            found = tx.execute(
                "SELECT state, fetched_at, signature FROM conversation_copies"
                " WHERE platform = ? AND copy_id = ?",
                (platform, copy_id),
            ).fetchone()
        if not found:
            return CopyState()
        return CopyState(found[0] == "gone", found[1], found[2])

    def mark_gone(self, platform: str, copy_id: str, entry_id: str) -> bool:
        """True the first time only (the caller says so once)."""
        with self.store.transaction() as tx:
            found = tx.execute(
                "SELECT state FROM conversation_copies WHERE platform = ? AND copy_id = ?",
                (platform, copy_id),
            ).fetchone()
            if found and found[0] == "gone":
                return False
            tx.execute(
                "INSERT INTO conversation_copies (platform, copy_id, entry_id, state, fetched_at)"
                " VALUES (?, ?, ?, 'gone', ?) ON CONFLICT (platform, copy_id) DO UPDATE"
                " SET state = 'gone', fetched_at = excluded.fetched_at",
                (platform, copy_id, entry_id, now_stamp()),
            )
            tx.execute(
                "DELETE FROM conversation_responses WHERE platform = ? AND copy_id = ?",
                (platform, copy_id),
            )
        return True

    def replace(
        self, platform: str, copy_id: str, entry_id: str, responses: Iterable[Response]
    ) -> tuple[int, int]:
        """Store a complete fetch of one copy in one transaction; (new, removed)."""
        now = now_stamp()
        fresh = {r.response_id: r for r in responses if not r.author.opted_out}
        with self.store.transaction() as tx:
            old = dict(
                tx.execute(
                    "SELECT response_id, seen_at FROM conversation_responses"
                    " WHERE platform = ? AND copy_id = ?",
                    (platform, copy_id),
                ).fetchall()
            )
            tx.execute(
                "DELETE FROM conversation_responses WHERE platform = ? AND copy_id = ?",
                (platform, copy_id),
            )
            rows = [
                (platform, copy_id, r.response_id, r.kind, r.author.handle, r.author.name,
                 r.author.url, r.text, r.url, r.published, r.updated, r.parent_id,
                 old.get(r.response_id, now), r.count)
                for r in fresh.values()
            ]  # fmt: skip
            if rows:
                tx.executemany(
                    f"INSERT INTO conversation_responses ({FIELDS}) VALUES"
                    " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    rows,
                )
            tx.execute(
                "INSERT INTO conversation_copies (platform, copy_id, entry_id, state, fetched_at)"
                " VALUES (?, ?, ?, 'live', ?) ON CONFLICT (platform, copy_id) DO UPDATE"
                " SET fetched_at = excluded.fetched_at, last_error = NULL",
                (platform, copy_id, entry_id, now),
            )
        return len(set(fresh) - set(old)), len(set(old) - set(fresh))

    def touch(self, platform: str, copy_id: str, now: str | None = None) -> None:
        """Found unchanged: counts as read now, for the polling schedule."""
        with self.store.transaction() as tx:
            tx.execute(
                "UPDATE conversation_copies SET fetched_at = ?, last_error = NULL"
                " WHERE platform = ? AND copy_id = ?",
                (now or now_stamp(), platform, copy_id),
            )

    def set_signature(self, platform: str, copy_id: str, signature: str) -> None:
        with self.store.transaction() as tx:
            tx.execute(
                "UPDATE conversation_copies SET signature = ? WHERE platform = ? AND copy_id = ?",
                (signature, platform, copy_id),
            )

    def resume_at(self, platform: str) -> str | None:
        """When a platform that answered 429 said reads may resume (ISO 8601 UTC)."""
        with self.store.transaction() as tx:
            found = tx.execute(
                "SELECT resume_at FROM conversation_limits WHERE platform = ?", (platform,)
            ).fetchone()
        return found[0] if found else None

    def limit(self, platform: str, resume_at: str) -> None:
        with self.store.transaction() as tx:
            tx.execute(
                "INSERT INTO conversation_limits (platform, resume_at) VALUES (?, ?)"
                " ON CONFLICT (platform) DO UPDATE SET resume_at = excluded.resume_at",
                (platform, resume_at),
            )

    def failed(self, platform: str, copy_id: str, entry_id: str, error: str) -> None:
        """Keep what was fetched before; remember why this fetch did not happen."""
        with self.store.transaction() as tx:
            tx.execute(
                "INSERT INTO conversation_copies (platform, copy_id, entry_id, state, last_error)"
                " VALUES (?, ?, ?, 'live', ?) ON CONFLICT (platform, copy_id) DO UPDATE"
                " SET last_error = excluded.last_error",
                (platform, copy_id, entry_id, error),
            )

    def responses(self, platform: str | None = None, copy_id: str | None = None) -> list[Response]:
        clauses, args = [], []
        if platform:
            clauses, args = ["platform = ?"], [platform]
        if copy_id:
            clauses, args = [*clauses, "copy_id = ?"], [*args, copy_id]
        where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
        with self.store.transaction() as tx:
            found = tx.execute(
                f"SELECT {FIELDS} FROM conversation_responses {where}"
                " ORDER BY platform, copy_id, published, response_id",
                args,
            ).fetchall()
        return [
            Response(p, c, rid, kind, Author(h, n, u), text, url, pub, upd, parent, count)
            for (p, c, rid, kind, h, n, u, text, url, pub, upd, parent, _seen, count) in found
        ]

    def entries(self) -> dict[tuple[str, str], str]:
        """(platform, copy id) → entry id, for the snapshot."""
        with self.store.transaction() as tx:
            found = tx.execute(
                "SELECT platform, copy_id, entry_id FROM conversation_copies"
            ).fetchall()
        return {(p, c): e for p, c, e in found}
