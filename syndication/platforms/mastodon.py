"""Mastodon: POST /api/v1/statuses with an Idempotency-Key; limits from GET /api/v2/instance;
edits with PUT /api/v1/statuses/:id, retractions with DELETE.

Plain HTTP through syndication.http rather than Mastodon.py: we need full control of the
Idempotency-Key header and the status code and rate-limit headers of every answer, which
Mastodon.py hides behind its own retry and exception classes; and going through Api means
redaction and the "may have been sent" rule are the same as for every other platform.

Exactly-once: the key is derived from (entry id, platform), so a resend after a crash is a
replay the server answers with the status it already made (Mastodon keeps keys ~1 hour).
Past that hour `find` looks for the entry's URL in the account's recent statuses.
"""

from __future__ import annotations

import html
import time
from collections.abc import Callable

import httpx

from syndication.http import Api, require
from syndication.model import Composed, Permanent, Posted, SourceEntry

FIND_PAGES = 3  # × 40 statuses: how far back a look-up goes


class Mastodon:
    name = "mastodon"

    def __init__(
        self,
        credentials: dict[str, str],
        *,
        client: httpx.Client | None = None,
        base_url: str | None = None,
        clock: Callable[[], float] = time.time,
    ):
        url = base_url or credentials.get("CHORUS_MASTODON_URL") or ""
        if not url:
            raise Permanent("mastodon: no instance URL (set CHORUS_MASTODON_URL)")
        token = credentials.get("CHORUS_MASTODON_TOKEN") or ""
        if not token:
            raise Permanent("mastodon: no access token (set CHORUS_MASTODON_TOKEN)")
        self.api = Api(
            self.name, url, client=client, headers={"Authorization": f"Bearer {token}"}, clock=clock
        )
        self._limits: dict | None = None
        self._account_id: str | None = None

    def limits(self) -> dict:
        """The instance's own limits (glitch/Hometown forks allow more than 500)."""
        if self._limits is None:
            data = self.api.json("GET", "/api/v2/instance")
            config = data.get("configuration") if isinstance(data, dict) else None
            statuses = (config or {}).get("statuses") or {}
            self._limits = {
                "max_characters": _int(statuses.get("max_characters")),
                "url_length": _int(statuses.get("characters_reserved_per_url")),
            }
        return dict(self._limits)

    def post(self, composed: Composed, entry: SourceEntry, key: str) -> Posted:
        data = self.api.json(
            "POST",
            "/api/v1/statuses",
            json={"status": composed.text, "visibility": "public"},
            headers={"Idempotency-Key": key},
        )
        return _posted(data)

    def edit(self, remote_id: str, composed: Composed) -> Posted:
        """Replace the text of our status; Mastodon keeps the edit history visible."""
        data = self.api.json("PUT", f"/api/v1/statuses/{remote_id}", json={"status": composed.text})
        return _posted(data)

    def delete(self, remote_id: str) -> None:
        """Delete our status; one that is gone already counts as deleted."""
        self.api.request("DELETE", f"/api/v1/statuses/{remote_id}", ok=(200, 204, 404, 410))

    def find(self, entry: SourceEntry, key: str) -> Posted | None:
        """A status of ours that links to the entry, among the account's latest."""
        if self._account_id is None:
            me = self.api.json("GET", "/api/v1/accounts/verify_credentials")
            where = "mastodon: GET /api/v1/accounts/verify_credentials"
            self._account_id = str(require(me, "id", where=where))
        max_id = None
        for _ in range(FIND_PAGES):
            params = {"limit": 40, "exclude_reblogs": "true"}
            if max_id:
                params["max_id"] = max_id
            page = self.api.json(
                "GET", f"/api/v1/accounts/{self._account_id}/statuses", params=params
            )
            if not isinstance(page, list) or not page:
                return None
            for status in page:
                if isinstance(status, dict) and _links_to(status, entry.url):
                    return _posted(status)
            max_id = page[-1].get("id") if isinstance(page[-1], dict) else None
            if not max_id:
                return None
        return None


def _int(value) -> int | None:
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def _links_to(status: dict, url: str) -> bool:
    content = html.unescape(str(status.get("content") or ""))
    card = status.get("card") or {}
    return url in content or (isinstance(card, dict) and card.get("url") == url)


def _posted(data) -> Posted:
    where = "mastodon: status"
    return Posted(
        remote_id=str(require(data, "id", where=where)), url=str(require(data, "url", where=where))
    )
