"""Pelican glue: sanitise each article's and page's HTML once, as it is created.

content_object_init fires at the end of Content.__init__, before anything has read
`content` or `summary` (both are memoised on first read), so replacing the stored HTML
here is seen by every template and feed. The stored HTML still holds Pelican's
`{filename}`/`{static}` placeholders; clean.py keeps the harmless ones so that Pelican
resolves them afterwards as usual.
"""

from __future__ import annotations

from pelican.contents import Content, Static

from core.settings import chorus_settings
from plugins.run import run_of
from plugins.sanitize.clean import sanitize_html


def sanitize_content(instance: Content) -> None:
    """Sanitise the body and every formatted metadata field (the summary, by default).

    pelican-yaml-metadata renders `summary:` from Markdown, so raw HTML in the front matter
    reaches templates exactly like raw HTML in the body.
    """
    if isinstance(instance, Static):
        return
    settings = instance.settings
    if instance.source_path in run_of(settings).prepared:
        return  # read by the Chorus reader: the pipeline has sanitized it already
    hosts = chorus_settings(settings).EMBED_HOSTS
    if isinstance(instance._content, str):
        instance._content = sanitize_html(instance._content, hosts)
    for key in settings.get("FORMATTED_FIELDS", ()):
        value = instance.metadata.get(key)
        if not isinstance(value, str):
            continue
        clean = sanitize_html(value, hosts)
        instance.metadata[key] = clean
        if key == "summary":
            instance._summary = clean  # Pelican copies _summary back into metadata later
        else:
            setattr(instance, key.lower(), clean)
