"""A small AppView-shaped server over the real PDS, for the conversations tests.

A PDS stores repositories; the read methods a client uses (who replied, who liked) are an
AppView's, built from an index of every repository. This one indexes the PDS it is given
(com.atproto.sync.listRepos, com.atproto.repo.describeRepo for the handle, and
com.atproto.repo.listRecords for posts, likes, reposts and profiles) and answers the
methods Chorus reads in the shapes the lexicons document (lexicons/app/bsky/feed/*.json,
app/bsky/actor/defs.json of github.com/bluesky-social/atproto):

  app.bsky.feed.getPostThread, getLikes, getRepostedBy, getQuotes, getPosts, searchPosts
  app.bsky.actor.getProfiles

Before each answer it asks listRepos once and re-reads only the repositories whose `rev`
changed, so a deletion on the PDS is gone from the next answer, as with the real AppView
(which follows the firehose). Errors are XRPC's: 400 {"error": "NotFound"|"InvalidRequest"},
501 MethodNotImplemented for anything else. `requests` counts the calls per method.
"""

from __future__ import annotations

import datetime as dt
import http.server
import json
import threading
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

import httpx

from tests.servers import http_server

POST, LIKE, REPOST, PROFILE = (
    "app.bsky.feed.post",
    "app.bsky.feed.like",
    "app.bsky.feed.repost",
    "app.bsky.actor.profile",
)
COLLECTIONS = (POST, LIKE, REPOST, PROFILE)
EMBED_WITH_MEDIA = "app.bsky.embed.recordWithMedia"


def _subject(value: dict) -> str | None:
    return (value.get("subject") or {}).get("uri")


def _parent(value: dict) -> str | None:
    return ((value.get("reply") or {}).get("parent") or {}).get("uri")


def _quoted(value: dict) -> str | None:
    """app.bsky.embed.record quotes record.uri; recordWithMedia nests it once more."""
    embed = value.get("embed") or {}
    inner = embed.get("record") or {}
    if embed.get("$type") == EMBED_WITH_MEDIA:
        inner = inner.get("record") or {}
    quoting = embed.get("$type") in ("app.bsky.embed.record", EMBED_WITH_MEDIA)
    return inner.get("uri") if quoting else None


TARGETS = {"reply": (POST, _parent), "like": (LIKE, _subject),
           "repost": (REPOST, _subject), "quote": (POST, _quoted)}  # fmt: skip
MAX_LIMIT = 100


class XrpcError(Exception):
    def __init__(self, status: int, error: str, message: str):
        super().__init__(message)
        self.status, self.error, self.message = status, error, message


