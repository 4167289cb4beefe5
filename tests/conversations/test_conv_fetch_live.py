"""Backfeed against a real mastodon-mock: our account posts, other accounts reply,
favourite, boost, edit and delete; the fetch stores exactly what the server says."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from conversations import fetch
from conversations.store import ResponseStore
from syndication.http import Api
from syndication.ledger import Ledger
from syndication.model import Posted
from tests.servers import mastodon_mock, mastodon_token

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:
    with mastodon_mock(tmp_path_factory.mktemp("mastodon") / "server.log") as url:
        yield url


def call(url: str, token: str, method: str, path: str, **kw) -> dict:
    answer = httpx.request(
        method, f"{url}{path}", headers={"Authorization": f"Bearer {token}"}, **kw
    )
    answer.raise_for_status()
    return answer.json()


def posted_copy(ledger: Ledger, entry: str, status: dict) -> None:
    if ledger.run_id is None:
        ledger.begin_run(say=print)
    ledger.claim(entry, "mastodon")
    ledger.mark_posted(entry, "mastodon", Posted(remote_id=status["id"], url=status["url"]))


def test_replies_likes_boosts_edits_deletions(server: str, tmp_path: Path) -> None:
    org = mastodon_token(server, "chorusorg")
    ana = mastodon_token(server, "ana")
    ben = mastodon_token(server, "ben")
    ours = call(server, org, "POST", "/api/v1/statuses", data={"status": "Warehouse news"})
    text = "<script>x</script>Great <b>news</b>"
    first = call(server, ana, "POST", "/api/v1/statuses",
                 data={"status": text, "in_reply_to_id": ours["id"]})  # fmt: skip
    deeper = call(server, org, "POST", "/api/v1/statuses",
                  data={"status": "Thanks Ana", "in_reply_to_id": first["id"]})  # fmt: skip
    doomed = call(server, ben, "POST", "/api/v1/statuses",
                  data={"status": "first!", "in_reply_to_id": ours["id"]})  # fmt: skip
    call(server, ana, "POST", f"/api/v1/statuses/{ours['id']}/favourite")
    call(server, ben, "POST", f"/api/v1/statuses/{ours['id']}/reblog")

    ledger = Ledger(tmp_path / "ledger.sqlite")
    posted_copy(ledger, "tag:site,2026:a", ours)
    api = Api("mastodon", server, headers={"Authorization": f"Bearer {org}"})
    lines: list[str] = []
    outcome = fetch.run(ledger, {"mastodon": api}, say=lines.append)
    assert (outcome.copies, outcome.new, outcome.errors) == (1, 5, [])
    store = ResponseStore(ledger.store)
    got = {r.response_id: r for r in store.responses()}
    assert got[first["id"]].parent_id == ours["id"]
    assert got[deeper["id"]].parent_id == first["id"]
    assert "<script" not in got[first["id"]].text and "news" in got[first["id"]].text
    kinds = sorted(r.kind for r in got.values())
    assert kinds == ["like", "reply", "reply", "reply", "repost"]

    call(server, ana, "PUT", f"/api/v1/statuses/{first['id']}", data={"status": "Edited"})
    call(server, ben, "DELETE", f"/api/v1/statuses/{doomed['id']}")
    outcome = fetch.run(ledger, {"mastodon": api}, say=lines.append)
    assert (outcome.new, outcome.removed) == (0, 1)
    got = {r.response_id: r for r in store.responses()}
    assert doomed["id"] not in got
    assert "Edited" in got[first["id"]].text
    again = fetch.run(ledger, {"mastodon": api}, say=lines.append)
    assert (again.unchanged, again.new, again.removed) == (1, 0, 0)

    call(server, org, "DELETE", f"/api/v1/statuses/{ours['id']}")
    assert fetch.run(ledger, {"mastodon": api}, say=lines.append).gone == 1
    assert fetch.run(ledger, {"mastodon": api}, say=lines.append).copies == 0
    assert sum("is gone" in line for line in lines) == 1
    assert store.responses() == []


def test_opt_out_never_stored(server: str, tmp_path: Path) -> None:
    org = mastodon_token(server, "chorusorg2")
    shy = mastodon_token(server, "shy")
    call(server, shy, "PATCH", "/api/v1/accounts/update_credentials", data={"note": "hi #NoBot"})
    ours = call(server, org, "POST", "/api/v1/statuses", data={"status": "Hello"})
    answer = {"status": "hey", "in_reply_to_id": ours["id"]}
    call(server, shy, "POST", "/api/v1/statuses", data=answer)
    ledger = Ledger(tmp_path / "ledger.sqlite")
    posted_copy(ledger, "tag:site,2026:b", ours)
    api = Api("mastodon", server, headers={"Authorization": f"Bearer {org}"})
    fetch.run(ledger, {"mastodon": api}, say=print)
    assert ResponseStore(ledger.store).responses() == []


def test_one_failure_keeps_the_rest(server: str, tmp_path: Path) -> None:
    org = mastodon_token(server, "chorusorg3")
    fan = mastodon_token(server, "fan")
    ours = call(server, org, "POST", "/api/v1/statuses", data={"status": "Hello"})
    call(server, fan, "POST", f"/api/v1/statuses/{ours['id']}/favourite")
    ledger = Ledger(tmp_path / "ledger.sqlite")
    posted_copy(ledger, "tag:site,2026:c", ours)
    good = Api("mastodon", server, headers={"Authorization": f"Bearer {org}"})
    fetch.run(ledger, {"mastodon": good}, say=print)
    dead = Api("mastodon", "http://127.0.0.1:9", headers={})
    lines: list[str] = []
    outcome = fetch.run(ledger, {"mastodon": dead}, say=lines.append)
    assert len(outcome.errors) == 1 and len(lines) == 1 and "cannot connect" in lines[0]
    assert [r.kind for r in ResponseStore(ledger.store).responses()] == ["like"]


def test_cli_fetch_review_snapshot(server: str, tmp_path: Path, monkeypatch, capsys) -> None:
    """Nothing is in the snapshot until `review --approve`; a block removes it again."""
    from conversations.cli import main

    org = mastodon_token(server, "chorusorg4")
    guest = mastodon_token(server, "guest")
    ours = call(server, org, "POST", "/api/v1/statuses", data={"status": "Hello"})
    answer = call(server, guest, "POST", "/api/v1/statuses",
                  data={"status": "Hi from a guest", "in_reply_to_id": ours["id"]})  # fmt: skip
    ledger_path = tmp_path / "ledger.sqlite"
    with Ledger(ledger_path) as ledger:
        posted_copy(ledger, "tag:site,2026:d", ours)
    monkeypatch.setenv("CHORUS_MASTODON_URL", server)
    monkeypatch.setenv("CHORUS_MASTODON_TOKEN", org)
    people = tmp_path / "people"
    people.mkdir()
    files = [f"--ledger={ledger_path}", f"--decisions={tmp_path / 'decisions.yaml'}",
             f"--snapshot={tmp_path / 'snapshot.json'}", f"--people={people}"]  # fmt: skip
    assert main(["fetch", *files]) == 0
    snap = (tmp_path / "snapshot.json").read_text()
    assert "Hi from a guest" not in snap
    capsys.readouterr()
    assert main(["review", *files]) == 0
    assert f"mastodon:{answer['id']}" in capsys.readouterr().out
    # the guest spoke last and nobody answered: the conversation waits in the inbox
    assert main(["inbox", *files, f"--posts={tmp_path}"]) == 0
    assert answer["url"] in capsys.readouterr().out
    assert main(["review", f"--approve=mastodon:{answer['id']}", *files]) == 0
    assert "Hi from a guest" in (tmp_path / "snapshot.json").read_text()
    assert f"mastodon:{answer['id']}" in (tmp_path / "decisions.yaml").read_text()
    handle = ResponseStore(Ledger(ledger_path).store).responses()[0].author.handle
    assert handle.startswith("guest@")
    assert main(["review", f"--block={handle}", *files]) == 0
    assert "Hi from a guest" not in (tmp_path / "snapshot.json").read_text()
    capsys.readouterr()
    assert main(["inbox", *files, f"--posts={tmp_path}"]) == 0
    assert answer["url"] not in capsys.readouterr().out  # a blocked account is not routed


def test_round_trip_to_the_page(server: str, tmp_path: Path, monkeypatch) -> None:
    """Our copy → a customer replies, an employee answers → fetch → approve → build: the
    page shows the thread; the customer deletes the reply → fetch → rebuild: it is gone."""
    import json

    import mf2py

    from conversations.cli import main
    from tests.conftest import build_site, copy_content
    from tests.conversations.cli_steps import cli_files, fetch_and_approve_replies

    entry = "tag:alderfinch.example,2026:posts/welcome-autumn-apprentices"
    org = mastodon_token(server, "chorusorg5")
    customer = mastodon_token(server, "customer")
    ours = call(server, org, "POST", "/api/v1/statuses", data={"status": "Welcome"})
    question = call(server, customer, "POST", "/api/v1/statuses",
                    data={"status": "ROUNDTRIP-QUESTION",
                          "in_reply_to_id": ours["id"]})  # fmt: skip
    call(server, org, "POST", "/api/v1/statuses",
         data={"status": "ROUNDTRIP-ANSWER", "in_reply_to_id": question["id"]})  # fmt: skip
    ledger_path = tmp_path / "ledger.sqlite"
    with Ledger(ledger_path) as ledger:
        posted_copy(ledger, entry, ours)
    content = copy_content(tmp_path)
    (content / "syndication-links.json").write_text(
        json.dumps({"version": 1, "entries": {entry: {"mastodon": ours["url"]}}})
    )
    monkeypatch.setenv("CHORUS_MASTODON_URL", server)
    monkeypatch.setenv("CHORUS_MASTODON_TOKEN", org)
    org_handle = "chorusorg5@" + server.split("//")[1].split(":")[0]
    (content / "conversations" / "decisions.yaml").write_text(f"org_accounts: [{org_handle}]\n")
    files = cli_files(ledger_path, content)
    fetch_and_approve_replies("mastodon", ledger_path, files)
    page_path = tmp_path / "out" / "posts" / "welcome-autumn-apprentices" / "index.html"
    build_site(tmp_path / "out", content)
    page = page_path.read_text()
    items = mf2py.parse(doc=page)["items"]
    h_entry = next(i for i in items if "h-entry" in i["type"])
    top = h_entry["properties"]["comment"][0]["properties"]
    assert "ROUNDTRIP-QUESTION" in top["content"][0]["html"]
    assert "ROUNDTRIP-ANSWER" in top["comment"][0]["properties"]["content"][0]["html"]
    assert top["url"] == [question["url"]]
    assert "Reply on Mastodon" in page and ours["url"] in page

    call(server, customer, "DELETE", f"/api/v1/statuses/{question['id']}")
    # read again at once: within half an hour of the last read the schedule waits ...
    assert main(["fetch", *files]) == 0
    build_site(tmp_path / "out", content)
    assert "ROUNDTRIP-QUESTION" in page_path.read_text()
    # ... and `--all` reads every copy now
    assert main(["fetch", "--all", *files]) == 0
    build_site(tmp_path / "out", content)
    assert "ROUNDTRIP-QUESTION" not in page_path.read_text()
