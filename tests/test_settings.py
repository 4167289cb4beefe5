"""Chorus' own settings are declared once (core/settings.py), each with a default and a
docstring, and no plugin, tool or engine repeats a default of its own."""

from __future__ import annotations

import ast
import itertools
import re
from pathlib import Path

from core.settings import NAMES, ChorusSettings, chorus_settings, load_settings

ROOT = Path(__file__).resolve().parents[1]


def test_every_setting_has_a_docstring():
    tree = ast.parse((ROOT / "core" / "settings.py").read_text(encoding="utf-8"))
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


PENDING: set[str] = set()  # reads a later change will switch to chorus_settings()


def test_no_plugin_repeats_a_default():
    pattern = re.compile(r"settings(?:\.get\(|\[)\s*\"(" + "|".join(NAMES) + r")\"")
    files = [ROOT / "tasks.py"] + [
        path
        for folder in ("plugins", "chorus", "syndication", "conversations", "bench")
        for path in (ROOT / folder).rglob("*.py")
        if path.relative_to(ROOT).as_posix() != "core/settings.py"
    ]
    offenders = {
        f"{path.relative_to(ROOT).as_posix()}: {m.group(0)}"
        for path in files
        for m in pattern.finditer(path.read_text(encoding="utf-8"))
    }
    assert offenders <= PENDING, sorted(offenders - PENDING)


def test_an_undeclared_chorus_setting_is_not_read():
    """Every upper-case key a Chorus module reads from a settings dict is either declared,
    Pelican's own, or the build's internal state (CHORUS_DIRECTORY and the like)."""
    from pelican.settings import DEFAULT_CONFIG

    pelican = set(DEFAULT_CONFIG) | {"TIMEZONE", "SITESUBTITLE"}  # Pelican's, without a default

    internal = {"CHORUS_DIRECTORY", "CHORUS_GUIDELINES", "CHORUS_PROBLEMS", "CHORUS_LINT_REPORT",
                "CHORUS_LINT_BACKGROUND", "CHORUS_FINAL_OUTPUT", "CHORUS_LEFT_OUT",
                "CHORUS_LEFT_OUT_STATIC", "CHORUS_KEPT_STATIC"}  # fmt: skip
    pattern = re.compile(r"\bsettings(?:\.get\(|\[)\s*\"([A-Z][A-Z0-9_]+)\"")
    unknown = {
        f"{path.relative_to(ROOT).as_posix()}: {key}"
        for folder in ("plugins", "chorus", "syndication", "conversations")
        for path in (ROOT / folder).rglob("*.py")
        for key in pattern.findall(path.read_text(encoding="utf-8"))
        if key not in NAMES and key not in pelican and key not in internal
    }
    assert unknown == set()
