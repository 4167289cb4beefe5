"""The benchmark corpus generator (bench/corpus.py): what it writes, and that both the
vanilla and the Chorus build read it. No timings here: those are `invoke bench`'s job."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bench.corpus import DEPARTMENTS, make_corpus
from plugins.people.directory import load_directory
from plugins.posts.frontmatter import parse_date, read_post

ROOT = Path(__file__).resolve().parent.parent
N = 60


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("bench") / "corpus"
    make_corpus(target, N, seed=7)
    return target


def posts_of(corpus: Path) -> list[Path]:
    return sorted((corpus / "content" / "posts").rglob("*.md"))


def test_n_posts_in_the_eight_departments(corpus):
    posts = posts_of(corpus)
    assert len(posts) == N
    assert {p.parent.name for p in posts} == set(DEPARTMENTS)
    assert len(DEPARTMENTS) == 8


def test_about_fifty_authors_each_with_a_people_file_and_accounts(corpus):
    people = {p.stem: p for p in (corpus / "content" / "people").glob("*.yaml")}
    assert 45 <= len(people) <= 55
    authors = {read_post(p).meta["author"] for p in posts_of(corpus)}
    assert authors <= set(people)
    directory = load_directory(corpus / "content")
    assert not directory.errors
    assert all(person.accounts for person in directory.people.values())


def test_front_matter_parses_and_has_what_a_post_needs(corpus):
    dates = []
    for path in posts_of(corpus):
        post = read_post(path)
        meta = post.meta
        assert {"title", "date", "author", "tags", "summary"} <= set(meta)
        assert 2 <= len(meta["tags"]) <= 4
        dates.append(parse_date(meta["date"]))
        assert "```" in post.body and "](https://" in post.body and "\n## " in post.body
    assert None not in dates
    assert (max(dates) - min(dates)).days > 365  # spread over two years


def test_the_same_seed_gives_the_same_files(tmp_path, corpus):
    again = tmp_path / "again"
    make_corpus(again, N, seed=7)
    first = {p.relative_to(corpus): p.read_bytes() for p in corpus.rglob("*") if p.is_file()}
    second = {p.relative_to(again): p.read_bytes() for p in again.rglob("*") if p.is_file()}
    first = {k: v for k, v in first.items() if not k.name.endswith("_settings.py")}
    second = {k: v for k, v in second.items() if not k.name.endswith("_settings.py")}
    assert first == second
    other = tmp_path / "other"
    make_corpus(other, N, seed=8)
    assert posts_of(other)[0].read_bytes() != posts_of(corpus)[0].read_bytes()


def test_finance_posts_come_with_their_approval(corpus):
    finance = [p.stem for p in posts_of(corpus) if p.parent.name == "finance"]
    approvals = {p.stem for p in (corpus / "content" / "approvals").glob("*.yaml")}
    assert finance and set(finance) <= approvals


def test_the_corpus_is_guideline_clean(corpus, tmp_path):
    report = tmp_path / "lint.json"
    content = corpus / "content"
    done = subprocess.run(
        [sys.executable, "-m", "plugins.guidelines", "lint", str(content / "posts"),
         "--content", str(content), "--format", "json", "--output", str(report)],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr + report.read_text()


@pytest.mark.integration
@pytest.mark.parametrize("tool", ["vanilla", "chorus"])
def test_both_builds_read_a_small_corpus(tmp_path, tool):
    corpus = tmp_path / "corpus"
    make_corpus(corpus, 20)
    out = tmp_path / "out"
    done = subprocess.run(
        [sys.executable, "-m", "pelican", str(corpus / "content"),
         "-s", str(corpus / f"{tool}_settings.py"), "-o", str(out), "--fatal", "errors"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    feeds = {p.relative_to(out).as_posix() for p in (out / "feeds").rglob("*.xml")}
    assert {"feeds/all.atom.xml", "feeds/all.rss.xml"} <= feeds
    assert any(f.startswith("feeds/tags/") for f in feeds)
    assert any(f.startswith("feeds/departments/") for f in feeds)
    assert any(f.startswith("feeds/people/") for f in feeds)
    pages = list(out.rglob("*.html"))
    assert len(pages) > 20
