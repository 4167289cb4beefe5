"""What the two Graph API readers (Threads, Facebook) share: cursor paging, the error hook
that knows our copy is gone, and counts given only as totals.

A deleted object is not a 404 on the Graph API: it is HTTP 400, error code 100, subcode
33 ("Object with ID … does not exist, cannot be loaded due to missing permissions, or does
not support this operation"). That answer to *our own* post means it is gone.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

from conversations.model import Author, CopyGone, Response
from syndication.http import Api, error_detail, items
from syndication.model import PlatformError
from syndication.platforms.facebook import graph_classify

PAGE = 100
MAX_PAGES = 100  # 10,000 replies per copy at most: a thread beyond that is read in part
NO_SUCH_OBJECT = (100, 33)


def classify(platform: str) -> Callable[[httpx.Response], PlatformError | None]:
    """graph_classify, plus: the object asked about does not exist → CopyGone."""
    base = graph_classify(platform)

    def hook(response: httpx.Response) -> PlatformError | None:
        try:
            error = response.json().get("error")
        except (ValueError, AttributeError, UnicodeDecodeError):
            error = None
        if isinstance(error, dict) and (error.get("code"), error.get("error_subcode")) == (
            NO_SUCH_OBJECT
        ):
            return CopyGone(f"{platform}: HTTP {response.status_code}: {error_detail(response)}")
        return base(response)

    return hook


def pages(api: Api, path: str, params: dict[str, str]) -> list[dict]:
    """Every object of a cursor-paged edge (paging.cursors.after while paging.next is
    there), up to MAX_PAGES pages. The next page is asked of our own base URL with the
    cursor, never of the URL the answer names."""
    found: list[dict] = []
    query = {**params, "limit": str(PAGE)}
    for _ in range(MAX_PAGES):
        data = api.json("GET", path, params=query)
        found.extend(items(data, "data"))
        paging = data.get("paging") if isinstance(data, dict) else None
        paging = paging if isinstance(paging, dict) else {}
        cursors = paging.get("cursors") if isinstance(paging.get("cursors"), dict) else {}
        after = cursors.get("after")
        if not paging.get("next") or not after:
            break
        query["after"] = str(after)
    return found


def number(value: Any) -> int:
    """A count from an answer: anything not a non-negative integer is 0."""
    try:
        found = int(value)
    except (TypeError, ValueError):
        return 0
    return max(found, 0)


def member(node: object, key: str) -> dict:
    """node[key] when both are objects, else {}: answers are read without trusting them."""
    value = node.get(key) if isinstance(node, dict) else None
    return value if isinstance(value, dict) else {}


def totals(platform: str, copy_id: str, counts: dict[str, int]) -> list[Response]:
    """One row per kind with its total (the platform does not say who)."""
    nobody = Author(handle="", name="", url="")
    return [
        Response(platform, copy_id, f"{kind}:total", kind, nobody, count=count)
        for kind, count in counts.items()
        if count > 0
    ]
