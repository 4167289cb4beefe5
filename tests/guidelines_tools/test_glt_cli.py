"""The command line as users and CI run it: a separate process, its exit code, its output.

Exit codes: 0 no errors, 1 errors, 2 usage or configuration error (one line, no traceback).
The site under tests/fixtures/guidelines_tools/site has one clean post, one with an error,
one with only warnings and a suggestion, and a finance post that needs approval.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, ROOT

SITE = FIXTURES / "guidelines_tools" / "site"
BAD = FIXTURES / "guidelines_tools" / "bad-guidelines"
POSTS = SITE / "posts"


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "plugins.guidelines", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        env={
            "PYTHONPATH": str(ROOT),
            "PATH": "/usr/bin:/bin",
            "CHORUS_SITEURL": "https://chorus.test",
        },
    )


def lint(*args: str) -> subprocess.CompletedProcess:
    return run("lint", "--content", str(SITE), *args)


def test_clean_post_exits_0():
    done = lint(str(POSTS / "warehouse" / "clean-post.md"))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "nothing to fix" in done.stdout
    assert done.stderr == ""


def test_warnings_and_suggestions_alone_exit_0():
    done = lint(str(POSTS / "warehouse" / "warnings-only.md"))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "claims.best" in done.stdout and "style.utilize" in done.stdout


def test_an_error_exits_1_and_names_file_line_rule():
    done = lint(str(POSTS / "warehouse" / "absolute-claim.md"), "--format", "json")
    assert done.returncode == 1
    doc = json.loads(done.stdout)
    errors = [(f["rule_id"], f["line"]) for f in doc["findings"] if f["level"] == "error"]
    assert errors == [("claims.absolute", 10)]
    assert doc["findings"][0]["path"].endswith("posts/warehouse/absolute-claim.md")


def test_a_folder_lints_every_post_in_it():
    done = lint("--format", "json")  # default: <content>/posts
    doc = json.loads(done.stdout)
    assert doc["files"] == 4
    assert done.returncode == 1


def test_sarif_and_github_outputs_from_the_cli(tmp_path):
    out = tmp_path / "lint.sarif"
    done = lint("--format", "sarif", "--output", str(out))
    assert done.returncode == 1 and done.stdout == ""
    log = json.loads(out.read_text(encoding="utf-8"))
    rules = [r["id"] for r in log["runs"][0]["tool"]["driver"]["rules"]]
    assert rules == ["claims.absolute", "claims.best", "style.utilize", "approval.finance"]
    assert log["runs"][0]["tool"]["driver"]["version"] == "1.2"
    done = lint("--format", "github")
    lines = done.stdout.splitlines()
    post = "tests/fixtures/guidelines_tools/site/posts/warehouse/absolute-claim.md"
    assert any(line.startswith(f"::error file={post},line=10,") for line in lines)
    assert any(line.startswith("::notice ") and "style.utilize" in line for line in lines)


@pytest.mark.parametrize(
    ("case", "where"),
    [
        ("yaml-error.yaml", "yaml-error.yaml:6:"),
        ("unknown-kind.yaml", "unknown-kind.yaml:8:"),
        ("missing-key.yaml", "missing-key.yaml:6:"),
        ("bad-regex.yaml", "bad-regex.yaml:6:"),
    ],
)
def test_bad_guidelines_exit_2_with_one_line(case, where):
    done = lint("--guidelines", str(BAD / case), str(POSTS / "warehouse" / "clean-post.md"))
    assert done.returncode == 2, done.stdout + done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert where in lines[0]
    assert "Traceback" not in done.stderr and done.stdout == ""


def test_usage_errors_exit_2():
    missing = lint(str(POSTS / "warehouse" / "no-such-post.md"))
    assert missing.returncode == 2
    assert missing.stderr.strip().endswith("no-such-post.md: no such file or folder")
    no_guidelines = run("lint", "--content", str(POSTS))  # a folder without guidelines.yaml
    assert no_guidelines.returncode == 2
    assert "no guidelines file" in no_guidelines.stderr
    bad_format = lint("--format", "xml")
    assert bad_format.returncode == 2 and "invalid choice" in bad_format.stderr


def test_a_post_that_cannot_be_read_is_an_error_not_a_crash(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(SITE, content)
    broken = content / "posts" / "warehouse" / "broken.md"
    broken.write_text("---\ntitle: [unclosed\n---\nbody\n", encoding="utf-8")
    done = run("lint", "--content", str(content), str(broken))
    assert done.returncode == 1, done.stdout + done.stderr
    assert "broken.md" in done.stdout + done.stderr
    assert "Traceback" not in done.stderr


def test_pre_commit_hook_definitions_are_valid_and_run_the_lint():
    import re

    import yaml

    pre_commit = Path(sys.executable).parent / "pre-commit"
    for command, name in (
        ("validate-manifest", ".pre-commit-hooks.yaml"),
        ("validate-config", ".pre-commit-config.yaml"),
    ):
        done = subprocess.run(
            [str(pre_commit), command, name], cwd=ROOT, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stdout + done.stderr
    hooks = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    posts_hook = hooks["chorus-guidelines"]
    assert re.search(posts_hook["files"], "content/posts/hr/welcome.md")
    assert not re.search(posts_hook["files"], "content/people/maria.lopez.yaml")
    assert re.search(hooks["chorus-guidelines-all"]["files"], "content/guidelines.yaml")
    # what pre-commit runs: the entry plus the staged file names
    entry = posts_hook["entry"].split()
    assert entry[:3] == ["python", "-m", "plugins.guidelines"]
    bad = str(POSTS / "warehouse" / "absolute-claim.md")
    assert run(*entry[3:], "--content", str(SITE), bad).returncode == 1
