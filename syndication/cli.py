"""`invoke syndicate` / `python -m syndication.cli`: cross-post new entries of the published feed.

A dry run unless --live: it shows, per new entry and platform, the text that would be posted
with its counted length and the platform's limit, and changes nothing. --live refuses to
start if a platform named with --platform (or every platform) has no credentials (others
without credentials are skipped and wait), posts, records every result in the
ledger, rewrites the links file, and exits 1 if anything failed (after recording everything
that succeeded). Bad input (a broken feed, an unknown platform) is one line and exit 2.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path

from plugins.problems import ContentError, one_line
from syndication import PLATFORMS, credentials
from syndication.ledger import Ledger, default_path
from syndication.links import export_links, load_links
from syndication.select import Selection, baseline, select
from syndication.source import read_source

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_FEED = ROOT / "output" / "feeds" / "all.json"
DEFAULT_LINKS = ROOT / "content" / "syndication-links.json"
DEFAULT_SETTINGS = ROOT / "pelicanconf.py"
DEFAULT_PACING = 1.0  # seconds between two posts on one platform, unless it says otherwise
EXIT_OK, EXIT_FAILURES, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """Wrong arguments or a refusal (no credentials): one line, exit 2."""


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="invoke syndicate", description=__doc__.split("\n")[0])
    p.add_argument("--feed", default=str(DEFAULT_FEED), help="JSON Feed path or URL")
    p.add_argument("--live", action="store_true", help="really post (default: dry run)")
    p.add_argument(
        "--platform",
        action="append",
        default=[],
        help=f"only these platforms (repeat or comma-separate): {', '.join(PLATFORMS)}",
    )
    p.add_argument(
        "--baseline", action="store_true", help="mark every entry in the feed as already seen"
    )
    p.add_argument("--retry-failed", action="store_true", help="send failed posts again")
    p.add_argument(
        "--first-run",
        action="store_true",
        help="allow a live run with an empty ledger (posts everything in the feed)",
    )
    p.add_argument(
        "--ledger",
        default=None,
        help="ledger file (default: $CHORUS_LEDGER or .chorus/ledger.sqlite)",
    )
    p.add_argument("--links", default=str(DEFAULT_LINKS), help="links file to write")
    p.add_argument(
        "--pace",
        type=float,
        default=None,
        help="seconds between two posts on one platform (default: the platform's min_interval)",
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
    unknown = [n for n in names if n not in PLATFORMS]
    if unknown:
        raise UsageError(f"unknown platform {unknown[0]!r} (known: {', '.join(PLATFORMS)})")
    return names or None


def _templates(settings_file: str) -> dict | None:
    """SYNDICATION_TEMPLATES from the settings, read without running Pelican."""
    path = Path(settings_file)
    if not path.exists():
        return None
    from chorus.build import load_settings

    return load_settings(path).get("SYNDICATION_TEMPLATES") or None


def _states(ledger_path: Path, links_path: Path) -> dict[tuple[str, str], str]:
    """The ledger's states, plus 'posted' for every link in the committed links file: if CI
    ever loses the ledger cache, what the site already links to is still never resent."""
    states: dict[tuple[str, str], str] = {}
    for entry_id, items in load_links(links_path).items():
        for item in items:
            states[(entry_id, item["platform"])] = "posted"
    if ledger_path.exists():
        with Ledger(ledger_path) as ledger:
            states.update(ledger.states())
    return states


def main(argv: list[str] | None = None, *, out=None, environ=None) -> int:
    out = out or sys.stdout
    environ = os.environ if environ is None else environ
    credentials.install_log_redaction()

    def say(line: str) -> None:
        print(credentials.redact(line), file=out, flush=True)

    args = parser().parse_args(argv)
    try:
        return _main(args, say, environ)
    except (UsageError, ContentError, credentials.CredentialsError) as exc:
        text = exc.format(os.getcwd()) if isinstance(exc, ContentError) else f"error: {exc}"
        print(credentials.redact(one_line(text)), file=sys.stderr, flush=True)
        return EXIT_USAGE


def _main(args, say: Callable[[str], None], environ) -> int:
    only = _platforms(args.platform)
    ledger_path = Path(args.ledger) if args.ledger else default_path(environ, ROOT)
    links_path = Path(args.links)
    entries = read_source(args.feed)
    if args.baseline:
        with Ledger(ledger_path) as ledger:
            added = ledger.mark_seen(baseline(entries, only))
        say(f"Baseline: {added} new (entry, platform) pair(s) marked as seen in {ledger_path}.")
        return EXIT_OK
    states = _states(ledger_path, links_path)
    selection = select(entries, states, only=only, retry_failed=args.retry_failed)
    for warning in selection.warnings:
        say(f"warning: {warning}")
    templates = _templates(args.settings)
    if not args.live:
        return dry_run(selection, templates, say, empty_ledger=not states)
    if not states and not args.first_run:
        raise UsageError(
            f"the ledger {ledger_path} is empty, so every entry in the feed counts as new: "
            "run `invoke syndicate --baseline` once first, or pass --first-run to post them all"
        )
    status = live(
        selection, templates, say, ledger_path, links_path, environ, args.pace, bool(only)
    )
    ping_websub(Path(args.output), say, environ)
    return status


def pacing(name: str) -> float:
    """The platform's own minimum interval (its module's LIMITS), else DEFAULT_PACING."""
    from importlib import import_module

    from syndication.platforms import MODULES

    limits = getattr(import_module(MODULES[name]), "LIMITS", {}) or {}
    return float(limits.get("min_interval", DEFAULT_PACING))


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


def dry_run(selection: Selection, templates, say, *, empty_ledger: bool = False) -> int:
    if not selection.jobs:
        say("Cross-posting (dry run): nothing new to post.")
        return EXIT_OK
    from syndication.compose import compose
    from syndication.compose.report import format_composed

    entries = len({job.entry.id for job in selection.jobs})
    say(
        f"Cross-posting (dry run): {entries} new entr{'y' if entries == 1 else 'ies'}, "
        f"{len(selection.jobs)} post(s); nothing is sent (use --live to post)."
    )
    if empty_ledger:
        say(
            "note: the ledger is empty; on a site that was already published, "
            "run `invoke syndicate --baseline` once so old posts are not sent."
        )
    status = EXIT_OK
    for job in selection.jobs:
        try:
            composed = compose(job.entry, job.platform, templates=templates)
        except Exception as exc:  # a template error: this post, not the whole report
            say(f"{job.platform}: {job.entry.url}: cannot compose: {one_line(str(exc))}")
            status = EXIT_FAILURES
            continue
        say(format_composed(composed, job.entry))
    return status


def live(
    selection: Selection,
    templates,
    say,
    ledger_path: Path,
    links_path: Path,
    environ,
    pace: float | None = None,
    explicit: bool = False,
) -> int:
    wanted = sorted({job.platform for job in selection.jobs})
    loaded, unset = {}, []
    for name in wanted:
        found = credentials.load(name, environ)
        if found is None:
            unset.append(f"{name} (set {', '.join(credentials.missing(name, environ))})")
        else:
            loaded[name] = found
    # a platform named with --platform must be configured; otherwise an unconfigured
    # platform is switched off (its posts wait, untouched, until it is configured), but a
    # live run with nothing configured at all is a mistake, not a quiet success
    if unset and (explicit or not loaded):
        raise UsageError("refusing to post live without credentials for " + "; ".join(unset))
    for line in unset:
        say(f"skipped, not configured: {line}")
    needed = sorted(loaded)
    selection = Selection([j for j in selection.jobs if j.platform in loaded], selection.warnings)
    from syndication import platforms as registry
    from syndication.compose import compose
    from syndication.retry import Pacer
    from syndication.runner import Runner

    with Ledger(ledger_path) as ledger:
        platforms = {name: registry.create(name, loaded[name]) for name in needed}
        runner = Runner(
            ledger=ledger,
            platforms=platforms,
            compose=lambda entry, name, limits: compose(
                entry, name, templates=templates, limits=limits
            ),
            pacers={name: Pacer(pacing(name) if pace is None else pace) for name in needed},
            say=say,
            redact=credentials.redact,
        )
        if selection.jobs:
            say(f"Cross-posting (live): {len(selection.jobs)} post(s) on {', '.join(needed)}.")
        report = runner.run(selection.jobs)
        changed = export_links(links_path, ledger.links())
    say(
        f"Done: {len(report.posted)} posted, {len(report.failures)} failed"
        + (f"; links written to {links_path}" if changed else "")
        + "."
    )
    return EXIT_FAILURES if report.failures else EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
