"""Everyday commands (invoke), after Pelican's quickstart: build, clean, serve, livereload,
publish, plus Chorus' own: new, test, bench. `make` only bootstraps the venv and calls these.
"""

from __future__ import annotations

import contextlib
import shutil
import sys
from pathlib import Path

from invoke import task

ROOT = Path(__file__).resolve().parent
SETTINGS = ROOT / "pelicanconf.py"
PUBLISH_SETTINGS = ROOT / "publishconf.py"
OUTPUT = ROOT / "output"
PORT = 8000


def _build(settings: Path, debug: bool = False, siteurl: str | None = None) -> None:
    from chorus.build import main

    argv = ["--settings", str(settings)] + (["--debug"] if debug else [])
    if siteurl:
        argv += ["--siteurl", siteurl]
    code = main(argv)
    if code:
        sys.exit(code)


@task
def clean(c):
    """Remove the generated site."""
    shutil.rmtree(OUTPUT, ignore_errors=True)


@task(help={"debug": "show a traceback if the build itself breaks"})
def build(c, debug=False):
    """Build the site into output/ with the development settings (all or nothing)."""
    _build(SETTINGS, debug)
    print(
        f"Built {OUTPUT}/ — look at it with `make serve` (or `invoke serve`): http://localhost:{PORT}/"
    )


@task(help={"port": f"port to serve on (default {PORT})"})
def serve(c, port=PORT):
    """Serve output/ on http://localhost:PORT (no rebuild)."""
    import functools
    import http.server

    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(OUTPUT))
    with http.server.ThreadingHTTPServer(("127.0.0.1", int(port)), handler) as server:
        print(f"Serving {OUTPUT}/ at http://localhost:{port}/ — Ctrl-C to stop")
        with contextlib.suppress(KeyboardInterrupt):
            server.serve_forever()


@task(help={"port": f"port to serve on (default {PORT})"})
def livereload(c, port=PORT):
    """Build, serve on http://localhost:PORT and rebuild + reload the browser on every edit."""
    from livereload import Server

    siteurl = f"http://localhost:{port}"
    _build(SETTINGS, siteurl=siteurl)

    def rebuild():
        from chorus.build import main

        main(["--settings", str(SETTINGS), "--siteurl", siteurl])

    server = Server()
    for pattern in ("content/**/*", "themes/**/*", "plugins/**/*.py", "pelicanconf.py"):
        server.watch(pattern, rebuild)
    server.serve(host="127.0.0.1", port=int(port), root=str(OUTPUT))


@task(help={"debug": "show a traceback if the build itself breaks"})
def publish(c, debug=False):
    """Build the public site (publishconf.py) and ping the WebSub hub for every feed."""
    _build(PUBLISH_SETTINGS, debug)
    from chorus.build import load_settings
    from plugins.feeds.websub import ping_hub

    settings = load_settings(PUBLISH_SETTINGS)
    if settings.get("WEBSUB_HUB"):
        for line in ping_hub(settings, OUTPUT):
            print(line)


@task(
    help={
        "title": "the post's title, in quotes",
        "author": "your handle: the name of your file in content/people/ (e.g. maria.lopez)",
        "slug": "file name to use instead of one made from the title (ASCII words)",
        "content": "content folder (default: content/)",
    }
)
def new(c, title, author="", slug="", content=""):
    """Start a draft post: invoke new --author HANDLE "Title" (prints the new file's path)."""
    from chorus.scaffold import CONTENT, cli

    sys.exit(cli(title, author, content or CONTENT, slug or None))


@task(help={"fast": "only the fast unit tests", "k": "pytest -k expression"})
def test(c, fast=False, k=""):
    """Run the tests: unit tests first, then integration and browser tests."""
    args = [sys.executable, "-m", "pytest", "-q"]
    if fast:
        args += ["-m", "not integration and not browser"]
    if k:
        args += ["-k", k]
    c.run(" ".join(args), pty=False)
