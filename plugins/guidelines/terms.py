"""Term lists → one compiled regex per rule, built once per guidelines load.

Guideline owners write plain phrases ("risk-free", "I'm affiliated", "#spon"); this turns
them into patterns that also match across a line break, with either apostrophe, in any
case, and only as whole words. One alternation per rule keeps the lint one regex scan per
rule per post, however long the lists grow.
"""

from __future__ import annotations

import re
import re._constants as _c
import re._parser as _parser

_APOSTROPHE = re.compile(r"['’]")
_REPEATS = (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT)


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


def _term_literal(term: str) -> str:
    """The longest word of a term as it must appear in a match: with its # or @ ("#sp",
    not the "sp" of every "spring"), never one with an apostrophe (either kind matches)."""
    words = [w for w in term.lower().split() if not _APOSTROPHE.search(w)]
    return max(words or re.findall(r"\w+", term.lower()) or [term.lower()], key=len)


def _inner(term: str) -> str:
    return _APOSTROPHE.sub("['’]", r"\s+".join(re.escape(word) for word in term.split()))


class Terms:
    """A compiled term list: one regex, plus text every match must contain ("literals"),
    so a post is scanned only in the paragraphs holding one of them: most posts mention no
    code name, no customer, no competitor, and those that say "number" say it once. A
    match therefore never spans a blank line (it would join two paragraphs)."""

    def __init__(self, pattern: re.Pattern, literals: tuple[str, ...] | None):
        self.pattern = pattern
        self.literals = literals  # None: no text every match contains; scan everything

    def windows(self, text: str, start: int, end: int) -> list[tuple[int, int]]:
        """The paragraphs of text[start:end] holding a literal, merged, in order."""
        if self.literals is None:
            return [(start, end)]
        low = lowered(text)
        if len(low) != len(text):  # a few letters lower to two ("İ"): offsets would drift
            return [(start, end)]
        found: list[tuple[int, int]] = []
        for word in self.literals:
            at = low.find(word, start, end)
            while at >= 0:
                para = text.rfind(PARAGRAPH_BREAK, start, at)
                a = start if para < 0 else para + len(PARAGRAPH_BREAK)
                b = text.find(PARAGRAPH_BREAK, at, end)
                b = end if b < 0 else b
                found.append((a, b))
                at = low.find(word, b, end)  # the rest of this paragraph is covered
        found.sort()
        merged: list[tuple[int, int]] = []
        for a, b in found:
            if merged and a <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
            else:
                merged.append((a, b))
        return merged

    def finditer(self, text: str, start: int = 0, end: int | None = None):
        end = len(text) if end is None else end
        for a, b in self.windows(text, start, end):
            yield from self.pattern.finditer(text, a, b)

    def search(self, text: str, start: int = 0, end: int | None = None) -> re.Match | None:
        return next(self.finditer(text, start, end), None)

    def fullmatch(self, text: str) -> re.Match | None:
        return self.pattern.fullmatch(text)


PARAGRAPH_BREAK = "\n\n"
MIN_LITERAL = 3  # shorter text ("q", "we") is in nearly every paragraph: not worth finding


def required_literals(pattern: str, flags: int = 0) -> set[str] | None:
    """Lower-case text of which every match of `pattern` contains at least one, read from
    the parsed regex (the way RE2's prefilter does): a run of literal characters is
    required, an alternation requires one of its branches' sets, a repeat at least once
    requires its body's. None when no such set of useful length exists."""
    try:
        tree = _parser.parse(pattern, flags)
    except re.error:
        return None
    found = _sequence(list(tree))
    if not found or min(map(len, found)) < MIN_LITERAL or any("\n" in w for w in found):
        return None
    return found


def _sequence(items: list) -> set[str] | None:
    """The best required set of a sequence: each literal run, each required element."""
    candidates: list[set[str]] = []
    run: list[str] = []
    for op, av in items:
        if op is _c.LITERAL:
            run.append(chr(av).lower())
            continue
        if op in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):
            continue  # zero-width: the characters either side are still adjacent
        if run:
            candidates.append({"".join(run)})
            run = []
        inner: set[str] | None = None
        if op is _c.SUBPATTERN:
            inner = _sequence(list(av[-1]))
        elif op is _c.ATOMIC_GROUP:
            inner = _sequence(list(av))
        elif op is _c.BRANCH:
            branches = [_sequence(list(b)) for b in av[1]]
            if all(branches):
                inner = set().union(*branches)
        elif op in _REPEATS and av[0] >= 1:
            inner = _sequence(list(av[2]))
        if inner:
            candidates.append(inner)
    if run:
        candidates.append({"".join(run)})
    if not candidates:
        return None
    return max(candidates, key=lambda c: (min(map(len, c)), -len(c)))


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
    # `clues`: text every match of the patterns contains (a rule's promise); otherwise
    # read from each pattern. A regex without any (None) means every paragraph is scanned.
    words = {_term_literal(t) for t in terms}
    literals: tuple[str, ...] | None
    if clues:
        literals = tuple(words | {c.lower() for c in clues})
    else:
        found = [required_literals(p, flags) for p in patterns or ()]
        literals = None if None in found else tuple(words.union(*found))
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
