"""Where the public site lives: the one default for the publish build and for every link a
lint message gives (readers of a CI log or a terminal want the guidelines as published)."""

from __future__ import annotations

import os
from collections.abc import Mapping

PUBLIC_SITEURL = "https://chorus.alderfinch.example"
"""The public site's address unless CHORUS_SITEURL says otherwise."""


def public_siteurl(explicit: str | None = None, environ: Mapping[str, str] = os.environ) -> str:
    return (explicit or environ.get("CHORUS_SITEURL") or PUBLIC_SITEURL).rstrip("/")
