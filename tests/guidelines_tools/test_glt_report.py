"""The four output formats on a fixed set of findings (tests/fixtures/guidelines_tools/report):
structure, the SARIF schema, and escaping of hostile message text."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest

from plugins.guidelines.model import Finding, LintReport
from plugins.guidelines.report import render
from plugins.guidelines.report.github import escape_data, escape_property
from plugins.guidelines.report.human import render as human_render
from plugins.guidelines.report.sarif import sarif_log
from tests.conftest import FIXTURES, ROOT

HERE = FIXTURES / "guidelines_tools"
SITE = "https://chorus.test"


def load_report(source: Path = HERE / "report" / "findings.json") -> LintReport:
    data = json.loads(source.read_text(encoding="utf-8"))
    findings = [Finding(**item) for item in data["findings"]]
    return LintReport(
        findings=findings, files=data["files"], guidelines_version=data["guidelines_version"]
    )


@pytest.fixture
def report() -> LintReport:
    return load_report()


def test_json_keeps_every_finding_with_its_link(report):
    doc = json.loads(render(report, "json", siteurl=SITE, root=ROOT))
    assert doc["summary"] == {"error": 2, "warning": 1, "suggestion": 1}
    assert doc["exit_code"] == 1
    assert doc["guidelines_version"] == "2.1"
    assert len(doc["findings"]) == 4
    by_rule = {f["rule_id"]: f for f in doc["findings"]}
    assert by_rule["claims.best"]["suggestion"] == "very good"
    assert by_rule["pii.email"]["url"] == f"{SITE}/guidelines/#pii.email"
    assert by_rule["pii.email"]["line"] == 7 and by_rule["pii.email"]["column"] == 16
    # hostile text survives the round trip unchanged
    assert by_rule["style.hostile"]["message"] == report.findings[3].message


def test_json_paths_are_repository_relative_even_when_given_absolute(report):
    absolute = LintReport(
        findings=[Finding(**{**f.to_dict(), "path": str(ROOT / f.path)}) for f in report.findings]
    )
    doc = json.loads(render(absolute, "json", root=ROOT))
    assert {f["path"] for f in doc["findings"]} == {
        "tests/fixtures/guidelines_tools/report/a.md",
        "tests/fixtures/guidelines_tools/report/b.md",
    }


def sarif_schema() -> dict:
    return json.loads((HERE / "sarif-2.1.0-excerpt.schema.json").read_text(encoding="utf-8"))


def test_sarif_validates_and_has_what_code_scanning_needs(report):
    log = json.loads(render(report, "sarif", siteurl=SITE, root=ROOT))
    jsonschema.Draft7Validator(sarif_schema(), format_checker=jsonschema.FormatChecker()).validate(
        log
    )
    run = log["runs"][0]
    driver = run["tool"]["driver"]
    assert log["version"] == "2.1.0" and driver["name"] == "chorus-guidelines"
    assert driver["version"] == "2.1"
    rules = driver["rules"]
    assert len({r["id"] for r in rules}) == len(rules)
    for result in run["results"]:
        rule = rules[result["ruleIndex"]]
        assert rule["id"] == result["ruleId"]
        assert rule["helpUri"] == f"{SITE}/guidelines/#{rule['id']}"
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        assert not location["artifactLocation"]["uri"].startswith("/")
        assert re.fullmatch(r"[0-9a-f]{32}:\d+", result["partialFingerprints"]["chorusLineHash/v1"])
    levels = {r["ruleId"]: r["level"] for r in run["results"]}
    assert levels == {
        "claims.absolute": "error",
        "claims.best": "warning",
        "pii.email": "error",
        "style.hostile": "note",  # suggestion → note
    }
    email = next(r for r in run["results"] if r["ruleId"] == "pii.email")
    assert email["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 7,
        "startColumn": 16,
    }
    absolute = next(r for r in run["results"] if r["ruleId"] == "claims.absolute")
    region = absolute["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 5, "startColumn": 28, "endLine": 5, "endColumn": 38}
    assert run["columnKind"] == "unicodeCodePoints"


def test_sarif_schema_rejects_a_broken_log(report):
    """The schema fixture is strict enough to catch a mistake (a test that cannot fail is
    no test): a misspelt property and a wrong level both fail."""
    validator = jsonschema.Draft7Validator(sarif_schema())
    log = sarif_log(report, siteurl=SITE, root=ROOT)
    log["runs"][0]["results"][0]["level"] = "suggestion"
    assert not validator.is_valid(log)
    log = sarif_log(report, siteurl=SITE, root=ROOT)
    log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startline"] = 1
    assert not validator.is_valid(log)


def test_sarif_fingerprint_survives_moving_the_line(tmp_path, report):
    """Insert lines above a finding: same fingerprint; change the line's text: a new one."""
    source = (HERE / "report" / "a.md").read_text(encoding="utf-8")
    post = tmp_path / "a.md"
    finding = Finding(str(post), 5, 28, "claims.absolute", "error", "m", "claims")

    def print_of(line: int) -> str:
        moved = Finding(**{**finding.to_dict(), "line": line})
        log = sarif_log(LintReport(findings=[moved]), root=tmp_path)
        return log["runs"][0]["results"][0]["partialFingerprints"]["chorusLineHash/v1"]

    post.write_text(source, encoding="utf-8")
    before = print_of(5)
    post.write_text(source.replace("---\nOur", "---\n\n\nOur"), encoding="utf-8")
    assert print_of(7) == before
    post.write_text(source.replace("the best", "simply the best"), encoding="utf-8")
    assert print_of(5) != before


