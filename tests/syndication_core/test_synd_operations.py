"""Exactly once as an operator runs it: outages, a send that went through unanswered, a lost
ledger, concurrent runs, edits, retractions, Ctrl-C and kill -9 at any moment — each
through the real CLI (`python -m syndication.cli`) against the real servers: mastodon-mock,
the Bluesky PDS, the local LinkedIn and webhook servers, SQLite and a real PostgreSQL."""

from __future__ import annotations

import contextlib
import json
import random
import re
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from contextlib import ExitStack
from pathlib import Path

import httpx
import pytest

from tests.servers import bluesky_account as new_bluesky_account
from tests.servers import mastodon_token
from tests.syndication_http.conftest import (
    LINKEDIN_AUTHOR,
    TOKEN,
    WEBHOOK_PATH,
    make_linkedin,
    make_webhook,
    running,
)

from .conftest import ROOT, env_without_chorus

pytestmark = pytest.mark.integration
SITE = "https://chorus.test"


# --- a feed, a run -------------------------------------------------------------------------
def item(slug: str, platforms: list[str], *, published: str = "2026-03-01T08:00:00+00:00",
         title: str | None = None) -> dict:  # fmt: skip
    return {
        "id": f"tag:alderfinch.example,2026:posts/{slug}",
        "url": f"{SITE}/posts/{slug}/",
        "title": title or f"Post {slug}",
        "content_html": f"<p>{slug}</p>",
        "summary": f"What {slug} is about.",
        "date_published": published,
        "tags": ["Warehouse & Operations", "safety"],
        "_chorus": {"department": "warehouse", "syndicate": platforms,
                    "syndication_text": {}, "status": "published"},
    }  # fmt: skip


