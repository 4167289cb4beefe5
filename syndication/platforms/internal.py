"""The organization's own channel: a Slack-style incoming webhook (Slack, Mattermost,
Rocket.Chat and Zulip's Slack-compatible endpoint all accept this shape).

The whole webhook URL is the credential — whoever has it can post — so it lives only in
CHORUS_WEBHOOK_URL and credentials.redact() hides it in every message and log line.

Body: `text` (the notification fallback) and `blocks` (a mrkdwn section with the post and
a context line linking back), built by syndication.compose.internal.body. mrkdwn gives
&, < and > a meaning, so they are escaped there: the transport's encoding, not composition.

A webhook cannot be read back, so `find` cannot know whether a post arrived: it answers
None and the retry loop resends. For an internal channel a rare double message is the
lesser evil than a lost one.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import httpx

from syndication.compose.internal import body as payload
from syndication.http import Api
from syndication.model import Composed, Posted, SourceEntry


class Internal:
    name = "internal"

    def __init__(
        self,
        credentials: dict[str, str],
        *,
        client: httpx.Client | None = None,
        base_url: str | None = None,
        clock: Callable[[], float] = time.time,
    ):
        self.channel_url = credentials.get("CHORUS_WEBHOOK_CHANNEL_URL") or ""
        self.api = Api(
            self.name, base_url or credentials["CHORUS_WEBHOOK_URL"], client=client, clock=clock
        )

    def limits(self) -> dict:
        return {}

    def post(self, composed: Composed, entry: SourceEntry, key: str) -> Posted:
        self.api.request("POST", "", json=payload(composed, entry), ok=(200, 201, 202, 204))
        return Posted(remote_id=key, url=self.channel_url)

    def find(self, entry: SourceEntry, key: str) -> Posted | None:
        return None
