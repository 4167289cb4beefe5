"""Local stand-ins for the HTTP platforms (X, LinkedIn, Facebook, Threads, webhook, hub).

Each is a real HTTP server (stdlib ThreadingHTTPServer on 127.0.0.1, a free port) that
speaks the documented request/response shapes from tests/fixtures/platforms/ and, like the
real API, refuses a request whose shape is wrong: a 400 whose body says what was wrong,
recorded in `server.violations` so a test can also assert there were none.

Faults on demand: `server.fault(status=429, headers={...})`, `server.fault(status=500)`,
`server.fault(slow=True)` (the handler holds the answer until the test ends, so the
client's own timeout fires; nothing sleeps) and `server.fault(malformed=True)` (an HTML
body where JSON was promised). A fault applies to the next request whose path ends with
`path` (any path by default); `after=True` first does the real work and then answers with
the fault — the "it was posted but we never heard" case.

Each platform also answers the reads of conversations/ (replies, likes, counts) from its
`server.read` state: object id → what the platform would list for it, in the documented
shapes (tests/conversations/fixtures/<platform>/); an object not in it answers the way the
platform says "no such object".
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from string import Template
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from syndication.model import Card, Composed, SourceEntry

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "platforms"
TOKEN = "tok-9f8e7d6c5b4a-SECRET"  # distinctive, so a leak is easy to grep for
ENTRY_URL = "https://chorus.test/posts/warehouse-voices/"


def fixture_text(platform: str, name: str) -> str:
    return (FIXTURES / platform / name).read_text(encoding="utf-8")


def fixture_json(platform: str, name: str) -> dict:
    return json.loads(fixture_text(platform, name))


def render(platform: str, name: str, **values) -> bytes:
    """A response fixture with $placeholders filled (strings JSON-escaped)."""
    escaped = {
        k: json.dumps(v)[1:-1] if isinstance(v, str) else json.dumps(v) for k, v in values.items()
    }
    return Template(fixture_text(platform, name)).substitute(escaped).encode("utf-8")


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    raw_query: str
    headers: dict[str, str]
    body: bytes

    def json(self):
        return json.loads(self.body)

    def form(self) -> dict[str, list[str]]:
        return parse_qs(self.body.decode("utf-8"), keep_blank_values=True, strict_parsing=True)


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/json"


class BadRequest(Exception):
    """The request does not have the documented shape: 400, recorded as a violation."""


class Unauthorized(Exception):
    """Wrong credentials: 401, as the real APIs answer (not a shape violation)."""


Handler = Callable[[Request, "re.Match"], Reply]


class LocalServer:
    def __init__(self, name: str):
        self.name = name
        self.routes: list[tuple[str, re.Pattern, Handler]] = []
        self.requests: list[Request] = []
        self.violations: list[str] = []
        self.faults: list[dict] = []
        self.release = threading.Event()
        self.lock = threading.Lock()
        self.url = ""

    def route(self, method: str, pattern: str, handler: Handler) -> None:
        self.routes.append((method, re.compile(pattern + r"\Z"), handler))

    def fault(
        self,
        *,
        status: int | None = None,
        headers: dict | None = None,
        body: bytes | None = None,
        slow: bool = False,
        malformed: bool = False,
        path: str = "",
        method: str = "",
        after: bool = False,
        times: int = 1,
        from_request: int = 0,
    ) -> None:
        """`method`: only requests with this method; `from_request`: only once the server
        has answered that many requests (so a fault can wait for the request it is for)."""
        for _ in range(times):
            self.faults.append(
                dict(
                    status=status,
                    headers=headers or {},
                    body=body,
                    slow=slow,
                    malformed=malformed,
                    path=path,
                    method=method,
                    after=after,
                    from_request=from_request,
                )
            )

    def _take_fault(self, request: Request, seen: int) -> dict | None:
        with self.lock:
            for i, fault in enumerate(self.faults):
                if (
                    request.path.endswith(fault["path"])
                    and fault["method"] in ("", request.method)
                    and seen > fault["from_request"]
                ):
                    return self.faults.pop(i)
        return None

    def handle(self, request: Request) -> Reply:
        with self.lock:
            self.requests.append(request)
            seen = len(self.requests)
        fault = self._take_fault(request, seen)
        if fault and not fault["after"]:
            return self._fault_reply(fault)
        reply = self._dispatch(request)
        if fault:
            return self._fault_reply(fault)
        return reply

    def _dispatch(self, request: Request) -> Reply:
        for method, pattern, handler in self.routes:
            match = pattern.match(request.path)
            if match and method == request.method:
                try:
                    return handler(request, match)
                except Unauthorized as exc:
                    return Reply(401, json.dumps({"detail": str(exc), "status": 401}).encode())
                except BadRequest as exc:
                    self.violations.append(f"{request.method} {request.path}: {exc}")
                    return Reply(400, json.dumps({"error": str(exc)}).encode())
        self.violations.append(f"no route for {request.method} {request.path}")
        return Reply(404, b'{"error": "not found"}')

    def _fault_reply(self, fault: dict) -> Reply:
        if fault["slow"]:
            self.release.wait(10)  # until the test ends; the client times out long before
            return Reply(200, b"{}")
        if fault["malformed"]:
            body = (FIXTURES / "malformed.html").read_bytes()
            return Reply(fault["status"] or 200, body, content_type="text/html")
        body = fault["body"]
        if body is None:
            body = json.dumps({"title": "Internal Server Error", "status": fault["status"]})
            body = body.encode()
        return Reply(fault["status"], body, fault["headers"])


def require_header(request: Request, name: str, expected: str | None = None) -> str:
    value = request.headers.get(name.lower())
    if value is None:
        raise BadRequest(f"missing header {name}")
    if expected is not None and value != expected:
        raise BadRequest(f"header {name} is {value!r}, expected {expected!r}")
    return value


def require_bearer(request: Request) -> None:
    if require_header(request, "Authorization") != f"Bearer {TOKEN}":
        raise Unauthorized("Unauthorized")
    if TOKEN in request.raw_query:
        raise BadRequest("the token must never be in the URL")


def require_json(request: Request) -> dict:
    if not request.headers.get("content-type", "").startswith("application/json"):
        raise BadRequest("Content-Type must be application/json")
    try:
        body = request.json()
    except ValueError as exc:
        raise BadRequest(f"body is not JSON: {exc}") from None
    if not isinstance(body, dict):
        raise BadRequest("body must be a JSON object")
    return body


def require_form(request: Request) -> dict[str, str]:
    if not request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        raise BadRequest("Content-Type must be application/x-www-form-urlencoded")
    form = request.form()
    for key, values in form.items():
        if len(values) != 1:
            raise BadRequest(f"{key} given {len(values)} times")
    return {key: values[0] for key, values in form.items()}


def json_reply(status: int, data, headers: dict | None = None) -> Reply:
    return Reply(status, json.dumps(data).encode(), headers or {})


def _handler_class(server: LocalServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # else each keep-alive reply waits ~40 ms for an ACK

        def _serve(self) -> None:
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            request = Request(
                method=self.command,
                path=parts.path,
                query=parse_qs(parts.query, keep_blank_values=True),
                raw_query=parts.query,
                headers={k.lower(): v for k, v in self.headers.items()},
                body=self.rfile.read(length) if length else b"",
            )
            reply = server.handle(request)
            try:
                self.send_response(reply.status)
                self.send_header("Content-Type", reply.content_type)
                self.send_header("Content-Length", str(len(reply.body)))
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(reply.body)
            except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout)
                pass

        do_GET = do_POST = do_PUT = do_DELETE = _serve

        def log_message(self, *args):  # keep test output clean
            pass

    return Handler


@contextmanager
def running(server: LocalServer) -> Iterator[LocalServer]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_class(server))
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    server.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    try:
        yield server
    finally:
        server.release.set()
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=10)


# --- the platforms ---------------------------------------------------------------------

X_USER_ID = "2244994945"
LINKEDIN_AUTHOR = "urn:li:organization:5515715"
PAGE_ID = "104367881234567"
THREADS_USER_ID = "17841400000000001"
WEBHOOK_PATH = "/services/T0001/B0002/hookSECRETxyz123"
URL_RE = re.compile(r"https?://\S+")
LITTLE_RESERVED = set("|{}@[]()<>#*_~\\")
# The documented HashtagTemplate, {hashtag|\#|Name}: a real hashtag, not an escaping error.
HASHTAG_TEMPLATE = re.compile(r"\{hashtag\|\\#\|[^|{}@\[\]()<>#*_~\\\s]+\}")


def unescaped_little(text: str) -> list[str]:
    """Reserved little-text characters outside URLs and hashtag templates that lack their
    backslash."""
    text = HASHTAG_TEMPLATE.sub("", URL_RE.sub("", text))
    bad, i = [], 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text) and text[i + 1] in LITTLE_RESERVED:
            i += 2
            continue
        if text[i] in LITTLE_RESERVED:
            bad.append(text[i])
        i += 1
    return bad


# --- the read side (conversations/) ------------------------------------------------------

GRAPH_NO_OBJECT = {
    "error": {
        "message": "Unsupported get request. Object with ID '$id' does not exist, cannot be"
        " loaded due to missing permissions, or does not support this operation.",
        "type": "GraphMethodException",
        "code": 100,
        "error_subcode": 33,
        "fbtrace_id": "AZqTrAcE1",
    }
}


def graph_missing(object_id: str) -> Reply:
    body = json.dumps(GRAPH_NO_OBJECT).replace("$id", object_id)
    return Reply(400, body.encode())


def asked_fields(request: Request, *needed: str) -> set[str]:
    """The `fields` parameter's top-level names; BadRequest if one we need is missing."""
    raw = request.query.get("fields", [""])[0]
    names = {re.split(r"[.{(]", part, maxsplit=1)[0] for part in _top_level(raw)}
    if missing := [n for n in needed if n not in names]:
        raise BadRequest(f"fields lacks {missing}")
    return names


