"""Chorus' own settings: each declared once, with its default and what it is for.

Pelican's settings dict carries them (pelicanconf.py sets them, publishconf.py and
internalconf.py change a few); the plugins read them through `chorus_settings(settings)`
instead of each repeating `settings.get("KEY", default)` with a default of its own.
Pelican's own settings (PATH, SITEURL, THEME…) are not repeated here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields


@dataclass(frozen=True)
class ChorusSettings:
    PEOPLE_PATH: str = "people"
    """Folder under content/ with one <handle>.yaml per person."""
    DEPARTMENTS_FILE: str = "departments.yaml"
    """File under content/ listing the departments (name, audience, syndicate, channel)."""
    GUIDELINES_FILE: str = "guidelines.yaml"
    """File under content/ with the guidelines: the lint's rules and the Guidelines page."""
    APPROVALS_PATH: str = "approvals"
    """Folder under content/ with one <slug>.yaml per approval (`invoke approve`)."""
    GUIDELINES_URL: str = "guidelines/"
    """Where the Guidelines page is; every lint message links to <this>#<rule id>."""
    GUIDELINES_SAVE_AS: str = "guidelines/index.html"
    """The Guidelines page's file in the output."""
    GUIDELINES_GATE: str = "dev"
    """"dev": findings shown, nothing refused; "publish": a post with an error finding
    stops the build; "off": no lint in the build (tests, a fresh fork)."""
    CHORUS_WORKERS: int = 0
    """Processes that prepare posts (read, check, lint, render) before Pelican lists and
    writes them; 0 = one per core. The output is the same whatever the number."""
    CHORUS_PARALLEL_MIN: int = 200
    """From this many posts to prepare on, the build forks workers (below it, starting
    them costs more than it saves)."""
    SYNDICATION_LINKS_FILE: str = "syndication-links.json"
    """File under content/ where cross-posting records each copy's URL ("Also on …")."""
    METRICS_URL: str = "metrics/"
    """Where the Metrics page is written."""
    CHORUS_DRAFTS: bool = True
    """Whether this build writes drafts (development and intranet: yes; publish: never)."""
    SHARE_PLATFORMS: tuple[str, ...] = ()
    """The share links under each post, in order."""
    EMBED_HOSTS: tuple[str, ...] = ()
    """Hosts a post may embed in an iframe (the sanitizer and the CSP's frame-src)."""
    LISTENING_STALE_DAYS: int = 3
    """The Listening page warns when its snapshot is older than this many days."""


NAMES = tuple(f.name for f in fields(ChorusSettings))


_LAST: list = [None, (), None]  # the settings dict, its raw values, what they gave


def chorus_settings(settings: Mapping) -> ChorusSettings:
    """The declared Chorus settings of a Pelican settings dict, defaults filled in; a value
    of the wrong type (a list for a tuple) is converted. Plugins ask for every article, so
    the last answer is kept while the dict and its values are the same."""
    raw = tuple(settings.get(name) for name in NAMES)
    if _LAST[0] is settings and _LAST[1] == raw:
        return _LAST[2]
    given = {}
    for f, value in zip(fields(ChorusSettings), raw, strict=True):
        if value is None:
            continue
        if isinstance(f.default, tuple):
            value = tuple(value)
        elif isinstance(f.default, bool):
            value = bool(value)
        elif isinstance(f.default, int):
            value = int(value)
        given[f.name] = value
    result = ChorusSettings(**given)
    _LAST[:] = [settings, raw, result]
    return result
