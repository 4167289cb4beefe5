"""Backfeed bench: `conversations fetch` for N copies on mastodon-mock (each with 3 replies,
a favourite and a boost, posted through its API by a second account), then a second fetch
with nothing new, then a third after one new reply. Wall time and HTTP requests of each,
counted by an httpx event hook on the client the fetch uses; the second must make at most
one request per copy (the status' counts are the signature), the third must find the reply.

    python -m bench.conversations [-n 1000]   (prints JSON)

tests/conversations/test_conv_bench.py runs `measure` with a small N and asserts the
request counts (never the timings).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import httpx

from conversations import fetch
from syndication.http import Api
from syndication.ledger import Ledger
from syndication.model import Posted
from tests.servers import mastodon_mock, mastodon_token

REPLIES = 3


def seed(url: str, ledger: Ledger, n: int) -> tuple[str, str, list[str]]:
    """N posted copies in the ledger, each with REPLIES replies, a favourite and a boost
    from a customer account; (org token, customer token, status ids)."""
    org, fan = mastodon_token(url, "org"), mastodon_token(url, "fan")
    ids: list[str] = []
    with httpx.Client(base_url=url, timeout=30) as client:

        def post(token: str, path: str, **data: str) -> dict:
            answer = client.post(path, headers={"Authorization": f"Bearer {token}"}, data=data)
            answer.raise_for_status()
            return answer.json()

        ledger.begin_run(say=lambda _line: None)
        for i in range(n):
            ours = post(org, "/api/v1/statuses", status=f"post {i}")
            for j in range(REPLIES):
                post(fan, "/api/v1/statuses", status=f"reply {j}", in_reply_to_id=ours["id"])
            post(fan, f"/api/v1/statuses/{ours['id']}/favourite")
            post(fan, f"/api/v1/statuses/{ours['id']}/reblog")
            ledger.claim(f"e{i}", "mastodon")
            ledger.mark_posted(f"e{i}", "mastodon", Posted(remote_id=ours["id"], url=ours["url"]))
            ids.append(ours["id"])
    return org, fan, ids


def measure(url: str, ledger: Ledger, n: int, say: Callable[[str], None] = print) -> dict:
    """Seed N copies, then time and count three fetches (first, nothing new, one new reply)."""
    start = time.perf_counter()
    org, fan, ids = seed(url, ledger, n)
    out: dict = {"copies": n, "seed_seconds": round(time.perf_counter() - start, 3)}
    counter = {"n": 0}

    def count(_request: httpx.Request) -> None:
        counter["n"] += 1

    client = httpx.Client(event_hooks={"request": [count]})
    api = Api("mastodon", url, client=client, headers={"Authorization": f"Bearer {org}"})
    for name in ("first", "second", "after_one_reply"):
        if name == "after_one_reply":
            reply = {"status": "one more", "in_reply_to_id": ids[0]}
            headers = {"Authorization": f"Bearer {fan}"}
            httpx.post(f"{url}/api/v1/statuses", headers=headers, data=reply).raise_for_status()
        counter["n"] = 0
        start = time.perf_counter()
        outcome = fetch.run(ledger, {"mastodon": api}, say=say)
        out[name] = {"seconds": round(time.perf_counter() - start, 3),
                     "requests": counter["n"], "new": outcome.new,
                     "unchanged": outcome.unchanged, "failed": len(outcome.errors)}  # fmt: skip
    client.close()
    out["second_requests_per_copy"] = round(out["second"]["requests"] / n, 3)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.conversations")
    parser.add_argument("-n", type=int, default=1000)
    n = parser.parse_args(argv).n
    with (
        tempfile.TemporaryDirectory() as tmp,
        mastodon_mock(Path(tmp) / "server.log") as url,
        Ledger(Path(tmp) / "ledger.sqlite") as ledger,
    ):
        out = measure(url, ledger, n)
    print(json.dumps(out, indent=2))
    if out["second"]["requests"] > n or out["after_one_reply"]["new"] != 1:
        print("bench.conversations: a fetch with nothing new must cost at most one request "
              "per copy and still find the one new reply", file=sys.stderr)  # fmt: skip
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
