"""Chorus' own settings are declared once (plugins/settings.py), each with a default and a
docstring, and no plugin repeats a default of its own."""

from __future__ import annotations

import ast
import itertools
import re
from pathlib import Path

from core.settings import load_settings
from plugins.settings import NAMES, ChorusSettings, chorus_settings

ROOT = Path(__file__).resolve().parents[1]


def test_every_setting_has_a_docstring():
    tree = ast.parse((ROOT / "plugins" / "settings.py").read_text(encoding="utf-8"))
    cls = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "ChorusSettings")
    documented = {
        here.target.id
        for here, after in itertools.pairwise(cls.body)
        if isinstance(here, ast.AnnAssign)
        and isinstance(after, ast.Expr)
        and isinstance(after.value, ast.Constant)
        and isinstance(after.value.value, str)
    }
    assert set(NAMES) <= documented


def test_defaults_and_conversions():
    assert chorus_settings({}) == ChorusSettings()
    given = chorus_settings({"EMBED_HOSTS": ["a.example"], "CHORUS_PARALLEL_MIN": "10"})
    assert given.EMBED_HOSTS == ("a.example",) and given.CHORUS_PARALLEL_MIN == 10


def test_the_settings_files_set_only_declared_values():
    dev = chorus_settings(load_settings(ROOT / "pelicanconf.py"))
    publish = chorus_settings(load_settings(ROOT / "publishconf.py"))
    assert dev.CHORUS_DRAFTS and not publish.CHORUS_DRAFTS
    assert (dev.GUIDELINES_GATE, publish.GUIDELINES_GATE) == ("dev", "publish")
    assert "email" in dev.SHARE_PLATFORMS


def test_no_plugin_repeats_a_default():
    pattern = re.compile(r"settings(?:\.get\(|\[)\"(" + "|".join(NAMES) + r")\"")
    offenders = [
        f"{path.relative_to(ROOT)}: {m.group(0)}"
        for folder in ("plugins", "chorus")
        for path in (ROOT / folder).rglob("*.py")
        if path.name != "settings.py"
        for m in pattern.finditer(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
