"""People: the directory, a profile per person, departments with their people."""

from pelican import signals

from plugins.people.pages import PeopleGenerator, attach_people, load


def get_generators(_pelican):
    return PeopleGenerator


def register() -> None:
    signals.initialized.connect(load)
    signals.article_generator_finalized.connect(attach_people)
    signals.get_generators.connect(get_generators)
