"""Real servers for the syndication core tests: mastodon-mock and a Bluesky PDS with its PLC.

Each is started once per session on a free port and stopped at the end; each test gets a
fresh account on both (so tests never see each other's posts). The PDS comes from
tools/pds (`make pds`, which `make test` runs when npm is there). Without Node the Bluesky
tests are skipped with the reason; in CI (CHORUS_CI=1, .ci/run) they fail instead, since a
quietly skipped test there would hide a broken install.
"""

from __future__ import annotations

import functools
import http.server
import os
import secrets
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.servers import bluesky_account as bluesky_account_on
from tests.servers import (
    bluesky_pds,
    http_server,
    mastodon_mock,
    mastodon_token,
    pds_installed,
    postgresql,
    postgresql_binaries,
)

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures"
FIXTURE_SITE = "http://site.test"  # fixture feeds name this; tests swap in a live server


@pytest.fixture(scope="session")
def mastodon_url(tmp_path_factory) -> Iterator[str]:
    with mastodon_mock(tmp_path_factory.mktemp("mastodon") / "server.log") as url:
        yield url


@dataclass(frozen=True)
class MastodonAccount:
    url: str
    token: str
    username: str

    def credentials(self) -> dict[str, str]:
        return {"CHORUS_MASTODON_URL": self.url, "CHORUS_MASTODON_TOKEN": self.token}

    def statuses(self) -> list[dict]:
        auth = {"Authorization": f"Bearer {self.token}"}
        me = httpx.get(f"{self.url}/api/v1/accounts/verify_credentials", headers=auth).json()
        out, max_id = [], None
        while True:
            params = {"limit": 40, **({"max_id": max_id} if max_id else {})}
            page = httpx.get(
                f"{self.url}/api/v1/accounts/{me['id']}/statuses", headers=auth, params=params
            ).json()
            if not page:
                return out
            out += page
            max_id = page[-1]["id"]


@pytest.fixture
def mastodon_account(mastodon_url) -> MastodonAccount:
    name = f"chorus_{secrets.token_hex(4)}"
    return MastodonAccount(mastodon_url, mastodon_token(mastodon_url, name), name)


def _missing(reason: str) -> None:
    """CI (CHORUS_CI, set by .ci/run) must run every test: a missing server fails there; on
    a machine without it, `make test` skips those tests and says why."""
    (pytest.fail if os.environ.get("CHORUS_CI") else pytest.skip)(reason)


@pytest.fixture(scope="session")
def postgresql_server() -> Iterator[str]:
    if postgresql_binaries() is None:
        _missing("PostgreSQL is not installed (Debian: apt-get install postgresql)")
    with postgresql() as url:
        yield url


@pytest.fixture
def postgresql_url(postgresql_server) -> str:
    """A fresh, empty database on the session's server, for one test."""
    import psycopg

    name = f"t_{secrets.token_hex(6)}"
    with psycopg.connect(postgresql_server, autocommit=True) as db:
        db.execute(f"CREATE DATABASE {name}")
    return postgresql_server.rsplit("/", 1)[0] + f"/{name}"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.integration)])
def ledger_location(request, tmp_path) -> str:
    """Each ledger test runs on both stores: a SQLite file and a real PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "l.sqlite")
    return request.getfixturevalue("postgresql_url")


@pytest.fixture(scope="session")
def pds_url(tmp_path_factory) -> Iterator[str]:
    if shutil.which("node") is None:
        _missing("node is not installed: the Bluesky PDS needs Node 20 (then `make pds`)")
    if not pds_installed():
        _missing("the Bluesky PDS is not installed: run `make pds` (tools/pds/)")
    with bluesky_pds(tmp_path_factory.mktemp("pds")) as url:
        yield url


@dataclass(frozen=True)
class BlueskyAccount:
    pds: str
    handle: str
    password: str
    did: str

    def credentials(self) -> dict[str, str]:
        return {
            "CHORUS_BLUESKY_PDS": self.pds,
            "CHORUS_BLUESKY_HANDLE": self.handle,
            "CHORUS_BLUESKY_APP_PASSWORD": self.password,
        }

    def records(self) -> list[dict]:
        out, cursor = [], None
        while True:
            params = {"repo": self.did, "collection": "app.bsky.feed.post", "limit": 100}
            if cursor:
                params["cursor"] = cursor
            page = httpx.get(f"{self.pds}/xrpc/com.atproto.repo.listRecords", params=params).json()
            out += page["records"]
            cursor = page.get("cursor")
            if not cursor or not page["records"]:
                return out


@pytest.fixture
def bluesky_account(pds_url) -> BlueskyAccount:
    return BlueskyAccount(pds_url, *bluesky_account_on(pds_url))


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def static_server(tmp_path) -> Iterator[tuple[str, Path]]:
    """A local web server for a folder (the 'published site': feed and images)."""
    root = tmp_path / "site"
    root.mkdir()
    handler = functools.partial(_QuietHandler, directory=str(root))
    with http_server(handler) as url:
        yield url, root


def fixture_feed(name: str, site: str = FIXTURE_SITE) -> str:
    """A fixture feed's text with its site URL replaced (images must be fetchable)."""
    return (FIXTURES / name).read_text(encoding="utf-8").replace(FIXTURE_SITE, site)


def env_without_chorus() -> dict[str, str]:
    """The test process's environment minus any CHORUS_* a developer may have set."""
    return {k: v for k, v in os.environ.items() if not k.startswith("CHORUS_")}
