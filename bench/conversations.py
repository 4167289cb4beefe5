"""Backfeed bench: `conversations fetch` for N copies on mastodon-mock (each with 3 replies,
a favourite and a boost), then a second fetch with nothing new. Wall time and HTTP requests
of each; the second must make at most one request per copy.

    python -m bench.conversations [-n 50]   (prints JSON)
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import httpx

from conversations import fetch
from syndication.http import Api
from syndication.ledger import Ledger
from syndication.model import Posted
from tests.servers import mastodon_mock, mastodon_token


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("-n", type=int, default=50)
    n = parser.parse_args().n
    with tempfile.TemporaryDirectory() as tmp, mastodon_mock(Path(tmp) / "server.log") as url:
        org, fan = mastodon_token(url, "org"), mastodon_token(url, "fan")
        post = lambda token, path, **data: httpx.post(  # noqa: E731
            f"{url}{path}", headers={"Authorization": f"Bearer {token}"}, data=data
        ).json()
        ledger = Ledger(Path(tmp) / "ledger.sqlite")
        ledger.begin_run(say=print)
        for i in range(n):
            ours = post(org, "/api/v1/statuses", status=f"post {i}")
            for j in range(3):
                post(fan, "/api/v1/statuses", status=f"reply {j}", in_reply_to_id=ours["id"])
            post(fan, f"/api/v1/statuses/{ours['id']}/favourite")
            post(fan, f"/api/v1/statuses/{ours['id']}/reblog")
            ledger.claim(f"e{i}", "mastodon")
            ledger.mark_posted(f"e{i}", "mastodon", Posted(remote_id=ours["id"], url=ours["url"]))
        counter = {"n": 0}
        client = httpx.Client(
            event_hooks={"request": [lambda _r: counter.__setitem__("n", counter["n"] + 1)]}
        )
        api = Api("mastodon", url, client=client, headers={"Authorization": f"Bearer {org}"})
        out = {"copies": n}
        for name in ("first", "second"):
            counter["n"] = 0
            start = time.perf_counter()
            outcome = fetch.run(ledger, {"mastodon": api}, say=print)
            out[name] = {"seconds": round(time.perf_counter() - start, 3),
                         "requests": counter["n"], "new": outcome.new,
                         "unchanged": outcome.unchanged}  # fmt: skip
        assert out["second"]["requests"] <= n, out
        print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
