"""Child process of bench/run.py: the warm rebuild, as `invoke livereload` does it.

One process builds the site (in-process: `chorus.build.build`, the dev server's path), then
edits one post (a sentence appended) and builds again; it prints both times as JSON and puts
the post back as it was. The second build takes every other post from the pipeline's
cache (plugins/pipeline.py) and renders only the pages whose inputs changed
(plugins/writer.py); the counts of pages rendered and kept are printed too.

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
                "pages_rendered": second.pages_rendered,
                "pages_kept": second.pages_kept,
                "ok": first.ok and second.ok,
                "problems": (first.problems + second.problems)[:5],
            }
        )
    )
    return 0 if first.ok and second.ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
