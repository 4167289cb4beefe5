"""Where the engine keeps its state: one SQLite file (the embedded default) or a PostgreSQL
database (`CHORUS_LEDGER=postgresql://…`) for organizations with several CI runners or
several sites. Both speak the same SQL, hold the same tables and give the same guarantees:

- every write is one short transaction, and a claim reads and writes its row inside one
  (SQLite: BEGIN IMMEDIATE locks the file; PostgreSQL: SELECT … FOR UPDATE locks the row);
- a run holds a lock for as long as its process lives, so another run can tell a row
  claimed by a live run (leave it alone) from one left by a crashed run (look it up, then
  finish it). SQLite: an exclusive lock on `<ledger>.lock`, so a second local run waits
  for the first (or refuses, after `wait` seconds); PostgreSQL: a session advisory lock per
  run, which the server releases by itself when the run's connection dies, SIGKILL
  included, so runs on different machines proceed side by side.

Every failure to open, read or write is a StoreError with one line saying what and where
(a corrupt file, a read-only file, a full disk, an unreachable server), never a traceback.
The SQL is written with `?` placeholders; the PostgreSQL side turns them into `%s`.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import socket
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

LOCK_NAMESPACE = 0x43484F52  # "CHOR": the first key of our advisory locks


class StoreError(Exception):
    """The ledger cannot be opened, read or written; the message is one line."""


def is_postgresql(location: str | Path) -> bool:
    return str(location).startswith(("postgresql://", "postgres://"))


def shown(location: str | Path) -> str:
    """The location as messages show it: a database URL without its password."""
    text = str(location)
    if not is_postgresql(text):
        return text
    parts = urlsplit(text)
    netloc = parts.netloc
    if "@" in netloc:
        user, host = netloc.rsplit("@", 1)
        netloc = f"{user.split(':', 1)[0]}:***@{host}" if ":" in user else netloc
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def run_lock_key(run_id: str) -> int:
    """The second advisory-lock key of a run: 31 bits of its id's hash (int4)."""
    return int.from_bytes(hashlib.sha256(run_id.encode()).digest()[:4], "big") >> 1


def new_run_id() -> str:
    """host:pid:random — readable in the ledger, unique across machines."""
    return f"{socket.gethostname()}:{os.getpid()}:{os.urandom(4).hex()}"


class Store:
    """A connection factory with transactions, and the run lock; see the module docstring."""

    kind = ""

    def __init__(self, location: str | Path):
        self.location = location

    # implemented by the backends
    def transaction(self) -> contextlib.AbstractContextManager[Cursor]: ...
    def acquire_run(self, run_id: str, wait: float, say: Callable[[str], None]) -> None: ...
    def release_run(self) -> None: ...
    def is_alive(self, run_id: str) -> bool: ...
    def lock_row_sql(self) -> str: ...
    def lock_schema(self, tx: Cursor) -> None: ...
    def close(self) -> None: ...


class Cursor:
    """The few operations the ledger needs, the same over both drivers."""

    def __init__(self, raw, placeholder: str):
        self._raw = raw
        self._placeholder = placeholder

    def execute(self, sql: str, args: Sequence[Any] = ()) -> Cursor:
        if self._placeholder != "?":
            sql = sql.replace("?", self._placeholder)
        self._raw.execute(sql, tuple(args))
        return self

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> int:
        if self._placeholder != "?":
            sql = sql.replace("?", self._placeholder)
        self._raw.executemany(sql, [tuple(r) for r in rows])
        return max(self._raw.rowcount, 0)

    def fetchone(self):
        return self._raw.fetchone()

    def fetchall(self) -> list:
        return self._raw.fetchall()

    @property
    def rowcount(self) -> int:
        return self._raw.rowcount

    @property
    def columns(self) -> list[str]:
        """Column names of the last SELECT (a schema check, the same over both drivers)."""
        return [column[0] for column in self._raw.description or ()]


