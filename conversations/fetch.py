"""`conversations fetch`: for every posted copy in the ledger, read its responses and
store them. One copy's or one platform's failure is one line and never loses what the
others returned; a copy of ours that is gone (404/410) is said once and not asked again.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from conversations import mastodon
from conversations.store import ResponseStore
from syndication.http import Api
from syndication.ledger import Ledger
from syndication.model import PlatformError

Reader = Callable[[Api, str], list]
READERS: dict[str, Reader] = {"mastodon": mastodon.fetch}
SIGNATURES: dict[str, Callable[[Api, str], str]] = {"mastodon": mastodon.signature}


@dataclass
class Outcome:
    copies: int = 0
    new: int = 0
    removed: int = 0
    unchanged: int = 0
    gone: int = 0
    errors: list[str] = field(default_factory=list)


def copy_id_of(remote_id: str | None, remote_url: str | None) -> str:
    """The id we ask the platform about; a row restored from the links file has only
    its URL, whose last segment is the Mastodon status id."""
    if remote_id:
        return remote_id
    return (remote_url or "").rstrip("/").rsplit("/", 1)[-1]


def run(
    ledger: Ledger,
    apis: Mapping[str, Api],
    *,
    say: Callable[[str], None] = print,
) -> Outcome:
    store = ResponseStore(ledger.store)
    outcome = Outcome()
    for row in ledger.rows(state="posted"):
        api, reader = apis.get(row.platform), READERS.get(row.platform)
        if api is None or reader is None:
            continue
        copy_id = copy_id_of(row.remote_id, row.remote_url)
        if not copy_id or store.is_gone(row.platform, copy_id):
            continue
        outcome.copies += 1
        try:
            probe = SIGNATURES.get(row.platform)
            sign = probe(api, copy_id) if probe else ""
            if sign and sign == store.signature(row.platform, copy_id):
                outcome.unchanged += 1
                continue
            responses = reader(api, copy_id)
        except PlatformError as exc:
            message = str(exc)
            if " HTTP 404" in message or " HTTP 410" in message:
                if store.mark_gone(row.platform, copy_id, row.entry_id):
                    outcome.gone += 1
                    say(f"{row.platform}: our copy of {row.entry_id} is gone ({row.remote_url})")
                continue
            store.failed(row.platform, copy_id, row.entry_id, message)
            outcome.errors.append(message)
            say(message)
            continue
        new, removed = store.replace(row.platform, copy_id, row.entry_id, responses)
        if sign:
            store.set_signature(row.platform, copy_id, sign)
        outcome.new += new
        outcome.removed += removed
    return outcome
