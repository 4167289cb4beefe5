"""`invoke syndicate` / `python -m syndication.cli`: cross-post new entries of the published feed.

A dry run unless --live: it shows, per entry and platform, the text that would be posted
with its counted length and the platform's limit, and changes nothing. --live refuses to
start if a platform named with --platform (or every platform) has no credentials (others
without credentials are skipped and wait), retries what failed before once its time has
come, posts, edits copies of edited posts, deletes copies of retracted ones, records
everything in the ledger, merges the links file, and reports what is still waiting. It
exits 1 while any post is failing (after recording everything that succeeded), 130 after
Ctrl-C (what was sent is recorded and the links file written), 2 for bad input or a
refusal (a broken feed, an unknown platform, a lost or damaged ledger) — one line each.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

from core import links as links_file
from core.platforms import NAMES
from core.problems import ContentError, one_line
from core.settings import ChorusSettings
from syndication import credentials
from syndication.ledger import Ledger, Row, default_path, exists, utcnow
from syndication.registry import SPECS
from syndication.select import Selection, baseline, select, wanted
from syndication.source import Feed, read_feed
from syndication.store import StoreError, shown

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_FEED = ROOT / "output" / "feeds" / "all.json"
DEFAULT_LINKS = ROOT / "content" / ChorusSettings.SYNDICATION_LINKS_FILE
DEFAULT_SETTINGS = ROOT / "pelicanconf.py"
EXIT_OK, EXIT_FAILURES, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
RECOVERY = "README: Cross-posting, Recovering the ledger"


class UsageError(Exception):
    """Wrong arguments or a refusal (no credentials, a lost ledger): one line, exit 2."""


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="invoke syndicate", description=__doc__.split("\n")[0])
    p.add_argument("--feed", default=str(DEFAULT_FEED), help="JSON Feed path or URL")
    p.add_argument("--live", action="store_true", help="really post (default: dry run)")
    p.add_argument(
        "--summary",
        action="store_true",
        help="dry run in one line: how many entries and posts a live run would send",
    )
    p.add_argument(
        "--platform",
        action="append",
        default=[],
        help=f"only these platforms (repeat or comma-separate): {', '.join(NAMES)}",
    )
    p.add_argument(
        "--baseline", action="store_true", help="mark every entry in the feed as already seen"
    )
    p.add_argument(
        "--retry-failed",
        action="store_true",
        help="retry failed and abandoned posts now instead of at their retry time",
    )
    p.add_argument(
        "--dismiss",
        action="store_true",
        help="accept that the abandoned posts will not go out (stop reporting them)",
    )
    p.add_argument(
        "--first-run",
        action="store_true",
        help="allow a live run with an empty or lost ledger (posts what the links file lacks)",
    )
    p.add_argument(
        "--ledger",
        default=None,
        help="ledger file or postgresql:// URL (default: $CHORUS_LEDGER or .chorus/ledger.sqlite)",
    )
    p.add_argument("--links", default=str(DEFAULT_LINKS), help="links file to merge into")
    p.add_argument(
        "--pace",
        type=float,
        default=None,
        help="seconds between two posts on one platform (default: the platform's own)",
    )
    p.add_argument(
        "--backoff",
        type=float,
        default=300.0,
        help="seconds before a failed post is first retried by a later run (doubling each time)",
    )
    p.add_argument(
        "--wait",
        type=float,
        default=120.0,
        help="seconds to wait for another run on the same SQLite ledger before refusing",
    )
    p.add_argument(
        "--output",
        default=str(ROOT / "output"),
        help="the deployed site, whose feeds a live run announces to $CHORUS_WEBSUB_HUB",
    )
    p.add_argument("--settings", default=str(DEFAULT_SETTINGS), help="for SYNDICATION_TEMPLATES")
    return p


def _platforms(values: list[str]) -> list[str] | None:
    names = [n.strip() for v in values for n in v.split(",") if n.strip()]
    unknown = [n for n in names if n not in NAMES]
    if unknown:
        raise UsageError(f"unknown platform {unknown[0]!r} (known: {', '.join(NAMES)})")
    return names or None


def _templates(settings_file: str) -> dict | None:
    """SYNDICATION_TEMPLATES from the settings, read without running Pelican."""
    path = Path(settings_file)
    if not path.exists():
        return None
    from core.settings import chorus_settings, load_settings
    from syndication.compose import check_templates

    templates = chorus_settings(load_settings(path)).SYNDICATION_TEMPLATES or None
    problems = check_templates(templates)
    if problems:  # before any send: a template that cannot render would fail every post
        raise UsageError(f"{path.name}: " + "; ".join(problems))
    return templates


def main(argv: list[str] | None = None, *, out=None, environ=None) -> int:
    out = out or sys.stdout
    environ = os.environ if environ is None else environ
    credentials.install_log_redaction()

    def say(line: str) -> None:
        print(credentials.redact(line), file=out, flush=True)

    args = parser().parse_args(argv)
    try:
        return _main(args, say, environ)
    except (UsageError, ContentError, StoreError, credentials.CredentialsError, OSError) as exc:
        if isinstance(exc, ContentError):
            text = exc.format(os.getcwd())
        elif isinstance(exc, OSError) and not isinstance(exc, StoreError):
            where = f"{exc.filename}: " if exc.filename else ""
            text = f"error: {where}{exc.strerror or exc}"
        else:
            text = f"error: {exc}"
        print(credentials.redact(one_line(text)), file=sys.stderr, flush=True)
        return EXIT_USAGE


def _main(args, say: Callable[[str], None], environ) -> int:
    only = _platforms(args.platform)
    location = args.ledger or default_path(environ, ROOT)
    links_path = Path(args.links)
    feed = read_feed(args.feed)
    committed = links_file.read(links_path)
    if not (args.live or args.baseline or args.retry_failed or args.dismiss):
        templates = _templates(args.settings)
        return dry_run(feed, location, committed, only, templates, say, summary=args.summary)
    loaded = _credentials(feed, only, environ, say) if args.live else {}
    had_ledger = exists(location)
    with Ledger(location) as ledger:
        ledger.begin_run(wait=args.wait, say=say)
        was_empty = not had_ledger or not ledger.snapshot()
        if was_empty and not (args.first_run or args.baseline):
            # decided before anything is written, so a refused run leaves the ledger as
            # empty as it found it and the next run refuses too
            preview = select(
                feed.entries, _committed_rows(committed), now=utcnow(), only=only,
                retracted=feed.retracted,
            )  # fmt: skip
            _refuse_flood(preview, committed, location, links_path)
        restored = ledger.restore_posted(committed.entries)
        if restored and was_empty:
            say(f"The ledger {shown(location)} was empty: {restored} posted cop(ies) restored "
                f"from {links_path}.")  # fmt: skip
        if args.baseline:
            added = ledger.mark_seen(baseline(feed.entries, only))
            _export(ledger, feed, links_path)
            say(f"Baseline: {added} new (entry, platform) pair(s) marked as seen in "
                f"{shown(location)}.")  # fmt: skip
            return EXIT_OK
        for name in only or [None]:
            if args.retry_failed and (count := ledger.retry_now(name)):
                say(f"{count} failed post(s) will be tried again now.")
            if args.dismiss and (count := ledger.dismiss(name)):
                say(f"{count} abandoned post(s) dismissed: they will not be reported again.")
        if (args.retry_failed or args.dismiss) and not args.live:
            return EXIT_OK
        selection = select(
            feed.entries, ledger.snapshot(), now=utcnow(), only=only, retracted=feed.retracted
        )
        for warning in selection.warnings:
            say(f"warning: {warning}")
        lost = was_empty and bool(committed.entries or committed.known_through)
        return live(
            ledger, selection, loaded, _templates(args.settings), say, links_path, environ,
            args, feed=feed, look_first=lost,
        )  # fmt: skip


def _committed_rows(committed) -> dict[tuple[str, str], Row]:
    """The links file's copies as the ledger rows they stand for."""
    return {
        (entry_id, platform): Row.posted(entry_id, platform, url)
        for entry_id, platforms in committed.entries.items()
        for platform, url in platforms.items()
    }


