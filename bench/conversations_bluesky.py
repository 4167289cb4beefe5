"""Backfeed bench on Bluesky: `conversations fetch` for N copies, each with 3 replies, a
like and a repost, then a second fetch with nothing new. Wall time and HTTP requests of
each; the second must make at most one request per copy. The copies are on the real PDS
(tools/pds), read through the local AppView over it (tests/appview.py): its wall time is
mostly that AppView's (it asks the PDS's listRepos before every answer); the request
counts are the reader's. (Mastodon: bench/conversations.py; Threads, Facebook, LinkedIn
and X: bench/conversations_http.py.)

    python -m bench.conversations_bluesky [-n 50]   (prints JSON)
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from conversations import fetch
from syndication.http import Api
from syndication.ledger import Ledger
from syndication.model import Posted
from tests.servers import bluesky_account

BATCH = 200  # com.atproto.repo.applyWrites: at most 200 writes a request


def counting_client(counter: dict[str, int]) -> httpx.Client:
    return httpx.Client(
        event_hooks={"request": [lambda _r: counter.__setitem__("n", counter["n"] + 1)]}
    )


class _Writer:
    """One account writing records in batches (applyWrites), as the bench needs thousands."""

    def __init__(self, pds: str, prefix: str):
        self.pds = pds
        handle, password, self.did = bluesky_account(pds, prefix)
        session = httpx.post(f"{pds}/xrpc/com.atproto.server.createSession",
                             json={"identifier": handle, "password": password}).json()  # fmt: skip
        self.auth = {"Authorization": f"Bearer {session['accessJwt']}"}

    def create(self, records: list[tuple[str, dict]]) -> list[dict]:
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime())
        results: list[dict] = []
        for start in range(0, len(records), BATCH):
            writes = [{"$type": "com.atproto.repo.applyWrites#create", "collection": c,
                       "value": {"$type": c, "createdAt": stamp, **value}}
                      for c, value in records[start : start + BATCH]]  # fmt: skip
            answer = httpx.post(f"{self.pds}/xrpc/com.atproto.repo.applyWrites",
                                headers=self.auth, json={"repo": self.did, "writes": writes},
                                timeout=120)  # fmt: skip
            answer.raise_for_status()
            results += answer.json()["results"]
        return results


@contextmanager
def bluesky(n: int, tmp: Path, ledger: Ledger, counter: dict) -> Iterator[Api]:
    from tests.appview import proxied_stack

    with proxied_stack(tmp) as stack:
        pds, url = stack.pds, stack.appview
        org, fan = _Writer(pds, "org"), _Writer(pds, "fan")
        ours = org.create([("app.bsky.feed.post", {"text": f"post {i}"}) for i in range(n)])
        answers = []
        for post in ours:
            ref = {"uri": post["uri"], "cid": post["cid"]}
            answers += [("app.bsky.feed.post",
                         {"text": f"reply {j}", "reply": {"root": ref, "parent": ref}})
                        for j in range(3)]  # fmt: skip
            answers += [("app.bsky.feed.like", {"subject": ref}),
                        ("app.bsky.feed.repost", {"subject": ref})]  # fmt: skip
        fan.create(answers)
        for i, post in enumerate(ours):
            web = f"https://bsky.app/profile/org/post/{post['uri'].rsplit('/', 1)[-1]}"
            ledger.claim(f"e{i}", "bluesky")
            ledger.mark_posted(f"e{i}", "bluesky", Posted(post["uri"], web))
        yield Api("bluesky", url, client=counting_client(counter))


SETUPS = {"bluesky": bluesky}


def measure(platform: str, n: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        ledger = Ledger(Path(tmp) / "ledger.sqlite")
        ledger.begin_run(say=print)
        counter = {"n": 0}
        with SETUPS[platform](n, Path(tmp), ledger, counter) as api:
            out: dict = {"platform": platform, "copies": n}
            for name in ("first", "second"):
                counter["n"] = 0
                start = time.perf_counter()
                outcome = fetch.run(ledger, {platform: api}, say=print)
                out[name] = {"seconds": round(time.perf_counter() - start, 3),
                             "requests": counter["n"], "new": outcome.new,
                             "unchanged": outcome.unchanged}  # fmt: skip
        ledger.close()
    assert out["second"]["requests"] <= n, out
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("-n", type=int, default=50)
    args = parser.parse_args()
    print(json.dumps(measure("bluesky", args.n), indent=2))


if __name__ == "__main__":
    main()
