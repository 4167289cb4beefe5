"""Public-site settings: what CI builds and deploys (`invoke publish`)."""

import os

from core.site import public_siteurl
from pelicanconf import *  # noqa: F403

SITEURL = public_siteurl()
RELATIVE_URLS = False
# Feeds advertise the hub (rel="hub") and `invoke publish` pings it after a build.
WEBSUB_HUB = os.environ.get("CHORUS_WEBSUB_HUB", "https://pubsubhubbub.appspot.com/")
# An error finding on a published post fails the build: it never reaches output/.
GUIDELINES_GATE = "publish"
# Drafts are not published: no drafts/ folder, at any URL, until `status: published`.
CHORUS_DRAFTS = False
# A post dated in the future appears when it is due: the workflow also builds on a
# schedule, and the cross-posting run posts it then (it reads only what the feed lists).
WITH_FUTURE_DATES = False
