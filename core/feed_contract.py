"""The `_chorus` feed extension: the one contract between the build and the cross-posting run.

The build (plugins/feeds) writes it into the published JSON Feed, the cross-posting engine
(syndication/source.py) reads it back, and nothing else passes between them (design: the
feed is syndication's only input). Both sides go through the classes here, so a field is
named, typed and explained once; a field one side spells and the other never reads cannot
exist. Atom and RSS carry no `_chorus`: readers get those, the engine reads only JSON Feed.

`from_json` checks types and raises ContractError with the path of the faulty field
(`_chorus.syndicate must be …`); the reader adds the file, line and item.
"""

from __future__ import annotations

from dataclasses import dataclass, field

EXTENSION = "_chorus"  # the key in each item and at the feed's top level (JSON Feed: `_` + name)


class ContractError(ValueError):
    """A `_chorus` object that is not what the build writes; the message names the field."""


def _string(data: dict, key: str, default: str = "") -> str:
    value = data.get(key)
    if value is None:
        return default
    if not isinstance(value, str):
        raise ContractError(f"{EXTENSION}.{key} must be a string")
    return value


def _strings(data: dict, key: str, what: str) -> tuple[str, ...]:
    value = data.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ContractError(f"{EXTENSION}.{key} must be a list of {what}")
    return tuple(value)


@dataclass(frozen=True)
class ItemExtension:
    """An item's `_chorus`: what cross-posting needs about one post beyond JSON Feed's own
    fields (id, url, title, summary, content_html, image, dates, authors)."""

    department: str
    """The department's slug: which department's templates and routing apply. The folder the
    post is in unless its front matter names another."""

    syndicate: tuple[str, ...] = ()
    """Platform keys (core.platforms.NAMES) to cross-post to, already resolved: the post's own
    `syndicate:` (even []) or its department's default; an internal post has only `internal`,
    and the intranet feed lists public posts with none (the public feed is their source)."""

    syndication_text: dict[str, str] = field(default_factory=dict)
    """Platform → the author's own text for that platform (front matter `syndication_text`),
    used instead of the composed one."""

    status: str = "published"
    """The post's status; the engine posts only `published` (a draft in a feed is a mistake
    that must not go out)."""

    audience: str = "public"
    """`public` or `internal` (plugins/posts/audience.py): who the post is for. The engine does
    not decide with it (`syndicate` already does); it is there for readers of the intranet feed
    and for checks."""

    image_alt: str = ""
    """The alt text of the item's `image`, for platforms that attach the image as media; written
    only when the post has an image."""

    tags: tuple[str, ...] | None = None
    """The post's tags as shown (labels, not slugs), without the department: what compose turns
    into hashtags. None in a feed built before the field existed: then JSON Feed's `tags` after
    the first one (the department's label) are the post's tags."""

    def to_json(self) -> dict:
        """The object the writer puts in an item; key order is fixed so feeds are reproducible."""
        out: dict = {
            "department": self.department,
            "audience": self.audience,
            "syndicate": list(self.syndicate),
            "syndication_text": dict(self.syndication_text),
            "status": self.status,
        }
        if self.image_alt:
            out["image_alt"] = self.image_alt
        if self.tags is not None:
            out["tags"] = list(self.tags)
        return out

    @classmethod
    def from_json(cls, data: object) -> ItemExtension:
        if not isinstance(data, dict):
            raise ContractError(f"no '{EXTENSION}' extension (built by an older Chorus?)")
        texts = data.get("syndication_text") or {}
        if not isinstance(texts, dict) or not all(isinstance(v, str) for v in texts.values()):
            raise ContractError(f"{EXTENSION}.syndication_text must map platform to text")
        return cls(
            department=_string(data, "department"),
            syndicate=_strings(data, "syndicate", "platform names"),
            syndication_text={str(k): v for k, v in texts.items()},
            status=_string(data, "status", "published") or "published",
            audience=_string(data, "audience", "public") or "public",
            image_alt=_string(data, "image_alt"),
            tags=_strings(data, "tags", "strings") if "tags" in data else None,
        )


@dataclass(frozen=True)
class Retraction:
    """One entry of the site feed's `_chorus.retracted`: a post its author retracted. Its item
    is gone from every feed, so this is how the engine learns to delete its copies."""

    id: str
    """The entry id the post had (its tag: URI): the ledger's key for its copies."""

    url: str
    """The absolute permalink the post had, for the log and the retraction notice."""

    reason: str = ""
    """The front matter's `retraction_reason`, if any."""

    def to_json(self) -> dict:
        return {"id": self.id, "url": self.url, "reason": self.reason}


@dataclass(frozen=True)
class FeedExtension:
    """The feed's top-level `_chorus` (only the site feed `feeds/all.json` has one)."""

    retracted: tuple[Retraction, ...] = ()
    """Every retracted post, sorted by slug."""

    def to_json(self) -> dict | None:
        """The object, or None when there is nothing to say (the key is then left out)."""
        if not self.retracted:
            return None
        return {"retracted": [r.to_json() for r in self.retracted]}

    @classmethod
    def from_json(cls, data: object) -> FeedExtension:
        if data is None:
            return cls()
        if not isinstance(data, dict):
            raise ContractError(f"the feed's '{EXTENSION}' must be an object")
        items = data.get("retracted") or []
        if not isinstance(items, list):
            raise ContractError(f"{EXTENSION}.retracted must be a list")
        out = []
        for item in items:
            if not isinstance(item, dict) or not all(
                isinstance(item.get(k), str) and item.get(k) for k in ("id", "url")
            ):
                raise ContractError(f"{EXTENSION}.retracted: each item needs an 'id' and a 'url'")
            out.append(Retraction(item["id"], item["url"], str(item.get("reason") or "")))
        return cls(tuple(out))
