"""Reading the platform sources of listening.yaml: each source's reader module (in
conversations/listening/platforms/) asked every spelling of the watch terms; one source's failure
is its one line, never the others' loss."""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field

import httpx

from conversations.listening.dedupe import dedupe
from conversations.listening.platforms import Unreadable
from conversations.listening.sources import PlatformSource, Term
from plugins.listening.parse import MAX_ENTRIES, Entry
from plugins.problems import one_line
from syndication.credentials import redact
from syndication.model import PlatformError


@dataclass(frozen=True)
class Heard:
    source: PlatformSource
    status: str  # "ok" | "error", as a feed source's
    entries: list[Entry] = field(default_factory=list)
    error: str | None = None


def queries(terms: list[Term]) -> list[str]:
    """Every spelling of every watch term, once (case-insensitively), in listening.yaml's
    order: what a platform's search is asked."""
    seen: dict[str, str] = {}
    for term in terms:
        for alias in term.aliases:
            seen.setdefault(alias.casefold(), alias)
    return list(seen.values())


def read_all(
    sources: list[PlatformSource], terms: list[Term], client: httpx.Client, timeout: float
) -> list[Heard]:
    """One Heard per source, in order; one source's failure is its one-line error."""
    asked = queries(terms)
    out = []
    for source in sources:
        reader = importlib.import_module(f"conversations.listening.platforms.{source.platform}")
        try:
            entries = reader.read(source, asked, client, source.timeout or timeout)
        except (PlatformError, Unreadable) as exc:
            out.append(Heard(source, "error", error=one_line(redact(str(exc)))))
            continue
        out.append(Heard(source, "ok", dedupe(entries)[:MAX_ENTRIES]))
    return out
