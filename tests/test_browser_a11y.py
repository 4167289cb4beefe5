"""Every page type at a phone's and a desktop's width, in Debian Chromium: nothing wider
than the screen, no console error, styled when opened at another address than the build's,
and axe-core (tools/axe, `make axe`) finds no serious or critical accessibility violation.

axe is injected into the page by the test (the site never loads it); the context bypasses
the site's Content-Security-Policy for that one script only, as axe's own guides advise.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.test_browser import _styled, browser, served_site, visit  # noqa: F401  (fixtures)

AXE = ROOT / "tools" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
WIDTHS = {"phone": (390, 844), "desktop": (1280, 800)}
PAGES = {
    "home": "/",
    "post": "/posts/what-contractors-tell-us/",
    "draft": None,  # the first draft the development build writes (drafts/<slug>/)
    "profile": "/people/maria.lopez/",
    "people": "/people/",
    "department": "/departments/warehouse/",
    "tags": "/tags/",
    "archives": "/archives/",
    "guidelines": "/guidelines/",
    "listening": "/listening/",
    "metrics": "/metrics/",
    "write": "/write/",
    "signature": "/people/maria.lopez/signature.html",
}
SERIOUS = ("serious", "critical")


def page_path(name: str, output: Path) -> str:
    if PAGES[name]:
        return PAGES[name]
    drafts = sorted(p.parent.name for p in (output / "drafts").glob("*/index.html"))
    assert drafts, "the development build wrote no draft"
    return f"/drafts/{drafts[0]}/"


@pytest.mark.browser
@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("name", list(PAGES))
def test_page_fits_and_has_no_serious_accessibility_problem(served_site, browser, name, width):  # noqa: F811
    if not AXE.exists():
        missing = pytest.fail if os.environ.get("CHORUS_CI") else pytest.skip
        missing("axe-core is not installed (make axe)")
    base, output = served_site
    # opened at another address than the one the site was built for: the development
    # build's links are relative, so the stylesheet must apply here too
    other = base.replace("127.0.0.1", "localhost")
    w, h = WIDTHS[width]
    page, problems, _ = visit(
        browser, other + page_path(name, output), viewport={"width": w, "height": h},
        bypass_csp=True,
    )  # fmt: skip
    try:
        if name != "signature":  # an email's styles are inline, not the site's stylesheet
            assert _styled(page), f"{name}: the stylesheet did not apply at {other}"
        wide = page.evaluate("document.documentElement.scrollWidth")
        assert wide <= w, f"{name} is {wide}px wide at {w}px"
        if name == "signature":  # the page an email client gets has no favicon link
            problems = [p for p in problems if "favicon" not in p and "404" not in p]
        assert problems == [], problems
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("async () => JSON.stringify(await axe.run(document))")
        violations = [v for v in json.loads(result)["violations"] if v["impact"] in SERIOUS]
        shown = [
            f"{v['id']} ({v['impact']}): {v['help']} — {v['nodes'][0]['target']}"
            for v in violations
        ]
        assert shown == [], "\n".join(shown)
        if os.environ.get("CHORUS_SCREENSHOTS"):  # for a person to look at, every page type
            folder = Path(os.environ["CHORUS_SCREENSHOTS"])
            folder.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(folder / f"{name}-{w}.png"), full_page=True)
    finally:
        page.context.close()
