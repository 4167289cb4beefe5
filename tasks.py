"""Everyday commands (invoke), after Pelican's quickstart: build, clean, serve, livereload,
publish, plus Chorus' own: new, test, bench. `make` only bootstraps the venv and calls these.
"""

from __future__ import annotations

import contextlib
import shlex
import shutil
import sys
from pathlib import Path

from invoke import task

ROOT = Path(__file__).resolve().parent
SETTINGS = ROOT / "pelicanconf.py"
PUBLISH_SETTINGS = ROOT / "publishconf.py"
INTERNAL_SETTINGS = ROOT / "internalconf.py"  # the intranet site: every post, drafts
OUTPUT = ROOT / "output"
INTERNAL_OUTPUT = ROOT / "output-internal"
AUDIENCES = {"public": (SETTINGS, OUTPUT), "internal": (INTERNAL_SETTINGS, INTERNAL_OUTPUT)}
PORT = 8000
HOST = "127.0.0.1"  # what the dev servers listen on, and so the address they print


def _build(settings: Path, debug: bool = False) -> None:
    from chorus.build import main

    argv = ["--settings", str(settings)] + (["--debug"] if debug else [])
    code = main(argv)
    if code:
        sys.exit(code)


def _help_if_asked(task_name: str, *positional: str) -> None:
    """Invoke hands a task's first positional argument whatever comes next, so
    `invoke new --help` arrives here as the title "--help": show the task's help instead."""
    if any(value in ("-h", "--help") for value in positional):
        import os

        os.execv(
            sys.executable,
            [sys.executable, "-m", "invoke", "--search-root", str(ROOT), "--help", task_name],
        )


@task
def clean(c):
    """Remove the generated sites (output/ and output-internal/, and the spare copies the
    next build would write into)."""
    from plugins.writer import spare_of  # Pelican: only this task needs it

    for _settings, output in AUDIENCES.values():
        shutil.rmtree(output, ignore_errors=True)
        shutil.rmtree(spare_of(Path(output)), ignore_errors=True)


@task(
    help={
        "debug": "show a traceback if the build itself breaks",
        "report": "end with what cross-posting would send, in one line (--no-report: not at all)",
        "crosspost": "show each post cross-posting would send, in full (the dry run)",
        "audience": "public (default: pelicanconf.py → output/) or internal (internalconf.py"
        " → output-internal/: every post, drafts, the full guidelines)",
    }
)
def build(c, debug=False, report=True, crosspost=False, audience="public"):
    """Build the site (all or nothing): the public dev site, or the intranet one."""
    if audience not in AUDIENCES:
        print(f"error: --audience is public or internal, not {audience!r}", file=sys.stderr)
        sys.exit(2)
    settings, output = AUDIENCES[audience]
    _build(settings, debug)
    if audience == "public":
        print(
            f"Built {output}/ — look at it with `make serve` (or `invoke serve`): http://{HOST}:{PORT}/"
        )
    else:
        print(
            f"Built {output}/ — the intranet site; serve it with `invoke serve --audience internal`"
        )
    if report:  # what `invoke syndicate --live` would post: informative, never fails the build
        from syndication.cli import main as syndicate_main

        print()
        argv = ["--feed", str(output / "feeds" / "all.json")]
        try:
            syndicate_main(argv if crosspost else [*argv, "--summary"])
        except Exception as exc:  # the site is built; a report bug must not hide that
            print(f"cross-posting report unavailable: {type(exc).__name__}: {exc}")


@task(
    help={
        "port": f"port to serve on (default {PORT})",
        "audience": "public (output/, default) or internal (output-internal/)",
    }
)
def serve(c, port=PORT, audience="public"):
    """Serve output/ (or output-internal/) on http://127.0.0.1:PORT (no rebuild)."""
    import functools
    import http.server

    folder = AUDIENCES.get(audience, AUDIENCES["public"])[1]
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    from chorus.devserver import address

    with http.server.ThreadingHTTPServer((HOST, int(port)), handler) as server:
        print(f"Serving {folder}/ at {address(HOST, int(port))}/ — Ctrl-C to stop")
        with contextlib.suppress(KeyboardInterrupt):
            server.serve_forever()


@task(help={"port": f"port to serve on (default {PORT})"})
def livereload(c, port=PORT):
    """Build, serve on http://127.0.0.1:PORT and rebuild + reload the browser on every edit."""
    from chorus.devserver import run

    sys.exit(run(SETTINGS, HOST, int(port)))


