"""Numbers about a post: readability grade, sentence length, post length, title and
summary length.

The readability grade is the Flesch–Kincaid formula as textstat computes it. textstat
itself is not used: version 0.7 looks English syllables up in NLTK's cmudict, which it
*downloads at run time* (no network here, nor in CI, and a lint must not fetch anything).
Syllables are counted the way textstat falls back to without it, by Pyphen hyphenation,
cached per word.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from plugins.guidelines.kinds.base import Kind, fill, finding, number
from plugins.guidelines.model import OptionError
from plugins.guidelines.prose import WORD, analyse, plain_sentences

if TYPE_CHECKING:
    import pyphen

METRICS = {  # metric → (what is measured, its unit; None: a score with no unit)
    "readability_grade": ("the readability grade (Flesch–Kincaid school grade)", None),
    "sentence_words": ("each sentence", "words"),
    "post_words": ("the post", "words"),
    "title_chars": ("the title", "characters"),
    "summary_chars": ("the summary", "characters"),
}


@lru_cache(maxsize=1)
def _dictionary() -> pyphen.Pyphen:
    """Loaded on the first word counted (0.14 s): a run whose posts all come from the
    cache, such as a preview after a build, never needs it (nor imports it)."""
    import pyphen

    return pyphen.Pyphen(lang="en_US")


@lru_cache(maxsize=50_000)
def syllables(word: str) -> int:
    return len(_dictionary().positions(word)) + 1


def fk_grade(sentences: int, words: list[str]) -> float:
    """Flesch–Kincaid grade level, as textstat.flesch_kincaid_grade computes it."""
    if not sentences or not words:
        return 0.0
    total = sum(syllables(w.lower()) for w in words)
    return 0.39 * len(words) / sentences + 11.8 * total / len(words) - 15.59


def prepare(rule):
    metric = rule.options.get("metric")
    if metric not in METRICS:
        raise OptionError("metric", f"unknown metric '{metric}' (known: {', '.join(METRICS)})")
    low, high = number(rule, "min"), number(rule, "max")
    if low is None and high is None:
        raise OptionError(None, "give 'min', 'max' or both")
    return metric


def _out_of_range(rule, value: float) -> bool:
    low, high = rule.options.get("min"), rule.options.get("max")
    return (high is not None and value > high) or (low is not None and value < low)


def check(rule, post, ctx):
    metric = rule.compiled
    values = {"min": rule.options.get("min"), "max": rule.options.get("max")}
    if metric == "sentence_words":
        for offset, words in plain_sentences(post):
            if _out_of_range(rule, words):
                yield finding(rule, post, offset, message=fill(rule.message, value=words, **values))
        return
    if metric in ("title_chars", "summary_chars"):
        key = metric.split("_")[0]
        value = " ".join(str(post.meta.get(key) or "").split())
        if key not in post.meta:
            return  # a missing field is the metadata rule's business
        count = len(value)
        if _out_of_range(rule, count):
            message = fill(rule.message, value=count, **values)
            yield finding(rule, post, line=post.line_of(key), message=message)
        return
    prose = analyse(post)
    words: list[str] = []
    for start, end in prose.paragraphs:
        words.extend(WORD.findall(prose.prose, start, end))
    if metric == "post_words":
        value = len(words)
    else:
        sentences = len(plain_sentences(post))
        if len(words) < 30:
            return  # a grade for three sentences is noise
        value = round(fk_grade(sentences, words), 1)
    if _out_of_range(rule, value):
        message = fill(rule.message, value=value, **values)
        yield finding(rule, post, line=post.body_line, message=message)


def describe(rule) -> str:
    """ "Keep the title to 90 characters or fewer", "Keep the readability grade at 12 or
    below": the measured thing first, the number with its unit."""
    what, unit = METRICS[rule.options["metric"]]
    low, high = rule.options.get("min"), rule.options.get("max")
    if low is not None and high is not None:
        return f"keep {what} between {_n(low)} and {_n(high)}{' ' + unit if unit else ''}"
    if high is not None:
        return (
            f"keep {what} to {_n(high)} {unit} or fewer"
            if unit
            else f"keep {what} at {_n(high)} or below"
        )
    return (
        f"make {what} at least {_n(low)} {unit} long"
        if unit
        else f"keep {what} at {_n(low)} or above"
    )


def _n(value: float) -> str:
    """2500 → "2,500"; a whole float → an int."""
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,}"


KINDS = [Kind("metric", check, describe, prepare, required=("metric",), optional=("min", "max"))]
