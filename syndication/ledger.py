"""The ledger: what was sent where, so that every (entry, platform) is posted exactly once.

SQLite because it is one file, transactional and in the standard library. A row is written
'pending' and committed *before* anything is sent, and 'posted' after the platform accepted
it; a crash in between leaves a 'pending' row that the next run reconciles with the platform
(platform.find) instead of resending blindly. 'seen' rows are entries that existed before
syndication was switched on (`--baseline`): never posted, never selected again.

Platforms run in parallel threads, so each thread gets its own connection (sqlite3
connections must not be shared across threads), the database is in WAL mode (readers never
block the writer) and every write is one short transaction.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from syndication.model import Posted

DEFAULT_PATH = ".chorus/ledger.sqlite"
ENV_VAR = "CHORUS_LEDGER"
STATES = ("seen", "pending", "posted", "failed")

SCHEMA = """
CREATE TABLE IF NOT EXISTS syndication (
    entry_id TEXT NOT NULL,
    platform TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('seen', 'pending', 'posted', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    remote_id TEXT,
    remote_url TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (entry_id, platform)
)
"""


@dataclass(frozen=True)
class Row:
    entry_id: str
    platform: str
    state: str
    attempts: int
    last_error: str | None
    remote_id: str | None
    remote_url: str | None
    created_at: str
    updated_at: str


def default_path(environ: dict | None = None, root: Path | None = None) -> Path:
    """CHORUS_LEDGER if set, else .chorus/ledger.sqlite under the project (gitignored)."""
    environ = os.environ if environ is None else environ
    value = environ.get(ENV_VAR) or DEFAULT_PATH
    path = Path(value)
    if not path.is_absolute() and root is not None:
        path = root / path
    return path


def _utcnow() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class Ledger:
    """One ledger file; safe to use from several threads at once (one connection each)."""

    def __init__(self, path: str | Path, *, now: Callable[[], str] = _utcnow):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._now = now
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        with self._transaction() as db:
            db.execute(SCHEMA)

    def _db(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            # isolation_level=None: we say BEGIN/COMMIT ourselves, so a transaction is exactly
            # the statements inside _transaction(), never more
            # check_same_thread=False only so close() may run in the main thread once the
            # workers are done; each connection is still used by its own thread alone
            db = sqlite3.connect(
                self.path, timeout=30, isolation_level=None, check_same_thread=False
            )
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=FULL")  # a 'pending' row must survive a power cut
            db.execute("PRAGMA busy_timeout=30000")
            self._local.db = db
            with self._lock:
                self._connections.append(db)
        return db

    class _Tx:
        def __init__(self, db: sqlite3.Connection):
            self.db = db

        def __enter__(self) -> sqlite3.Connection:
            self.db.execute("BEGIN IMMEDIATE")
            return self.db

        def __exit__(self, kind, value, tb) -> None:
            self.db.execute("COMMIT" if kind is None else "ROLLBACK")

    def _transaction(self) -> Ledger._Tx:
        return Ledger._Tx(self._db())

    def close(self) -> None:
        with self._lock:
            for db in self._connections:
                db.close()
            self._connections.clear()
        self._local = threading.local()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- reading ---------------------------------------------------------------------------
    def get(self, entry_id: str, platform: str) -> Row | None:
        cur = self._db().execute(
            "SELECT * FROM syndication WHERE entry_id = ? AND platform = ?", (entry_id, platform)
        )
        found = cur.fetchone()
        return Row(*found) if found else None

    def rows(self, state: str | None = None, platform: str | None = None) -> list[Row]:
        sql, args = "SELECT * FROM syndication WHERE 1=1", []
        if state:
            sql, args = sql + " AND state = ?", [*args, state]
        if platform:
            sql, args = sql + " AND platform = ?", [*args, platform]
        cur = self._db().execute(sql + " ORDER BY entry_id, platform", args)
        return [Row(*r) for r in cur.fetchall()]

    def states(self) -> dict[tuple[str, str], str]:
        """(entry id, platform) → state, in one query: what selection compares against."""
        cur = self._db().execute("SELECT entry_id, platform, state FROM syndication")
        return {(e, p): s for e, p, s in cur.fetchall()}

    def links(self) -> dict[str, dict[str, str]]:
        """entry id → {platform: remote URL} for every posted row (the links file's content)."""
        links: dict[str, dict[str, str]] = {}
        cur = self._db().execute(
            "SELECT entry_id, platform, remote_url FROM syndication"
            " WHERE state = 'posted' AND remote_url IS NOT NULL AND remote_url != ''"
        )
        for entry_id, platform, url in cur.fetchall():
            links.setdefault(entry_id, {})[platform] = url
        return links

    # --- writing (each call one short transaction) -----------------------------------------
    def mark_seen(self, pairs: Iterable[tuple[str, str]]) -> int:
        """--baseline: existing entries are 'seen'; rows already in the ledger are kept."""
        now = self._now()
        with self._transaction() as db:
            before = db.total_changes
            db.executemany(
                "INSERT OR IGNORE INTO syndication"
                " (entry_id, platform, state, attempts, created_at, updated_at)"
                " VALUES (?, ?, 'seen', 0, ?, ?)",
                [(e, p, now, now) for e, p in pairs],
            )
            return db.total_changes - before

    def mark_pending(self, entry_id: str, platform: str) -> None:
        """Committed before the request goes out: the promise that we may have sent it."""
        now = self._now()
        with self._transaction() as db:
            db.execute(
                "INSERT INTO syndication"
                " (entry_id, platform, state, attempts, created_at, updated_at)"
                " VALUES (?, ?, 'pending', 1, ?, ?)"
                " ON CONFLICT (entry_id, platform) DO UPDATE SET state = 'pending',"
                " attempts = attempts + 1, updated_at = excluded.updated_at",
                (entry_id, platform, now, now),
            )

    def mark_posted(
        self,
        entry_id: str,
        platform: str,
        posted: Posted,
        *,
        before_commit: Callable[[], None] | None = None,
    ) -> None:
        """`before_commit` is the crash hook: the update is made but not yet committed."""
        with self._transaction() as db:
            db.execute(
                "UPDATE syndication SET state = 'posted', remote_id = ?, remote_url = ?,"
                " last_error = NULL, updated_at = ? WHERE entry_id = ? AND platform = ?",
                (posted.remote_id, posted.url, self._now(), entry_id, platform),
            )
            if before_commit is not None:
                before_commit()

    def mark_failed(self, entry_id: str, platform: str, error: str) -> None:
        with self._transaction() as db:
            now = self._now()
            db.execute(
                "INSERT INTO syndication"
                " (entry_id, platform, state, attempts, last_error, created_at, updated_at)"
                " VALUES (?, ?, 'failed', 0, ?, ?, ?)"
                " ON CONFLICT (entry_id, platform) DO UPDATE SET state = 'failed',"
                " last_error = excluded.last_error, updated_at = excluded.updated_at",
                (entry_id, platform, error, now, now),
            )
