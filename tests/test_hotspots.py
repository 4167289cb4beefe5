"""Pelican's hot spots made cheap (plugins/posts/hotspots.py) return what Pelican's do."""

import os
from types import SimpleNamespace

import pytest

from plugins.posts.hotspots import Members, index_taxonomies, relative_source_path


def pelicans(path: str, source: str) -> str:  # Content.get_relative_source_path, as Pelican has it
    rel = os.path.relpath(os.path.abspath(os.path.join(path, source)), os.path.abspath(path))
    return rel.replace(os.sep, "/")


@pytest.mark.parametrize(
    ("content", "source"),
    [
        ("/site/content", "/site/content/posts/hr/a.md"),
        ("/site/content", "posts/hr/a.md"),
        ("/site/content/", "/site/content/pages/about.md"),
        ("/site/content", "/elsewhere/x.md"),
        ("/site/content", "/site/content/posts/../pages/b.md"),
        ("content", "content/posts/hr/a.md"),
        ("content", "/abs/content/posts/a.md"),
        (".", "posts/a.md"),
    ],
)
def test_relative_source_path_is_pelicans(content, source, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    post = SimpleNamespace(settings={"PATH": content}, source_path=source)
    assert relative_source_path(post) == pelicans(content, source)
    other = tmp_path / "sub"
    other.mkdir()
    monkeypatch.chdir(other)  # a relative content folder follows the working directory
    assert relative_source_path(post) == pelicans(content, source)


def test_no_source_path_is_none():
    assert relative_source_path(SimpleNamespace(settings={"PATH": "/c"}, source_path=None)) is None


def test_members_answer_membership_by_identity():
    a, b, c = object(), object(), object()
    members = Members([a, b])
    assert a in members and b in members and c not in members
    members.append(c)
    assert c in members
    assert list(members) == [a, b, c]
    with pytest.raises(TypeError):
        members.remove(a)


def test_every_taxonomy_list_is_replaced_once_everywhere():
    a, b = object(), object()
    tag_posts, dept_posts = [a, b], [a]
    generator = SimpleNamespace(
        tags={"t": tag_posts},
        categories=[("d", dept_posts)],
        authors=[("p", tag_posts)],
        context={"tags": [("t", tag_posts)], "authors": [("p", tag_posts)]},
    )
    generator.context["categories"] = generator.categories  # Pelican shares this list
    index_taxonomies(generator)
    fast = generator.tags["t"]
    assert isinstance(fast, Members) and list(fast) == tag_posts
    assert generator.authors[0][1] is fast  # the same object wherever the list was
    assert generator.context["tags"][0][1] is fast
    assert generator.context["authors"][0][1] is fast
    assert isinstance(generator.categories[0][1], Members)
