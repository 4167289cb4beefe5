"""The Threads, Facebook, LinkedIn and X readers against the local servers speaking each
platform's documented read shapes (tests/syndication_http/conftest.py), fed the answers in
tests/conversations/fixtures/<platform>/: threading, counts, edits, deletions, our copy
gone, and the faults — each one line, the other platforms read, nothing stored lost."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from conversations import fetch
from conversations.store import ResponseStore
from syndication.ledger import Ledger
from syndication.model import Posted
from syndication.registry import SPECS
from tests.syndication_http.conftest import (
    PAGE_ID,
    THREADS_USER_ID,
    TOKEN,
    LocalServer,
    fixture_text,
    make_facebook,
    make_linkedin,
    make_threads,
    make_x,
    running,
)

FIXTURES = Path(__file__).parent / "fixtures"
NOW = 1_800_000_000  # a reset header's epoch, well in the future of the fixtures


def load(platform: str, name: str) -> dict:
    return json.loads((FIXTURES / platform / name).read_text(encoding="utf-8"))


def raw(platform: str, name: str) -> bytes:
    return (FIXTURES / platform / name).read_bytes()


# --- what each platform's server is given, from the fixtures --------------------------


def seed_threads(server: LocalServer, copy_id: str, case: str) -> None:
    insights = {
        m["name"]: m["values"][0]["value"] for m in load("threads", "insights.json")["data"]
    }
    server.read[copy_id] = {
        "conversation": load("threads", f"conversation{case}.json")["data"],
        "insights": insights,
    }


def seed_facebook(server: LocalServer, copy_id: str, case: str) -> None:
    counts = load("facebook", "counts.json")
    server.read[copy_id] = {
        "comments": load("facebook", f"comments{case}.json")["data"],
        "reactions": counts["reactions"]["summary"]["total_count"],
        "shares": counts["shares"]["count"],
    }


def seed_linkedin(server: LocalServer, copy_id: str, case: str) -> None:
    comments = load("linkedin", f"comments{case}.json")["elements"]
    server.read[copy_id] = {
        "comments": comments,
        "likes": load("linkedin", "likes.json")["elements"],
    }
    for reply in load("linkedin", "replies.json")["elements"]:  # comments of comments
        server.read[reply["parentComment"]] = {"comments": [reply]}


def seed_x(server: LocalServer, copy_id: str, case: str) -> None:
    search = load("x", f"search{case}.json")
    likes, reposts = load("x", "liking-users.json"), load("x", "retweeted-by.json")
    for user in [*search["includes"]["users"], *likes["data"], *reposts["data"]]:
        server.users.setdefault(user["id"], user)
    server.read[copy_id] = {
        "post": {"id": copy_id, "text": "Warehouse voices", "edit_history_tweet_ids": [copy_id]},
        "replies": search["data"],
        "liking_users": [u["id"] for u in likes["data"]],
        "retweeted_by": [u["id"] for u in reposts["data"]],
    }


@dataclass
class Case:
    name: str
    make: Callable[[], LocalServer]
    seed: Callable[[LocalServer, str, str], None]
    copies: tuple[str, str]  # two of our copies' ids
    creds: dict[str, str]  # besides the base URL
    url_variable: str
    parents: dict[str, str]  # reply id → the id it answers ("" = our copy)
    counts: dict[str, int]  # likes and reposts
    edited: str  # the reply edited in the "-edited" answer, and a word of its new text
    edited_word: str
    deleted: str  # the reply gone from the "-edited" answer
    token_fault: dict
    rate_fault: dict
    resets: bool = False  # the 429 names when to come back
    not_stored: tuple[str, ...] = ()
    extra: dict = field(default_factory=dict)

    def url(self, copy_id: str) -> str:
        return f"https://{self.name}.example/{copy_id}"


THREADS_COPY = "17900000000000001"
FB_COPY = f"{PAGE_ID}_122100000000000"
LI_COPY = "urn:li:share:7000000000000000000"
X_COPY = "1445880548472328192"
LI_C1 = "urn:li:comment:(urn:li:activity:7000000000000000001,7100000000000000001)"
LI_C2 = "urn:li:comment:(urn:li:activity:7000000000000000001,7100000000000000002)"
LI_C3 = "urn:li:comment:(urn:li:activity:7000000000000000001,7100000000000000003)"

CASES = [
    Case(
        name="threads",
        make=make_threads,
        seed=seed_threads,
        copies=(THREADS_COPY, "17900000000000002"),
        creds={"CHORUS_THREADS_USER_ID": THREADS_USER_ID, "CHORUS_THREADS_TOKEN": TOKEN},
        url_variable="CHORUS_THREADS_API_URL",
        parents={
            "18050000000000001": "",
            "18050000000000002": "18050000000000001",
            "18050000000000003": "18050000000000001",
        },
        counts={"like": 12, "repost": 3},
        edited="18050000000000001",
        edited_word="drivers",
        deleted="18050000000000003",
        not_stored=("18050000000000004",),  # hidden on Threads
        token_fault=dict(status=400, body=raw("threads", "error-token.json")),
        rate_fault=dict(
            status=400,
            body=raw("threads", "error-rate-limit.json"),
            headers={"x-app-usage": '{"call_count":100,"total_cputime":12,"total_time":30}'},
        ),
    ),
    Case(
        name="facebook",
        make=make_facebook,
        seed=seed_facebook,
        copies=(FB_COPY, f"{PAGE_ID}_122100000000001"),
        creds={"CHORUS_FACEBOOK_PAGE_ID": PAGE_ID, "CHORUS_FACEBOOK_TOKEN": TOKEN},
        url_variable="CHORUS_FACEBOOK_API_URL",
        parents={
            "122100000000000_900000000000001": "",
            "122100000000000_900000000000002": "122100000000000_900000000000001",
            "122100000000000_900000000000003": "",
        },
        counts={"like": 9, "repost": 2},
        edited="122100000000000_900000000000001",
        edited_word="online",
        deleted="122100000000000_900000000000003",
        token_fault=dict(status=400, body=fixture_text("facebook", "error-token.json").encode()),
        rate_fault=dict(
            status=403,
            body=fixture_text("facebook", "error-rate-limit.json").encode(),
            headers={
                "x-business-use-case-usage": json.dumps(
                    {
                        PAGE_ID: [
                            {
                                "type": "pages",
                                "call_count": 100,
                                "total_cputime": 9,
                                "total_time": 20,
                                "estimated_time_to_regain_access": 7,
                            }
                        ]
                    }
                )
            },
        ),
        resets=True,
    ),
    Case(
        name="linkedin",
        make=make_linkedin,
        seed=seed_linkedin,
        copies=(LI_COPY, "urn:li:share:7000000000000000001"),
        creds={
            "CHORUS_LINKEDIN_TOKEN": TOKEN,
            "CHORUS_LINKEDIN_AUTHOR": "urn:li:organization:5515715",
        },
        url_variable="CHORUS_LINKEDIN_API_URL",
        parents={LI_C1: "", LI_C2: LI_C1, LI_C3: ""},
        counts={"like": 2, "repost": 0},
        edited=LI_C1,
        edited_word="when",
        deleted=LI_C3,
        token_fault=dict(status=401, body=fixture_text("linkedin", "error-401.json").encode()),
        rate_fault=dict(status=429, body=raw("linkedin", "error-429.json")),
    ),
    Case(
        name="x",
        make=make_x,
        seed=seed_x,
        copies=(X_COPY, "1445880548472328193"),
        creds={"CHORUS_X_TOKEN": TOKEN, "CHORUS_X_READS": "1"},
        url_variable="CHORUS_X_API_URL",
        parents={
            "1445880548472328300": "",
            "1445880548472328301": "1445880548472328300",
            "1445880548472328302": "",
        },
        counts={"like": 2, "repost": 1},
        edited="1445880548472328300",
        edited_word="when",
        deleted="1445880548472328302",
        not_stored=("1445880548472328303",),  # #nobridge in the profile
        token_fault=dict(status=401, body=fixture_text("x", "unauthorized-401.json").encode()),
        rate_fault=dict(
            status=429,
            body=fixture_text("x", "rate-limit-429.json").encode(),
            headers={
                "x-rate-limit-limit": "450",
                "x-rate-limit-remaining": "0",
                "x-rate-limit-reset": str(NOW + 900),
            },
        ),
        resets=True,
    ),
]
BY_NAME = {case.name: case for case in CASES}


def api_for(case: Case, server: LocalServer):
    reader = SPECS[case.name].reader_module()
    return reader.connect({**case.creds, case.url_variable: server.url})


def ledger_with(tmp_path: Path, rows: list[tuple[str, str, str]]) -> Ledger:
    """A ledger whose posted copies are (entry, platform, copy id)."""
    ledger = Ledger(tmp_path / "ledger.sqlite")
    ledger.begin_run(say=print)
    for entry, platform, copy_id in rows:
        ledger.claim(entry, platform)
        url = BY_NAME[platform].url(copy_id)
        ledger.mark_posted(entry, platform, Posted(remote_id=copy_id, url=url))
    return ledger


def replies(store: ResponseStore, platform: str, copy_id: str) -> dict[str, object]:
    return {r.response_id: r for r in store.responses(platform, copy_id) if r.kind == "reply"}


def counted(store: ResponseStore, platform: str, copy_id: str) -> dict[str, int]:
    found = {"like": 0, "repost": 0}
    for r in store.responses(platform, copy_id):
        if r.kind in found:
            found[r.kind] += r.count
    return found


@pytest.fixture(params=[c.name for c in CASES])
def case(request) -> Case:
    return BY_NAME[request.param]


def test_thread_counts_edit_and_deletion(case: Case, tmp_path: Path) -> None:
    copy_id = case.copies[0]
    with running(case.make()) as server:
        case.seed(server, copy_id, "")
        ledger = ledger_with(tmp_path, [("e1", case.name, copy_id)])
        apis = {case.name: api_for(case, server)}
        lines: list[str] = []
        outcome = fetch.run(ledger, apis, say=lines.append)
        store = ResponseStore(ledger.store)
        found = replies(store, case.name, copy_id)
        assert lines == [] and outcome.errors == []
        assert {
            rid: (r.parent_id if r.parent_id != copy_id else "") for rid, r in found.items()
        } == (case.parents)
        assert counted(store, case.name, copy_id) == case.counts
        assert not set(case.not_stored) & set(found)
        for reply in found.values():
            assert "<script" not in reply.text and "<img" not in reply.text  # text, not tags
            assert reply.published.endswith("Z") and reply.author.name
        assert any("&lt;" in r.text for r in found.values()) or case.name == "linkedin"

        case.seed(server, copy_id, "-edited")
        again = fetch.run(ledger, apis, say=lines.append)
        after = replies(store, case.name, copy_id)
        assert lines == []
        assert case.deleted not in after and again.removed == 1
        assert case.edited_word in after[case.edited].text
        assert after[case.edited].text != found[case.edited].text
        assert server.violations == []


def test_linkedin_text_is_escaped_not_parsed(tmp_path: Path) -> None:
    case = BY_NAME["linkedin"]
    with running(case.make()) as server:
        case.seed(server, LI_COPY, "")
        ledger = ledger_with(tmp_path, [("e1", "linkedin", LI_COPY)])
        fetch.run(ledger, {"linkedin": api_for(case, server)}, say=print)
        text = replies(ResponseStore(ledger.store), "linkedin", LI_COPY)[LI_C3].text
    assert text == "<p>Interesting &lt;b&gt;read&lt;/b&gt; &amp; worth sharing</p>"


def test_our_copy_gone_is_said_once(case: Case, tmp_path: Path) -> None:
    copy_id = case.copies[0]
    with running(case.make()) as server:
        case.seed(server, copy_id, "")
        ledger = ledger_with(tmp_path, [("e1", case.name, copy_id)])
        apis = {case.name: api_for(case, server)}
        fetch.run(ledger, apis, say=print)
        del server.read[copy_id]  # we deleted it on the platform
        lines: list[str] = []
        first = fetch.run(ledger, apis, say=lines.append)
        asked = len(server.requests)
        second = fetch.run(ledger, apis, say=lines.append)
        store = ResponseStore(ledger.store)
        assert first.gone == 1 and second.gone == 0 and second.copies == 0
        assert len(lines) == 1 and "is gone" in lines[0] and "e1" in lines[0], lines
        assert len(server.requests) == asked  # not asked again
        assert store.responses(case.name) == []


def test_truncated_json_is_one_line_and_keeps_what_was_stored(case: Case, tmp_path: Path) -> None:
    copy_id = case.copies[0]
    with running(case.make()) as server:
        case.seed(server, copy_id, "")
        ledger = ledger_with(tmp_path, [("e1", case.name, copy_id)])
        apis = {case.name: api_for(case, server)}
        fetch.run(ledger, apis, say=print)
        store = ResponseStore(ledger.store)
        before = store.responses(case.name)
        case.seed(server, copy_id, "-edited")  # there would be news …
        server.fault(status=200, body=raw(case.name, "truncated.json"))  # … but it is cut off
        lines: list[str] = []
        outcome = fetch.run(ledger, apis, say=lines.append)
    assert len(lines) == 1 and "\n" not in lines[0] and "body is not JSON" in lines[0], lines
    assert lines[0].startswith(f"{case.name}: ") and outcome.errors == lines
    assert store.responses(case.name) == before


def all_running(stack: ExitStack) -> dict[str, LocalServer]:
    servers = {}
    for case in CASES:
        servers[case.name] = stack.enter_context(running(case.make()))
        case.seed(servers[case.name], case.copies[0], "")
    return servers


def test_expired_token_is_one_line_and_the_others_are_read(case: Case, tmp_path: Path) -> None:
    with ExitStack() as stack:
        servers = all_running(stack)
        ledger = ledger_with(tmp_path, [(f"e-{c.name}", c.name, c.copies[0]) for c in CASES])
        apis = {c.name: api_for(c, servers[c.name]) for c in CASES}
        servers[case.name].fault(**case.token_fault, times=10)
        lines: list[str] = []
        fetch.run(ledger, apis, say=lines.append)
        store = ResponseStore(ledger.store)
        assert len(lines) == 1 and lines[0].startswith(f"{case.name}: "), lines
        assert " HTTP 40" in lines[0] and TOKEN not in lines[0]
        assert store.responses(case.name) == []
        for other in CASES:
            if other is not case:
                assert replies(store, other.name, other.copies[0]), other.name


def test_rate_limit_stops_the_platform_for_the_run(case: Case, tmp_path: Path) -> None:
    other = BY_NAME["linkedin" if case.name != "linkedin" else "facebook"]
    with running(case.make()) as server, running(other.make()) as elsewhere:
        for copy_id in case.copies:
            case.seed(server, copy_id, "")
        other.seed(elsewhere, other.copies[0], "")
        rows = [("e1", case.name, case.copies[0]), ("e2", case.name, case.copies[1]),
                ("e3", other.name, other.copies[0])]  # fmt: skip
        ledger = ledger_with(tmp_path, rows)
        apis = {case.name: api_for(case, server), other.name: api_for(other, elsewhere)}
        server.fault(**case.rate_fault)
        lines: list[str] = []
        outcome = fetch.run(ledger, apis, say=lines.append)
        store = ResponseStore(ledger.store)
        assert len(lines) == 1 and lines[0].startswith(f"{case.name}: "), lines
        assert f"{case.name} is not read again this run" in lines[0]
        assert ("wait until" in lines[0]) == case.resets, lines[0]
        assert len(server.requests) == 1 and outcome.limited == 2
        assert store.responses(case.name) == []
        assert replies(store, other.name, other.copies[0])
        asked = len(server.requests)
        soon = fetch.run(ledger, apis, say=lines.append, now=dt.datetime.now(dt.UTC))
        if case.resets:  # before the reset: that platform is not asked at all
            assert len(server.requests) == asked and soon.limited == 2
            assert lines[1] == f"{case.name}: not read this run: rate-limited until " + (
                ResponseStore(ledger.store).resume_at(case.name) or ""
            )
            del lines[1]
        later = dt.datetime.fromtimestamp(NOW + 3600, dt.UTC)
        nxt = fetch.run(ledger, apis, say=lines.append, now=later)  # after it: read
        assert len(lines) == 1 and nxt.limited == 0
        assert replies(store, case.name, case.copies[0]) and replies(
            store, case.name, case.copies[1]
        )


def test_x_reads_are_off_unless_switched_on() -> None:
    reader = SPECS["x"].reader_module()
    assert reader.connect({"CHORUS_X_TOKEN": TOKEN}) is None
    assert reader.connect({"CHORUS_X_TOKEN": TOKEN, "CHORUS_X_READS": "yes"}) is None
    assert reader.connect({"CHORUS_X_TOKEN": TOKEN, "CHORUS_X_READS": "1"}) is not None
    assert "CHORUS_X_READS" in SPECS["x"].optional


def test_a_copy_known_only_by_its_url_is_asked_by_its_id() -> None:
    from syndication.platforms import facebook, linkedin, x

    assert fetch.copy_id_of(None, facebook.post_url(FB_COPY), "facebook") == FB_COPY
    assert fetch.copy_id_of(None, linkedin.post_url(LI_COPY), "linkedin") == LI_COPY
    assert fetch.copy_id_of(None, x.status_url(X_COPY), "x") == X_COPY
    pfbid = f"https://www.facebook.com/{PAGE_ID}/posts/pfbid02abc"
    assert fetch.copy_id_of(None, pfbid, "facebook") == ""
    permalink = "https://www.threads.net/@alderfinch/post/C000001"
    assert fetch.copy_id_of(None, permalink, "threads") == ""


def test_a_restored_copy_whose_url_holds_no_id_is_not_marked_gone(tmp_path: Path) -> None:
    case = BY_NAME["threads"]
    with running(case.make()) as server:
        ledger = Ledger(tmp_path / "ledger.sqlite")
        ledger.restore_posted({"e1": {"threads": "https://www.threads.net/@alderfinch/post/C01"}})
        lines: list[str] = []
        outcome = fetch.run(ledger, {"threads": api_for(case, server)}, say=lines.append)
        assert server.requests == [] and lines == [] and outcome.gone == 0


def test_snapshot_counts_totals_and_threads_replies(tmp_path: Path) -> None:
    from conversations import snapshot
    from conversations.moderation import Decisions

    case = BY_NAME["facebook"]
    with running(case.make()) as server:
        case.seed(server, FB_COPY, "")
        ledger = ledger_with(tmp_path, [("e1", "facebook", FB_COPY)])
        fetch.run(ledger, {"facebook": api_for(case, server)}, say=print)
    store = ResponseStore(ledger.store)
    answer = "facebook:122100000000000_900000000000002"
    decisions = Decisions(approve={"facebook:122100000000000_900000000000001", answer})
    data = snapshot.build(store, {("facebook", FB_COPY): case.url(FB_COPY)}, decisions)
    entry = data["entries"]["e1"]
    assert entry["counts"] == {"facebook": {"like": 9, "repost": 2}}
    parents = {r["id"]: r["parent"] for r in entry["replies"]}
    assert parents == {
        "facebook:122100000000000_900000000000001": "",
        answer: "facebook:122100000000000_900000000000001",
    }  # the third comment is not approved: not on the page
