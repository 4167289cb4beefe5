"""Word rules over prose: existence, substitution, occurrence, conditional.

All four read only prose (code, URLs and comments are blanked by prose.py) in the rule's
scopes, and report the exact position of the words that triggered them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from plugins.guidelines.kinds.base import (
    Kind,
    fill,
    finding,
    number,
    search,
    spans,
    string_list,
    terms_option,
)
from plugins.guidelines.model import OptionError
from plugins.guidelines.prose import scoped_text
from plugins.guidelines.terms import Terms, compile_terms, quote_list, term_pattern

TERM_KEYS = ("terms", "patterns", "case_sensitive")


# --- existence: these words should not appear ---------------------------------------------


@dataclass(frozen=True)
class Existence:
    pattern: Terms
    ignore: Terms | None


def prepare_existence(rule) -> Existence:
    pattern = terms_option(rule)
    if pattern is None:
        raise OptionError("terms", "give 'terms' (plain words) or 'patterns' (regexes)")
    return Existence(pattern, compile_terms(string_list(rule, "ignore")))


def _ignored(ignore: Terms | None, text: str, match: re.Match) -> bool:
    """A match inside an allowed phrase ("Van Dam Hoveniers" is fine, "Van Dam" is not)."""
    if ignore is None:
        return False
    window = max(0, match.start() - 80)
    return any(
        m.start() <= match.start() and match.end() <= m.end()
        for m in ignore.finditer(text, window, match.end() + 80)
    )


def check_existence(rule, post, ctx):
    compiled: Existence = rule.compiled
    text = scoped_text(post)
    for match in search(compiled.pattern, rule, post):
        if not _ignored(compiled.ignore, text, match):
            message = fill(rule.message, match=" ".join(match.group().split()))
            yield finding(rule, post, match.start(), message=message, end=match.end())


def describe_existence(rule) -> str:
    terms = string_list(rule, "terms")
    return f"don't write {quote_list(terms)}" if terms else "avoid wording the rule lists"


# --- substitution: prefer X to Y -----------------------------------------------------------


@dataclass(frozen=True)
class Choice:
    """What to say instead of one avoided term. `consider`: the rewrite depends on the
    sentence, so it is advice, never an automatic suggestion. `unless`: contexts (regexes
    searched in the same sentence) where the term is right ("leave, guaranteed by law")."""

    say: str
    consider: bool = False
    unless: re.Pattern | None = None
    message: str = ""


@dataclass(frozen=True)
class Substitution:
    pattern: Terms
    choices: list[tuple[re.Pattern, Choice]]  # each avoided term alone, with its choice


def _choice(term: str, value, flags: int) -> Choice:
    if isinstance(value, str):
        return Choice(value)
    if not isinstance(value, dict) or not isinstance(value.get("say"), str):
        raise OptionError(
            "swap", f"'{term}' maps to what to say instead, or to {{say:, consider:, unless:}}"
        )
    unless = [str(u) for u in value.get("unless") or []]
    try:
        context = re.compile("|".join(f"(?:{u})" for u in unless), flags) if unless else None
    except re.error as exc:
        raise OptionError("swap", f"'{term}': unless pattern does not compile: {exc}") from None
    return Choice(
        value["say"], bool(value.get("consider")), context, str(value.get("message") or "")
    )


def prepare_substitution(rule) -> Substitution:
    swap = rule.options.get("swap")
    if not isinstance(swap, dict) or not swap:
        raise OptionError("swap", "'swap' maps what to avoid to what to say instead")
    flags = 0 if rule.options.get("case_sensitive") else re.IGNORECASE
    choices = [
        (re.compile(term_pattern(str(k)), flags), _choice(str(k), v, flags))
        for k, v in swap.items()
    ]
    pattern = compile_terms([str(k) for k in swap], None, bool(rule.options.get("case_sensitive")))
    return Substitution(pattern, choices)


def _same_case(found: str, replacement: str) -> str:
    if found[:1].isupper() and replacement[:1].islower():
        return replacement[:1].upper() + replacement[1:]
    return replacement


SENTENCE_END = re.compile(r"[.!?\n]")


def _sentence(text: str, start: int, end: int) -> str:
    """The sentence around a match (to its nearest . ! ? or line end on either side)."""
    left = max((m.end() for m in SENTENCE_END.finditer(text, max(0, start - 300), start)),
               default=max(0, start - 300))  # fmt: skip
    right = SENTENCE_END.search(text, end, end + 300)
    return text[left : right.start() if right else end + 300]


def check_substitution(rule, post, ctx):
    compiled: Substitution = rule.compiled
    text = scoped_text(post)
    for match in search(compiled.pattern, rule, post):
        found = match.group()
        choice = next((c for p, c in compiled.choices if p.fullmatch(found)), Choice(""))
        if choice.unless and choice.unless.search(_sentence(text, match.start(), match.end())):
            continue
        instead = _same_case(found, choice.say)
        shown = " ".join(found.split())
        if choice.consider:
            template = choice.message or "'{match}': consider {suggestion}."
            message = fill(template, match=shown, suggestion=choice.say)
            yield finding(rule, post, match.start(), message=message, end=match.end())
            continue
        message = fill(choice.message or rule.message, match=shown, suggestion=instead)
        if "{suggestion}" not in (choice.message or rule.message):
            message = f"{message} Write '{instead}' instead of '{shown}'."
        yield finding(
            rule, post, match.start(), message=message, suggestion=instead, end=match.end()
        )


def describe_substitution(rule) -> str:
    swap = rule.options["swap"]
    pairs = [
        f"'{v}' instead of '{k}'"
        if isinstance(v, str)
        else (f"instead of '{k}', consider {v.get('say')}" if v.get("consider")
              else f"'{v.get('say')}' instead of '{k}'")
        for k, v in list(swap.items())[:3]
    ]  # fmt: skip
    more = ", …" if len(swap) > 3 else ""
    return "say " + ", ".join(pairs) + more


# --- occurrence: at least / at most N times ------------------------------------------------


def prepare_occurrence(rule):
    pattern = terms_option(rule)
    if pattern is None:
        raise OptionError("terms", "give 'terms' or 'patterns' to count")
    low, high = number(rule, "min"), number(rule, "max")
    if low is None and high is None:
        raise OptionError(None, "give 'min', 'max' or both")
    return pattern


def check_occurrence(rule, post, ctx):
    matches = list(search(rule.compiled, rule, post))
    low, high = rule.options.get("min"), rule.options.get("max")
    count = len(matches)
    values = {"count": count, "min": low, "max": high}
    if high is not None and count > high:
        first_extra = matches[int(high)]
        yield finding(rule, post, first_extra.start(), message=fill(rule.message, **values))
    elif low is not None and count < low:
        where = spans(rule, post)
        start = where[0][1] if where else None
        yield finding(rule, post, start, message=fill(rule.message, **values))


def describe_occurrence(rule) -> str:
    what = quote_list(string_list(rule, "terms")) or "the listed pattern"
    low, high = rule.options.get("min"), rule.options.get("max")
    if low is not None and high is not None:
        return f"use {what} between {low} and {high} times"
    return (
        f"use {what} at most {high} times"
        if high is not None
        else f"use {what} at least {low} times"
    )


# --- conditional: if A appears, B must too -------------------------------------------------


@dataclass(frozen=True)
class Conditional:
    when: Terms
    then: Terms


def _terms_block(rule, key: str) -> Terms:
    value = rule.options.get(key)
    if isinstance(value, list):
        terms, patterns = [str(v) for v in value], []
    elif isinstance(value, dict):
        terms = [str(v) for v in value.get("terms") or []]
        patterns = [str(v) for v in value.get("patterns") or []]
    else:
        raise OptionError(key, f"'{key}' is a list of terms, or 'terms:' and 'patterns:'")
    pattern = compile_terms(terms, patterns, bool(rule.options.get("case_sensitive")))
    if pattern is None:
        raise OptionError(key, f"'{key}' lists nothing")
    return pattern


def prepare_conditional(rule) -> Conditional:
    return Conditional(_terms_block(rule, "if"), _terms_block(rule, "then"))


def check_conditional(rule, post, ctx):
    """Checked per span: a Bluesky text travels alone, so the disclosure must be in it."""
    compiled: Conditional = rule.compiled
    text = scoped_text(post)
    for _scope, start, end in spans(rule, post):
        trigger = compiled.when.search(text, start, end)
        if trigger and not compiled.then.search(text, start, end):
            message = fill(rule.message, match=" ".join(trigger.group().split()))
            yield finding(rule, post, trigger.start(), message=message, end=trigger.end())


def describe_conditional(rule) -> str:
    def shown(key):
        value = rule.options[key]
        items = value if isinstance(value, list) else value.get("terms") or ["a listed pattern"]
        return quote_list([str(v) for v in items], 3)

    return f"when you write {shown('if')}, also write {shown('then')}"


KINDS = [
    Kind(
        "existence",
        check_existence,
        describe_existence,
        prepare_existence,
        optional=(*TERM_KEYS, "ignore", "clues"),
    ),
    Kind(
        "substitution",
        check_substitution,
        describe_substitution,
        prepare_substitution,
        required=("swap",),
        optional=("case_sensitive",),
    ),
    Kind(
        "occurrence",
        check_occurrence,
        describe_occurrence,
        prepare_occurrence,
        optional=(*TERM_KEYS, "min", "max"),
    ),
    Kind(
        "conditional",
        check_conditional,
        describe_conditional,
        prepare_conditional,
        required=("if", "then"),
        optional=("case_sensitive",),
    ),
]