def _refuse_flood(selection: Selection, committed, location, links_path: Path) -> None:
    """A missing or empty ledger must never mean "post the archive"."""
    posts = selection.of("post")
    if not posts:
        return
    if not (committed.entries or committed.known_through):
        raise UsageError(
            f"the ledger {shown(location)} is empty, so every entry in the feed counts as new: "
            "run `invoke syndicate --baseline` once first, or pass --first-run to post them all"
        )
    through = committed.known_through
    old = [job for job in posts if through is None or job.entry.published <= through]
    if old:
        when = through.strftime("%Y-%m-%d %H:%M UTC") if through else "the newest linked post"
        raise UsageError(
            f"the ledger {shown(location)} is missing or empty, but {links_path} shows "
            f"posts were cross-posted before: {len(old)} post(s) published up to {when} "
            "would be sent again. Nothing was sent. If the ledger was lost, run "
            "`invoke syndicate --baseline` to mark the feed as seen, or pass --first-run "
            f"to post what the links file does not list ({RECOVERY})"
        )


def _export(ledger: Ledger, feed: Feed, links_path: Path) -> bool:
    """Merge the posted copies into the links file, with how far the ledger knows the feed."""
    rows = ledger.snapshot()
    known = {entry_id for entry_id, _ in rows}
    dates = [e.published for e in feed.entries if e.id in known]
    waiting: dict[str, dict[str, str]] = {}
    for row in rows.values():
        if row.state in ("failed", "abandoned"):
            waiting.setdefault(row.entry_id, {})[row.platform] = row.state
    return links_file.export_links(
        links_path,
        ledger.links(),
        known_through=max(dates, default=None),
        retracted=[r.id for r in feed.retracted],
        waiting=waiting,
    )


