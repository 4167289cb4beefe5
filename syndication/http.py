"""One HTTP client wrapper for every platform that speaks plain HTTP: timeouts, and the
mapping of what went wrong to the four errors the runner acts on (syndication.model):

- RateLimited: 429 (reset time from whichever header the platform sends)
- Transient: 5xx, timeouts, connection errors, a body that is not the JSON promised
- Permanent: any other 4xx — retrying would send the same bad request again (a 413 says
  the request was larger than the server takes: nothing was created, it is never retried)
- AlreadyPosted: only a platform hook can say so (X's duplicate-content 403)

Every message goes through credentials.redact() before it is raised, so no caller has to
remember. Transient errors carry `maybe_sent`: False when the request cannot have reached
the server (connection refused, connect timeout), True when it may have been acted on (read
timeout, 5xx, unreadable success body) — the retry loop reconciles before resending those.
"""

from __future__ import annotations

import contextlib
import email.utils
import json as jsonlib
import time
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

import httpx

from syndication.credentials import redact
from syndication.model import Permanent, PlatformError, RateLimited, Transient

DEFAULT_TIMEOUT = httpx.Timeout(15.0, connect=5.0)
USER_AGENT = "Chorus-syndication/0.1 (+https://github.com/alder-finch/chorus)"
EPOCH_THRESHOLD = 1_000_000_000  # a bigger number in a reset header is a date, not a delay
DETAIL_LIMIT = 300  # characters of a server's error text kept in our one-line message

Classifier = Callable[[httpx.Response], PlatformError | None]


def new_client(timeout: httpx.Timeout | float = DEFAULT_TIMEOUT) -> httpx.Client:
    """A client that never follows redirects (a redirect would resend a POST elsewhere)."""
    return httpx.Client(timeout=timeout, follow_redirects=False, headers={"User-Agent": USER_AGENT})


def _number(value: str) -> float | None:
    try:
        return float(value.strip())
    except ValueError:
        return None


def parse_reset(headers: httpx.Headers | dict, now: float) -> float | None:
    """Epoch seconds when the platform says we may try again, from any header it uses.

    X: x-rate-limit-reset (epoch seconds). Mastodon: X-RateLimit-Reset (ISO 8601 time).
    Bluesky: RateLimit-Reset (epoch seconds; the IETF draft's delta-seconds is accepted
    too). Everyone: Retry-After (delta seconds or an HTTP date). When several are present
    the latest wins: retrying before any of them would only earn another 429.
    """
    headers = httpx.Headers(headers)
    candidates: list[float] = []
    for name in ("x-rate-limit-reset", "x-ratelimit-reset", "ratelimit-reset"):
        value = headers.get(name)
        if not value:
            continue
        number = _number(value)
        if number is not None:
            candidates.append(number if number >= EPOCH_THRESHOLD else now + number)
            continue
        with contextlib.suppress(ValueError):
            candidates.append(datetime.fromisoformat(value.strip()).timestamp())
    retry_after = headers.get("retry-after")
    if retry_after:
        number = _number(retry_after)
        if number is not None:
            candidates.append(now + number)
        else:
            with contextlib.suppress(TypeError, ValueError, IndexError):
                candidates.append(email.utils.parsedate_to_datetime(retry_after).timestamp())
    return max(candidates) if candidates else None


def error_detail(response: httpx.Response) -> str:
    """The server's own words, from the JSON error shapes these APIs use, on one line."""
    try:
        body = response.json()
    except (ValueError, UnicodeDecodeError):
        text = response.text if response.content else ""
        return " ".join(text.split())[:DETAIL_LIMIT]
    parts: list[str] = []
    if isinstance(body, dict):
        error = body.get("error")
        if isinstance(error, dict):  # Graph API (Facebook, Threads)
            parts.append(str(error.get("message", "")))
            if error.get("code") is not None:
                parts.append(f"(code {error['code']})")
        elif isinstance(error, str):  # Mastodon, Bluesky
            parts.append(error)
        for key in ("message", "detail", "title"):  # Bluesky, LinkedIn, X
            if isinstance(body.get(key), str) and body[key] not in parts:
                parts.append(body[key])
                break
        errors = body.get("errors")
        if not parts and isinstance(errors, list) and errors and isinstance(errors[0], dict):
            parts.append(str(errors[0].get("message") or errors[0].get("detail") or ""))
    text = " ".join(p for p in parts if p) or jsonlib.dumps(body)[:DETAIL_LIMIT]
    return " ".join(text.split())[:DETAIL_LIMIT]


def transient(message: str, *, maybe_sent: bool) -> Transient:
    error = Transient(redact(message))
    error.maybe_sent = maybe_sent
    return error


