"""The same bytes however a site is built: cold, from the cache, on one worker or several,
and incrementally after edits (plugins/pipeline.py, plugins/writer.py).

Each case builds the demo twice through chorus.build as `make site` does — before and after
an edit, with one cache folder — and compares the second output with a cold build of the
edited content (no cache, one worker) file by file.
"""

from __future__ import annotations

import filecmp
import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import ROOT, build_site

pytestmark = pytest.mark.integration

POST = "posts/hr/four-day-week-pilot.md"
OTHER_PAGE = "posts/phishing-drill-results/index.html"  # a post the edits leave alone


def tree(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def assert_same_tree(got: Path, want: Path) -> None:
    mine, theirs = tree(got), tree(want)
    assert sorted(mine) == sorted(theirs), set(mine) ^ set(theirs)
    different = [name for name in mine if mine[name] != theirs[name]]
    assert not different, different[:10]


@pytest.fixture
def site(tmp_path, monkeypatch):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    monkeypatch.setenv("CHORUS_CACHE", str(tmp_path / "cache"))
    return content


def cold(tmp_path: Path, content: Path, monkeypatch, **overrides) -> Path:
    out = tmp_path / "cold"
    with monkeypatch.context() as m:
        m.setenv("CHORUS_CACHE", "off")
        result = build_site(out, content, CHORUS_WORKERS=1, **overrides)
    assert result.ok, result.problems
    return out


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def incremental(tmp_path, content, monkeypatch, change, **overrides):
    out = tmp_path / "out"
    first = build_site(out, content, **overrides)
    assert first.ok, first.problems
    before = os.stat(out / OTHER_PAGE).st_ino
    change(content)
    second = build_site(out, content, **overrides)
    assert second.ok, second.problems
    assert_same_tree(out, cold(tmp_path, content, monkeypatch, **overrides))
    return first, second, before != os.stat(out / OTHER_PAGE).st_ino


def test_a_body_edit_renders_only_the_pages_that_show_it(tmp_path, site, monkeypatch):
    def change(content):
        with open(content / POST, "a", encoding="utf-8") as handle:
            handle.write("\n\nOne more paragraph, added after the first build.\n")

    first, second, other_rendered = incremental(tmp_path, site, monkeypatch, change)
    assert first.pages_kept == 0 and first.pages_rendered > 40
    # the post, the index, its department, its tags and the archive: not the other posts
    assert 0 < second.pages_rendered < 12, second.pages_rendered
    assert not other_rendered, "an untouched post's page was rendered again"


def test_nothing_changed_renders_nothing(tmp_path, site, monkeypatch):
    first, second, other_rendered = incremental(tmp_path, site, monkeypatch, lambda c: None)
    assert second.pages_rendered == 0 and second.pages_kept == first.pages_rendered
    assert not other_rendered


def test_a_title_edit(tmp_path, site, monkeypatch):
    # every page that names the post, and links to it, changes: the same bytes as cold
    incremental(tmp_path, site, monkeypatch, lambda c: edit(c / POST, "title:", "title: New —"))


def test_a_new_post_a_deleted_one_and_a_renamed_one(tmp_path, site, monkeypatch):
    def change(content):
        shutil.copy(content / POST, content / "posts/hr/four-day-week-again.md")
        (content / "posts/it/phishing-drill-results.md").rename(
            content / "posts/it/phishing-drill-report.md"
        )
        victim = next(p for p in sorted((content / "posts").rglob("*.md")) if "warehouse" in str(p))
        victim.unlink()

    global OTHER_PAGE
    keep, OTHER_PAGE = OTHER_PAGE, "posts/four-day-week-pilot/index.html"
    try:
        incremental(tmp_path, site, monkeypatch, change)
    finally:
        OTHER_PAGE = keep


def test_a_changed_template(tmp_path, site, monkeypatch):
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "themes" / "chorus", theme)

    def change(_content):
        edit(theme / "templates" / "base.html", "</body>", "<!-- changed --></body>")

    _first, second, other_rendered = incremental(
        tmp_path, site, monkeypatch, change, THEME=str(theme)
    )
    assert other_rendered and second.pages_kept == 0


def test_a_changed_guideline(tmp_path, site, monkeypatch):
    # a new term rule: its findings appear on the pages of the dev build
    def change(content):
        with open(content / "guidelines.yaml", "a", encoding="utf-8") as handle:
            handle.write(
                "\n  - id: testing\n    title: Testing\n    prose: A section added by a test.\n"
                "    rules:\n      - id: testing.pilot\n        kind: existence\n"
                "        level: suggestion\n        message: Say trial, not '{match}'.\n"
                "        terms: [pilot]\n"
            )

    incremental(tmp_path, site, monkeypatch, change)