@dataclass
class Repo:
    did: str
    rev: str = ""
    handle: str = ""
    records: dict[str, dict[str, dict]] = field(default_factory=dict)  # collection → uri → rec


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class Index:
    """Every repository of one PDS, re-read when its rev changes."""

    def __init__(self, pds: str):
        self.pds = pds.rstrip("/")
        self.http = httpx.Client(timeout=30)
        self.repos: dict[str, Repo] = {}
        self.indexed_at: dict[str, str] = {}  # uri → first seen
        self.lock = threading.RLock()  # one answer at a time: derived views stay whole
        self.derived: dict[str, dict] = {}  # replies, likes, … until a repository changes

    def _get(self, nsid: str, **params) -> dict:
        answer = self.http.get(f"{self.pds}/xrpc/{nsid}", params=params)
        answer.raise_for_status()
        return answer.json()

    def refresh(self) -> None:
        with self.lock:
            listed, cursor = {}, None
            while True:
                page = self._get("com.atproto.sync.listRepos", limit=1000,
                                 **({"cursor": cursor} if cursor else {}))  # fmt: skip
                for repo in page.get("repos", []):
                    if repo.get("active", True):
                        listed[repo["did"]] = repo["rev"]
                cursor = page.get("cursor")
                if not cursor or not page.get("repos"):
                    break
            for did in set(self.repos) - set(listed):
                del self.repos[did]
                self.derived = {}
            for did, rev in listed.items():
                known = self.repos.get(did)
                if known is None or known.rev != rev:
                    self.repos[did] = self._read(did, rev)
                    self.derived = {}

    def _read(self, did: str, rev: str) -> Repo:
        repo = Repo(did, rev, self._get("com.atproto.repo.describeRepo", repo=did)["handle"])
        for collection in COLLECTIONS:
            found: dict[str, dict] = {}
            cursor = None
            while True:
                page = self._get("com.atproto.repo.listRecords", repo=did,
                                 collection=collection, limit=100,
                                 **({"cursor": cursor} if cursor else {}))  # fmt: skip
                for record in page.get("records", []):
                    found[record["uri"]] = record
                    self.indexed_at.setdefault(record["uri"], _now())
                cursor = page.get("cursor")
                if not cursor or not page.get("records"):
                    break
            repo.records[collection] = found
        return repo

    # --- derived views (computed per request; test data is small) ------------------------
    def records(self, collection: str) -> Iterator[tuple[str, dict]]:
        for repo in self.repos.values():
            for uri, record in repo.records.get(collection, {}).items():
                yield repo.did, {**record, "uri": uri}

    def did_of(self, actor: str) -> str | None:
        if actor.startswith("did:"):
            return actor if actor in self.repos else None
        return next((r.did for r in self.repos.values() if r.handle == actor), None)

    def canonical(self, uri: str) -> str:
        """at://handle/… → at://did/… (getPostThread accepts either)."""
        if not uri.startswith("at://"):
            raise XrpcError(400, "InvalidRequest", f"uri must be an at-uri: {uri}")
        authority, _, rest = uri[5:].partition("/")
        did = self.did_of(authority)
        return f"at://{did}/{rest}" if did else uri

    def post_record(self, uri: str) -> dict | None:
        did = uri[5:].split("/", 1)[0]
        repo = self.repos.get(did)
        return repo.records.get(POST, {}).get(uri) if repo else None

    def grouped(self, kind: str) -> dict[str, list[tuple[str, dict]]]:
        """target URI → [(author DID, record)] for "like", "repost" (their subject),
        "reply" (the parent) or "quote" (the quoted post); replies oldest first, the
        others newest first, as the AppView lists them. Kept until a repository changes."""
        if kind not in self.derived:
            collection, target = TARGETS[kind]
            found: dict[str, list[tuple[str, dict]]] = defaultdict(list)
            for did, record in self.records(collection):
                uri = target(record["value"])
                if uri:
                    found[uri].append((did, record))
            for items in found.values():
                items.sort(key=lambda item: item[1]["value"].get("createdAt", ""),
                           reverse=kind != "reply")  # fmt: skip
            self.derived[kind] = found
        return self.derived[kind]

    # --- lexicon shapes ------------------------------------------------------------------
    def profile_basic(self, did: str) -> dict:
        """app.bsky.actor.defs#profileViewBasic."""
        repo = self.repos[did]
        profile = repo.records.get(PROFILE, {}).get(f"at://{did}/{PROFILE}/self")
        view: dict = {"did": did, "handle": repo.handle, "labels": []}
        if profile:
            value = profile["value"]
            if value.get("displayName"):
                view["displayName"] = value["displayName"]
            self_labels = (value.get("labels") or {}).get("values") or []
            view["labels"] = [
                {"src": did, "uri": profile["uri"], "cid": profile["cid"], "val": label["val"],
                 "cts": value.get("createdAt") or self.indexed_at[profile["uri"]]}
                for label in self_labels if isinstance(label, dict) and label.get("val")
            ]  # fmt: skip
            view["createdAt"] = value.get("createdAt") or self.indexed_at[profile["uri"]]
        return view

    def profile_view(self, did: str) -> dict:
        """app.bsky.actor.defs#profileView (adds description and indexedAt)."""
        view = self.profile_basic(did)
        uri = f"at://{did}/{PROFILE}/self"
        profile = self.repos[did].records.get(PROFILE, {}).get(uri)
        if profile:
            if profile["value"].get("description"):
                view["description"] = profile["value"]["description"]
            view["indexedAt"] = self.indexed_at[uri]
        return view

    def post_view(self, record: dict, counts: dict[str, dict[str, int]]) -> dict:
        """app.bsky.feed.defs#postView."""
        uri = record["uri"]
        did = uri[5:].split("/", 1)[0]
        return {
            "uri": uri,
            "cid": record["cid"],
            "author": self.profile_basic(did),
            "record": record["value"],
            "replyCount": counts["reply"].get(uri, 0),
            "repostCount": counts["repost"].get(uri, 0),
            "likeCount": counts["like"].get(uri, 0),
            "quoteCount": counts["quote"].get(uri, 0),
            "indexedAt": self.indexed_at[uri],
            "labels": [],
        }

    def counts(self) -> dict[str, dict[str, int]]:
        return {kind: {uri: len(items) for uri, items in self.grouped(kind).items()}
                for kind in TARGETS}  # fmt: skip


