"""Read a post file: bytes → text → YAML front matter + Markdown body, with line numbers.

Plain Python, no Pelican: the build's reader, `invoke new` and the lint share it.
Every failure is a ContentError pointing at the file and, where known, the line.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

import yaml

from core.yamltext import yaml_error
from plugins.problems import ContentError

try:  # libyaml is ~10x faster; fall back to pure Python where it is missing
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _BaseLoader


class _Loader(_BaseLoader):
    """Safe YAML, but dates stay text: we parse them ourselves so that a bad date gets a
    message at its line instead of a bare ValueError from deep inside PyYAML."""

    yaml_implicit_resolvers: ClassVar[dict] = {
        first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
    }


FENCE = re.compile(r"^(---|\.\.\.)[ \t]*$")
MAX_POST_BYTES = 1_000_000  # a post is prose; a megabyte of it is a mistake (or an attack)
STATUSES = ("published", "draft", "retracted")
_UTF16_BOMS = ((b"\xff\xfe\x00\x00", "UTF-32"), (b"\xff\xfe", "UTF-16"), (b"\xfe\xff", "UTF-16"))


@dataclass
class Post:
    """A post file split into its parts; `lines` maps each front-matter key to its line."""

    path: str
    meta: dict
    lines: dict[str, int] = field(default_factory=dict)
    body: str = ""
    body_line: int = 1  # file line where the body starts
    start_line: int = 1  # file line of the opening `---`: where a missing field belongs

    def line_of(self, key: str) -> int:
        return self.lines.get(key, self.start_line)


def read_text(path: str | Path) -> str:
    """Decode a file as UTF-8, refusing binary and mis-encoded files with a located error.

    The size is checked before reading, so a runaway file (a log pasted as a post, a disk
    image renamed .md) costs one stat, not its size in memory.
    """
    path = str(path)
    try:
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > MAX_POST_BYTES:
                raise ContentError(
                    path,
                    None,
                    f"file is {size:,} bytes; a post may be at most {MAX_POST_BYTES:,}:"
                    " split it, or link to large material instead of pasting it",
                )
            data = handle.read(MAX_POST_BYTES + 1)
    except OSError as exc:
        raise ContentError(path, None, f"cannot read file: {exc.strerror or exc}") from None
    if len(data) > MAX_POST_BYTES:  # it grew between stat and read, or is not a plain file
        raise ContentError(path, None, f"file is larger than {MAX_POST_BYTES:,} bytes")
    for bom, name in _UTF16_BOMS:
        if data.startswith(bom):
            raise ContentError(path, 1, f"file is saved as {name}; save it as UTF-8")
    nul = data.find(b"\x00")
    if 0 <= nul < 8192:  # how git and grep tell binary from text
        raise ContentError(path, None, "this is a binary file, not a Markdown text file")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        raise ContentError(path, line, "a NUL character (byte 0x00) is in this line; remove it")
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
    return Post(path, meta, key_lines, "".join(lines[end + 1 :]), end + 2, start + 1)


def parse_yaml(
    path: str, text: str, first_line: int = 1, what: str = "front matter"
) -> tuple[dict, dict[str, int]]:
    """Parse a YAML mapping, returning it with the file line of each key.

    Lines are keyed by top-level name and, one level down, by "parent.child" (people's
    `accounts.website`, a department's `warehouse.syndicate`), so an error can point at the
    exact line to fix. `what` names the text in messages ("front matter", "this file").
    """
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else {}
    except yaml.MarkedYAMLError as exc:
        raise yaml_error(path, exc, text, first_line, what) from None
    except (yaml.YAMLError, ValueError, TypeError, RecursionError) as exc:
        detail = " ".join(str(exc).split())
        raise ContentError(path, first_line, f"{what} is not valid YAML: {detail}") from None
    finally:
        loader.dispose()
    if data is None:
        data, node = {}, None
    if not isinstance(data, dict):
        raise ContentError(path, first_line, f"{what} must be 'key: value' lines")
    key_lines: dict[str, int] = {}
    if node is not None:
        _key_lines(path, node, first_line, "", key_lines, what)
    return data, key_lines


def _key_lines(path, node, first_line, prefix, out, what, depth=0) -> None:
    """Record each key's line; a key given twice is an error (YAML would silently keep the
    last one, and the author would wonder why their first value is ignored)."""
    seen: dict[str, int] = {}
    for key_node, value_node in node.value:
        line = first_line + key_node.start_mark.line
        if not isinstance(key_node, yaml.ScalarNode) or (
            depth == 0 and key_node.tag != "tag:yaml.org,2002:str"
        ):
            raise ContentError(path, line, f"{what}: a field name must be a word, like 'title'")
        key = str(key_node.value)
        if key in seen:
            raise ContentError(
                path, line, f"'{prefix}{key}' is given twice (also on line {seen[key]}); keep one"
            )
        seen[key] = line
        out[prefix + key] = line
        if depth == 0 and isinstance(value_node, yaml.MappingNode):
            _key_lines(path, value_node, first_line, f"{key}.", out, what, depth + 1)


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
