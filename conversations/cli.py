"""`invoke conversations fetch|review|snapshot` (also `python -m conversations.cli`).

fetch:    read the responses to every posted copy into the ledger's store, then write the
          snapshot of what is approved.
inbox:    what waits for an answer, oldest first, with its age, kind, department, who and a
          link: open conversations (someone outside the organization spoke last) and the
          listening mentions routed to a department (until listed under `done:` in the
          decisions file, or older than --mention-days); --department D for one department.
digest:   the inbox per department as one message to its internal channel (departments.yaml
          `channel`: the CHORUS_* variable holding the webhook URL; else CHORUS_WEBHOOK_URL);
          a dry run printing what would be sent unless --live.
review:   in a terminal (or --interactive), one pending reply at a time: a/h/b/s/q for
          approve, hide, block the author, skip, quit. Otherwise (scripts) list pending
          responses; --approve/--hide KEY and --block HANDLE|DOMAIN write the decisions file
          (content/conversations/decisions.yaml), reviewed in a pull request.
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

from conversations import dialogue, digest, inbox, moderation, review, snapshot
from conversations import fetch as fetching
from conversations.fetch import copy_id_of
from conversations.model import Response
from conversations.store import ResponseStore
from core.problems import ContentError, one_line
from core.settings import ChorusSettings
from plugins.listening.snapshot import read_snapshot, write_json
from plugins.people.directory import load_departments
from syndication.ledger import Ledger, default_path
from syndication.store import StoreError

ROOT = Path(__file__).resolve().parent.parent
DECISIONS = ROOT / "content" / "conversations" / "decisions.yaml"
SNAPSHOT = ROOT / "content" / ChorusSettings.CONVERSATIONS_SNAPSHOT
PEOPLE = ROOT / "content" / ChorusSettings.PEOPLE_PATH
DEPARTMENTS = ROOT / "content" / ChorusSettings.DEPARTMENTS_FILE
POSTS = ROOT / "content" / "posts"
LISTENING = ROOT / "content" / ChorusSettings.LISTENING_SNAPSHOT


def departments(posts: Path = POSTS) -> dict[str, str]:
    """Post slug → department (the folder), for routing an entry id to its department."""
    return {path.stem: path.parent.name for path in posts.glob("*/*.md")}


def open_threads(
    ledger: Ledger,
    decisions_path: Path,
    people: Path,
    posts: Path,
    dept: str = "",
    *,
    listening: Path = LISTENING,
    mention_days: int = inbox.MENTION_DAYS,
    now: dt.datetime | None = None,
) -> list[inbox.Waiting]:
    """The inbox: open conversations (blocked people left out) and the listening mentions
    routed to a department, oldest first. The digest sends the same list."""
    store = ResponseStore(ledger.store)
    decisions = moderation.load(decisions_path)
    ours = directory_handles(people) | decisions.org_accounts
    slugs = departments(posts)

    def department_of(entry_id: str) -> str:
        return slugs.get(entry_id.rsplit("/", 1)[-1], "")

    kept = [r for r in store.responses() if decisions.state(r, ours) != "blocked"]
    found = dialogue.inbox(dialogue.threads(kept, store.entries(), ours), ours, department_of)
    now = now or dt.datetime.now(dt.UTC)
    heard = inbox.mentions(read_snapshot(listening), decisions.done, now, mention_days)
    return inbox.merge(found, department_of, heard, dept)


def print_inbox(waiting: list[inbox.Waiting]) -> None:
    now = dt.datetime.now(dt.UTC)
    for item in waiting:
        fields = (digest.age(now, item.since), item.kind, item.department or "?", item.who,
                  item.url)  # fmt: skip
        print("\t".join(one_line(f) for f in fields))


def post_naming(store: ResponseStore, posts: Path) -> Callable[[Response], str]:
    """What review shows of the post a response answers: its slug and department."""
    entry_of, slugs = store.entries(), departments(posts)

    def post_of(response: Response) -> str:
        entry_id = entry_of.get((response.platform, response.copy_id), "")
        slug = entry_id.rsplit("/", 1)[-1]
        return f"post {slug} ({slugs[slug]})" if slug in slugs else (entry_id or "")

    return post_of


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
        (r.platform, copy_id_of(r.remote_id, r.remote_url, r.platform)): r.remote_url or ""
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
    parser.add_argument("--listening", default=str(LISTENING), help="the listening snapshot")
    parser.add_argument(
        "--mention-days",
        type=int,
        default=inbox.MENTION_DAYS,
        help="inbox/digest: mentions older than this many days have left",
    )
    parser.add_argument(
        "--done",
        action="append",
        default=[],
        metavar="MENTION_ID",
        help="review: a listening mention handled; it leaves the inbox",
    )
    parser.add_argument("--posts", default=str(POSTS))
    parser.add_argument("--departments", default=str(DEPARTMENTS))
    parser.add_argument("--live", action="store_true", help="digest: send, not only print")
    parser.add_argument(
        "--interactive",
        action="store_true",
        help="review: ask about each pending reply (the default in a terminal without flags)",
    )
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
                      f"{outcome.limited} left for a rate limit, "
                      f"{len(outcome.errors)} failed")  # fmt: skip
            elif args.command in ("inbox", "digest"):
                only = args.department if args.command == "inbox" else ""  # digest: --department
                waiting = open_threads(ledger, decisions_path, Path(args.people),
                                       Path(args.posts), only, listening=Path(args.listening),
                                       mention_days=args.mention_days)  # fmt: skip
                if args.command == "inbox":
                    print_inbox(waiting)
                    return 0
                failed = digest.run(waiting, load_departments(Path(args.departments)),
                                    live=args.live, only=args.department)  # fmt: skip
                return 1 if failed else 0
            elif args.command == "review":
                decisions = moderation.load(decisions_path)
                decisions.approve.update(args.approve)
                decisions.hide.update(args.hide)
                decisions.done.update(args.done)
                for target in args.block:
                    target = target.lstrip("@").lower()
                    (decisions.block_accounts if "@" in target else decisions.block_domains).add(
                        target
                    )
                flags = args.approve or args.hide or args.block or args.done
                if flags:
                    moderation.save(decisions_path, decisions)
                directory = directory_handles(Path(args.people))
                store = ResponseStore(ledger.store)
                if args.interactive or (not flags and sys.stdin.isatty() and sys.stdout.isatty()):
                    review.run(decisions_path, store.responses(), directory,
                               post_of=post_naming(store, Path(args.posts)))  # fmt: skip
                else:
                    for r in review.pending(store.responses(), decisions, directory):
                        fields = (moderation.key(r), r.author.handle, r.published, r.url)
                        print("\t".join(one_line(f) for f in fields))
            write(ledger, decisions_path, snapshot_path, Path(args.people))
    except (ContentError, StoreError) as exc:
        print(str(exc), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
