"""Starting the real servers the syndication tests and the benchmark post to.

mastodon-mock (PyPI) and the Bluesky PDS with its local PLC (tools/pds, `make pds`), each on
a free port, as context managers that stop the process however the block ends. One place,
so the pytest fixtures and bench/syndication.py start them the same way.
"""

from __future__ import annotations

import http.server
import json
import os
import secrets
import select
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
PDS_DIR = ROOT / "tools" / "pds"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def http_server(handler: type[http.server.BaseHTTPRequestHandler] | object, port: int = 0
                ) -> Iterator[str]:  # fmt: skip
    """A stdlib ThreadingHTTPServer for `handler` on 127.0.0.1 (a free port unless given),
    served from a thread; yields its base URL. Shut down, closed and its thread joined
    however the block ends, so no server outlives its test."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


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


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def mastodon_mock(log_path: Path) -> Iterator[str]:
    """mastodon-mock (`serve --in-memory`) on a free port; yields its base URL."""
    port = free_port()
    binary = Path(sys.executable).with_name("mastodon_mock")
    with log_path.open("w") as log:
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
            stop(process)


def mastodon_token(url: str, username: str) -> str:
    """A fresh account with its own random token (not the well-known mock_token)."""
    answer = httpx.post(f"{url}/api/v1/_mock/dev_user", json={"username": username})
    answer.raise_for_status()
    return answer.json()["access_token"]


def pds_installed() -> bool:
    return (PDS_DIR / "node_modules" / "@atproto" / "pds").is_dir()


@contextmanager
def bluesky_pds(data: Path, appview_url: str | None = None) -> Iterator[str]:
    """The PDS and its PLC (tools/pds/start.js) on free ports; yields the PDS URL.
    `appview_url`: the AppView the PDS proxies app.bsky.* reads to (PDS_BSKY_APP_VIEW_URL;
    without one the PDS answers them "No service configured")."""
    env = dict(os.environ)
    if appview_url:
        env.update(PDS_BSKY_APP_VIEW_URL=appview_url, PDS_BSKY_APP_VIEW_DID="did:web:localhost")
    with (data / "server.log").open("w") as log:
        process = subprocess.Popen(
            ["node", str(PDS_DIR / "start.js"), "--port", str(free_port()),
             "--plc-port", str(free_port()), "--data", str(data / "data")],
            stdout=subprocess.PIPE, stderr=log, text=True, env=env,
        )  # fmt: skip
        try:
            ready, _, _ = select.select([process.stdout], [], [], 90)
            line = process.stdout.readline() if ready else ""
            if not line:
                log.flush()
                tail = (data / "server.log").read_text()[-2000:]
                raise RuntimeError(f"PDS did not start: {tail}")
            yield json.loads(line)["pds"]
        finally:
            stop(process)


def bluesky_account(pds: str, prefix: str = "c") -> tuple[str, str, str]:
    """A fresh account on the PDS: (handle, password, did)."""
    handle = f"{prefix}{secrets.token_hex(4)}.test"
    password = secrets.token_urlsafe(16)
    answer = httpx.post(
        f"{pds}/xrpc/com.atproto.server.createAccount",
        json={"handle": handle, "email": f"{handle}@example.com", "password": password},
        timeout=30,
    )
    answer.raise_for_status()
    return handle, password, answer.json()["did"]


def postgresql_binaries() -> Path | None:
    """Debian's postgresql: /usr/lib/postgresql/<version>/bin (the newest installed)."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    return found[-1].parent if found else None


@contextmanager
def postgresql() -> Iterator[str]:
    """A throw-away PostgreSQL server on a free port of 127.0.0.1; yields its URL.

    initdb and pg_ctl refuse to run as root, so as root they run as the `postgres` user
    (Debian's package creates it), in a folder of its own under the system temp dir (a
    pytest tmp_path lies under a root-only folder). Stopped (`pg_ctl stop -m immediate`)
    and removed however the block ends.
    """
    binaries = postgresql_binaries()
    if binaries is None:
        raise RuntimeError("PostgreSQL is not installed (Debian: apt-get install postgresql)")
    data = Path(tempfile.mkdtemp(prefix="chorus-pg-"))
    cluster = data / "cluster"
    as_user: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(data, "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    port = free_port()
    try:
        _run([*as_user, str(binaries / "initdb"), "-D", str(cluster), "-A", "trust",
              "-U", "postgres", "--no-sync", "-E", "UTF8"])  # fmt: skip
        _run([*as_user, str(binaries / "pg_ctl"), "-D", str(cluster), "-l",
              str(data / "server.log"), "-w", "-o",
              f"-p {port} -k {data} -c listen_addresses=127.0.0.1 -c fsync=off"
              " -c max_connections=200", "start"])  # fmt: skip
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            [*as_user, str(binaries / "pg_ctl"), "-D", str(cluster), "-m", "immediate", "stop"],
            capture_output=True, timeout=60,
        )  # fmt: skip
        shutil.rmtree(data, ignore_errors=True)


def _run(command: list[str]) -> None:
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        program = next(Path(part).name for part in command if "/bin/" in part)
        raise RuntimeError(f"{program} failed: {done.stderr or done.stdout}")
