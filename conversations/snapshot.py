"""The conversations snapshot: the approved responses per post, as the build reads them.

Only what the page needs (version 1), committed like the listening snapshot and written
atomically (an interrupted run leaves the previous file whole):

    {"version": 1, "generated": ISO-8601,
     "entries": {entry id: {"copies": {platform: url},
                            "counts": {platform: {"like": n, "repost": n}},
                            "replies": [{"id", "platform", "parent", "author": {"handle",
                                         "name", "url", "org"}, "html", "url", "published"}]}}}

Likes and reposts are counts only: no names of people who merely clicked. Pending, hidden
and blocked responses are not in the file at all.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from conversations.moderation import Decisions, key
from conversations.store import ResponseStore, now_stamp

VERSION = 1


def build(
    store: ResponseStore,
    copies: Mapping[tuple[str, str], str],
    decisions: Decisions,
    directory: Iterable[str] = (),
) -> dict:
    """`copies`: (platform, copy id) → our copy's URL, from the ledger."""
    directory = {h.lower() for h in directory}
    entry_of = store.entries()
    entries: dict[str, dict] = {}
    for response in store.responses():
        entry_id = entry_of.get((response.platform, response.copy_id))
        if entry_id is None:
            continue
        state = decisions.state(response, directory)
        if state == "blocked" or (state != "approved" and response.kind in ("reply", "quote")):
            continue
        entry = entries.setdefault(entry_id, {"copies": {}, "counts": {}, "replies": []})
        url = copies.get((response.platform, response.copy_id))
        if url:
            entry["copies"][response.platform] = url
        if response.kind in ("like", "repost"):
            counts = entry["counts"].setdefault(response.platform, {"like": 0, "repost": 0})
            counts[response.kind] += 1
            continue
        entry["replies"].append(
            {
                "id": key(response),
                "platform": response.platform,
                "parent": f"{response.platform}:{response.parent_id}"
                if response.parent_id != response.copy_id
                else "",
                "author": {
                    "handle": response.author.handle,
                    "name": response.author.name,
                    "url": response.author.url,
                    "org": response.author.handle.lower() in directory,
                },
                "html": response.text,
                "url": response.url,
                "published": response.published,
            }
        )
    return {"version": VERSION, "generated": now_stamp(), "entries": entries}
