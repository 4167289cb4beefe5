"""WebSub publisher ping: tell the hub which feeds changed, after the site is published.

A hub fetches a topic when its publisher pings it (W3C WebSub §7 leaves the ping to the
hub; every public hub accepts `hub.mode=publish&hub.url=<topic>`, form-encoded). We ping
every feed file in the output, in all three formats, because each format is its own topic
and subscribers use whichever they found. `invoke publish` pings with ping_hub; the
syndication run through WebSub (credentials from CHORUS_WEBSUB_HUB, the shared HTTP client,
lines redacted). It is not a per-entry platform (not in the registry): a hub is told once
per published site which feeds changed, not once per post.

Never a traceback: the caller prints the lines this returns. A hub that cannot be reached
is reported once and the remaining pings are skipped (each would only wait for the same
timeout); a hub that answers with an error is summarised per status code.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import httpx

from core.feeds import FORMATS
from core.settings import chorus_settings
from syndication.credentials import redact
from syndication.http import new_client

__all__ = ["WebSub", "failed", "ping_hub"]


TIMEOUT = httpx.Timeout(10.0, connect=5.0)
SUFFIXES = tuple("." + ext for ext, _, _ in FORMATS.values())


def feed_urls(siteurl: str, output_dir: str | Path) -> list[str]:
    """Absolute URLs of the feed files in output_dir/feeds, sorted (the site feed first)."""
    root = Path(output_dir)
    feeds = root / "feeds"
    if not feeds.is_dir():
        return []
    rels = sorted(
        p.relative_to(root).as_posix()
        for p in feeds.rglob("*")
        if p.is_file() and p.name.endswith(SUFFIXES)
    )
    rels.sort(key=lambda rel: rel.count("/"))  # feeds/all.* before feeds/people/…
    base = siteurl.rstrip("/")
    return [f"{base}/{rel}" for rel in rels]


def ping_hub(
    settings: dict, output_dir: str | Path, client: httpx.Client | None = None
) -> list[str]:
    """POST a publish ping for each feed to the settings' WEBSUB_HUB; lines to print."""
    hub = chorus_settings(settings).WEBSUB_HUB
    if not hub:
        return ["websub: no WEBSUB_HUB in the settings; no hub pinged"]
    urls = feed_urls(str(settings.get("SITEURL") or ""), output_dir)
    if not urls:
        return [f"websub: no feeds in {Path(output_dir) / 'feeds'}; nothing to ping"]
    own = client is None
    client = client or httpx.Client(timeout=TIMEOUT, follow_redirects=False)
    failures: Counter[int] = Counter()
    first_failure: dict[int, str] = {}
    ok = 0
    lines: list[str] = []
    try:
        for url in urls:
            try:
                response = client.post(hub, data={"hub.mode": "publish", "hub.url": url})
            except httpx.HTTPError as exc:
                reason = " ".join(str(exc).split()) or type(exc).__name__
                lines.append(
                    f"websub: cannot reach hub {hub}: {type(exc).__name__}: {reason};"
                    f" {len(urls) - ok - sum(failures.values())} feed(s) not pinged"
                )
                break
            if 200 <= response.status_code < 300:  # WebSub hubs answer 202 or 204
                ok += 1
            else:
                failures[response.status_code] += 1
                first_failure.setdefault(response.status_code, url)
    finally:
        if own:
            client.close()
    for status, count in sorted(failures.items()):
        lines.append(
            f"websub: hub {hub} answered HTTP {status} for {count} feed(s)"
            f" (first: {first_failure[status]})"
        )
    lines.insert(0, f"websub: pinged {hub} for {ok} of {len(urls)} feed(s)")
    return lines


def failed(lines: list[str]) -> bool:
    """True when ping_hub reported a problem (for callers that want an exit code)."""
    return any(" answered HTTP " in line or "cannot reach hub" in line for line in lines)


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
