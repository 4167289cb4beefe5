"""Where a build's time goes: a cProfile dump grouped by package.

Exclusive (self) time is summed per group, so the groups add up to the whole run. Time spent
in C functions (`re.Pattern.sub`, `str.join`, file writes…) is charged to the package of the
Python function that called them, split in proportion to each caller's share: a regex that
the guidelines plugin runs counts as plugins.guidelines, not as "builtins".

Groups: a package under site-packages by its top-level name (markdown, jinja2, pelican,
nh3, yaml…), the project's own code by its package (plugins.feeds, plugins.guidelines…,
chorus, syndication), the standard library as "stdlib.<module>".

Inclusive times of a few entry points are listed too (Markdown conversion, template
rendering, each plugin's signal handlers).
"""

from __future__ import annotations

import pstats
import sys
import sysconfig
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STDLIB = sysconfig.get_paths()["stdlib"]


def group_of(filename: str) -> str | None:
    """The group of a code file; None for C functions ('~') and other pseudo-files."""
    if filename in ("~", "") or filename.startswith("<"):
        if filename.startswith("<frozen "):  # stdlib modules frozen into the interpreter
            module = filename[len("<frozen ") : -1]
            if module.startswith(("importlib", "zipimport")):
                return "imports (importlib)"
            return (
                "stdlib.os.path" if module in ("posixpath", "genericpath") else f"stdlib.{module}"
            )
        return None
    if "site-packages/" in filename:
        rest = filename.split("site-packages/", 1)[1]
        top = rest.split("/", 1)[0].removesuffix(".py")
        if top == "pelican":
            parts = rest.split("/")
            if len(parts) > 2 and parts[1] == "plugins" and parts[2] not in ("signals.py",):
                return f"pelican.plugins.{parts[2].removesuffix('.py')}"
            return "pelican"
        return top
    path = Path(filename)
    try:
        rel = path.resolve().relative_to(ROOT)
    except ValueError:
        rel = None
    if rel is not None:
        parts = rel.parts
        if parts[0] == "plugins" and len(parts) > 2:
            return f"plugins.{parts[1]}"
        if parts[0] == "plugins":
            return "plugins"
        return parts[0].removesuffix(".py") if len(parts) > 1 else "settings"
    if filename.startswith(STDLIB):
        module = Path(filename).relative_to(STDLIB).parts[0].removesuffix(".py")
        return f"stdlib.{module}"
    return "other"


def grouped(profile_path: str | Path) -> tuple[float, dict[str, float]]:
    stats = pstats.Stats(str(profile_path))
    raw = stats.stats  # func → (cc, nc, tt, ct, callers{caller: (cc, nc, tt, ct)})
    groups: dict[str, float] = defaultdict(float)

    def charge(func, seconds: float, depth: int = 0) -> None:
        group = group_of(func[0])
        if group is not None:
            groups[group] += seconds
            return
        callers = raw.get(func, (0, 0, 0, 0, {}))[4]
        total = sum(c[2] for c in callers.values()) if callers else 0.0
        if not callers or total <= 0 or depth > 4:
            groups["builtins"] += seconds
            return
        for caller, info in callers.items():
            charge(caller, seconds * info[2] / total, depth + 1)

    for func, (_cc, _nc, tt, _ct, _callers) in raw.items():
        if tt:
            charge(func, tt)
    return stats.total_tt, dict(groups)


ENTRY_POINTS = {
    "Markdown.convert (all Markdown → HTML)": ("markdown/core.py", "convert"),
    "markdown-it parse (page and lint)": ("plugins/posts/markdown.py", "parse"),
    "markdown-it render (page HTML)": ("plugins/posts/markdown.py", "render"),
    "lint_post (guidelines findings)": ("plugins/guidelines/engine.py", "lint_post"),
    "prepare (one post, whole pipeline)": ("plugins/pipeline.py", "_prepare"),
    "Jinja2 Template.render (all pages)": ("jinja2/environment.py", "render"),
    "Pelican Writer.write_file": ("pelican/writers.py", "write_file"),
    "Pelican Writer.write_feed": ("pelican/writers.py", "write_feed"),
    "Readers.read_file (read + parse posts)": ("pelican/readers.py", "read_file"),
    "yaml load": ("yaml/__init__.py", "load"),
}


def inclusive(profile_path: str | Path) -> dict[str, float]:
    """Cumulative time of a few entry points, and of each plugin's signal handlers (the
    functions blinker calls), by plugin."""
    raw = pstats.Stats(str(profile_path)).stats
    out: dict[str, float] = {}
    for label, (suffix, name) in ENTRY_POINTS.items():
        found = [v[3] for f, v in raw.items() if f[0].endswith(suffix) and f[2] == name]
        if found:
            out[label] = max(found)  # the outermost frame's ct (recursion counted once)
    handlers: dict[str, float] = defaultdict(float)
    for func, (_cc, _nc, _tt, ct, callers) in raw.items():
        group = group_of(func[0]) or ""
        if not group.startswith(("plugins.", "pelican.plugins.")):
            continue
        if any(c[0].endswith("blinker/base.py") for c in callers):
            handlers[f"{group} signal handlers"] += ct
    out.update(handlers)
    # Generators (Pelican's and the plugins' own, from get_generators): Pelican calls
    # generate_context and generate_output on each; their inclusive time, by package.
    phases: dict[str, float] = defaultdict(float)
    for func, (_cc, _nc, _tt, ct, callers) in raw.items():
        if func[2] not in ("generate_context", "generate_output"):
            continue
        if not any(c[0].endswith("pelican/__init__.py") for c in callers):
            continue  # only the outermost call (Pelican.run), not super() chains
        owner = group_of(func[0]) or "?"
        phases[f"{owner} {_class_at(func[0], func[1])}.{func[2]}"] += ct
    out.update(phases)
    return {k: v for k, v in out.items() if v >= 0.005}


def _class_at(filename: str, line: int) -> str:
    """The class a method at `line` of `filename` belongs to (the last `class` above it)."""
    try:
        lines = Path(filename).read_text(encoding="utf-8").splitlines()[:line]
    except OSError:
        return "?"
    for text in reversed(lines):
        if text.startswith("class "):
            return text[6:].split("(")[0].split(":")[0].strip()
    return "?"


def table(profile_path: str | Path, top: int = 14) -> list[tuple[str, float, float]]:
    total, groups = grouped(profile_path)
    rows = sorted(groups.items(), key=lambda kv: -kv[1])
    shown = [(name, seconds, seconds / total if total else 0.0) for name, seconds in rows[:top]]
    rest = sum(s for _, s in rows[top:])
    if rest:
        shown.append(("(everything else)", rest, rest / total if total else 0.0))
    return shown


def main(argv: list[str]) -> int:
    for path in argv:
        total, _ = grouped(path)
        print(f"{path}: {total:.2f} s profiled")
        for name, seconds, share in table(path):
            print(f"  {name:<32} {seconds:8.2f} s {share:6.1%}")
        for label, seconds in sorted(inclusive(path).items(), key=lambda kv: -kv[1]):
            print(f"  [incl] {label:<45} {seconds:8.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
