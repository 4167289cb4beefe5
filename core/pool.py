"""Run one function over many items on every core, the way the build and the lint both do.

Forked workers inherit what the parent has loaded (compiled guidelines, the people
directory, a Markdown instance), so only the items and the results cross between
processes. The parent takes a share itself: with N cores only N - 1 processes are forked,
which keeps the build's memory (every process added up) down. Results come back in the
order of the items, whatever the number of workers, so the output never depends on it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

_TASK: tuple[Callable, Any] | None = None  # set just before forking; workers inherit it


def _batch(items: Sequence) -> list:
    assert _TASK is not None
    function, shared = _TASK
    return [function(item, shared) for item in items]


def forked_map(
    function: Callable[[Any, Any], Any],
    items: Sequence,
    shared: Any,
    workers: int,
    least: int = 2,
) -> list:
    """[function(item, shared) for item in items], on `workers` processes when there are
    at least `least` items and the platform can fork; else here, in order. Items and
    results are pickled to cross to the workers (paths, indices, plain data); `shared`
    is not, the workers inherit it."""
    global _TASK
    items = list(items)
    if workers <= 1 or len(items) < max(least, 2):
        return [function(item, shared) for item in items]
    # imported here: a run whose items all come from a cache forks nothing, and these
    # imports are a tenth of a warm lint's start-up
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    if "fork" not in multiprocessing.get_all_start_methods():
        return [function(item, shared) for item in items]
    mine_count = len(items) // workers
    mine, theirs = items[:mine_count], items[mine_count:]
    chunk = max(25, len(theirs) // ((workers - 1) * 4))
    batches = [theirs[i : i + chunk] for i in range(0, len(theirs), chunk)]
    _TASK = (function, shared)
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(workers - 1, mp_context=context) as pool:
            futures = [pool.submit(_batch, batch) for batch in batches]
            done = [function(item, shared) for item in mine]
            for future in futures:
                done.extend(future.result())
    finally:
        _TASK = None
    return done
