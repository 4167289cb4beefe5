"""`invoke lint FILE…`: the paths people type after the task name are the posts linted."""

from __future__ import annotations

import json

from tests.test_tasks_help import ROOT, invoke

GOOD = "content/posts/hr/four-day-week-pilot.md"


def test_one_file_after_the_task_name(tmp_path):
    result = invoke("lint", str(ROOT / GOOD), "--format", "json", "--output", str(tmp_path / "r"))
    assert result.returncode == 0, result.stderr
    assert json.loads((tmp_path / "r").read_text("utf-8"))["files"] == 1


def test_files_and_folders_together_and_with_the_flag(tmp_path):
    warehouse = ROOT / "content" / "posts" / "warehouse"
    out = tmp_path / "r"
    result = invoke(
        "lint", str(ROOT / GOOD), str(warehouse), "-p", str(ROOT / "content/posts/it"),
        "--format", "json", "--output", str(out),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    expected = (
        1 + len(list(warehouse.glob("*.md"))) + len(list((ROOT / "content/posts/it").glob("*.md")))
    )
    assert json.loads(out.read_text("utf-8"))["files"] == expected


def test_a_post_with_an_error_exits_1_and_names_its_line(tmp_path):
    post = tmp_path / "posts" / "hr" / "x.md"
    post.parent.mkdir(parents=True)
    post.write_text(
        "---\ntitle: Hi\ndate: 2026-11-02 10:00\nauthor: zoe.vandenberg\ntags: [hr]\n"
        "summary: A summary long enough to say something.\n---\n"
        "Our AWS key is AKIA2E0A8F3B244C9986 for the demo.\n",
        "utf-8",
    )
    result = invoke("lint", str(post))
    assert result.returncode == 1
    assert "x.md\n" in result.stdout and "secrets.credentials" in result.stdout
    assert "No idea" not in result.stderr


def test_a_missing_file_is_a_usage_error_in_one_line():
    result = invoke("lint", "content/posts/hr/nope.md")
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "nope.md" in result.stderr
