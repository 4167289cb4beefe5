"""What a post file is, from where it sits and what its front matter says: its department
and its slug. The reader, the build's checks and the lint all ask here, so a post in
posts/hr/sub/x.md is in HR for all of them, and a `slug:` override is where every one of
them looks for the post.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path

from core.cache import memo_file
from core.filememo import FileMemo
from plugins.run import run_of

POSTS_FOLDER = "posts"  # ARTICLE_PATHS: content/posts/<department>/<slug>.md
_SLUG_LINE = re.compile(rb"^slug:[ \t]*['\"]?([a-z0-9-]+)['\"]?[ \t]*$", re.M)
DEFAULT = Path("the cache folder's file memo")  # a default argument: core.cache.memo_file()
HEAD = 4096  # front matter longer than this declares its slug late: read it all


def run_memo(settings: dict) -> FileMemo:
    """This run's file memo (BuildRun.memo), opened on first use; whoever learns into it
    saves it."""
    run = run_of(settings)
    if run.memo is None:
        run.memo = FileMemo(memo_file())
    return run.memo


def department_of(rel: Sequence[str], meta: dict):
    """`department:` in the front matter wins; otherwise the folder directly under
    posts/ (not the innermost folder: posts/hr/sub/x.md is HR's). `rel` is the file's path
    under content/ in parts. None for a post outside any department folder."""
    if "department" in meta:
        return meta["department"]
    return rel[1] if len(rel) > 2 else None


def slug_of(rel: Sequence[str], meta: dict) -> str:
    """`slug:` when given (the build checks its form), else the file name."""
    given = meta.get("slug")
    if isinstance(given, str) and given:
        return given
    return os.path.splitext(rel[-1])[0]


def declared_slugs(
    content_root: str | Path, memo: Path | FileMemo | None = DEFAULT
) -> dict[str, str]:
    """`slug:` override → the post's path under content/, for every post that has one."""
    root = str(content_root)
    return {
        slug: os.path.relpath(path, root).replace(os.sep, "/")
        for path, slug in post_slugs(content_root, memo).items()
        if slug
    }


def post_slugs(
    content_root: str | Path, memo: Path | FileMemo | None = DEFAULT
) -> dict[str, str | None]:
    """Every post file under posts/ (absolute path) → its `slug:` override, or None. Read
    from the first bytes of each file; remembered per file by its stat (core/filememo.py),
    so a second call on a large site only stats the files (a preview and a warm lint pay
    this every time). `memo`: the memo file, or a memo the caller opened and saves."""
    root = os.path.abspath(content_root)
    if memo is DEFAULT:
        memo = memo_file()
    opened = memo if isinstance(memo, FileMemo) else FileMemo(memo)
    found: dict[str, str | None] = {}
    for dirpath, _dirs, files in os.walk(os.path.join(root, POSTS_FOLDER)):
        folder = os.path.join(dirpath, "")  # joined once per folder, not once per post
        for name in files:
            if name.endswith(".md"):
                path = folder + name
                facts = opened.facts(path)  # None: gone since the walk
                if facts is not None:
                    known = "slug" in facts
                    found[path] = facts["slug"] if known else opened.get(path, "slug", _read_slug)
    if opened is not memo:
        opened.save()
    return found


def _read_slug(path: str) -> str | None:
    try:
        with open(path, "rb") as handle:
            data = handle.read(HEAD)
            if data.startswith(b"---") and data.find(b"\n---", 3) < 0:
                data += handle.read()
    except OSError:
        return None
    if not data.startswith(b"---"):
        return None
    end = data.find(b"\n---", 3)
    match = _SLUG_LINE.search(data, 0, end if end > 0 else len(data))
    return match.group(1).decode() if match else None
