"""`invoke preview POST`: one post rendered with the theme and its findings, without a
site build, plus the panel slot cross-posting fills with per-platform previews."""

from __future__ import annotations

import subprocess
import sys
import threading
from html.parser import HTMLParser
from pathlib import Path

import httpx
import pytest

from chorus.preview import render_preview, serve
from tests.conftest import FIXTURES, ROOT, copy_content

RISKY = FIXTURES / "guidelines_tools" / "gate" / "risky-claim.md"


class Anchors(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []
        self.classes: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.hrefs.append(attrs["href"])
        self.classes.extend((attrs.get("class") or "").split())


def parse(html: str) -> Anchors:
    parser = Anchors()
    parser.feed(html)
    return parser


@pytest.fixture
def content(tmp_path) -> Path:
    content = copy_content(tmp_path)
    (content / "posts" / "warehouse" / "risky-claim.md").write_text(
        RISKY.read_text(encoding="utf-8"), encoding="utf-8"
    )
    # A broken post elsewhere: a site build would fail on it, a preview never reads it.
    (content / "posts" / "hr" / "broken.md").write_text("---\ntitle: [\n---\n", encoding="utf-8")
    return content


def engine_findings(content: Path, post: Path):
    from plugins.guidelines.config import load_guidelines
    from plugins.guidelines.engine import lint_files

    guidelines = load_guidelines(content / "guidelines.yaml")
    return lint_files([post], guidelines, content_root=content, approvals_dir=content / "approvals")


def test_preview_renders_the_post_with_its_findings(content, tmp_path):
    post = content / "posts" / "warehouse" / "risky-claim.md"
    out = tmp_path / "preview" / "risky.html"
    result = render_preview(post, overrides={"PATH": str(content)}, out=out)
    assert result.problems == []
    assert result.path == out and result.slug == "risky-claim"
    html = out.read_text(encoding="utf-8")
    page = parse(html)
    assert '<h1 class="post-title p-name">Pallets that last</h1>' in html
    # the words of the finding are marked where they are, the message right after them
    assert 'They are <mark class="finding-mark finding-mark-' in html
    assert '">guaranteed</mark><span class="finding-note' in html
    assert " for ten years." in html
    expected = engine_findings(content, post).findings
    assert expected and len(result.findings) == len(expected)
    assert page.classes.count("finding") == len(expected)
    for f in expected:
        assert f"./guidelines/index.html#{f.rule_id}" in page.hrefs
    assert "./theme/css/chorus.css" in html and "./theme/css/guidelines.css" in html
    # the rule links open the Guidelines page written beside the preview
    guide = (out.parent / "guidelines" / "index.html").read_text(encoding="utf-8")
    for f in expected:
        assert f'id="{f.rule_id}"' in guide
    assert (out.parent / "theme" / "css" / "chorus.css").is_file()
    assert (out.parent / "images").is_dir()
    assert sorted(p.name for p in out.parent.iterdir()) == [
        "guidelines",
        "images",
        "risky.html",
        "theme",
    ]


def test_a_clean_post_says_so(content, tmp_path):
    post = content / "posts" / "warehouse" / "forklift-certification-week.md"
    assert engine_findings(content, post).findings == []
    result = render_preview(post, overrides={"PATH": str(content)}, out=tmp_path / "p.html")
    html = result.path.read_text(encoding="utf-8")
    assert "No findings: this post follows the guidelines." in html
    assert "guideline-findings" not in html


def test_panels_from_the_settings_are_shown_and_a_broken_one_is_contained(content, tmp_path):
    post = content / "posts" / "warehouse" / "risky-claim.md"
    panels = ["tests.guidelines_tools.glt_panels:words", "tests.guidelines_tools.glt_panels:broken"]
    missing = "tests.guidelines_tools.glt_panels:nope"
    result = render_preview(
        post,
        overrides={"PATH": str(content), "PREVIEW_PANELS": [*panels, missing]},
        out=tmp_path / "p.html",
    )
    html = result.path.read_text(encoding="utf-8")
    assert 'class="preview-panel preview-panel-words"' in html
    assert "<p>Pallets that last</p>" in html
    assert "RuntimeError: the platform composer fell over" in html
    assert f"cannot load {missing}" in html
    assert html.count('class="preview-panel preview-panel-error"') == 2


def test_a_post_that_cannot_be_read_gives_its_line(content, tmp_path):
    bad = content / "posts" / "hr" / "broken.md"
    result = render_preview(bad, overrides={"PATH": str(content)}, out=tmp_path / "p.html")
    assert len(result.problems) == 1
    assert result.problems[0].startswith(f"{bad}:3: error:")
    assert not (tmp_path / "p.html").exists()


def test_cli_preview_writes_the_default_file_and_exits_like_lint(content, tmp_path):
    def preview(post: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "chorus.preview", post],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
            env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        )

    done = preview("content/posts/warehouse/risky-claim.md")
    assert done.returncode == 1, done.stderr  # the post has an error
    assert "Preview written to .preview/risky-claim.html" in done.stdout
    assert "content/posts/warehouse/risky-claim.md" in done.stdout  # findings, as lint shows
    assert (tmp_path / ".preview" / "risky-claim.html").is_file()
    done = preview("content/posts/warehouse/forklift-certification-week.md")
    assert done.returncode == 0, done.stderr
    done = preview("content/posts/hr/broken.md")
    assert done.returncode == 2
    assert done.stderr.startswith("content/posts/hr/broken.md:3: error:")
    assert "Traceback" not in done.stderr


@pytest.mark.integration
def test_serve_the_preview_on_a_free_port(content, tmp_path):
    post = content / "posts" / "warehouse" / "risky-claim.md"
    result = render_preview(post, overrides={"PATH": str(content)}, out=tmp_path / "pv" / "r.html")
    server = serve(result.path.parent, 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        page = httpx.get(f"{base}/r.html", timeout=10)
        assert page.status_code == 200 and "Pallets that last" in page.text
        css = httpx.get(f"{base}/theme/css/guidelines.css", timeout=10)
        assert css.status_code == 200 and ".guideline-findings" in css.text
        rule = result.findings[0].rule_id
        guide = httpx.get(f"{base}/guidelines/index.html", timeout=10)
        assert guide.status_code == 200 and f'id="{rule}"' in guide.text
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.mark.integration
def test_a_preview_leaves_the_build_its_cache(content, tmp_path, monkeypatch):
    """A preview whose settings differ from the build's in what a page depends on (here
    the build's own embed hosts; in use, a site built with another settings file, such as
    the bench corpus's) writes cache files of its own fingerprint: that must not remove the
    build's, or the next build would read every post again."""
    from tests.conftest import build_site

    cache = tmp_path / "cache"
    monkeypatch.setenv("CHORUS_CACHE", str(cache))
    (content / "posts" / "hr" / "broken.md").unlink()
    assert build_site(tmp_path / "out", content, EMBED_HOSTS=["www.youtube-nocookie.com"]).ok
    built = set(cache.glob("posts-*.pickle")) | set(cache.glob("lint-*.json"))
    assert built
    post = content / "posts" / "warehouse" / "risky-claim.md"
    render_preview(post, overrides={"PATH": str(content)}, out=tmp_path / "p" / "x.html")
    assert built <= set(cache.glob("posts-*.pickle")) | set(cache.glob("lint-*.json"))
