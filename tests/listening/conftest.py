"""A real local HTTP server for the listening tests, serving tests/fixtures/listening/.

Routes (besides every fixture file by name, with an ETag and Last-Modified and a real 304
when the client sends a matching If-None-Match): /slow/<file> waits until the test ends,
/moved/<file> (301) and /found/<file> (302) redirect, /loop redirects to itself,
/huge streams an endless chunked body, /huge-declared announces 50 MB, /missing is a 404.
Every request's path and headers are recorded, so tests can check what the client sent.
"""

from __future__ import annotations

import hashlib
import http.server
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "listening"
LAST_MODIFIED = "Sat, 21 Nov 2026 08:00:00 GMT"


@dataclass
class FeedServer:
    url: str
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)

    def etag(self, name: str) -> str:
        return '"' + hashlib.sha256((FIXTURES / name).read_bytes()).hexdigest()[:16] + '"'

    def headers_for(self, path: str) -> list[dict[str, str]]:
        return [h for p, h in self.requests if p == path]


class _Handler(http.server.BaseHTTPRequestHandler):
    server_state: FeedServer  # set per server
    protocol_version = "HTTP/1.1"

    def log_message(self, *args) -> None:  # quiet
        pass

    def do_GET(self) -> None:
        state = self.server.state  # type: ignore[attr-defined]
        state.requests.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
        path = self.path.lstrip("/")
        if path.startswith("slow/"):
            state.release.wait(30)  # until the test is over: far beyond any client timeout
            return self._file(path.removeprefix("slow/"))
        for prefix, code in (("moved/", 301), ("found/", 302)):
            if path.startswith(prefix):
                return self._redirect(code, "/" + path.removeprefix(prefix))
        if path == "loop":
            return self._redirect(302, "/loop")
        if path == "huge":
            return self._endless()
        if path == "huge-declared":
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("Content-Length", str(50 * 1024 * 1024))
            self.end_headers()
            self.wfile.write(b"<rss>")
            return None
        return self._file(path)

    def _redirect(self, code: int, location: str) -> None:
        self.send_response(code)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _file(self, name: str) -> None:
        target = FIXTURES / name
        if "/" in name or not target.is_file():
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        etag = self.server.state.etag(name)  # type: ignore[attr-defined]
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            return
        body = target.read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", "application/xml; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", LAST_MODIFIED)
        self.end_headers()
        self.wfile.write(body)

    def _endless(self) -> None:
        """A feed that never ends (chunked, no length): only the client's cap stops it."""
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        item = b"<item><title>Alder &amp; Finch again</title></item>" * 1000
        chunk = f"{len(item):x}\r\n".encode() + item + b"\r\n"
        try:
            self.wfile.write(b"6\r\n<rss>\n\r\n")
            for _ in range(20_000):  # ~1 GB at most, in case the client never stops
                self.wfile.write(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass
        self.close_connection = True


@pytest.fixture
def feed_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    state = FeedServer(f"http://127.0.0.1:{server.server_address[1]}")
    server.state = state  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield state
    finally:
        state.release.set()
        server.shutdown()
        server.server_close()
        thread.join(10)
