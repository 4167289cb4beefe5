"""Plain-text helpers shared by plugins that must not import Pelican (listening runs as its
own command)."""

from __future__ import annotations


def as_sentence(text: str) -> str:
    """`text` as a sentence a person would write: a capital first letter (unless it opens
    with a quote or a symbol, such as 'summary' or #hashtag) and a full stop at the end."""
    text = " ".join(text.split())
    if not text:
        return ""
    if text[0].isalpha():
        text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?", "…")) else text + "."


def sentences(parts: list[str]) -> str:
    """Several rule clauses as separate sentences, not one line joined with semicolons."""
    return " ".join(as_sentence(part) for part in parts if part.strip())


def cut_at_word(text: str, limit: int, trailing: str = " ,;:.-—") -> str:
    """`text` in at most `limit` characters: cut at the last space in its second half, the
    `trailing` punctuation dropped, an ellipsis added."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(trailing) + "…"
