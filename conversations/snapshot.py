"""The conversations snapshot: the approved responses per post, as the build reads them.

Only what the page needs (version 1), committed like the listening snapshot and written
atomically (an interrupted run leaves the previous file whole):

    {"version": 1, "generated": ISO-8601,
     "entries": {entry id: {"copies": {platform: url},
                            "counts": {platform: {"like": n, "repost": n}},
                            "replies": [{"id", "platform", "parent", "author": {"handle",
                                         "name", "url", "org"}, "html", "url", "published"}],
                            "threads": [{"platform", "started", "first_answer", "last",
                                         "waiting", "responses"}]}}}

Likes and reposts are counts only: no names of people who merely clicked. Pending, hidden
and blocked responses are not in "replies" at all. "threads" summarises every conversation
that is not blocked, approved or not yet, as times and counts only (core/dialogue.py): the
Metrics page measures the dialogue we had, not only what was approved for display.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from conversations import dialogue
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
    ours = directory | {h.lower() for h in decisions.org_accounts}
    entry_of = store.entries()
    entries: dict[str, dict] = {}
    responses = store.responses()
    kept = [r for r in responses if decisions.state(r, directory) != "blocked"]
    for thread in dialogue.threads(kept, entry_of, ours):
        if thread.entry_id:
            entry = entries.setdefault(
                thread.entry_id, {"copies": {}, "counts": {}, "replies": [], "threads": []}
            )
            entry["threads"].append(dialogue.summary(thread, ours))
    for response in responses:
        entry_id = entry_of.get((response.platform, response.copy_id))
        if entry_id is None:
            continue
        state = decisions.state(response, directory)
        if state == "blocked" or (state != "approved" and response.kind in ("reply", "quote")):
            continue
        entry = entries.setdefault(
            entry_id, {"copies": {}, "counts": {}, "replies": [], "threads": []}
        )
        url = copies.get((response.platform, response.copy_id))
        if url:
            entry["copies"][response.platform] = url
        if response.kind in ("like", "repost"):
            counts = entry["counts"].setdefault(response.platform, {"like": 0, "repost": 0})
            counts[response.kind] += response.count
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
                    "org": response.author.handle.lower() in ours,
                },
                "html": response.text,
                "url": response.url,
                "published": response.published,
            }
        )
    return {"version": VERSION, "generated": now_stamp(), "entries": entries}
