"""Read a post file: bytes → text → YAML front matter + Markdown body, with line numbers.

Plain Python, no Pelican: the build's reader, `invoke new` and the lint (issue 3) share it.
Every failure is a ContentError pointing at the file and, where known, the line.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from plugins.problems import ContentError

try:  # libyaml is ~10x faster; fall back to pure Python where it is missing
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _BaseLoader


class _Loader(_BaseLoader):
    """Safe YAML, but dates stay text: we parse them ourselves so that a bad date gets a
    message at its line instead of a bare ValueError from deep inside PyYAML."""

    yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
    }


FENCE = re.compile(r"^(---|\.\.\.)[ \t]*$")
MAX_POST_BYTES = 1_000_000  # a post is prose; a megabyte of it is a mistake (or an attack)
STATUSES = ("published", "draft")


@dataclass
class Post:
    """A post file split into its parts; `lines` maps each front-matter key to its line."""

    path: str
    meta: dict
    lines: dict[str, int] = field(default_factory=dict)
    body: str = ""
    body_line: int = 1  # file line where the body starts

    def line_of(self, key: str) -> int:
        return self.lines.get(key, 1)


def read_text(path: str | Path) -> str:
    """Decode a file as UTF-8, refusing binary and mis-encoded files with a located error."""
    path = str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise ContentError(path, None, f"cannot read file: {exc.strerror}") from None
    if len(data) > MAX_POST_BYTES:
        raise ContentError(
            path, None, f"file is {len(data):,} bytes; a post may be at most {MAX_POST_BYTES:,}"
        )
    if b"\x00" in data[:8192]:
        raise ContentError(path, 1, "this is a binary file, not a Markdown text file")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ContentError(
            path, line, f"not valid UTF-8 (byte 0x{data[exc.start]:02x}); save the file as UTF-8"
        ) from None
    return text.removeprefix("\ufeff")


def split(path: str, text: str) -> Post:
    """Split `---` YAML front matter from the Markdown body and parse it with positions."""
    lines = text.splitlines(keepends=True)
    start = 0
    while start < len(lines) and not lines[start].strip():
        start += 1
    if start >= len(lines) or not FENCE.match(lines[start].rstrip("\r\n")):
        raise ContentError(
            path, 1, "no front matter: a post starts with a line of three dashes (---)"
        )
    end = next(
        (i for i in range(start + 1, len(lines)) if FENCE.match(lines[i].rstrip("\r\n"))), None
    )
    if end is None:
        raise ContentError(
            path, start + 1, "front matter is never closed: add a line '---' after it"
        )
    header = "".join(lines[start + 1 : end])
    first = start + 2  # file line of the header's first line
    meta, key_lines = parse_yaml(path, header, first)
    return Post(path, meta, key_lines, "".join(lines[end + 1 :]), end + 2)


def parse_yaml(path: str, text: str, first_line: int = 1) -> tuple[dict, dict[str, int]]:
    """Parse a YAML mapping, returning it with the file line of each top-level key."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else {}
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark and mark.line >= text.count("\n"):
            mark = exc.context_mark  # hit the end while inside a [ or {: point at where it opened
        line = first_line + mark.line if mark else first_line
        what = exc.problem or exc.context or "invalid YAML"
        raise ContentError(path, line, f"front matter is not valid YAML: {what}") from None
    except (yaml.YAMLError, ValueError, TypeError) as exc:
        what = " ".join(str(exc).split())
        raise ContentError(path, first_line, f"front matter is not valid YAML: {what}") from None
    finally:
        loader.dispose()
    if data is None:
        data, node = {}, None
    if not isinstance(data, dict):
        raise ContentError(path, first_line, "front matter must be 'key: value' lines")
    key_lines = {}
    if node is not None:
        for key_node, _ in node.value:
            key_lines[str(key_node.value)] = first_line + key_node.start_mark.line
    return data, key_lines


def parse_date(value) -> dt.datetime | None:
    """Accept what YAML gives (date/datetime) or 'YYYY-MM-DD[ HH:MM[:SS]]' strings."""
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    if isinstance(value, str):
        for fmt in ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d", "%Y-%m-%dT%H:%M:%S"):
            try:
                return dt.datetime.strptime(value.strip(), fmt)
            except ValueError:
                continue
        try:
            return dt.datetime.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def read_post(path: str | Path) -> Post:
    return split(str(path), read_text(path))
