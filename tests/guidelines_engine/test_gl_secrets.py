"""The `secrets` kind against published scanner samples (tests/fixtures/detection/), and
where authors paste secrets: front matter, link URLs, image alt text."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.detection import chorus_scanner, measure, totals
from plugins.guidelines.config import load_guidelines
from plugins.guidelines.kinds import KINDS
from plugins.guidelines.post import load_post

ROOT = Path(__file__).resolve().parents[2]

TOKEN = "ghp_Xq8kT2mWv9Lr4Bn7Yc3Hd6Jf1Gs5Pz0Ua2Ke"


@pytest.fixture(scope="module")
def rule():
    return load_guidelines(ROOT / "content" / "guidelines.yaml").rule("secrets.credentials")


def test_corpus_recall_and_false_positives():
    recall, false_positives = totals(measure(chorus_scanner()))
    assert recall >= 0.95, f"recall {recall:.1%}"
    assert false_positives <= 0.03, f"false positives {false_positives:.1%}"


def _findings(rule, tmp_path, text: str):
    path = tmp_path / "post.md"
    path.write_text(text)
    return list(KINDS["secrets"].check(rule, load_post(path), None))


FRONT = "---\ntitle: Our deploy\ndate: 2026-11-20 09:30\n{extra}---\n{body}\n"


@pytest.mark.parametrize(
    ("extra", "body", "line"),
    [
        (f"summary: the token {TOKEN} is gone\n", "Hello.", 4),
        ("", f"See [the build](https://ci.example.org/run?token={TOKEN}).", 5),
        ("", f"![screenshot showing {TOKEN}](/images/ci.png)", 5),
        ("", "<!-- old: postgres://app:Vn3kP8qRt2Zw@db.internal/app -->", 5),
        ("", "```env\nDB_PASSWORD=Vn3kP8qRt2Zw!\n```", 6),
    ],
    ids=["front-matter", "link-url", "image-alt", "html-comment", "code-block"],
)
def test_found_wherever_it_is_pasted(rule, tmp_path, extra, body, line):
    found = _findings(rule, tmp_path, FRONT.format(extra=extra, body=body))
    assert [f.line for f in found] == [line]


def test_message_names_the_kind_and_says_rotate(rule, tmp_path):
    (found,) = _findings(rule, tmp_path, FRONT.format(extra="", body=f"Use {TOKEN}."))
    assert "a GitHub token" in found.message and "Rotate it now" in found.message
    assert "git history" in found.message and TOKEN not in found.message


def test_empty_value_does_not_read_the_next_line(rule, tmp_path):
    body = "```ini\npassword=\nhost=Vn3kP8qRt2Zw.internal\n```"
    assert _findings(rule, tmp_path, FRONT.format(extra="", body=body)) == []
