"""Rule kinds: name → Kind (prepare the options once, check one post, describe in plain
language). One module per family of kinds; this registry is the only list of them."""

from __future__ import annotations

from plugins.guidelines.kinds import approval, links, media, metadata, metric, pii, secrets, text
from plugins.guidelines.kinds.base import Context, Kind


def _registry() -> dict[str, Kind]:
    kinds = [
        *text.KINDS,
        *metric.KINDS,
        *metadata.KINDS,
        *links.KINDS,
        *secrets.KINDS,
        *pii.KINDS,
        *media.KINDS,
        *approval.KINDS,
    ]
    return {kind.name: kind for kind in kinds}


KINDS: dict[str, Kind] = _registry()

__all__ = ["KINDS", "Context", "Kind"]
