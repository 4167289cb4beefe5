"""A short command (`python -m plugins.guidelines lint`, `python -m chorus.preview`) as one
process: main() with the garbage collector off, then an exit that does not walk every
object once more.

Why: such a process loads (Pelican, the rules, the caches: a hundred thousand objects or
more), answers and exits, and nothing it makes is garbage before then. The collector still
walked all of it, again and again while it loaded (60 ms of a 0.45 s preview, 25 ms of a
0.23 s warm lint) and then several times more while the interpreter shut down (0.1-0.2 s:
longer than the preview's own work). A cold lint of 5,000 posts peaks at the same memory
either way. Only the process is changed: main() called from Python (the tests) leaves the
collector alone, and a command that goes on running (`preview --serve`) turns it back on.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable
from typing import NoReturn


def run_command(main: Callable[[], int]) -> NoReturn:
    gc.disable()
    code = main()
    gc.freeze()  # what is alive now is left to the exit: no collection walks it again
    sys.exit(code)
