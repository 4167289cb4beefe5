"""Pelican glue: load the guidelines once, gate the posts, write the Guidelines page.

All decisions live in plain modules (gate.py, page.py, the engine); this file only moves
data between them and a Pelican run.
"""

from __future__ import annotations

import logging
from pathlib import Path

from pelican.generators import Generator

from core.cache import cache_dir
from core.settings import chorus_settings
from plugins.guidelines.gate import GatedPost, decide, mode_of
from plugins.guidelines.model import GuidelinesError
from plugins.guidelines.page import guidelines_view
from plugins.posts.audience import build_audience
from plugins.posts.source import run_memo
from plugins.problems import ContentError, record
from plugins.run import run_of

logger = logging.getLogger(__name__)


def guidelines_file(settings: dict) -> Path:
    return Path(settings["PATH"]) / chorus_settings(settings).GUIDELINES_FILE


def approvals_dir(settings: dict) -> Path:
    return Path(settings["PATH"]) / chorus_settings(settings).APPROVALS_PATH


def load(pelican) -> None:
    """initialized: a broken guidelines file is a build problem at its line; a site without
    one simply has no gate and no page (test sites, a fresh fork)."""
    settings = pelican.settings
    run_of(settings).guidelines = None
    try:
        mode_of(settings)
    except ValueError as exc:
        record(settings, ContentError("pelicanconf.py", None, str(exc)))
        return
    path = guidelines_file(settings)
    if not path.is_file():
        return
    from plugins.guidelines.config import load_guidelines

    try:  # through the run's memo: proven guidelines prepare each rule on first use
        run_of(settings).guidelines = load_guidelines(path, run_memo(settings))
    except GuidelinesError as exc:
        record(settings, ContentError(exc.path, exc.line, exc.message))


def _lint_kwargs(settings: dict) -> dict:
    return {
        "content_root": Path(settings["PATH"]),
        "approvals_dir": approvals_dir(settings),
        "cache": cache_dir(),
        "site_checks": False,  # the build reports people, departments and slugs itself
    }


def collect(settings: dict, sources: list[str]):
    """The report for these post files: their findings as the pipeline prepared them
    (plugins/pipeline.py: linted while read, or from the cache), and any it did not
    prepare linted now. Raises GuidelinesError like lint_files."""
    from plugins.guidelines.engine import assemble, lint_files
    from plugins.guidelines.post import shown_path

    guidelines = run_of(settings).guidelines
    prepared = run_of(settings).prepared
    entries = [getattr(prepared.get(s), "lint", None) for s in sources]
    if all(entry is not None for entry in entries):
        shown = [shown_path(s) for s in sources]
        return assemble(shown, entries, guidelines.version)
    return lint_files(sources, guidelines, **_lint_kwargs(settings))


def _posts(generator) -> list:
    return [
        *generator.articles,
        *generator.translations,
        *generator.drafts,
        *getattr(generator, "drafts_translations", []),
    ]


def gate_articles(generator) -> None:
    """article_generator_finalized: lint every post once, then apply the gate's decision."""
    settings = generator.settings
    guidelines = run_of(settings).guidelines
    posts = _posts(generator)
    for article in posts:
        article.guideline_findings = []
    mode = chorus_settings(settings).GUIDELINES_GATE
    if guidelines is None or not posts:
        return
    try:
        report = collect(settings, [a.source_path for a in posts])
    except GuidelinesError as exc:  # e.g. an approver who is not in the people directory
        if mode != "off":
            record(settings, ContentError(exc.path, exc.line, exc.message))
        return
    run_of(settings).lint_report = report  # for metrics: switches, counts
    if mode == "off":
        return  # counted on the Metrics page, but neither stops the build nor warns
    gated = [
        GatedPost(a.source_path, "draft" if a.status == "draft" else "published") for a in posts
    ]
    decision = decide(gated, report.findings, mode, settings.get("SITEURL", ""))
    for problem in decision.problems:
        record(settings, problem)
    for line in decision.warnings:
        logger.warning("%s", line)
    if decision.dropped:
        generator.drafts = [d for d in generator.drafts if d.source_path not in decision.dropped]
        if hasattr(generator, "drafts_translations"):
            generator.drafts_translations = [
                d for d in generator.drafts_translations if d.source_path not in decision.dropped
            ]
    for article in posts:
        article.guideline_findings = decision.shown.get(article.source_path, [])


class GuidelinesGenerator(Generator):
    """Writes GUIDELINES_SAVE_AS (guidelines/index.html) with the theme's guidelines.html."""

    def generate_context(self) -> None:
        if run_of(self.settings).guidelines is None:
            self.context["GUIDELINES_URL"] = ""  # no page, so no link to it in the menu

    def generate_output(self, writer) -> None:
        guidelines = run_of(self.settings).guidelines
        if guidelines is None:
            return
        url = chorus_settings(self.settings).GUIDELINES_URL
        writer.write_file(
            chorus_settings(self.settings).GUIDELINES_SAVE_AS,
            self.get_template("guidelines"),
            self.context,
            relative_urls=self.settings["RELATIVE_URLS"],
            guidelines=guidelines_view(guidelines, build_audience(self.settings) == "internal"),
            page_name=url + "index",
            url=url,
        )


def guard_output(pelican) -> None:
    """finalized: the publish build of the public site reads back everything it wrote and
    refuses to publish a confidential term (confidential.py), wherever it came from."""
    settings = pelican.settings
    if (
        chorus_settings(settings).GUIDELINES_GATE != "publish"
        or build_audience(settings) != "public"
    ):
        return
    from plugins.guidelines.confidential import scan_output

    shown = run_of(settings).final_output or pelican.output_path
    for error in scan_output(pelican.output_path, run_of(settings).guidelines, shown):
        record(settings, error)


def get_generators(_pelican):
    return GuidelinesGenerator
