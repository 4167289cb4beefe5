"""Intranet settings: `invoke build --audience internal` → output-internal/.

Every post (public and internal), the drafts for review, and the full guidelines page
(confidential terms included). Its feeds go to the internal channel only: each entry's
`_chorus.syndicate` keeps just "internal", and `_chorus.audience` says whose the post is.
Never deploy this folder to the public web server.
"""

import os

from publishconf import *  # noqa: F403

SITENAME = "Alder & Finch — Chorus (intranet)"
SITEURL = os.environ.get("CHORUS_INTERNAL_SITEURL", "https://chorus.intranet.alderfinch.example")
OUTPUT_PATH = "output-internal"
CHORUS_AUDIENCE = "internal"
CHORUS_DRAFTS = True
# A public hub cannot fetch intranet feeds, and must not learn their URLs.
WEBSUB_HUB = None
