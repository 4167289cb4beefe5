"""Fetch every source at once, politely and within bounds.

Why each bound: a listening run reads feeds we do not control. One slow server must not hold
up the others (a thread per source, a per-source deadline covering the whole download, not
only each read), one enormous or endless response must not fill the memory of the CI runner
(the body is streamed and abandoned at `max_bytes`, decompressed size included), and a
redirect loop must end (httpx's own bound). Conditional GET (ETag / Last-Modified) lets a
server answer "nothing new" in a few bytes; the validators are kept between runs by the
caller (see runner.py), never here.

Nothing raises for a bad source: every outcome is a FetchResult with a one-line reason.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import httpx

from conversations.listening.sources import Source
from plugins.problems import one_line

DEFAULT_TIMEOUT = 10.0  # seconds, per source, for the whole download
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
DEFAULT_MAX_REDIRECTS = 5
MAX_WORKERS = 8
USER_AGENT = "Chorus-Listening/1.0 (+https://getpelican.com/; feed reader)"
ACCEPT = (
    "application/atom+xml, application/rss+xml, application/rdf+xml;q=0.9, "
    "application/xml;q=0.8, text/xml;q=0.8, */*;q=0.1"
)


@dataclass(frozen=True)
class Validators:
    """What the server said to ask again with: ETag and Last-Modified, verbatim."""

    etag: str | None = None
    last_modified: str | None = None

    def headers(self) -> dict[str, str]:
        out = {}
        if self.etag:
            out["If-None-Match"] = self.etag
        if self.last_modified:
            out["If-Modified-Since"] = self.last_modified
        return out


@dataclass(frozen=True)
class FetchResult:
    source: Source
    status: str  # "ok" | "not-modified" | "error"
    body: bytes | None = None
    url: str = ""  # where the body came from, after redirects: the base for relative links
    error: str | None = None
    validators: Validators = Validators()


@dataclass(frozen=True)
class Limits:
    timeout: float = DEFAULT_TIMEOUT
    max_bytes: int = DEFAULT_MAX_BYTES
    max_redirects: int = DEFAULT_MAX_REDIRECTS


DEFAULT_LIMITS = Limits()


class _TooLarge(Exception):
    pass


class _Deadline(Exception):
    pass


def fetch_all(
    sources: list[Source],
    base_dir: Path,
    validators: dict[str, Validators] | None = None,
    limits: Limits = DEFAULT_LIMITS,
    client: httpx.Client | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> list[FetchResult]:
    """One FetchResult per source, in the order of `sources`, fetched concurrently.

    `validators` maps a source name to what to send for a conditional GET (only for sources
    whose previous entries the caller still has: a 304 is useless otherwise).
    """
    validators = validators or {}
    own = client is None
    if client is None:
        client = make_client(limits)
    try:
        with ThreadPoolExecutor(max_workers=max(1, min(MAX_WORKERS, len(sources)))) as pool:
            futures = [
                pool.submit(fetch_one, client, s, base_dir, validators.get(s.name), limits, clock)
                for s in sources
            ]
            return [f.result() for f in futures]
    finally:
        if own:
            client.close()


def make_client(limits: Limits = DEFAULT_LIMITS) -> httpx.Client:
    return httpx.Client(
        follow_redirects=True,
        max_redirects=limits.max_redirects,
        headers={"User-Agent": USER_AGENT, "Accept": ACCEPT},
        timeout=httpx.Timeout(limits.timeout),
    )


def fetch_one(
    client: httpx.Client,
    source: Source,
    base_dir: Path,
    validators: Validators | None = None,
    limits: Limits = DEFAULT_LIMITS,
    clock: Callable[[], float] = time.monotonic,
) -> FetchResult:
    """Never raises for anything the network or the file system does."""
    timeout = source.timeout or limits.timeout
    try:
        if source.url.startswith(("http://", "https://")):
            return _http(client, source, validators, limits, timeout, clock)
        return _file(source, base_dir, limits)
    except _TooLarge:
        return _error(source, f"too large: more than {limits.max_bytes} bytes, not read")
    except (_Deadline, httpx.TimeoutException):
        return _error(source, f"timed out after {timeout:g} s")
    except httpx.TooManyRedirects:
        return _error(source, f"too many redirects (more than {limits.max_redirects})")
    except httpx.ConnectError as exc:
        return _error(source, f"cannot connect: {_reason(exc)}")
    except httpx.HTTPError as exc:
        return _error(source, f"{type(exc).__name__}: {_reason(exc)}")
    except OSError as exc:
        return _error(source, f"cannot read {exc.filename or source.url}: {exc.strerror or exc}")


def _reason(exc: BaseException) -> str:
    return str(exc) or type(exc).__name__


def _error(source: Source, message: str) -> FetchResult:
    return FetchResult(source, "error", url=source.url, error=one_line(message))


def _http(
    client: httpx.Client,
    source: Source,
    validators: Validators | None,
    limits: Limits,
    timeout: float,
    clock: Callable[[], float],
) -> FetchResult:
    deadline = clock() + timeout
    headers = validators.headers() if validators else {}
    with client.stream("GET", source.url, headers=headers, timeout=timeout) as response:
        final = str(response.url)
        if response.status_code == 304:  # a server may send fresher validators with it
            old = validators or Validators()
            kept = Validators(
                response.headers.get("ETag") or old.etag,
                response.headers.get("Last-Modified") or old.last_modified,
            )
            return FetchResult(source, "not-modified", url=final, validators=kept)
        if response.status_code >= 400 or response.status_code < 200:
            reason = response.reason_phrase or ""
            return _error(source, f"HTTP {response.status_code} {reason}".strip())
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > limits.max_bytes:
            raise _TooLarge()
        chunks, size = [], 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > limits.max_bytes:
                raise _TooLarge()
            if clock() > deadline:
                raise _Deadline()
            chunks.append(chunk)
        got = Validators(response.headers.get("ETag"), response.headers.get("Last-Modified"))
        return FetchResult(source, "ok", b"".join(chunks), final, validators=got)


def local_path(url: str, base_dir: Path) -> Path:
    """file:///abs, file:rel or a plain path (relative to the config file's folder)."""
    if url.startswith("file:"):
        parts = urlsplit(url)
        path = Path(unquote(parts.path))
        return path if path.is_absolute() else base_dir / path
    return base_dir / url


def _file(source: Source, base_dir: Path, limits: Limits) -> FetchResult:
    path = local_path(source.url, base_dir)
    with path.open("rb") as handle:
        body = handle.read(limits.max_bytes + 1)
    if len(body) > limits.max_bytes:
        raise _TooLarge()
    return FetchResult(source, "ok", body, path.resolve().as_uri())
