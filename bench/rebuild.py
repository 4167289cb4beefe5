"""Child process of bench/run.py: the warm rebuild, as `invoke livereload` does it.

One process builds the site (in-process: `chorus.build.build`, the dev server's path), then
edits one post (a sentence appended) and builds again; it prints both times as JSON and puts
the post back as it was. Pelican has no incremental mode (CACHE_CONTENT is off in
pelicanconf.py and Pelican always rewrites every page), so the second build re-reads and
re-renders everything; what it saves is interpreter start-up and imports.

    python -m bench.rebuild SETTINGS POST OUTPUT
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path


def main(argv: list[str]) -> int:
    settings, post, output = argv
    from chorus.build import build

    overrides = {"OUTPUT_PATH": str(Path(output).resolve())}
    started = time.perf_counter()
    first = build(settings, overrides)
    cold = time.perf_counter() - started
    path = Path(post)
    original = path.read_bytes()
    try:
        path.write_bytes(original + b"\nOne more sentence, added to time a rebuild.\n")
        started = time.perf_counter()
        second = build(settings, overrides)
        rebuild = time.perf_counter() - started
    finally:
        path.write_bytes(original)
    print(
        json.dumps(
            {
                "cold_in_process_s": round(cold, 3),
                "rebuild_s": round(rebuild, 3),
                "ok": first.ok and second.ok,
                "problems": (first.problems + second.problems)[:5],
            }
        )
    )
    return 0 if first.ok and second.ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
