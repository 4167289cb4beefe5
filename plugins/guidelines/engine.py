"""The lint: posts + guidelines + people + approvals → LintReport. No Pelican here, so the
CLI, the build gate, the preview and the tests all call the same two functions.

Speed (target: 5,000 posts in 2 s on 2 cores) comes from doing each thing once: the
guidelines are compiled once per load (config.py), each post is parsed once and the parse
is shared by every rule (prose.py), large runs are split over a process pool, and with a
cache folder a post whose bytes and inputs have not changed is not linted again (cache.py).
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

from core.cache import memo_file
from core.filememo import FileMemo
from core.paths import shown_paths
from core.pool import forked_map
from core.settings import ChorusSettings
from plugins.guidelines.cache import Entry, LintCache, fingerprint, post_key
from plugins.guidelines.config import load_guidelines
from plugins.guidelines.kinds import KINDS, Context
from plugins.guidelines.model import Finding, Guidelines, GuidelinesError, LintReport, Switch
from plugins.guidelines.post import Post, department_from_path, load_post, shown_path
from plugins.guidelines.switches import read_switches, silenced
from plugins.people.directory import load_directory
from plugins.posts.check import check_file, is_page
from plugins.posts.slugs import duplicate_slugs
from plugins.posts.source import POSTS_FOLDER, post_slugs
from plugins.problems import ContentError

PARALLEL_MIN = 300  # below this, starting workers costs more than it saves
# What the build itself refuses (plugins/posts/check.py: the one front-matter schema, the
# people directory, unique slugs) is reported by the lint as `lint.post` errors, at the line
# the build names: a post that lints clean builds.
BUILD_RULE = "lint.post"
READ_SECTION = ("lint", "What the build needs")
# A rule that raises on a post is a bug in Chorus, not in the post, but it must not switch
# the gate off for everyone: it becomes one error on that post and the run goes on.
INTERNAL_RULE = "lint.internal"
SETTINGS_FILE = Path(__file__).resolve().parents[2] / "pelicanconf.py"


@functools.cache
def site_settings(content_root: str) -> dict:
    """The build's Pelican settings for this content folder. Only pages need them (the
    sections a page may not be named after), so a lint of posts never loads Pelican."""
    from core.settings import load_settings

    return load_settings(SETTINGS_FILE, {"PATH": os.path.abspath(content_root)})


def build_finding(error: ContentError, shown: str | None = None) -> Finding:
    """A problem the build reports, as a lint finding at the same line."""
    path = shown or shown_path(error.path)
    return Finding(path, error.line or 1, 1, BUILD_RULE, "error", error.message, *READ_SECTION)


def make_context(
    content_root: Path,
    approvals_dir: Path | None,
    guidelines: Guidelines,
    settings: ChorusSettings | None = None,
    directory=None,
    memo: FileMemo | None = None,
) -> Context:
    """Load what every post is checked against, once per run; approvers named by the
    guidelines must exist in the people directory (a guidelines error: exit 2). The build
    passes its settings (PEOPLE_PATH, DEPARTMENTS_FILE) and the directory it loaded with
    them; the lint CLI, which runs without Pelican, the declared defaults. `memo`: the
    run's file memo (core/filememo.py), which the caller saves; without one, the context
    opens its own."""
    content_root = Path(content_root)
    settings = settings or ChorusSettings()
    if directory is None:
        directory = load_directory(content_root, settings.PEOPLE_PATH, settings.DEPARTMENTS_FILE)
    for rule in guidelines.rules:
        if rule.kind == "approval" and directory.people:
            for handle in rule.compiled[0]:
                if handle not in directory.people:
                    raise GuidelinesError(
                        guidelines.path,
                        rule.line,
                        f"rule '{rule.id}': approver '{handle}' has no file "
                        f"content/people/{handle}.yaml",
                    )
    if memo is None:  # kept on the context: the cache's fingerprint stats the same files
        memo = FileMemo(memo_file())
        slugs = post_slugs(content_root, memo)
        memo.save()
    else:
        slugs = post_slugs(content_root, memo)
    return Context(
        content_root=content_root,
        directory=directory,
        targets=site_targets(content_root, directory, slugs),
        slugs=slugs,
        memo=memo,
        approvals_dir=Path(approvals_dir) if approvals_dir else content_root / "approvals",
        guidelines_version=guidelines.version,
        repo_root=Path.cwd(),
        people_dir=content_root / settings.PEOPLE_PATH,
        departments_file=content_root / settings.DEPARTMENTS_FILE,
    )


def site_targets(content_root: Path, directory=None, slugs: dict | None = None) -> set[str]:
    """Every place an internal link may lead: source paths for {filename} links and site
    paths for /posts/<slug>/-style links. The slug is the file name (SLUGIFY_SOURCE) or
    the post's `slug:` (`slugs`: post_slugs() of this content folder, when the caller has
    it).
    os.walk with strings, not Path.rglob: the preview pays this for every post of the site."""
    targets: set[str] = {"/", "/people/", "/departments/"}
    root = str(content_root)
    if slugs is None:
        slugs = post_slugs(content_root)
    inside = len(os.path.abspath(root).rstrip(os.sep)) + 1
    add = targets.add
    for path, slug in slugs.items():  # every post file, from the walk post_slugs made
        rel = path[inside:]
        add(rel if os.sep == "/" else rel.replace(os.sep, "/"))
        add(f"/posts/{rel.rpartition(os.sep)[2][:-3]}/")
        if slug:
            add(f"/posts/{slug}/")
    for dirpath, _dirs, files in os.walk(os.path.join(root, "pages")):
        rel = os.path.relpath(dirpath, root).replace(os.sep, "/")
        for name in files:
            if name.endswith(".md"):
                targets.add(f"{rel}/{name}")
                targets.add(f"/{name[:-3]}/")
    if directory is not None:
        targets.update(f"/people/{handle}/" for handle in directory.people)
        targets.update(f"/departments/{slug}/" for slug in directory.departments)
    return targets


def lint_post(
    post: Post, guidelines: Guidelines, ctx: Context
) -> tuple[list[Finding], list[Switch]]:
    """All findings for one post that are not switched off, and the switches in effect."""
    regions, switches, findings = read_switches(post, guidelines)
    for rule in guidelines.rules:
        try:
            if not rule.applies.matches(post):
                continue
            found = list(KINDS[rule.kind].check(rule, post, ctx))
        except Exception as exc:  # one post's crash must not stop the gate
            findings.append(internal_finding(post.path, exc, rule.id))
            continue
        findings.extend(f for f in found if not (rule.switchable and silenced(f, regions)))
    return findings, switches


def internal_finding(path: str, exc: BaseException, rule_id: str | None = None) -> Finding:
    """An exception inside the lint, as an error on the post it happened on."""
    what = f"rule {rule_id} failed on this post" if rule_id else "the lint failed on this post"
    detail = " ".join(f"{type(exc).__name__}: {exc}".split())[:300]
    message = f"internal: {what}: {detail} (a bug in Chorus: please report it to IT)"
    return Finding(path, 1, 1, INTERNAL_RULE, "error", message, *READ_SECTION)


def _content_parts(path: Path, content_root: Path) -> tuple[str, ...] | None:
    try:
        return Path(os.path.relpath(path, content_root)).parts
    except ValueError:
        return None


def schema_problems(post: Post, path: Path, ctx: Context) -> tuple[list[ContentError], bool]:
    """(what the build's reader would refuse in this file, whether it is a page)."""
    rel = _content_parts(path, ctx.content_root)
    if not rel or rel[0] == os.pardir:  # a file outside content/: a post, by its folders
        department = department_from_path(path, {})
        rel = (POSTS_FOLDER, department, path.name) if department else (path.name,)
    settings = {"PAGE_PATHS": ()}
    if rel[0] != POSTS_FOLDER:
        settings = site_settings(str(ctx.content_root))
    return check_file(post, rel, ctx.directory, settings), is_page(rel, settings)


def lint_path(path: Path, guidelines: Guidelines, ctx: Context) -> Entry:
    """One post (or page) file → (findings, switches, status); status None when it cannot be
    read. Pages get only the build's checks: the guidelines are about posts."""
    shown = shown_path(path)
    try:
        return _lint_path(path, shown, guidelines, ctx)
    except Exception as exc:  # reading or the build's checks crashed
        return [internal_finding(shown, exc)], [], None


def _lint_path(path: Path, shown: str, guidelines: Guidelines, ctx: Context) -> Entry:
    try:
        post = load_post(path, shown)
    except ContentError as exc:
        return [build_finding(exc, shown)], [], None
    problems, page = schema_problems(post, path, ctx)
    built = [build_finding(error, shown) for error in problems]
    if page:
        return built, [], None
    found, switched = lint_post(post, guidelines, ctx)
    return built + found, switched, post.status


def site_findings(paths: list[str] | list[Path], ctx: Context) -> list[Finding]:
    """What the build refuses beyond single files: a broken people or departments file, and
    a slug that two posts share (reported when either of them is linted). Each post's
    slug is its `slug:` or its file name, as the build sees it (plugins/posts/source.py,
    which remembers the overrides: a warm lint only stats the files)."""
    findings = [build_finding(error) for error in ctx.directory.errors] if ctx.directory else []
    root = os.path.abspath(ctx.content_root)
    slugs = ctx.slugs if ctx.slugs is not None else post_slugs(root)
    posts = [(slug or os.path.splitext(os.path.basename(p))[0], p) for p, slug in slugs.items()]
    if len({slug for slug, _ in posts}) == len(posts):
        return findings  # every slug once (the common case): nothing for duplicate_slugs
    by_path = dict((p, s) for s, p in posts)
    errors = duplicate_slugs(posts, root)
    linted = {os.path.abspath(p) for p in paths} if errors else set()
    for error in errors:
        slug = by_path[error.path]
        if any(p in linted for s, p in posts if s == slug):
            findings.append(build_finding(error))
    return findings


def _run(paths: list[Path], guidelines: Guidelines, ctx: Context, workers: int | None):
    least = 2  # the caller chose the number of workers
    if workers is None:
        workers, least = os.cpu_count() or 1, PARALLEL_MIN
    if paths:  # the Markdown engine and the rules are made only when a post is linted:
        from plugins.posts.markdown import default  # here, before the fork, so every

        default()  # worker inherits them
        for rule in guidelines.rules:
            rule.compiled  # noqa: B018  (prepares a rule config.py deferred)
    return forked_map(_lint_one, paths, (guidelines, ctx), workers, least)


def _lint_one(path: Path, shared: tuple[Guidelines, Context]) -> Entry:
    return lint_path(path, *shared)


def lint_files(
    paths: list[Path],
    guidelines: Guidelines,
    *,
    content_root: Path,
    approvals_dir: Path | None = None,
    workers: int | None = None,
    cache: Path | None = None,
    site_checks: bool = True,
    memo: FileMemo | None = None,
) -> LintReport:
    """Lint the given post files. `workers`: processes to use (default: all cores for a
    large run, one for a small one). `cache`: a folder for per-post results (cache.py);
    posts whose bytes and inputs are unchanged since the last run are not linted again.
    `site_checks`: also report the build's problems beyond single posts (people and
    departments files, shared slugs); the build's own gate turns them off, the build
    reports those itself. `memo`: the run's file memo, if the caller opened one already
    (core/filememo.py; saved here)."""
    if memo is None:
        memo = FileMemo(memo_file())  # each file stat'ed once per run, read only when it changed
    ctx = make_context(content_root, approvals_dir, guidelines, memo=memo)
    # Once per post, as strings: at 5,000 posts each pass of abspath or Path() is 15 ms.
    cwd = os.getcwd()  # abspath() would ask the system once per post
    absolute = [os.path.normpath(os.path.join(cwd, p)) for p in paths]
    shown = shown_paths(absolute)
    entries: list[Entry | None] = [None] * len(paths)
    store, keys = None, [None] * len(paths)
    if cache is not None:
        fp = fingerprint(guidelines.path, ctx, memo)
        store = LintCache(cache, fp)
        keys = [post_key(name, p, memo) for name, p in zip(shown, absolute, strict=True)]
        entries = [store.get(key) for key in keys]
    todo = [i for i, entry in enumerate(entries) if entry is None]
    linted = _run([Path(paths[i]) for i in todo], guidelines, ctx, workers)
    for i, entry in zip(todo, linted, strict=True):
        entries[i] = entry
        if store is not None:
            store.put(keys[i], entry)
    if store is not None:
        store.save()
    memo.save()
    report = assemble(shown, entries, guidelines.version)
    if site_checks:
        report.findings.extend(site_findings(absolute, ctx))
        report.findings.sort(key=lambda f: (f.path, f.line, f.column, f.rule_id))
    return report


def assemble(shown: list[str], entries: list[Entry], guidelines_version) -> LintReport:
    """One report from each post's (findings, switches, status), in a stable order."""
    report = LintReport(files=len(shown), guidelines_version=guidelines_version)
    for name, (findings, switches, status) in zip(shown, entries, strict=True):
        report.findings.extend(findings)
        report.switches.extend(switches)
        if status is not None:
            report.statuses[name] = status
    report.findings.sort(key=lambda f: (f.path, f.line, f.column, f.rule_id))
    report.switches.sort(key=lambda s: (s.path, s.line, s.rule_id))
    return report


def post_paths(content_root: Path) -> list[Path]:
    return sorted((Path(content_root) / "posts").rglob("*.md"))


def lint_site(
    content_root: Path = Path("content"), guidelines_path: Path | None = None
) -> LintReport:
    """Every post under content_root/posts against content_root/guidelines.yaml (or the
    given file). Raises GuidelinesError for a broken guidelines file."""
    content_root = Path(content_root)
    default = content_root / ChorusSettings().GUIDELINES_FILE
    guidelines = load_guidelines(guidelines_path or default)
    return lint_files(post_paths(content_root), guidelines, content_root=content_root)
