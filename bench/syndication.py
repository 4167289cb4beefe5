"""Cross-posting bench: compose + ledger + HTTP for N entries on 3 platforms, no pacing,
with the ledger in SQLite and in PostgreSQL, and four runs at once.

Real servers, as the tests use them: mastodon-mock (its `serve --in-memory`), the real
Bluesky PDS with its PLC from tools/pds (`make pds`; Node 20), the local LinkedIn and webhook
servers of tests/syndication_http/conftest.py (they check every request's shape as the API
documents it) and a throw-away PostgreSQL (Debian's, tests/servers.py).

The entries are the generated corpus' posts, as the feed would carry them. Timed:
- compose alone, every (entry, platform);
- the ledger alone: claim + posted per copy, no HTTP, SQLite vs PostgreSQL;
- the real `syndication.runner.Runner` (claim → look → send → posted, one thread per
  platform) on each ledger, with `compose` from syndication.compose, the
  SYNDICATION_TEMPLATES of pelicanconf.py and a Pacer of 0 s;
- four `python -m syndication.cli --live` processes at once on one PostgreSQL ledger (and
  on one SQLite ledger, where they take turns), against one run alone: wall time, and the
  copies each platform holds per entry (must be exactly one).

    python -m bench.syndication CORPUS [-n 1000]   (prints JSON)
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLATFORMS = ("mastodon", "bluesky", "linkedin")
SITE = "https://chorus.alderfinch.example"


def entries_from_corpus(content: Path, n: int) -> list:
    """SourceEntry objects for the first n published posts (oldest first)."""
    from plugins.posts.frontmatter import parse_date, read_post
    from syndication.model import SourceEntry

    posts = []
    for path in sorted((content / "posts").rglob("*.md")):
        post = read_post(str(path))
        if post.meta.get("status", "published") != "published":
            continue
        posts.append((path, post))
    posts.sort(key=lambda p: str(p[1].meta["date"]))
    out = []
    zone = dt.timezone(dt.timedelta(hours=1))
    for path, post in posts[:n]:
        meta, slug = post.meta, path.stem
        date = parse_date(meta["date"])
        if date.tzinfo is None:
            date = date.replace(tzinfo=zone)
        paragraphs = [p for p in post.body.split("\n\n") if p and not p.startswith(("#", "-"))]
        out.append(
            SourceEntry(
                id=f"tag:alderfinch.example,2026:posts/{slug}",
                url=f"{SITE}/posts/{slug}/",
                title=str(meta["title"]),
                summary=str(meta["summary"]),
                content_html="".join(f"<p>{p}</p>" for p in paragraphs[:3]),
                published=date,
                updated=date,
                tags=tuple(str(t) for t in meta.get("tags", [])),
                department=path.parent.name,
                author_name=str(meta["author"]).replace(".", " ").title(),
                author_url=f"{SITE}/people/{meta['author']}/",
                syndicate=PLATFORMS,
            )
        )
    return out


def start_pds(stack: ExitStack, data: Path) -> dict[str, str]:
    """The PDS and PLC of tools/pds on free ports, and a fresh account's credentials."""
    from tests import servers

    if not servers.pds_installed():
        raise RuntimeError("the Bluesky PDS is not installed: run `make pds`")
    pds = stack.enter_context(servers.bluesky_pds(data))
    handle, password, _did = servers.bluesky_account(pds, prefix="b")
    return {
        "CHORUS_BLUESKY_PDS": pds,
        "CHORUS_BLUESKY_HANDLE": handle,
        "CHORUS_BLUESKY_APP_PASSWORD": password,
    }


def start_mastodon(stack: ExitStack, log: Path) -> dict[str, str]:
    from tests import servers

    url = stack.enter_context(servers.mastodon_mock(log))
    token = servers.mastodon_token(url, "chorus_bench")
    return {"CHORUS_MASTODON_URL": url, "CHORUS_MASTODON_TOKEN": token}