def _top_level(fields: str) -> list[str]:
    parts, depth, current = [], 0, ""
    for char in fields:
        if char in "{(":
            depth += 1
        elif char in "})":
            depth -= 1
        if char == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    return [p for p in [*parts, current] if p]


def graph_page(request: Request, data: list[dict], base: str) -> Reply:
    """A cursor-paged Graph edge: `limit` (default 25) and `after`, cursors in paging,
    `next` only when there is more."""
    limit = int(request.query.get("limit", ["25"])[0])
    if not 1 <= limit <= 100:
        raise BadRequest("limit must be 1..100")
    after = request.query.get("after", [""])[0]
    start = int(after.removeprefix("c")) if after else 0
    chunk = data[start : start + limit]
    paging: dict = {}
    if chunk:
        paging["cursors"] = {"before": f"c{start}", "after": f"c{start + len(chunk)}"}
    if start + limit < len(data):
        paging["next"] = f"{base}?limit={limit}&after=c{start + len(chunk)}"
    return json_reply(200, {"data": chunk, "paging": paging} if paging else {"data": chunk})


def only(item: dict, names: set[str]) -> dict:
    """What the Graph API returns of an object: the fields asked for (and the id)."""
    return {k: v for k, v in item.items() if k in names or k == "id"}


def make_x() -> LocalServer:
    server = LocalServer("x")
    server.posts = []

    def create(request: Request, match) -> Reply:
        require_bearer(request)
        body = require_json(request)
        if set(body) != {"text"} or not isinstance(body["text"], str) or not body["text"]:
            raise BadRequest(f"expected {{'text': str}}, got keys {sorted(body)}")
        if any(post["text"] == body["text"] for post in server.posts):
            return Reply(403, fixture_text("x", "duplicate-403.json").encode())
        post_id = str(1445880548472328192 + len(server.posts))
        server.posts.append({"id": post_id, "text": body["text"]})
        return Reply(201, render("x", "create-201.json", id=post_id, text=body["text"]))

    def timeline(request: Request, match) -> Reply:
        require_bearer(request)
        if match.group(1) != X_USER_ID:
            raise BadRequest(f"unknown user {match.group(1)}")
        if not 5 <= int(request.query.get("max_results", ["10"])[0]) <= 100:
            raise BadRequest("max_results must be 5..100")
        if "entities" not in request.query.get("tweet.fields", [""])[0]:
            raise BadRequest("ask for tweet.fields=entities to see expanded URLs")
        data = []
        for n, post in enumerate(reversed(server.posts)):
            urls, text = [], post["text"]
            for k, url in enumerate(URL_RE.findall(post["text"])):
                short = f"https://t.co/abc{n}{k}"
                text = text.replace(url, short)
                urls.append({"url": short, "expanded_url": url, "display_url": url[8:30]})
            data.append({"id": post["id"], "text": text, "entities": {"urls": urls}})
        return json_reply(200, {"data": data, "meta": {"result_count": len(data)}})

    server.read = {}  # post id → {"post", "replies", "liking_users", "retweeted_by"}
    server.users = {}  # user id → user object

    def x_page(request: Request, data: list, token_name: str) -> tuple[list, dict]:
        size = int(request.query.get("max_results", ["10"])[0])
        if not 10 <= size <= 100:
            raise BadRequest("max_results must be 10..100")
        start = int(request.query.get(token_name, ["0"])[0] or 0)
        chunk = data[start : start + size]
        meta: dict = {"result_count": len(chunk)}
        if start + size < len(data):
            meta["next_token"] = str(start + size)
        return chunk, meta

    def search(request: Request, match) -> Reply:
        require_bearer(request)
        query = request.query.get("query", [""])[0]
        found = re.fullmatch(r"conversation_id:(\d+)", query)
        if not found:
            raise BadRequest(f"query {query!r} is not conversation_id:<id>")
        for name in ("author_id", "referenced_tweets", "created_at"):
            if name not in request.query.get("tweet.fields", [""])[0]:
                raise BadRequest(f"tweet.fields lacks {name}")
        if request.query.get("expansions") != ["author_id"]:
            raise BadRequest("ask for expansions=author_id to get the authors")
        token = "next_token" if "next_token" in request.query else "pagination_token"
        replies = server.read.get(found[1], {}).get("replies", [])
        chunk, meta = x_page(request, replies, token)
        if not chunk:
            return json_reply(200, {"meta": {"result_count": 0}})
        users = [server.users[p["author_id"]] for p in chunk if p["author_id"] in server.users]
        meta.update(newest_id=chunk[0]["id"], oldest_id=chunk[-1]["id"])
        return json_reply(200, {"data": chunk, "includes": {"users": users}, "meta": meta})

    def people(request: Request, match) -> Reply:
        require_bearer(request)
        post = server.read.get(match[1])
        if post is None:
            return Reply(
                200, fixture_text("x", "not-found-200.json").replace("$id", match[1]).encode()
            )
        ids = post.get(match[2], [])
        chunk, meta = x_page(request, ids, "pagination_token")
        if not chunk:
            return json_reply(200, {"meta": {"result_count": 0}})
        return json_reply(200, {"data": [server.users[i] for i in chunk], "meta": meta})

    def lookup(request: Request, match) -> Reply:
        require_bearer(request)
        post = server.read.get(match[1])
        if post is None:
            return Reply(
                200, fixture_text("x", "not-found-200.json").replace("$id", match[1]).encode()
            )
        data = dict(post["post"])
        if "public_metrics" in request.query.get("tweet.fields", [""])[0]:
            data["public_metrics"] = {
                "retweet_count": len(post.get("retweeted_by", [])),
                "reply_count": len(post.get("replies", [])),
                "like_count": len(post.get("liking_users", [])),
                "quote_count": 0,
                "bookmark_count": 0,
                "impression_count": 0,
            }
        return json_reply(200, {"data": data})

    server.route("POST", r"/2/tweets", create)
    server.route("GET", r"/2/users/(\w+)/tweets", timeline)
    server.route("GET", r"/2/tweets/search/recent", search)
    server.route("GET", r"/2/tweets/(\d+)/(liking_users|retweeted_by)", people)
    server.route("GET", r"/2/tweets/(\d+)", lookup)
    return server


