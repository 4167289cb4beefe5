"""Pelican glue: load the guidelines once, gate the posts, write the Guidelines page.

All decisions live in plain modules (gate.py, page.py, the engine); this file only moves
data between them and a Pelican run.
"""

from __future__ import annotations

import logging
import multiprocessing
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

from pelican.generators import Generator

from plugins.guidelines.gate import GatedPost, decide, mode_of
from plugins.guidelines.model import GuidelinesError
from plugins.guidelines.page import guidelines_view
from plugins.posts.audience import build_audience
from plugins.problems import ContentError, record
from plugins.run import run_of
from plugins.settings import chorus_settings

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

    try:
        run_of(settings).guidelines = load_guidelines(path)
    except GuidelinesError as exc:
        record(settings, ContentError(exc.path, exc.line, exc.message))


# --- the lint beside the build ----------------------------------------------------------
# Pelican reads and renders on one core. On a large site the gate's lint would add its own
# seconds after the reading; started at `initialized` in a forked process, it runs on the
# other core while Pelican reads, and the gate only collects the result. Small sites lint
# inline (a fork costs more than it saves). The background lints every file under posts/;
# the gate keeps the findings of the posts Pelican actually read and lints inline any it
# did not cover.

_BACKGROUND: tuple | None = None  # set just before the fork; the child inherits it


def _background_job():
    from plugins.guidelines.engine import lint_files

    paths, guidelines, kwargs = _BACKGROUND
    try:
        return lint_files(paths, guidelines, workers=1, **kwargs)
    except GuidelinesError as exc:  # sent back as data: its __init__ does not unpickle
        return ("guidelines-error", exc.path, exc.line, exc.message)


def _lint_kwargs(settings: dict) -> dict:
    from plugins.guidelines.cache import cache_dir

    return {
        "content_root": Path(settings["PATH"]),
        "approvals_dir": approvals_dir(settings),
        "cache": cache_dir(),
        "site_checks": False,  # the build reports people, departments and slugs itself
    }


def initialized(pelican) -> None:
    """initialized: load the guidelines, then start the background lint. The preview calls
    load() alone: it lints one post and must not fork a lint of the whole site."""
    load(pelican)
    settings = pelican.settings
    if run_of(settings).guidelines is not None:
        settings["CHORUS_LINT_BACKGROUND"] = start_background(settings)


def start_background(settings: dict) -> tuple[set[str], Future] | None:
    """Fork the lint of every post when the site is large enough; (paths, future)."""
    global _BACKGROUND
    if chorus_settings(settings).GUIDELINES_GATE == "off":
        return None
    if "fork" not in multiprocessing.get_all_start_methods():
        return None
    from plugins.guidelines.engine import post_paths

    paths = post_paths(Path(settings["PATH"]))
    if not paths or len(paths) < chorus_settings(settings).GUIDELINES_BACKGROUND_MIN:
        return None
    _BACKGROUND = (paths, run_of(settings).guidelines, _lint_kwargs(settings))
    try:
        pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork"))
        future = pool.submit(_background_job)
        pool.shutdown(wait=False)
    finally:
        _BACKGROUND = None
    return {str(p) for p in paths}, future


def collect(settings: dict, sources: list[str]):
    """The report for these post files: from the background lint when it covered them all,
    else linted now. Raises GuidelinesError like lint_files."""
    from plugins.guidelines.engine import lint_files
    from plugins.guidelines.post import shown_path

    background = settings.pop("CHORUS_LINT_BACKGROUND", None)
    guidelines = run_of(settings).guidelines
    if background is not None:
        covered, future = background
        try:
            result = future.result()
        except Exception as exc:  # a crashed worker: lint inline instead
            logger.warning("guidelines: the background lint failed (%s); linting inline", exc)
            result = None
        if isinstance(result, tuple):
            raise GuidelinesError(*result[1:])
        if result is not None and all(str(s) in covered for s in sources):
            return _only(result, {shown_path(s) for s in sources})
    return lint_files(sources, guidelines, **_lint_kwargs(settings))


def _only(report, shown: set[str]):
    """The report restricted to the posts Pelican read (the background saw every file)."""
    from plugins.guidelines.model import LintReport

    return LintReport(
        findings=[f for f in report.findings if f.path in shown],
        switches=[s for s in report.switches if s.path in shown],
        files=len(shown),
        guidelines_version=report.guidelines_version,
        statuses={p: s for p, s in report.statuses.items() if p in shown},
    )


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
    if guidelines is None or mode == "off" or not posts:
        return
    try:
        report = collect(settings, [a.source_path for a in posts])
    except GuidelinesError as exc:  # e.g. an approver who is not in the people directory
        record(settings, ContentError(exc.path, exc.line, exc.message))
        return
    run_of(settings).lint_report = report  # for metrics: switches, counts
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
