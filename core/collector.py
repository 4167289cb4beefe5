"""When the garbage collector runs: not fully while a site is built, not at all in a
short command.

Why, for a build: it makes millions of objects that live until it ends (posts, their
pages' data, the listings) and almost no cyclic garbage. CPython runs a full collection,
which walks every live object, whenever the old generation has grown by a quarter; a
5,000-post build ran seven of them (0.8 s of a cold build's 27 s), and a live-reload
rebuild, whose process already holds the previous site, two or three (0.8–1.3 s of a 5 s
rebuild). The young generations are still collected as usual, so short-lived cycles
(Jinja's render frames, exceptions) are freed as before; measured at 5,000 posts the peak
RSS did not move (177 → 179 MiB). The old thresholds come back when the build ends, and the
first full collection after that frees whatever the build left.

Why, for a short command (`python -m plugins.guidelines lint`, `python -m chorus.preview`):
such a process loads (Pelican, the rules, the caches: a hundred thousand objects or more),
answers and exits, and nothing it makes is garbage before then. The collector still walked
all of it, again and again while it loaded (60 ms of a 0.45 s preview, 25 ms of a 0.23 s
warm lint) and then several times more while the interpreter shut down (0.1-0.2 s: longer
than the preview's own work). A cold lint of 5,000 posts peaks at the same memory either
way. Only the process is changed: main() called from Python (the tests) leaves the
collector alone, and a command that goes on running (`preview --serve`) turns it back on.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import NoReturn

NEVER = 1 << 30  # young collections between full ones: none within any real build
_paused: list[tuple[int, int, int]] = []  # the thresholds to restore, innermost last


def pause_full_collections(*_sender: object, **_signal: object) -> None:
    """From now on collect only the young generations (nests: one resume per pause)."""
    young, middle, old = gc.get_threshold()
    _paused.append((young, middle, old))
    gc.set_threshold(young, middle, NEVER)


def resume_full_collections(*_sender: object, **_signal: object) -> None:
    """Back to the thresholds before the matching pause (nothing if none is paused)."""
    if _paused:
        gc.set_threshold(*_paused.pop())


@contextmanager
def no_full_collections() -> Iterator[None]:
    """pause_full_collections() for the duration of a block, resumed however it ends."""
    depth = len(_paused)
    pause_full_collections()
    try:
        yield
    finally:
        while len(_paused) > depth:
            resume_full_collections()


def run_command(main: Callable[[], int]) -> NoReturn:
    """Run a short command's main() as its process: no collection, and an exit that does
    not walk every object once more."""
    gc.disable()
    code = main()
    gc.freeze()  # what is alive now is left to the exit: no collection walks it again
    sys.exit(code)