def make_linkedin() -> LocalServer:
    server = LocalServer("linkedin")
    server.posts = []
    server.created = 0
    keys = {
        "author",
        "commentary",
        "visibility",
        "distribution",
        "content",
        "lifecycleState",
        "isReshareDisabledByAuthor",
    }

    def versioned(request: Request) -> None:
        require_bearer(request)
        if not re.fullmatch(r"20\d{4}", require_header(request, "LinkedIn-Version")):
            raise BadRequest("LinkedIn-Version must be YYYYMM")
        require_header(request, "X-Restli-Protocol-Version", "2.0.0")

    def create(request: Request, match) -> Reply:
        versioned(request)
        body = require_json(request)
        if set(body) != keys:
            raise BadRequest(f"keys {sorted(body)} differ from {sorted(keys)}")
        if not re.fullmatch(r"urn:li:(organization|person):\w+", body["author"]):
            raise BadRequest(f"author {body['author']!r} is not an organization/person URN")
        expected = fixture_json("linkedin", "request.json")
        for key in ("visibility", "distribution", "lifecycleState", "isReshareDisabledByAuthor"):
            if body[key] != expected[key]:
                raise BadRequest(f"{key} is {body[key]!r}")
        article = (body["content"] or {}).get("article") or {}
        if not str(article.get("source", "")).startswith("https://") or not article.get("title"):
            raise BadRequest("content.article needs an https source and a title")
        if bad := unescaped_little(body["commentary"]):
            raise BadRequest(f"commentary has unescaped little-text characters {bad}")
        urn = f"urn:li:share:{7000000000000000000 + server.created}"
        server.created += 1  # ids are never reused, deletions or not
        server.posts.append({"id": urn, **body})
        return Reply(201, b"", {"x-restli-id": urn, "x-linkedin-id": urn})

    def finder(request: Request, match) -> Reply:
        versioned(request)
        require_header(request, "X-RestLi-Method", "FINDER")
        if "author=urn%3Ali%3A" not in request.raw_query or request.query.get("q") != ["author"]:
            raise BadRequest("finder needs q=author and a percent-encoded author URN")
        author = request.query["author"][0]
        count = int((request.query.get("count") or ["10"])[0])  # the API's default page: 10
        elements = [p for p in reversed(server.posts) if p["author"] == author][:count]
        return json_reply(200, {"elements": elements, "paging": {"start": 0, "count": 50}})

    def delete(request: Request, match) -> Reply:
        versioned(request)
        require_header(request, "X-RestLi-Method", "DELETE")
        urn = unquote(match[1])
        before = len(server.posts)
        server.posts[:] = [p for p in server.posts if p["id"] != urn]
        return Reply(204 if len(server.posts) < before else 404, b"")

    server.read = {}  # post or comment URN → {"comments": [...], "likes": [...]}

    def not_found(urn: str) -> Reply:
        return json_reply(404, {"status": 404, "message": f"Not Found: {urn}"})

    def social(request: Request, match) -> Reply:
        versioned(request)
        if "%3A" not in match[1]:
            raise BadRequest("the URN in the path must be percent-encoded")
        urn = unquote(match[1])
        if urn not in server.read:
            return not_found(urn)
        start = int(request.query.get("start", ["0"])[0])
        count = int(request.query.get("count", ["10"])[0])
        if not 1 <= count <= 100:
            raise BadRequest("count must be 1..100")
        elements = server.read[urn].get(match[2], [])
        page = elements[start : start + count]
        paging = {"start": start, "count": count, "links": [], "total": len(elements)}
        return json_reply(200, {"paging": paging, "elements": page})

    def metadata(request: Request, match) -> Reply:
        versioned(request)
        urn = unquote(match[1])
        if urn not in server.read:
            return not_found(urn)
        likes = server.read[urn].get("likes", [])
        top = server.read[urn].get("comments", [])
        everything = sum(len(server.read.get(c["commentUrn"], {}).get("comments", [])) for c in top)
        return json_reply(
            200,
            {
                "reactionSummaries": {"LIKE": {"reactionType": "LIKE", "count": len(likes)}}
                if likes
                else {},
                "commentsState": "OPEN",
                "commentSummary": {"count": len(top) + everything, "topLevelCount": len(top)},
                "entity": urn,
            },
        )

    server.route("POST", r"/rest/posts", create)
    server.route("GET", r"/rest/posts", finder)
    server.route("DELETE", r"/rest/posts/([^/]+)", delete)
    server.route("GET", r"/rest/socialActions/([^/]+)/(comments|likes)", social)
    server.route("GET", r"/rest/socialMetadata/([^/]+)", metadata)
    return server


