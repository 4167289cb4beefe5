"""Platform clients: one module each, created through the registry.

Every client class has `name = "<platform>"` and the constructor
`(credentials: dict, *, client: httpx.Client | None = None, base_url: str | None = None)`,
so the runner creates any of them the same way and tests point them at local servers.
"""

from __future__ import annotations

import httpx

from syndication.model import Platform
from syndication.registry import UnknownPlatform, spec

__all__ = ["UnknownPlatform", "create", "platform_class"]


def platform_class(name: str) -> type:
    return spec(name).client_class()


def create(
    name: str,
    credentials: dict[str, str],
    *,
    client: httpx.Client | None = None,
    base_url: str | None = None,
) -> Platform:
    """A ready platform; nothing is sent until the runner calls it."""
    return platform_class(name)(credentials, client=client, base_url=base_url)
