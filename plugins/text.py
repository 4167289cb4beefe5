"""Plain-text helpers shared by plugins that must not import Pelican (listening runs as its
own command)."""

from __future__ import annotations


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
