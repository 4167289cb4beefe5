"""No post can switch the gate off: hostile Markdown (tests/fixtures/hostile/) and random
text never make the lint exit 2 or raise, and a rule that raises becomes one finding."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plugins.guidelines.cli import main
from plugins.guidelines.engine import INTERNAL_RULE, lint_files
from plugins.guidelines.kinds import KINDS
from plugins.guidelines.kinds.links import split_url

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = sorted((ROOT / "tests" / "fixtures" / "hostile").glob("*.md"))
DEMO = ROOT / "content"
HEAD = "---\ntitle: Fuzz\ndate: 2026-11-21 10:00\nauthor: maria.lopez\ntags: [x]\n---\n"


@pytest.fixture(scope="module")
def demo_guidelines():
    from plugins.guidelines.config import load_guidelines

    return load_guidelines(DEMO / "guidelines.yaml")


@pytest.mark.parametrize("path", HOSTILE, ids=lambda p: p.name)
def test_hostile_post_gives_findings_not_an_internal_error(path, tmp_path, capsys):
    post = tmp_path / "posts" / "warehouse" / path.name
    post.parent.mkdir(parents=True)
    shutil.copy(path, post)
    code = main(["lint", str(post), "--content", str(DEMO), "--format", "json"])
    out, err = capsys.readouterr()
    assert code in (0, 1), err
    assert INTERNAL_RULE not in out and "internal error" not in err


def test_bracketed_placeholder_url_is_an_http_finding(demo_guidelines, tmp_path):
    post = tmp_path / "posts" / "it" / "server.md"
    post.parent.mkdir(parents=True)
    post.write_text(HEAD + "Point it at http://[your-server]:8080/ and restart.\n")
    report = lint_files([post], demo_guidelines, content_root=DEMO)
    https = [f for f in report.findings if f.rule_id == "links.https"]
    assert [f.suggestion for f in https] == ["https://[your-server]:8080/"]
    assert "https://[your-server]" not in https[0].message  # said once, as the suggestion
    assert split_url("http://[your-server]:8080/x").path == "/x"


def test_a_rule_that_raises_is_one_error_and_the_rest_still_run(
    demo_guidelines, tmp_path, monkeypatch
):
    posts = []
    for name in ("a", "b"):
        post = tmp_path / "posts" / "it" / f"{name}.md"
        post.parent.mkdir(parents=True, exist_ok=True)
        post.write_text(HEAD + "It is guaranteed.\n")
        posts.append(post)

    def broken(rule, post, ctx):
        raise RuntimeError("boom")
        yield

    monkeypatch.setitem(KINDS, "links", KINDS["links"].__class__(
        **{**KINDS["links"].__dict__, "check": broken}))  # fmt: skip
    report = lint_files(posts, demo_guidelines, content_root=DEMO, workers=1)
    internal = [f for f in report.findings if f.rule_id == INTERNAL_RULE]
    links_rules = [r for r in demo_guidelines.rules if r.kind == "links"]
    assert len(internal) == 2 * len(links_rules)
    assert all(f.level == "error" for f in internal)
    assert "internal: rule links.https failed on this post: RuntimeError: boom" in {
        f.message.split(" (")[0] for f in internal
    }
    assert len([f for f in report.findings if f.rule_id == "claims.absolute"]) == 2


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    body=st.text(
        st.sampled_from(list("[]()<>!`*_#>-:/\\\"' \n\t\x00\u200b\u202eab1@.")) | st.characters(),
        max_size=400,
    )
)
def test_random_markdown_never_crashes_a_rule(body, demo_guidelines, tmp_path_factory):
    post = tmp_path_factory.mktemp("fuzz") / "posts" / "it" / "fuzz.md"
    post.parent.mkdir(parents=True)
    post.write_text(HEAD + body, encoding="utf-8", errors="surrogatepass")
    report = lint_files([post], demo_guidelines, content_root=DEMO, workers=1)
    assert not [f.message for f in report.findings if f.rule_id == INTERNAL_RULE]


def test_the_lints_own_findings_link_to_anchors_on_the_guidelines_page(demo_guidelines):
    from plugins.guidelines.engine import BUILD_RULE
    from plugins.guidelines.page import guidelines_view

    ids = {
        rule.id for section in guidelines_view(demo_guidelines).sections for rule in section.rules
    }
    assert {BUILD_RULE, INTERNAL_RULE, "lint.switch-reason"} <= ids
