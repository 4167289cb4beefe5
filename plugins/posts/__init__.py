"""Posts: YAML front matter read with line numbers, checked, and given an entry id."""

from pelican import signals

from plugins.posts.reader import add_reader
from plugins.posts.slugs import check_unique_slugs, set_entry_id
from plugins.problems import stop_if_problems


def register() -> None:
    signals.readers_init.connect(add_reader)
    signals.content_object_init.connect(set_entry_id)
    signals.article_generator_finalized.connect(check_unique_slugs)
    signals.all_generators_finalized.connect(stop_if_problems)
