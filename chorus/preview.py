"""`invoke preview POST` (`python -m chorus.preview POST`): one post, rendered by the theme
exactly as the site will show it, with its guideline findings beside it — in well under a
second, whatever the site's size.

Why in chorus/, the app: it puts together a build's parts (the pipeline, the people, the
guidelines, the theme) for one post; plugins/ never imports it.

Why not build the site: a build reads and renders every post (seconds to minutes); an author
fixing a sentence wants to see that one post. So this reuses the parts of a build that
concern one post and nothing else: Pelican's own reader pipeline (Readers.read_file with the
Chorus reader: same front-matter checks, same Markdown settings), the Chorus per-post work
(sanitize, entry id, author and department from the people directory, social metadata),
and the theme's Jinja environment as Pelican builds it (filters, JINJA_GLOBALS). Links to
other posts and static files are resolved from the file system instead of a site index.

The page is written to .preview/<slug>.html (the theme's static files and content images
are linked beside it, so it works from file:// and from `--serve`), with the Guidelines page
next to it so a finding's link opens the rule.

Panels: other packages add boxes beside the post ("how this post will look on
Mastodon, Bluesky…"). List "module:function" in the setting PREVIEW_PANELS; each function
gets (article, settings) and returns Panel objects. A provider that fails shows its error
in its panel instead of breaking the preview.
"""

from __future__ import annotations

import argparse
import dataclasses
import functools
import gc
import importlib
import os
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING

from core.collector import run_command
from core.paths import shown_path
from core.settings import chorus_settings
from core.site import public_siteurl
from plugins.guidelines.cli import common_options, guarded
from plugins.posts.source import run_memo
from plugins.run import run_of

if TYPE_CHECKING:
    import http.server

ROOT = Path(__file__).resolve().parents[1]
PREVIEW_DIR = Path(".preview")


@dataclass
class Panel:
    """One box beside the previewed post. `html` is inserted as is: the provider escapes."""

    title: str
    html: str
    kind: str = "custom"  # CSS hook: preview-panel-<kind>, e.g. "mastodon"


PanelProvider = Callable[[object, dict], Iterable[Panel]]


@dataclass
class Preview:
    path: Path  # the HTML file written
    slug: str
    findings: list = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # the post cannot be read/built


def panel_providers(settings: dict) -> list[tuple[str, PanelProvider]]:
    providers = []
    for spec in chorus_settings(settings).PREVIEW_PANELS:
        module, _, name = str(spec).partition(":")
        try:
            providers.append((spec, getattr(importlib.import_module(module), name)))
        except (ImportError, AttributeError) as exc:
            providers.append((spec, _failed(f"cannot load {spec}: {exc}")))
    return providers


def _failed(message: str) -> PanelProvider:
    def provider(_article, _settings):
        return [Panel("Preview panel unavailable", f"<p>{escape(message)}</p>", "error")]

    return provider


def collect_panels(article, settings: dict) -> list[Panel]:
    panels: list[Panel] = []
    for spec, provider in panel_providers(settings):
        try:
            panels.extend(provider(article, settings))
        except Exception as exc:  # one broken provider must not hide the post
            message = f"{spec} failed: {type(exc).__name__}: {exc}"
            panels.append(Panel("Preview panel failed", f"<p>{escape(message)}</p>", "error"))
    return panels


class _OnDisk:
    """Stands in for a build's index of content (`{static}`/`{filename}` link targets):
    a file that exists gets the URL the build would give it."""

    def __init__(self, settings: dict, kind: str):
        self.root, self.settings, self.kind = Path(settings["PATH"]), settings, kind

    def get(self, path: str, default=None):
        target = self.root / path
        if not target.is_file():
            return default
        parts = Path(path).parts
        if self.kind == "generated_content" and target.suffix in (".md", ".markdown"):
            slug = target.stem
            pattern = (
                "PAGE_URL" if parts and parts[0] in self.settings["PAGE_PATHS"] else "ARTICLE_URL"
            )
            url = self.settings[pattern].format(slug=slug)
        else:
            url = Path(path).as_posix()
        return SimpleNamespace(url=url, attach_to=lambda _content: None)


def _pages(settings: dict) -> list[SimpleNamespace]:
    """The menu's pages from their front matter only (no Markdown): the nav looks right."""
    from plugins.posts.frontmatter import read_post

    pages = []
    for folder in settings["PAGE_PATHS"]:
        for path in sorted((Path(settings["PATH"]) / folder).glob("*.md")):
            try:
                post = read_post(path)
            except Exception:
                continue
            slug = post.meta.get("slug") or path.stem
            url = settings["PAGE_URL"].format(slug=slug)
            save_as = settings["PAGE_SAVE_AS"].format(slug=slug)
            pages.append(
                SimpleNamespace(title=post.meta.get("title", slug), url=url, save_as=save_as)
            )
    return pages


