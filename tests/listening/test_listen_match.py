"""Watch terms: whole words, any case, Unicode-aware, routed to departments."""

from __future__ import annotations

import pytest

from conversations.listening.match import Matcher, find_mentions
from conversations.listening.sources import Term
from plugins.listening.parse import Entry

TERMS = [
    Term(
        "Alder & Finch",
        ("Alder & Finch", "Alder and Finch", "AlderFinch"),
        ("marketing", "support"),
    ),
    Term("hori-hori", ("hori-hori",), ("product",)),
    Term("Straße", ("Gartenstraße",), ("sales",)),
    Term("C++", ("C++",), ("it",)),
]


def entry(title: str, summary: str = "") -> Entry:
    return Entry("id", title, None, "src", None, summary)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Alder & Finch opens a shop", ["Alder & Finch"]),
        ("ALDER AND FINCH opens a shop", ["Alder & Finch"]),
        ("alder   and\nfinch", ["Alder & Finch"]),  # any whitespace between words
        ("Alder\u00a0&\u00a0Finch", ["Alder & Finch"]),  # NBSP (NFKC)
        ("(AlderFinch)", ["Alder & Finch"]),
        ("AlderFinches are birds", []),  # not a whole word
        ("a Hori-Hori, please", ["hori-hori"]),
        ("horihori", []),
        ("shop in der GARTENSTRASSE", ["Straße"]),  # full case folding
        ("written in C++.", ["C++"]),  # a term ending in punctuation
        ("C++11", []),  # a number glued on: another word
        ("ÉAlder & Finch", []),  # a letter of another script glued on is still a word
    ],
)
def test_matches(text, expected):
    assert [t.term for t in Matcher(TERMS).find(text)] == expected


def test_mention_routes_to_every_department_of_every_term_once():
    mentions = find_mentions(
        [entry("Alder & Finch hori-hori", "<p>made by <b>Alder and Finch</b></p>"), entry("Other")],
        TERMS,
    )
    assert len(mentions) == 1
    m = mentions[0]
    assert m.terms == ("Alder & Finch", "hori-hori")
    assert m.departments == ("marketing", "support", "product")
    assert m.to_dict()["departments"] == ["marketing", "support", "product"]


def test_markup_does_not_hide_or_fake_a_mention():
    # tags between the words are not whitespace in the text; an attribute is not text
    assert find_mentions([entry("x", '<p title="Alder & Finch">nothing</p>')], TERMS) == []
    found = find_mentions([entry("x", "<p>Alder &amp; <em>Finch</em></p>")], TERMS)
    assert [m.terms for m in found] == [("Alder & Finch",)]