def make_facebook() -> LocalServer:
    server = LocalServer("facebook")
    server.posts = []

    def page(match) -> None:
        if match.group(1) != PAGE_ID:
            raise BadRequest(f"unknown page {match.group(1)}")

    def create(request: Request, match) -> Reply:
        page(match)
        require_bearer(request)
        form = require_form(request)
        if "access_token" in form and form["access_token"] != TOKEN:
            raise BadRequest("wrong access_token")
        if not form.get("message") or set(form) - {"message", "link", "access_token"}:
            raise BadRequest(f"expected message (+ link), got {sorted(form)}")
        post_id = f"{PAGE_ID}_{122100000000000 + len(server.posts)}"
        server.posts.append({"id": post_id, **form})
        return Reply(200, render("facebook", "create-200.json", id=post_id))

    def posts(request: Request, match) -> Reply:
        page(match)
        require_bearer(request)
        if "id" not in request.query.get("fields", [""])[0]:
            raise BadRequest("ask for fields")
        data = []
        for post in reversed(server.posts):
            story = post["id"].split("_")[1]
            item = {
                "id": post["id"],
                "message": post["message"],
                "permalink_url": f"https://www.facebook.com/{PAGE_ID}/posts/pfbid{story}",
            }
            if post.get("link"):
                shim = "https://l.facebook.com/l.php?u=x"
                item["attachments"] = {"data": [{"unshimmed_url": post["link"], "url": shim}]}
            data.append(item)
        return json_reply(200, {"data": data, "paging": {}})

    server.read = {}  # post id → {"comments": [...], "reactions": n, "shares": n}

    def comments(request: Request, match) -> Reply:
        require_bearer(request)
        post = server.read.get(match[1])
        if post is None:
            return graph_missing(match[1])
        names = asked_fields(request, "id", "message")
        found = post.get("comments", [])
        if request.query.get("filter", ["toplevel"])[0] != "stream":
            found = [c for c in found if "parent" not in c]  # the default: top level only
        if request.query.get("order", ["chronological"])[0] == "reverse_chronological":
            found = list(reversed(found))
        data = [only(c, names) for c in found]
        return graph_page(request, data, f"{server.url}/{match[1]}/comments")

    def node(request: Request, match) -> Reply:
        require_bearer(request)
        post = server.read.get(match[1])
        if post is None:
            return graph_missing(match[1])
        names = asked_fields(request)
        data: dict = {"id": match[1]}
        if "reactions" in names:
            data["reactions"] = {
                "data": [],
                "summary": {"total_count": post.get("reactions", 0), "viewer_reaction": "NONE"},
            }
        if "shares" in names and post.get("shares"):
            data["shares"] = {"count": post["shares"]}  # absent when nobody shared
        if "comments" in names:
            total = len(post.get("comments", []))
            data["comments"] = {
                "data": [],
                "summary": {"order": "ranked", "total_count": total, "can_comment": True},
            }
        return json_reply(200, data)

    server.route("POST", r"/(\w+)/feed", create)
    server.route("GET", r"/(\w+)/posts", posts)
    server.route("GET", r"/(\d+_\d+)/comments", comments)
    server.route("GET", r"/(\d+_\d+)", node)
    return server


