"""The development server behind `make serve` / `invoke livereload`: build, serve, and on
every edit rebuild and reload the open pages.

The livereload package would inject an inline <script> into every page, which the site's
own Content-Security-Policy (`script-src 'self'`) refuses, so the page never reloaded. Here
the page gets `<script src="/livereload.js">` instead: the package's own client, served by
the same server, so the one policy of the site holds in development too (its WebSocket is
same-origin, which `default-src 'self'` allows). Nothing of this is in the built files: a
site served by `invoke serve` or deployed has no reload client at all. An edit is seen when
the file system reports it (chorus/watch.py), not at livereload's next 0.8 s poll.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from livereload import Server
from livereload.handlers import ForceReloadHandler, LiveReloadHandler, LiveReloadJSHandler
from livereload.server import LiveScriptInjector
from tornado import web

from chorus.build import ROOT
from chorus.build import main as build_main
from chorus.watch import EventWatcher

CLIENT_TAG = b'<script src="/livereload.js"></script>'
"""livereload.js reads the server's host and port from its own src, so no inline code."""


class _InjectClient(LiveScriptInjector):
    script = CLIENT_TAG


class SameOriginServer(Server):
    """livereload's Server with the reload client as a same-origin file, not inline code."""

    def application(self, port, host, liveport=None, debug=None, live_css=True) -> None:
        if liveport:
            raise ValueError("a separate live-reload port is not supported: one origin")
        LiveReloadHandler.watcher = self.watcher
        LiveReloadHandler.live_css = live_css
        handlers = [
            (r"/livereload", LiveReloadHandler),
            (r"/forcereload", ForceReloadHandler),
            (r"/livereload.js", LiveReloadJSHandler),
            *self.get_web_handlers(CLIENT_TAG),
        ]
        app = web.Application(handlers=handlers, debug=bool(debug), transforms=[_InjectClient])
        app.listen(port, address=host)


def address(host: str, port: int) -> str:
    """The address printed and built for: the one the server really listens on."""
    return f"http://{host}:{port}"


def run(
    settings: Path,
    host: str = "127.0.0.1",
    port: int = 8000,
    content: Path | None = None,
    output: Path | None = None,
) -> int:
    """Build once, then serve `output` and rebuild + reload on every change of the content,
    the theme, the plugins or the settings. Returns 1 if the first build fails."""
    from chorus.build import load_settings

    loaded = load_settings(settings)
    content = Path(content or ROOT / loaded["PATH"]).resolve()
    output = Path(output or ROOT / loaded["OUTPUT_PATH"]).resolve()
    siteurl = address(host, port)
    argv = ["--settings", str(settings), "--siteurl", siteurl]
    argv += ["--content", str(content), "--output", str(output)]
    if build_main(argv):
        return 1

    def rebuild() -> None:
        # A failed build prints its problems and keeps the last site: nothing to reload.
        # On success, reload here: livereload itself drops a change that comes within 3 s
        # of its start or of the last reload (a second quick save would never show). "*":
        # the whole page, as the file it would name is any one it saw, maybe a stylesheet.
        if build_main(argv) == 0:
            LiveReloadHandler.reload_waiters("*")

    server = SameOriginServer(watcher=EventWatcher())  # woken by the OS, not a 0.8 s poll
    for pattern in (f"{content}/**/*", f"{ROOT}/themes/**/*", f"{ROOT}/plugins/**/*.py"):
        server.watch(pattern, rebuild)
    server.watch(str(Path(settings).resolve()), rebuild)
    print(f"Serving {output}/ on {siteurl}/ — it rebuilds and reloads on every edit (Ctrl-C: stop)")
    sys.stdout.flush()
    server.serve(host=host, port=port, root=str(output))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m chorus.devserver", description=__doc__)
    parser.add_argument("--settings", type=Path, default=ROOT / "pelicanconf.py")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--content", type=Path, help="content folder (default: the settings')")
    parser.add_argument("--output", type=Path, help="output folder (default: the settings')")
    args = parser.parse_args(argv)
    return run(args.settings, args.host, args.port, args.content, args.output)


if __name__ == "__main__":
    sys.exit(main())
