"""The organization's own channels: a Slack-style incoming webhook (Slack, Mattermost,
Rocket.Chat and Zulip's Slack endpoint accept it).

Composed.text stays plain; `body()` escapes it for mrkdwn, where &, < and > have a
meaning. The count is taken on the escaped text because that is what the section
block's 3,000-character limit sees.
"""

from __future__ import annotations

from syndication.compose.rules import Rules, merged
from syndication.compose.text import utf16_len
from syndication.model import Composed, SourceEntry
from syndication.registry import spec

DEFAULT_LIMITS = dict(spec("internal").limits)  # the registry is the only list of limits


def escape(text: str) -> str:
    """Slack mrkdwn control characters → entities (the only three Slack asks for)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def link(url: str, label: str) -> str:
    """<url|label>: '|' and '>' would end the URL part, so they are percent-encoded."""
    return f"<{url.replace('|', '%7C').replace('>', '%3E')}|{escape(label)}>"


def count(text: str) -> int:
    return utf16_len(escape(text))


def body(composed: Composed, entry: SourceEntry) -> dict:
    """The webhook's JSON body: `text` is the notification fallback, `blocks` what a
    channel shows (the post, then who wrote it and the link)."""
    target = composed.card.url if composed.card else composed.link
    byline = f"{entry.author_name} · " if entry.author_name else ""
    return {
        "text": escape(composed.text),
        "blocks": [
            {"type": "section", "text": {"type": "mrkdwn", "text": escape(composed.text)}},
            {
                "type": "context",
                "elements": [
                    {"type": "mrkdwn", "text": f"{escape(byline)}{link(target, entry.title)}"}
                ],
            },
        ],
        "unfurl_links": False,
    }


def rules(limits: dict | None = None) -> Rules:
    got = merged(DEFAULT_LIMITS, limits)
    return Rules(
        platform="internal",
        limit=int(got["max_characters"]),
        count=count,
        unit="characters (mrkdwn-escaped)",
        card=True,
    )