def make_threads() -> LocalServer:
    server = LocalServer("threads")
    server.containers = {}
    server.posts = []
    server.used = 0

    def user(request: Request, match) -> None:
        require_bearer(request)
        if match.group(1) != THREADS_USER_ID:
            raise BadRequest(f"unknown user {match.group(1)}")

    def limit(request: Request, match) -> Reply:
        user(request, match)
        if "quota_usage" not in request.query.get("fields", [""])[0]:
            raise BadRequest("ask for fields=quota_usage,config")
        return Reply(200, render("threads", "publishing-limit.json", used=server.used))

    def create(request: Request, match) -> Reply:
        user(request, match)
        form = require_form(request)
        if form.get("media_type") != "TEXT" or not form.get("text"):
            raise BadRequest("a text post needs media_type=TEXT and text")
        if set(form) - {"media_type", "text", "link_attachment"}:
            raise BadRequest(f"unexpected parameters {sorted(form)}")
        links = set(URL_RE.findall(form["text"])) | (
            {form["link_attachment"]} if form.get("link_attachment") else set()
        )
        if len(links) > 5:
            return Reply(400, fixture_text("threads", "error-link-limit.json").encode())
        container = str(18000000000000000 + len(server.containers))
        server.containers[container] = {**form, "published": False}
        return Reply(200, render("threads", "container.json", id=container))

    def publish(request: Request, match) -> Reply:
        user(request, match)
        form = require_form(request)
        container = server.containers.get(form.get("creation_id", ""))
        if container is None or container["published"]:
            raise BadRequest(f"creation_id {form.get('creation_id')!r} is not a fresh container")
        container["published"] = True
        media = str(17900000000000000 + len(server.posts))
        server.posts.append({"id": media, **container})
        server.used += 1
        return Reply(200, render("threads", "publish.json", id=media))

    def media(request: Request, match) -> Reply:
        require_bearer(request)
        for post in server.posts:
            if post["id"] == match.group(1):
                permalink = f"https://www.threads.net/@alderfinch/post/C{post['id'][-6:]}"
                return json_reply(200, {"id": post["id"], "permalink": permalink})
        raise BadRequest(f"no media {match.group(1)}")

    def listing(request: Request, match) -> Reply:
        user(request, match)
        data = [
            {
                "id": p["id"],
                "text": p["text"],
                "link_attachment_url": p.get("link_attachment"),
                "permalink": f"https://www.threads.net/@alderfinch/post/C{p['id'][-6:]}",
            }
            for p in reversed(server.posts)
        ]
        return json_reply(200, {"data": data, "paging": {}})

    server.read = {}  # media id → {"conversation": [...], "insights": {metric: n}}

    def conversation(request: Request, match) -> Reply:
        require_bearer(request)
        post = server.read.get(match[1])
        if post is None:
            return graph_missing(match[1])
        names = asked_fields(request, "id", "text", "username", "replied_to")
        found = post.get("conversation", [])
        if request.query.get("reverse", ["true"])[0] != "false":
            found = list(reversed(found))  # the default: newest first
        data = [only(m, names) for m in found]
        return graph_page(request, data, f"{server.url}/{match[1]}/conversation")

    def insights(request: Request, match) -> Reply:
        require_bearer(request)
        post = server.read.get(match[1])
        if post is None:
            return graph_missing(match[1])
        metrics = request.query.get("metric", [""])[0].split(",")
        known = {"views", "likes", "replies", "reposts", "quotes", "shares"}
        if not metrics[0] or set(metrics) - known:
            raise BadRequest(f"metric must be among {sorted(known)}")
        values = {**post.get("insights", {}), "replies": len(post.get("conversation", []))}
        data = [
            {
                "name": name,
                "period": "lifetime",
                "values": [{"value": values.get(name, 0)}],
                "title": name.capitalize(),
                "description": f"The number of {name} on your post.",
                "id": f"{match[1]}/insights/{name}/lifetime",
            }
            for name in metrics
        ]
        return json_reply(200, {"data": data})

    server.route("GET", r"/(\d+)/conversation", conversation)
    server.route("GET", r"/(\d+)/insights", insights)
    server.route("GET", r"/(\w+)/threads_publishing_limit", limit)
    server.route("POST", r"/(\w+)/threads", create)
    server.route("POST", r"/(\w+)/threads_publish", publish)
    server.route("GET", r"/(\w+)/threads", listing)
    server.route("GET", r"/(\d+)", media)
    return server


