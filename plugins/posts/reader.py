"""The Markdown reader: pelican-yaml-metadata's, on the pipeline's prepared posts
(plugins/pipeline.py), with located, collected errors."""

from __future__ import annotations

import datetime as dt
import os
import re
from typing import ClassVar
from zoneinfo import ZoneInfo

from pelican.plugins.yaml_metadata.yaml_metadata import YAMLMetadataReader, _parse_date
from pelican.readers import MarkdownReader
from pelican.utils import SafeDatetime

from plugins.pipeline import Prepared, make_job, prepare
from plugins.posts.audience import audience_of, in_build
from plugins.posts.check import is_page
from plugins.posts.frontmatter import parse_date
from plugins.posts.source import department_of, slug_of
from plugins.problems import record
from plugins.run import run_of


class ChorusReader(YAMLMetadataReader):
    """Reads `content/posts/<department>/<slug>.md` and `content/pages/*.md`.

    A problem is recorded for chorus.build (which reports all of them, one line each) and
    raised so that Pelican skips the file instead of publishing half of it. Every file is
    checked, whatever this build does with it; a post this build does not write (a draft in
    the publish build, an internal post in a public one: plugins/posts/audience.py) is then
    handed back as `status: skip`, unrendered, so nothing of it reaches the output.
    """

    file_extensions: ClassVar[list[str]] = ["md", "markdown"]

    def __init__(self, settings: dict):
        # Not YAMLMetadataReader's own set-up: it builds a Python-Markdown instance
        # (10-20 ms, with a scan of every installed package's entry points) for the
        # FORMATTED_FIELDS, which the pipeline renders instead (Prepared.formatted, kept
        # out of _parse_yaml_metadata below). MarkdownReader's set-up still runs.
        MarkdownReader.__init__(self, settings)
        self._md = None  # nothing here may render Markdown: that is the pipeline's

    def read(self, source_path):
        prepared = self._prepared(source_path)
        errors = prepared.errors()
        if errors:
            for error in errors:
                record(self.settings, error)
            raise errors[0]
        meta = dict(prepared.meta)
        rel = os.path.relpath(source_path, self.settings["PATH"]).split(os.sep)
        refs = set(prepared.refs)
        page = is_page(rel, self.settings)
        run = run_of(self.settings)
        if not page:
            named = department_of(rel, meta)
            department = run.directory.departments.get(named)
            meta["audience"] = audience_of(meta, department)
            status = str(meta.get("status") or "published")
            if status == "published" and scheduled(meta.get("date"), self.settings):
                status = "draft"  # not due yet: the scheduled publish build picks it up then
            if not in_build(status, meta["audience"], self.settings):
                run.left_out.append((slug_of(rel, meta), source_path))
                run.left_out_static.append(refs)
                return "", {"status": "skip"}
        run.kept_static.append(refs)
        if not page:
            # the department, not Pelican's innermost folder, is the post's category
            named = meta.pop("department", None) or department_of(rel, {})
            if named:
                meta["category"] = named
        retracted = meta.get("status") == "retracted"
        if retracted:
            # Pelican writes a hidden post at its URL but lists it nowhere (no index, tag,
            # department page or feed); its words are not rendered at all: the page is the
            # retraction notice (theme: article.html), and the feed names it only in
            # `_chorus.retracted`, so the cross-posting run deletes the copies.
            meta["status"] = "hidden"
            meta["template"] = "retracted"
        formatted = set(self.settings.get("FORMATTED_FIELDS", ()))
        plain = {k: v for k, v in meta.items() if k.lower() not in formatted}
        dates = {k.lower(): plain.pop(k) for k in list(plain) if k.lower() in DATES}
        metadata = self._parse_yaml_metadata(plain, source_path)
        metadata.update({k: pelican_date(v) for k, v in dates.items() if v is not None})
        metadata.update(prepared.formatted)  # rendered and sanitized by the pipeline
        metadata["source_line"] = prepared.body_line
        if retracted:
            metadata["retracted"] = True
            return "", metadata
        return prepared.html, metadata

    def _prepared(self, source_path):
        """The pipeline's result for this file: made before Pelican started reading (all
        posts, in parallel, or from the cache), else now (a page)."""
        run = run_of(self.settings)
        prepared = run.prepared.get(source_path)
        if prepared is None:
            job = run.job or make_job(self.settings, run.directory)
            prepared = prepare(source_path, job)
        # Only the findings are needed after this (the gate, the preview): the article
        # keeps the HTML, and a 20,000-post site need not hold every front matter twice.
        run.prepared[source_path] = Prepared(lint=prepared.lint)
        return prepared


DATES = ("date", "modified")
PLAIN_DATE = re.compile(r"\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?)?\Z")


def pelican_date(value) -> SafeDatetime:
    """The date pelican-yaml-metadata makes of a front-matter date, the same object (class,
    value, time zone), without dateutil for the common case. dateutil's general parser was
    a quarter of reading a post; a date with no zone in ISO form is what nearly every post
    has, and for it fromisoformat gives the same. Anything else (a zone, which dateutil
    turns into tzlocal() or tzoffset depending on the machine; another format; an
    impossible date and its error message) goes through Pelican's own path."""
    text = (value.isoformat() if isinstance(value, dt.date) else str(value)).strip()
    text = re.sub(" +", " ", text.replace("_", " "))
    if PLAIN_DATE.match(text):
        try:
            d = dt.datetime.fromisoformat(text)
        except ValueError:
            pass
        else:
            return SafeDatetime(d.year, d.month, d.day, d.hour, d.minute, d.second, d.microsecond)
    return _parse_date(value)


def scheduled(value, settings: dict, now: dt.datetime | None = None) -> bool:
    """A post dated in the future, in a build that publishes only what is due
    (WITH_FUTURE_DATES = False: publishconf.py). Pelican would turn it into a draft after
    reading; deciding here keeps it out of a build that writes no drafts at all."""
    if settings.get("WITH_FUTURE_DATES", True):
        return False
    moment = parse_date(value)
    if moment is None:
        return False
    zone = ZoneInfo(settings.get("TIMEZONE") or "UTC")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return moment > (now or dt.datetime.now(zone))


def add_reader(readers) -> None:
    for ext in ChorusReader.file_extensions:
        readers.reader_classes[ext] = ChorusReader
