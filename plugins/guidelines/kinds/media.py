"""Hashtags and images: the two accessibility rules.

A screen reader spells out #peakseason letter by letter but reads #PeakSeason as two words;
an image without a real description is invisible to anyone who cannot see it. Both rules
look wherever the thing can appear: hashtags in the prose and the front-matter `tags`
(which become hashtags on every platform), images in Markdown, in raw <img> and in the
front-matter `image_alt`.
"""

from __future__ import annotations

import posixpath
import re
from functools import lru_cache

from plugins.guidelines.kinds.base import Kind, fill, finding, number, spans, string_list
from plugins.guidelines.model import OptionError
from plugins.guidelines.prose import analyse, scoped_text

HASHTAG = re.compile(r"(?<![\w&#/])#([^\W\d_]\w*)")
ACRONYM_MAX = 4  # #FSC, #WEEE, #AI are fine in capitals


def prepare_hashtags(rule):
    if "camel_case" in rule.options and not isinstance(rule.options["camel_case"], bool):
        raise OptionError("camel_case", "'camel_case' is true or false")
    number(rule, "max")
    number(rule, "max_tags")
    opts = rule.options
    if not (
        opts.get("camel_case") or opts.get("max") is not None or opts.get("max_tags") is not None
    ):
        raise OptionError(None, "give 'camel_case: true', 'max' or 'max_tags'")


def camel(tag: str) -> bool:
    """#PeakSeason, #Rotterdam, #FSC: yes. #peakseason, #PEAKSEASON: no."""
    if tag.isupper():
        return len(tag) <= ACRONYM_MAX
    return tag[:1].isupper()


SHORT_WORDS = {"a", "i", "an", "at", "by", "do", "eu", "go", "hr", "in", "is", "it", "my", "no",
               "of", "on", "or", "to", "uk", "up", "us", "we"}  # fmt: skip
MIN_FREQUENCY = 1_000_000  # in wordsegment's English unigram counts: a real, common word


@lru_cache(maxsize=1)
def _segmenter():
    """wordsegment's English model (Google web n-grams), loaded once and only when a
    hashtag needs it (about half a second)."""
    import wordsegment

    wordsegment.load()
    return wordsegment


def camel_suggestion(tag: str) -> str | None:
    """#parentalleave → #ParentalLeave when every piece is a common English word; None
    when the split would be a guess (#xqzt) or the tag is not plain ASCII letters/digits."""
    lower = tag.lower()
    if not lower.isascii() or not lower.isalnum():
        return None
    seg = _segmenter()
    words = seg.segment(lower)
    if "".join(words) != lower:
        return None
    if len(words) > 1 and not all(
        w.isdigit()
        or ((len(w) > 2 or w in SHORT_WORDS) and seg.UNIGRAMS.get(w, 0) >= MIN_FREQUENCY)
        for w in words
    ):
        return None
    return "#" + "".join(w[:1].upper() + w[1:] for w in words)


def check_hashtags(rule, post, ctx):
    text = scoped_text(post)
    limit = rule.options.get("max")
    for _scope, start, end in spans(rule, post):
        found = list(HASHTAG.finditer(text, start, end))
        if rule.options.get("camel_case"):
            for match in found:
                tag = match.group(1)
                if not camel(tag):
                    suggestion = camel_suggestion(tag)
                    message = fill(rule.message, match="#" + tag, suggestion=suggestion or "")
                    yield finding(
                        rule,
                        post,
                        match.start(),
                        message=message,
                        suggestion=suggestion,
                        end=match.end(),
                    )
        if limit is not None and len(found) > limit:
            message = fill(rule.message, count=len(found), max=limit)
            yield finding(rule, post, found[int(limit)].start(), message=message)
    max_tags = rule.options.get("max_tags")
    if max_tags is not None and len(post.tags) > max_tags:
        message = fill(rule.message, count=len(post.tags), max=max_tags)
        yield finding(rule, post, line=post.line_of("tags"), message=message)
    if rule.options.get("camel_case"):
        for tag in post.tags:
            if tag.startswith("#"):
                message = f"write the tag '{tag}' without '#': Chorus adds it. {rule.message}"
                yield finding(
                    rule, post, line=post.line_of("tags"), message=fill(message, match=tag)
                )


def describe_hashtags(rule) -> str:
    parts = []
    if rule.options.get("camel_case"):
        parts.append("write hashtags in CamelCase (#PeakSeason, not #peakseason)")
    if rule.options.get("max") is not None:
        parts.append(f"at most {rule.options['max']} hashtags in one text")
    if rule.options.get("max_tags") is not None:
        parts.append(f"at most {rule.options['max_tags']} tags")
    return "; ".join(parts)


# --- images --------------------------------------------------------------------------------

DEFAULT_BAD_ALT = ["image", "picture", "photo", "img", "screenshot", "graphic", "alt", "foto"]


def prepare_images(rule):
    low = number(rule, "min_chars", 4)
    return [b.casefold() for b in string_list(rule, "bad_alt") or DEFAULT_BAD_ALT], low


def alt_problem(alt: str | None, src: str, bad: list[str], min_chars: float) -> str | None:
    """Why an alt text does not describe the image (None when it does)."""
    if alt is None:
        return "this image has no alt text"
    text = " ".join(alt.split())
    if not text:
        return "this image's alt text is empty"
    stem = posixpath.splitext(posixpath.basename(src.split("?")[0]))[0]
    name = posixpath.basename(src.split("?")[0]).casefold()
    words = re.sub(r"[-_.]+", " ", stem).casefold().strip()
    lowered = text.casefold().rstrip(".")
    if lowered in bad:
        return f"'{text}' does not describe the image"
    if lowered in (name, stem.casefold(), words):
        return "the alt text is the file name; describe what the image shows"
    if len(text) < min_chars:
        return f"'{text}' is too short to describe the image"
    return None


def check_images(rule, post, ctx):
    bad, min_chars = rule.compiled
    for image in analyse(post).images:
        problem = alt_problem(image.alt, image.src, bad, min_chars)
        if problem:
            yield finding(rule, post, image.alt_offset, message=f"{problem}. {rule.message}")
    if post.meta.get("image"):
        alt = post.meta.get("image_alt")
        problem = alt_problem(
            alt if isinstance(alt, str) else None, str(post.meta["image"]), bad, min_chars
        )
        if problem:
            key = "image_alt" if "image_alt" in post.lines else "image"
            yield finding(rule, post, line=post.line_of(key), message=f"{problem}. {rule.message}")


def describe_images(rule) -> str:
    return "describe every image in its alt text (not 'image', not the file name)"


KINDS = [
    Kind(
        "hashtags",
        check_hashtags,
        describe_hashtags,
        prepare_hashtags,
        optional=("camel_case", "max", "max_tags"),
    ),
    Kind(
        "images",
        check_images,
        describe_images,
        prepare_images,
        optional=("bad_alt", "min_chars"),
        prose=False,
    ),
]
