"""Reading a Pelican settings file (pelicanconf.py and the files built on it) the way the
build does, for the tools that need a setting without building: the lint (PAGE_PATHS), the
preview, the cross-posting run (SYNDICATION_TEMPLATES), publish (WEBSUB_HUB)."""

from __future__ import annotations

from pathlib import Path


def load_settings(settings_file: str | Path, overrides: dict | None = None) -> dict:
    """Pelican's own reading, with its defaults filled in. Pelican is imported here, not
    above: the tools that import this module start without paying for it."""
    from pelican.settings import read_settings

    return read_settings(str(settings_file), override=dict(overrides or {}))