class Api:
    """A platform's API at one base URL, with its auth headers and error hook.

    `classify` sees every non-success response first and may return the error to raise
    (a platform's own rate-limit codes, a duplicate that means "already posted").
    """

    def __init__(
        self,
        platform: str,
        base_url: str,
        *,
        client: httpx.Client | None = None,
        headers: dict[str, str] | None = None,
        classify: Classifier | None = None,
        clock: Callable[[], float] = time.time,
    ):
        self.platform = platform
        self.endpoint = base_url  # as given: a webhook URL is used exactly as issued
        self.base_url = base_url.rstrip("/")
        self.client = client or new_client()
        self.owns_client = client is None
        self.headers = dict(headers or {})
        self.classify = classify
        self.clock = clock

    def url(self, path: str) -> str:
        if not path:
            return self.endpoint
        if path.startswith(("http://", "https://")):
            return path
        return f"{self.base_url}/{path.lstrip('/')}"

    def request(
        self,
        method: str,
        path: str,
        *,
        ok: Iterable[int] = (200, 201, 202, 204),
        headers: dict[str, str] | None = None,
        **kwargs: Any,
    ) -> httpx.Response:
        """Send and return the response when its status is in `ok`; raise the mapped error."""
        url = self.url(path)
        where = f"{self.platform}: {method} {url.split('?', 1)[0]}"
        try:
            response = self.client.request(
                method, url, headers={**self.headers, **(headers or {})}, **kwargs
            )
        except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
            raise transient(f"{where}: cannot connect: {_reason(exc)}", maybe_sent=False) from None
        except httpx.TimeoutException as exc:
            raise transient(
                f"{where}: no answer in time ({type(exc).__name__})", maybe_sent=True
            ) from None
        except httpx.HTTPError as exc:
            raise transient(f"{where}: {_reason(exc)}", maybe_sent=True) from None
        if response.status_code in set(ok):
            return response
        raise self.error(response, where)

    def error(self, response: httpx.Response, where: str) -> PlatformError:
        """The error for a response we did not expect (also used by platform code)."""
        if self.classify is not None:
            special = self.classify(response)
            if special is not None:
                special.args = (redact(str(special)),)
                return special
        status = response.status_code
        detail = error_detail(response)
        message = f"{where}: HTTP {status}" + (f": {detail}" if detail else "")
        if status == 429:
            reset_at = parse_reset(response.headers, self.clock())
            return RateLimited(redact(message), reset_at=reset_at)
        if status == 413:
            return PayloadTooLarge(
                redact(f"{where}: HTTP 413: the request is larger than {_host(where)} accepts")
                + (f" ({redact(detail)})" if detail else "")
            )
        if status >= 500 or status < 400:  # 5xx, or a 3xx we refused to follow
            return transient(message, maybe_sent=status >= 500)
        return Permanent(redact(message))

    def json(self, method: str, path: str, **kwargs: Any) -> Any:
        """request() and its JSON body; a body that is not JSON is Transient (proxies and
        overloaded servers answer HTML), and it was sent: the server may have acted on it."""
        response = self.request(method, path, **kwargs)
        return parse_json(response, f"{self.platform}: {method} {self.url(path).split('?', 1)[0]}")

    def close(self) -> None:
        if self.owns_client:
            self.client.close()


def parse_json(response: httpx.Response, where: str) -> Any:
    try:
        return response.json()
    except RecursionError:  # nested deeper than Python's parser goes: unreadable too
        raise transient(
            f"{where}: HTTP {response.status_code} but the JSON is nested too deeply to read",
            maybe_sent=True,
        ) from None
    except (ValueError, UnicodeDecodeError):
        snippet = " ".join(response.text.split())[:80] if response.content else "(empty)"
        raise transient(
            f"{where}: HTTP {response.status_code} but the body is not JSON: {snippet}",
            maybe_sent=True,
        ) from None


def require(data: Any, *keys: str, where: str) -> Any:
    """data[k1][k2]… or Transient naming the missing field (a 2xx we cannot read)."""
    value = data
    for key in keys:
        if not isinstance(value, dict) or key not in value or value[key] in (None, ""):
            raise transient(
                f"{where}: answer has no {'.'.join(keys)}: {jsonlib.dumps(data)[:120]}",
                maybe_sent=True,
            )
        value = value[key]
    return value


class PayloadTooLarge(Permanent):
    """413: the server read nothing of it, so it was not sent in any sense that matters."""


def _host(where: str) -> str:
    """The host in a `platform: METHOD url` prefix."""
    url = where.rsplit(" ", 1)[-1]
    return httpx.URL(url).host or url


def _reason(exc: Exception) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


def items(data: Any, key: str = "data") -> list[dict]:
    """The list of objects under `key` (timelines, finder results); [] for anything else."""
    value = data.get(key) if isinstance(data, dict) else None
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []
