"""Guidelines: the organization's social-media guidelines as code.

The engine (config, engine, rules, approvals) is plain Python and runs without Pelican; the
command line is cli.py (`python -m plugins.guidelines`). This register() only plugs the
build gate and the Guidelines page into Pelican. Pelican is imported inside it so that the
lint, which imports this package, starts without paying for Pelican.
"""


def register() -> None:
    from pelican import signals

    from plugins.guidelines.hook import gate_articles, get_generators, guard_output, load

    signals.initialized.connect(load)
    signals.article_generator_finalized.connect(gate_articles)
    signals.get_generators.connect(get_generators)
    signals.finalized.connect(guard_output)