def write_feed(path: Path, items: list[dict], retracted: list[dict] | None = None) -> Path:
    feed = {"version": "https://jsonfeed.org/version/1.1", "title": "t", "items": items}
    if retracted:
        feed["_chorus"] = {"retracted": retracted}
    path.write_text(json.dumps(feed, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def command(tmp_path: Path, *args: str, ledger: str | None = None) -> list[str]:
    return [
        sys.executable, "-m", "syndication.cli", "--pace", "0", "--backoff", "0",
        "--feed", str(tmp_path / "all.json"), "--ledger", ledger or str(tmp_path / "l.sqlite"),
        "--links", str(tmp_path / "links.json"), "--output", str(tmp_path / "no-site"), *args,
    ]  # fmt: skip


def syndicate(tmp_path, env, *args, ledger=None, timeout=180) -> subprocess.CompletedProcess:
    return subprocess.run(
        command(tmp_path, *args, ledger=ledger),
        cwd=ROOT, env={**env_without_chorus(), **env}, capture_output=True, text=True,
        timeout=timeout,
    )  # fmt: skip


def links(tmp_path) -> dict:
    path = tmp_path / "links.json"
    return json.loads(path.read_text())["entries"] if path.exists() else {}


def states(tmp_path) -> Counter:
    db = sqlite3.connect(tmp_path / "l.sqlite")
    try:
        return Counter(db.execute("SELECT platform, state FROM syndication").fetchall())
    finally:
        db.close()


def one_line(stderr: str) -> str:
    assert stderr.count("\n") == 1 and "Traceback" not in stderr, stderr
    return stderr


# --- the servers ---------------------------------------------------------------------------
@pytest.fixture
def http_platforms():
    """LinkedIn and the webhook, each a local server speaking the documented shapes."""
    with running(make_linkedin()) as linkedin, running(make_webhook()) as webhook:
        env = {
            "CHORUS_LINKEDIN_TOKEN": TOKEN,
            "CHORUS_LINKEDIN_AUTHOR": LINKEDIN_AUTHOR,
            "CHORUS_LINKEDIN_API_URL": linkedin.url,
            "CHORUS_WEBHOOK_URL": webhook.url + WEBHOOK_PATH,
            "CHORUS_WEBHOOK_CHANNEL_URL": "https://chat.alderfinch.example/channels/news",
        }
        yield linkedin, webhook, env


def mastodon_faults(account, rule: dict | None) -> None:
    url = f"{account.url}/api/v1/_mock/faults"
    if rule is None:
        httpx.delete(url).raise_for_status()
    else:
        httpx.post(url, json=rule).raise_for_status()


def per_entry(texts: list[str]) -> Counter:
    """How many copies link to each entry of the feed."""
    found: Counter = Counter()
    for text in texts:  # a copy may name its entry twice (text and card): count it once
        found.update(set(re.findall(rf"{re.escape(SITE)}/posts/([\w-]+)/", text)))
    return found


def linkedin_posts(server) -> Counter:
    return Counter(p["content"]["article"]["source"].rstrip("/").rsplit("/", 1)[-1]
                   for p in server.posts)  # fmt: skip


def webhook_posts(server) -> Counter:
    return per_entry([json.dumps(m) for m in server.messages])


# --- failed is not final -------------------------------------------------------------------
def test_an_outage_then_recovery_posts_once(tmp_path, mastodon_account):
    write_feed(tmp_path / "all.json", [item("outage", ["mastodon"])])
    env = mastodon_account.credentials()
    rule = {"match": {"methods": ["POST"], "path": "/api/v1/statuses"},
            "effect": {"type": "status", "status": 503}}  # fmt: skip
    mastodon_faults(mastodon_account, rule)
    try:
        down = syndicate(tmp_path, env, "--live", "--first-run")
    finally:
        mastodon_faults(mastodon_account, None)
    assert down.returncode == 1, down.stdout + down.stderr
    assert "waiting for retry: mastodon" in down.stdout and "HTTP 503" in down.stdout
    assert states(tmp_path) == Counter({("mastodon", "failed"): 1})

    again = syndicate(tmp_path, env, "--live")  # CI's plain command: no --retry-failed
    assert again.returncode == 0, again.stdout + again.stderr
    assert "Done: 1 posted" in again.stdout
    assert per_entry([s["content"] for s in mastodon_account.statuses()]) == {"outage": 1}
    assert syndicate(tmp_path, env, "--live").stdout.startswith("Done: 0 posted")


def test_a_send_that_went_through_unanswered_is_found_not_resent(tmp_path, http_platforms):
    linkedin, _, env = http_platforms
    write_feed(tmp_path / "all.json", [item("gateway", ["linkedin"])])
    # the post is made, the answer lost (504); then every look-up fails for the rest of the run
    linkedin.fault(status=504, method="POST", path="/rest/posts", after=True)
    linkedin.fault(status=503, method="GET", path="/rest/posts", times=3, from_request=2)
    first = syndicate(tmp_path, env, "--live", "--first-run")
    assert first.returncode == 1, first.stdout + first.stderr
    assert states(tmp_path) == Counter({("linkedin", "failed"): 1})
    assert len(linkedin.posts) == 1
    linkedin.faults.clear()

    second = syndicate(tmp_path, env, "--live")
    assert second.returncode == 0, second.stdout + second.stderr
    assert "was already posted" in second.stdout
    assert len(linkedin.posts) == 1  # found, not posted again
    assert states(tmp_path) == Counter({("linkedin", "posted"): 1})
    assert links(tmp_path)[item("gateway", [])["id"]]["linkedin"].startswith("https://www.linkedin")


def test_abandoned_after_the_cap_is_reported_every_run_until_someone_acts(tmp_path, http_platforms):
    linkedin, _, env = http_platforms
    write_feed(tmp_path / "all.json", [item("refused", ["linkedin"])])
    linkedin.fault(status=422, method="POST", path="/rest/posts", times=8,
                   body=b'{"message": "commentary too long", "status": 422}')  # fmt: skip
    runs = [syndicate(tmp_path, env, "--live", "--first-run") for _ in range(8)]
    assert [r.returncode for r in runs] == [1] * 8
    assert "ABANDONED" in runs[-1].stdout and "commentary too long" in runs[-1].stdout
    assert states(tmp_path) == Counter({("linkedin", "abandoned"): 1})
    later = syndicate(tmp_path, env, "--live")
    assert later.returncode == 1 and "ABANDONED: linkedin" in later.stdout  # not silent
    assert not linkedin.faults and linkedin.posts == []  # and not tried a ninth time
    fixed = syndicate(tmp_path, env, "--live", "--retry-failed")
    assert fixed.returncode == 0, fixed.stdout
    assert len(linkedin.posts) == 1


# --- durable state -------------------------------------------------------------------------
@pytest.mark.parametrize("loss", ["deleted", "empty file"])
def test_a_lost_ledger_never_floods_the_archive(tmp_path, mastodon_account, loss):
    env = mastodon_account.credentials()
    old = item("archived", ["mastodon"], published="2026-01-10T08:00:00+00:00")
    write_feed(tmp_path / "all.json", [old])
    assert syndicate(tmp_path, env, "--baseline").returncode == 0  # the site predates Chorus
    new = item("announced", ["mastodon"], published="2026-02-10T08:00:00+00:00")
    write_feed(tmp_path / "all.json", [old, new])
    assert syndicate(tmp_path, env, "--live").returncode == 0
    assert per_entry([s["content"] for s in mastodon_account.statuses()]) == {"announced": 1}

    ledger = tmp_path / "l.sqlite"
    for leftover in tmp_path.glob("l.sqlite*"):
        leftover.unlink()
    if loss == "empty file":
        ledger.write_bytes(b"")
    refused = syndicate(tmp_path, env, "--live")
    assert refused.returncode == 2
    message = one_line(refused.stderr)
    assert (
        "missing or empty" in message and "--baseline" in message and "Nothing was sent" in message
    )
    assert refused.stdout == ""
    assert syndicate(tmp_path, env, "--live").returncode == 2  # and again: nothing was written
    assert len(mastodon_account.statuses()) == 1

    # the recovery the README gives: mark the feed as seen, then carry on
    recovered = syndicate(tmp_path, env, "--baseline")
    assert recovered.returncode == 0 and "1 posted cop" in recovered.stdout
    assert syndicate(tmp_path, env, "--live").returncode == 0
    assert len(mastodon_account.statuses()) == 1


def test_a_damaged_ledger_is_one_line_and_is_left_for_inspection(tmp_path, mastodon_account):
    write_feed(tmp_path / "all.json", [item("x", ["mastodon"])])
    ledger = tmp_path / "l.sqlite"
    ledger.write_bytes(b"SQLite format 3\x00" + b"\x13" * 3000)
    result = syndicate(tmp_path, mastodon_account.credentials(), "--live")
    assert result.returncode == 2
    assert "damaged" in one_line(result.stderr) and "mv " in result.stderr
    assert ledger.read_bytes() == b"SQLite format 3\x00" + b"\x13" * 3000
    assert mastodon_account.statuses() == []


def test_feed_items_with_wrong_types_are_one_line(tmp_path):
    bad = item("typed", ["mastodon"])
    bad["tags"] = 5
    write_feed(tmp_path / "all.json", [bad])
    result = syndicate(tmp_path, {})
    assert result.returncode == 2
    assert "all.json:" in one_line(result.stderr) and "tags must be a list" in result.stderr


def test_a_full_disk_is_one_line(tmp_path, mastodon_account):
    full = tmp_path / "full"
    full.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(full)],
                             capture_output=True)  # fmt: skip
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        with contextlib.suppress(OSError), open(full / "filler", "wb") as filler:
            while True:  # until the disk is full
                filler.write(b"\0" * 4096)
                filler.flush()
        write_feed(tmp_path / "all.json", [item("x", ["mastodon"])])
        result = syndicate(tmp_path, mastodon_account.credentials(), "--live", "--first-run",
                           ledger=str(full / "l.sqlite"))  # fmt: skip
        assert result.returncode == 2
        assert "disk is full" in one_line(result.stderr)
        assert mastodon_account.statuses() == []
    finally:
        subprocess.run(["umount", str(full)], check=False)