def ping_websub(output: Path, say: Callable[[str], None], environ) -> None:
    """After a live run (CI: after the deploy), tell the hub the feeds changed. Pinging at
    build time would make the hub fetch feeds that are not deployed yet."""
    found = credentials.load("websub", environ)
    siteurl = environ.get("CHORUS_SITEURL", "")
    if found is None or not siteurl:
        return
    from syndication.platforms.websub import WebSub

    for line in WebSub(found).ping(siteurl, output):
        say(line)


def dry_run(feed: Feed, location, committed, only, templates, say, summary: bool = False) -> int:
    """What a live run would send. `summary`: one line (the build's last words), where
    the full report would be hundreds of lines that bury the author's findings."""
    rows = _committed_rows(committed)
    ledger_rows: dict = {}
    if exists(location):
        with Ledger(location, read_only=True) as ledger:
            ledger_rows = ledger.snapshot()
    rows.update(ledger_rows)
    selection = select(feed.entries, rows, now=utcnow(), only=only, retracted=feed.retracted)
    for warning in selection.warnings:
        say(f"warning: {warning}")
    posts = selection.of("post")
    if not selection.jobs:
        say("Cross-posting (dry run): nothing new to post.")
        _report_waiting(selection.waiting, selection.abandoned, feed, say)
        return EXIT_OK
    from syndication.compose import compose
    from syndication.compose.report import format_composed

    entries = len({job.entry.id for job in posts})
    if summary:
        waiting = len(selection.waiting) + len(selection.abandoned)
        say(
            f"Cross-posting (dry run): {entries} new entr{'y' if entries == 1 else 'ies'} "
            f"would go out as {len(posts)} post(s)"
            + (f"; {waiting} waiting to be retried" if waiting else "")
            + " — see each with `invoke build --crosspost` or `invoke syndicate`."
        )
        return EXIT_OK
    say(
        f"Cross-posting (dry run): {entries} new entr{'y' if entries == 1 else 'ies'}, "
        f"{len(posts)} post(s); nothing is sent (use --live to post)."
    )
    if not ledger_rows:
        if committed.entries:
            say(
                "note: the ledger is missing or empty but the links file lists posted copies: "
                f"a live run will refuse to post older entries ({RECOVERY})."
            )
        else:
            say(
                "note: the ledger is empty; on a site that was already published, "
                "run `invoke syndicate --baseline` once so old posts are not sent."
            )
    status = EXIT_OK
    for job in selection.jobs:
        if job.action == "retract":
            say(f"{job.platform}: would delete the copy of the retracted {job.entry.url}")
            continue
        try:
            composed = compose(job.entry, job.platform, templates=templates)
        except Exception as exc:  # a template error: this post, not the whole report
            say(f"{job.platform}: {job.entry.url}: cannot compose: {one_line(str(exc))}")
            status = EXIT_FAILURES
            continue
        if job.action == "edit":
            verb = "would edit" if SPECS[job.platform].can_edit else "edited, cannot update"
            say(f"{job.platform}: {job.entry.url}: {verb} its copy:")
        say(format_composed(composed, job.entry))
    _report_waiting(selection.waiting, selection.abandoned, feed, say)
    return status


