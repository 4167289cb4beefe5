"""Build the site all-or-nothing.

Pelican writes into a fresh folder beside the output; only a build with no error replaces
output/ (two renames). Every problem is one line, `file:line: error: message`, and a failed
build leaves the previous output/ exactly as it was.
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
import tempfile
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from plugins.problems import ContentError, ProblemsFound

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class BuildResult:
    output: Path
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

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
        message = " ".join(record.getMessage().split())
        if record.levelno < logging.ERROR:
            self.warnings.append(f"warning: {message}")
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


def load_settings(settings_file: str | Path, overrides: dict | None = None) -> dict:
    from pelican.settings import read_settings

    return read_settings(str(settings_file), override=dict(overrides or {}))


def build(
    settings_file: str | Path = ROOT / "pelicanconf.py",
    overrides: dict | None = None,
    debug: bool = False,
) -> BuildResult:
    """Run Pelican into a temporary folder and swap it in only if nothing went wrong."""
    from pelican import Pelican

    os.chdir(ROOT)  # pelicanconf paths and plugin imports are relative to the project
    settings = load_settings(settings_file, overrides)
    final = Path(settings["OUTPUT_PATH"]).resolve()
    final.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{final.name}.building-", dir=final.parent))
    settings["OUTPUT_PATH"] = str(work)
    settings["CHORUS_PROBLEMS"] = []
    root = str(ROOT)
    collector = _Collector(settings, root)
    logger = logging.getLogger()
    logger.addHandler(collector)
    previous_level = logger.level
    logger.setLevel(logging.WARNING)
    result = BuildResult(final)
    try:
        Pelican(settings).run()
    except ProblemsFound:
        pass  # the problems are in settings["CHORUS_PROBLEMS"]
    except ContentError as exc:
        collector.errors.append(exc.format(root))
    except Exception as exc:  # a bug or a broken plugin: still one line, never a traceback
        if debug:
            traceback.print_exc()
        collector.errors.append(
            f"error: the build stopped: {_describe(exc)} (run `invoke build --debug` for details)"
        )
    finally:
        logger.removeHandler(collector)
        logger.setLevel(previous_level)
    found = sorted(settings["CHORUS_PROBLEMS"], key=lambda e: (e.path, e.line or 0))
    result.problems = [e.format(root) for e in found] + collector.errors
    result.warnings = collector.warnings
    if result.problems:
        shutil.rmtree(work, ignore_errors=True)
        return result
    _swap(work, final)
    return result


def _swap(work: Path, final: Path) -> None:
    """Replace `final` by `work` with two renames, so readers never see a half-written site."""
    os.chmod(work, 0o755)
    old = None
    if final.exists():
        old = final.with_name(f".{final.name}.old-{os.getpid()}")
        os.rename(final, old)
    os.rename(work, final)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m chorus.build", description=__doc__)
    parser.add_argument("--settings", default=str(ROOT / "pelicanconf.py"))
    parser.add_argument("--output", help="output folder (default: the settings' OUTPUT_PATH)")
    parser.add_argument("--siteurl", help="override SITEURL (absolute, e.g. http://127.0.0.1:8000)")
    parser.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    args = parser.parse_args(argv)
    overrides = {}
    if args.output:
        overrides["OUTPUT_PATH"] = os.path.abspath(args.output)
    if args.siteurl:
        overrides["SITEURL"] = args.siteurl.rstrip("/")
    result = build(args.settings, overrides, debug=args.debug)
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
    return 0


if __name__ == "__main__":
    sys.exit(main())
