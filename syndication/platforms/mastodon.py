"""Mastodon: POST /api/v1/statuses with an Idempotency-Key; limits from GET /api/v2/instance.

Plain httpx rather than Mastodon.py: we need exactly three calls, full control of the
Idempotency-Key header, and the status code and rate-limit headers of every answer to map
them onto RateLimited / Transient / Permanent — which Mastodon.py hides behind its own
retry and exception classes.

Exactly-once: the key is derived from (entry id, platform), so a resend after a crash is a
replay the server answers with the status it already made (Mastodon keeps keys ~1 hour).
Past that hour `find` looks for the entry's URL in the account's recent statuses.
"""

from __future__ import annotations

import datetime as dt
import html
import json

import httpx

from syndication.model import Composed, Permanent, Posted, RateLimited, SourceEntry, Transient

DEFAULT_LIMITS = {"max_characters": 500, "url_length": 23}
FIND_PAGES = 3  # × 40 statuses: how far back a reconcile looks


class Mastodon:
    name = "mastodon"

    def __init__(
        self,
        credentials: dict[str, str],
        *,
        client: httpx.Client | None = None,
        base_url: str | None = None,
    ):
        url = base_url or credentials.get("CHORUS_MASTODON_URL") or ""
        if not url:
            raise Permanent("mastodon: no instance URL (set CHORUS_MASTODON_URL)")
        token = credentials.get("CHORUS_MASTODON_TOKEN") or ""
        if not token:
            raise Permanent("mastodon: no access token (set CHORUS_MASTODON_TOKEN)")
        self.base_url = url.rstrip("/")
        self._auth = {"Authorization": f"Bearer {token}"}
        self._client = client or httpx.Client(timeout=30)
        self._limits: dict | None = None
        self._account_id: str | None = None

    def _request(self, method: str, path: str, **kwargs) -> dict | list:
        headers = {**self._auth, **kwargs.pop("headers", {})}
        try:
            response = self._client.request(method, self.base_url + path, headers=headers, **kwargs)
        except httpx.TimeoutException:
            raise Transient(f"mastodon: {method} {path} timed out") from None
        except httpx.HTTPError as exc:
            raise Transient(f"mastodon: {method} {path}: {type(exc).__name__}") from None
        return _answer(response, f"{method} {path}")

    def limits(self) -> dict:
        """The instance's own limits (glitch/Hometown forks allow more than 500)."""
        if self._limits is None:
            data = self._request("GET", "/api/v2/instance")
            statuses = ((data or {}).get("configuration") or {}).get("statuses") or {}
            self._limits = {
                "max_characters": int(
                    statuses.get("max_characters") or DEFAULT_LIMITS["max_characters"]
                ),
                "url_length": int(
                    statuses.get("characters_reserved_per_url") or DEFAULT_LIMITS["url_length"]
                ),
            }
        return dict(self._limits)

    def post(self, composed: Composed, entry: SourceEntry, key: str) -> Posted:
        data = self._request(
            "POST",
            "/api/v1/statuses",
            json={"status": composed.text, "visibility": "public"},
            headers={"Idempotency-Key": key},
        )
        return _posted(data)

    def find(self, entry: SourceEntry, key: str) -> Posted | None:
        """A status of ours that links to the entry, among the account's latest."""
        if self._account_id is None:
            me = self._request("GET", "/api/v1/accounts/verify_credentials")
            self._account_id = str(me["id"])
        max_id = None
        for _ in range(FIND_PAGES):
            params = {"limit": 40, "exclude_reblogs": "true"}
            if max_id:
                params["max_id"] = max_id
            page = self._request(
                "GET", f"/api/v1/accounts/{self._account_id}/statuses", params=params
            )
            if not isinstance(page, list) or not page:
                return None
            for status in page:
                if _links_to(status, entry.url):
                    return _posted(status)
            max_id = page[-1].get("id")
        return None


def _links_to(status: dict, url: str) -> bool:
    content = html.unescape(str(status.get("content") or ""))
    card = status.get("card") or {}
    return url in content or card.get("url") == url


def _posted(data) -> Posted:
    if not isinstance(data, dict) or not data.get("id") or not data.get("url"):
        raise Transient("mastodon: the answer has no status id or url")
    return Posted(remote_id=str(data["id"]), url=str(data["url"]))


def _answer(response: httpx.Response, what: str):
    status = response.status_code
    if status == 429:
        raise RateLimited(f"mastodon: {what}: rate limited (429)", _reset_at(response))
    if status >= 500:
        raise Transient(f"mastodon: {what}: HTTP {status}")
    if status >= 400:
        raise Permanent(f"mastodon: {what}: HTTP {status}: {_error_text(response)}")
    try:
        return response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise Transient(f"mastodon: {what}: the answer is not JSON") from None


def _error_text(response: httpx.Response) -> str:
    try:
        return str(response.json().get("error", ""))[:200]
    except (ValueError, AttributeError):
        return response.text[:200].replace("\n", " ")


def _reset_at(response: httpx.Response) -> float | None:
    """X-RateLimit-Reset is an ISO 8601 time on Mastodon; Retry-After seconds elsewhere."""
    value = response.headers.get("X-RateLimit-Reset")
    if value:
        try:
            return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
        except ValueError:
            try:
                return float(value)
            except ValueError:
                pass
    retry_after = response.headers.get("Retry-After")
    if retry_after and retry_after.isdigit():
        date = response.headers.get("Date")
        base = dt.datetime.now(dt.UTC)
        if date:
            try:
                from email.utils import parsedate_to_datetime

                base = parsedate_to_datetime(date)
            except (TypeError, ValueError):
                pass
        return base.timestamp() + int(retry_after)
    return None
