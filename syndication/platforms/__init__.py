"""Registry: platform name → its class, imported only when a run needs it.

Every platform module defines one class with `name = "<platform>"` and the constructor
`(credentials: dict, *, client: httpx.Client | None = None, base_url: str | None = None)`,
so the runner creates any of them the same way and tests point them at local servers.
Looking the class up by its `name` (not by a class name) lets each module name its class
as it likes.
"""

from __future__ import annotations

import importlib

import httpx

from syndication import PLATFORMS
from syndication.model import Platform

MODULES = {
    "mastodon": "syndication.platforms.mastodon",
    "bluesky": "syndication.platforms.bluesky",
    "x": "syndication.platforms.x",
    "linkedin": "syndication.platforms.linkedin",
    "facebook": "syndication.platforms.facebook",
    "threads": "syndication.platforms.threads",
    "internal": "syndication.platforms.internal",
}
assert set(MODULES) == set(PLATFORMS), "every platform needs a module"


class UnknownPlatform(LookupError):
    pass


def platform_class(name: str) -> type:
    if name not in MODULES:
        raise UnknownPlatform(f"unknown platform {name!r} (known: {', '.join(PLATFORMS)})")
    try:
        module = importlib.import_module(MODULES[name])
    except ModuleNotFoundError as exc:
        if exc.name != MODULES[name]:
            raise
        raise UnknownPlatform(f"platform {name!r} is not implemented yet") from None
    for value in vars(module).values():
        if (
            isinstance(value, type)
            and value.__module__ == module.__name__
            and getattr(value, "name", None) == name
        ):
            return value
    raise UnknownPlatform(f"{MODULES[name]} defines no class with name = {name!r}")


def create(
    name: str,
    credentials: dict[str, str],
    *,
    client: httpx.Client | None = None,
    base_url: str | None = None,
) -> Platform:
    """A ready platform; nothing is sent until the runner calls it."""
    return platform_class(name)(credentials, client=client, base_url=base_url)
