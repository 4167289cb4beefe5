"""Bad answers from a platform: one clear line each, no traceback, what was stored stays."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from conversations import fetch
from conversations.model import Author, Response
from conversations.store import ResponseStore
from syndication.http import Api
from syndication.ledger import Ledger
from syndication.model import Posted

FAULTS = Path(__file__).parent / "fixtures" / "faults"


def serve(status: int, body: bytes):
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.mark.parametrize(
    ("fixture", "status", "expected"),
    [("truncated.json", 200, "body is not JSON"),
     ("html.json", 200, "body is not JSON"),
     ("revoked.json", 401, "HTTP 401: The access token was revoked"),
     ("throttled.json", 429, "HTTP 429")],
)  # fmt: skip
def test_fault_is_one_line_and_keeps_what_was_stored(tmp_path, fixture, status, expected):
    server = serve(status, (FAULTS / fixture).read_bytes())
    try:
        ledger = Ledger(tmp_path / "ledger.sqlite")
        ledger.begin_run(say=print)
        ledger.claim("e", "mastodon")
        ledger.mark_posted("e", "mastodon", Posted(remote_id="100", url="https://m/@us/100"))
        store = ResponseStore(ledger.store)
        kept = Response("mastodon", "100", "like:1", "like", Author("a@b", "A", ""))
        store.replace("mastodon", "100", "e", [kept])
        url = f"http://127.0.0.1:{server.server_port}"
        lines: list[str] = []
        outcome = fetch.run(ledger, {"mastodon": Api("mastodon", url)}, say=lines.append)
    finally:
        server.shutdown()
    assert len(lines) == 1 and "\n" not in lines[0] and expected in lines[0], lines
    assert outcome.errors == lines
    assert store.responses() == [kept]
