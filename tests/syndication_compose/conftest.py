"""Composition fixtures: one YAML file per case in tests/fixtures/compose/."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import yaml

from syndication.model import SourceEntry

CASES = Path(__file__).resolve().parent.parent / "fixtures" / "compose"
WHEN = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def entry_from(fields: dict) -> SourceEntry:
    return SourceEntry(
        id=f"tag:alderfinch.example,2026:posts/{Path(fields['url']).name or 'x'}",
        url=fields["url"],
        title=fields.get("title", ""),
        summary=fields.get("summary", ""),
        content_html="",
        published=WHEN,
        updated=WHEN,
        tags=tuple(fields.get("tags") or ()),
        department=fields.get("department", ""),
        author_name=fields.get("author_name", ""),
        image_url=fields.get("image_url"),
        syndication_text=dict(fields.get("syndication_text") or {}),
    )


def case_files() -> list[Path]:
    return sorted(CASES.glob("*.yaml"))
