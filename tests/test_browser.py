"""The built site in a real browser (Debian's Chromium, driven by Playwright).

The demo content is built with SITEURL = the local server's address and served over HTTP,
so what the browser loads is exactly what a reader would: the stylesheet, avatars, images,
the feed with its XSL stylesheet. The checks are the ones only a browser can make: nothing
is refused by the Content-Security-Policy or fails to load (console errors), no request
leaves our own host, the keyboard reaches the skip link first. Screenshots (desktop and a
375 px phone, light and dark) go to tests/artifacts/browser/ for a human to look at.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.conftest import ROOT, build_site, copy_content

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "tests" / "artifacts" / "browser"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# A post with an image, its author's profile, the home page and the site feed.
PAGES = {
    "home": "/",
    "post": "/posts/what-contractors-tell-us/",
    "profile": "/people/maria.lopez/",
    "department": "/departments/warehouse/",
    "feed": "/feeds/all.atom.xml",
}


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args) -> None:  # the stdlib's signature
        pass


@pytest.fixture(scope="module")
def served_site(tmp_path_factory):
    """(base URL, output dir): the demo site built for and served on a free local port."""
    if not CHROMIUM.exists():
        missing = pytest.fail if os.environ.get("CHORUS_CI") else pytest.skip  # CI: required
        missing("Debian Chromium is not installed (/usr/bin/chromium); .ci/run installs it")
    output = tmp_path_factory.mktemp("browser") / "output"
    output.mkdir()
    handler = functools.partial(_QuietHandler, directory=str(output))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    result = build_site(output, SITEURL=base)
    assert result.ok, "\n".join(result.problems)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield base, output
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def new_page(browser, **context_options):
    """A page in a fresh context that records (problems, requested URLs, WebSocket URLs):
    console errors (a CSP refusal is one), page errors and failed requests are problems."""
    context = browser.new_context(**context_options)
    page = context.new_page()
    problems: list[str] = []
    requests: list[str] = []
    page.on(
        "console",
        lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None,
    )
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url} {r.failure}"))
    page.on("request", lambda r: requests.append(r.url))
    page.on("websocket", lambda ws: requests.append(ws.url))
    return page, problems, requests


def visit(browser, url: str, **context_options):
    """Open `url` in a fresh context; return (page, problems, requested URLs)."""
    page, problems, requests = new_page(browser, **context_options)
    response = page.goto(url, wait_until="load")
    assert response is not None and response.ok, f"{url}: HTTP {response and response.status}"
    # Chromium may never report an XSLT-rendered feed as network-idle
    with contextlib.suppress(PlaywrightTimeout):
        page.wait_for_load_state("networkidle", timeout=5_000)
    return page, problems, requests


@pytest.mark.parametrize("name", list(PAGES))
def test_page_loads_cleanly_from_our_host_only(served_site, browser, name):
    base, _ = served_site
    page, problems, requests = visit(browser, base + PAGES[name])
    try:
        assert problems == []
        assert requests, "the browser made no request at all"
        foreign = [u for u in requests if urlsplit(u).hostname != "127.0.0.1"]
        assert foreign == []
        if name != "feed":
            # the stylesheet really applied (a CSP refusal or a 404 would leave defaults)
            font = page.evaluate("getComputedStyle(document.body).fontFamily")
            assert "system-ui" in font
    finally:
        page.context.close()


@pytest.mark.parametrize("name", ["home", "post", "profile"])
def test_first_tab_reaches_the_skip_link_and_it_works(served_site, browser, name):
    base, _ = served_site
    page, _, _ = visit(browser, base + PAGES[name])
    try:
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "({cls: document.activeElement.className,"
            " href: document.activeElement.getAttribute('href'),"
            " visible: document.activeElement.getBoundingClientRect().top >= 0})"
        )
        assert focused["cls"] == "skip-link"
        assert focused["href"] == "#main"
        assert focused["visible"], "the focused skip link is off screen"
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "main"
    finally:
        page.context.close()


@pytest.mark.parametrize(
    ("label", "options"),
    [
        ("desktop", {"viewport": {"width": 1280, "height": 900}}),
        (
            "mobile",
            {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True},
        ),
        ("desktop-dark", {"viewport": {"width": 1280, "height": 900}, "color_scheme": "dark"}),
    ],
)
def test_screenshots(served_site, browser, label, options):
    """Full-page screenshots for review; the layout must not scroll sideways on a phone."""
    base, _ = served_site
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for name in ("home", "post", "profile", "department", "feed"):
        page, problems, _ = visit(browser, base + PAGES[name], **options)
        try:
            assert problems == []
            if name != "feed":
                overflow = page.evaluate(
                    "document.documentElement.scrollWidth - document.documentElement.clientWidth"
                )
                assert overflow <= 0, f"{name} scrolls sideways by {overflow}px at {label}"
            path = ARTIFACTS / f"{name}-{label}.png"
            page.screenshot(path=str(path), full_page=True)
            assert path.stat().st_size > 0
        finally:
            page.context.close()


def test_signature_shows_its_raster_photo(served_site, browser):
    """What an email client is given: the photo loads from the site's absolute address as a
    PNG twice the size it is shown at; a screenshot goes with the others for review."""
    base, _ = served_site
    page, problems, requests = visit(
        browser, base + "/people/maria.lopez/signature.html", device_scale_factor=2
    )
    try:
        # a signature page has no <link rel=icon> (email clients drop <link>): Chromium's
        # own /favicon.ico request is the one 404 to expect
        assert [p for p in problems if "404" not in p] == []
        assert sum("404" in p for p in problems) <= 1
        assert [u for u in requests if urlsplit(u).hostname != "127.0.0.1"] == []
        assert {urlsplit(u).path for u in requests} <= {
            "/people/maria.lopez/signature.html",
            "/favicon.ico",
            urlsplit(page.evaluate("document.querySelector('img').currentSrc")).path,
        }
        img = page.evaluate(
            "(() => { const i = document.querySelector('img'); return {src: i.currentSrc,"
            " done: i.complete, natural: [i.naturalWidth, i.naturalHeight],"
            " shown: [i.getBoundingClientRect().width, i.getBoundingClientRect().height]}; })()"
        )
        assert img["src"].startswith(base + "/people/maria.lopez/photo-")
        assert img["src"].endswith(".png") and img["done"]
        assert img["natural"] == [192, 192] and img["shown"] == [96, 96]
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "signature-desktop.png"), full_page=True)
    finally:
        page.context.close()


# Every page type a reader meets, at a phone and a desktop width.
LAYOUT_PAGES = {
    "home": "/",
    "post": "/posts/what-contractors-tell-us/",
    "people": "/people/",
    "profile": "/people/maria.lopez/",
    "department": "/departments/warehouse/",
    "listening": "/listening/",
    "metrics": "/metrics/",
    "guidelines": "/guidelines/",
    "feeds": "/feeds/",
}
VIEWPORTS = {
    "390": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
    "1280": {"viewport": {"width": 1280, "height": 800}},
}
# Screenshots for a human to look at; CHORUS_SCREENSHOTS puts them elsewhere (outside git).
SCREENS = Path(os.environ.get("CHORUS_SCREENSHOTS") or ARTIFACTS)


@pytest.mark.parametrize("width", list(VIEWPORTS))
@pytest.mark.parametrize("name", list(LAYOUT_PAGES))
def test_page_fits_the_viewport(served_site, browser, name, width):
    """No sideways scrolling at 390 and 1280 px, and no console error."""
    base, _ = served_site
    page, problems, _ = visit(browser, base + LAYOUT_PAGES[name], **VIEWPORTS[width])
    try:
        assert problems == []
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= int(width), f"{name} is {scroll_width}px wide at {width}px"
        SCREENS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENS / f"{name}-{width}.png"), full_page=True)
    finally:
        page.context.close()


def test_metrics_charts_are_legible_on_a_phone(served_site, browser):
    """Chart text as rendered (font size times the SVG's scale) is at least 11 px at 390."""
    base, _ = served_site
    page, problems, _ = visit(browser, base + LAYOUT_PAGES["metrics"], **VIEWPORTS["390"])
    try:
        sizes = page.evaluate(
            """[...document.querySelectorAll('svg.chart text')].map(t =>
                parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a)"""
        )
        assert sizes and min(sizes) >= 11, f"smallest chart text {min(sizes):.1f}px"
        focusable = page.evaluate(
            "[...document.querySelectorAll('.table-scroll')].every(e => e.tabIndex === 0)"
        )
        assert focusable, "a scrolling table is not reachable by keyboard"
        assert problems == []
    finally:
        page.context.close()


# --- The dev loop: `make serve` (chorus.devserver) on a free port, the way an author uses it


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def dev_server(tmp_path):
    """(port, content dir): chorus.devserver started as a subprocess on a copy of the demo
    content, as `make serve` starts it; stopped by its pid afterwards."""
    if not CHROMIUM.exists():
        missing = pytest.fail if os.environ.get("CHORUS_CI") else pytest.skip
        missing("Debian Chromium is not installed (/usr/bin/chromium); .ci/run installs it")
    content = copy_content(tmp_path)
    port = _free_port()
    log = tmp_path / "devserver.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "chorus.devserver", "--port", str(port),
             "--content", str(content), "--output", str(tmp_path / "output")],
            cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        deadline = time.monotonic() + 120
        while True:
            if server.poll() is not None:
                pytest.fail(f"the dev server exited ({server.returncode}):\n{log.read_text()}")
            with contextlib.suppress(OSError):
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5).close()
                break
            if time.monotonic() > deadline:
                pytest.fail(f"the dev server never answered:\n{log.read_text()}")
            time.sleep(0.2)
        printed = log.read_text()
        assert f"http://127.0.0.1:{port}/" in printed, printed  # it prints what works
        yield port, content
    finally:
        os.kill(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.kill(server.pid, signal.SIGKILL)
            server.wait()


def _styled(page) -> bool:
    return "system-ui" in page.evaluate("getComputedStyle(document.body).fontFamily")


def test_dev_server_reloads_an_open_post_after_an_edit(dev_server, browser):
    """The reload client loads under the site's own CSP, and an edit of the Markdown shows
    up in the open page by itself."""
    port, content = dev_server
    page, problems, requests = new_page(browser)
    try:
        page.goto(f"http://127.0.0.1:{port}{PAGES['post']}", wait_until="load")
        assert _styled(page), "the stylesheet did not apply"
        page.wait_for_function(  # the reload client ran (CSP: not refused) and said hello
            "() => window.LiveReload && window.LiveReload.connector.protocol", timeout=15_000
        )
        assert f"ws://127.0.0.1:{port}/livereload" in requests, requests
        marker = "Edited while the page was open"
        post = content / "posts" / "warehouse" / "what-contractors-tell-us.md"
        post.write_text(post.read_text(encoding="utf-8") + f"\n{marker}.\n", encoding="utf-8")
        # polled in the page until it holds (a function: a string would be eval, which the CSP
        # forbids); the rebuild takes what it takes on a busy machine
        page.wait_for_function(
            f"() => document.body && document.body.innerText.includes({marker!r})", timeout=90_000
        )
        assert _styled(page)

        assert problems == []
    finally:
        page.context.close()


def test_phone_navigation_is_one_row_and_opens_without_script(served_site, browser):
    """Below 640 px the links sit behind a <details> disclosure that names the current
    page; above, they are one visible row. No script either way (the CSP forbids it)."""
    base, _ = served_site
    page, problems, _ = visit(browser, base + "/metrics/", **VIEWPORTS["390"])
    try:
        header = page.locator(".site-header").bounding_box()
        assert header["height"] <= 80, f"the header takes {header['height']}px on a phone"
        assert not page.locator(".site-nav-full").is_visible()
        summary = page.locator(".site-nav-compact summary")
        assert "Metrics" in summary.inner_text()
        links = page.locator(".site-nav-compact a")
        assert not links.first.is_visible()
        summary.click()
        current = page.locator(".site-nav-compact a[aria-current='page']")
        assert current.inner_text() == "Metrics"
        box = current.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, "the current item is clipped"
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        assert problems == []
    finally:
        page.context.close()
    page, _, _ = visit(browser, base + "/metrics/", **VIEWPORTS["1280"])
    try:
        assert page.locator(".site-nav-full a[aria-current='page']").is_visible()
        assert not page.locator(".site-nav-compact").is_visible()
    finally:
        page.context.close()


LINES_OF = """el => [...el.childNodes].filter(n => n.nodeType === 3 && n.textContent.trim())
    .map(n => { const r = document.createRange(); r.selectNodeContents(n);
                return new Set([...r.getClientRects()].map(x => Math.round(x.top))).size; })"""


@pytest.mark.parametrize("width", [320, 390])
def test_addresses_and_dates_wrap_only_where_a_person_would(served_site, browser, width):
    """An email address breaks before its "@" if at all, never mid-word; a byline's "·"
    stays on the line of its date."""
    base, _ = served_site
    options = {"viewport": {"width": width, "height": 800}, "is_mobile": True}
    page, problems, _ = visit(browser, base + LAYOUT_PAGES["profile"], **options)
    try:
        email = page.locator(".profile-links .u-email")
        assert email.evaluate(LINES_OF) == [1, 1]  # "maria.lopez", "@alderfinch.example"
        assert problems == []
    finally:
        page.context.close()
    page, _, _ = visit(browser, base + "/", **options)
    try:
        tops = page.evaluate(
            """[...document.querySelectorAll('.byline')].map(b => [
                Math.round(b.querySelector('.byline-sep').getBoundingClientRect().top),
                Math.round(b.querySelector('time').getBoundingClientRect().top)])"""
        )
        assert tops and all(abs(sep - time) <= 4 for sep, time in tops), tops
    finally:
        page.context.close()


def test_dev_site_is_styled_at_a_second_address(dev_server, browser):
    """Built for 127.0.0.1, opened at localhost: every link is relative, so it still works."""
    port, _ = dev_server
    page, problems, requests = visit(browser, f"http://localhost:{port}{PAGES['post']}")
    try:
        assert _styled(page), "the stylesheet did not apply at http://localhost"
        page.wait_for_function(  # the reload client finds its server at this address too
            "() => window.LiveReload && window.LiveReload.connector.protocol", timeout=15_000
        )
        assert problems == []
        assert {urlsplit(u).hostname for u in requests} == {"localhost"}

    finally:
        page.context.close()
