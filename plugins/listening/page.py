"""Pelican glue: read the snapshot once, write listening/index.html and the digest feeds.

All decisions are in view.py and digest.py; this only moves data. The snapshot is read in
generate_context (before any page is written), so a broken snapshot stops the build with
its file:line like any other content error, and so that department pages — written by the
articles generator — already know where their digest is (`listening_digests`).
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from pelican.generators import Generator

from core.settings import chorus_settings
from plugins.feeds.entry import Site
from plugins.listening.digest import digest_feed, digest_path
from plugins.listening.snapshot import read_snapshot, snapshot_path
from plugins.listening.view import make_view
from plugins.problems import ContentError, record
from plugins.run import run_of

PAGE_URL = "listening/"


def department_names(settings: dict) -> dict[str, str]:
    directory = run_of(settings).directory
    if directory is None:
        return {}
    return {d.slug: d.name for d in directory.departments.values()}


class ListeningGenerator(Generator):
    """Writes listening/index.html (template listening.html) and feeds/listening/*.atom.xml."""

    def generate_context(self) -> None:
        self.snapshot = None
        try:
            self.snapshot = read_snapshot(snapshot_path(self.settings))
        except ContentError as exc:
            record(self.settings, exc)
        self.departments = department_names(self.settings)
        self.view = make_view(
            self.snapshot,
            self.departments,
            digest_path,
            now=dt.datetime.now(dt.UTC),
            stale_days=chorus_settings(self.settings).LISTENING_STALE_DAYS,
        )
        self.context["listening_digests"] = {s: digest_path(s) for s in self.departments}

    def generate_output(self, writer) -> None:
        site = Site.from_settings(self.settings)
        generated = (self.snapshot or {}).get("generated") or dt.datetime.now(dt.UTC).isoformat()
        mentions = (self.snapshot or {}).get("mentions", [])
        slugs = dict(self.departments)
        for dept in self.view.departments:
            slugs.setdefault(dept.slug, dept.name)
        for slug, name in slugs.items():
            routed = [m for m in mentions if slug in (m.get("departments") or [])]
            path = Path(self.output_path) / digest_path(slug)
            path.parent.mkdir(parents=True, exist_ok=True)
            text = digest_feed(site, slug, name, routed, generated, PAGE_URL)
            path.write_text(text, encoding="utf-8", newline="\n")
        writer.write_file(
            os.path.join(PAGE_URL, "index.html"),
            self.get_template("listening"),
            self.context,
            relative_urls=self.settings["RELATIVE_URLS"],
            listening=self.view,
            page_name=PAGE_URL + "index",
            url=PAGE_URL,
        )


def get_generators(_pelican):
    return ListeningGenerator
