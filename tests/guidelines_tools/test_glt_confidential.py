"""Confidential rules: the lint still names the term to the author, the public page does
not list the terms, the intranet page does, and the output guard finds a term however the
output spells it."""

from __future__ import annotations

from pathlib import Path

from plugins.guidelines.confidential import ON_THE_INTRANET, guards, scan_output
from plugins.guidelines.config import load_guidelines
from plugins.guidelines.engine import lint_files
from plugins.guidelines.page import guidelines_view
from tests.conftest import ROOT

GUIDELINES = ROOT / "content" / "guidelines.yaml"
CODE_NAMES = ["Kestrel", "Blackthorn", "Project Wren", "Wren"]
NOT_AGREED = ["Groenhof Tuincentra", "Van Dijk Hoveniers", "Tuincentrum Linde", "Gemeente Leiden"]


def _descriptions(show: bool) -> dict[str, str]:
    view = guidelines_view(load_guidelines(GUIDELINES), show_confidential=show)
    return {r.id: r.description for s in view.sections for r in s.rules}


def test_the_demo_marks_code_names_and_customers_confidential():
    guidelines = load_guidelines(GUIDELINES)
    assert {g.rule_id for g in guards(guidelines)} == {
        "confidentiality.codenames",
        "customers.consent",
    }
    assert all(not guidelines.rule(g.rule_id).switchable for g in guards(guidelines))


def test_public_page_explains_the_rule_without_its_terms():
    public = _descriptions(show=False)
    for rule in ("confidentiality.codenames", "customers.consent"):
        assert public[rule].endswith(ON_THE_INTRANET)
        assert not any(term in public[rule] for term in CODE_NAMES + NOT_AGREED)
    assert "Oakstone" in public["competitors.disparaging"]  # not confidential: shown


def test_intranet_page_lists_every_term():
    internal = _descriptions(show=True)
    assert all(term in internal["confidentiality.codenames"] for term in CODE_NAMES)
    assert all(term in internal["customers.consent"] for term in NOT_AGREED)


def test_the_lint_still_names_the_term_to_the_author(tmp_path):
    post = ROOT / "tests" / "fixtures" / "guidelines" / "posts" / "product" / "bad-codenames.md"
    report = lint_files(
        [post], load_guidelines(GUIDELINES), content_root=ROOT / "content", workers=1
    )
    messages = [f.message for f in report.findings if f.rule_id == "confidentiality.codenames"]
    assert messages and all(any(t in m for t in CODE_NAMES) for m in messages)


def _site(tmp_path: Path, files: dict[str, bytes | str]) -> Path:
    for name, data in files.items():
        target = tmp_path / "site" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        (target.write_bytes if isinstance(data, bytes) else target.write_text)(data)
    return tmp_path / "site"


def test_guard_finds_terms_in_any_text_file_however_encoded(tmp_path):
    site = _site(
        tmp_path,
        {
            "index.html": "<p>fine</p>\n<p>Meet Kestrel</p>\n",
            "feeds/all.json": '{"t": "Van Dijk\u00a0Hoveniers",\n "h": "Tuincentrum&#32;Linde"}',
            "posts/x/index.html": '<a href="https://x.example/share?text=Project%20Wren">',
            "metrics.csv": "metric,key\nfindings,Groenhof\n",
            "images/logo.png": b"\x89PNG\r\n\x00\x00Kestrel",  # binary: not text output
            "ok.html": "a wren sang; Hoveniersbedrijf Groen & Zn agreed",
        },
    )
    errors = scan_output(site, load_guidelines(GUIDELINES), shown_as="output")
    found = sorted(((e.path, e.line, e.message.split("'")[1]) for e in errors), key=str)
    assert found == [
        ("output/feeds/all.json", 1, "Van Dijk Hoveniers"),  # a no-break space
        ("output/feeds/all.json", None, "Tuincentrum Linde"),  # only once unescaped
        ("output/index.html", 2, "Kestrel"),
        ("output/metrics.csv", 2, "Groenhof"),
        ("output/posts/x/index.html", None, "Project Wren"),
    ]
    assert all("is confidential" in e.message for e in errors)


def test_guard_without_confidential_rules_reads_nothing(tmp_path):
    site = _site(tmp_path, {"index.html": "Kestrel"})
    guidelines = load_guidelines(ROOT / "tests" / "fixtures" / "guidelines" / "guidelines.yaml")
    assert not guards(guidelines)
    assert scan_output(site, guidelines) == []