def _link(target: Path, source: Path) -> None:
    if target.is_symlink() or target.exists() or not source.exists():
        return
    try:
        target.symlink_to(source.resolve(), target_is_directory=True)
    except OSError:  # no symlinks here (some file systems): copy instead
        import shutil

        shutil.copytree(source, target, dirs_exist_ok=True)


def render_preview(
    post_path: str | Path,
    *,
    settings_file: str | Path | None = None,
    overrides: dict | None = None,
    out: str | Path | None = None,
) -> Preview:
    """Render one post into an HTML file; see the module doc for what is reused."""
    from pelican.contents import Article
    from pelican.generators import Generator
    from pelican.readers import Readers

    from core.cache import cache_dir
    from core.settings import load_settings
    from plugins.guidelines.engine import site_findings
    from plugins.guidelines.hook import load as load_guidelines_into
    from plugins.guidelines.marks import mark_findings
    from plugins.guidelines.page import cached_view
    from plugins.guidelines.report import counts
    from plugins.people.pages import load as load_people
    from plugins.pipeline import make_job, prepare_all
    from plugins.posts.reader import ChorusReader
    from plugins.posts.slugs import set_entry_id
    from plugins.problems import ContentError, location
    from plugins.sanitize.hook import sanitize_content
    from plugins.social.hook import attach_social
    from plugins.writer import use_template_cache

    shown_from = os.getcwd()
    post_path = Path(post_path).resolve()
    settings_file = Path(settings_file or ROOT / "pelicanconf.py").resolve()
    # Any post previews, whoever it is for and whatever its status: the preview is local.
    overrides = {
        "SITEURL": ".",
        "RELATIVE_URLS": False,
        "CHORUS_AUDIENCE": "internal",
        "CHORUS_DRAFTS": True,
        **(overrides or {}),
    }
    out_dir_hint = Path(out).resolve().parent if out else (Path(shown_from) / PREVIEW_DIR)
    os.chdir(settings_file.parent)  # settings paths are relative to the settings file
    try:
        settings = load_settings(settings_file, overrides)
        run_of(settings).problems = []
        use_template_cache(settings)  # compiled templates kept between previews
        site = SimpleNamespace(settings=settings)
        load_people(site, photos=False)  # the preview writes no card
        load_guidelines_into(site)
        run_of(settings).problems = []  # people/guidelines problems are the build's concern
        content_root = Path(settings["PATH"]).resolve()
        context = dict(settings)
        context.update(
            localsiteurl=settings["SITEURL"],
            static_content=_OnDisk(settings, "static_content"),
            generated_content=_OnDisk(settings, "generated_content"),
        )
        readers = Readers(settings)
        reader = ChorusReader(settings)  # one: each sets up its own Markdown (10 ms)
        for ext in ChorusReader.file_extensions:
            readers.readers[ext] = reader
        # The post through the build's own pipeline (plugins/pipeline.py), from its cache
        # when the last build or lint saw these bytes: the reader below takes it from there.
        run = run_of(settings)
        run.job = make_job(settings, run.directory, run.guidelines)
        run.prepared.update(prepare_all([str(post_path)], run.job, cache_dir(), complete=False))
        slug = post_path.stem
        try:
            article = readers.read_file(
                str(content_root),
                os.path.relpath(post_path, content_root),
                content_class=Article,
                context=context,
            )
        except ContentError:
            problems = [e.format(shown_from) for e in run_of(settings).problems]
            return Preview(Path(), slug, [], problems or ["the post could not be read"])
        slug = article.slug
        sanitize_content(article)
        set_entry_id(article)
        directory = run_of(settings).directory
        article.person = directory.people.get(str(article.author))
        article.department = directory.departments.get(article.category.slug)
        fake = SimpleNamespace(
            settings=settings, articles=[article], translations=[], drafts=[], context={}
        )
        attach_social(fake)
        guidelines = run.guidelines
        findings = []
        lint = run.prepared[str(post_path)].lint
        if guidelines is not None and lint is not None:
            found = [*lint[0], *site_findings([post_path], run.job.lint_context)]
            shown = shown_path(post_path, shown_from)  # as the author would type it
            findings = sorted(
                dataclasses.replace(f, path=shown) if f.path == str(post_path) else f for f in found
            )
        source = post_path.read_text(encoding="utf-8", errors="replace").replace("\r\n", "\n")
        body_line = int(getattr(article, "source_line", 1) or 1)
        marked = mark_findings(article._content or "", findings, source, body_line)
        article._content = marked.html
        generator = Generator(
            context, settings, settings["PATH"], settings["THEME"], str(out_dir_hint)
        )
        target = Path(out).resolve() if out else out_dir_hint / f"{slug}.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        page = dict(context)
        page.update(fake.context)
        page.update(
            GUIDELINES_URL="guidelines/index.html" if guidelines is not None else "",
            pages=_pages(settings),
            article=article,
            category=article.category,
            output_file=f"{slug}.html",
            page_name=slug,
            findings=findings,
            preview_panels=collect_panels(article, settings),
            preview={
                "source": location(str(post_path), None, shown_from),
                "counts": counts(findings),
                "marks": marked.ids,
                "body_line": body_line,
            },
        )
        html = generator.get_template("preview").render(page)
        target.write_text(html, encoding="utf-8")
        _link(
            target.parent / settings.get("THEME_STATIC_DIR", "theme"),
            Path(settings["THEME"]) / "static",
        )
        for static in settings.get("STATIC_PATHS", []):
            _link(target.parent / static, content_root / static)
        if guidelines is not None:
            guide = target.parent / "guidelines" / "index.html"
            guide.parent.mkdir(exist_ok=True)
            url = chorus_settings(settings).GUIDELINES_URL
            extra = {"SITEURL": "..", "localsiteurl": "..", "GUIDELINES_URL": url}
            memo = run_memo(settings)
            view = cached_view(guidelines, True, cache_dir(), memo)
            memo.save()  # the digests cached_view() learnt
            guide.write_text(
                generator.get_template("guidelines").render(
                    {
                        **context,
                        **fake.context,
                        **extra,
                        "pages": [],
                        "output_file": "guidelines/index.html",
                        "guidelines": view,
                    }
                ),
                encoding="utf-8",
            )
        return Preview(target, slug, findings)
    finally:
        os.chdir(shown_from)