@task(
    help={
        "debug": "show a traceback if the build itself breaks",
        "ping": "ping the WebSub hub (--no-ping in CI: the hub is pinged after the deploy)",
    }
)
def publish(c, debug=False, ping=True):
    """Build the public site (publishconf.py) and ping the WebSub hub for every feed."""
    _build(PUBLISH_SETTINGS, debug)
    from core.settings import chorus_settings, load_settings
    from syndication.platforms.websub import ping_hub

    settings = load_settings(PUBLISH_SETTINGS)
    if ping and chorus_settings(settings).WEBSUB_HUB:
        for line in ping_hub(settings, OUTPUT):
            print(line)


@task(
    help={
        "title": "the post's title, in quotes",
        "author": "your handle: the name of your file in content/people/ (e.g. maria.lopez)",
        "slug": "file name to use instead of one made from the title (ASCII words)",
        "content": "content folder (default: content/)",
    }
)
def new(c, title, author="", slug="", content=""):
    """Start a draft post: invoke new --author HANDLE "Title" (prints the new file's path)."""
    _help_if_asked("new", title)
    from chorus.scaffold import CONTENT, cli

    sys.exit(cli(title, author, content or CONTENT, slug or None))


# Tasks whose `paths` option also takes the words after the task name, the way people
# type them (`invoke lint content/posts/hr/x.md other.md`).
TAKES_PATHS = ("lint",)


def _accept_paths() -> None:
    """Invoke 3 has no optional or repeated positional arguments: it would read a path after
    `invoke lint` as a task name and stop with "No idea what … is!". Invoke imports this
    file before it parses the task's words, so the parser is taught here: a word that is not
    a flag, not a flag's value and not a task, given to a task in TAKES_PATHS, is a path."""
    from invoke.parser.parser import ParseMachine

    original = ParseMachine.handle
    if getattr(original, "_chorus_paths", False):
        return

    def handle(self, token: str) -> None:
        context = self.context
        if (
            context is not None
            and context.name in TAKES_PATHS
            and "paths" in context.args
            and not token.startswith("-")
            and not self.waiting_for_flag_value
            and token not in self.contexts
        ):
            arg = context.args["paths"]
            arg.value = f"{arg.value} {token}".strip() if arg.value else token
            return
        original(self, token)

    handle._chorus_paths = True  # type: ignore[attr-defined]
    ParseMachine.handle = handle


_accept_paths()


def _guidelines(*argv: str) -> None:
    """Run the guidelines CLI in this process and exit with its code (0/1/2), as a short
    command (core/collector.py)."""
    from core.collector import run_command
    from plugins.guidelines.cli import main

    run_command(lambda: main([a for a in argv if a]))


@task(
    help={
        "paths": "post files or folders, separated by spaces (default: content/posts/)",
        "changed": "only posts changed against --base (committed, uncommitted, untracked)",
        "base": "branch to compare with for --changed (default: main)",
        "format": "human (default), json, sarif or github",
        "output": "write the report to this file (e.g. lint.sarif)",
    }
)
def lint(c, paths="", changed=False, base="main", format="human", output=""):
    """Check posts against content/guidelines.yaml: exit 0 clean, 1 errors, 2 usage/config."""
    args = ["lint", *paths.replace(",", " ").split(), "--format", format, "--base", base]
    _guidelines(*args, "--changed" if changed else "", *(["--output", output] if output else []))


@task(
    positional=["post"],
    help={"post": "the post file", "by": "your handle (content/people/<handle>.yaml)"},
)
def approve(c, post, by):
    """Approve a post that the guidelines say needs approval: invoke approve POST --by HANDLE."""
    _help_if_asked("approve", post)
    _guidelines("approve", post, "--by", by)


@task(
    help={
        "post": "the post file",
        "out": "HTML file to write (default: .preview/<slug>.html)",
        "serve": "serve the preview on http://localhost:PORT",
        "port": "port for --serve (default 8001)",
    }
)
def preview(c, post, out="", serve=False, port=8001):
    """Render one post with the theme and its guideline findings, without a site build."""
    _help_if_asked("preview", post)
    from chorus.preview import main
    from core.collector import run_command

    args = [
        post,
        "--port",
        str(port),
        *(["--serve"] if serve else []),
        *(["--out", out] if out else []),
    ]
    run_command(lambda: main(args))


@task(
    help={
        "timeout": "seconds per source (default 10)",
        "max_bytes": "largest feed to read, in bytes (default 5 MB)",
        "config": "listening config (default content/listening.yaml)",
        "snapshot": "snapshot to write (default content/listening/snapshot.json)",
    }
)
def listen(c, timeout=0.0, max_bytes=0, config="", snapshot=""):
    """Fetch the listening sources and write the snapshot the Listening page shows."""
    from conversations.listening.cli import main

    argv = [f"--timeout={timeout}"] if timeout else []
    argv += [f"--max-bytes={max_bytes}"] if max_bytes else []
    argv += [f"--config={config}"] if config else []
    argv += [f"--snapshot={snapshot}"] if snapshot else []
    code = main(argv)
    if code:
        sys.exit(code)


