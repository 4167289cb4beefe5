"""Two of Pelican's hot spots, made cheap without changing anything they return.

1. The posts of each tag, department and author, asked "is this post one of you?" in O(1).
Pelican writes a tag, category or author page with the posts of the archive that belong
to it: `[a for a in self.dates if a in articles]`, a scan of the tag's list for every post
of the site. On 5,000 posts and 40 tags that is over a hundred million comparisons, a
second and a half of every build (vanilla Pelican's too), and the largest single cost of
a rebuild after a one-post edit. Pelican's Content has no `__eq__`, so membership is
identity: a list that also keeps the ids of its posts answers the same, in constant time.

2. A post's path relative to the content folder, worked out once per path. Pelican works it
out again (abspath, relpath) every time a post's URL or output name is read, for the
`{path}` a URL pattern may use: tens of thousands of times per build, a tenth of a rebuild
after a one-post edit. It is a function of the two paths (and of the working directory
when the content folder is relative), so it is remembered by them.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from functools import lru_cache


class Members(list):
    """A taxonomy's posts, in Pelican's order, with identity membership by set.

    Pelican does not change these lists after grouping the posts; a later append would
    still be seen (the ids are updated), anything else would not, hence the guard.
    """

    def __init__(self, posts: Iterable = ()):
        super().__init__(posts)
        self._ids = {id(post) for post in self}

    def __contains__(self, post) -> bool:
        return id(post) in self._ids

    def append(self, post) -> None:
        super().append(post)
        self._ids.add(id(post))

    def _frozen(self, *args, **kwargs):
        raise TypeError("a taxonomy's posts are fixed once grouped")

    extend = insert = remove = pop = clear = __setitem__ = __delitem__ = __iadd__ = _frozen


def index_taxonomies(generator) -> None:
    """article_generator_finalized: before the articles generator writes its pages. The
    generator and its context hold the same lists (the context's in new tuples): each list
    is replaced by one Members everywhere."""
    made: dict[int, Members] = {}

    def fast(posts: list) -> Members:
        if isinstance(posts, Members):
            return posts
        if id(posts) not in made:
            made[id(posts)] = Members(posts)
        return made[id(posts)]

    tags = getattr(generator, "tags", None)
    if isinstance(tags, dict):
        for tag, posts in list(tags.items()):
            tags[tag] = fast(posts)
    for pairs in (
        getattr(generator, "categories", None),
        getattr(generator, "authors", None),
        *(generator.context.get(name) for name in ("tags", "categories", "authors")),
    ):
        if isinstance(pairs, list):
            pairs[:] = [(key, fast(posts)) for key, posts in pairs]


def remember_relative_paths() -> None:
    """Install the remembered version on Pelican's Content (once; idempotent)."""
    from pelican.contents import Content

    if getattr(Content.get_relative_source_path, "remembered", False):
        return
    Content.get_relative_source_path = relative_source_path


def relative_source_path(self, source_path: str | None = None) -> str | None:
    """Pelican's Content.get_relative_source_path, remembered (same arguments, same value)."""
    if not source_path:
        source_path = self.source_path
    if source_path is None:
        return None
    content = self.settings["PATH"]
    here = "" if os.path.isabs(content) and os.path.isabs(source_path) else os.getcwd()
    return _relative(content, source_path, here)


relative_source_path.remembered = True


@lru_cache(maxsize=1 << 16)
def _relative(content: str, source_path: str, here: str) -> str:
    rel = os.path.relpath(
        os.path.abspath(os.path.join(content, source_path)), os.path.abspath(content)
    )
    return rel.replace(os.sep, "/")
