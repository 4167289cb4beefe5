"""`invoke conversations fetch|review|snapshot` (also `python -m conversations.cli`).

fetch:    read the responses to every posted copy into the ledger's store, then write the
          snapshot of what is approved.
inbox:    open conversations (someone outside the organization spoke last), oldest first,
          with their age, department and a link; --department D for one department.
digest:   the inbox per department as one message to its internal channel (departments.yaml
          `channel`: the CHORUS_* variable holding the webhook URL; else CHORUS_WEBHOOK_URL);
          a dry run printing what would be sent unless --live.
review:   list pending responses; --approve/--hide KEY and --block HANDLE|DOMAIN write the
          decisions file (content/conversations/decisions.yaml), reviewed in a pull request.
Exit 0 when a snapshot was written (a platform that failed is one line, not a failure of
CI), 1 for a broken decisions file or ledger, 2 for bad arguments.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path

import yaml

from conversations import dialogue, digest, moderation, snapshot
from conversations import fetch as fetching
from conversations.fetch import copy_id_of
from conversations.store import ResponseStore
from core.problems import ContentError
from plugins.listening.snapshot import write_json
from plugins.people.directory import load_departments
from syndication.ledger import Ledger, default_path
from syndication.store import StoreError

ROOT = Path(__file__).resolve().parent.parent
DECISIONS = ROOT / "content" / "conversations" / "decisions.yaml"
SNAPSHOT = ROOT / "content" / "conversations" / "snapshot.json"
PEOPLE = ROOT / "content" / "people"
DEPARTMENTS = ROOT / "content" / "departments.yaml"
POSTS = ROOT / "content" / "posts"


def departments(posts: Path = POSTS) -> dict[str, str]:
    """Post slug → department (the folder), for routing an entry id to its department."""
    return {path.stem: path.parent.name for path in posts.glob("*/*.md")}


def open_threads(
    ledger: Ledger, decisions_path: Path, people: Path, posts: Path, dept: str = ""
) -> tuple[list[dialogue.Thread], Callable[[str], str]]:
    """The inbox: open conversations oldest first (blocked people left out), and the
    entry id → department routing that chose them. The digest sends the same list."""
    store = ResponseStore(ledger.store)
    decisions = moderation.load(decisions_path)
    ours = directory_handles(people) | decisions.org_accounts
    slugs = departments(posts)

    def department_of(entry_id: str) -> str:
        return slugs.get(entry_id.rsplit("/", 1)[-1], "")

    kept = [r for r in store.responses() if decisions.state(r, ours) != "blocked"]
    found = dialogue.threads(kept, store.entries(), ours)
    return dialogue.inbox(found, ours, department_of, dept), department_of


def print_inbox(ledger: Ledger, decisions_path: Path, people: Path, posts: Path, dept: str) -> None:
    waiting, department_of = open_threads(ledger, decisions_path, people, posts, dept)
    now = dt.datetime.now(dt.UTC)
    for t in waiting:
        print(f"{digest.age(now, t.last.published)}\t{department_of(t.entry_id) or '?'}\t"
              f"{t.last.author.handle}\t{t.last.url}")  # fmt: skip


def directory_handles(people: Path = PEOPLE) -> set[str]:
    """Every account handle in the people directory: their responses count as ours."""
    handles: set[str] = set()
    for path in sorted(people.glob("*.yaml")):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError):
            continue  # the build reports a broken person file
        accounts = data.get("accounts") if isinstance(data, dict) else None
        if isinstance(accounts, dict):
            handles.update(str(v).lstrip("@").lower() for v in accounts.values() if v)
    return handles


def write(ledger: Ledger, decisions_path: Path, snapshot_path: Path, people: Path) -> dict:
    copies = {
        (r.platform, copy_id_of(r.remote_id, r.remote_url)): r.remote_url or ""
        for r in ledger.rows(state="posted")
    }
    data = snapshot.build(
        ResponseStore(ledger.store), copies, moderation.load(decisions_path),
        directory_handles(people),
    )  # fmt: skip
    write_json(snapshot_path, data)
    return data


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="conversations")
    parser.add_argument("command", choices=("fetch", "review", "snapshot", "inbox", "digest"))
    parser.add_argument("--ledger", default="")
    parser.add_argument("--decisions", default=str(DECISIONS))
    parser.add_argument("--snapshot", default=str(SNAPSHOT))
    parser.add_argument("--people", default=str(PEOPLE))
    parser.add_argument("--approve", action="append", default=[], metavar="KEY")
    parser.add_argument("--hide", action="append", default=[], metavar="KEY")
    parser.add_argument("--block", action="append", default=[], metavar="HANDLE|DOMAIN")
    parser.add_argument("--department", default="")
    parser.add_argument("--posts", default=str(POSTS))
    parser.add_argument("--departments", default=str(DEPARTMENTS))
    parser.add_argument("--live", action="store_true", help="digest: send, not only print")
    parser.add_argument(
        "--all", action="store_true", help="fetch: read every copy now, not only those due"
    )
    args = parser.parse_args(argv)
    decisions_path, snapshot_path = Path(args.decisions), Path(args.snapshot)
    try:
        with Ledger(args.ledger or default_path()) as ledger:
            if args.command == "fetch":
                polling = None if args.all else fetching.Polling()
                outcome = fetching.run(ledger, fetching.connect(), polling=polling)
                print(f"conversations: {outcome.copies} copies read "
                      f"({outcome.not_due} not due yet), {outcome.new} new, "
                      f"{outcome.removed} removed, {outcome.gone} gone, "
                      f"{len(outcome.errors)} failed")  # fmt: skip
            elif args.command == "inbox":
                print_inbox(ledger, decisions_path, Path(args.people), Path(args.posts),
                            args.department)  # fmt: skip
                return 0
            elif args.command == "digest":
                waiting, department_of = open_threads(
                    ledger, decisions_path, Path(args.people), Path(args.posts)
                )
                failed = digest.run(waiting, department_of,
                                    load_departments(Path(args.departments)),
                                    live=args.live, only=args.department)  # fmt: skip
                return 1 if failed else 0
            elif args.command == "review":
                decisions = moderation.load(decisions_path)
                decisions.approve.update(args.approve)
                decisions.hide.update(args.hide)
                for target in args.block:
                    target = target.lstrip("@").lower()
                    (decisions.block_accounts if "@" in target else decisions.block_domains).add(
                        target
                    )
                if args.approve or args.hide or args.block:
                    moderation.save(decisions_path, decisions)
                directory = directory_handles(Path(args.people))
                for r in ResponseStore(ledger.store).responses():
                    if r.kind in ("reply", "quote") and decisions.state(r, directory) == "pending":
                        print(f"{moderation.key(r)}\t{r.author.handle}\t{r.published}\t{r.url}")
            write(ledger, decisions_path, snapshot_path, Path(args.people))
    except (ContentError, StoreError) as exc:
        print(str(exc), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
