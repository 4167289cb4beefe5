"""Build the site all-or-nothing.

Pelican writes into a fresh folder beside the output; only a build with no error replaces
output/ (two renames). Every problem is one line, `file:line: error: message`, and a failed
build leaves the previous output/ exactly as it was.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import sys
import tempfile
import threading
import time
import traceback
import weakref
from dataclasses import dataclass, field
from pathlib import Path

from core.collector import no_full_collections
from core.settings import load_settings
from plugins.problems import ContentError, ProblemsFound, location, one_line
from plugins.run import new_run

# A line that already says its level ("post.md:12:25: error: …", the lint's own format):
# printed as it is, so the level shows once.
LEVELLED = re.compile(r"^(?:\S[^:]*(?::\d+){0,2}: )?(?:error|warning|suggestion): ")

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class BuildResult:
    output: Path
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    pages_rendered: int = 0  # of the posts' pages (plugins/writer.py); the rest were kept
    pages_kept: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


class _Collector(logging.Handler):
    """Turns Pelican's log records into one-line problems and warnings."""

    def __init__(self, settings: dict, root: str):
        super().__init__(logging.WARNING)
        self.settings, self.root = settings, root
        self.errors: list[str] = []
        self.warnings: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self._collect(record)
        except Exception as exc:  # never logging's own "--- Logging error ---" traceback
            self.errors.append(one_line(f"error: {record.msg!s} ({_describe(exc)})"))

    def _collect(self, record: logging.LogRecord) -> None:
        message = one_line(record.getMessage())
        if record.levelno < logging.ERROR:
            self.warnings.append(message if LEVELLED.match(message) else f"warning: {message}")
            return
        active = sys.exc_info()[1]  # Pelican logs reader failures inside its except block
        if isinstance(active, ContentError):
            return  # already recorded by the reader, with its line
        if message.startswith("Could not process") and active is not None:
            path = message.removeprefix("Could not process").strip()
            self.errors.append(ContentError(path, None, _describe(active)).format(self.root))
            return
        self.errors.append(f"error: {message}")


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


def build(
    settings_file: str | Path = ROOT / "pelicanconf.py",
    overrides: dict | None = None,
    debug: bool = False,
) -> BuildResult:
    """Run Pelican into a temporary folder and swap it in only if nothing went wrong.

    Whatever happens inside Pelican (bad content, a plugin raising while pages are written,
    even Ctrl-C), the temporary folder is removed and the previous output is left as it was.
    """
    with no_full_collections():  # core/collector.py: a build frees almost nothing
        return _build(settings_file, overrides, debug)


def _build(settings_file: str | Path, overrides: dict | None, debug: bool) -> BuildResult:
    from pelican import Pelican

    from plugins.writer import keep_spare, take_spare

    shown_from = os.getcwd()  # paths in messages are relative to where the user is
    os.chdir(ROOT)  # pelicanconf paths and plugin imports are relative to the project
    work: Path | None = None
    try:
        try:
            settings = load_settings(settings_file, overrides)
        except Exception as exc:  # a typo in a settings file: its line, no traceback
            fallback = Path((overrides or {}).get("OUTPUT_PATH", "output")).resolve()
            where = _where(exc, shown_from) or location(str(settings_file), None, shown_from)
            if isinstance(exc, SyntaxError) and exc.filename:
                where = location(exc.filename, exc.lineno, shown_from) + ": "
            return BuildResult(fallback, [one_line(f"{where}error: {_describe(exc)}")])
        final = Path(settings["OUTPUT_PATH"]).resolve()
        final.parent.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=f".{final.name}.building-", dir=final.parent))
        settings["OUTPUT_PATH"] = str(work)
        # what messages call the output, and the pages the folder holds already (if any)
        run = new_run(settings, final_output=str(final), spare=take_spare(final, work))
        collector = _Collector(settings, shown_from)
        result = BuildResult(final)
        forget_rendered_content()
        _run(Pelican, settings, collector, debug)
        found = sorted(run.problems, key=lambda e: (str(e.path), e.line or 0))
        result.problems = [e.format(shown_from) for e in found] + collector.errors
        result.warnings = collector.warnings
        result.pages_rendered, result.pages_kept = run.pages_rendered, run.pages_kept
        if not result.problems:
            old = _swap(work, final)
            work = None
            if old is not None and not keep_spare(old, final):
                _remove_later(old)
            if run.rendered_record is not None:  # the next build may keep these pages
                run.rendered_record.save(run.rendered)
        return result
    finally:
        if work is not None:
            shutil.rmtree(work, ignore_errors=True)
        os.chdir(shown_from)


def forget_rendered_content() -> None:
    """Pelican memoizes every post's content and summary in one dict per method, on the
    class, keyed by the post: in a process that builds again and again (the live-reload
    server) each build's 5,000 posts would stay in memory for good. Nothing of a previous
    build is read from there (its posts are other objects), so each build starts empty."""
    from pelican.contents import Content
    from pelican.utils import memoized

    for value in vars(Content).values():
        if isinstance(value, memoized):
            value.cache.clear()