def _timed(fn, into: dict, key: str):
    def wrapper(*args, **kwargs):
        begun = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            into[key] += time.perf_counter() - begun

    return wrapper


def _done(line: str, spent: dict, started: float) -> None:
    """The runner says '<platform>: posted …' after each post: note when it finished."""
    name = line.split(":", 1)[0]
    if name in spent:
        spent[name]["last_done"] = time.perf_counter() - started


def ledger_alone(location: str, pairs: list[tuple[str, str]]) -> float:
    """ms per copy for claim + posted, nothing else (the ledger's own cost per post)."""
    from syndication.ledger import Ledger
    from syndication.model import Posted

    with Ledger(location) as ledger:
        ledger.begin_run(wait=0)
        started = time.perf_counter()
        for entry_id, platform in pairs:
            ledger.claim(entry_id, platform)
            ledger.mark_posted(entry_id, platform, Posted("1", "https://x.test/1"), fingerprint="f")
        return (time.perf_counter() - started) * 1000 / len(pairs)


def full_run(location: str, entries, platforms, templates, compose) -> dict:
    """The real Runner over every (entry, platform): wall time and per-platform split."""
    from syndication.ledger import Ledger, utcnow
    from syndication.retry import Pacer
    from syndication.runner import Runner
    from syndication.select import select

    spent = {name: {"compose": 0.0, "http": 0.0, "last_done": 0.0} for name in platforms}
    timed = {}
    for name, platform in platforms.items():
        timed[name] = platform.post
        platform.post = _timed(platform.post, spent[name], "http")

    def timed_compose(entry, name, limits):
        begun = time.perf_counter()
        try:
            return compose(entry, name, templates=templates, limits=limits)
        finally:
            spent[name]["compose"] += time.perf_counter() - begun

    started = time.perf_counter()
    with Ledger(location) as ledger:
        ledger.begin_run(wait=0)
        jobs = select(entries, ledger.snapshot(), now=utcnow(), only=list(platforms)).jobs
        runner = Runner(
            ledger=ledger,
            platforms=platforms,
            compose=timed_compose,
            pacers={name: Pacer(0) for name in platforms},
            say=lambda line: _done(line, spent, started),
        )
        started = time.perf_counter()
        report = runner.run(jobs)
        wall = time.perf_counter() - started
    for name, post in timed.items():
        platforms[name].post = post
    per_platform = {name: sum(1 for o in report.posted if o.platform == name) for name in platforms}
    failures = report.failures
    return {
        "jobs": len(jobs),
        "posted": len(report.posted),
        "failed": len(failures),
        "first_failures": [f"{o.platform}: {o.error}" for o in failures[:3]],
        "posted_per_platform": per_platform,
        "wall_s": round(wall, 3),
        "ms_per_entry": round(wall * 1000 / max(len(entries), 1), 3),
        "ms_per_post": round(wall * 1000 / max(len(jobs), 1), 3),
        "per_platform_ms_per_post": {
            name: {
                "total": round(t["last_done"] * 1000 / max(per_platform[name], 1), 3),
                "compose": round(t["compose"] * 1000 / max(per_platform[name], 1), 3),
                "http": round(t["http"] * 1000 / max(per_platform[name], 1), 3),
                "ledger_and_look_ups": round(
                    (t["last_done"] - t["compose"] - t["http"]) * 1000 / max(per_platform[name], 1),
                    3,
                ),
            }
            for name, t in spent.items()
        },
    }


