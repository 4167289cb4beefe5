"""`invoke bench`: Chorus against vanilla Pelican 4.12 on the same generated posts.

For each size (default 1,000 and 5,000 posts) a corpus is generated once (bench/corpus.py,
cached under .chorus/bench/, which git ignores) and built as separate processes,
interleaved — vanilla, Chorus, vanilla, Chorus… — so a busy machine slows both alike:

    vanilla: python -m pelican CONTENT -s vanilla_settings.py -o OUT   (yaml_metadata, notmyidea)
    Chorus:  python -m pelican CONTENT -s chorus_settings.py -o OUT    (pelicanconf.py + PATH)

Wall time is the median of --repeat runs; peak memory is given twice: the child's
ru_maxrss (os.wait4: the largest single process) and the whole process tree's, added up
(psutil, sampled every 50 ms: the pipeline's and the writer's forked workers included).
Cold means cold: the builds run with CHORUS_CACHE=off, so no cache of any kind
(prepared posts, findings, page hashes, compiled templates) is read or written.
Then, on the largest corpus (design.md "Performance targets"):

- rebuild after editing one post, in one warm process as `invoke livereload` does it, with
  the cache the first build filled (target ≤ 0.1× vanilla's cold build): the posts come
  from the pipeline's cache and only the pages whose inputs changed are rendered;
- lint of every post, `python -m plugins.guidelines lint`, cold and with a warm cache
  (targets ≤ 2 s and ≤ 0.3 s);
- preview of one post, `python -m chorus.preview` (target ≤ 0.3 s);
- proselint against the Chorus lint on the same 200 posts;
- with --profile: both builds under cProfile, time grouped by package (bench/profile.py);
- with --syndication: compose + ledger + HTTP for 1,000 entries on 3 platforms
  (bench/syndication.py; about a minute).

Results go to bench/results/latest.json (committed) and a table on stdout.

    python -m bench.run [--sizes 1000,5000] [--repeat 3] [--profile] [--syndication]
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / ".chorus" / "bench"  # ignored by git (.gitignore: .chorus/)
RESULTS = ROOT / "bench" / "results" / "latest.json"
PYTHON = sys.executable
COLD = {**os.environ, "CHORUS_CACHE": "off"}  # plugins/guidelines/cache.py: no reuse
TARGETS = {  # design.md "Performance targets"
    "cold_ratio": 0.7,
    "rss_ratio": 1.2,
    "rebuild_vs_vanilla": 0.1,
    "preview_s": 0.3,
    "lint_5000_s": 2.0,
    "lint_warm_s": 0.3,
}


NOTES = [
    "vanilla: Pelican 4.12 defaults + pelican-yaml-metadata (PLUGINS=['yaml_metadata']), "
    "notmyidea, Atom+RSS for all/category/author/tag (full text, 20 items), "
    "DEFAULT_PAGINATION=10 and SLUGIFY_SOURCE='basename' as Chorus; Chorus also writes "
    "JSON Feed, people pages, metrics, listening and guidelines pages",
    "cold builds, profile and proselint comparison run with CHORUS_CACHE=off",
    "rss_mib: ru_maxrss of the build process (os.wait4): the largest single process; "
    "tree_rss_mib: the build and every worker it forked (the guidelines gate's lint "
    "workers on a large site), added up, sampled every 50 ms",
    "builds run as `python -m pelican` (no chorus.build temp-folder swap)",
]


SAMPLE_S = 0.05  # how often the process tree's memory is added up


def tree_rss(pid: int) -> tuple[int, int]:
    """(resident, proportional) bytes of a process and all its descendants now (0, 0 once
    it is gone). RSS counts a page shared by a forked worker and its parent in both; PSS
    (Linux smaps) splits it between them, so the PSS sum is the memory really used."""
    import psutil

    try:
        root = psutil.Process(pid)
        family = [root, *root.children(recursive=True)]
    except psutil.Error:
        return 0, 0
    rss = pss = 0
    for member in family:
        with contextlib.suppress(psutil.Error):
            info = member.memory_full_info()
            rss += info.rss
            pss += getattr(info, "pss", info.rss)
    return rss, pss


def measure(argv: list[str], log: Path, cwd: Path = ROOT, env: dict | None = None) -> dict:
    """Run a child process; its wall time, peak RSS (MiB: the largest single process, from
    the kernel) and peak tree RSS (MiB: the process and every worker it forked, added up,
    sampled every SAMPLE_S, so a short peak can be missed) and exit code."""
    with log.open("wb") as out:
        started = time.perf_counter()
        process = subprocess.Popen(argv, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, env=env)
        peak = peak_pss = 0
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            rss, pss = tree_rss(process.pid)
            peak, peak_pss = max(peak, rss), max(peak_pss, pss)
            time.sleep(SAMPLE_S)
        wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    single = usage.ru_maxrss / 1024
    return {"wall_s": wall, "rss_mib": single, "tree_rss_mib": max(peak / 2**20, single),
            "tree_pss_mib": peak_pss / 2**20, "rc": process.returncode}  # fmt: skip


def _tail(log: Path, lines: int = 12) -> str:
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])


def _count_files(folder: Path) -> int:
    return sum(1 for p in folder.rglob("*") if p.is_file())


def build_argv(tool: str, corpus: Path, out: Path, profile: Path | None = None) -> list[str]:
    settings = corpus / f"{tool}_settings.py"
    prefix = [PYTHON, "-m", "cProfile", "-o", str(profile)] if profile else [PYTHON]
    return [*prefix, "-m", "pelican", str(corpus / "content"), "-s", str(settings),
            "-o", str(out), "--fatal", "errors"]  # fmt: skip


def bench_builds(corpus: Path, n: int, repeat: int, say) -> dict:
    runs: dict[str, list[dict]] = {"vanilla": [], "chorus": []}
    for k in range(repeat):
        for tool in ("vanilla", "chorus"):
            out = WORK / f"out-{tool}-{n}"
            shutil.rmtree(out, ignore_errors=True)
            log = WORK / f"build-{tool}-{n}.log"
            result = measure(build_argv(tool, corpus, out), log, env=COLD)
            if result["rc"] != 0:
                raise SystemExit(f"{tool} build of {n} posts failed:\n{_tail(log)}")
            result["files"] = _count_files(out)
            result["load_before"] = os.getloadavg()[0]
            runs[tool].append(result)
            say(
                f"  {n:>6} posts  {tool:<8} run {k + 1}/{repeat}: {result['wall_s']:7.2f} s"
                f"  {result['rss_mib']:7.1f} MiB ({result['tree_rss_mib']:.1f} all processes,"
                f" PSS {result['tree_pss_mib']:.1f})"
                f"  {result['files']} files"
            )
            if k < repeat - 1 or tool == "vanilla":
                shutil.rmtree(out, ignore_errors=True)
    summary = {}
    for tool, results in runs.items():
        walls = [r["wall_s"] for r in results]
        summary[tool] = {
            "wall_s_median": round(statistics.median(walls), 3),
            "wall_s_runs": [round(w, 3) for w in walls],
            "ms_per_post": round(statistics.median(walls) * 1000 / n, 2),
            "rss_mib_max": round(max(r["rss_mib"] for r in results), 1),
            "rss_mib_median": round(statistics.median(r["rss_mib"] for r in results), 1),
            "tree_rss_mib_median": round(statistics.median(r["tree_rss_mib"] for r in results), 1),
            "tree_pss_mib_median": round(statistics.median(r["tree_pss_mib"] for r in results), 1),
            "files_written": results[-1]["files"],
        }
    summary["ratio_wall"] = round(
        summary["chorus"]["wall_s_median"] / summary["vanilla"]["wall_s_median"], 2
    )
    summary["ratio_rss"] = round(
        summary["chorus"]["rss_mib_median"] / summary["vanilla"]["rss_mib_median"], 2
    )
    summary["ratio_tree_rss"] = round(
        summary["chorus"]["tree_rss_mib_median"] / summary["vanilla"]["tree_rss_mib_median"], 2
    )
    summary["ratio_tree_pss"] = round(
        summary["chorus"]["tree_pss_mib_median"]
        / max(summary["vanilla"]["tree_pss_mib_median"], 1),
        2,
    )
    return summary


def lint_corpus(corpus: Path) -> dict:
    """The corpus must be guideline-clean, or the gate and the timings mean something else."""
    report = WORK / "lint-check.json"
    content = corpus / "content"
    argv = [PYTHON, "-m", "plugins.guidelines", "lint", str(content / "posts"),
            "--content", str(content), "--format", "json", "--output", str(report)]  # fmt: skip
    measure(argv, WORK / "lint-check.log", env=COLD)
    data = json.loads(report.read_text(encoding="utf-8"))
    return {"files": data["files"], **data["summary"]}


def bench_rebuild(corpus: Path, n: int) -> dict:
    from plugins.writer import spare_of  # Pelican: only this step needs it

    post = sorted((corpus / "content" / "posts" / "warehouse").glob("*.md"))[0]
    out = WORK / f"out-rebuild-{n}"
    shutil.rmtree(out, ignore_errors=True)
    log = WORK / f"rebuild-{n}.log"
    argv = [PYTHON, "-m", "bench.rebuild", str(corpus / "chorus_settings.py"), str(post), str(out)]
    cache = WORK / "cache-rebuild"  # empty at the start: the first build is cold
    shutil.rmtree(cache, ignore_errors=True)
    spare = spare_of(out)  # the rebuild's last output: a later bench must start without it
    shutil.rmtree(spare, ignore_errors=True)
    result = measure(argv, log, env={**os.environ, "CHORUS_CACHE": str(cache)})
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(spare, ignore_errors=True)
    lines = [line for line in log.read_text().splitlines() if line.startswith("{")]
    if result["rc"] != 0 or not lines:
        raise SystemExit(f"rebuild bench failed:\n{_tail(log)}")
    return {**json.loads(lines[-1]), "edited": str(post.relative_to(corpus))}


def bench_lint(corpus: Path, n: int, repeat: int) -> dict:
    """Cold (CHORUS_CACHE=off: every post linted) and warm (the lint cache of
    plugins/guidelines/cache.py primed by one run, nothing changed since)."""
    content = corpus / "content"
    argv = [PYTHON, "-m", "plugins.guidelines", "lint", str(content / "posts"),
            "--content", str(content), "--format", "json",
            "--output", str(WORK / "lint.json")]  # fmt: skip
    cache = WORK / "cache-warm"
    shutil.rmtree(cache, ignore_errors=True)
    warm_env = {**os.environ, "CHORUS_CACHE": str(cache)}
    out: dict = {"posts": n, "command": "python -m plugins.guidelines lint POSTS --format json"}
    for label, env in (("cold", COLD), ("warm", warm_env)):
        if label == "warm":
            measure(argv, WORK / "lint.log", env=env)  # primes the cache; not counted
        walls, rss = [], []
        for _ in range(repeat):
            result = measure(argv, WORK / "lint.log", env=env)
            if result["rc"] not in (0, 1):
                raise SystemExit(f"lint failed:\n{_tail(WORK / 'lint.log')}")
            walls.append(result["wall_s"])
            rss.append(result["rss_mib"])
        out[label] = {
            "wall_s_median": round(statistics.median(walls), 3),
            "wall_s_runs": [round(w, 3) for w in walls],
            "rss_mib": round(max(rss), 1),
        }
    out["wall_s_median"] = out["cold"]["wall_s_median"]
    return out


def bench_preview(corpus: Path, repeat: int) -> dict:
    content = corpus / "content"
    post = sorted((content / "posts" / "product").glob("*.md"))[len(corpus.name) % 3]
    walls = []
    for _ in range(repeat):
        out = WORK / "preview" / "post.html"
        argv = [PYTHON, "-m", "chorus.preview", str(post),
                "--content", str(content), "--out", str(out)]  # fmt: skip
        result = measure(argv, WORK / "preview.log")
        if result["rc"] not in (0, 1) or not out.is_file():
            raise SystemExit(f"preview failed:\n{_tail(WORK / 'preview.log')}")
        walls.append(result["wall_s"])
    return {
        "wall_s_median": round(statistics.median(walls), 3),
        "wall_s_runs": [round(w, 3) for w in walls],
        "post": str(post.relative_to(corpus)),
    }


def bench_proselint(corpus: Path, repeat: int, count: int = 200) -> dict:
    content = corpus / "content"
    posts = sorted((content / "posts").rglob("*.md"))[:count]
    listing = WORK / "posts-200"
    shutil.rmtree(listing, ignore_errors=True)
    listing.mkdir(parents=True)
    for post in posts:  # one folder holding exactly these posts, for both tools
        (listing / post.name).symlink_to(post)
    proselint = str(Path(PYTHON).with_name("proselint"))
    tools = {
        "proselint": [proselint, "check", "-o", "json", str(listing)],
        "chorus_lint": [
            *(PYTHON, "-m", "plugins.guidelines", "lint", *map(str, posts)),
            *(
                "--content",
                str(content),
                "--format",
                "json",
                "--output",
                str(WORK / "lint-200.json"),
            ),
        ],
    }
    out: dict = {"posts": len(posts)}
    for name, argv in tools.items():
        walls = []
        for _ in range(repeat):
            result = measure(argv, WORK / f"{name}-200.log", env=COLD)
            walls.append(result["wall_s"])
        out[name] = {
            "wall_s_median": round(statistics.median(walls), 3),
            "wall_s_runs": [round(w, 3) for w in walls],
            "rc": result["rc"],
        }
    log = (WORK / "proselint-200.log").read_text(errors="replace")
    try:
        found = json.loads(log)
        out["proselint"]["findings"] = sum(
            len(v) if isinstance(v, list) else 0 for v in _walk_lists(found)
        )
    except ValueError:
        out["proselint"]["output_tail"] = log[-300:]
    out["ratio_proselint_vs_chorus"] = round(
        out["proselint"]["wall_s_median"] / out["chorus_lint"]["wall_s_median"], 2
    )
    return out


def _walk_lists(data):
    if isinstance(data, list):
        yield data
    elif isinstance(data, dict):
        for key in ("diagnostics", "errors", "results"):
            if key in data:
                yield from _walk_lists(data[key])
                return
        for value in data.values():
            yield from _walk_lists(value)


def bench_profile(corpus: Path, n: int, say) -> dict:
    from bench.profile import grouped, inclusive, table

    out: dict = {"posts": n}
    for tool in ("vanilla", "chorus"):
        dump = WORK / f"profile-{tool}-{n}.pstats"
        target = WORK / f"out-profile-{tool}"
        shutil.rmtree(target, ignore_errors=True)
        log = WORK / f"profile-{tool}-{n}.log"
        result = measure(build_argv(tool, corpus, target, profile=dump), log, env=COLD)
        shutil.rmtree(target, ignore_errors=True)
        if result["rc"] != 0:
            raise SystemExit(f"profiled {tool} build failed:\n{_tail(log)}")
        total, _ = grouped(dump)
        out[tool] = {
            "profiled_wall_s": round(result["wall_s"], 2),
            "profiled_total_s": round(total, 2),
            "groups": [
                {"group": g, "seconds": round(s, 2), "share": round(p, 3)}
                for g, s, p in table(dump)
            ],
            "inclusive": {k: round(v, 2) for k, v in sorted(inclusive(dump).items())},
            "pstats": str(dump.relative_to(ROOT)),
        }
        say(f"  profiled {tool}: {result['wall_s']:.1f} s wall under cProfile")
    return out


def environment() -> dict:
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:
        cpus = os.cpu_count()
    try:
        import pelican

        pelican_version = pelican.__version__
    except Exception:  # pragma: no cover
        pelican_version = "?"
    return {
        "when": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "python": platform.python_version(),
        "pelican": pelican_version,
        "machine": f"{platform.system()} {platform.machine()}, {cpus} CPU(s)",
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }


def fmt_table(results: dict) -> str:
    rows = ["", "Cold builds (median wall, peak RSS; separate processes, interleaved)"]
    head = (
        f"{'posts':>6} | {'vanilla s':>9} {'ms/post':>7} {'MiB':>6} | "
        f"{'chorus s':>9} {'ms/post':>7} {'MiB':>6} | {'wall ×':>6} {'RSS ×':>6} {'all ×':>6}"
        f" {'PSS ×':>6}"
    )
    rows += [head, "-" * len(head)]
    for n, s in results["builds"].items():
        v, c = s["vanilla"], s["chorus"]
        rows.append(
            f"{n:>6} | {v['wall_s_median']:9.2f} {v['ms_per_post']:7.2f} {v['rss_mib_median']:6.0f}"
            f" | {c['wall_s_median']:9.2f} {c['ms_per_post']:7.2f} {c['rss_mib_median']:6.0f}"
            f" | {s['ratio_wall']:6.2f} {s['ratio_rss']:6.2f} {s.get('ratio_tree_rss', 0):6.2f}"
            f" {s.get('ratio_tree_pss', 0):6.2f}"
        )
    rows.append(
        f"targets: cold ≤ {TARGETS['cold_ratio']}× vanilla, peak RSS ≤ {TARGETS['rss_ratio']}×"
        " (all ×: the RSS of every process of the build added up; PSS ×: the same with"
        " shared pages counted once)"
    )
    if "rebuild" in results:
        r = results["rebuild"]
        rows += [
            "",
            f"Rebuild after editing one post ({r['posts']} posts, warm process as livereload):"
            f" {r['rebuild_s']:.2f} s = {r.get('vs_vanilla_cold', 0):.2f}× vanilla cold"
            f" ({r['vs_cold_subprocess']:.2f}× Chorus cold; {r.get('pages_rendered')} pages"
            f" rendered, {r.get('pages_kept')} kept; the first rebuild after start"
            f" {r.get('first_rebuild_s', 0):.2f} s)"
            f"  [target ≤ {TARGETS['rebuild_vs_vanilla']}× vanilla cold]",
        ]
    if "lint" in results:
        r = results["lint"]
        rows.append(
            f"Lint of {r['posts']} posts: cold {r['cold']['wall_s_median']:.2f} s,"
            f" warm cache {r['warm']['wall_s_median']:.2f} s"
            f"  [targets for 5,000: cold ≤ {TARGETS['lint_5000_s']} s,"
            f" warm ≤ {TARGETS['lint_warm_s']} s]"
        )
    if "preview" in results:
        r = results["preview"]
        rows.append(
            f"Preview of one post in the {r['site_posts']}-post site: {r['wall_s_median']:.2f} s"
            f"  [target ≤ {TARGETS['preview_s']} s]"
        )
    if "proselint" in results:
        r = results["proselint"]
        rows.append(
            f"{r['posts']} posts: proselint {r['proselint']['wall_s_median']:.2f} s,"
            f" Chorus lint {r['chorus_lint']['wall_s_median']:.2f} s"
            f" (proselint/Chorus {r['ratio_proselint_vs_chorus']:.1f}×)"
        )
    if "syndication" in results:
        r = results["syndication"]
        ledger = r.get("ledger_only_ms_per_post", {})
        rows.append(
            f"Syndication: {r.get('entries')} entries × {len(r.get('platforms', []))} platforms;"
            f" compose alone {r.get('compose_only_ms_per_post')} ms/post; ledger alone"
            f" SQLite {ledger.get('sqlite')} / PostgreSQL {ledger.get('postgresql')} ms/post"
        )
        for store in ("sqlite", "postgresql"):
            run = r.get(store)
            if run:
                rows.append(
                    f"  full run on {store}: {run['posted']} posted, {run['failed']} failed in"
                    f" {run['wall_s']} s = {run['ms_per_post']} ms/post"
                )
        for label, c in r.get("concurrent", {}).items():
            rows.append(
                f"  {label}: {c.get('wall_s')} s ({c.get('ms_per_post')} ms/post), exit codes"
                f" {c.get('exit_codes')}, copies per entry {c.get('copies_per_entry')}"
            )
    if "profile" in results:
        p = results["profile"]
        for tool in ("vanilla", "chorus"):
            rows += ["", f"Profile, {tool}, {p['posts']} posts (self time by package):"]
            for g in p[tool]["groups"]:
                rows.append(f"  {g['group']:<32} {g['seconds']:8.2f} s {g['share']:6.1%}")
            for label, seconds in sorted(p[tool]["inclusive"].items(), key=lambda kv: -kv[1]):
                rows.append(f"  [incl] {label:<48} {seconds:8.2f} s")
    rows.append("")
    rows.append(f"load average at start {results['env']['load_average_at_start']},"
                f" at end {results['env'].get('load_average_at_end')}")  # fmt: skip
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__)
    parser.add_argument("--sizes", default="1000,5000", help="corpus sizes (1000,5000)")
    parser.add_argument("--repeat", type=int, default=3, help="builds per tool and size (3)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--profile", action="store_true", help="cProfile both builds")
    parser.add_argument("--syndication", action="store_true", help="cross-posting bench (~1 min)")
    parser.add_argument("--builds-only", action="store_true", help="skip lint/preview/rebuild…")
    parser.add_argument("--output", default=str(RESULTS), help="results JSON")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.replace(" ", "").split(",") if s]
    os.chdir(ROOT)
    from bench.corpus import cached_corpus

    def say(line: str) -> None:
        print(line, flush=True)

    WORK.mkdir(parents=True, exist_ok=True)
    results: dict = {"env": environment(), "repeat": args.repeat, "seed": args.seed}
    results["notes"] = NOTES
    results["builds"], results["corpus"] = {}, {}
    corpora = {}
    for n in sizes:
        started = time.perf_counter()
        corpora[n] = cached_corpus(WORK / f"corpus-{n}", n, args.seed)
        check = lint_corpus(corpora[n])
        results["corpus"][n] = {**check, "ready_s": round(time.perf_counter() - started, 1)}
        say(f"corpus {n}: {corpora[n].relative_to(ROOT)}; lint: {check}")
        if check.get("error"):
            say("  warning: the corpus has guideline errors; the gate drops those posts")
    for n in sizes:
        results["builds"][n] = bench_builds(corpora[n], n, args.repeat, say)
    big = max(sizes)
    corpus = corpora[big]
    cold = results["builds"][big]["chorus"]["wall_s_median"]
    vanilla = results["builds"][big]["vanilla"]["wall_s_median"]
    if not args.builds_only:
        say("rebuild…")
        rebuild = bench_rebuild(corpus, big)
        rebuild.update(
            posts=big,
            vs_cold_subprocess=round(rebuild["rebuild_s"] / cold, 2),
            vs_vanilla_cold=round(rebuild["rebuild_s"] / vanilla, 2),
            vs_cold_in_process=round(rebuild["rebuild_s"] / rebuild["cold_in_process_s"], 2),
        )
        results["rebuild"] = rebuild
        say("lint…")
        results["lint"] = bench_lint(corpus, big, args.repeat)
        say("preview…")
        results["preview"] = {**bench_preview(corpus, args.repeat), "site_posts": big}
        say("proselint…")
        results["proselint"] = bench_proselint(corpus, args.repeat)
    if args.profile:
        say("profile…")
        results["profile"] = bench_profile(corpus, big, say)
    if args.syndication:
        say("syndication…")
        from bench.syndication import run as run_syndication

        results["syndication"] = run_syndication(corpus / "content", 1000)
    results["env"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(
        "w", dir=output.parent, delete=False, suffix=".tmp", encoding="utf-8"
    ) as handle:
        json.dump(results, handle, indent=2)
        handle.write("\n")
    os.replace(handle.name, output)
    say(fmt_table(results))
    say(f"\nresults written to {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
