"""One Composed as the dry run and the preview show it: the counted length against the
limit first (the number people check), then the text exactly as it will be sent."""

from __future__ import annotations

from syndication.model import Composed, SourceEntry

INDENT = "    "


def format_composed(composed: Composed, entry: SourceEntry | None = None) -> str:
    """`mastodon 187/500: first line` then the other lines indented, then the card."""
    flags = []
    if composed.truncated:
        flags.append("cut")
    if composed.length == composed.limit:
        flags.append("at the limit")
    head = f"{composed.platform} {composed.length}/{composed.limit}"
    if flags:
        head += f" ({', '.join(flags)})"
    lines = composed.text.split("\n")
    out = [f"{head}: {lines[0]}"]
    out.extend(f"{INDENT}{line}" if line else "" for line in lines[1:])
    if composed.card is not None:
        out.append(f"{INDENT}[card] {composed.card.title} → {composed.card.url}")
    if composed.facets:
        kinds = sorted({f.kind for f in composed.facets})
        counts = ", ".join(f"{sum(1 for f in composed.facets if f.kind == k)} {k}" for k in kinds)
        out.append(f"{INDENT}[facets] {counts}")
    return "\n".join(out)
