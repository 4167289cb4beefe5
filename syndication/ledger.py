"""The ledger: what was sent where, so that every (entry, platform) is posted exactly once.

One row per (entry, platform), in one of these states:

    seen        existed before syndication was switched on (--baseline): never posted
    pending     claimed by a run, which may be sending it right now
    posted      the platform accepted it: its id and URL are kept; never overwritten
    failed      the last attempt failed; retried by a later run once `next_attempt_at`
                has passed, looked up on the platform first when it `maybe_sent`
    abandoned   failed `max_attempts` times: reported by every run until someone acts
                (`--retry-failed`, or `--dismiss` to accept it is not going out)
    dismissed   abandoned, and a person said so: no longer reported
    retracting  the post was retracted; deleting the copy has been claimed
    retracted   the copy is deleted (or was never made, and never will be)

Claim before send: a run turns a row into `pending` (claimed_by = its run id) in one
transaction that first reads it locked, and only the run holding the claim sends. A row
pending under a run that is still alive is left alone; one left by a dead run (the store
tells which: see syndication/store.py) is taken over and looked up before any resend.
Because the claim is committed before the request leaves, a crash at any moment leaves
either nothing sent, or a pending row that the next run finds on the platform.

`fingerprint` is a hash of the entry's own words when its copy was made: an edited post
has a new one, which is how edits are noticed (and only once each).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from syndication.model import Posted
from syndication.store import Store, StoreError, is_postgresql, new_run_id, open_store, shown

DEFAULT_PATH = ".chorus/ledger.sqlite"
ENV_VAR = "CHORUS_LEDGER"
SCHEMA_VERSION = 2

SCHEMA = (
    """
    CREATE TABLE IF NOT EXISTS syndication (
        entry_id TEXT NOT NULL,
        platform TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('seen', 'pending', 'posted', 'failed',
            'abandoned', 'dismissed', 'retracting', 'retracted')),
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        maybe_sent INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT,
        remote_id TEXT,
        remote_url TEXT,
        fingerprint TEXT,
        claimed_by TEXT,
        published TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (entry_id, platform)
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS syndication_meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    )
    """,
)
COLUMNS = (
    "entry_id, platform, state, attempts, last_error, maybe_sent, next_attempt_at,"
    " remote_id, remote_url, fingerprint, claimed_by, published, created_at, updated_at"
)
# The first schema (states seen/pending/posted/failed, no retry columns): its rows are
# copied into the new table, so a ledger kept by an older Chorus is never lost.
LEGACY_COLUMNS = (
    "entry_id, platform, state, attempts, last_error, remote_id, remote_url, created_at, updated_at"
)


class LedgerError(StoreError):
    """The ledger cannot be used; the message is one line saying what to do."""


@dataclass(frozen=True)
class Row:
    entry_id: str
    platform: str
    state: str
    attempts: int
    last_error: str | None
    maybe_sent: bool
    next_attempt_at: str | None
    remote_id: str | None
    remote_url: str | None
    fingerprint: str | None
    claimed_by: str | None
    published: str | None
    created_at: str
    updated_at: str

    @classmethod
    def posted(cls, entry_id: str, platform: str, url: str) -> Row:
        """A posted copy known only by its URL (what the links file records)."""
        return cls(entry_id, platform, "posted", 1, None, False, None, None, url,
                   None, None, None, "", "")  # fmt: skip

    @classmethod
    def of(cls, values) -> Row:
        values = list(values)
        values[5] = bool(values[5])
        return cls(*values)


@dataclass(frozen=True)
class Claim:
    """This run may send (entry, platform). `reconcile`: an earlier attempt may have gone
    through (a dead run's pending row, or a failure after the request left), so look it up
    on the platform before sending."""

    entry_id: str
    platform: str
    attempts: int
    reconcile: bool
    took_over: str | None = None  # the dead run whose claim this was


def default_path(environ: Mapping[str, str] | None = None, root: Path | None = None) -> str | Path:
    """CHORUS_LEDGER if set (a path, or a postgresql:// URL), else .chorus/ledger.sqlite
    under the project (gitignored)."""
    environ = os.environ if environ is None else environ
    value = environ.get(ENV_VAR) or DEFAULT_PATH
    if is_postgresql(value):
        return value
    path = Path(value)
    if not path.is_absolute() and root is not None:
        path = root / path
    return path


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def stamp(moment: dt.datetime) -> str:
    """Timestamps are UTC ISO strings of one fixed shape, so text order is time order in
    both databases."""
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds")


def exists(location: str | Path) -> bool:
    """A SQLite ledger file with content (a 0-byte file is as good as none), or any URL."""
    if is_postgresql(location):
        return True
    path = Path(location)
    return path.is_file() and path.stat().st_size > 0


class Ledger:
    """One ledger; safe to use from several threads at once (one connection each)."""

    def __init__(
        self,
        location: str | Path,
        *,
        now: Callable[[], dt.datetime] = utcnow,
        read_only: bool = False,
    ):
        self.location = location
        self.shown = shown(location)
        self._now = now
        self.run_id: str | None = None
        self.read_only = read_only
        self.store: Store = open_store(location, read_only=read_only)
        if not read_only:
            self._migrate()

    # --- lifecycle ---------------------------------------------------------------------
    def _migrate(self) -> None:
        with self.store.transaction() as tx:
            self.store.lock_schema(tx)  # runs starting together create the tables once
            legacy = self._legacy(tx)
            if legacy:
                tx.execute("ALTER TABLE syndication RENAME TO syndication_v1")
            for statement in SCHEMA:
                tx.execute(statement)
            if legacy:
                tx.execute(
                    f"INSERT INTO syndication ({LEGACY_COLUMNS}) SELECT {LEGACY_COLUMNS}"
                    " FROM syndication_v1"
                )
                # a failure recorded by the old engine may have been sent: look first
                tx.execute("UPDATE syndication SET maybe_sent = 1 WHERE state = 'failed'")
                tx.execute("DROP TABLE syndication_v1")
            tx.execute(
                "INSERT INTO syndication_meta (key, value) VALUES ('schema', ?)"
                " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (str(SCHEMA_VERSION),),
            )

    def _legacy(self, tx) -> bool:
        """A SQLite ledger of the first schema (PostgreSQL ledgers began with this one)."""
        if self.store.kind != "sqlite":
            return False
        found = tx.execute("SELECT sql FROM sqlite_master WHERE name = 'syndication'").fetchone()
        return bool(found and found[0]) and "maybe_sent" not in found[0]

    def begin_run(self, *, wait: float = 120.0, say: Callable[[str], None] = print) -> str:
        """Take the run lock (SQLite: wait for another local run, or refuse after `wait`)."""
        self.run_id = new_run_id()
        self.store.acquire_run(self.run_id, wait, say)
        return self.run_id

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- reading -----------------------------------------------------------------------
    def _select(self, where: str = "", args: Iterable = ()) -> list[Row]:
        with self.store.transaction() as tx:
            if self.read_only and not self._has_table(tx):
                return []
            found = tx.execute(
                f"SELECT {COLUMNS} FROM syndication {where} ORDER BY entry_id, platform",
                list(args),
            ).fetchall()
        return [Row.of(r) for r in found]

    def _has_table(self, tx) -> bool:
        if self.store.kind == "sqlite":
            sql = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'syndication'"
        else:
            sql = "SELECT 1 FROM information_schema.tables WHERE table_name = 'syndication'"
        return tx.execute(sql).fetchone() is not None

    def get(self, entry_id: str, platform: str) -> Row | None:
        found = self._select("WHERE entry_id = ? AND platform = ?", (entry_id, platform))
        return found[0] if found else None

    def rows(self, state: str | None = None, platform: str | None = None) -> list[Row]:
        clauses, args = [], []
        if state:
            clauses, args = [*clauses, "state = ?"], [*args, state]
        if platform:
            clauses, args = [*clauses, "platform = ?"], [*args, platform]
        return self._select(("WHERE " + " AND ".join(clauses)) if clauses else "", args)

    def snapshot(self) -> dict[tuple[str, str], Row]:
        """(entry id, platform) → row, in one query: what selection compares against."""
        return {(r.entry_id, r.platform): r for r in self._select()}

    def states(self) -> dict[tuple[str, str], str]:
        return {key: row.state for key, row in self.snapshot().items()}

    def links(self) -> dict[str, dict[str, str]]:
        """entry id → {platform: remote URL} for every posted row (the links file's content)."""
        links: dict[str, dict[str, str]] = {}
        for row in self._select("WHERE state = 'posted'"):
            if row.remote_url:
                links.setdefault(row.entry_id, {})[row.platform] = row.remote_url
        return links

    # --- writing: each call one short transaction --------------------------------------
    def mark_seen(self, pairs: Iterable[tuple[str, str, str | None]]) -> int:
        """--baseline: existing entries are 'seen'; rows already in the ledger are kept.
        `pairs` are (entry id, platform, published) — published may be None."""
        now = stamp(self._now())
        rows = [(e, p, pub, now, now) for e, p, pub in pairs]
        with self.store.transaction() as tx:
            return tx.executemany(
                "INSERT INTO syndication (entry_id, platform, state, published, created_at,"
                " updated_at) VALUES (?, ?, 'seen', ?, ?, ?) ON CONFLICT DO NOTHING",
                rows,
            )

    def restore_posted(self, links: Mapping[str, Mapping[str, str]]) -> int:
        """Rows for copies the committed links file knows and the ledger does not (a lost
        or new ledger): the links file is the durable record of what was posted."""
        now = stamp(self._now())
        rows = [
            (entry_id, platform, url, now, now)
            for entry_id, platforms in links.items()
            for platform, url in platforms.items()
        ]
        with self.store.transaction() as tx:
            return tx.executemany(
                "INSERT INTO syndication (entry_id, platform, state, remote_url, created_at,"
                " updated_at) VALUES (?, ?, 'posted', ?, ?, ?) ON CONFLICT DO NOTHING",
                rows,
            )

    def claim(
        self, entry_id: str, platform: str, *, published: str | None = None, force: bool = False
    ) -> Claim | None:
        """Make this run the one that sends (entry, platform), or None if it must not:
        posted, seen, claimed by a live run, failed and not due yet (unless `force`),
        abandoned or retracted."""
        if self.run_id is None:
            raise LedgerError("claim() outside a run: call begin_run() first")
        now = self._now()
        with self.store.transaction() as tx:
            found = tx.execute(
                f"SELECT {COLUMNS} FROM syndication WHERE entry_id = ? AND platform = ?"
                + self.store.lock_row_sql(),
                (entry_id, platform),
            ).fetchone()
            if found is None:
                tx.execute(
                    "INSERT INTO syndication (entry_id, platform, state, attempts, claimed_by,"
                    " published, created_at, updated_at) VALUES (?, ?, 'pending', 1, ?, ?, ?, ?)"
                    " ON CONFLICT DO NOTHING",
                    (entry_id, platform, self.run_id, published, stamp(now), stamp(now)),
                )
                if tx.rowcount != 1:  # another run inserted it between our read and write
                    return None
                return Claim(entry_id, platform, 1, reconcile=False)
            row = Row.of(found)
            took_over = None
            if row.state == "pending":
                if row.claimed_by == self.run_id or (
                    row.claimed_by and self.store.is_alive(row.claimed_by)
                ):
                    return None
                took_over = row.claimed_by or "an earlier run"
                reconcile = True
            elif row.state == "failed":
                due = force or row.next_attempt_at is None or row.next_attempt_at <= stamp(now)
                if not due:
                    return None
                reconcile = row.maybe_sent
            else:
                return None
            tx.execute(
                "UPDATE syndication SET state = 'pending', attempts = attempts + 1,"
                " claimed_by = ?, published = COALESCE(published, ?), updated_at = ?"
                " WHERE entry_id = ? AND platform = ?",
                (self.run_id, published, stamp(now), entry_id, platform),
            )
            return Claim(entry_id, platform, row.attempts + 1, reconcile, took_over)

    def mark_posted(
        self,
        entry_id: str,
        platform: str,
        posted: Posted,
        *,
        fingerprint: str | None = None,
        before_commit: Callable[[], None] | None = None,
    ) -> None:
        """`before_commit` is the crash hook: the update is made but not yet committed.
        A row that is posted already keeps its copy (it is never overwritten)."""
        with self.store.transaction() as tx:
            tx.execute(
                "UPDATE syndication SET state = 'posted', remote_id = ?, remote_url = ?,"
                " last_error = NULL, maybe_sent = 0, next_attempt_at = NULL, claimed_by = NULL,"
                " fingerprint = COALESCE(?, fingerprint), updated_at = ?"
                " WHERE entry_id = ? AND platform = ? AND state != 'posted'",
                (posted.remote_id, posted.url, fingerprint, stamp(self._now()), entry_id, platform),
            )
            if before_commit is not None:
                before_commit()

    def mark_failed(
        self,
        entry_id: str,
        platform: str,
        error: str,
        *,
        maybe_sent: bool = False,
        retry_at: dt.datetime | None = None,
        abandon: bool = False,
    ) -> None:
        """Record a failed attempt of our claim: due again at `retry_at`, or abandoned."""
        state = "abandoned" if abandon else "failed"
        now = self._now()
        with self.store.transaction() as tx:
            tx.execute(
                "UPDATE syndication SET state = ?, last_error = ?, maybe_sent = ?,"
                " next_attempt_at = ?, claimed_by = NULL, updated_at = ?"
                " WHERE entry_id = ? AND platform = ? AND state = 'pending'",
                (state, error, int(maybe_sent), stamp(retry_at or now), stamp(now),
                 entry_id, platform),
            )  # fmt: skip

    def set_fingerprint(self, entry_id: str, platform: str, fingerprint: str) -> None:
        """The copy now shows this version of the entry (edited, or reported as not
        editable, or adopted from a ledger that kept no fingerprints): also ends an edit
        claim."""
        with self.store.transaction() as tx:
            tx.execute(
                "UPDATE syndication SET fingerprint = ?, claimed_by = NULL, last_error = NULL,"
                " updated_at = ?"
                " WHERE entry_id = ? AND platform = ? AND state = 'posted'",
                (fingerprint, stamp(self._now()), entry_id, platform),
            )

    def claim_edit(self, entry_id: str, platform: str, fingerprint: str) -> Row | None:
        """The posted row whose copy this run must update to `fingerprint`'s version, or
        None: not posted, up to date already, or another live run is editing it."""
        if self.run_id is None:
            raise LedgerError("claim_edit() outside a run: call begin_run() first")
        with self.store.transaction() as tx:
            found = tx.execute(
                f"SELECT {COLUMNS} FROM syndication WHERE entry_id = ? AND platform = ?"
                + self.store.lock_row_sql(),
                (entry_id, platform),
            ).fetchone()
            row = Row.of(found) if found else None
            if row is None or row.state != "posted" or row.fingerprint == fingerprint:
                return None
            if row.claimed_by and (
                row.claimed_by == self.run_id or self.store.is_alive(row.claimed_by)
            ):
                return None
            tx.execute(
                "UPDATE syndication SET claimed_by = ?, updated_at = ?"
                " WHERE entry_id = ? AND platform = ?",
                (self.run_id, stamp(self._now()), entry_id, platform),
            )
            return row

    def edit_failed(self, entry_id: str, platform: str, error: str) -> None:
        """The copy keeps its old version; the next run tries the edit again."""
        with self.store.transaction() as tx:
            tx.execute(
                "UPDATE syndication SET last_error = ?, claimed_by = NULL, updated_at = ?"
                " WHERE entry_id = ? AND platform = ? AND state = 'posted'",
                (error, stamp(self._now()), entry_id, platform),
            )

    def retry_now(self, platform: str | None = None) -> int:
        """--retry-failed: every failed or abandoned row is due now (looked up first if it
        may have been sent; the attempt count starts again)."""
        sql = (
            "UPDATE syndication SET state = 'failed', attempts = 0, next_attempt_at = ?,"
            " updated_at = ? WHERE state IN ('failed', 'abandoned')"
        )
        now = stamp(self._now())
        args: list = [now, now]
        if platform:
            sql, args = sql + " AND platform = ?", [*args, platform]
        with self.store.transaction() as tx:
            return tx.execute(sql, args).rowcount

    def dismiss(self, platform: str | None = None) -> int:
        """--dismiss: abandoned rows are accepted as not going out; no longer reported."""
        sql = "UPDATE syndication SET state = 'dismissed', updated_at = ? WHERE state = 'abandoned'"
        args: list = [stamp(self._now())]
        if platform:
            sql, args = sql + " AND platform = ?", [*args, platform]
        with self.store.transaction() as tx:
            return tx.execute(sql, args).rowcount

    # --- retractions -------------------------------------------------------------------
    def claim_retraction(self, entry_id: str, platform: str) -> Row | None:
        """The row whose copy this run must delete, now 'retracting'; None when there is
        nothing to delete (never posted: the row becomes 'retracted' so it never will be)
        or another live run is deleting it."""
        if self.run_id is None:
            raise LedgerError("claim_retraction() outside a run: call begin_run() first")
        now = stamp(self._now())
        with self.store.transaction() as tx:
            found = tx.execute(
                f"SELECT {COLUMNS} FROM syndication WHERE entry_id = ? AND platform = ?"
                + self.store.lock_row_sql(),
                (entry_id, platform),
            ).fetchone()
            row = Row.of(found) if found else None
            if row is None:
                tx.execute(
                    "INSERT INTO syndication (entry_id, platform, state, created_at, updated_at)"
                    " VALUES (?, ?, 'retracted', ?, ?) ON CONFLICT DO NOTHING",
                    (entry_id, platform, now, now),
                )
                return None
            if row.state == "retracted":
                return None
            if row.state == "retracting":
                if row.claimed_by == self.run_id or (
                    row.claimed_by and self.store.is_alive(row.claimed_by)
                ):
                    return None
            elif row.state == "pending" and row.claimed_by and self.store.is_alive(row.claimed_by):
                return None  # being posted right now; the next run deletes it
            elif row.state != "posted" and not (row.state == "pending" or row.maybe_sent):
                # seen, failed before sending, abandoned, dismissed: nothing is out there
                tx.execute(
                    "UPDATE syndication SET state = 'retracted', claimed_by = NULL,"
                    " updated_at = ? WHERE entry_id = ? AND platform = ?",
                    (now, entry_id, platform),
                )
                return None
            tx.execute(
                "UPDATE syndication SET state = 'retracting', claimed_by = ?, updated_at = ?"
                " WHERE entry_id = ? AND platform = ?",
                (self.run_id, now, entry_id, platform),
            )
            return Row.of([*found[:2], "retracting", *found[3:]])

    def mark_retracted(self, entry_id: str, platform: str) -> None:
        with self.store.transaction() as tx:
            tx.execute(
                "UPDATE syndication SET state = 'retracted', last_error = NULL,"
                " claimed_by = NULL, updated_at = ? WHERE entry_id = ? AND platform = ?",
                (stamp(self._now()), entry_id, platform),
            )

    def retraction_failed(self, entry_id: str, platform: str, error: str) -> None:
        """Stays 'retracting' (the next run tries again), with the reason."""
        with self.store.transaction() as tx:
            tx.execute(
                "UPDATE syndication SET last_error = ?, claimed_by = NULL, updated_at = ?"
                " WHERE entry_id = ? AND platform = ? AND state = 'retracting'",
                (error, stamp(self._now()), entry_id, platform),
            )