def serve(directory: Path, port: int) -> http.server.ThreadingHTTPServer:
    """A local server for the preview folder (port 0: any free port); the caller runs
    serve_forever() and shutdown(). (http.server is imported here: only --serve needs it.)"""
    import http.server

    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(directory))
    handler.log_message = lambda *_args: None  # type: ignore[attr-defined]
    return http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)


def preview_main(args) -> int:
    """The `preview` command: exit 1 when the post has errors (like lint), 2 when it cannot
    be rendered at all."""
    from rich.console import Console

    from plugins.guidelines.model import LintReport
    from plugins.guidelines.report.human import print_report

    if not Path(args.post).is_file():
        print(f"error: {args.post}: no such post", file=sys.stderr)
        return 2
    overrides = {"PATH": os.path.abspath(args.content)}
    if args.guidelines:
        overrides["GUIDELINES_FILE"] = os.path.abspath(args.guidelines)
    result = render_preview(
        args.post, settings_file=args.settings, overrides=overrides, out=args.out
    )
    if result.problems:
        for line in result.problems:
            print(line, file=sys.stderr)
        return 2

    report = LintReport(findings=result.findings, files=1)
    print_report(report, Console(highlight=False), siteurl=public_siteurl(), root=Path.cwd())
    print(f"Preview written to {os.path.relpath(result.path)}")
    if args.serve:
        import contextlib

        gc.enable()  # this process goes on serving: collect again (core/collector.py)
        server = serve(result.path.parent, args.port)
        port = server.server_address[1]
        print(f"Serving it at http://localhost:{port}/{result.path.name} — Ctrl-C to stop")
        with contextlib.suppress(KeyboardInterrupt):
            server.serve_forever()
        server.server_close()
    return 1 if any(f.level == "error" for f in result.findings) else 0


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="python -m chorus.preview", description="Render one post with its findings."
    )
    top.add_argument("post", help="the post file")
    top.add_argument("--out", help="HTML file to write (.preview/<slug>.html)")
    top.add_argument("--settings", help="Pelican settings (pelicanconf.py)")
    top.add_argument("--serve", action="store_true", help="serve it on localhost")
    top.add_argument("--port", type=int, default=8001, help="port for --serve (8001)")
    top.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    common_options(top)
    top.set_defaults(run=preview_main)
    return top


def main(argv: list[str] | None = None) -> int:
    """Exit codes as the lint's (plugins/guidelines/cli.py), which also guards this run."""
    return guarded(parser().parse_args(argv))


if __name__ == "__main__":
    run_command(main)
