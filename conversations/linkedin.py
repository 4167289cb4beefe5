"""LinkedIn responses to one of our posts (Community Management API, versioned like the
posting client): comments (GET /rest/socialActions/{urn}/comments, and each comment's
own comments the same way, since the first list holds only the top level), likes (GET
/rest/socialActions/{urn}/likes) and, as the cheap signature, the post's social metadata
(GET /rest/socialMetadata/{urn}: reaction and comment totals).

LinkedIn gives an actor URN, not a name or a profile address (those need Profile API
access we do not ask for): the URN is the handle, so our own organization's answers are
recognised by listing its URN in org_accounts.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

from conversations.graph import member, number
from conversations.model import Author, Response, plain_html
from syndication.http import Api, items
from syndication.platforms.linkedin import DEFAULT_API, DEFAULT_VERSION, post_url

PAGE = 100
MAX_REQUESTS = 100  # per copy, comments of comments included: a huge thread is read in part


def connect(creds: dict[str, str]) -> Api | None:
    if not creds.get("CHORUS_LINKEDIN_TOKEN"):
        return None
    return Api(
        "linkedin",
        creds.get("CHORUS_LINKEDIN_API_URL") or DEFAULT_API,
        headers={
            "Authorization": f"Bearer {creds['CHORUS_LINKEDIN_TOKEN']}",
            "LinkedIn-Version": creds.get("CHORUS_LINKEDIN_VERSION") or DEFAULT_VERSION,
            "X-Restli-Protocol-Version": "2.0.0",
        },
    )


def _path(urn: str, edge: str) -> str:
    return f"/rest/socialActions/{quote(urn, safe='')}/{edge}"


def _stamp(value: object) -> str:
    """{"time": epoch milliseconds} → ISO 8601 UTC; "" when absent."""
    millis = value.get("time") if isinstance(value, dict) else None
    if not isinstance(millis, int | float) or millis <= 0:
        return ""
    return dt.datetime.fromtimestamp(millis / 1000, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def author(actor: str) -> Author:
    kind = "organization" if ":organization:" in actor else "member"
    return Author(handle=actor, name=f"LinkedIn {kind}", url="")


def _elements(api: Api, path: str, budget: list[int]) -> list[dict]:
    """Every element of a start/count-paged collection, within the copy's request budget."""
    found: list[dict] = []
    start = 0
    while budget[0] > 0:
        budget[0] -= 1
        answer = api.json("GET", path, params={"start": str(start), "count": str(PAGE)})
        page = items(answer, "elements")
        found.extend(page)
        paging = answer.get("paging") if isinstance(answer, dict) else None
        total = number((paging or {}).get("total")) if isinstance(paging, dict) else 0
        start += len(page)
        if not page or start >= total:
            break
    return found


def comment(copy_id: str, item: dict) -> Response | None:
    urn = str(item.get("commentUrn") or "")
    if not urn or not item.get("actor"):
        return None
    message = member(item, "message")
    created, modified = _stamp(item.get("created")), _stamp(item.get("lastModified"))
    return Response(
        platform="linkedin",
        copy_id=copy_id,
        response_id=urn,
        kind="reply",
        author=author(str(item["actor"])),
        text=plain_html(str(message.get("text") or "")),
        url=f"{post_url(copy_id)}?commentUrn={quote(urn, safe='')}",
        published=created,
        updated=modified if modified != created else "",
        parent_id=str(item.get("parentComment") or copy_id),
    )


def _has_replies(item: dict) -> bool:
    summary = member(item, "commentsSummary")
    return (
        number(summary.get("aggregatedTotalComments") or summary.get("totalFirstLevelComments")) > 0
    )


def signature(api: Api, copy_id: str) -> str:
    """Reaction total and comment total of the post, in one request."""
    meta = api.json("GET", f"/rest/socialMetadata/{quote(copy_id, safe='')}")
    reactions = member(meta, "reactionSummaries").values()
    liked = sum(number(r.get("count")) for r in reactions if isinstance(r, dict))
    return f"{liked}:{number(member(meta, 'commentSummary').get('count'))}"


def fetch(api: Api, copy_id: str) -> list[Response]:
    budget = [MAX_REQUESTS]
    responses: list[Response] = []
    pending = [copy_id]
    while pending and budget[0] > 0:
        for item in _elements(api, _path(pending.pop(0), "comments"), budget):
            if (found := comment(copy_id, item)) is not None:
                responses.append(found)
                if _has_replies(item):
                    pending.append(found.response_id)
    for like in _elements(api, _path(copy_id, "likes"), [MAX_REQUESTS]):
        actor = str(like.get("actor") or "")
        if actor:
            responses.append(Response("linkedin", copy_id, f"like:{actor}", "like", author(actor)))
    return responses
