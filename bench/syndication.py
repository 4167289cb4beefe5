"""Cross-posting bench: compose + ledger + HTTP for N entries on 3 platforms, no pacing.

Real servers, as the tests use them: mastodon-mock (its `serve --in-memory`), the real
Bluesky PDS with its PLC from tools/pds (`make pds`; Node 20) and the local LinkedIn server
of tests/syndication_http/conftest.py (it checks every request's shape as the API
documents it).

The entries are the generated corpus' posts, as the feed would carry them. The run is the
real `syndication.runner.Runner` (pending → send → posted in a SQLite ledger, one thread per
platform), with `compose` from syndication.compose, the SYNDICATION_TEMPLATES of
pelicanconf.py and a Pacer of 0 s. Compose alone is timed too, to separate it from HTTP.

    python -m bench.syndication CORPUS [-n 1000]   (prints JSON)
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
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


def run(content: Path, n: int = 1000) -> dict:
    sys.path.insert(0, str(ROOT))
    from chorus.build import load_settings
    from syndication.compose import compose
    from syndication.ledger import Ledger
    from syndication.platforms import create
    from syndication.retry import Pacer
    from syndication.runner import Runner
    from syndication.select import select
    from tests.syndication_http import conftest as http_servers

    templates = load_settings(ROOT / "pelicanconf.py").get("SYNDICATION_TEMPLATES") or None
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
        mastodon = start_mastodon(stack, tmp_path / "mastodon.log")
        bluesky = start_pds(stack, tmp_path)
        linkedin = stack.enter_context(http_servers.running(http_servers.make_linkedin()))
        platforms = {
            "mastodon": create("mastodon", mastodon),
            "bluesky": create("bluesky", bluesky),
            "linkedin": create(
                "linkedin",
                {
                    "CHORUS_LINKEDIN_TOKEN": http_servers.TOKEN,
                    "CHORUS_LINKEDIN_AUTHOR": http_servers.LINKEDIN_AUTHOR,
                },
                base_url=linkedin.url,
            ),
        }
        per_platform = {}
        spent = {name: {"compose": 0.0, "http": 0.0, "last_done": 0.0} for name in PLATFORMS}
        for name, platform in platforms.items():
            platform.post = _timed(platform.post, spent[name], "http")

        def timed_compose(entry, name, limits):
            begun = time.perf_counter()
            try:
                return compose(entry, name, templates=templates, limits=limits)
            finally:
                spent[name]["compose"] += time.perf_counter() - begun

        with Ledger(tmp_path / "ledger.sqlite") as ledger:
            jobs = select(entries, ledger.states(), only=list(PLATFORMS)).jobs
            runner = Runner(
                ledger=ledger,
                platforms=platforms,
                compose=timed_compose,
                pacers={name: Pacer(0) for name in PLATFORMS},
                say=lambda line: _done(line, spent, started),
            )
            started = time.perf_counter()
            report = runner.run(jobs)
            wall = time.perf_counter() - started
            for name in PLATFORMS:
                per_platform[name] = sum(1 for o in report.posted if o.platform == name)
        failures = report.failures
        result.update(
            {
                "jobs": len(jobs),
                "posted": len(report.posted),
                "failed": len(failures),
                "first_failures": [f"{o.platform}: {o.error}" for o in failures[:3]],
                "posted_per_platform": per_platform,
                "violations": {"linkedin": linkedin.violations[:3]},
                "wall_s": round(wall, 3),
                "ms_per_entry": round(wall * 1000 / max(len(entries), 1), 3),
                "ms_per_post": round(wall * 1000 / max(len(jobs), 1), 3),
                "note": "one thread per platform, so ms/entry is the slowest platform's pace",
                "per_platform_ms_per_post": {
                    name: {
                        "total": round(t["last_done"] * 1000 / max(per_platform[name], 1), 3),
                        "compose": round(t["compose"] * 1000 / max(per_platform[name], 1), 3),
                        "http": round(t["http"] * 1000 / max(per_platform[name], 1), 3),
                        "ledger_and_rest": round(
                            (t["last_done"] - t["compose"] - t["http"])
                            * 1000
                            / max(per_platform[name], 1),
                            3,
                        ),
                    }
                    for name, t in spent.items()
                },
            }
        )
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.syndication")
    parser.add_argument("corpus", help="a generated corpus folder (bench/corpus.py)")
    parser.add_argument("-n", type=int, default=1000)
    args = parser.parse_args(argv)
    print(json.dumps(run(Path(args.corpus) / "content", args.n)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