def make_webhook() -> LocalServer:
    server = LocalServer("internal")
    server.messages = []

    def receive(request: Request, match) -> Reply:
        body = require_json(request)
        if not isinstance(body.get("text"), str) or not body["text"]:
            raise BadRequest("text is required")
        if not isinstance(body.get("blocks"), list) or not body["blocks"]:
            raise BadRequest("blocks must be a non-empty list")
        for block in body["blocks"]:
            texts = [block.get("text", {}).get("text", "")] + [
                e.get("text", "") for e in block.get("elements", [])
            ]
            for text in texts:
                outside_links = re.sub(r"<https?://[^|>]+\|[^>]*>", "", text)
                if re.search(r"[<>]|&(?!amp;|lt;|gt;)", outside_links):
                    raise BadRequest(f"unescaped mrkdwn in {text!r}")
        server.messages.append(body)
        return Reply(200, b"ok", content_type="text/plain")

    server.route("POST", re.escape(WEBHOOK_PATH), receive)
    return server


def make_hub() -> LocalServer:
    server = LocalServer("hub")
    server.topics = []

    def ping(request: Request, match) -> Reply:
        form = require_form(request)
        if form.get("hub.mode") != "publish" or not form.get("hub.url", "").startswith("http"):
            raise BadRequest("expected hub.mode=publish and hub.url")
        server.topics.append(form["hub.url"])
        return Reply(204, b"")

    server.route("POST", r"/hub", ping)
    return server


