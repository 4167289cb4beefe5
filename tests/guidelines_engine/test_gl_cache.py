"""The per-post lint cache: a hit gives the same report as a fresh lint, and any change to a
post or to what posts are checked against means linting again (never a stale result)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from core.cache import cache_dir
from plugins.guidelines import engine
from plugins.guidelines.config import load_guidelines

FIXTURES = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "guidelines" / "posts"
POSTS = ["hr/bad-exclamations.md", "hr/good-switch.md", "hr/bad-switch-no-reason.md"]


@pytest.fixture
def site(content_copy):
    for rel in POSTS:
        target = content_copy / "posts" / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(FIXTURES / rel, target)
    return content_copy


def lint(site: Path, cache: Path | None):
    guidelines = load_guidelines(site / "guidelines.yaml")
    return engine.lint_files(
        engine.post_paths(site), guidelines, content_root=site, workers=1, cache=cache
    )


@pytest.fixture
def counted(monkeypatch):
    """Counts the posts actually linted (not served from the cache)."""
    seen: list[str] = []
    real = engine.lint_path

    def lint_path(path, guidelines, ctx):
        seen.append(Path(path).name)
        return real(path, guidelines, ctx)

    monkeypatch.setattr(engine, "lint_path", lint_path)
    return seen


def test_hit_gives_the_same_report(site, tmp_path, counted):
    cold = lint(site, None)
    first = lint(site, tmp_path / "cache")
    assert len(counted) == 6  # the uncached run and the first cached run lint everything
    again = lint(site, tmp_path / "cache")
    assert len(counted) == 6  # nothing linted the second time
    assert cold.findings and again.findings == first.findings == cold.findings
    assert again.switches == cold.switches and again.switches
    assert again.statuses == cold.statuses


def test_an_edited_post_is_linted_again(site, tmp_path, counted):
    lint(site, tmp_path / "cache")
    counted.clear()
    post = site / "posts" / "hr" / "good-switch.md"
    post.write_text(post.read_text(encoding="utf-8") + "\nThis is the best, guaranteed!\n")
    report = lint(site, tmp_path / "cache")
    assert counted == ["good-switch.md"]
    assert any(f.path.endswith("good-switch.md") for f in report.findings)


@pytest.mark.parametrize("changed", ["guidelines.yaml", "people", "approvals", "new post"])
def test_a_changed_input_relints_everything(site, tmp_path, counted, changed):
    lint(site, tmp_path / "cache")
    counted.clear()
    if changed == "guidelines.yaml":
        path = site / "guidelines.yaml"
        path.write_text(path.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    elif changed == "people":
        person = next((site / "people").glob("*.yaml"))
        person.write_text(person.read_text(encoding="utf-8") + "\n# edited\n", "utf-8")
    elif changed == "approvals":
        (site / "approvals" / "x.yaml").write_text("post: x\n", encoding="utf-8")
    else:  # a new post is a new internal link target for every other post
        shutil.copy(FIXTURES / "hr/bad-title-length.md", site / "posts/hr/bad-title-length.md")
    lint(site, tmp_path / "cache")
    assert len(counted) >= 3


def test_a_corrupt_cache_is_an_empty_cache(site, tmp_path, counted):
    lint(site, tmp_path / "cache")
    for file in (tmp_path / "cache").glob("lint-*.json"):
        file.write_text("{not json", encoding="utf-8")
    counted.clear()
    report = lint(site, tmp_path / "cache")
    assert len(counted) == 3 and report.findings


def test_cache_folder_from_the_environment():
    assert cache_dir({"CHORUS_CACHE": "off"}) is None
    assert cache_dir({"CHORUS_CACHE": "/tmp/x"}) == Path("/tmp/x")
    assert cache_dir({}) == Path(".chorus/cache")


def test_make_room_keeps_the_most_recent_files_of_a_kind(tmp_path):
    import os

    from core.cache import make_room

    for n in range(6):
        file = tmp_path / f"lint-{n}.json"
        file.write_text("{}", encoding="utf-8")
        os.utime(file, ns=(n * 10**9, n * 10**9))
    (tmp_path / "posts-0.pickle").write_bytes(b"")  # another kind: not counted, not removed
    make_room(tmp_path / "lint-new.json", "lint-*.json", keep=3)
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == ["lint-4.json", "lint-5.json", "posts-0.pickle"]  # + the one to be written


def test_the_findings_depend_on_the_shared_text_helpers_and_core(site, tmp_path, monkeypatch):
    """The rules call plugins/text.py (sentences) and core/: editing either must not serve
    findings the old code made."""
    from plugins.guidelines import cache
    from plugins.guidelines.engine import make_context

    helpers = tmp_path / "text.py"
    helpers.write_text("def sentences(text): ...\n", encoding="utf-8")
    monkeypatch.setattr(cache, "TEXT_HELPERS", str(helpers))
    guidelines = load_guidelines(site / "guidelines.yaml")
    ctx = make_context(site, None, guidelines)
    before = cache.fingerprint(guidelines.path, ctx)
    assert cache.fingerprint(guidelines.path, ctx) == before
    helpers.write_text("def sentences(text): return []\n", encoding="utf-8")
    assert cache.fingerprint(guidelines.path, ctx) != before
    core_copy = tmp_path / "core"
    core_copy.mkdir()
    (core_copy / "text.py").write_text("X = 1\n", encoding="utf-8")
    monkeypatch.setattr(cache, "CORE_ROOT", core_copy)
    again = cache.fingerprint(guidelines.path, ctx)
    (core_copy / "text.py").write_text("X = 2\n", encoding="utf-8")
    assert cache.fingerprint(guidelines.path, ctx) != again
