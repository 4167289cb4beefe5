"""Raw HTML in posts and pages through nh3 (see clean.py for the policy and why)."""

from pelican import signals

from plugins.sanitize.clean import sanitize_html
from plugins.sanitize.hook import sanitize_content

__all__ = ["register", "sanitize_html"]


def register() -> None:
    signals.content_object_init.connect(sanitize_content)
