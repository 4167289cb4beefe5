"""Backfeed bench for the Threads, Facebook, LinkedIn and X readers: `conversations fetch`
for N copies per platform on the local servers (each copy with the fixture thread, likes
and reposts of tests/conversations/fixtures), then a second fetch with nothing new. Wall
time and requests the servers answered; the second must make at most one per copy.

    python -m bench.conversations_http [-n 100]   (prints JSON)
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

from conversations import fetch
from syndication.ledger import Ledger
from syndication.model import Posted
from tests.conversations.test_conv_platforms import CASES, api_for
from tests.syndication_http.conftest import running


def copy_ids(case, n: int) -> list[str]:
    first = case.copies[0]
    if first.startswith("urn:"):
        return [f"urn:li:share:{7000000000000000000 + i}" for i in range(n)]
    if "_" in first:
        page, story = first.split("_")
        return [f"{page}_{int(story) + i}" for i in range(n)]
    return [str(int(first) + i) for i in range(n)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("-n", type=int, default=100)
    n = parser.parse_args().n
    out: dict = {"copies_per_platform": n}
    with tempfile.TemporaryDirectory() as tmp, ExitStack() as stack:
        ledger = Ledger(Path(tmp) / "ledger.sqlite")
        ledger.begin_run(say=print)
        servers, apis = {}, {}
        for case in CASES:
            server = servers[case.name] = stack.enter_context(running(case.make()))
            apis[case.name] = api_for(case, server)
            for i, copy_id in enumerate(copy_ids(case, n)):
                case.seed(server, copy_id, "")
                ledger.claim(f"e{i}", case.name)
                ledger.mark_posted(f"e{i}", case.name, Posted(copy_id, case.url(copy_id)))
        for name in ("first", "second"):
            before = {p: len(s.requests) for p, s in servers.items()}
            start = time.perf_counter()
            outcome = fetch.run(ledger, apis, say=print)
            requests = {p: len(s.requests) - before[p] for p, s in servers.items()}
            out[name] = {"seconds": round(time.perf_counter() - start, 3), "requests": requests,
                         "new": outcome.new, "unchanged": outcome.unchanged}  # fmt: skip
        assert all(r <= n for r in out["second"]["requests"].values()), out
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
