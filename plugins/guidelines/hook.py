"""Pelican glue: load the guidelines once, gate the posts, write the Guidelines page.

All decisions live in plain modules (gate.py, page.py, the engine); this file only moves
data between them and a Pelican run.
"""

from __future__ import annotations

import logging
from pathlib import Path

from pelican.generators import Generator

from plugins.guidelines.gate import GatedPost, decide, mode_of
from plugins.guidelines.model import GuidelinesError
from plugins.guidelines.page import guidelines_view
from plugins.problems import ContentError, record

logger = logging.getLogger(__name__)


def guidelines_file(settings: dict) -> Path:
    return Path(settings["PATH"]) / settings.get("GUIDELINES_FILE", "guidelines.yaml")


def approvals_dir(settings: dict) -> Path:
    return Path(settings["PATH"]) / settings.get("APPROVALS_PATH", "approvals")


def load(pelican) -> None:
    """initialized: a broken guidelines file is a build problem at its line; a site without
    one simply has no gate and no page (test sites, a fresh fork)."""
    settings = pelican.settings
    settings["CHORUS_GUIDELINES"] = None
    try:
        mode_of(settings)
    except ValueError as exc:
        record(settings, ContentError("pelicanconf.py", None, str(exc)))
        return
    path = guidelines_file(settings)
    if not path.is_file():
        return
    from plugins.guidelines.config import load_guidelines

    try:
        settings["CHORUS_GUIDELINES"] = load_guidelines(path)
    except GuidelinesError as exc:
        record(settings, ContentError(exc.path, exc.line, exc.message))


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
    guidelines = settings.get("CHORUS_GUIDELINES")
    posts = _posts(generator)
    for article in posts:
        article.guideline_findings = []
    mode = settings.get("GUIDELINES_GATE", "dev")
    if guidelines is None or mode == "off" or not posts:
        return
    from plugins.guidelines.cache import cache_dir
    from plugins.guidelines.engine import lint_files

    try:
        report = lint_files(
            [a.source_path for a in posts],
            guidelines,
            content_root=Path(settings["PATH"]),
            approvals_dir=approvals_dir(settings),
            cache=cache_dir(),
        )
    except GuidelinesError as exc:  # e.g. an approver who is not in the people directory
        record(settings, ContentError(exc.path, exc.line, exc.message))
        return
    settings["CHORUS_LINT_REPORT"] = report  # for metrics (issue 5): switches, counts
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
        if self.settings.get("CHORUS_GUIDELINES") is None:
            self.context["GUIDELINES_URL"] = ""  # no page, so no link to it in the menu

    def generate_output(self, writer) -> None:
        guidelines = self.settings.get("CHORUS_GUIDELINES")
        if guidelines is None:
            return
        url = self.settings.get("GUIDELINES_URL", "guidelines/")
        writer.write_file(
            self.settings.get("GUIDELINES_SAVE_AS", "guidelines/index.html"),
            self.get_template("guidelines"),
            self.context,
            relative_urls=self.settings["RELATIVE_URLS"],
            guidelines=guidelines_view(guidelines),
            page_name=url + "index",
            url=url,
        )


def get_generators(_pelican):
    return GuidelinesGenerator
