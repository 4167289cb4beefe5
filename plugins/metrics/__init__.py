"""Participation metrics: the Metrics page (SVG charts + tables), metrics.json, metrics.csv.

The numbers are computed by plain functions (collect.py) from what the build already has;
Pelican is imported inside register() so the functions can be used and tested without it.
"""


def register() -> None:
    from pelican import signals

    from plugins.metrics.page import get_generators

    signals.get_generators.connect(get_generators)
