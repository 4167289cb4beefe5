"""One post, read once: bytes → front matter → one Markdown parse → the build's checks, the
guidelines' findings and the HTML, sanitized. The build, the build gate, the preview and
the lint cache all take a post's result from here.

Why one pass: before, the reader read and parsed each post for the page (Python-Markdown)
while a forked lint read and parsed every post again for the findings (markdown-it-py,
which disagreed on edge cases). Now a post's file is read, decoded and its YAML parsed
once, by one function (`prepare`); its body is parsed once (plugins/posts/markdown.py),
and the lint reads the very tokens the page is rendered from.

Why before Pelican reads (`article_generator_init`): Pelican reads posts one by one on
one core. Preparing them all first lets them run across every core: the parent takes a
share itself and forked workers (which inherit the loaded guidelines, people directory and
settings: nothing is pickled but paths and results) take the rest. The reader then only
turns a prepared result into Pelican's metadata.

Why a cache: between two builds almost every post is unchanged, and a post's result
depends only on its bytes, its path and the run's inputs. The page half (HTML, front
matter, the build's problems) is kept under .chorus/cache/, keyed by the file's bytes and a
fingerprint of its inputs (the Markdown and sanitizer settings, the people directory, the
code that makes it, the engines' versions); the findings half is the lint's own cache
(plugins/guidelines/cache.py), shared with `python -m plugins.guidelines lint`. A missing
or corrupt cache is an empty one. CHORUS_CACHE=off switches both off.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING

from core.cache import cache_dir, replace_file
from core.pool import forked_map
from core.settings import chorus_settings
from plugins.guidelines.cache import LintCache, fingerprint, post_key
from plugins.guidelines.engine import build_finding, internal_finding, lint_post, make_context
from plugins.guidelines.post import load_post, shown_path
from plugins.posts.audience import static_refs
from plugins.posts.check import check_file, is_page
from plugins.posts.reuse import reuse_read_posts
from plugins.posts.source import run_memo
from plugins.problems import ContentError
from plugins.run import run_of
from plugins.sanitize.clean import sanitize_html

if TYPE_CHECKING:
    from plugins.posts.markdown import Markdown

PAGE_CACHE = "posts-{}.pickle"
HERE = Path(__file__).resolve().parent
# The code a prepared page depends on: this module, the front-matter reader and checks,
# the people directory's schema and the sanitizer.
CODE = (HERE / "pipeline.py", *(HERE / "posts").glob("*.py"), *(HERE / "people").glob("*.py"))
CODE += tuple((HERE / "sanitize").glob("*.py"))
ENGINES = ("markdown", "markdown-it-py", "mdit-py-plugins", "pygments", "nh3", "pyyaml", "pelican")
# Settings the page half depends on (with the files above and the people directory).
PAGE_SETTINGS = ("PATH", "PAGE_PATHS", "ARTICLE_PATHS", "MARKDOWN", "FORMATTED_FIELDS")
PAGE_SETTINGS += ("STATIC_PATHS", "EMBED_HOSTS", "PEOPLE_PATH", "DEPARTMENTS_FILE")


@dataclass
class Prepared:
    """What the build needs of one content file. Plain data: it crosses process
    boundaries and is pickled into the cache."""

    meta: dict = field(default_factory=dict)  # the front matter as YAML gave it
    body_line: int = 1
    problems: list[tuple[str, int | None, str]] = field(default_factory=list)
    html: str | None = None  # sanitized body; None when it has problems or is retracted
    formatted: dict[str, str] = field(default_factory=dict)  # FORMATTED_FIELDS, rendered
    refs: list[str] = field(default_factory=list)  # static files the post refers to
    lint: tuple | None = None  # (findings, switches, status), when the gate lints
    source: str | None = None  # the file's bytes and every input of the page half, hashed:
    # equal sources make equal pages (None: uncached, nothing may be reused)

    def errors(self) -> list[ContentError]:
        return [ContentError(*p) for p in self.problems]


@dataclass
class Job:
    """Everything `prepare` reads besides the file: loaded once per build in the parent
    and inherited by the forked workers."""

    settings: dict
    directory: object
    guidelines: object = None  # None: no lint (no guidelines file, or the gate is off)
    lint_context: object = None

    @property
    def markdown(self) -> Markdown:
        """The page's and the lint's one Markdown engine, for the MARKDOWN setting.
        (Imported here: a run whose posts all come from the cache, such as most previews,
        parses no Markdown, and markdown-it with the engine's plugins is 15 ms of start-up.)"""
        from plugins.posts.markdown import engine

        return engine(self.settings.get("MARKDOWN"))


def make_job(settings: dict, directory, guidelines=None) -> Job:
    lint_context = None
    if guidelines is not None:
        content = Path(settings["PATH"])
        approvals = content / chorus_settings(settings).APPROVALS_PATH
        chosen = chorus_settings(settings)
        memo = run_memo(settings)  # the one the guidelines were loaded through
        lint_context = make_context(content, approvals, guidelines, chosen, directory, memo)
        memo.save()
    return Job(settings, directory, guidelines, lint_context)


def content_parts(path: str, settings: dict) -> list[str]:
    return os.path.relpath(path, settings["PATH"]).split(os.sep)


def prepare(path: str, job: Job) -> Prepared:
    """One content file → Prepared. Never raises: a file that cannot be read, or a bug in
    a rule, is a problem or a finding on that file."""
    try:
        return _prepare(path, job)
    except Exception as exc:  # a bug: one error on this post, the build goes on
        shown = shown_path(path)
        message = f"internal: preparing this file failed: {type(exc).__name__}: {exc}"
        return Prepared(
            problems=[(path, None, message)], lint=([internal_finding(shown, exc)], [], None)
        )


def _prepare(path: str, job: Job) -> Prepared:
    shown = shown_path(path)
    try:
        post = load_post(path, path)
    except ContentError as exc:
        lint = ([build_finding(exc, shown)], [], None) if job.guidelines is not None else None
        return Prepared(problems=[(exc.path, exc.line, exc.message)], lint=lint)
    settings = job.settings
    rel = content_parts(path, settings)
    errors = check_file(post, rel, job.directory, settings)
    result = Prepared(
        meta=post.meta,
        body_line=post.body_line,
        problems=[(e.path, e.line, e.message) for e in errors],
    )
    page = is_page(rel, settings)
    body = post.text[post.body_offset :]
    markdown = job.markdown
    tokens = None
    if job.guidelines is not None and not page:
        # one parse: the lint reads the tokens the page is rendered from
        tokens = post.extra["tokens"] = markdown.parse(body)
        post.path = shown  # findings name the file as the lint CLI does
        built = [build_finding(error, shown) for error in errors]
        found, switches = lint_post(post, job.guidelines, job.lint_context)
        result.lint = (built + found, switches, post.status)
    if errors:
        return result
    static = list(settings.get("STATIC_PATHS") or [])
    result.refs = sorted(static_refs(f"{post.meta.get('image') or ''}\n{body}", static))
    if post.meta.get("status") == "retracted":
        return result  # its words are not rendered at all (plugins/posts/reader.py)
    hosts = chorus_settings(settings).EMBED_HOSTS
    if tokens is None:
        tokens = markdown.parse(body)
    result.html = sanitize_html(markdown.render(tokens), hosts)
    for name, value in post.meta.items():
        if name.lower() in settings.get("FORMATTED_FIELDS", ()) and value is not None:
            if isinstance(value, list):
                value = "\n".join(str(v) for v in value if v is not None)
            rendered = markdown.convert(str(value))
            result.formatted[name.lower()] = sanitize_html(rendered, hosts)
    return result


# --- many posts: cache, then the parent and forked workers -----------------------------


def _run(paths: list[str], job: Job, workers: int, least: int) -> list[Prepared]:
    if workers > 1 and len(paths) >= least:
        job.markdown  # noqa: B018  (made before the fork: every worker inherits it)
        for rule in job.guidelines.rules if job.guidelines is not None else ():
            rule.compiled  # noqa: B018  (a rule config.py deferred: prepared once, here)
    return forked_map(prepare, paths, job, workers, least)


def workers_for(settings: dict) -> int:
    """CHORUS_WORKERS, 0 meaning every core."""
    given = chorus_settings(settings).CHORUS_WORKERS
    return given if given > 0 else (os.cpu_count() or 1)


def page_fingerprint(job: Job) -> str:
    digest = hashlib.sha256(b"chorus-pipeline-1\0")
    for name in ENGINES:
        digest.update(f"{name}={version(name)}\0".encode())
    for path in sorted(CODE):
        digest.update(path.read_bytes())
    settings = job.settings
    digest.update(repr([(k, settings.get(k)) for k in PAGE_SETTINGS]).encode())
    content = Path(settings["PATH"])
    people = content / chorus_settings(settings).PEOPLE_PATH
    for path in [
        *sorted(people.glob("*.y*ml")),
        content / chorus_settings(settings).DEPARTMENTS_FILE,
    ]:
        digest.update(path.name.encode() + b"\0")
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"<missing>")
    digest.update(os.getcwd().encode())  # findings and problems name paths relative to it
    return digest.hexdigest()[:32]


