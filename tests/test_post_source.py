"""One answer to "which department, which slug" for the reader, the build's checks and the
lint: a post in a nested folder, and a post whose `slug:` overrides its file name."""

from __future__ import annotations

import os

import pytest

from plugins.guidelines.config import load_guidelines
from plugins.guidelines.engine import lint_files, site_targets
from plugins.posts.source import declared_slugs, department_of, slug_of
from tests.conftest import build_site, copy_content

POST = """---
title: "Leave policy, in one page"
date: 2026-11-02 10:00
author: zoe.vandenberg
tags: [working-here]
summary: What the new leave policy means for you, in plain words.
---
Everything about leave is on one page now. See also [the pilot](/posts/{target}/).
"""


@pytest.mark.parametrize(
    ("rel", "meta", "expected"),
    [
        (("posts", "hr", "x.md"), {}, "hr"),
        (("posts", "hr", "sub", "x.md"), {}, "hr"),
        (("posts", "hr", "x.md"), {"department": "finance"}, "finance"),
        (("posts", "x.md"), {}, None),
    ],
)
def test_department_is_the_folder_under_posts_unless_given(rel, meta, expected):
    assert department_of(rel, meta) == expected


def test_slug_is_the_file_name_unless_given():
    assert slug_of(("posts", "hr", "a-b.md"), {}) == "a-b"
    assert slug_of(("posts", "hr", "a-b.md"), {"slug": "c"}) == "c"


def test_declared_slugs_follow_edits_through_the_memo(tmp_path):
    post = tmp_path / "posts" / "hr" / "a.md"
    post.parent.mkdir(parents=True)
    post.write_text("---\ntitle: A\nslug: first-name\n---\nbody slug: not-this\n", "utf-8")
    memo = tmp_path / "memo.json"
    assert declared_slugs(tmp_path, memo) == {"first-name": "posts/hr/a.md"}
    assert declared_slugs(tmp_path, memo) == {"first-name": "posts/hr/a.md"}  # from the memo
    post.write_text("---\ntitle: A\nslug: second-name\n---\n", "utf-8")
    os.utime(post, ns=(1, 10**18))  # a new mtime whatever the clock's resolution
    assert declared_slugs(tmp_path, memo) == {"second-name": "posts/hr/a.md"}
    memo.write_text("{broken", "utf-8")
    assert declared_slugs(tmp_path, memo) == {"second-name": "posts/hr/a.md"}


def test_a_link_to_an_overridden_slug_is_a_link_target(tmp_path):
    content = copy_content(tmp_path)
    pilot = content / "posts" / "hr" / "four-day-week-pilot.md"
    pilot.write_text(
        pilot.read_text("utf-8").replace("author:", "slug: pilot-results\nauthor:", 1), "utf-8"
    )
    assert "/posts/pilot-results/" in site_targets(content)


@pytest.mark.integration
def test_lint_and_build_agree_on_nested_folders_and_slug_overrides(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the slug memo goes to this test's .chorus/
    content = copy_content(tmp_path)
    pilot = content / "posts" / "hr" / "four-day-week-pilot.md"
    pilot.write_text(
        pilot.read_text("utf-8").replace("author:", "slug: pilot-results\nauthor:", 1), "utf-8"
    )
    nested = content / "posts" / "hr" / "policies" / "leave-in-one-page.md"
    nested.parent.mkdir()
    nested.write_text(POST.format(target="pilot-results"), "utf-8")

    report = lint_files(
        [nested, pilot], load_guidelines(content / "guidelines.yaml"), content_root=content
    )
    assert [f for f in report.findings if f.level == "error"] == []
    assert not [f for f in report.findings if "nothing on this site" in f.message]

    output = tmp_path / "output"
    result = build_site(output, content)
    assert result.ok, result.problems
    department = (output / "departments" / "hr" / "index.html").read_text("utf-8")
    assert "Leave policy, in one page" in department
    assert not (output / "departments" / "policies").exists()
    assert (output / "posts" / "pilot-results" / "index.html").is_file()
