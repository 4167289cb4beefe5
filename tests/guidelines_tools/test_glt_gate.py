"""The build gate's decision (plain function, no Pelican) and the gate in real builds:
publish mode fails on an error post and nothing reaches output/; a draft with an error is
left out; development builds the post and shows its findings."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from plugins.guidelines.gate import GatedPost, decide, mode_of
from plugins.guidelines.model import Finding
from tests.conftest import FIXTURES, TEST_SITEURL, build_site, copy_content, hrefs

GATE = FIXTURES / "guidelines_tools" / "gate"


def finding(path: str, level: str, line: int = 3, rule: str = "claims.absolute") -> Finding:
    return Finding(path, line, 5, rule, level, f"{level} message", "claims", "Claims")


POSTS = [GatedPost("/s/posts/a.md", "published"), GatedPost("/s/posts/d.md", "draft")]
FINDINGS = [
    finding("/s/posts/a.md", "error"),
    finding("/s/posts/a.md", "warning", 4, "claims.forever"),
    finding("/s/posts/d.md", "error"),
]


def test_publish_mode_turns_errors_on_published_posts_into_problems():
    decision = decide(POSTS, FINDINGS, "publish", "https://x.test")
    assert [(p.path, p.line) for p in decision.problems] == [("/s/posts/a.md", 3)]
    assert decision.problems[0].message == (
        "claims.absolute: error message — see https://x.test/guidelines/#claims.absolute"
    )
    assert decision.dropped == {"/s/posts/d.md"}
    assert any("d.md: draft left out" in w for w in decision.warnings)
    assert any("a.md:4:5: warning: claims.forever" in w for w in decision.warnings)
    assert decision.shown == {}  # a public site never shows findings


def test_dev_mode_builds_everything_and_shows_findings():
    decision = decide(POSTS, FINDINGS, "dev")
    assert decision.problems == [] and decision.dropped == set()
    assert [f.level for f in decision.shown["/s/posts/a.md"]] == ["error", "warning"]
    assert len(decision.warnings) == 3


def test_off_mode_and_clean_posts_do_nothing():
    assert decide(POSTS, FINDINGS, "off").warnings == []
    clean = decide(POSTS, [], "publish")
    assert (clean.problems, clean.warnings, clean.dropped) == ([], [], set())


def test_mode_setting_is_checked():
    assert mode_of({}) == "dev"
    with pytest.raises(ValueError, match="GUIDELINES_GATE must be one of publish, dev, off"):
        mode_of({"GUIDELINES_GATE": "strict"})


# --- real builds ------------------------------------------------------------------------
# The demo content with its own guidelines, plus one post (fixtures/guidelines_tools/gate)
# that breaks them. What the gate must do is computed from the engine's findings for that
# post, so these tests check the gate, not the current wording of the guidelines.


def gated_content(tmp_path: Path, status: str = "published") -> Path:
    content = copy_content(tmp_path)
    text = (GATE / "risky-claim.md").read_text(encoding="utf-8")
    if status == "draft":
        text = text.replace("tags: [warehouse]\n", "tags: [warehouse]\nstatus: draft\n")
    (content / "posts" / "warehouse" / "risky-claim.md").write_text(text, encoding="utf-8")
    return content


def engine_findings(content: Path) -> list[Finding]:
    from plugins.guidelines.config import load_guidelines
    from plugins.guidelines.engine import lint_files

    post = content / "posts" / "warehouse" / "risky-claim.md"
    report = lint_files(
        [post],
        load_guidelines(content / "guidelines.yaml"),
        content_root=content,
        approvals_dir=content / "approvals",
    )
    return report.findings


def files_mentioning(output: Path, needle: str) -> list[Path]:
    return [
        p
        for p in output.rglob("*")
        if p.is_file() and needle in p.read_text(encoding="utf-8", errors="ignore")
    ]


@pytest.mark.integration
def test_publish_build_fails_and_output_is_untouched(tmp_path):
    content = gated_content(tmp_path)
    errors = [f for f in engine_findings(content) if f.level == "error"]
    assert errors, "the fixture post must break at least one error rule"
    output = tmp_path / "output"
    output.mkdir()
    (output / "marker.txt").write_text("previous site", encoding="utf-8")
    result = build_site(output, content, settings="publishconf.py")
    assert not result.ok
    post = content / "posts" / "warehouse" / "risky-claim.md"
    expected = sorted(
        f"{post}:{f.line}: error: {f.rule_id}: {f.message}"
        + (f" (suggested: {f.suggestion})" if f.suggestion else "")
        + f" — see {TEST_SITEURL}/guidelines/#{f.rule_id}"
        for f in errors
    )
    assert sorted(p for p in result.problems if "risky-claim" in p) == expected
    assert len(result.problems) == len(expected)  # the demo's own posts pass the gate
    assert sorted(p.name for p in output.iterdir()) == ["marker.txt"]
    assert not list(tmp_path.glob(".output.building-*"))  # no half-written site left over


@pytest.mark.integration
def test_publish_builds_leave_out_a_draft_with_an_error(tmp_path):
    """The public publish build writes no draft at all; the intranet build, which carries
    drafts for review, still leaves out one with a guideline error (it may hold the very
    secret the lint found) and keeps the others."""
    content = gated_content(tmp_path, status="draft")
    assert any(f.level == "error" for f in engine_findings(content))
    public, intranet = tmp_path / "output", tmp_path / "output-internal"
    result = build_site(public, content, settings="publishconf.py")
    assert result.ok, result.problems
    assert not (public / "drafts").exists()
    assert files_mentioning(public, "guaranteed for ten years") == []
    result = build_site(intranet, content, settings="internalconf.py")
    assert result.ok, result.problems
    assert not (intranet / "drafts" / "risky-claim").exists()
    assert files_mentioning(intranet, "guaranteed for ten years") == []
    assert any("risky-claim.md: draft left out of the site" in w for w in result.warnings)
    assert (intranet / "drafts").exists()  # the demo's other draft is still built


@pytest.mark.integration
def test_dev_build_shows_the_findings_on_the_post(tmp_path):
    content = gated_content(tmp_path)
    findings = engine_findings(content)
    output = tmp_path / "output"
    result = build_site(output, content)
    assert result.ok, result.problems
    page = (output / "posts" / "risky-claim" / "index.html").read_text(encoding="utf-8")
    assert 'class="guideline-findings"' in page
    assert page.count('class="finding finding-') == len(findings)
    links = hrefs(page, "posts/risky-claim/index.html")
    for f in findings:
        assert f"{TEST_SITEURL}/guidelines/#{f.rule_id}" in links
        assert f"line {f.line}, column {f.column}" in page
        assert any(f"risky-claim.md:{f.line}:{f.column}: {f.level}: {f.rule_id}" in w
                   for w in result.warnings)  # fmt: skip
    other = (output / "posts" / "forklift-certification-week" / "index.html").read_text(
        encoding="utf-8"
    )
    assert "guideline-findings" not in other  # a clean post has no box


@pytest.mark.integration
def test_a_broken_guidelines_file_fails_the_build_at_its_line(tmp_path):
    content = copy_content(tmp_path)
    shutil.copy(
        FIXTURES / "guidelines_tools" / "bad-guidelines" / "unknown-kind.yaml",
        content / "guidelines.yaml",
    )
    result = build_site(tmp_path / "output", content)
    assert not result.ok
    assert len(result.problems) == 1
    assert result.problems[0].startswith(f"{content / 'guidelines.yaml'}:8: error: ")
    assert "unknown kind 'spellcheck'" in result.problems[0]


@pytest.mark.integration
def test_parallel_preparation_gives_the_same_gate(tmp_path, monkeypatch):
    """A large site is prepared (read, checked, linted, rendered) in forked workers before
    Pelican reads (plugins/pipeline.py); forced on here for the demo-sized site: the same
    findings, the same failed build as one process."""
    from plugins import pipeline

    used: list[int] = []
    real = pipeline.forked_map

    def spy(function, items, shared, workers, least=2):
        if workers > 1 and len(items) >= least:
            used.append(workers)
        return real(function, items, shared, workers, least)

    monkeypatch.setattr(pipeline, "forked_map", spy)
    monkeypatch.setenv("CHORUS_CACHE", "off")  # every build prepares every post
    content = gated_content(tmp_path)
    errors = sorted(f for f in engine_findings(content) if f.level == "error")
    output = tmp_path / "output"
    one = {"CHORUS_WORKERS": 1}
    many = {"CHORUS_WORKERS": 2, "CHORUS_PARALLEL_MIN": 2}
    inline = build_site(output, content, settings="publishconf.py", **one)
    assert not used
    parallel = build_site(output, content, settings="publishconf.py", **many)
    assert not parallel.ok and errors
    assert used, "the posts were not prepared in workers"
    assert sorted(parallel.problems) == sorted(inline.problems)
    dev = build_site(output, content, **many)
    assert dev.ok, dev.problems
    page = (output / "posts" / "risky-claim" / "index.html").read_text(encoding="utf-8")
    assert page.count('class="finding finding-') == len(engine_findings(content))


def test_the_lint_reads_people_and_departments_where_the_settings_say(tmp_path):
    """PEOPLE_PATH and DEPARTMENTS_FILE moved: the lint's directory and its cache's
    fingerprint follow them (they once read content/people/ whatever the settings)."""
    from core.settings import ChorusSettings
    from plugins.guidelines.cache import fingerprint
    from plugins.guidelines.config import load_guidelines
    from plugins.guidelines.engine import make_context

    content = gated_content(tmp_path)
    (content / "people").rename(content / "staff")
    (content / "departments.yaml").rename(content / "teams.yaml")
    settings = ChorusSettings(PEOPLE_PATH="staff", DEPARTMENTS_FILE="teams.yaml")
    guidelines = load_guidelines(content / "guidelines.yaml")
    ctx = make_context(content, None, guidelines, settings)
    assert ctx.directory.people and ctx.directory.departments and not ctx.directory.errors
    before = fingerprint(guidelines.path, ctx)
    person = sorted((content / "staff").glob("*.yaml"))[0]
    person.write_text(person.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert fingerprint(guidelines.path, ctx) != before
