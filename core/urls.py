"""Site paths and URLs: one reading of what an author or a setting writes as a link.

Front matter and settings name files on the site in several ways (`images/x.png`,
`/images/x.png`, `{static}/images/x.png`, a full `https://` URL); the page meta, feeds and
cards all need the same absolute URL for each, and messages the same link to a rule.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urljoin

from core.settings import ChorusSettings

PLACEHOLDERS = ("{static}", "{attach}", "{filename}")  # Pelican's, as a post may write them
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def has_scheme(url: str) -> bool:
    """`https:`, `mailto:`, `data:`…: a URL that no site path is resolved against."""
    return bool(_SCHEME.match(url)) or url.startswith("//")


def site_path(path: str) -> str:
    """'images/x.png', '/images/x.png', '{static}/images/x.png' → 'images/x.png': the path
    under the site root (and under content/ for a static file) that templates put after
    SITEURL. A URL with a scheme is returned unchanged."""
    path = path.strip()
    if has_scheme(path):
        return path
    for prefix in PLACEHOLDERS:
        if path.startswith(prefix):
            path = path[len(prefix) :]
            break
    return path.lstrip("/")


@lru_cache(maxsize=1024)  # the hot ones are few (a tag index, the site's home)
def absolute_url(siteurl: str, path: str) -> str:
    """A site path (as site_path reads it) → absolute URL under SITEURL (a SITEURL with a
    path of its own keeps it); a URL with a scheme is returned unchanged; "" is the site's
    home. Feeds and social crawlers ignore relative URLs. (Remembered: a build asks for the
    same few addresses, such as a tag index, thousands of times.)"""
    path = site_path(path)
    if has_scheme(path):
        return path
    return urljoin(siteurl.rstrip("/") + "/", path)


def rule_url(
    siteurl: str, rule_id: str, guidelines_url: str = ChorusSettings.GUIDELINES_URL
) -> str:
    """The rule's anchor on the Guidelines page (GUIDELINES_URL): every message about a
    rule links to the why."""
    return f"{siteurl.rstrip('/')}/{guidelines_url.lstrip('/')}#{rule_id}"
