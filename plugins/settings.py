"""Where the plugins used to find ChorusSettings; it lives in core/settings.py now, so the
cross-posting run can read the same declarations without importing a plugin. Kept only for
plugins/guidelines/hook.py until it imports core.settings."""

from core.settings import NAMES, ChorusSettings, chorus_settings

__all__ = ["NAMES", "ChorusSettings", "chorus_settings"]
