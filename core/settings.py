"""Chorus' own settings, and reading a Pelican settings file the way the build does.

ChorusSettings declares each Chorus setting once, with its default and what it is for.
Pelican's settings dict carries them (pelicanconf.py sets them, publishconf.py and
internalconf.py change a few); the plugins, the tools and the cross-posting run read them
through `chorus_settings(settings)` instead of each repeating `settings.get("KEY", default)`
with a default of its own. Pelican's own settings (PATH, SITEURL, THEME…) are not repeated.
The cross-posting and conversations engines take their secrets and the ledger's place from
the environment (syndication/credentials.py, CHORUS_LEDGER), not from here.

`load_settings` is for the tools that need a setting without building: the lint
(PAGE_PATHS), the preview, the cross-posting run (SYNDICATION_TEMPLATES), publish (WEBSUB_HUB).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path


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
    LISTENING_SNAPSHOT: str = "listening/snapshot.json"
    """The snapshot `invoke listen` writes and the Listening and Metrics pages read, under
    content/ (an absolute path is taken as it is)."""
    CONVERSATIONS_SNAPSHOT: str = "conversations/snapshot.json"
    """The moderated replies `invoke conversations snapshot` writes and the build renders,
    under content/."""
    CHORUS_AUDIENCE: str = "public"
    """Which site this build writes: "public" (public posts only) or "internal" (the
    intranet: every post). internalconf.py sets "internal"."""
    FEED_ID_AUTHORITY: str = "localhost"
    """The authority in every entry's tag: URI (tag:<authority>,<start>:posts/<slug>), so
    ids do not change with SITEURL; never change it once posts are cross-posted."""
    FEED_ID_START: str = "2026"
    """The date part of every tag: URI; never change it, or every entry id changes."""
    WEBSUB_HUB: str | None = None
    """The WebSub hub the feeds name and publish pings; None = no hub (publishconf.py
    names one, the intranet build none)."""
    ORGANIZATION: dict = field(default_factory=dict)
    """The organization (name, url, logo, sameAs…): schema.org data, feed icons, people
    pages."""
    MASTODON_SHARE_URL: str = "https://social.alderfinch.example/share"
    """The Mastodon instance's share endpoint behind each post's "Share on Mastodon"."""
    SYNDICATION_TEMPLATES: dict = field(default_factory=dict)
    """Platform → sandboxed Jinja2 text template for cross-posted copies; a platform left
    out uses syndication/compose/templates.py's default."""
    BUILD_DATE: str | None = None
    """"YYYY-MM-DD": the Metrics page's "last 90 days" end on the newest of this and
    today, so a rebuild of an old commit shows the same figures; None = today."""
    PREVIEW_PANELS: tuple[str, ...] = ()
    """"module:function" names of extra panels `invoke preview` shows beside the post,
    each called with (article, settings)."""


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
        elif isinstance(f.default, str):
            value = str(value)
        given[f.name] = value
    result = ChorusSettings(**given)
    _LAST[:] = [settings, raw, result]
    return result


def load_settings(settings_file: str | Path, overrides: dict | None = None) -> dict:
    """Pelican's own reading, with its defaults filled in. Pelican is imported here, not
    above: the tools that import this module start without paying for it."""
    from pelican.settings import read_settings

    return read_settings(str(settings_file), override=dict(overrides or {}))


VOLATILE_SETTINGS = frozenset({"OUTPUT_PATH"})
"""Settings that differ between two builds of the same site without changing a page
(chorus.build writes into a fresh folder every time)."""


def plain_settings(settings: Mapping) -> str:
    """Every setting that is plain data, as one stable text: what a page or a read post
    depends on among the settings (a value that is not plain data, such as the build's
    own state, is no input of a page)."""
    plain = {k: v for k, v in sorted(settings.items()) if k not in VOLATILE_SETTINGS and _plain(v)}
    return repr(plain)


def _plain(value, depth: int = 0) -> bool:
    if value is None or isinstance(value, str | int | float | bool):
        return True
    if depth > 4:
        return False
    if isinstance(value, list | tuple):
        return all(_plain(v, depth + 1) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain(v, depth + 1) for k, v in value.items())
    return False
