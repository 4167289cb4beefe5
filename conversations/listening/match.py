"""Watch terms found in entries, on word boundaries, whatever the case or Unicode form.

Why the `regex` package and not `re`: full Unicode case folding (`STRASSE` matches
`Straße`), and `\\p{L}`/`\\p{N}` for a word boundary that also holds next to letters of any
script. Why lookarounds and not `\\b`: a term may begin or end with a non-word character
("Alder & Finch", "C++"), where `\\b` means something else. Spaces inside a term match any
run of whitespace, and text and terms are both NFKC-normalised so that a non-breaking space
or a full-width letter in a source still counts.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import regex

from conversations.listening.sources import Term
from core.text import html_to_text
from plugins.listening.parse import Entry

_EDGE_BEFORE = r"(?<![\p{L}\p{N}\p{M}_])"
_EDGE_AFTER = r"(?![\p{L}\p{N}\p{M}_])"


@dataclass(frozen=True)
class Mention:
    entry: Entry
    terms: tuple[str, ...]  # Term.term of each term found, in listening.yaml order
    departments: tuple[str, ...]  # every department those terms route to, in order

    def to_dict(self) -> dict:
        return {
            **self.entry.to_dict(),
            "terms": list(self.terms),
            "departments": list(self.departments),
        }


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def _alias_pattern(alias: str) -> str:
    words = _norm(alias).split()
    return r"\s+".join(regex.escape(w) for w in words)


def compile_term(term: Term) -> regex.Pattern:
    """One pattern for all of a term's spellings, longest first (so "Alder & Finch Co."
    is preferred to "Alder & Finch" — it does not change *whether* it matches, only what)."""
    aliases = sorted(term.aliases, key=len, reverse=True)
    body = "|".join(_alias_pattern(a) for a in aliases)
    return regex.compile(
        f"{_EDGE_BEFORE}(?:{body}){_EDGE_AFTER}", regex.IGNORECASE | regex.FULLCASE | regex.V0
    )


class Matcher:
    def __init__(self, terms: list[Term]):
        self.terms = [(t, compile_term(t)) for t in terms]

    def find(self, text: str) -> list[Term]:
        text = _norm(text)
        return [term for term, pattern in self.terms if pattern.search(text)]

    def mention(self, entry: Entry) -> Mention | None:
        """A Mention when the title or summary names a watch term, else None."""
        found = self.find(f"{entry.title}\n{html_to_text(entry.summary_html)}")
        if not found:
            return None
        departments = dict.fromkeys(d for t in found for d in t.departments)
        return Mention(entry, tuple(t.term for t in found), tuple(departments))


def find_mentions(entries: list[Entry], terms: list[Term]) -> list[Mention]:
    matcher = Matcher(terms)
    return [m for m in (matcher.mention(e) for e in entries) if m is not None]
