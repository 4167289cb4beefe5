"""People: the directory, a profile per person, departments with their people.

Pelican is imported inside register(): the lint, the preview and cross-posting read the
people directory (directory.py) without paying for Pelican.
"""


def get_generators(_pelican):
    from plugins.people.pages import PeopleGenerator

    return PeopleGenerator


def register() -> None:
    from pelican import signals

    from plugins.people.pages import attach_people, load

    signals.initialized.connect(load)
    signals.article_generator_finalized.connect(attach_people)
    signals.get_generators.connect(get_generators)
