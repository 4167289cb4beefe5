"""Graphemes, code units and where a text may be cut.

Every platform limit is about what a person sees, so cutting works on extended grapheme
clusters (regex `\\X`): a flag, a family emoji, a skin tone or a letter with its combining
accent is never split, whatever unit the platform then counts in.
"""

from __future__ import annotations

import regex

GRAPHEME = regex.compile(r"\X")
# Scripts written without spaces between words: any boundary between two of their
# characters is a word boundary (otherwise a Japanese post could only be cut at its end).
NO_SPACE_SCRIPT = regex.compile(
    r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}\p{Lao}\p{Khmer}\p{Myanmar}\p{Hangul}"
    r"\u3000-\u303f\uff00-\uffef]"
)
# What may hang at a cut before the ellipsis goes on: "word, …" reads worse than "word…".
TRAILING = regex.compile(r"[\s,;:.\-\u2010-\u2015\u3001\u3002\uff0c\uff1a\uff1b\u060c\u061b]+$")
EMOJI = regex.compile(r"\p{Extended_Pictographic}|\p{Regional_Indicator}|\u20e3")
ELLIPSIS = "…"
# A URL or an atomic mark (layout.py's link back / hashtag line) at the very end.
ENDS_WITH_LINK = regex.compile(r"(?:https?://\S+|[\ue000-\uf8ff])$")


def graphemes(text: str) -> list[str]:
    return GRAPHEME.findall(text)


def grapheme_len(text: str) -> int:
    return len(GRAPHEME.findall(text))


def utf16_len(text: str) -> int:
    """JavaScript's `string.length`, which is what web composers (LinkedIn, Facebook,
    Slack) count; never less than the number of code points or graphemes."""
    return len(text.encode("utf-16-le")) // 2


def utf8_len(text: str) -> int:
    return len(text.encode("utf-8"))


def is_emoji(cluster: str) -> bool:
    return EMOJI.search(cluster) is not None


def cut_points(clusters: list[str]) -> list[int]:
    """Where the text may be cut, as grapheme counts to keep (ascending, 0 excluded).

    Before any whitespace, and between two characters of a script without spaces. Never
    inside a cluster, since the unit is the cluster.
    """
    points = []
    for i in range(1, len(clusters)):
        here, before = clusters[i], clusters[i - 1]
        if before.isspace():
            continue
        if here.isspace() or NO_SPACE_SCRIPT.match(here) or NO_SPACE_SCRIPT.match(before):
            points.append(i)
    return points


def cut(clusters: list[str], keep: int) -> str:
    """The first `keep` clusters with the ellipsis, minus the space or comma it would hang
    on; the whole text when nothing is cut."""
    if keep >= len(clusters):
        return "".join(clusters)
    kept = TRAILING.sub("", "".join(clusters[:keep]))
    if not kept:
        return ""
    # "https://a.example/x…" would read (and link) as part of the URL; so would a mark.
    return kept + (" " if ENDS_WITH_LINK.search(kept) else "") + ELLIPSIS


def shorten(text: str, limit: int | None) -> str:
    """`text` in at most `limit` graphemes, the ellipsis included: cut at the last word
    boundary that fits, inside a word only when no boundary does (one very long word)."""
    clusters = graphemes(text)
    if limit is None or len(clusters) <= limit:
        return text
    fitting = [p for p in cut_points(clusters) if p < limit]
    for keep in [*sorted(fitting, reverse=True), *range(limit - 1, 0, -1)]:
        shortened = cut(clusters, keep)
        if shortened and grapheme_len(shortened) <= limit:
            return shortened
    return ""


def clean(text: str) -> str:
    """One paragraph style for every source: no trailing spaces, at most one blank line."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return regex.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
