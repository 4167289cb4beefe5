"""The WebSub hub ping as the syndication run sees it: credentials from CHORUS_WEBSUB_HUB,
the same shared HTTP client, lines redacted.

The ping itself — one form-encoded `hub.mode=publish&hub.url=<feed>` POST per feed file, in
every format — is plugins/feeds/websub.py's ping_hub, which `invoke publish` already uses;
this module only adapts it, so there is one implementation of what a ping is. It is not a
per-entry platform (not in syndication.PLATFORMS): a hub is told once per published site
which feeds changed, not once per post.
"""

from __future__ import annotations

from pathlib import Path

import httpx

from plugins.feeds.websub import failed, ping_hub
from syndication.credentials import redact
from syndication.http import new_client

__all__ = ["WebSub", "failed"]


class WebSub:
    name = "websub"

    def __init__(
        self,
        credentials: dict[str, str],
        *,
        client: httpx.Client | None = None,
        base_url: str | None = None,
    ):
        self.hub = base_url or credentials["CHORUS_WEBSUB_HUB"]
        self.client = client

    def limits(self) -> dict:
        return {}

    def ping(self, siteurl: str, output_dir: str | Path) -> list[str]:
        """Ping the hub for every feed under output_dir/feeds; the lines to print."""
        client = self.client or new_client()
        try:
            lines = ping_hub({"WEBSUB_HUB": self.hub, "SITEURL": siteurl}, output_dir, client)
        finally:
            if self.client is None:
                client.close()
        return [redact(line) for line in lines]