def test_sarif_tells_identical_lines_apart(tmp_path):
    post = tmp_path / "p.md"
    post.write_text("---\ntitle: t\n---\nbest\nbest\n", encoding="utf-8")
    findings = [Finding(str(post), n, 1, "claims.best", "warning", "m", "claims") for n in (4, 5)]
    log = sarif_log(LintReport(findings=findings), root=tmp_path)
    prints = [r["partialFingerprints"]["chorusLineHash/v1"] for r in log["runs"][0]["results"]]
    assert prints[0] != prints[1]
    assert prints[0].split(":")[0] == prints[1].split(":")[0]


def test_github_annotations_are_escaped(report):
    out = render(report, "github", siteurl=SITE, root=ROOT)
    lines = out.splitlines()
    assert len(lines) == 5  # four annotations and a summary: nothing forged a line
    assert lines[0].startswith(
        "::warning file=tests/fixtures/guidelines_tools/report/a.md,line=5,col=20,"
    )
    assert lines[1] == (
        "::error file=tests/fixtures/guidelines_tools/report/a.md,line=5,col=28,endLine=5,"
        "endColumn=38,title=claims.absolute (Claims we can stand behind)"
        "::Avoid absolute claims like 'guaranteed'.%0ASee https://chorus.test/guidelines/#claims.absolute"
    )
    hostile = next(line for line in lines if "style.hostile" in line)
    assert hostile.startswith(
        "::notice file=tests/fixtures/guidelines_tools/report/b.md,line=5,col=1,"
    )
    assert "title=style.hostile (Style%3A commas%2C colons)::" in hostile
    message = hostile.split("::", 2)[2]
    assert message.startswith("100%25 [bold]sure[/bold]: a, b%0D%0Aforged::error file=x::boom")
    assert "\r" not in out and out.count("\n") == 5


@pytest.mark.parametrize(
    ("raw", "data", "prop"),
    [
        ("50%", "50%25", "50%25"),
        ("a\r\nb", "a%0D%0Ab", "a%0D%0Ab"),
        ("k: v, w", "k: v, w", "k%3A v%2C w"),
        ("%0A", "%250A", "%250A"),  # an already-encoded sequence is not decoded by GitHub
    ],
)
def test_github_escaping_rules(raw, data, prop):
    assert escape_data(raw) == data
    assert escape_property(raw) == prop


def test_human_groups_by_file_with_section_and_link(report):
    out = render(report, "human", siteurl=SITE, root=ROOT)
    a = out.index("tests/fixtures/guidelines_tools/report/a.md")
    b = out.index("tests/fixtures/guidelines_tools/report/b.md")
    assert a < out.index("claims.absolute") < b < out.index("style.hostile")
    assert out.count("tests/fixtures/guidelines_tools/report/a.md") == 1  # one header per file
    assert "Guidelines › Claims we can stand behind" in out
    assert f"{SITE}/guidelines/#pii.email" in out
    assert "(suggested: very good)" in out
    assert "2 errors, 1 warning, 1 suggestion in 2 of 3 file(s) checked" in out
    # markup and control characters in a message are shown, never interpreted
    assert "[bold]sure[/bold]" in out
    assert "\x1b" not in out and "\\x1b[31mred" in out
    assert "\r" not in out


def test_human_colours_levels_when_asked(report):
    coloured = human_render(report, siteurl=SITE, root=ROOT, color=True)
    assert "\x1b[1;31merror" in coloured  # bold red
    assert "\x1b[33mwarning" in coloured


def test_clean_report_says_so():
    out = render(LintReport(files=12, guidelines_version="2.1"), "human")
    assert "0 errors, 0 warnings, 0 suggestions in 0 of 12 file(s) checked" in out
    assert "nothing to fix" in out
    assert json.loads(render(LintReport(files=2), "json"))["exit_code"] == 0
    assert render(LintReport(files=2), "github").startswith("chorus lint: 0 error(s)")
