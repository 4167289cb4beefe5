"""The backfeed bench's promise, on a small N against mastodon-mock: a second fetch with
nothing new makes at most one request per copy, and a new reply is still found. Request
counts only; the timings are bench/conversations.py's to print."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.conversations import REPLIES, measure
from syndication.ledger import Ledger
from tests.servers import mastodon_mock

pytestmark = pytest.mark.integration
N = 20


def test_second_fetch_costs_one_request_per_copy(tmp_path: Path) -> None:
    with mastodon_mock(tmp_path / "server.log") as url, Ledger(tmp_path / "l.sqlite") as ledger:
        out = measure(url, ledger, N, say=print)
    first, second, third = out["first"], out["second"], out["after_one_reply"]
    assert first["new"] == N * (REPLIES + 2) and first["failed"] == 0
    # the first read costs more than the probe alone: context, favourites, boosts per copy
    assert first["requests"] >= 4 * N
    assert second["new"] == 0 and second["unchanged"] == N
    assert second["requests"] <= N
    assert third["new"] == 1 and third["unchanged"] == N - 1
    assert third["requests"] <= N + 3