def _run(pelican_class, settings: dict, collector: _Collector, debug: bool) -> None:
    """Pelican's run, with every way it can fail turned into one line on the collector."""
    logger = logging.getLogger()
    logger.addHandler(collector)
    previous_level = logger.level
    logger.setLevel(logging.WARNING)
    connected = _receivers()
    try:
        pelican_class(settings).run()
    except ProblemsFound:
        pass  # the problems are in the run (plugins/run.py)
    except ContentError as exc:
        collector.errors.append(exc.format(collector.root))
    except (Exception, SystemExit) as exc:  # a bug or a broken plugin: one line, no traceback
        if debug:
            traceback.print_exc()
        where = _where(exc, collector.root)
        collector.errors.append(
            one_line(
                f"{where}error: the build stopped: {_describe(exc)}"
                " (run the build again with --debug to see the traceback)"
            )
        )
    finally:
        logger.removeHandler(collector)
        logger.setLevel(previous_level)
        _disconnect_new(connected)


def _signals() -> list:
    from blinker import Signal
    from pelican.plugins import signals

    return [value for value in vars(signals).values() if isinstance(value, Signal)]


def _receivers() -> dict[int, set]:
    return {id(signal): set(signal.receivers) for signal in _signals()}


def _disconnect_new(before: dict[int, set]) -> None:
    """Pelican's signals are process-wide and it never disconnects plugins: without this, a
    plugin of one in-process build (the dev server's, a test's) would still run in the next
    — or fire on Articles that some other code makes. Each build registers its own again."""
    for signal in _signals():
        for key in set(signal.receivers) - before.get(id(signal), set()):
            receiver = signal.receivers.get(key)
            if isinstance(receiver, weakref.ref):
                receiver = receiver()
            if receiver is not None:
                signal.disconnect(receiver)


def _where(exc: BaseException, root: str) -> str:
    """`file:line: ` of the innermost frame in our own code (a plugin, a generator of ours),
    else of the innermost frame: the place a developer opens first."""
    frames = traceback.extract_tb(exc.__traceback__)
    if not frames:
        return ""
    ours = [
        f
        for f in frames
        if f.filename.startswith(str(ROOT) + os.sep)
        and not f.filename.startswith(str(ROOT / ".venv") + os.sep)
        and not f.filename.startswith(str(ROOT / "chorus") + os.sep)
    ]
    frame = (ours or frames)[-1]
    return location(frame.filename, frame.lineno, root) + ": "


_CLEANUPS: list[threading.Thread] = []


def _swap(work: Path, final: Path) -> Path | None:
    """Replace `final` by `work` with two renames, so readers never see a half-written site;
    where the previous site went (None: there was none). The next build writes into it
    (plugins/writer.py keep_spare) when the page cache is on; otherwise it is removed."""
    os.chmod(work, 0o755)
    old = None
    if final.exists():
        old = final.with_name(f".{final.name}.old-{os.getpid()}-{time.monotonic_ns()}")
        os.rename(final, old)
    os.rename(work, final)
    return old


def _remove_later(folder: Path) -> None:
    """Remove a replaced site in the background: on a large site that takes a second, which
    the live-reload server need not wait for (the process waits for it at exit)."""
    cleanup = threading.Thread(target=shutil.rmtree, args=(folder, True), name="chorus-cleanup")
    cleanup.start()
    _CLEANUPS.append(cleanup)


def finish_cleanup() -> None:
    """Wait until the previous sites are removed (tests look for leftovers)."""
    while _CLEANUPS:
        _CLEANUPS.pop().join()


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m chorus.build", description=__doc__)
    parser.add_argument("--settings", default=str(ROOT / "pelicanconf.py"))
    parser.add_argument("--output", help="output folder (default: the settings' OUTPUT_PATH)")
    parser.add_argument("--content", help="content folder (default: the settings' PATH)")
    parser.add_argument("--siteurl", help="override SITEURL (absolute, e.g. http://127.0.0.1:8000)")
    parser.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    args = parser.parse_args(argv)
    overrides = {}
    if args.output:
        overrides["OUTPUT_PATH"] = os.path.abspath(args.output)
    if args.content:
        overrides["PATH"] = os.path.abspath(args.content)
    if args.siteurl:
        overrides["SITEURL"] = args.siteurl.rstrip("/")
    started = time.perf_counter()
    try:
        result = build(args.settings, overrides, debug=args.debug)
    except KeyboardInterrupt:
        print("Build interrupted; the output folder was left unchanged.", file=sys.stderr)
        return 130
    if result.ok:
        for line in result.warnings:
            print(line, file=sys.stderr)
    for line in result.problems:
        print(line, file=sys.stderr)
    if not result.ok:
        print(
            f"Build failed: {len(result.problems)} problem(s); {result.output} was left unchanged.",
            file=sys.stderr,
        )
        return 1
    seconds = time.perf_counter() - started
    print(
        f"Built {result.output} in {seconds:.1f} s: {result.pages_rendered} page(s) rendered,"
        f" {result.pages_kept} unchanged since the last build."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
