"""One post as the lint sees it: front matter, body and a map from text offsets to the
source line and column the author will jump to in their editor.

The build's own reader (plugins/posts/frontmatter.py) splits and parses the file, so the lint
and the build can never disagree on what a post says. This module adds what the lint needs
on top: the department from the folder, the slug, the status, and positions.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from core.paths import shown_path
from plugins.posts.frontmatter import read_text, split
from plugins.posts.source import POSTS_FOLDER, department_of

__all__ = ["Post", "department_from_path", "load_post", "shown_path"]


@dataclass
class Post:
    """A post file, read once. `text` is the whole file with CRLF normalised to LF, so every
    offset into it maps to the line and column an editor shows."""

    path: str  # as given to the lint (relative to the repository root when it can be)
    text: str
    meta: dict
    lines: dict[str, int]  # front-matter key ("title", "syndication_text.bluesky") → line
    start_line: int  # line of the opening `---`: where a missing field is reported
    body_line: int  # first line of the Markdown body
    department: str | None  # `department:` if given, else the folder under posts/
    slug: str
    # The file on disk ("file") and per-lint scratch such as the parsed Markdown ("prose").
    extra: dict = field(default_factory=dict)

    @property
    def status(self) -> str:
        """'published' or 'draft': drafts are linted too, the build gate only blocks
        published posts."""
        return str(self.meta.get("status") or "published")

    @property
    def author(self) -> str:
        return str(self.meta.get("author") or "")

    @property
    def tags(self) -> list[str]:
        tags = self.meta.get("tags")
        return [str(t) for t in tags] if isinstance(tags, list) else []

    def line_of(self, key: str) -> int:
        return self.lines.get(key, self.start_line)

    @cached_property
    def line_starts(self) -> list[int]:
        starts, at = [0], self.text.find("\n")
        while at >= 0:
            starts.append(at + 1)
            at = self.text.find("\n", at + 1)
        return starts

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a character offset into `text`."""
        index = bisect.bisect_right(self.line_starts, offset) - 1
        return index + 1, offset - self.line_starts[index] + 1

    def offset(self, line: int, column: int = 1) -> int:
        """Character offset of a 1-based line (and column); past the end → len(text)."""
        if line - 1 >= len(self.line_starts):
            return len(self.text)
        return self.line_starts[line - 1] + column - 1

    @cached_property
    def body_offset(self) -> int:
        return self.offset(self.body_line)

    def key_span(self, key: str) -> tuple[int, int] | None:
        """Offsets of a top-level front-matter field, from its key to the next key (a
        folded `summary: >-` spans several lines)."""
        if key not in self.lines:
            return None
        first = self.lines[key]
        later = [line for k, line in self.lines.items() if "." not in k and line > first]
        end_line = min(later) if later else self.body_line - 1  # the closing `---`
        return self.offset(first), self.offset(end_line)


def department_from_path(path: Path, meta: dict) -> str | None:
    """The post's department as the build sees it (plugins/posts/source.py), from its
    path below the last posts/ folder."""
    given = meta.get("department")
    if given is not None:
        return given if isinstance(given, str) else None
    parts = path.parts
    if POSTS_FOLDER not in parts:
        return None
    index = len(parts) - 1 - parts[::-1].index(POSTS_FOLDER)
    return department_of(parts[index:], {})


def load_post(path: str | Path, shown: str | None = None) -> Post:
    """Read and split a post; raises plugins.problems.ContentError (file:line) when the file
    cannot be read or its front matter is not valid YAML."""
    path = Path(path)
    shown = shown or path.as_posix()
    text = read_text(path).replace("\r\n", "\n")
    parsed = split(shown, text)
    slug = parsed.meta.get("slug")
    return Post(
        path=shown,
        text=text,
        meta=parsed.meta,
        lines=parsed.lines,
        start_line=parsed.start_line,
        body_line=parsed.body_line,
        department=department_from_path(path, parsed.meta),
        slug=slug if isinstance(slug, str) and slug else path.stem,
        extra={"file": path},
    )
