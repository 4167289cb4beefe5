"""Child process of bench/run.py: the warm rebuild, as `invoke livereload` does it.

One process builds the site (in-process: `chorus.build.build`, the dev server's path), then
edits one post (a sentence appended) and builds again, twice, as an author saving twice
does; it prints the times as JSON and puts the post back as it was. Each rebuild takes
every other post from the previous build (plugins/posts/reuse.py) and renders only the
pages whose inputs changed (plugins/writer.py); the counts of pages rendered and kept are
printed too. `rebuild_s` is the second one, the dev server's steady state: the first
writes into a fresh folder, every later one into the output it replaced (take_spare).

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
    times, results = [], []
    try:
        for n in (1, 2):
            path.write_bytes(original + f"\nSentence {n}, added to time a rebuild.\n".encode())
            started = time.perf_counter()
            results.append(build(settings, overrides))
            times.append(time.perf_counter() - started)
    finally:
        path.write_bytes(original)
    second = results[-1]
    ok = first.ok and all(r.ok for r in results)
    print(
        json.dumps(
            {
                "cold_in_process_s": round(cold, 3),
                "first_rebuild_s": round(times[0], 3),
                "rebuild_s": round(times[-1], 3),
                "pages_rendered": second.pages_rendered,
                "pages_kept": second.pages_kept,
                "ok": ok,
                "problems": [p for r in (first, *results) for p in r.problems][:5],
            }
        )
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
