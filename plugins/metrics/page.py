"""Pelican glue: gather the inputs of one build, compute, write the page, JSON and CSV.

Every decision is in collect.py / sources.py / svg.py / export.py; this only moves data.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from pathlib import Path
from zoneinfo import ZoneInfo

from pelican.generators import Generator

from core.dialogue import aggregate
from core.platforms import NAMES as PLATFORMS
from core.problems import ContentError
from core.settings import chorus_settings
from core.urls import rule_url
from plugins.backfeed import view as backfeed
from plugins.listening.snapshot import snapshot_path as listening_snapshot_path
from plugins.metrics import sources
from plugins.metrics.charts import charts_for
from plugins.metrics.collect import Metrics, count_findings, count_mentions, count_posts
from plugins.metrics.export import to_csv, to_json
from plugins.run import run_of

logger = logging.getLogger(__name__)


def gather(settings: dict, context: dict, now: dt.datetime | None = None) -> Metrics:
    directory = run_of(settings).directory
    departments = {d.slug: d.name for d in directory.departments.values()} if directory else {}
    now = now or dt.datetime.now(ZoneInfo(settings.get("TIMEZONE") or "UTC"))
    today = sources.today_for_build(chorus_settings(settings).BUILD_DATE, now)
    posts = sources.posts_from_articles(context.get("articles", []), context.get("drafts", []))
    metrics = count_posts(posts, departments, today)

    report = run_of(settings).lint_report  # the build's own lint (plugins/guidelines/hook.py)
    if report is not None:
        metrics.findings, metrics.findings_by_level, metrics.switches = count_findings(report)
    else:  # no guidelines file, or the guidelines plugin is not in this build
        _note(metrics, "lint", "guideline lint not available (no guidelines in this build)", False)

    counts, note = sources.read_crossposts(sources.links_path(settings))
    if counts is not None:
        known = [p for p in PLATFORMS if p != "internal"]
        metrics.crossposts = {p: counts.get(p, {"posted": 0, "failed": 0}) for p in known}
        metrics.crossposts.update({p: c for p, c in sorted(counts.items()) if p not in known})
    _note(metrics, "crossposts", note, warn=counts is None)

    snapshot_file = listening_snapshot_path(settings)
    snapshot, note = sources.read_snapshot(snapshot_file)
    if snapshot is not None:
        metrics.mentions = count_mentions(snapshot, departments)
    _note(metrics, "mentions", note, warn=snapshot is None and snapshot_file.exists())

    department_of = {
        getattr(a, "entry_id", ""): a.category.slug for a in context.get("articles", [])
    }
    conversations_file = backfeed.snapshot_path(settings)
    try:
        conversations = backfeed.read(conversations_file)
    except ContentError as exc:
        _note(metrics, "dialogue", exc.format(), warn=True)
    else:
        if conversations_file.exists():
            metrics.dialogue = aggregate(
                [
                    (entry_id, summary)
                    for entry_id, entry in conversations.items()
                    if entry_id in department_of
                    for summary in entry.get("threads") or []
                ],
                department_of.__getitem__,
                now,
            )
        else:
            note = "no conversations snapshot yet (run `invoke conversations fetch`)"
            _note(metrics, "dialogue", note, warn=False)
    return metrics


def _note(metrics: Metrics, key: str, note: str, warn: bool) -> None:
    if note:
        metrics.notes[key] = note
        if warn:
            logger.warning("metrics: %s", note)


class MetricsGenerator(Generator):
    """Writes metrics/index.html (template metrics.html), metrics.json and metrics.csv."""

    def generate_output(self, writer) -> None:
        metrics = gather(self.settings, self.context)
        out = Path(self.output_path)
        url = chorus_settings(self.settings).METRICS_URL
        for name, text in (("metrics.json", to_json(metrics)), ("metrics.csv", to_csv(metrics))):
            (out / name).write_text(text, encoding="utf-8", newline="")
        writer.write_file(
            os.path.join(url, "index.html"),
            self.get_template("metrics"),
            self.context,
            relative_urls=self.settings["RELATIVE_URLS"],
            metrics=metrics,
            charts=charts_for(metrics),
            rule_url=rule_url,
            page_name=url + "index",
            url=url,
        )


def get_generators(_pelican):
    return MetricsGenerator