# --- concurrent publishers -----------------------------------------------------------------
@pytest.mark.parametrize("store", ["sqlite", "postgresql"])
def test_four_runs_at_once_post_every_copy_exactly_once(
    tmp_path, request, mastodon_account, http_platforms, store
):
    linkedin, webhook, env = http_platforms
    env = {**env, **mastodon_account.credentials()}
    slugs = [f"busy-{n:02d}" for n in range(10)]
    write_feed(
        tmp_path / "all.json", [item(s, ["mastodon", "linkedin", "internal"]) for s in slugs]
    )
    ledger = request.getfixturevalue("postgresql_url") if store == "postgresql" else None
    runs = [
        subprocess.Popen(
            command(tmp_path, "--live", "--first-run", ledger=ledger),
            cwd=ROOT,
            env={**env_without_chorus(), **env},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    outputs = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0] * 4, outputs
    expected = Counter(dict.fromkeys(slugs, 1))
    assert per_entry([s["content"] for s in mastodon_account.statuses()]) == expected
    assert linkedin_posts(linkedin) == expected
    assert webhook_posts(webhook) == expected
    written = links(tmp_path)
    assert len(written) == 10 and all(len(v) == 3 for v in written.values())
    posted = sum(int(line.split("Done: ", 1)[1].split()[0]) for out, _ in outputs
                 for line in out.splitlines() if line.startswith("Done: "))  # fmt: skip
    assert posted == 30  # the runs shared the work; none of it twice


# --- stable identity, edits, retractions ---------------------------------------------------
def test_a_date_edited_after_a_crash_still_gives_one_bluesky_record(tmp_path, bluesky_account):
    env = bluesky_account.credentials()
    write_feed(tmp_path / "all.json", [item("redated", ["bluesky"])])
    crashed = syndicate(tmp_path, {**env, "CHORUS_CRASH_AT": "after-send:bluesky:1"},
                        "--live", "--first-run")  # fmt: skip
    assert crashed.returncode == -signal.SIGKILL
    assert len(bluesky_account.records()) == 1  # it went out; the ledger says pending
    write_feed(tmp_path / "all.json",
               [item("redated", ["bluesky"], published="2026-03-02T10:15:00+00:00")])  # fmt: skip
    again = syndicate(tmp_path, env, "--live")
    assert again.returncode == 0, again.stdout + again.stderr
    assert len(bluesky_account.records()) == 1
    assert states(tmp_path) == Counter({("bluesky", "posted"): 1})


def test_an_edited_post_updates_its_mastodon_copy_and_says_linkedin_cannot(
    tmp_path, mastodon_account, http_platforms
):
    linkedin, _, env = http_platforms
    env = {**env, **mastodon_account.credentials()}
    write_feed(tmp_path / "all.json", [item("edited", ["mastodon", "linkedin"], title="Frist")])
    assert syndicate(tmp_path, env, "--live", "--first-run").returncode == 0
    write_feed(tmp_path / "all.json", [item("edited", ["mastodon", "linkedin"], title="First")])
    edited = syndicate(tmp_path, env, "--live")
    assert edited.returncode == 0, edited.stdout + edited.stderr
    assert "mastodon: edited" in edited.stdout
    assert "LinkedIn copies cannot be edited" in edited.stdout
    (status,) = mastodon_account.statuses()
    assert "First" in status["content"] and "Frist" not in status["content"]
    assert status["edited_at"]
    assert len(linkedin.posts) == 1
    quiet = syndicate(tmp_path, env, "--live")  # each edit is acted on once
    assert quiet.stdout == "Done: 0 posted, 0 edited, 0 deleted, 0 failed.\n"


def test_a_retraction_deletes_every_copy_once(
    tmp_path, mastodon_account, bluesky_account, http_platforms
):
    linkedin, _, env = http_platforms
    env = {**env, **mastodon_account.credentials(), **bluesky_account.credentials()}
    platforms = ["mastodon", "bluesky", "linkedin", "internal"]
    kept, wrong = item("kept", platforms), item("wrong-figures", platforms)
    write_feed(tmp_path / "all.json", [kept, wrong])
    assert syndicate(tmp_path, env, "--live", "--first-run").returncode == 0
    assert len(mastodon_account.statuses()) == 2 and len(bluesky_account.records()) == 2

    gone = [{"id": wrong["id"], "url": wrong["url"], "reason": "The figures were wrong."}]
    write_feed(tmp_path / "all.json", [kept], retracted=gone)
    retracted = syndicate(tmp_path, env, "--live")
    assert retracted.returncode == 0, retracted.stdout + retracted.stderr
    assert "Done: 0 posted, 0 edited, 3 deleted" in retracted.stdout
    assert "cannot be deleted through its API" in retracted.stdout  # the intranet message
    assert per_entry([s["content"] for s in mastodon_account.statuses()]) == {"kept": 1}
    assert per_entry([r["value"]["text"] for r in bluesky_account.records()]) == {"kept": 1}
    assert linkedin_posts(linkedin) == {"kept": 1}
    assert Counter(s for (_, s) in states(tmp_path).elements()) == {"posted": 4, "retracted": 4}
    assert wrong["id"] not in links(tmp_path) and kept["id"] in links(tmp_path)
    again = syndicate(tmp_path, env, "--live")
    assert again.stdout == "Done: 0 posted, 0 edited, 0 deleted, 0 failed.\n"


# --- interruptions -------------------------------------------------------------------------
def test_ctrl_c_stops_sending_records_what_was_sent_and_writes_the_links(
    tmp_path, mastodon_account
):
    env = mastodon_account.credentials()
    slugs = [f"slow-{n}" for n in range(6)]
    write_feed(tmp_path / "all.json", [item(s, ["mastodon"]) for s in slugs])
    args = [a if a != "0" else "1.5" for a in command(tmp_path, "--live", "--first-run")]
    run = subprocess.Popen(args, cwd=ROOT, env={**env_without_chorus(), **env},
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
    lines = []
    for line in run.stdout:
        lines.append(line)
        if "posted" in line and "→" in line:
            run.send_signal(signal.SIGINT)
            break
    rest, err = run.communicate(timeout=60)
    assert run.returncode == 130, err
    assert "Interrupted" in rest and "Traceback" not in err
    sent = per_entry([s["content"] for s in mastodon_account.statuses()])
    assert 1 <= sum(sent.values()) < 6 and set(sent.values()) == {1}
    assert len(links(tmp_path)) == sum(sent.values())  # every copy made is linked
    finished = syndicate(tmp_path, env, "--live")
    assert finished.returncode == 0
    assert per_entry([s["content"] for s in mastodon_account.statuses()]) == dict.fromkeys(slugs, 1)


def kill_at_random_moment(run: subprocess.Popen, rng: random.Random, copies_left: int) -> None:
    """SIGKILL after a random number of the run's own progress lines plus a random few
    milliseconds: wherever that lands (inside a request, between the send and the ledger
    write, inside a commit), measured by progress rather than by a clock, so a slow or a
    busy machine moves the moments but not their spread."""
    wanted = rng.randint(0, max(copies_left - 1, 0))
    seen = 0
    while seen < wanted:
        line = run.stdout.readline()
        if not line:
            break  # the run ended before: the kill lands after it
        seen += " → " in line or "was already posted" in line
    time.sleep(rng.uniform(0.0, 0.08))
    run.kill()
    run.wait()


def test_kill_9_at_random_moments_over_30_rounds(tmp_path, mastodon_url, pds_url):
    """Ten sites, each killed three times at a random moment of its run, then run to the end:
    every copy exists exactly once and the ledger and links file agree with the platforms."""
    rng = random.Random(20261202)

    def site(name: str, stack: ExitStack):
        root = tmp_path / name
        root.mkdir()
        linkedin = stack.enter_context(running(make_linkedin()))
        token = mastodon_token(mastodon_url, f"{name}_{rng.randrange(10**6)}")
        handle, password, did = new_bluesky_account(pds_url, prefix="k")
        env = {
            "CHORUS_MASTODON_URL": mastodon_url, "CHORUS_MASTODON_TOKEN": token,
            "CHORUS_BLUESKY_PDS": pds_url, "CHORUS_BLUESKY_HANDLE": handle,
            "CHORUS_BLUESKY_APP_PASSWORD": password,
            "CHORUS_LINKEDIN_TOKEN": TOKEN, "CHORUS_LINKEDIN_AUTHOR": LINKEDIN_AUTHOR,
            "CHORUS_LINKEDIN_API_URL": linkedin.url,
        }  # fmt: skip
        slugs = [f"{name}-{n}" for n in range(4)]
        write_feed(root / "all.json", [item(s, ["mastodon", "bluesky", "linkedin"]) for s in slugs])
        return root, env, slugs, linkedin, token, did

    kills = partial = 0
    for number in range(10):
        with ExitStack() as stack:
            root, env, slugs, linkedin, token, did = site(f"k{number}", stack)
            done = 0
            for _ in range(3):
                run = subprocess.Popen(
                    command(root, "--live", "--first-run"), cwd=ROOT,
                    env={**env_without_chorus(), **env},
                    stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                )  # fmt: skip
                kill_at_random_moment(run, rng, 12 - done)
                kills += 1
                if (root / "l.sqlite").exists():
                    done = sum(n for (_, state), n in states(root).items() if state == "posted")
                    partial += 0 < done < 12
            final = syndicate(root, env, "--live", "--first-run")
            assert final.returncode == 0, final.stdout + final.stderr
            expected = Counter(dict.fromkeys(slugs, 1))
            auth = {"Authorization": f"Bearer {token}"}
            me = httpx.get(f"{mastodon_url}/api/v1/accounts/verify_credentials", headers=auth)
            toots = httpx.get(
                f"{mastodon_url}/api/v1/accounts/{me.json()['id']}/statuses",
                params={"limit": 40}, headers=auth,
            ).json()  # fmt: skip
            records = httpx.get(
                f"{pds_url}/xrpc/com.atproto.repo.listRecords",
                params={"repo": did, "collection": "app.bsky.feed.post", "limit": 100},
            ).json()["records"]
            assert per_entry([t["content"] for t in toots]) == expected, number
            assert per_entry([r["value"]["text"] for r in records]) == expected, number
            assert linkedin_posts(linkedin) == expected, number
            assert states(root) == Counter(
                {("mastodon", "posted"): 4, ("bluesky", "posted"): 4, ("linkedin", "posted"): 4}
            )
            assert sum(len(v) for v in links(root).values()) == 12
    assert kills == 30
    assert partial >= 15, f"only {partial} of 30 kills landed while copies were being made"