def test_workers_do_not_change_the_bytes(tmp_path, site, monkeypatch):
    many = build_site(tmp_path / "many", site, CHORUS_WORKERS=2, CHORUS_PARALLEL_MIN=2)
    assert many.ok, many.problems
    assert_same_tree(tmp_path / "many", cold(tmp_path, site, monkeypatch))


def test_from_the_cache_is_the_same_as_cold(tmp_path, site, monkeypatch):
    for out in ("first", "second"):  # the second reads every post from the cache
        assert build_site(tmp_path / out, site).ok
    cached = list((tmp_path / "cache").glob("posts-*.pickle"))
    assert cached, "the pipeline wrote no cache"
    assert_same_tree(tmp_path / "second", cold(tmp_path, site, monkeypatch))
    assert filecmp.cmp(tmp_path / "first" / "index.html", tmp_path / "second" / "index.html")


def test_a_corrupt_cache_is_an_empty_one(tmp_path, site, monkeypatch):
    assert build_site(tmp_path / "first", site).ok
    files = [f for f in (tmp_path / "cache").rglob("*") if f.is_file()]
    assert any(f.parent.name == "jinja" for f in files)  # compiled templates too
    for file in files:
        file.write_bytes(b"\x80\x04 not a pickle, not json")
    result = build_site(tmp_path / "second", site)
    assert result.ok, result.problems
    assert_same_tree(tmp_path / "second", cold(tmp_path, site, monkeypatch))


def test_a_generated_corpus_edited_every_way_on_two_workers(tmp_path, monkeypatch):
    """250 generated posts (bench/corpus.py): a body edit, a title edit, a new post, a
    renamed one and a deleted one at once, built on two workers from the cache."""
    from bench.corpus import make_corpus

    make_corpus(tmp_path / "corpus", 250)
    content = tmp_path / "corpus" / "content"
    monkeypatch.setenv("CHORUS_CACHE", str(tmp_path / "cache"))
    many = {"CHORUS_WORKERS": 2, "CHORUS_PARALLEL_MIN": 2}
    out = tmp_path / "out"
    first = build_site(out, content, **many)
    assert first.ok, first.problems[:3]
    posts = sorted((content / "posts" / "warehouse").glob("*.md"))
    with open(posts[0], "a", encoding="utf-8") as handle:
        handle.write("\n\nA paragraph added after the first build.\n")
    lines = posts[1].read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith("title:"))
    lines[at] = 'title: "An edited title"\n'
    posts[1].write_text("".join(lines), encoding="utf-8")
    shutil.copy(posts[2], posts[2].with_name("a-brand-new-post.md"))
    posts[3].rename(posts[3].with_name(f"renamed-{posts[3].name}"))
    posts[4].unlink()
    second = build_site(out, content, **many)
    assert second.ok, second.problems[:3]
    # a title or an address that changes is in every page's frame: all are rendered again
    assert second.pages_kept == 0
    assert_same_tree(out, cold(tmp_path, content, monkeypatch))
    shutil.rmtree(tmp_path / "cold")
    with open(posts[5], "a", encoding="utf-8") as handle:  # then a body edit alone
        handle.write("\n\nAnother paragraph.\n")
    third = build_site(out, content, **many)
    assert third.ok and 0 < third.pages_rendered < 30 < third.pages_kept, third
    assert_same_tree(out, cold(tmp_path, content, monkeypatch))


# --- a warm process hands Pelican the posts it read in the previous build -------------


def kept_post(content: Path, name: str = POST):
    from plugins.posts.reuse import _KEPT

    return _KEPT.get(str((content / name).resolve()))


def test_a_warm_rebuild_reuses_each_unchanged_post_as_the_reader_made_it(
    tmp_path, site, monkeypatch
):
    out = tmp_path / "out"
    assert build_site(out, site).ok
    first = kept_post(site)
    assert first is not None, "an unchanged post was not kept for the next build"
    article, settings = first.article, first.article.settings
    article.left_by_a_plugin = "stale"  # what a plugin attached in the previous build
    article.tags.append("mutated")  # …or changed in place
    edited = "posts/warehouse/peak-season-picking.md"
    old_edited = kept_post(site, edited).article
    with open(site / edited, "a", encoding="utf-8") as handle:
        handle.write("\n\nAn edit elsewhere.\n")
    assert build_site(out, site).ok
    again = kept_post(site)
    assert again.article is article  # not read again
    assert not hasattr(article, "left_by_a_plugin")
    assert "mutated" not in article.tags
    assert article.settings is not settings  # this build's settings, not the last one's
    assert all(tag.settings is article.settings for tag in article.tags)
    assert kept_post(site, edited).article is not old_edited  # the edited post: read again
    assert_same_tree(out, cold(tmp_path, site, monkeypatch))


