"""content/listening.yaml: every bad file gives one `file:line: error:` line (one fixture
file per case; its first line says which line and message to expect)."""

from __future__ import annotations

from pathlib import Path

import pytest

from conversations.listening.sources import load_config

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "listening"
CASES = sorted((FIXTURES / "config").glob("*.yaml"))
DEPARTMENTS = {"marketing", "support", "product", "sales", "hr", "warehouse", "it", "finance"}
DEMO = Path(__file__).resolve().parents[2] / "content" / "listening.yaml"


def expectation(path: Path) -> tuple[int, str]:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    line, message = first.removeprefix("# expect: ").split(": ", 1)
    return int(line), message


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_bad_config_is_one_located_line(path: Path):
    line, message = expectation(path)
    config = load_config(path, DEPARTMENTS)
    shown = [e.format() for e in config.errors]
    assert len(shown) == 1, shown
    assert shown[0].startswith(f"{path}:{line}: error: "), shown
    assert message in shown[0]
    assert "\n" not in shown[0]


def test_missing_file_is_an_error_not_an_exception(tmp_path):
    config = load_config(tmp_path / "nope.yaml")
    assert [e.format() for e in config.errors] == [f"{tmp_path / 'nope.yaml'}: error: no such file"]


def test_demo_config_is_clean_and_complete():
    config = load_config(DEMO, DEPARTMENTS)
    assert config.errors == []
    assert {s.kind for s in config.sources} == {"industry", "competitor", "community", "news"}
    names = {t.term: t for t in config.terms}
    assert names["Alder & Finch"].aliases[0] == "Alder & Finch"
    assert "Alder and Finch" in names["Alder & Finch"].aliases
    # `term:` given as a list: the first spelling is the name
    assert names["Finch secateurs"].aliases == ("Finch secateurs", "Finch pruners")
    for source in config.sources:  # the demo works offline: every source is a shipped file
        assert (config.base_dir / source.url).is_file(), source.url


def test_term_list_and_timeout(tmp_path):
    path = tmp_path / "l.yaml"
    path.write_text(
        "sources:\n"
        "  - {name: Slow, url: 'https://slow.test/', kind: news, timeout: 2.5}\n"
        "terms:\n"
        "  - {term: [Alder & Finch, A&F], departments: marketing}\n",
        encoding="utf-8",
    )
    config = load_config(path, None)
    assert config.errors == []
    assert config.sources[0].timeout == 2.5
    assert config.terms[0].aliases == ("Alder & Finch", "A&F")
    assert config.terms[0].departments == ("marketing",)


def test_every_problem_is_reported_at_once(tmp_path):
    path = tmp_path / "l.yaml"
    path.write_text(
        "sources:\n  - {name: A, url: 'x.xml', kind: blog}\n  - {url: y.xml, kind: news}\n"
        "terms:\n  - {term: Alder, departments: [nowhere]}\n",
        encoding="utf-8",
    )
    lines = sorted(e.line for e in load_config(path, DEPARTMENTS).errors)
    assert lines == [2, 3, 5]
