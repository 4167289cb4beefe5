"""The steps a round-trip test takes with the `conversations` CLI, the same for every
platform: fetch into the ledger's store, then approve every reply it found."""

from __future__ import annotations

from pathlib import Path

from conversations.cli import main
from conversations.store import ResponseStore
from syndication.ledger import Ledger


def cli_files(ledger_path: Path, content: Path) -> list[str]:
    """The file flags of a site copy (content/conversations/, content/people/)."""
    conv = content / "conversations"
    return [f"--ledger={ledger_path}", f"--decisions={conv / 'decisions.yaml'}",
            f"--snapshot={conv / 'snapshot.json'}", f"--people={content / 'people'}"]  # fmt: skip


def fetch_and_approve_replies(platform: str, ledger_path: Path, files: list[str]) -> list[str]:
    """`fetch`, then `review --approve` of every reply stored; the reply ids."""
    assert main(["fetch", *files]) == 0
    with Ledger(ledger_path) as ledger:
        ids = [r.response_id for r in ResponseStore(ledger.store).responses() if r.kind == "reply"]
    assert main(["review", *[f"--approve={platform}:{i}" for i in ids], *files]) == 0
    return ids
