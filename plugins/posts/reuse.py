"""Posts this process has read before, handed back to Pelican instead of read again.

Why: the live-reload server (chorus/devserver.py) builds the site again after every save,
in one process. Pelican reads each post afresh every time: the reader turns the
pipeline's prepared result into metadata and Pelican makes an Article of it (dates, URL
wrappers, validity of its address), a second and a half per rebuild of a 5,000-post site
although one post changed. Pelican has a seam for exactly this, its generator-level
content cache (`get_cached_data` / `cache_data`, which it otherwise keeps in a pickle);
here it is kept in memory, for the previous build's posts only, and keyed not by a file's
modification time but by what the post is made of:

- the pipeline's source token (plugins/pipeline.py: the file's path and bytes, and every
  input of the page half: the people directory, the Markdown and sanitizer settings, the
  engines' versions, the code),
- every plain setting (the URL patterns, the time zone, the date formats…),
- and the clock: a post dated in the future is read again by every build, as Pelican and
  the reader make it a draft until it is due.

A kept Article is put back exactly as the reader made it (its attributes restored from a
copy taken then, so nothing a plugin attached in the previous build survives into this
one) and pointed at this build's settings and context; the reader's own bookkeeping for
it (the static files it refers to) is done again. Nothing else of Pelican's reading is
skipped: the signals Pelican sends while reading (`article_generator_preread`,
`article_generator_context`, `content_object_init`) only let plugins set attributes of the
new post, which the copy has. Without a cache (CHORUS_CACHE=off) there is no source
token and nothing is kept.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, TypeVar

from core.settings import plain_settings
from plugins.run import run_of

T = TypeVar("T")


@dataclass
class Kept:
    token: str
    article: Any
    state: dict  # the article's attributes as the reader made them
    refs: set  # the static files it refers to (the reader's record for the build)


BUILD_WIDE = frozenset({"settings", "_context"})  # the build's, set again by restore()
_KEPT: dict[str, Kept] = {}  # source path → the previous build's post, in this process


_DERIVED: dict[tuple[str, str], tuple[tuple, Any]] = {}  # (source path, name) → (key, value)


def forget() -> None:
    """Drop every kept post (tests that compare a warm build with a cold one)."""
    _KEPT.clear()
    _DERIVED.clear()


def remembered(article, name: str, extra: Hashable, compute: Callable[[], T]) -> T:
    """What `compute` makes of a post (its feed entry…), made again only when the post is
    not the one kept from the previous build, or `extra` (whatever else the value depends
    on that is not in the post's source token, such as an image file's size) differs.
    The value must not be changed by whoever receives it: the next build gets it too."""
    path = getattr(article, "source_path", None)
    path = os.path.abspath(path) if path else None
    kept = _KEPT.get(path) if path else None
    if kept is None or kept.article is not article:
        return compute()  # no cache, or a post read some other way: nothing to key it by
    key = (kept.token, extra)
    known = _DERIVED.get((path, name))
    if known is not None and known[0] == key:
        return known[1]
    value = compute()
    _DERIVED[(path, name)] = (key, value)
    return value


def reuse_read_posts(generator, prepared: dict) -> None:
    """article_generator_init (from the pipeline, once the posts are prepared): serve the
    articles generator's `get_cached_data` from the previous build's posts, and keep this
    build's as they are read."""
    settings = generator.settings
    context = generator.context
    previous = dict(_KEPT)
    _KEPT.clear()
    for key in [k for k in _DERIVED if k[0] not in previous]:
        del _DERIVED[key]  # a post that is gone: nothing will ask again
    base = hashlib.sha256(plain_settings(settings).encode()).hexdigest()
    now = dt.datetime.now(dt.UTC)
    run = run_of(settings)

    def token(path: str) -> str | None:
        entry = prepared.get(path)
        source = getattr(entry, "source", None)
        return f"{base}:{source}" if source else None

    reading: dict[str, tuple] = {}  # path → (token, static refs), while Pelican reads it

    def get_cached_data(name, default=None):
        """Pelican asks this before it reads each post."""
        path = os.path.abspath(os.path.join(generator.path, name))
        kept, entry, made = previous.get(path), prepared.get(path), token(path)
        if kept is None or kept.token != made:
            reading[path] = (made, set(getattr(entry, "refs", ())))
            return default
        restore(kept.article, kept.state, settings, context)
        run.kept_static.append(kept.refs)
        prepared[path] = type(entry)(lint=entry.lint)  # only the findings, as the reader leaves it
        _KEPT[path] = kept
        return kept.article

    def cache_data(name, article) -> None:
        """Pelican hands over each post it has read and found valid."""
        path = os.path.abspath(os.path.join(generator.path, name))
        made, refs = reading.pop(path, (None, set()))
        if made is not None and _due(article, now):
            _KEPT[path] = Kept(made, article, snapshot(article), refs)

    generator.get_cached_data = get_cached_data
    generator.cache_data = cache_data


def _due(article, now: dt.datetime) -> bool:
    date = getattr(article, "date", None)
    if not isinstance(date, dt.datetime):
        return True
    if date.tzinfo is None:
        return False  # cannot compare: read it again rather than guess
    return date <= now


def snapshot(article) -> dict:
    """The article's attributes, with its lists and dicts copied (a plugin that appends to
    `tags` or edits `metadata` changes the build's post, not the copy)."""
    return _copy_state({k: v for k, v in vars(article).items() if k not in BUILD_WIDE})


def restore(article, state: dict, settings: dict, context: dict) -> None:
    """The article as the reader made it, in this build: its own settings and context,
    and those of its author, department and tag wrappers."""
    article.__dict__.clear()
    article.__dict__.update(_copy_state(state))
    article.settings = settings
    article._context = context
    wrappers = [getattr(article, "author", None), getattr(article, "category", None)]
    wrappers += list(getattr(article, "authors", None) or [])
    wrappers += list(getattr(article, "tags", None) or [])
    for wrapper in wrappers:
        if wrapper is not None and hasattr(wrapper, "settings"):
            wrapper.settings = settings


def _copy_state(state: dict) -> dict:
    """Lists and dicts copied two levels down, keeping what is shared shared: Pelican's
    `metadata` holds the very lists the attributes hold (`tags`), and so must the copy."""
    made: dict[int, object] = {}
    return {k: _copy(v, made, 2) for k, v in state.items()}


def _copy(value, made: dict, levels: int):
    kind = type(value)
    if levels == 0 or (kind is not list and kind is not dict):
        return value
    if id(value) not in made:
        if kind is list:
            made[id(value)] = [_copy(v, made, levels - 1) for v in value]
        else:
            made[id(value)] = {k: _copy(v, made, levels - 1) for k, v in value.items()}
    return made[id(value)]
