"""Term lists → one compiled regex per rule, built once per guidelines load.

Guideline owners write plain phrases ("risk-free", "I'm affiliated", "#spon"); this turns
them into patterns that also match across a line break, with either apostrophe, in any
case, and only as whole words. One alternation per rule keeps the lint one regex scan per
rule per post, however long the lists grow.
"""

from __future__ import annotations

import re

_APOSTROPHE = re.compile(r"['’]")


def term_pattern(term: str) -> str:
    """A literal phrase as a regex: whole words, flexible whitespace and apostrophes."""
    words = [re.escape(word) for word in term.split()]
    body = r"\s+".join(words)
    body = _APOSTROPHE.sub("['’]", body.replace("\\'", "'"))
    start = r"(?<![\w#@])" if term[:1].isalnum() or term[:1] in "#@" else ""
    end = r"(?![\w])" if term[-1:].isalnum() or term[-1:] == "_" else ""
    return f"{start}{body}{end}"


def _word_bounded(term: str) -> bool:
    return (term[:1].isalnum() or term[:1] in "#@") and (term[-1:].isalnum() or term[-1:] == "_")


def _inner(term: str) -> str:
    return _APOSTROPHE.sub("['’]", r"\s+".join(re.escape(word) for word in term.split()))


class Terms:
    """A compiled term list: one regex, plus the words every match must contain, so a post
    that has none of them is skipped with a few substring searches instead of a regex scan
    (most posts mention no code name, no customer, no competitor)."""

    def __init__(self, pattern: re.Pattern, literals: tuple[str, ...] | None):
        self.pattern = pattern
        self.literals = literals  # None: regexes given, no prefilter possible

    def _maybe(self, text: str, start: int, end: int) -> bool:
        if self.literals is None:
            return True
        low = lowered(text)
        return any(low.find(word, start, end) >= 0 for word in self.literals)

    def finditer(self, text: str, start: int = 0, end: int | None = None):
        end = len(text) if end is None else end
        return self.pattern.finditer(text, start, end) if self._maybe(text, start, end) else ()

    def search(self, text: str, start: int = 0, end: int | None = None) -> re.Match | None:
        end = len(text) if end is None else end
        return self.pattern.search(text, start, end) if self._maybe(text, start, end) else None

    def fullmatch(self, text: str) -> re.Match | None:
        return self.pattern.fullmatch(text)


_LOWERED: list = [None, ""]


def lowered(text: str) -> str:
    """text.lower(), remembered for the last text (every rule reads the same post)."""
    if _LOWERED[0] is not text:
        _LOWERED[0], _LOWERED[1] = text, text.lower()
    return _LOWERED[1]


def compile_terms(
    terms: list[str] | None = None,
    patterns: list[str] | None = None,
    case_sensitive: bool = False,
    clues: list[str] | None = None,
) -> Terms | None:
    """One matcher for any term or regex (None when both lists are empty). Longer terms
    first, so "risk-free" wins over "risk"; whole-word terms share one pair of lookarounds
    (Python's re retries every alternative's lookbehind at every position otherwise: 4x
    slower). Raises re.error for a bad regex."""
    terms = sorted((t.strip() for t in terms or () if t.strip()), key=len, reverse=True)
    bounded = [_inner(t) for t in terms if _word_bounded(t)]
    parts = [r"(?<![\w#@])(?:" + "|".join(bounded) + r")(?![\w])"] if bounded else []
    parts += [term_pattern(t) for t in terms if not _word_bounded(t)]
    for pattern in patterns or ():
        re.compile(pattern)  # report the bad one by itself, not the combined monster
        parts.append(f"(?:{pattern})")
    if not parts:
        return None
    flags = 0 if case_sensitive else re.IGNORECASE
    literals = None
    if not patterns or clues:
        # `clues`: text every match of the patterns contains (a rule's promise), so a post
        # without any of them is skipped without running the regexes at all
        literals = tuple(
            {max(re.findall(r"\w+", t.lower()) or [t.lower()], key=len) for t in terms}
            | {c.lower() for c in clues or ()}
        )
    return Terms(re.compile("|".join(parts), flags), literals)


def normalise(text: str) -> str:
    """How two spellings of one term compare: case, spacing and apostrophes ignored."""
    return " ".join(_APOSTROPHE.sub("'", text).casefold().split())


def quote_list(items: list[str], limit: int = 4, last: str = "or", quote: str = "'") -> str:
    """'a', 'b' or 'c' — for plain-language rule descriptions and messages."""
    if not items:
        return ""
    shown = [f"{quote}{item}{quote}" for item in items[:limit]]
    if len(items) > limit:
        shown.append("…")
    if len(shown) == 1:
        return shown[0]
    return ", ".join(shown[:-1]) + f" {last} " + shown[-1]
