"""Posts: YAML front matter read with line numbers, checked, and given an entry id.

Pelican is imported inside register(): the lint, the scaffold and the people directory use
this package's plain modules (frontmatter, check, audience) without paying for Pelican.
"""


def register() -> None:
    from pelican import signals

    from core.collector import pause_full_collections, resume_full_collections
    from plugins.pipeline import prepare_posts
    from plugins.posts.audience_hook import withhold_static
    from plugins.posts.hotspots import index_taxonomies, remember_relative_paths
    from plugins.posts.reader import add_reader
    from plugins.posts.slugs import check_unique_slugs, set_entry_id
    from plugins.problems import stop_if_problems
    from plugins.writer import flush_queue, get_writer, remember_pages, start_template_cache

    remember_relative_paths()
    signals.readers_init.connect(add_reader)
    signals.article_generator_init.connect(prepare_posts)
    signals.content_object_init.connect(set_entry_id)
    signals.article_generator_finalized.connect(check_unique_slugs)
    signals.article_generator_finalized.connect(index_taxonomies)
    signals.static_generator_finalized.connect(withhold_static)
    signals.all_generators_finalized.connect(stop_if_problems)
    signals.initialized.connect(start_template_cache)
    signals.initialized.connect(pause_full_collections)
    signals.get_writer.connect(get_writer)
    signals.finalized.connect(flush_queue)  # first: the other finalized steps read the output
    signals.finalized.connect(remember_pages)
    signals.finalized.connect(resume_full_collections)  # last: after every write
