"""Confidential rules: checked everywhere, published nowhere.

A rule marked `confidential: true` in content/guidelines.yaml (internal code names, customers
who have not agreed to be named) works like any other in the lint, the preview and CI: its
messages name the matched term to the author. But the public site must not carry its terms:
the public Guidelines page shows the owners' `describe:` text and says the list is on the
intranet (the intranet site shows it in full), and the publish build reads back everything
it wrote (pages, feeds, metrics, cards, sitemaps, any text file) and fails on a confidential
term found anywhere, whatever put it there (a page, a profile, a listening snapshot, a
changelog entry).
"""

from __future__ import annotations

import html
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from plugins.guidelines.kinds.base import string_list, terms_option
from plugins.guidelines.kinds.text import _ignored
from plugins.guidelines.terms import Terms
from plugins.problems import ContentError
from plugins.text import as_sentence

ON_THE_INTRANET = "The current list is on the intranet."
BINARY_SNIFF = 8192  # as git and grep tell binary from text


@dataclass(frozen=True)
class Guard:
    rule_id: str
    terms: Terms
    ignore: Terms | None


def guards(guidelines) -> list[Guard]:
    """One matcher per confidential rule (its terms and patterns, its case sensitivity)."""
    found = []
    for rule in guidelines.rules if guidelines is not None else []:
        if rule.confidential:
            terms = terms_option(rule)
            if terms is not None:
                found.append(Guard(rule.id, terms, getattr(rule.compiled, "ignore", None)))
    return found


def public_description(rule) -> str:
    """What the public Guidelines page says of a confidential rule: its owners' words."""
    return f"{as_sentence(rule.description)} {ON_THE_INTRANET}"


def internal_description(rule) -> str:
    """The intranet's Guidelines page: the owners' words and the whole list."""
    listed = string_list(rule, "terms")
    patterns = string_list(rule, "patterns")
    if patterns:
        listed.append(f"{len(patterns)} pattern(s) in content/guidelines.yaml")
    return f"{as_sentence(rule.description)} The list: {'; '.join(listed)}."


def matches(text: str, guard: Guard) -> Iterator[tuple[int, str]]:
    """(offset, term) of every confidential term in a file's text, also where it is written
    as HTML entities (`&amp;`) or percent-encoded (share links)."""
    for variant in _variants(text):
        for match in guard.terms.finditer(variant):
            if not _ignored(guard.ignore, variant, match):
                yield (match.start() if variant is text else -1), match.group()


def _variants(text: str) -> Iterator[str]:
    yield text
    if "&" in text:
        yield html.unescape(text)
    if "%" in text:
        yield unquote(text)


def scan_output(folder: str | Path, guidelines, shown_as: str | None = None) -> list[ContentError]:
    """Every confidential term in the text files under `folder`, one error per file and
    term, at its line. `shown_as` names the folder in messages (the build writes into a
    temporary folder that becomes output/)."""
    active = guards(guidelines)
    if not active:
        return []
    folder = Path(folder)
    errors = []
    for dirpath, _dirs, files in os.walk(folder):
        for name in sorted(files):
            path = Path(dirpath) / name
            text = _text(path)
            if text is None:
                continue
            shown = str(Path(shown_as or folder) / path.relative_to(folder))
            for guard in active:
                seen: set[str] = set()
                for offset, term in matches(text, guard):
                    if term in seen:
                        continue
                    seen.add(term)
                    line = text.count("\n", 0, offset) + 1 if offset >= 0 else None
                    errors.append(
                        ContentError(
                            shown,
                            line,
                            f"'{' '.join(term.split())}' is confidential ({guard.rule_id}) and "
                            "would be published here; remove it from the source of this file",
                        )
                    )
    return errors


def _text(path: Path) -> str | None:
    try:
        data = path.read_bytes()
    except OSError:
        return None
    if b"\x00" in data[:BINARY_SNIFF]:
        return None
    return data.decode("utf-8", errors="replace")
