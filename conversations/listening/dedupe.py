"""One story, one entry: the same item reached through several sources (a press release on
two news sites, a forum post in its RSS and in an aggregator) is shown and counted once.

Three keys, any of which makes two entries the same: the normalised link (tracking
parameters, fragment and trailing slash do not make a different page), the entry id, and
the title on the same day (syndicated copies get new links and ids but keep the title; the
day keeps "Weekly roundup" from last week apart from this week's). The first entry wins,
so the order of sources in listening.yaml is the order of preference.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from plugins.listening.parse import Entry

TRACKING_PREFIXES = ("utm_",)
TRACKING_PARAMS = {"fbclid", "gclid", "mc_cid", "mc_eid"}
DEFAULT_PORTS = {"http": 80, "https": 443}


def normalise_url(url: str) -> str:
    """Scheme and host lower-cased, default port, fragment, tracking parameters and the
    trailing slash removed; the rest (path case, other parameters and their order) kept,
    because servers may treat those as different pages."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return url.strip()
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".")
    netloc = host if port in (None, DEFAULT_PORTS.get(scheme)) else f"{host}:{port}"
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not k.lower().startswith(TRACKING_PREFIXES) and k.lower() not in TRACKING_PARAMS
    ]
    path = parts.path.rstrip("/")
    return urlunsplit((scheme, netloc, path, urlencode(query), ""))


def _title_key(entry: Entry) -> str | None:
    title = " ".join(entry.title.casefold().split())
    if not title or title == "(untitled)":
        return None
    return f"{title}\n{(entry.published or '')[:10]}"


def keys(entry: Entry) -> list[str]:
    out = [f"id:{entry.id}"]
    if entry.url:
        out.append(f"url:{normalise_url(entry.url)}")
    title = _title_key(entry)
    if title:
        out.append(f"title:{title}")
    return out


def dedupe(entries: Iterable[Entry]) -> list[Entry]:
    """The entries without later duplicates, in their original order."""
    seen: set[str] = set()
    out = []
    for entry in entries:
        entry_keys = keys(entry)
        if any(k in seen for k in entry_keys):
            continue
        seen.update(entry_keys)
        out.append(entry)
    return out
