"""The one helper each for paths in messages, HTML to text, site URLs and rule links
(core/paths.py, core/text.py, core/urls.py), with the cases of the helpers they replaced."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from core.paths import shown_path, shown_paths
from core.problems import ContentError
from core.text import html_to_text
from core.urls import absolute_url, rule_url, site_path
from tests.conftest import FIXTURES

TEXT_CASES = json.loads((FIXTURES / "core" / "html-to-text.json").read_text(encoding="utf-8"))
URL_CASES = json.loads((FIXTURES / "core" / "urls.json").read_text(encoding="utf-8"))
SITES = ("https://chorus.test", "https://example.org/site/")


@pytest.mark.parametrize("case", TEXT_CASES["cases"], ids=lambda c: c["name"])
def test_html_to_text(case):
    assert html_to_text(case["html"]) == case["text"]


@pytest.mark.parametrize("case", URL_CASES["cases"], ids=lambda c: c["path"] or "(empty)")
def test_site_path_and_absolute_url(case):
    assert site_path(case["path"]) == case["site_path"]
    for site in SITES:
        assert absolute_url(site, case["path"]) == case[site], site


@pytest.mark.parametrize(
    ("siteurl", "rule", "page", "url"),
    [
        (
            "https://chorus.test",
            "pii.email",
            "guidelines/",
            "https://chorus.test/guidelines/#pii.email",
        ),
        (
            "https://chorus.test/",
            "pii.email",
            "guidelines/",
            "https://chorus.test/guidelines/#pii.email",
        ),
        ("..", "links.https", "guidelines/", "../guidelines/#links.https"),
        ("", "links.https", "guidelines/", "/guidelines/#links.https"),
        (".", "a.b", "guidelines/index.html", "./guidelines/index.html#a.b"),
        ("https://chorus.test", "a.b", "/rules/", "https://chorus.test/rules/#a.b"),
    ],
)
def test_rule_url(siteurl, rule, page, url):
    assert rule_url(siteurl, rule, page) == url


def test_rule_url_default_is_the_declared_guidelines_page():
    from core.settings import ChorusSettings

    assert rule_url("https://x.test", "r") == f"https://x.test/{ChorusSettings.GUIDELINES_URL}#r"


def test_shown_path_inside_the_root_is_relative_and_posix(tmp_path):
    post = tmp_path / "content" / "posts" / "hr" / "x.md"
    assert shown_path(post, tmp_path) == "content/posts/hr/x.md"
    assert shown_path(str(post), str(tmp_path)) == "content/posts/hr/x.md"
    assert shown_path(tmp_path, tmp_path) == "."


def test_shown_path_outside_the_root_is_absolute_never_dot_dot(tmp_path):
    root = tmp_path / "repo"
    other = tmp_path / "elsewhere" / "x.md"
    assert shown_path(other, root) == other.as_posix()
    assert (
        shown_path(root / ".." / "repo2" / "y.md", root) == (tmp_path / "repo2" / "y.md").as_posix()
    )


def test_shown_path_defaults_to_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert shown_path("content/x.md") == "content/x.md"
    assert shown_path(tmp_path / "content" / "x.md") == "content/x.md"
    assert shown_path(Path(os.sep) / "etc" / "hosts") == "/etc/hosts"


def test_many_paths_are_shown_as_each_one_is(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    paths = [
        str(tmp_path / "content" / "x.md"),
        str(tmp_path),
        str(tmp_path.parent / "elsewhere" / "y.md"),
        f"{tmp_path}x/z.md",  # a sibling whose name starts like the working directory's
    ]
    assert shown_paths(paths) == [shown_path(p) for p in paths]
    assert shown_paths(paths) == ["content/x.md", ".", paths[2], paths[3]]


def test_problems_show_their_path_the_same_way(tmp_path):
    error = ContentError(str(tmp_path / "content" / "x.md"), 3, "unknown author")
    assert error.format(str(tmp_path)) == "content/x.md:3: error: unknown author"
    assert (
        error.format(str(tmp_path / "other")) == f"{tmp_path}/content/x.md:3: error: unknown author"
    )