# --- SQLite ------------------------------------------------------------------------------
def sqlite_problem(path: Path, exc: BaseException) -> StoreError:
    text = str(exc)
    lowered = text.lower()
    if "not a database" in lowered or "malformed" in lowered or "file is encrypted" in lowered:
        return StoreError(
            f"{path}: the ledger is damaged ({text}); move it aside (mv {path} {path}.broken) "
            "and run again: the committed links file says what was posted "
            "(README, Recovering the ledger)"
        )
    if "readonly" in lowered or "read-only" in lowered:
        return StoreError(f"{path}: cannot write to the ledger: it (or its folder) is read-only")
    if "disk is full" in lowered or "no space" in lowered:
        return StoreError(f"{path}: cannot write to the ledger: the disk is full")
    if "unable to open" in lowered:
        return StoreError(f"{path}: cannot open the ledger (is its folder there and writable?)")
    if "locked" in lowered:
        return StoreError(f"{path}: the ledger is locked by another process for too long")
    return StoreError(f"{path}: ledger error: {text}")


class SQLiteStore(Store):
    """One file; each thread gets its own connection (sqlite3 connections must not be
    shared across threads); WAL mode so readers never block the writer."""

    kind = "sqlite"

    def __init__(self, path: str | Path, *, read_only: bool = False):
        super().__init__(Path(path))
        self.path = Path(path)
        self.read_only = read_only
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._run_file = None
        if not read_only:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"{self.path}: cannot create its folder: {exc.strerror}") from None

    def _db(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            try:
                if self.read_only:
                    uri = f"{self.path.resolve().as_uri()}?mode=ro"
                    db = sqlite3.connect(uri, uri=True, timeout=30, isolation_level=None,
                                         check_same_thread=False)  # fmt: skip
                else:
                    # isolation_level=None: BEGIN/COMMIT are ours, so a transaction is
                    # exactly the statements inside transaction(); check_same_thread=False
                    # only so close() may run in the main thread once the workers are done
                    db = sqlite3.connect(self.path, timeout=30, isolation_level=None,
                                         check_same_thread=False)  # fmt: skip
                    db.execute("PRAGMA journal_mode=WAL")
                    # a 'pending' row must survive a power cut
                    db.execute("PRAGMA synchronous=FULL")
                db.execute("PRAGMA busy_timeout=30000")
            except sqlite3.Error as exc:
                raise sqlite_problem(self.path, exc) from None
            self._local.db = db
            with self._lock:
                self._connections.append(db)
        return db

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Cursor]:
        db = self._db()
        try:
            db.execute("BEGIN" if self.read_only else "BEGIN IMMEDIATE")
            try:
                yield Cursor(db.cursor(), "?")
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")
        except sqlite3.Error as exc:
            with contextlib.suppress(sqlite3.Error):
                if db.in_transaction:
                    db.execute("ROLLBACK")
            raise sqlite_problem(self.path, exc) from None

    def lock_row_sql(self) -> str:
        return ""  # BEGIN IMMEDIATE holds the whole file

    def lock_schema(self, tx: Cursor) -> None:
        pass  # likewise

    def acquire_run(self, run_id: str, wait: float, say: Callable[[str], None]) -> None:
        lock_path = self.path.with_name(self.path.name + ".lock")
        try:
            handle = open(lock_path, "a+")  # noqa: SIM115 - held for the whole run
        except OSError as exc:
            raise StoreError(f"{lock_path}: cannot create the run lock: {exc.strerror}") from None
        deadline = time.monotonic() + max(wait, 0)
        told = False
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    handle.seek(0)
                    holder = handle.read().strip() or "another run"
                    handle.close()
                    raise StoreError(
                        f"{self.path}: another syndicate run ({holder}) is using this ledger; "
                        f"waited {wait:.0f} s — run again when it has finished"
                    ) from None
                if not told:
                    say(f"waiting for another syndicate run on {self.path} to finish…")
                    told = True
                time.sleep(0.2)
        handle.seek(0)
        handle.truncate()
        handle.write(run_id)
        handle.flush()
        self._run_file = handle

    def release_run(self) -> None:
        if self._run_file is not None:
            with contextlib.suppress(OSError):
                self._run_file.seek(0)
                self._run_file.truncate()
                fcntl.flock(self._run_file, fcntl.LOCK_UN)
            self._run_file.close()
            self._run_file = None

    def is_alive(self, run_id: str) -> bool:
        # while we hold the run lock no other run can be using this file
        return False

    def close(self) -> None:
        with self._lock:
            for db in self._connections:
                db.close()
            self._connections.clear()
        self._local = threading.local()
        self.release_run()


