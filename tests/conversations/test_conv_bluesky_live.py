"""Backfeed against the real Bluesky PDS (tools/pds) and the local AppView over it
(tests/appview.py): our account posts with the posting client, other accounts on the
PDS reply, reply in thread, quote, like, repost and delete; the fetch stores exactly
what the AppView says, straight from it and through the PDS's proxy."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from conversations import bluesky as reader
from conversations import fetch
from conversations.store import ResponseStore
from syndication.ledger import Ledger
from syndication.model import Composed, SourceEntry
from syndication.platforms.bluesky import Bluesky
from tests.appview import Stack, proxied_stack
from tests.servers import bluesky_account, pds_installed

pytestmark = pytest.mark.integration
POST = "app.bsky.feed.post"


@pytest.fixture(scope="module")
def stack(tmp_path_factory) -> Iterator[Stack]:
    """The PDS configured to proxy app.bsky.* to the local AppView, and that AppView."""
    if shutil.which("node") is None or not pds_installed():
        reason = "the Bluesky PDS needs Node 20 and `make pds` (tools/pds/)"
        (pytest.fail if os.environ.get("CHORUS_CI") else pytest.skip)(reason)
    with proxied_stack(tmp_path_factory.mktemp("pds")) as stack:
        yield stack


class Account:
    """Someone on the PDS writing records the way an app does (createRecord)."""

    def __init__(self, pds: str, prefix: str):
        self.pds = pds
        self.handle, self.password, self.did = bluesky_account(pds, prefix)
        session = httpx.post(
            f"{pds}/xrpc/com.atproto.server.createSession",
            json={"identifier": self.handle, "password": self.password},
        ).json()
        self.auth = {"Authorization": f"Bearer {session['accessJwt']}"}

    def credentials(self, appview: str | None = None) -> dict[str, str]:
        creds = {"CHORUS_BLUESKY_PDS": self.pds, "CHORUS_BLUESKY_HANDLE": self.handle,
                 "CHORUS_BLUESKY_APP_PASSWORD": self.password}  # fmt: skip
        return {**creds, "CHORUS_BLUESKY_APPVIEW_URL": appview} if appview else creds

    def create(self, collection: str, record: dict, rkey: str | None = None) -> dict:
        body = {"repo": self.did, "collection": collection,
                "record": {"$type": collection, "createdAt": now(), **record}}  # fmt: skip
        if rkey:
            body["rkey"] = rkey
        answer = httpx.post(
            f"{self.pds}/xrpc/com.atproto.repo.createRecord", headers=self.auth, json=body
        )
        answer.raise_for_status()
        return answer.json()

    def delete(self, uri: str) -> None:
        _, collection, rkey = uri[5:].split("/")
        answer = httpx.post(
            f"{self.pds}/xrpc/com.atproto.repo.deleteRecord",
            headers=self.auth,
            json={"repo": self.did, "collection": collection, "rkey": rkey},
        )
        answer.raise_for_status()

    def reply(self, text: str, root: dict, parent: dict) -> dict:
        refs = {"root": strong(root), "parent": strong(parent)}
        return self.create(POST, {"text": text, "reply": refs})

    def profile(self, description: str = "", labels: tuple[str, ...] = ()) -> None:
        record: dict = {"displayName": self.handle.split(".")[0], "description": description}
        if labels:
            record["labels"] = {"$type": "com.atproto.label.defs#selfLabels",
                                "values": [{"val": v} for v in labels]}  # fmt: skip
        self.create("app.bsky.actor.profile", record, rkey="self")


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def strong(ref: dict) -> dict:
    return {"uri": ref["uri"], "cid": ref["cid"]}


def syndicate(org: Account, ledger: Ledger, entry_id: str, text: str) -> dict:
    """Our copy, posted by the posting client and recorded in the ledger as a run does."""
    when = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
    entry = SourceEntry(entry_id, "https://site.example/p", "Title", "", "", when, when)
    composed = Composed("bluesky", text, len(text), 300, entry.url)
    posted = Bluesky(org.credentials()).post(composed, entry, f"{entry_id}|bluesky")
    if ledger.run_id is None:
        ledger.begin_run(say=print)
    ledger.claim(entry_id, "bluesky")
    ledger.mark_posted(entry_id, "bluesky", posted)
    record = httpx.get(
        f"{org.pds}/xrpc/com.atproto.repo.getRecord",
        params={"repo": org.did, "collection": POST, "rkey": posted.remote_id.rsplit("/", 1)[-1]},
    ).json()
    return {"uri": posted.remote_id, "cid": record["cid"], "url": posted.url}


def test_replies_quotes_likes_reposts_deletions(stack: Stack, tmp_path: Path) -> None:
    org, ana, ben = (Account(stack.pds, p) for p in ("org", "ana", "ben"))
    shy, quiet = Account(stack.pds, "shy"), Account(stack.pds, "quiet")
    ana.profile("Customer since 2019")
    shy.profile("Posting about logistics. #NoBackfeed please")
    quiet.profile("", labels=("!no-unauthenticated",))
    ledger = Ledger(tmp_path / "ledger.sqlite")
    ours = syndicate(org, ledger, "tag:site,2026:bsky-a", "Warehouse news")

    question = ana.reply("<script>alert(1)</script>When do\nyou open?", ours, ours)
    doomed = ana.reply("first!", ours, ours)
    deeper = ben.reply("Same question", ours, question)
    answer = org.reply("At eight", ours, deeper)
    shy.reply("never store me", ours, ours)
    quiet.reply("nor me", ours, ours)
    quote = ben.create(POST, {"text": "Look at this",
                              "embed": {"$type": "app.bsky.embed.record",
                                        "record": strong(ours)}})  # fmt: skip
    for who in (ana, shy):
        who.create("app.bsky.feed.like", {"subject": strong(ours)})
    ana.create("app.bsky.feed.repost", {"subject": strong(ours)})

    api = reader.connect(org.credentials(stack.appview))
    lines: list[str] = []
    outcome = fetch.run(ledger, {"bluesky": api}, say=lines.append)
    assert (outcome.copies, outcome.errors) == (1, [])
    store = ResponseStore(ledger.store)
    got = {r.response_id: r for r in store.responses()}
    assert sorted(r.kind for r in got.values()) == [
        "like", "quote", "reply", "reply", "reply", "reply", "repost",
    ]  # fmt: skip
    assert outcome.new == len(got)
    assert got[question["uri"]].parent_id == ours["uri"]
    assert got[deeper["uri"]].parent_id == question["uri"]
    assert got[answer["uri"]].parent_id == deeper["uri"]
    assert got[quote["uri"]].kind == "quote"
    text = got[question["uri"]].text
    assert "<script" not in text and "&lt;script&gt;" in text and "<br>" in text
    assert got[question["uri"]].url == (
        f"https://bsky.app/profile/{ana.handle}/post/{question['uri'].rsplit('/', 1)[-1]}"
    )
    assert got[question["uri"]].author.handle == ana.handle
    handles = {r.author.handle for r in got.values()}
    assert shy.handle not in handles and quiet.handle not in handles
    assert f"like:{ana.did}" in got and f"repost:{ana.did}" in got

    before = stack.view.requests.copy()
    again = fetch.run(ledger, {"bluesky": api}, say=lines.append)
    assert (again.unchanged, again.new, again.removed) == (1, 0, 0)
    assert stack.view.requests - before == {"app.bsky.feed.getPosts": 1}

    ana.delete(doomed["uri"])
    outcome = fetch.run(ledger, {"bluesky": api}, say=lines.append)
    assert (outcome.new, outcome.removed) == (0, 1)
    assert doomed["uri"] not in {r.response_id for r in store.responses()}

    org.delete(ours["uri"])
    assert fetch.run(ledger, {"bluesky": api}, say=lines.append).gone == 1
    assert fetch.run(ledger, {"bluesky": api}, say=lines.append).copies == 0
    assert sum("is gone" in line for line in lines) == 1
    assert store.responses() == []


def test_reads_through_the_pds_with_the_session(stack: Stack, tmp_path: Path) -> None:
    """No AppView URL: the reads go to our PDS, which proxies them to its AppView."""
    org, fan = Account(stack.pds, "org"), Account(stack.pds, "fan")
    ledger = Ledger(tmp_path / "ledger.sqlite")
    ours = syndicate(org, ledger, "tag:site,2026:bsky-b", "Hello")
    fan.reply("Hi", ours, ours)
    fan.create("app.bsky.feed.like", {"subject": strong(ours)})
    api = reader.connect(org.credentials())
    assert api is not None and api.base_url == stack.pds
    before = stack.view.requests["app.bsky.feed.getPostThread"]
    outcome = fetch.run(ledger, {"bluesky": api}, say=print)
    assert (outcome.new, outcome.errors) == (2, [])
    assert stack.view.requests["app.bsky.feed.getPostThread"] == before + 1
    assert api.account.sessions_created == 1

    # a row restored from the links file knows only the web URL: at://handle/… is asked
    by_url = reader.fetch(api, reader.id_from_url(ours["url"]))
    assert sorted(r.kind for r in by_url) == ["like", "reply"]
    assert next(r for r in by_url if r.kind == "reply").parent_id.startswith(f"at://{org.handle}/")


def test_appview_answers_have_the_lexicons_shapes(stack: Stack) -> None:
    """Every method of the local AppView, read back with the atproto SDK's models, which
    are generated from the lexicons (strict: required fields, unions, string formats)."""
    from atproto_client import models
    from atproto_client.models.utils import get_or_create

    org, fan = Account(stack.pds, "org"), Account(stack.pds, "fan")
    fan.profile("Fan of warehouses")
    ours = org.create(POST, {"text": "Lexicon shapes for the warehouse"})
    reply = fan.reply("A reply in the warehouse", ours, ours)
    org.reply("And an answer", ours, reply)
    fan.create(POST, {"text": "Quoting", "embed": {"$type": "app.bsky.embed.record",
                                                   "record": strong(ours)}})  # fmt: skip
    fan.create("app.bsky.feed.like", {"subject": strong(ours)})
    fan.create("app.bsky.feed.repost", {"subject": strong(ours)})

    def read(nsid: str, **params) -> dict:
        answer = httpx.get(f"{stack.appview}/xrpc/{nsid}", params=params)
        assert answer.status_code == 200, answer.text
        return answer.json()

    uri = ours["uri"]
    cases = [
        (models.AppBskyFeedGetPostThread.Response, read("app.bsky.feed.getPostThread", uri=uri)),
        (models.AppBskyFeedGetLikes.Response, read("app.bsky.feed.getLikes", uri=uri)),
        (models.AppBskyFeedGetRepostedBy.Response, read("app.bsky.feed.getRepostedBy", uri=uri)),
        (models.AppBskyFeedGetQuotes.Response, read("app.bsky.feed.getQuotes", uri=uri)),
        (models.AppBskyFeedGetPosts.Response, read("app.bsky.feed.getPosts", uris=[uri])),
        (models.AppBskyActorGetProfiles.Response,
         read("app.bsky.actor.getProfiles", actors=[fan.did, org.handle])),
        (models.AppBskyFeedSearchPosts.Response,
         read("app.bsky.feed.searchPosts", q="WAREHOUSE", limit=1)),
    ]  # fmt: skip
    for model, data in cases:
        get_or_create(data, model, strict=True, strict_string_format=True)
    thread = cases[0][1]["thread"]
    assert thread["post"]["replyCount"] == 1 and thread["post"]["quoteCount"] == 1
    assert thread["replies"][0]["replies"][0]["post"]["record"]["text"] == "And an answer"
    assert cases[1][1]["likes"][0]["actor"]["description"] == "Fan of warehouses"
    search = cases[6][1]
    assert len(search["posts"]) == 1 and search["hitsTotal"] == 2 and search["cursor"]
    rest = read("app.bsky.feed.searchPosts", q="warehouse", cursor=search["cursor"])
    assert len(rest["posts"]) == 1 and "cursor" not in rest
    missing = uri.replace(uri.rsplit("/", 1)[-1], "3jzfcijpj2z2a")
    gone = httpx.get(f"{stack.appview}/xrpc/app.bsky.feed.getPostThread", params={"uri": missing})
    assert (gone.status_code, gone.json()["error"]) == (400, "NotFound")
    assert httpx.get(f"{stack.appview}/xrpc/app.bsky.feed.getTimeline").status_code == 501


def test_round_trip_to_the_page(stack: Stack, tmp_path: Path, monkeypatch) -> None:
    """Our Bluesky copy → a customer asks, we answer in the thread → fetch → approve →
    build: the page shows the thread (mf2 comments) and "Reply on Bluesky"; the customer
    deletes the question → fetch → rebuild: it is gone."""
    import json

    import mf2py

    from conversations.cli import main
    from tests.conftest import build_site, copy_content
    from tests.conversations.cli_steps import cli_files, fetch_and_approve_replies

    entry = "tag:alderfinch.example,2026:posts/welcome-autumn-apprentices"
    org, customer = Account(stack.pds, "org"), Account(stack.pds, "cust")
    customer.profile("Buys forklifts")
    ledger_path = tmp_path / "ledger.sqlite"
    with Ledger(ledger_path) as ledger:
        ours = syndicate(org, ledger, entry, "Welcome")
    question = customer.reply("BSKY-QUESTION <b>bold?</b>", ours, ours)
    org.reply("BSKY-ANSWER", ours, question)
    content = copy_content(tmp_path)
    (content / "syndication-links.json").write_text(
        json.dumps({"version": 1, "entries": {entry: {"bluesky": ours["url"]}}})
    )
    for name, value in org.credentials(stack.appview).items():
        monkeypatch.setenv(name, value)
    (content / "conversations" / "decisions.yaml").write_text(f"org_accounts: [{org.handle}]\n")
    files = cli_files(ledger_path, content)
    assert len(fetch_and_approve_replies("bluesky", ledger_path, files)) == 2
    page_path = tmp_path / "out" / "posts" / "welcome-autumn-apprentices" / "index.html"
    build_site(tmp_path / "out", content)
    page = page_path.read_text()
    h_entry = next(i for i in mf2py.parse(doc=page)["items"] if "h-entry" in i["type"])
    top = h_entry["properties"]["comment"][0]["properties"]
    assert "BSKY-QUESTION &lt;b&gt;bold?&lt;/b&gt;" in top["content"][0]["html"]
    assert "BSKY-ANSWER" in top["comment"][0]["properties"]["content"][0]["html"]
    web = f"https://bsky.app/profile/{customer.handle}/post/{question['uri'].rsplit('/', 1)[-1]}"
    assert top["url"] == [web]
    assert top["author"][0]["properties"]["name"] == [customer.handle.split(".")[0]]
    assert "Reply on Bluesky" in page and ours["url"] in page

    customer.delete(question["uri"])
    assert main(["fetch", "--all", *files]) == 0
    build_site(tmp_path / "out", content)
    page = page_path.read_text()
    assert "BSKY-QUESTION" not in page and "BSKY-ANSWER" not in page
