"""A small site for the CLI tests: a ledger holding a fixture's responses (as a fetch
would have stored them), the posts' department folders and an empty people directory."""

from __future__ import annotations

import json
from pathlib import Path

from conversations.model import Author, Response
from conversations.store import ResponseStore
from syndication.ledger import Ledger

POSTS = {"dock-news": "warehouse", "repair-tips": "support"}


def response(r: dict) -> Response:
    handle = r["author"]
    url = f"https://{handle.split('@')[1]}/@{handle.split('@')[0]}/{r['id']}"
    return Response("mastodon", r["copy"], r["id"], r.get("kind", "reply"),
                    Author(handle, handle, ""), r["text"], url, r["published"], "",
                    r["parent"])  # fmt: skip


def make_site(target: Path, responses: Path) -> Path:
    data = json.loads(responses.read_text(encoding="utf-8"))
    for slug, department in POSTS.items():
        folder = target / "posts" / department
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{slug}.md").write_text("---\ntitle: x\n---\n", encoding="utf-8")
    (target / "people").mkdir(exist_ok=True)
    with Ledger(target / "ledger.sqlite") as ledger:
        store = ResponseStore(ledger.store)
        for copy, entry in data["copies"].items():
            mine = [response(r) for r in data["responses"] if r["copy"] == copy]
            store.replace("mastodon", copy, entry, mine)
    return target


def site_args(site: Path) -> list[str]:
    return ["--ledger", str(site / "ledger.sqlite"), "--decisions", str(site / "decisions.yaml"),
            "--people", str(site / "people"), "--posts", str(site / "posts"),
            "--snapshot", str(site / "snapshot.json"),
            "--listening", str(site / "listening.json")]  # fmt: skip
