"""The Guidelines page's data kept in the cache folder (page.cached_view): the same view as
guidelines_view(), made again when the guidelines change or the file is damaged, and the
rules are not prepared to describe them."""

from __future__ import annotations

import shutil

from plugins.guidelines import page
from plugins.guidelines.config import load_guidelines, parse_guidelines
from plugins.guidelines.page import cached_view, guidelines_view
from tests.conftest import FIXTURES, ROOT

SITE_GUIDELINES = FIXTURES / "guidelines_tools" / "site" / "guidelines.yaml"


def _counting(monkeypatch) -> list[bool]:
    made: list[bool] = []
    real = page.guidelines_view

    def view(guidelines, show_confidential=False):
        made.append(show_confidential)
        return real(guidelines, show_confidential)

    monkeypatch.setattr(page, "guidelines_view", view)
    return made


def test_a_second_call_takes_the_view_from_the_folder(tmp_path, monkeypatch):
    made = _counting(monkeypatch)
    guidelines = load_guidelines(SITE_GUIDELINES)
    first = cached_view(guidelines, True, tmp_path)
    again = cached_view(load_guidelines(SITE_GUIDELINES), True, tmp_path)
    assert first == again == guidelines_view(guidelines, True)
    assert made == [True]
    cached_view(guidelines, False, tmp_path)  # the public page is another view
    assert made == [True, False]


def test_an_edit_or_a_damaged_file_makes_it_again(tmp_path, monkeypatch):
    made = _counting(monkeypatch)
    mine = tmp_path / "guidelines.yaml"
    shutil.copy(SITE_GUIDELINES, mine)
    folder = tmp_path / "cache"
    cached_view(load_guidelines(mine), True, folder)
    (stored,) = folder.glob("guidelines-view-*.pickle")
    stored.write_bytes(b"not a pickle")
    assert cached_view(load_guidelines(mine), True, folder) == guidelines_view(
        load_guidelines(mine), True
    )
    mine.write_text(mine.read_text().replace('version: "1.2"', 'version: "1.3"'))
    assert cached_view(load_guidelines(mine), True, folder).version == "1.3"
    # the earlier version's file stays beside it (at most KEEP of them: make_room)
    assert len(made) == 3 and len(list(folder.glob("guidelines-view-*.pickle"))) == 2


def test_no_folder_means_no_cache(tmp_path, monkeypatch):
    made = _counting(monkeypatch)
    guidelines = load_guidelines(SITE_GUIDELINES)
    cached_view(guidelines, True, None)
    cached_view(guidelines, True, None)
    assert made == [True, True]


def test_describing_the_rules_prepares_no_personal_data_or_secrets_rule():
    path = ROOT / "content" / "guidelines.yaml"
    guidelines = parse_guidelines(str(path), path.read_text(encoding="utf-8"), defer=True)
    eager = load_guidelines(path)
    assert guidelines_view(guidelines, True) == guidelines_view(eager, True)
    kinds = {r.kind for r in guidelines.rules if r.pending is not None}
    assert {"pii", "secrets"} <= kinds  # still to be prepared: no numbering plan loaded
