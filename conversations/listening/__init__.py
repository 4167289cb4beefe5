"""Listening: what sources and platforms say about us, routed to departments.

`invoke listen` (cli.py, runner.py) reads the feeds and platforms in content/listening.yaml
(sources.py), fetches them (fetch.py; platform APIs through platforms/, which share the
Bluesky helpers with conversations/bluesky.py), deduplicates and matches the watch terms (dedupe.py,
match.py) and writes the snapshot (plugins/listening/snapshot.py) that the build renders.
Nothing in plugins/ imports this package: the snapshot file is the contract. (Not a
top-level `listening/`: Pelican looks a plugin such as `plugins.listening` up by its last
name in PLUGIN_PATHS, so a top-level folder of that name would be loaded instead.)
"""