class PageCache:
    """Key (path and bytes) → Prepared without its findings, for one fingerprint, in one
    pickle file. Written by this user's own builds into .chorus/ (git ignores it), so
    unpickling it is no more a risk than importing the project's own code."""

    def __init__(self, folder: Path, fp: str):
        self.file = Path(folder) / PAGE_CACHE.format(fp)
        self.entries: dict[str, Prepared] = {}
        self.dirty = False
        signature = _signature(self.file)
        kept = _IN_MEMORY.get(str(self.file))
        if signature is not None and kept is not None and kept[0] == signature:
            self.entries = kept[1]  # this process wrote it or read it, and nobody since
            return
        try:
            with open(self.file, "rb") as handle:
                loaded = pickle.load(handle)
            if isinstance(loaded, dict):
                self.entries = loaded
        except Exception:  # missing, truncated, written by another layout: start empty
            self.entries = {}
        if signature is not None:
            _IN_MEMORY.clear()  # one site's cache per process is enough
            _IN_MEMORY[str(self.file)] = (signature, self.entries)

    def get(self, key: str) -> Prepared | None:
        entry = self.entries.get(key)
        return entry if isinstance(entry, Prepared) else None

    def put(self, key: str, prepared: Prepared) -> None:
        self.entries[key] = prepared
        self.dirty = True

    def keep_only(self, keys: set[str]) -> None:
        """Forget posts that no longer exist in this form (edited or deleted)."""
        gone = [k for k in self.entries if k not in keys]
        for key in gone:
            del self.entries[key]
        self.dirty = self.dirty or bool(gone)

    def save(self) -> None:
        if not self.dirty:
            return
        try:
            replace_file(
                self.file,
                lambda handle: pickle.dump(self.entries, handle, protocol=pickle.HIGHEST_PROTOCOL),
                PAGE_CACHE.format("*"),
            )
        except OSError:
            return  # a cache we cannot write only costs the next build its time
        signature = _signature(self.file)
        if signature is not None:
            _IN_MEMORY.clear()
            _IN_MEMORY[str(self.file)] = (signature, self.entries)