def _report_waiting(waiting: list[Row], abandoned: list[Row], feed: Feed, say) -> None:
    urls = {e.id: e.url for e in feed.entries}
    for row in waiting:
        when = (row.next_attempt_at or "")[:16].replace("T", " ")
        say(f"waiting for retry: {row.platform} {urls.get(row.entry_id, row.entry_id)} "
            f"(attempt {row.attempts} failed; next from {when} UTC): {row.last_error}")  # fmt: skip
    for row in abandoned:
        say(f"ABANDONED: {row.platform} {urls.get(row.entry_id, row.entry_id)} after "
            f"{row.attempts} attempts: {row.last_error} — fix the cause and run with "
            "--retry-failed, or --dismiss to stop reporting it")  # fmt: skip


@contextlib.contextmanager
def _stop_on_interrupt(stop, say) -> Iterator[None]:
    """The first Ctrl-C stops sending after the requests in flight; a second one kills."""

    def handler(signum, frame):
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()
        say("Stopping after the posts in flight (Ctrl-C again to quit at once)…")

    try:
        previous = signal.signal(signal.SIGINT, handler)
    except ValueError:  # not the main thread (tests): no handler, nothing to restore
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _credentials(feed: Feed, only, environ, say) -> dict[str, dict[str, str]]:
    """Credentials of every platform the feed names, checked before anything is opened.

    A platform named with --platform must be configured; otherwise an unconfigured
    platform is switched off (its posts wait, untouched, until it is configured), but a
    live run with nothing configured at all is a mistake, not a quiet success."""
    pairs, _ = wanted(feed.entries, only)
    names = sorted({platform for _, platform in pairs} | set(only or ()))
    loaded, unset = {}, []
    for name in names:
        found = credentials.load(name, environ)
        if found is None:
            unset.append(f"{name} (set {', '.join(credentials.missing(name, environ))})")
        else:
            loaded[name] = found
    if unset and (only or not loaded):
        raise UsageError("refusing to post live without credentials for " + "; ".join(unset))
    for line in unset:
        say(f"skipped, not configured: {line}")
    return loaded


def live(
    ledger: Ledger,
    selection: Selection,
    loaded: dict[str, dict[str, str]],
    templates,
    say,
    links_path: Path,
    environ,
    args,
    *,
    feed: Feed,
    look_first: bool = False,
) -> int:
    jobs = [job for job in selection.jobs if job.platform in loaded]
    from syndication import platforms as registry
    from syndication.compose import compose
    from syndication.retry import Pacer
    from syndication.runner import Runner, Schedule

    platforms = {name: registry.create(name, loaded[name]) for name in sorted(loaded)}
    runner = Runner(
        ledger=ledger,
        platforms=platforms,
        compose=lambda entry, name, limits: compose(
            entry, name, templates=templates, limits=limits
        ),
        schedule=Schedule(base=args.backoff),
        pacers={
            name: Pacer(SPECS[name].min_interval if args.pace is None else args.pace)
            for name in platforms
        },
        say=say,
        redact=credentials.redact,
        look_first=look_first,
    )
    for entry_id, platform, fingerprint in selection.adopt:
        ledger.set_fingerprint(entry_id, platform, fingerprint)
    if jobs:
        say(f"Cross-posting (live): {len(jobs)} job(s) on {', '.join(sorted(platforms))}.")
    with _stop_on_interrupt(runner.stop, say):
        report = runner.run(jobs)
    changed = _export(ledger, feed, links_path)
    rows = ledger.snapshot()
    failing = [r for r in rows.values() if r.state == "failed" and r.platform in loaded]
    abandoned = [r for r in rows.values() if r.state == "abandoned" and r.platform in loaded]
    say(
        f"Done: {len(report.posted)} posted, {len(report.edited)} edited, "
        f"{len(report.retracted)} deleted, {len(report.failures)} failed"
        + (f"; links written to {links_path}" if changed else "")
        + "."
    )
    _report_waiting(failing, abandoned, feed, say)
    if report.interrupted:
        say("Interrupted: what was sent is recorded; run again to send the rest.")
        return EXIT_INTERRUPTED
    ping_websub(Path(args.output), say, environ)
    return EXIT_FAILURES if (failing or abandoned or report.failures) else EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
