"""`invoke listen` / `python -m conversations.listening`: one run, a short report, an exit code.

Exit 0 when a snapshot was written, even if sources failed (a dead feed is news for the
page, not a reason to fail CI); 1 when listening.yaml is wrong (nothing written, one line
per problem, `file:line: error: …`); 2 for bad command-line arguments.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

from conversations.listening.fetch import DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT, Limits
from conversations.listening.runner import LATEST_PER_SOURCE, listen
from core.paths import shown_path
from core.settings import ChorusSettings
from plugins.problems import one_line

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "content" / "listening.yaml"
SNAPSHOT = ROOT / "content" / ChorusSettings.LISTENING_SNAPSHOT
STATE = ROOT / ".chorus" / "listening-state.json"
DEPARTMENTS = ROOT / "content" / ChorusSettings.DEPARTMENTS_FILE


def known_departments(path: Path) -> set[str] | None:
    """Slugs from departments.yaml, or None (no check) when it cannot be read: the build
    reports a broken departments file; listening need not fail for it."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    return {str(k) for k in data} if isinstance(data, dict) else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="invoke listen", description=__doc__)
    parser.add_argument("--config", type=Path, default=CONFIG, help="listening.yaml")
    parser.add_argument("--snapshot", type=Path, default=SNAPSHOT, help="snapshot to write")
    parser.add_argument("--state", type=Path, default=STATE, help="ETag/Last-Modified cache")
    parser.add_argument("--departments", type=Path, default=DEPARTMENTS)
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, help="seconds/source")
    parser.add_argument("--max-bytes", type=int, default=DEFAULT_MAX_BYTES)
    parser.add_argument("--latest", type=int, default=LATEST_PER_SOURCE)
    args = parser.parse_args(argv)
    if args.timeout <= 0 or args.max_bytes <= 0 or args.latest < 0:
        parser.error("--timeout and --max-bytes must be positive, --latest not negative")
    result = listen(
        args.config,
        args.snapshot,
        args.state,
        Limits(timeout=args.timeout, max_bytes=args.max_bytes),
        departments=known_departments(args.departments),
        latest=args.latest,
    )
    for warning in result.warnings:
        print(f"warning: {one_line(warning)}", file=sys.stderr)
    if not result.ok:
        for error in result.errors:
            print(error.format(str(Path.cwd())), file=sys.stderr)
        print(
            f"Listening stopped: {len(result.errors)} problem(s); nothing written.", file=sys.stderr
        )
        return 1
    snapshot = result.snapshot or {}
    failed = 0
    for source in snapshot.get("sources", []):
        status = source["status"]
        detail = source["error"] if status == "error" else f"{source['entries']} entries"
        failed += status == "error"
        print(f"{status:>12}  {one_line(source['name'])}: {one_line(str(detail))}")
    print(
        f"Wrote {shown_path(args.snapshot)}: {len(snapshot.get('mentions', []))} mention(s) from "
        f"{len(snapshot.get('sources', []))} source(s), {failed} failed."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
