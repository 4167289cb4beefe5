"""Shared fixtures: build a real site (real Pelican, real plugins) into a temporary folder."""

from __future__ import annotations

import atexit
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urljoin

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
TEST_SITEURL = "https://chorus.test"

# The builds and lints of a test run keep their cache (plugins/pipeline.py) in a folder of
# their own, not in the repository's .chorus/cache/ (which the developer's builds use).
if "CHORUS_CACHE" not in os.environ:
    os.environ["CHORUS_CACHE"] = tempfile.mkdtemp(prefix="chorus-test-cache-")
    atexit.register(shutil.rmtree, os.environ["CHORUS_CACHE"], True)


def page_url(rel: str) -> str:
    """The address of output file `rel` ('posts/x/index.html') on the test site."""
    return f"{TEST_SITEURL}/{rel.removesuffix('index.html')}"


def resolve(rel: str, href: str) -> str:
    """A link of page `rel` as the browser follows it: the development build links
    relatively (RELATIVE_URLS), the publish build absolutely; both resolve the same."""
    return urljoin(page_url(rel), href)


def hrefs(html: str, rel: str) -> set[str]:
    """Every href= of a page's source, resolved."""
    return {resolve(rel, h) for h in re.findall(r'href="([^"]*)"', html)}


def build_site(
    output: Path, content: Path | None = None, settings: str = "pelicanconf.py", **overrides
):
    """Build in this process; returns chorus.build.BuildResult."""
    from chorus.build import build

    overrides.setdefault("SITEURL", TEST_SITEURL)
    overrides["OUTPUT_PATH"] = str(output)
    if content is not None:
        overrides["PATH"] = str(content)
    return build(ROOT / settings, overrides)


def run_build_cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """The build as a user runs it: a separate process, its exit code and its stderr."""
    return subprocess.run(
        [sys.executable, "-m", "chorus.build", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )


def copy_content(tmp_path: Path) -> Path:
    """A private copy of the demo content that a test may break."""
    target = tmp_path / "content"
    shutil.copytree(ROOT / "content", target)
    return target


def build_demo(tmp_path_factory, settings: str = "pelicanconf.py") -> Path:
    """The demo content built with `settings` into a fresh folder; the build must pass."""
    output = tmp_path_factory.mktemp(Path(settings).stem) / "output"
    result = build_site(output, settings=settings)
    assert result.ok, "\n".join(result.problems)
    return output


@pytest.fixture(scope="session")
def published_site(tmp_path_factory) -> Path:
    """The demo content built once per session with publishconf.py (the public site)."""
    return build_demo(tmp_path_factory, "publishconf.py")


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory) -> Path:
    """The demo content built once per session with SITEURL = https://chorus.test."""
    return build_demo(tmp_path_factory)