@pytest.fixture
def x_server() -> Iterator[LocalServer]:
    with running(make_x()) as server:
        yield server


@pytest.fixture
def linkedin_server() -> Iterator[LocalServer]:
    with running(make_linkedin()) as server:
        yield server


@pytest.fixture
def facebook_server() -> Iterator[LocalServer]:
    with running(make_facebook()) as server:
        yield server


@pytest.fixture
def threads_server() -> Iterator[LocalServer]:
    with running(make_threads()) as server:
        yield server


@pytest.fixture
def webhook_server() -> Iterator[LocalServer]:
    with running(make_webhook()) as server:
        yield server


@pytest.fixture
def hub_server() -> Iterator[LocalServer]:
    with running(make_hub()) as server:
        yield server


# --- what a platform is given ------------------------------------------------------------


def make_entry(**changes) -> SourceEntry:
    fields = dict(
        id="tag:chorus.test,2026-11-20:/posts/warehouse-voices/",
        url=ENTRY_URL,
        title="Warehouse voices: what contractors tell us",
        summary="Contractors at the loading dock told us three things.",
        content_html="<p>Contractors at the loading dock told us three things.</p>",
        published=datetime(2026, 11, 20, 9, 30, tzinfo=UTC),
        updated=datetime(2026, 11, 20, 9, 30, tzinfo=UTC),
        tags=("listening",),
        department="operations",
        author_name="María López",
        syndicate=("x", "linkedin", "facebook", "threads", "internal"),
    )
    fields.update(changes)
    return SourceEntry(**fields)


def make_composed(platform: str, text: str, *, card: bool = True) -> Composed:
    entry = make_entry()
    return Composed(
        platform=platform,
        text=text,
        length=len(text),
        limit=500,
        link=entry.url,
        card=Card(entry.url, entry.title, entry.summary) if card else None,
    )


class FakeTime:
    """A clock and a sleep that advances it: the waits asked for, without waiting."""

    def __init__(self, start: float = 1_800_000_000.0):
        self.now = start
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()
