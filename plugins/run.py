"""What one Pelican run's plugins learn and hand on to each other, in one typed object.

Pelican gives every reader, generator and signal the same settings dict and nothing else,
so that dict is where a run's shared state has to live. Instead of one settings key per
fact (the people directory, the guidelines, the problems found, the lint report…), each
with its own default at every place that reads it, the whole state is one `BuildRun`
under one key, made on first use (a fresh process per `python -m pelican`) and afresh by
chorus.build for every build (a warm process such as the live-reload server builds many).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

KEY = "CHORUS_RUN"


@dataclass
class BuildRun:
    """The shared state of one build. Every field has a safe empty value, so a plugin used
    without the others (a test building a single plugin) still works."""

    directory: Any = None
    """plugins.people.directory.Directory: people and departments, loaded at `initialized`."""
    guidelines: Any = None
    """plugins.guidelines.model.Guidelines, or None when the site has no guidelines file."""
    problems: list = field(default_factory=list)
    """ContentError found while reading: chorus.build prints them and publishes nothing."""
    lint_report: Any = None
    """The gate's LintReport (the metrics page counts its findings and switches)."""
    prepared: dict = field(default_factory=dict)
    """Source path → plugins/pipeline.py result, made before Pelican reads (in parallel, from
    the cache): the reader takes a post from here instead of reading it again."""
    job: Any = None
    """The plugins/pipeline.py Job the posts were prepared with (the reader prepares a file
    that was not prepared in advance, such as a page, with it)."""
    left_out: list = field(default_factory=list)
    """(slug, source path) of each post this build reads but does not write (a draft in the
    publish build, an internal post in the public one): their slugs stay taken."""
    left_out_static: list = field(default_factory=list)
    """Per left-out post, the static files it refers to (withheld unless a kept post uses them)."""
    kept_static: list = field(default_factory=list)
    """Per written post or page, the static files it refers to."""
    rendered: dict = field(default_factory=dict)
    """Output name → (hash of its render inputs, files) of every page the writer queued
    (plugins/writer.py): saved as the record once this build's output is the published one."""
    rendered_record: Any = None
    """The plugins/writer.py PageRecord those are saved into."""
    pages_kept: int = 0
    """Pages carried over unchanged from the previous output (not rendered)."""
    pages_rendered: int = 0
    """Pages rendered by this build."""
    final_output: str | None = None
    """The output folder as messages should name it (chorus.build writes to a temporary one)."""
    frame: str | None = None
    """plugins/writer.py site_frame: what every page shares, hashed once per build."""
    spare: Any = None
    """The plugins/writer.py PageRecord of the folder chorus.build writes into when it is a
    spare output holding most of the pages already (take_spare), else None."""
    memo: Any = None
    """core.filememo.FileMemo: what this run knows of files by their stat (the guidelines
    file proven, each post's slug and digest). One per run, from
    plugins.posts.source.run_memo(): the guidelines and the lint context then read the
    memo file once, and each file is stat'ed once."""


def run_of(settings: dict) -> BuildRun:
    """This build's shared state, created on first use."""
    run = settings.get(KEY)
    if not isinstance(run, BuildRun):
        run = settings[KEY] = BuildRun()
    return run


def new_run(settings: dict, **given: Any) -> BuildRun:
    """Start a build's state afresh (chorus.build, before Pelican starts)."""
    run = settings[KEY] = BuildRun(**given)
    return run
