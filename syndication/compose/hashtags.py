"""Post tags → hashtags: `customer service` → CustomerService, `zero-waste` → ZeroWaste.

CamelCase because screen readers read #CustomerService as two words and #customerservice
as one unpronounceable one. Letters of any script are kept (`日本語`, `café`, `Ελλάδα`);
everything that is not a letter, mark or digit separates words. A tag with no letter left
(`2026`, `---`) makes no hashtag: platforms do not link a number, so it is dropped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import regex

WORD = regex.compile(r"[\p{L}\p{M}\p{N}\u200c]+")  # ZWNJ belongs inside Persian words
LETTER = regex.compile(r"\p{L}")


def camel(tag: str) -> str:
    """One hashtag body without '#', '' when the tag has no letter."""
    words = WORD.findall(tag)
    name = "".join(word[:1].upper() + word[1:] for word in words)
    return name if LETTER.search(name) else ""


def hashtags(
    tags: Iterable[str], limit: int | None = None, ok: Callable[[str], bool] | None = None
) -> tuple[str, ...]:
    """Hashtags in the tags' order, each once (case-insensitively), at most `limit`; one
    the platform would refuse (`ok` false: Bluesky's 64 graphemes) is left out, so the
    next tag takes its place."""
    seen: set[str] = set()
    out: list[str] = []
    for tag in tags:
        name = camel(tag)
        if name and name.casefold() not in seen and (ok is None or ok(name)):
            seen.add(name.casefold())
            out.append(name)
    return tuple(out if limit is None else out[:limit])