_IN_MEMORY: dict[str, tuple[tuple, dict]] = {}
"""The cache file a warm process (the live-reload server) last read or wrote, with its
entries: the next build takes them from memory instead of unpickling 5,000 posts again,
as long as the file on disk is still the one they came from (same inode, size, mtime)."""


def _signature(file: Path) -> tuple | None:
    try:
        info = os.stat(file)
    except OSError:
        return None
    return (info.st_ino, info.st_size, info.st_mtime_ns)


def prepare_all(
    paths: list[str],
    job: Job,
    cache: Path | None,
    workers: int = 1,
    least: int = 200,
    complete: bool = True,
) -> dict[str, Prepared]:
    """Every path's Prepared: from the cache where its bytes and inputs are unchanged,
    else made now, in parallel. The findings half is looked up in the lint's cache.
    `complete`: these are all the site's posts, so the cache may forget the others (a
    preview prepares one post and must leave the rest of the cache alone)."""
    # the lint's keys; by stat (the lint context's file memo, stat'ed afresh) for files
    # read before, as the lint CLI finds them
    memo = job.lint_context.memo if job.lint_context is not None else None
    if memo is not None:
        memo.refresh()
    keys = [post_key(shown_path(path), Path(path), memo) for path in paths]
    pages = lints = None
    page_fp = None
    if cache is not None:
        page_fp = page_fingerprint(job)
        pages = PageCache(cache, page_fp)
        if job.guidelines is not None:
            ctx = job.lint_context
            fp = fingerprint(job.guidelines.path, ctx)
            lints = LintCache(cache, fp)
    results: dict[str, Prepared] = {}
    todo = []
    for path, key in zip(paths, keys, strict=True):
        hit = pages.get(key) if pages is not None and key else None
        if hit is not None and job.guidelines is not None:
            entry = lints.get(key) if lints is not None else None
            hit = Prepared(**{**vars(hit), "lint": entry}) if entry is not None else None
        if hit is None:
            todo.append(path)
        else:
            results[path] = hit
    for path, prepared in zip(todo, _run(todo, job, workers, least), strict=True):
        results[path] = prepared
    if page_fp is not None:
        for path, key in zip(paths, keys, strict=True):
            if key is not None:
                results[path].source = f"{page_fp}:{key}"
    if pages is not None:
        by_path = dict(zip(paths, keys, strict=True))
        for path in todo:
            key = by_path[path]
            if key is None:
                continue
            prepared = results[path]
            pages.put(key, Prepared(**{**vars(prepared), "lint": None, "source": None}))
            if lints is not None and prepared.lint is not None:
                lints.put(key, prepared.lint)
        if complete:
            pages.keep_only({k for k in keys if k})
        pages.save()
        if lints is not None:
            lints.save()
    return results


def prepare_posts(generator) -> None:
    """article_generator_init: prepare every post Pelican is about to read."""
    settings = generator.settings
    run = run_of(settings)
    if run.directory is None:
        return  # the people plugin is not in this build: the reader has nothing to check against
    found = generator.get_files(settings["ARTICLE_PATHS"], exclude=settings["ARTICLE_EXCLUDES"])
    paths = [os.path.abspath(os.path.join(generator.path, f)) for f in found]
    job = make_job(settings, run.directory, run.guidelines)  # the gate, even off, counts them
    least = chorus_settings(settings).CHORUS_PARALLEL_MIN
    run.job = job
    run.prepared.update(prepare_all(paths, job, cache_dir(), workers_for(settings), least))
    reuse_read_posts(generator, run.prepared)