# --- PostgreSQL --------------------------------------------------------------------------
def postgresql_problem(location: str, exc: BaseException) -> StoreError:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return StoreError(f"{shown(location)}: ledger error: {text}")


class PostgreSQLStore(Store):
    """psycopg 3; a connection per thread, plus one held by the run for its advisory lock."""

    kind = "postgresql"

    def __init__(self, url: str, *, read_only: bool = False):
        super().__init__(url)
        self.url = url
        self.read_only = read_only
        self._local = threading.local()
        self._connections: list = []
        self._lock = threading.Lock()
        self._run_conn = None
        self._run_key: int | None = None

    def _connect(self):
        import psycopg  # only a PostgreSQL ledger needs the driver loaded

        try:
            return psycopg.connect(self.url, autocommit=True, connect_timeout=10)
        except psycopg.Error as exc:
            raise postgresql_problem(self.url, exc) from None

    def _db(self):
        db = getattr(self._local, "db", None)
        if db is None or db.closed:
            db = self._connect()
            self._local.db = db
            with self._lock:
                self._connections.append(db)
        return db

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Cursor]:
        import psycopg

        db = self._db()
        try:
            with db.transaction(), db.cursor() as cursor:
                if self.read_only:
                    cursor.execute("SET TRANSACTION READ ONLY")
                yield Cursor(cursor, "%s")
        except psycopg.Error as exc:
            raise postgresql_problem(self.url, exc) from None

    def lock_row_sql(self) -> str:
        return " FOR UPDATE"

    def lock_schema(self, tx: Cursor) -> None:
        """CREATE TABLE IF NOT EXISTS is not safe against itself in PostgreSQL: two
        sessions both find no table and one fails on the catalog's unique index."""
        tx.execute("SELECT pg_advisory_xact_lock(?, 0)", (LOCK_NAMESPACE,))

    def acquire_run(self, run_id: str, wait: float, say: Callable[[str], None]) -> None:
        import psycopg

        self._run_conn = self._connect()
        self._run_key = run_lock_key(run_id)
        try:
            self._run_conn.execute(
                "SELECT pg_advisory_lock(%s, %s)", (LOCK_NAMESPACE, self._run_key)
            )
        except psycopg.Error as exc:
            raise postgresql_problem(self.url, exc) from None

    def release_run(self) -> None:
        if self._run_conn is not None:
            with contextlib.suppress(Exception):
                self._run_conn.close()  # closing the session releases its advisory lock
            self._run_conn = None

    def is_alive(self, run_id: str) -> bool:
        """A run is alive while its session holds its advisory lock: try to take it."""
        import psycopg

        key = run_lock_key(run_id)
        if key == self._run_key:
            return True
        db = self._db()
        try:
            got = db.execute(
                "SELECT pg_try_advisory_lock(%s, %s)", (LOCK_NAMESPACE, key)
            ).fetchone()[0]
            if got:
                db.execute("SELECT pg_advisory_unlock(%s, %s)", (LOCK_NAMESPACE, key))
        except psycopg.Error as exc:
            raise postgresql_problem(self.url, exc) from None
        return not got

    def close(self) -> None:
        with self._lock:
            for db in self._connections:
                with contextlib.suppress(Exception):
                    db.close()
            self._connections.clear()
        self._local = threading.local()
        self.release_run()


def open_store(location: str | Path, *, read_only: bool = False) -> Store:
    if is_postgresql(location):
        return PostgreSQLStore(str(location), read_only=read_only)
    return SQLiteStore(location, read_only=read_only)
