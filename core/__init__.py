"""The bottom layer: vocabulary every other package may import and that imports none of
them (platform names today). Nothing here knows about Pelican or about cross-posting."""
