"""Real servers for the syndication core tests: mastodon-mock and a Bluesky PDS with its PLC.

Each is started once per session on a free port and stopped at the end; each test gets a
fresh account on both (so tests never see each other's posts). The PDS comes from
tools/pds (`make pds`); if it is missing the Bluesky tests fail and say so — CI runs
`make pds` first, and a silently skipped test would hide a broken install.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import secrets
import select
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures"
PDS_DIR = ROOT / "tools" / "pds"
FIXTURE_SITE = "http://site.test"  # fixture feeds name this; tests swap in a live server


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(check, what: str, limit: float = 60.0) -> None:
    """Poll a server until it answers: a start-up wait, not a timing assertion."""
    deadline = time.monotonic() + limit
    last: Exception | None = None
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except httpx.HTTPError as exc:
            last = exc
        time.sleep(0.1)
    raise RuntimeError(f"{what} did not start: {last}")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
def mastodon_url(tmp_path_factory) -> Iterator[str]:
    port = free_port()
    log = (tmp_path_factory.mktemp("mastodon") / "server.log").open("w")
    binary = Path(sys.executable).with_name("mastodon_mock")
    process = subprocess.Popen(
        [str(binary), "serve", "--in-memory", "--host", "127.0.0.1", "--port", str(port),
         "--log-level", "warning"],
        stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until(
            lambda: (
                process.poll() is None
                and httpx.get(f"{url}/api/v2/instance", timeout=2).status_code == 200
            ),
            "mastodon-mock",
        )
        yield url
    finally:
        _stop(process)
        log.close()


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
    """A fresh account with its own random token (not the well-known mock_token)."""
    name = f"chorus_{secrets.token_hex(4)}"
    answer = httpx.post(f"{mastodon_url}/api/v1/_mock/dev_user", json={"username": name})
    answer.raise_for_status()
    return MastodonAccount(mastodon_url, answer.json()["access_token"], name)


@pytest.fixture(scope="session")
def pds_url(tmp_path_factory) -> Iterator[str]:
    if not (PDS_DIR / "node_modules" / "@atproto" / "pds").is_dir():
        pytest.fail("the Bluesky PDS is not installed: run `make pds` (tools/pds/)")
    if shutil.which("node") is None:
        pytest.fail("node is not installed: the Bluesky PDS needs Node 20 (then `make pds`)")
    port, plc_port = free_port(), free_port()
    data = tmp_path_factory.mktemp("pds")
    log = (data / "server.log").open("w")
    process = subprocess.Popen(
        ["node", str(PDS_DIR / "start.js"), "--port", str(port), "--plc-port", str(plc_port),
         "--data", str(data / "data")],
        stdout=subprocess.PIPE, stderr=log, text=True,
    )  # fmt: skip
    try:
        ready, _, _ = select.select([process.stdout], [], [], 90)
        line = process.stdout.readline() if ready else ""
        if not line:
            log.flush()
            raise RuntimeError(f"PDS did not start: {(data / 'server.log').read_text()[-2000:]}")
        yield json.loads(line)["pds"]
    finally:
        _stop(process)
        log.close()


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
    handle = f"c{secrets.token_hex(4)}.test"
    password = secrets.token_urlsafe(16)
    answer = httpx.post(
        f"{pds_url}/xrpc/com.atproto.server.createAccount",
        json={"handle": handle, "email": f"{handle}@example.com", "password": password},
        timeout=30,
    )
    answer.raise_for_status()
    return BlueskyAccount(pds_url, handle, password, answer.json()["did"])


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def static_server(tmp_path) -> Iterator[tuple[str, Path]]:
    """A local web server for a folder (the 'published site': feed and images)."""
    root = tmp_path / "site"
    root.mkdir()
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", root
    finally:
        server.shutdown()
        server.server_close()


def fixture_feed(name: str, site: str = FIXTURE_SITE) -> str:
    """A fixture feed's text with its site URL replaced (images must be fetchable)."""
    return (FIXTURES / name).read_text(encoding="utf-8").replace(FIXTURE_SITE, site)


def env_without_chorus() -> dict[str, str]:
    """The test process's environment minus any CHORUS_* a developer may have set."""
    return {k: v for k, v in os.environ.items() if not k.startswith("CHORUS_")}
