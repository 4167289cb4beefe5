"""The Markdown reader: pelican-yaml-metadata's, with located, collected errors."""

from __future__ import annotations

import os
from typing import ClassVar

from pelican.plugins.yaml_metadata.yaml_metadata import YAMLMetadataReader

from plugins.people.directory import Directory
from plugins.posts.check import check_page, check_post
from plugins.posts.frontmatter import read_post
from plugins.posts.slugs import page_slug_error
from plugins.problems import ContentError, record


class ChorusReader(YAMLMetadataReader):
    """Reads `content/posts/<department>/<slug>.md` and `content/pages/*.md`.

    A problem is recorded for chorus.build (which reports all of them, one line each) and
    raised so that Pelican skips the file instead of publishing half of it.
    """

    file_extensions: ClassVar[list[str]] = ["md", "markdown"]

    def read(self, source_path):
        try:
            post = read_post(source_path)
            errors = self._check(post, source_path)
        except ContentError as exc:
            errors = [exc]
        if errors:
            for error in errors:
                record(self.settings, error)
            raise errors[0]
        meta = dict(post.meta)
        if "department" in meta:
            meta["category"] = meta.pop("department")
        metadata = self._parse_yaml_metadata(meta, source_path)
        metadata["source_line"] = post.body_line
        content = self._md.reset().convert(post.body)
        return content, metadata

    def _check(self, post, source_path) -> list[ContentError]:
        rel = os.path.relpath(source_path, self.settings["PATH"]).split(os.sep)
        if rel[0] in self.settings["PAGE_PATHS"]:
            errors = check_page(post)
            clash = page_slug_error(post.path, post.meta, post.line_of("slug"), self.settings)
            return [*errors, clash] if clash else errors
        directory: Directory = self.settings["CHORUS_DIRECTORY"]
        folder = rel[-2] if len(rel) > 2 else None
        return check_post(post, directory, folder)


def add_reader(readers) -> None:
    for ext in ChorusReader.file_extensions:
        readers.reader_classes[ext] = ChorusReader
