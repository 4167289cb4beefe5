"""Listening in the build: the snapshot `invoke listen` wrote, rendered as the Listening page
and an Atom digest per department.

The listening run itself (listening.yaml, feeds and platform readers, matching, writing the
snapshot) is conversations/listening/, beside the conversations' platform readers: it reads
platforms through their APIs, which no Pelican plugin does. Both share the snapshot's shape
(snapshot.py, parse.Entry) and the nh3 policy (clean.py). Pelican is imported inside
register() so that every other module is plain Python, usable and testable without it.
"""


def register() -> None:
    from pelican import signals

    from plugins.listening.page import get_generators

    signals.get_generators.connect(get_generators)
