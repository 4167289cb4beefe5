"""Findings marked where they are in the rendered post, for the preview: "line 14, column
5" means nothing to someone looking at the page, a highlight on the words does.

A finding knows its place in the Markdown source (line, column, end); the words there are
looked for in the text of the rendered HTML, in order, and the first occurrence after the
previous mark is wrapped in a <mark> that can be focused, followed by the message. Text is
matched only between tags (never in an attribute), as the escaped HTML the sanitizer
wrote. A finding whose words are not in the page (front matter, a link target, an image
path) is not marked: the list beside the post still names it.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from plugins.guidelines.model import Finding

_TAG = re.compile(r"(<[^>]*>)")
MAX_WORDS = 200  # a finding on a whole paragraph is listed, not painted


@dataclass(frozen=True)
class Marked:
    html: str
    ids: dict[int, str]  # index in the findings list → the id of its mark


def source_words(source: str, finding: Finding) -> str:
    """The text a finding covers in the source, or "" when it has no span on one line."""
    if not finding.end_column or (finding.end_line or finding.line) != finding.line:
        return ""
    lines = source.split("\n")
    if not 0 < finding.line <= len(lines):
        return ""
    words = lines[finding.line - 1][finding.column - 1 : finding.end_column - 1]
    return words if words.strip() and len(words) <= MAX_WORDS else ""


def mark_findings(
    content: str, findings: list[Finding], source: str, body_line: int = 1, prefix="finding"
) -> Marked:
    """`content`: the post's rendered HTML (its body); `source`: the Markdown file's text;
    `body_line`: the file's line where the body starts (a finding above it is in the front
    matter: the title's words may also be in the body, but that is not where it is)."""
    pieces = _TAG.split(content)
    ids: dict[int, str] = {}
    order = sorted(range(len(findings)), key=lambda i: (findings[i].line, findings[i].column))
    at_piece, at_char = 0, 0
    for index in order:
        if findings[index].line < body_line:
            continue
        words = source_words(source, findings[index])
        if not words:
            continue
        needle = html.escape(words, quote=False)
        found = _find(pieces, needle, at_piece, at_char)
        if found is None:
            continue
        piece, start = found
        mark_id = f"{prefix}-{index + 1}"
        ids[index] = mark_id
        f = findings[index]
        text = pieces[piece]
        wrapped = (
            f'<mark class="finding-mark finding-mark-{f.level}" id="{mark_id}" tabindex="0"'
            f' aria-describedby="{mark_id}-note">{needle}</mark>'
            f'<span class="finding-note finding-note-{f.level}" id="{mark_id}-note"'
            f' role="note">{html.escape(f.level)}: {html.escape(f.message)}</span>'
        )
        pieces[piece] = text[:start] + wrapped + text[start + len(needle) :]
        at_piece, at_char = piece, start + len(wrapped)
    return Marked("".join(pieces), ids)


def _find(pieces: list[str], needle: str, piece: int, char: int) -> tuple[int, int] | None:
    for i in range(piece, len(pieces)):
        if i % 2:  # odd pieces are tags
            continue
        at = pieces[i].find(needle, char if i == piece else 0)
        if at >= 0:
            return i, at
    return None