@task(
    help={
        "command": "fetch | review | snapshot | inbox | digest",
        "department": "inbox, digest: only this department",
        "live": "digest: send to the departments' channels (default: print what would be sent)",
        "interactive": "review: ask about each pending reply (default in a terminal, no flags)",
        "all": "fetch: read every copy now, not only those the polling schedule says are due",
        "approve": "review: approve this response key (platform:id), repeatable",
        "hide": "review: hide this response key, repeatable",
        "block": "review: block this account (user@host) or domain, repeatable",
        "done": "review: this listening mention is handled (leaves the inbox), repeatable",
        "mention_days": "inbox/digest: mentions older than this many days have left (14)",
    },
    iterable=["approve", "hide", "block", "done"],
)
def conversations(
    c,
    command,
    approve=None,
    hide=None,
    block=None,
    done=None,
    mention_days=0,
    department="",
    all=False,
    live=False,
    interactive=False,
):
    """Bring replies, likes and reposts home; review them; write the snapshot the site shows."""
    _help_if_asked("conversations", command)
    from conversations.cli import main

    argv = [command]
    argv += [f"--approve={k}" for k in approve or []]
    argv += [f"--hide={k}" for k in hide or []]
    argv += [f"--block={k}" for k in block or []]
    argv += [f"--done={k}" for k in done or []]
    argv += [f"--mention-days={mention_days}"] if mention_days else []
    argv += [f"--department={department}"] if department else []
    argv += ["--all"] if all else []
    argv += ["--live"] if live else []
    argv += ["--interactive"] if interactive else []
    code = main(argv)
    if code:
        sys.exit(code)


@task(help={"fast": "only the fast unit tests", "k": "pytest -k expression"})
def test(c, fast=False, k=""):
    """Run the tests: unit tests first, then integration and browser tests."""
    args = [sys.executable, "-m", "pytest", "-q"]
    if fast:
        args += ["-m", "not integration and not browser"]
    if k:
        args += ["-k", k]
    c.run(shlex.join(args), pty=False)


@task(
    iterable=["platform"],
    help={
        "live": "really post (default: a dry run that shows what would be posted)",
        "platform": "only this platform (repeatable): mastodon, bluesky, linkedin, x, …",
        "baseline": "mark every entry in the feed as already seen (first run on a live site)",
        "retry_failed": "send the posts that failed in an earlier run again",
        "first_run": "allow --live with an empty ledger (posts everything in the feed)",
        "feed": "JSON Feed path or URL (default: output/feeds/all.json)",
        "ledger": "ledger file (default: $CHORUS_LEDGER or .chorus/ledger.sqlite)",
    },
)
def syndicate(
    c, live=False, platform=None, baseline=False, retry_failed=False, first_run=False,
    feed="", ledger="",
):  # fmt: skip
    """Cross-post new entries of the published feed (dry run unless --live)."""
    from syndication.cli import main

    argv = ["--live"] if live else []
    argv += [f"--platform={name}" for name in platform or []]
    argv += ["--baseline"] if baseline else []
    argv += ["--retry-failed"] if retry_failed else []
    argv += ["--first-run"] if first_run else []
    argv += [f"--feed={feed}"] if feed else []
    argv += [f"--ledger={ledger}"] if ledger else []
    code = main(argv)
    if code:
        sys.exit(code)


@task(
    help={
        "sizes": "corpus sizes, comma-separated (default 1000,5000)",
        "repeat": "builds per tool and size; the median counts (default 3)",
        "profile": "also cProfile both builds and show where the time goes",
        "syndication": "also time cross-posting 1,000 entries to 3 local platforms (~1 min)",
        "builds_only": "only the cold builds (no rebuild, lint, preview, proselint)",
    }
)
def bench(c, sizes="1000,5000", repeat=3, profile=False, syndication=False, builds_only=False):
    """Benchmark Chorus against vanilla Pelican on generated posts (bench/results/latest.json)."""
    args = [sys.executable, "-m", "bench.run", "--sizes", sizes, "--repeat", str(repeat)]
    args += ["--profile"] if profile else []
    args += ["--syndication"] if syndication else []
    args += ["--builds-only"] if builds_only else []
    c.run(shlex.join(args), pty=False)
