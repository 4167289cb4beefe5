"""What a post's front matter must say, checked against the people directory.

These are build errors (the post cannot be built sensibly without them); the guidelines
lint (issue 3) adds the organization's own rules on top.
"""

from __future__ import annotations

from plugins.people.directory import Directory
from plugins.posts.frontmatter import STATUSES, Post, parse_date
from plugins.problems import ContentError
from syndication import PLATFORMS

POST_FIELDS = {
    "title", "date", "modified", "author", "tags", "summary", "image", "image_alt",
    "syndicate", "syndication_text", "status", "department", "slug", "lang",
}  # fmt: skip


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
    if not isinstance(title, str) or not title.strip():
        err("title", "'title' is required")
    if "date" not in meta:
        err("title", "'date' is required (for example: date: 2026-11-20 09:30)")
    elif parse_date(meta["date"]) is None:
        err("date", f"'{meta['date']}' is not a date; write YYYY-MM-DD or YYYY-MM-DD HH:MM")
    if "modified" in meta and parse_date(meta["modified"]) is None:
        err("modified", f"'{meta['modified']}' is not a date; write YYYY-MM-DD HH:MM")
    author = meta.get("author")
    if not author:
        err("title", "'author' is required: your handle from content/people/")
    elif not isinstance(author, str) or author not in directory.people:
        err("author", f"unknown author '{author}': no file content/people/{author}.yaml")
    department = meta.get("department", folder_department)
    if department not in directory.departments:
        err(
            "department",
            f"unknown department '{department}' (known: {', '.join(sorted(directory.departments))})",
        )
    status = meta.get("status", "published")
    if status not in STATUSES:
        err("status", f"status must be one of {', '.join(STATUSES)}, not '{status}'")
    tags = meta.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str | int) for t in tags):
        err("tags", "'tags' must be a list, for example: tags: [hiring, warehouse]")
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
                        f"unknown platform '{platform}' (known: {', '.join(PLATFORMS)})",
                    )
    texts = meta.get("syndication_text")
    if texts is not None:
        if not isinstance(texts, dict):
            err("syndication_text", "'syndication_text' must map a platform to its text")
        else:
            for platform in texts:
                if platform not in PLATFORMS:
                    err("syndication_text", f"unknown platform '{platform}'")
    return errors


def check_page(post: Post) -> list[ContentError]:
    title = post.meta.get("title")
    if not isinstance(title, str) or not title.strip():
        return [ContentError(post.path, post.line_of("title"), "'title' is required")]
    return []
