"""`python -m plugins.guidelines lint|approve`: the guidelines from the command line
(invoke, the pre-commit hook and CI all call this; the preview, which renders with the
theme, is the app's: `python -m chorus.preview`, chorus/preview.py).

Exit codes are the contract scripts rely on: 0 no errors (warnings and suggestions do not
fail), 1 at least one error (or an approval refused), 2 the command itself could not run —
a usage mistake, a missing file, a broken guidelines file — with one `file:line: message`
line and no traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from core.cache import cache_dir, memo_file
from core.filememo import FileMemo
from core.paths import shown_path
from core.settings import ChorusSettings
from core.site import public_siteurl
from plugins.guidelines.model import GuidelinesError, LintReport
from plugins.problems import ContentError, one_line

CONTENT = Path("content")
DEFAULTS = ChorusSettings()  # the lint runs without Pelican: the declared defaults
GUIDELINES_FILE = DEFAULTS.GUIDELINES_FILE
APPROVALS_DIR = DEFAULTS.APPROVALS_PATH
POSTS_DIR = "posts"
PAGES_DIR = "pages"  # linted for what the build needs (title, slug); the guidelines are for posts


class UsageError(Exception):
    """Exit 2: the command was asked something it cannot do."""


def expand(paths: list[str]) -> list[str]:
    """Files as given, folders as their Markdown files (sorted, each file once). Strings,
    not Paths: making 5,000 Path objects costs a warm lint a tenth of its time."""
    found: dict[str, None] = {}
    for name in paths:
        path = os.path.normpath(name)
        if os.path.isdir(path):
            for p in _markdown_files(path):
                found.setdefault(p, None)
        elif os.path.isfile(path):
            found.setdefault(path, None)
        else:
            raise UsageError(f"{one_line(name)}: no such file or folder")
    return list(found)


def _markdown_files(top: str) -> list[str]:
    """The Markdown files under the folder `top`, in the order of
    sorted(Path(top).rglob("*.md")) (by path parts)."""
    found = []
    for dirpath, _dirs, files in os.walk(top):
        found.extend(os.path.join(dirpath, f) for f in files if f.endswith(".md"))
    rel = len(top.rstrip(os.sep)) + 1
    found.sort(key=lambda p: p[rel:].split(os.sep))
    return found


def load(guidelines_path: Path, memo: FileMemo | None = None):
    from plugins.guidelines.config import load_guidelines

    if not guidelines_path.is_file():
        raise UsageError(f"{guidelines_path}: no guidelines file here (use --guidelines FILE)")
    return load_guidelines(guidelines_path, memo)


def lint_paths(
    paths: list[Path],
    guidelines,
    content_root: Path,
    approvals_dir: Path | None = None,
    use_cache: bool = True,
    memo: FileMemo | None = None,
) -> LintReport:
    from plugins.guidelines.engine import lint_files

    approvals = approvals_dir if approvals_dir is not None else content_root / APPROVALS_DIR
    cache = cache_dir() if use_cache else None
    return lint_files(
        paths,
        guidelines,
        content_root=content_root,
        approvals_dir=approvals,
        cache=cache,
        memo=memo,
    )


def cmd_lint(args: argparse.Namespace) -> int:
    from plugins.guidelines.report import render

    content = Path(args.content)
    # one memo per run: each file stat'ed once
    memo = FileMemo(memo_file()) if not args.no_cache else None
    guidelines = load(Path(args.guidelines) if args.guidelines else content / GUIDELINES_FILE, memo)
    if args.changed:
        from plugins.guidelines.changed import GitError, changed_posts

        try:
            posts = changed_posts(Path.cwd(), content / POSTS_DIR, args.base)
        except GitError as exc:
            raise UsageError(str(exc)) from None
        if args.paths:  # both: the changed posts among those paths
            wanted = {Path(p).resolve() for p in expand(args.paths)}
            posts = [p for p in posts if p.resolve() in wanted]
        paths = [Path(shown_path(p)) for p in posts]
    else:
        default = [str(content / d) for d in (POSTS_DIR, PAGES_DIR) if (content / d).is_dir()]
        paths = expand(args.paths or default)
    report = lint_paths(paths, guidelines, content, use_cache=not args.no_cache, memo=memo)
    siteurl = public_siteurl(args.siteurl)
    root = Path.cwd()
    if args.format == "human" and not args.output:
        from rich.console import Console  # only for people: a machine format needs no Rich

        from plugins.guidelines.report.human import print_report

        print_report(report, Console(highlight=False), siteurl=siteurl, root=root)
    else:
        text = render(report, args.format, guidelines=guidelines, siteurl=siteurl, root=root)
        if args.output:
            Path(args.output).write_text(text, encoding="utf-8")
        else:
            sys.stdout.write(text)
    return report.exit_code


def cmd_approve(args: argparse.Namespace) -> int:
    import plugins.guidelines.kinds  # noqa: F401  (before approvals: kinds imports it)
    from plugins.guidelines.approvals import approval_rules_for, write_approval
    from plugins.guidelines.post import load_post

    post_path = Path(args.post)
    if not post_path.is_file():
        raise UsageError(f"{one_line(args.post)}: no such post")
    content = Path(args.content)
    guidelines = load(Path(args.guidelines) if args.guidelines else content / GUIDELINES_FILE)
    post = load_post(post_path)
    rules = approval_rules_for(post, guidelines)
    if not rules:
        print(f"{post_path}: no guideline asks for approval of this post; nothing to approve")
        return 0
    approvals = Path(args.approvals) if args.approvals else content / APPROVALS_DIR
    refused = 0
    for rule in rules:
        try:
            written = write_approval(approvals, post_path, args.by, rule, str(guidelines.version))
        except ValueError as exc:
            print(f"{post_path}: not approved ({rule.id}): {one_line(str(exc))}", file=sys.stderr)
            refused += 1
            continue
        print(f"{written}: {args.by} approved {post_path} for {rule.id}")
    return 1 if refused else 0


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="python -m plugins.guidelines",
        description="Check posts against the organization's social-media guidelines.",
    )
    top.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    sub = top.add_subparsers(dest="command", required=True)

    common = common_options

    lint = sub.add_parser("lint", help="check posts; exit 1 if any has an error")
    lint.add_argument(
        "paths", nargs="*", help="post files or folders (content/posts/ and content/pages/)"
    )
    lint.add_argument("--changed", action="store_true", help="only posts changed vs --base")
    lint.add_argument("--base", default="main", help="branch to compare with (main)")
    lint.add_argument("--format", choices=("human", "json", "sarif", "github"), default="human")
    lint.add_argument("--output", help="write the report to this file instead of stdout")
    lint.add_argument("--siteurl", help="site the rule links point to (CHORUS_SITEURL)")
    lint.add_argument(
        "--no-cache",
        action="store_true",
        help="lint every post again (default: reuse results for unchanged posts, .chorus/)",
    )
    common(lint)
    lint.set_defaults(run=cmd_lint)

    approve = sub.add_parser("approve", help="record your approval of a post")
    approve.add_argument("post", help="the post file, content/posts/<department>/<slug>.md")
    approve.add_argument("--by", required=True, help="your handle (content/people/<handle>)")
    approve.add_argument("--approvals", help="approvals folder (content/approvals/)")
    common(approve)
    approve.set_defaults(run=cmd_approve)

    return top


def common_options(p: argparse.ArgumentParser) -> None:
    """The options every guidelines command takes (the preview's too)."""
    p.add_argument("--content", default=str(CONTENT), help="content folder (content/)")
    p.add_argument("--guidelines", help="guidelines file (content/guidelines.yaml)")


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return guarded(args)


def guarded(args: argparse.Namespace) -> int:
    """args.run(args) under the exit-code contract above: one line and 2 for what could not
    run, never a traceback (unless --debug)."""
    try:
        return args.run(args)
    except GuidelinesError as exc:
        print(one_line(exc.format()), file=sys.stderr)
        return 2
    except UsageError as exc:
        print(f"error: {one_line(str(exc))}", file=sys.stderr)
        return 2
    except ContentError as exc:  # a post the engine could not even read
        print(exc.format(os.getcwd()), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        if args.debug:
            raise
        print(
            f"error: internal error: {type(exc).__name__}: {one_line(str(exc))}"
            " (run again with --debug for the traceback)",
            file=sys.stderr,
        )
        return 2
