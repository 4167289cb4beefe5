"""What a post's front matter must say, checked against the people directory.

This is the one front-matter schema: the build's reader, the guidelines lint, the preview
and `invoke new` all call check_file, so a post that lints clean builds, and a post the
build refuses is a lint error at the same line. The guidelines add the organization's own
rules on top (a summary, tags…), never a second opinion on these.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence

from core.platforms import NAMES as PLATFORMS
from plugins.people.directory import HANDLE, Directory
from plugins.posts.audience import AUDIENCES
from plugins.posts.frontmatter import STATUSES, Post, parse_date
from plugins.posts.slugs import page_slug_error
from plugins.posts.source import department_of
from plugins.problems import ContentError

POST_FIELDS = {
    "title", "date", "modified", "author", "tags", "summary", "image", "image_alt",
    "syndicate", "syndication_text", "status", "retraction_reason", "audience", "department",
    "slug", "lang",
}  # fmt: skip


SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")  # a slug is a folder name in every URL


def show(value: object, limit: int = 60) -> str:
    """A value quoted for a message, cut short: an error line must stay readable even when
    someone pasted a paragraph (or an attack) into a field."""
    text = " ".join(str(value).split())
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f"'{text}'"


def did_you_mean(value: object, choices: Sequence[str]) -> str:
    """'; did you mean x?' for a typo close to a known name, else ''. A misspelt handle or
    department is the usual cause of these errors, and the list of every known name hides
    the one the author meant."""
    if not isinstance(value, str):
        return ""
    wanted = value.strip().casefold().lstrip("@")
    close = difflib.get_close_matches(wanted, [c.casefold() for c in choices], n=3, cutoff=0.6)
    named = {c.casefold(): c for c in choices}
    return f"; did you mean {' or '.join(named[c] for c in close)}?" if close else ""


def check_post(
    post: Post, directory: Directory, folder_department: str | None
) -> list[ContentError]:
    """Every problem in one post's front matter, each at its line."""
    meta, errors = post.meta, []

    def err(key: str, message: str) -> None:
        errors.append(ContentError(post.path, post.line_of(key), message))

    for key in sorted(set(meta) - POST_FIELDS):
        err(key, f"unknown field '{key}' (known: {', '.join(sorted(POST_FIELDS))})")
    title = meta.get("title")
    if title is None or (isinstance(title, str) and not title.strip()):
        err("title", "'title' is required")
    elif not isinstance(title, str | int | float):
        err("title", "'title' must be text; put it in quotes")
    if "date" not in meta:
        err("date", "'date' is required (for example: date: 2026-11-20 09:30)")
    elif parse_date(meta["date"]) is None:
        err("date", f"{show(meta['date'])} is not a date; write YYYY-MM-DD or YYYY-MM-DD HH:MM")
    if "modified" in meta and parse_date(meta["modified"]) is None:
        err("modified", f"{show(meta['modified'])} is not a date; write YYYY-MM-DD HH:MM")
    author = meta.get("author")
    if not author:
        err("author", "'author' is required: your handle from content/people/")
    elif not isinstance(author, str) or not HANDLE.match(author):
        err("author", f"'author' must be one handle, like maria.lopez, not {show(author)}")
    elif author not in directory.people and author not in directory.broken:
        err(
            "author",
            f"unknown author '{author}': no file content/people/{author}.yaml"
            + did_you_mean(author, sorted(directory.people)),
        )
    slug = meta.get("slug")
    if slug is not None and (not isinstance(slug, str) or not SLUG.match(slug)):
        err("slug", f"'slug' may use a-z, 0-9 and '-' only, not {show(slug)}")
    department = meta.get("department", folder_department)
    if not directory.departments:
        pass  # content/departments.yaml is broken and already reported; no cascade
    elif department is None:
        err(
            "department",
            "a post belongs in a department folder, content/posts/<department>/"
            f" (known: {', '.join(sorted(directory.departments))})",
        )
    elif not isinstance(department, str) or department not in directory.departments:
        err(
            "department",
            f"unknown department {show(department)}"
            + did_you_mean(department, sorted(directory.departments))
            + f" (known: {', '.join(sorted(directory.departments))})",
        )
    status = meta.get("status", "published")
    if status not in STATUSES:
        err("status", f"'status' must be one of {', '.join(STATUSES)}, not {show(status)}")
    reason = meta.get("retraction_reason")
    if status == "retracted" and not (isinstance(reason, str) and reason.strip()):
        err(
            "status",
            "a retracted post needs 'retraction_reason:': one or two sentences readers see "
            "instead of the post",
        )
    elif reason is not None and status != "retracted":
        err("retraction_reason", "'retraction_reason' is only for 'status: retracted'")
    audience = meta.get("audience")
    if audience is not None and audience not in AUDIENCES:
        err("audience", f"'audience' must be one of {', '.join(AUDIENCES)}, not {show(audience)}")
    tags = meta.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str | int) for t in tags):
        err("tags", "'tags' must be a list, for example: tags: [hiring, warehouse]")
    elif not all(re.search(r"\w", str(t)) for t in tags):
        err("tags", "a tag needs at least one letter or digit (an empty tag has no page)")
    for key in ("summary", "image", "image_alt"):
        if key in meta and meta[key] is not None and not isinstance(meta[key], str):
            err(key, f"'{key}' must be text")
    if meta.get("image") and not meta.get("image_alt"):
        err("image", "an image needs 'image_alt': describe it for people who cannot see it")
    syndicate = meta.get("syndicate")
    if syndicate is not None:
        if not isinstance(syndicate, list):
            err("syndicate", "'syndicate' must be a list of platforms, or [] for none")
        else:
            for platform in syndicate:
                if platform not in PLATFORMS:
                    err(
                        "syndicate",
                        f"unknown platform {show(platform)}{did_you_mean(platform, PLATFORMS)}"
                        f" (known: {', '.join(PLATFORMS)})",
                    )
    texts = meta.get("syndication_text")
    if texts is not None:
        if not isinstance(texts, dict):
            err("syndication_text", "'syndication_text' must map a platform to its text")
        else:
            for platform in texts:
                if platform not in PLATFORMS:
                    err(
                        "syndication_text",
                        f"unknown platform {show(platform)}{did_you_mean(platform, PLATFORMS)}"
                        f" (known: {', '.join(PLATFORMS)})",
                    )
    return errors


def is_page(rel: Sequence[str], settings: dict) -> bool:
    return bool(rel) and rel[0] in settings.get("PAGE_PATHS", ())


def check_file(
    post: Post, rel: Sequence[str], directory: Directory, settings: dict
) -> list[ContentError]:
    """Every problem the build would refuse a content file for. `rel` is the file's path
    under content/ in parts (("posts", "hr", "x.md")); `settings` are the Pelican settings
    (PAGE_PATHS, and the sections a page may not be named after)."""
    if is_page(rel, settings):
        errors = check_page(post)
        clash = page_slug_error(post.path, post.meta, post.line_of("slug"), settings)
        return [*errors, clash] if clash else errors
    return check_post(post, directory, department_of(rel, {}))


def check_page(post: Post) -> list[ContentError]:
    errors = []
    title = post.meta.get("title")
    if not isinstance(title, str) or not title.strip():
        errors.append(ContentError(post.path, post.line_of("title"), "'title' is required"))
    slug = post.meta.get("slug")
    if slug is not None and (not isinstance(slug, str) or not SLUG.match(slug)):
        message = f"'slug' may use a-z, 0-9 and '-' only, not {show(slug)}"
        errors.append(ContentError(post.path, post.line_of("slug"), message))
    return errors
