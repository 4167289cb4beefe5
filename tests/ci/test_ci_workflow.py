"""The publish workflow, checked offline: GitHub's schema (check-jsonschema's bundled copy)
and the properties that matter for a publishing pipeline, read from the YAML itself."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
WORKFLOW = ROOT / ".github" / "workflows" / "publish.yml"
SECRETS = [
    "CHORUS_MASTODON_URL",
    "CHORUS_MASTODON_TOKEN",
    "CHORUS_BLUESKY_PDS",
    "CHORUS_BLUESKY_HANDLE",
    "CHORUS_BLUESKY_APP_PASSWORD",
    "CHORUS_X_TOKEN",
    "CHORUS_LINKEDIN_TOKEN",
    "CHORUS_LINKEDIN_AUTHOR",
    "CHORUS_FACEBOOK_PAGE_ID",
    "CHORUS_FACEBOOK_TOKEN",
    "CHORUS_THREADS_USER_ID",
    "CHORUS_THREADS_TOKEN",
    "CHORUS_WEBHOOK_URL",
    "CHORUS_WEBSUB_HUB",
    "CHORUS_SITEURL",
    "CHORUS_LEDGER",
]


def check_jsonschema(path: Path) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).parent / "check-jsonschema"
    command = [str(exe)] if exe.exists() else [shutil.which("check-jsonschema") or "false"]
    return subprocess.run(
        [*command, "--builtin-schema", "vendor.github-workflows", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def workflow() -> dict:
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def step_index(job: dict, predicate) -> int:
    matches = [i for i, step in enumerate(job["steps"]) if predicate(step)]
    assert len(matches) == 1, matches
    return matches[0]


def runs(text: str):
    return lambda step: text in step.get("run", "")


def uses(action: str):
    return lambda step: step.get("uses", "").startswith(action + "@")


def test_passes_githubs_workflow_schema():
    result = check_jsonschema(WORKFLOW)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_schema_check_can_fail(tmp_path):
    broken = tmp_path / "broken.yml"
    text = WORKFLOW.read_text(encoding="utf-8").replace("runs-on: ubuntu-latest", "runs_on: x", 1)
    broken.write_text(text, encoding="utf-8")
    assert check_jsonschema(broken).returncode != 0


def test_triggers(workflow):
    assert "pull_request" in workflow["on"]
    assert workflow["on"]["push"]["branches"] == ["main"]
    # scheduled: a future-dated post appears when due, a failed cross-post is retried
    assert workflow["on"]["schedule"] and all(c["cron"] for c in workflow["on"]["schedule"])
    assert workflow["permissions"] == {"contents": "read"}  # least privilege by default


def test_pull_requests_upload_sarif_and_annotate(workflow):
    lint = workflow["jobs"]["lint"]
    assert lint["permissions"]["security-events"] == "write"
    sarif = step_index(lint, runs("--format sarif"))
    upload = step_index(lint, uses("github/codeql-action/upload-sarif"))
    annotate = step_index(lint, runs("--format github"))
    assert sarif < upload < annotate
    assert "pull_request" in lint["steps"][sarif]["if"]
    assert lint["steps"][sarif].get("continue-on-error") is True  # upload even with errors
    assert "always()" in lint["steps"][upload]["if"]
    output = re.search(r"--output (\S+)", lint["steps"][sarif]["run"]).group(1)
    assert lint["steps"][upload]["with"]["sarif_file"] == output
    assert "if" not in lint["steps"][annotate]  # the gate runs on every event
    assert "python-version" in lint["steps"][1]["with"]
    assert workflow["env"]["PYTHON_VERSION"] == "3.11"


def test_publish_runs_only_on_main_after_lint_and_never_concurrently(workflow):
    publish = workflow["jobs"]["publish"]
    assert publish["needs"] == "lint"
    assert "refs/heads/main" in publish["if"] and "pull_request" in publish["if"]
    assert publish["concurrency"] == {"group": "publish", "cancel-in-progress": False}
    assert publish["environment"]["name"] == "github-pages"
    assert publish["permissions"] == {"contents": "write", "pages": "write", "id-token": "write"}
    for name, job in workflow["jobs"].items():
        if name != "publish":
            assert not any("syndicate" in s.get("run", "") for s in job["steps"]), name
            assert not any(uses("actions/deploy-pages")(s) for s in job["steps"]), name


def test_publish_order_build_deploy_syndicate_commit(workflow):
    job = workflow["jobs"]["publish"]
    build = step_index(job, runs("invoke publish"))
    artifact = step_index(job, uses("actions/upload-pages-artifact"))
    deploy = step_index(job, uses("actions/deploy-pages"))
    restore = step_index(job, uses("actions/cache/restore"))
    syndicate = step_index(job, runs("invoke syndicate --live"))
    baseline = step_index(job, runs("invoke syndicate --baseline"))
    save = step_index(job, uses("actions/cache/save"))
    commit = step_index(job, runs("git commit"))
    assert build < artifact < deploy < restore < baseline < syndicate < save < commit
    # The first run marks the archive as seen instead of posting it all; never both.
    assert job["steps"][baseline]["if"] == "inputs.baseline"
    assert job["steps"][syndicate]["if"] == "${{ !inputs.baseline }}"
    assert workflow["on"]["workflow_dispatch"]["inputs"]["baseline"]["default"] is False
    assert job["steps"][artifact]["with"]["path"].rstrip("/") == "output"
    assert job["steps"][deploy]["id"] == "deploy"
    assert job["environment"]["url"] == "${{ steps.deploy.outputs.page_url }}"
    assert "--no-ping" in job["steps"][build]["run"]  # the hub is pinged once deployed


def test_ledger_is_kept_between_runs_even_when_a_platform_fails(workflow):
    job = workflow["jobs"]["publish"]
    restore = job["steps"][step_index(job, uses("actions/cache/restore"))]
    save = job["steps"][step_index(job, uses("actions/cache/save"))]
    assert restore["with"]["path"].rstrip("/") == save["with"]["path"].rstrip("/") == ".chorus"
    assert save["if"] == "always()"
    assert restore["with"]["restore-keys"] and save["with"]["key"] == restore["with"]["key"]
    assert "github.run_attempt" in save["with"]["key"]  # a re-run saves under a new key


def test_links_are_committed_even_when_a_platform_failed(workflow):
    job = workflow["jobs"]["publish"]
    commit = job["steps"][step_index(job, runs("git commit"))]
    assert commit["if"] == "always()"
    for step in (runs("invoke syndicate --live"), runs("invoke syndicate --baseline")):
        assert "CHORUS_LEDGER" in job["steps"][step_index(job, step)]["env"]


def test_links_file_is_committed_back_only_when_changed(workflow):
    job = workflow["jobs"]["publish"]
    script = job["steps"][step_index(job, runs("git commit"))]["run"]
    assert "git add content/syndication-links.json" in script
    assert "git diff --cached --quiet" in script and "exit 0" in script
    assert "[skip ci]" in script
    assert "github-actions[bot]" in script
    assert script.index("git diff --cached --quiet") < script.index("git commit")


def walk(node, path=()):
    if isinstance(node, dict):
        for key, value in node.items():
            yield from walk(value, (*path, str(key)))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from walk(value, (*path, str(i)))
    else:
        yield path, node


def test_secrets_only_as_environment_variables(workflow):
    seen = set()
    for path, value in walk(workflow):
        if isinstance(value, str) and "secrets." in value:
            assert len(path) >= 2 and path[-2] == "env", path  # never in run/with/if
            seen.update(re.findall(r"secrets\.(\w+)", value))
            assert path[-1] in re.findall(r"secrets\.(\w+)", value)  # same name both sides
    assert seen == set(SECRETS)
    job = workflow["jobs"]["publish"]
    env = job["steps"][step_index(job, runs("invoke syndicate --live"))]["env"]
    assert set(SECRETS) <= set(env)


def test_secrets_are_never_echoed(workflow):
    text = WORKFLOW.read_text(encoding="utf-8")
    assert "set -x" not in text and "ACTIONS_STEP_DEBUG" not in text
    for path, value in walk(workflow):
        if path[-1] == "run":
            assert "secrets." not in value
            for name in SECRETS:
                assert f"${name}" not in value and f"${{{name}}}" not in value, (path, name)


def test_actions_are_pinned_by_major_version(workflow):
    for path, value in walk(workflow):
        if path[-1] == "uses":
            assert re.fullmatch(r"[\w.-]+/[\w./-]+@v\d+", value), value
