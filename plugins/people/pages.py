"""Pelican glue for the people directory: load it once, hand it to templates, write pages."""

from __future__ import annotations

import os
from collections import defaultdict
from pathlib import Path

from pelican.generators import Generator

from core.feeds import feed_paths
from core.settings import chorus_settings
from plugins.people.cards import CardContext, write_cards
from plugins.people.directory import Directory, load_directory
from plugins.people.photos import make_photo
from plugins.problems import ContentError, record
from plugins.run import run_of


def load(pelican, photos: bool = True) -> None:
    """At start-up, before any post is read: readers check `author:` against it.
    `photos`: make the signature photos the cards carry (the preview, which writes no
    card, says False: rendering the demo site's eleven avatars took it 0.1 s)."""
    s = pelican.settings
    directory = load_directory(
        s["PATH"], chorus_settings(s).PEOPLE_PATH, chorus_settings(s).DEPARTMENTS_FILE
    )
    for error in directory.errors:
        record(s, error)
    for error in attach_photos(directory, Path(s["PATH"])) if photos else ():
        record(s, error)
    for person in directory.people.values():
        person.feeds = feed_paths("people", person.handle)
    for dept in directory.departments.values():
        dept.feeds = feed_paths("departments", dept.slug)
    run_of(s).directory = directory


def attach_photos(directory: Directory, content: Path) -> list[ContentError]:
    """Make every person's signature photo now, while content is read: a broken image is
    reported with the other content problems (and stops the build like them), not found
    halfway through writing. An avatar given as a URL, or a file that is not there, is
    left alone: the cards then show initials."""
    errors = []
    for person in directory.people.values():
        source = content / person.avatar if person.avatar else None
        if source is None or "://" in person.avatar or not source.is_file():
            continue
        if not source.resolve().is_relative_to(content.resolve()):  # "../../x.png"
            line = _field_line(Path(person.path), "avatar")
            errors.append(ContentError(person.path, line, "'avatar' must be a file in content/"))
            continue
        try:
            person.photo = make_photo(source, person.handle)
        except ContentError as exc:
            errors.append(exc)
    return errors


def _field_line(path: Path, key: str) -> int | None:
    """The line of a top-level `key:` in a people file (the directory keeps no lines)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next((n for n, text in enumerate(lines, 1) if text.startswith(f"{key}:")), None)


def attach_people(generator) -> None:
    """Give each post its Person and Department, and templates the whole directory."""
    directory = run_of(generator.settings).directory
    posts_by_person = defaultdict(list)
    department_post_counts: dict[str, int] = defaultdict(int)
    for article in generator.articles:
        person = directory.people.get(str(article.author))
        article.person = person
        article.department = directory.departments.get(article.category.slug)
        posts_by_person[str(article.author)].append(article)
        department_post_counts[article.category.slug] += 1
    for article in generator.drafts:
        article.person = directory.people.get(str(article.author))
        article.department = directory.departments.get(article.category.slug)
    generator.context.update(
        people=directory.people,
        departments=directory.departments,
        posts_by_person=dict(posts_by_person),
        # counts, not the posts: a page printing a count is not re-rendered on every edit
        department_post_counts=dict(department_post_counts),
        feeds_all=feed_paths("all"),
    )


def card_context(settings: dict, directory, person) -> CardContext:
    """Signatures and vCards are copied out of the site, so every link in them is absolute."""
    org = chorus_settings(settings).ORGANIZATION
    return CardContext(
        siteurl=str(settings.get("SITEURL", "")).rstrip("/"),
        org_name=org.get("name") or settings.get("SITENAME", ""),
        department_name=directory.departments[person.department].name,
    )


class PeopleGenerator(Generator):
    """Writes people/ (the directory, by department) and people/<handle>/ (profiles)."""

    def generate_output(self, writer) -> None:
        directory = run_of(self.settings).directory
        posts_by_person = self.context.get("posts_by_person", {})
        people_url = "people/"
        writer.write_file(
            os.path.join(people_url, "index.html"),
            self.get_template("people"),
            self.context,
            relative_urls=self.settings["RELATIVE_URLS"],
            page_name="people/index",
            url=people_url,
        )
        template = self.get_template("person")
        for person in directory.people.values():
            writer.write_file(
                os.path.join(person.url, "index.html"),
                template,
                self.context,
                relative_urls=self.settings["RELATIVE_URLS"],
                person=person,
                department=directory.departments[person.department],
                articles=posts_by_person.get(person.handle, []),
                page_name=person.url + "index",
                url=person.url,
            )
            write_cards(
                Path(self.output_path), person, card_context(self.settings, directory, person)
            )