def concurrent_runs(tmp: Path, entries, env: dict, ledger: str, runs: int) -> dict:
    """`runs` CLI processes at once on one feed and one ledger; each copy must exist once."""
    import subprocess

    from tests.servers import mastodon_token

    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "bench",
        "items": [
            {
                "id": e.id, "url": e.url, "title": e.title, "summary": e.summary,
                "content_html": e.content_html, "date_published": e.published.isoformat(),
                "tags": ["dept", *e.tags],
                "_chorus": {"department": e.department, "syndicate": ["mastodon", "linkedin",
                            "internal"], "syndication_text": {}, "status": "published"},
            }
            for e in entries
        ],
    }  # fmt: skip
    (tmp / "feed.json").write_text(json.dumps(feed), encoding="utf-8")
    token = mastodon_token(env["CHORUS_MASTODON_URL"], f"conc{time.time_ns() % 10**9}")
    inherited = {k: v for k, v in os.environ.items() if not k.startswith("CHORUS_")}
    environ = {**inherited, **env, "CHORUS_MASTODON_TOKEN": token}
    command = [
        sys.executable, "-m", "syndication.cli", "--live", "--first-run", "--pace", "0",
        "--feed", str(tmp / "feed.json"), "--ledger", ledger,
        "--links", str(tmp / "links.json"), "--output", str(tmp / "none"),
    ]  # fmt: skip
    started = time.perf_counter()
    procs = [
        subprocess.Popen(
            command,
            cwd=ROOT,
            env=environ,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(runs)
    ]
    outputs = [p.communicate(timeout=1800) for p in procs]
    wall = time.perf_counter() - started
    return {
        "runs": runs,
        "entries": len(entries),
        "exit_codes": [p.returncode for p in procs],
        "wall_s": round(wall, 3),
        "errors": [err.strip()[-300:] for _, err in outputs if err.strip()][:2],
        "mastodon_token": token,
    }


def copies(env: dict, token: str, linkedin, webhook, entries) -> dict:
    """How many copies of each entry each platform holds: {platform: {copies: entries}}."""
    import collections

    import httpx

    url = env["CHORUS_MASTODON_URL"]
    auth = {"Authorization": f"Bearer {token}"}
    me = httpx.get(f"{url}/api/v1/accounts/verify_credentials", headers=auth).json()
    texts, max_id = [], None
    while True:
        params = {"limit": 40, **({"max_id": max_id} if max_id else {})}
        page = httpx.get(f"{url}/api/v1/accounts/{me['id']}/statuses", headers=auth,
                         params=params).json()  # fmt: skip
        if not page:
            break
        texts += [s["content"] for s in page]
        max_id = page[-1]["id"]
    found = {
        "mastodon": texts,
        "linkedin": [p["content"]["article"]["source"] for p in linkedin.posts],
        "internal": [json.dumps(m) for m in webhook.messages],
    }
    out = {}
    for name, items in found.items():
        per_entry = collections.Counter()
        for e in entries:
            per_entry[sum(e.url in text for text in items)] += 1
        out[name] = dict(sorted(per_entry.items()))
    return out


def run(content: Path, n: int = 1000, concurrent_n: int = 200) -> dict:
    from core.settings import chorus_settings, load_settings
    from syndication.compose import compose
    from syndication.platforms import create
    from tests import servers
    from tests.syndication_http import conftest as http_servers

    templates = (
        chorus_settings(load_settings(ROOT / "pelicanconf.py")).SYNDICATION_TEMPLATES or None
    )
    entries = entries_from_corpus(content, n)
    result: dict = {"entries": len(entries), "platforms": list(PLATFORMS)}

    # compose alone, every (entry, platform), default limits
    started = time.perf_counter()
    for entry in entries:
        for name in PLATFORMS:
            compose(entry, name, templates=templates)
    result["compose_only_ms_per_post"] = round(
        (time.perf_counter() - started) * 1000 / (len(entries) * len(PLATFORMS)), 3
    )

    with ExitStack() as stack, tempfile.TemporaryDirectory(prefix="chorus-synd-") as tmp:
        tmp_path = Path(tmp)
        postgres = stack.enter_context(servers.postgresql())

        def database(name: str) -> str:
            import psycopg

            with psycopg.connect(postgres, autocommit=True) as db:
                db.execute(f"CREATE DATABASE {name}")
            return postgres.rsplit("/", 1)[0] + f"/{name}"

        pairs = [(e.id, p) for e in entries for p in PLATFORMS]
        result["ledger_only_ms_per_post"] = {
            "sqlite": round(ledger_alone(str(tmp_path / "alone.sqlite"), pairs), 3),
            "postgresql": round(ledger_alone(database("alone"), pairs), 3),
        }

        mastodon = start_mastodon(stack, tmp_path / "mastodon.log")
        bluesky = start_pds(stack, tmp_path)
        linkedin = stack.enter_context(http_servers.running(http_servers.make_linkedin()))
        li_env = {
            "CHORUS_LINKEDIN_TOKEN": http_servers.TOKEN,
            "CHORUS_LINKEDIN_AUTHOR": http_servers.LINKEDIN_AUTHOR,
        }
        platforms = {
            "mastodon": create("mastodon", mastodon),
            "bluesky": create("bluesky", bluesky),
            "linkedin": create("linkedin", li_env, base_url=linkedin.url),
        }
        result["sqlite"] = full_run(
            str(tmp_path / "ledger.sqlite"), entries, platforms, templates, compose
        )
        result.update(result["sqlite"])  # the headline figures, as before
        result["violations"] = {"linkedin": linkedin.violations[:3]}

        # the same work again on PostgreSQL, on fresh accounts (nothing is posted yet there)
        from tests.servers import bluesky_account, mastodon_token

        token = mastodon_token(mastodon["CHORUS_MASTODON_URL"], "chorus_bench_pg")
        handle, password, _ = bluesky_account(bluesky["CHORUS_BLUESKY_PDS"], prefix="p")
        linkedin_pg = stack.enter_context(http_servers.running(http_servers.make_linkedin()))
        platforms = {
            "mastodon": create("mastodon", {**mastodon, "CHORUS_MASTODON_TOKEN": token}),
            "bluesky": create("bluesky", {**bluesky, "CHORUS_BLUESKY_HANDLE": handle,
                                          "CHORUS_BLUESKY_APP_PASSWORD": password}),
            "linkedin": create("linkedin", li_env, base_url=linkedin_pg.url),
        }  # fmt: skip
        result["postgresql"] = full_run(database("fullrun"), entries, platforms, templates, compose)

        # four CLI runs at once, and one alone, on mastodon + linkedin + the webhook
        subset = entries[:concurrent_n]
        result["concurrent"] = {}
        for label, runs, store in (
            ("one run, postgresql", 1, "pg"),
            ("four runs, postgresql", 4, "pg"),
            ("four runs, sqlite", 4, "sqlite"),
        ):
            case = tmp_path / label.replace(" ", "_").replace(",", "")
            case.mkdir()
            li = stack.enter_context(http_servers.running(http_servers.make_linkedin()))
            hook = stack.enter_context(http_servers.running(http_servers.make_webhook()))
            env = {
                **mastodon, **li_env, "CHORUS_LINKEDIN_API_URL": li.url,
                "CHORUS_WEBHOOK_URL": hook.url + http_servers.WEBHOOK_PATH,
                "CHORUS_WEBHOOK_CHANNEL_URL": "https://chat.example/c/news",
            }  # fmt: skip
            where = database(f"c{runs}{store}") if store == "pg" else str(case / "l.sqlite")
            outcome = concurrent_runs(case, subset, env, where, runs)
            outcome["copies_per_entry"] = copies(
                env, outcome.pop("mastodon_token"), li, hook, subset
            )
            outcome["ms_per_post"] = round(outcome["wall_s"] * 1000 / (len(subset) * 3), 3)
            result["concurrent"][label] = outcome
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.syndication")
    parser.add_argument("corpus", help="a generated corpus folder (bench/corpus.py)")
    parser.add_argument("-n", type=int, default=1000)
    args = parser.parse_args(argv)
    print(json.dumps(run(Path(args.corpus) / "content", args.n), indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
