"""Pelican finds a plugin such as `plugins.listening` by its last name in PLUGIN_PATHS
(importlib PathFinder.find_spec with the dotted name), so a top-level folder or module of
that name (a `listening/` beside `plugins/`) would be loaded in the plugin's place, and the
build would lose the plugin without failing. Every plugin must resolve to its own folder."""

from __future__ import annotations

import importlib.machinery
import importlib.util
from pathlib import Path

import pytest

from core.settings import load_settings
from tests.conftest import ROOT

SETTINGS = load_settings(ROOT / "pelicanconf.py")


@pytest.mark.parametrize("plugin", SETTINGS["PLUGINS"])
def test_each_plugin_is_found_where_it_lives(plugin):
    # pelican.plugins._utils.load_legacy_plugin: PLUGIN_PATHS first, then a normal import
    spec = importlib.machinery.PathFinder.find_spec(plugin, SETTINGS["PLUGIN_PATHS"])
    spec = spec or importlib.util.find_spec(plugin)
    expected = ROOT.joinpath(*plugin.split("."))
    found = Path(spec.origin).parent if spec and spec.origin else None
    assert found == expected, f"{plugin} would be loaded from {found}, not {expected}"
