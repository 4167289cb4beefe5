"""Listening: what sources say about us, routed to departments.

`invoke listen` (runner.py, cli.py) fetches the feeds in content/listening.yaml and writes a
snapshot; the build (page.py) renders it as the Listening page and an Atom digest per
department. Pelican is imported inside register() so that every other module is plain
Python, usable and testable without it.
"""


def register() -> None:
    from pelican import signals

    from plugins.listening.page import get_generators

    signals.get_generators.connect(get_generators)