def _one(params: dict[str, list[str]], name: str, required: bool = True) -> str | None:
    values = params.get(name)
    if not values:
        if required:
            raise XrpcError(400, "InvalidRequest", f'Error: Params must have the property "{name}"')
        return None
    return values[0]


def _int(params: dict, name: str, default: int, low: int, high: int) -> int:
    raw = _one(params, name, required=False)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise XrpcError(400, "InvalidRequest", f"Error: {name} must be an integer") from None
    if not low <= value <= high:
        raise XrpcError(400, "InvalidRequest", f"Error: {name} must be in {low}..{high}")
    return value


def _page(items: list, params: dict, default: int = 50) -> tuple[list, str | None]:
    """Offset cursors (opaque to the client, as the lexicons say)."""
    limit = _int(params, "limit", default, 1, MAX_LIMIT)
    raw = _one(params, "cursor", required=False)
    start = int(raw) if raw and raw.isdigit() else 0
    chunk = items[start : start + limit]
    return chunk, (str(start + limit) if start + limit < len(items) else None)


class AppView:
    """The XRPC methods, over an Index."""

    def __init__(self, pds: str):
        self.index = Index(pds)
        self.requests: Counter[str] = Counter()

    def answer(self, nsid: str, params: dict[str, list[str]]) -> dict:
        self.requests[nsid] += 1
        method = METHODS.get(nsid)
        if method is None:
            raise XrpcError(501, "MethodNotImplemented", f"Method Not Implemented: {nsid}")
        with self.index.lock:
            self.index.refresh()
            return method(self, params)

    def get_post_thread(self, params: dict) -> dict:
        uri = self.index.canonical(_one(params, "uri"))
        depth = _int(params, "depth", 6, 0, 1000)
        height = _int(params, "parentHeight", 80, 0, 1000)
        record = self.index.post_record(uri)
        if record is None:
            raise XrpcError(400, "NotFound", f"Post not found: {uri}")
        counts, replies = self.index.counts(), self.index.grouped("reply")

        def node(rec: dict, below: int) -> dict:
            view = {"$type": "app.bsky.feed.defs#threadViewPost",
                    "post": self.index.post_view({**rec}, counts)}  # fmt: skip
            if below > 0:
                view["replies"] = [node(r, below - 1) for _, r in replies.get(rec["uri"], [])]
            return view

        thread = node({**record, "uri": uri}, depth)
        current, above = thread, height
        while above > 0:
            parent_uri = ((current["post"]["record"].get("reply") or {}).get("parent") or {}).get(
                "uri"
            )
            if not parent_uri:
                break
            parent = self.index.post_record(parent_uri)
            if parent is None:
                current["parent"] = {"$type": "app.bsky.feed.defs#notFoundPost",
                                     "uri": parent_uri, "notFound": True}  # fmt: skip
                break
            current["parent"] = node({**parent, "uri": parent_uri}, 0)
            current, above = current["parent"], above - 1
        return {"thread": thread}

    def _subject(self, params: dict) -> str:
        return self.index.canonical(_one(params, "uri"))

    def get_likes(self, params: dict) -> dict:
        uri = self._subject(params)
        likes = self.index.grouped("like").get(uri, [])
        chunk, cursor = _page(likes, params)
        out = {
            "uri": uri,
            "likes": [
                {"indexedAt": self.index.indexed_at[rec["uri"]],
                 "createdAt": rec["value"]["createdAt"], "actor": self.index.profile_view(did)}
                for did, rec in chunk
            ],
        }  # fmt: skip
        return {**out, "cursor": cursor} if cursor else out

    def get_reposted_by(self, params: dict) -> dict:
        uri = self._subject(params)
        chunk, cursor = _page(self.index.grouped("repost").get(uri, []), params)
        out = {"uri": uri, "repostedBy": [self.index.profile_view(did) for did, _ in chunk]}
        return {**out, "cursor": cursor} if cursor else out

    def get_quotes(self, params: dict) -> dict:
        uri = self._subject(params)
        counts = self.index.counts()
        chunk, cursor = _page(self.index.grouped("quote").get(uri, []), params)
        out = {"uri": uri, "posts": [self.index.post_view(r, counts) for _, r in chunk]}
        return {**out, "cursor": cursor} if cursor else out

    def get_posts(self, params: dict) -> dict:
        uris = params.get("uris") or []
        if not uris:
            raise XrpcError(400, "InvalidRequest", 'Error: Params must have the property "uris"')
        if len(uris) > 25:
            raise XrpcError(400, "InvalidRequest", "Error: uris must have at most 25 elements")
        counts, posts = self.index.counts(), []
        for uri in uris:
            uri = self.index.canonical(uri)
            record = self.index.post_record(uri)
            if record is not None:
                posts.append(self.index.post_view({**record, "uri": uri}, counts))
        return {"posts": posts}

    def get_profiles(self, params: dict) -> dict:
        actors = params.get("actors") or []
        if not actors or len(actors) > 25:
            raise XrpcError(400, "InvalidRequest", "Error: actors must have 1 to 25 elements")
        dids = [d for d in (self.index.did_of(a) for a in actors) if d]
        return {"profiles": [self.index.profile_view(did) for did in dids]}

    def search_posts(self, params: dict) -> dict:
        """Every word of q in the text (case-insensitive), newest first."""
        words = _one(params, "q").lower().split()
        limit = _int(params, "limit", 25, 1, MAX_LIMIT)
        hits = [
            record for _, record in self.index.records(POST)
            if all(w in str(record["value"].get("text", "")).lower() for w in words)
        ]  # fmt: skip
        hits.sort(key=lambda r: r["value"].get("createdAt", ""), reverse=True)
        chunk, cursor = _page(hits, {**params, "limit": [str(limit)]})
        counts = self.index.counts()
        out = {"posts": [self.index.post_view(r, counts) for r in chunk], "hitsTotal": len(hits)}
        return {**out, "cursor": cursor} if cursor else out