def test_a_post_dated_in_the_future_is_read_again_by_every_build(tmp_path, site, monkeypatch):
    future = site / "posts" / "hr" / "next-year.md"
    text = (site / POST).read_text(encoding="utf-8").replace("2026-10-08 13:00", "2099-01-01 09:00")
    future.write_text(text.replace("four-day", "next-year", 1), encoding="utf-8")
    assert build_site(tmp_path / "out", site).ok
    assert kept_post(site) is not None
    assert kept_post(site, "posts/hr/next-year.md") is None


def test_other_settings_read_every_post_again(tmp_path, site, monkeypatch):
    out = tmp_path / "out"
    assert build_site(out, site).ok
    before = kept_post(site).article
    elsewhere = "https://elsewhere.example"
    assert build_site(out, site, SITEURL=elsewhere).ok
    assert kept_post(site).article is not before
    assert_same_tree(out, cold(tmp_path, site, monkeypatch, SITEURL=elsewhere))


def test_without_a_cache_nothing_is_kept(tmp_path, site, monkeypatch):
    from plugins.posts.reuse import forget

    forget()
    monkeypatch.setenv("CHORUS_CACHE", "off")
    assert build_site(tmp_path / "out", site).ok
    assert kept_post(site) is None


def test_the_third_build_writes_into_the_spare_and_leaves_the_served_site_alone(
    tmp_path, site, monkeypatch
):
    """From the third build on, chorus.build writes into the output it replaced the time
    before (plugins/writer.py take_spare): unchanged pages stay where they are, deleted
    posts and stray files go, and the site being served meanwhile is never written to."""
    out = tmp_path / "out"
    spare = tmp_path / ".out.spare"
    assert build_site(out, site).ok
    before = os.stat(out / OTHER_PAGE).st_ino
    with open(site / POST, "a", encoding="utf-8") as handle:
        handle.write("\n\nA paragraph for the second build.\n")
    assert build_site(out, site).ok
    served = tree(out)
    (spare / "stray.txt").write_text("not a page of any build", encoding="utf-8")
    with open(site / POST, "a", encoding="utf-8") as handle:
        handle.write("\n\nAnd one for the third.\n")
    (site / "posts/warehouse/night-bus-rota.md").unlink()
    third = build_site(out, site)
    assert third.ok, third.problems
    assert 0 < third.pages_rendered < 20, third.pages_rendered
    assert os.stat(out / OTHER_PAGE).st_ino == before  # left in place, not linked anew
    assert not (out / "posts/night-bus-rota").exists()
    assert tree(spare) == served  # the second build's site, as it was served: untouched
    assert_same_tree(out, cold(tmp_path, site, monkeypatch))


def test_a_failed_build_into_the_spare_leaves_the_output_and_no_spare(tmp_path, site, monkeypatch):
    out = tmp_path / "out"
    for _ in range(2):
        assert build_site(out, site).ok
    assert (tmp_path / ".out.spare").is_dir()
    served = tree(out)
    broken = site / "posts/hr/broken.md"
    broken.write_text("---\ntitle: [unclosed\n---\nBody.\n", encoding="utf-8")
    failed = build_site(out, site)
    assert not failed.ok and "broken.md" in failed.problems[0]
    assert tree(out) == served
    assert not (tmp_path / ".out.spare").exists()  # half written: removed, never trusted
    broken.unlink()
    edit(site / POST, "title:", "title: After the failure —")
    for _ in range(2):  # a fresh folder, then the spare again
        assert build_site(out, site).ok
    assert_same_tree(out, cold(tmp_path, site, monkeypatch))


def test_feed_entries_kept_between_builds_follow_what_they_show(tmp_path, site, monkeypatch):
    """A warm process keeps each post's feed entry (plugins/feeds/generator.py): a post
    whose own file is untouched still shows another post's new address in its links, and
    its image's new size in the RSS enclosure."""

    def change(content):
        target = content / "posts/warehouse/peak-season-picking.md"
        edit(target, "title:", "slug: peak-picking-numbers\ntitle:")
        image = content / "images/posts/dealer-day-2026.png"
        image.write_bytes(image.read_bytes() + b"\0" * 512)

    incremental(tmp_path, site, monkeypatch, change)
    feed = (tmp_path / "out" / "feeds" / "all.rss.xml").read_text(encoding="utf-8")
    assert "peak-picking-numbers" in feed