METHODS = {
    "app.bsky.feed.getPostThread": AppView.get_post_thread,
    "app.bsky.feed.getLikes": AppView.get_likes,
    "app.bsky.feed.getRepostedBy": AppView.get_reposted_by,
    "app.bsky.feed.getQuotes": AppView.get_quotes,
    "app.bsky.feed.getPosts": AppView.get_posts,
    "app.bsky.feed.searchPosts": AppView.search_posts,
    "app.bsky.actor.getProfiles": AppView.get_profiles,
}


def _handler(view: AppView) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            nsid = parts.path.removeprefix("/xrpc/")
            try:
                if not parts.path.startswith("/xrpc/"):
                    raise XrpcError(404, "NotFound", "not an XRPC path")
                status, body = 200, view.answer(nsid, parse_qs(parts.query))
            except XrpcError as exc:
                status, body = exc.status, {"error": exc.error, "message": exc.message}
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args) -> None:
            pass

    return Handler


@contextmanager
def appview(pds: str, port: int = 0) -> Iterator[tuple[str, AppView]]:
    """The AppView over `pds` on 127.0.0.1 (a free port unless given); yields (URL, view).
    Stopped (server shut down, thread joined) however the block ends."""
    view = AppView(pds)
    try:
        with http_server(_handler(view), port) as url:
            yield url, view
    finally:
        view.index.http.close()


@dataclass
class Stack:
    pds: str
    appview: str
    view: AppView


@contextmanager
def proxied_stack(folder) -> Iterator[Stack]:
    """The real PDS (tools/pds) configured to proxy app.bsky.* to a local AppView over it,
    and that AppView: what the Bluesky reads of backfeed and listening are tested on."""
    from tests.servers import bluesky_pds, free_port

    port = free_port()
    with (
        bluesky_pds(folder, appview_url=f"http://127.0.0.1:{port}") as pds,
        appview(pds, port) as (served, view),
    ):
        yield Stack(pds, served, view)
