"""`invoke new`: start a post in the right place, with front matter the build accepts.

The scaffold is the first thing a new writer touches, so every refusal is one line that says
what to do next (which handle they probably meant, which file is already there), and the file
it writes is checked with the reader and the front-matter schema the build uses
(plugins/posts/check.py) before it reaches the disk.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import re
import runpy
import sys
import unicodedata
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from plugins.people.directory import load_directory
from plugins.posts.check import check_file
from plugins.posts.frontmatter import split
from plugins.problems import ContentError

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
COMMAND = "invoke new"  # where argument problems "are": there is no file to point at yet
MAX_SLUG = 60  # a URL people can read aloud; the title itself can be as long as it likes

# Letters that NFKD leaves alone because they are not "letter + accent" in Unicode.
_EXTRA_ASCII = str.maketrans(
    {
        "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ß": "ss", "æ": "ae",
        "Æ": "AE", "œ": "oe", "Œ": "OE", "þ": "th", "Þ": "Th", "ð": "d", "Ð": "D", "ı": "i",
        "&": " and ", "'": "", "\u2019": "",  # "Zoë's" is one word: zoes, not zoe-s
    }
)  # fmt: skip

BODY_HINT = """\
Write your post here, in Markdown. Start with the one thing you want readers to remember.

## A heading for the first part

Short paragraphs, lists for steps or numbers, **bold** for the few words that matter.
Link to sources with https:// addresses, and describe every image for people who cannot
see it. Before you publish: add 2-4 tags and a one-sentence summary above, then change
`status: draft` to `status: published`.
"""


def slugify(title: str) -> str:
    """ASCII, lowercase, hyphen-separated: the slug becomes the file name and the URL,
    so it must survive every filesystem, shell and link shortener unchanged."""
    text = unicodedata.normalize("NFKD", title.translate(_EXTRA_ASCII))
    text = text.encode("ascii", "ignore").decode("ascii").lower()
    words = re.findall(r"[a-z0-9]+", text)
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > MAX_SLUG:
            break
        slug = candidate
    return slug or "-".join(words)[:MAX_SLUG].strip("-")


@functools.cache
def site_timezone(settings_file: Path = ROOT / "pelicanconf.py") -> str:
    """The TIMEZONE from pelicanconf.py: one place decides what local time means."""
    return str(runpy.run_path(str(settings_file)).get("TIMEZONE") or "UTC")


def new_post(
    title: str,
    author: str,
    content: str | Path = CONTENT,
    now: dt.datetime | None = None,
    *,
    slug: str | None = None,
    timezone: str | None = None,
) -> Path:
    """Create content/posts/<author's department>/<slug>.md as a draft; return its path.

    Refuses (ContentError, one line) an empty title, an unknown author, a title with no
    letters to make a file name from, and a slug that any post already uses: Pelican would
    let the second post overwrite the first.
    """
    content = Path(content)
    title = " ".join("".join(ch for ch in str(title) if ch.isprintable() or ch.isspace()).split())
    if not title:
        raise ContentError(COMMAND, None, 'the title is empty: invoke new --author HANDLE "Title"')
    directory = load_directory(content)
    person = _find_author(directory, content, author)
    slug = slugify(slug if slug is not None else title)
    if not slug:
        raise ContentError(
            COMMAND,
            None,
            f"cannot make a file name from the title '{title}': add --slug some-words-in-ascii",
        )
    posts = content / "posts"
    taken = sorted(posts.glob(f"*/{slug}.md")) if posts.is_dir() else []
    path = posts / person.department / f"{slug}.md"
    if taken:
        raise ContentError(
            str(taken[0]),
            None,
            "a post with this file name already exists: edit it, or choose another title"
            " (or --slug)",
        )
    tz = _zone(timezone or site_timezone())
    if now is None:
        now = dt.datetime.now(tz)
    elif now.tzinfo is not None:
        now = now.astimezone(tz)  # a naive `now` is taken to be site-local already
    text = render(title, author, now)
    # The reader and schema the build uses; a failure here is our bug, not theirs.
    problems = check_file(
        split(str(path), text), ("posts", person.department, path.name), directory, {}
    )
    if problems:
        raise problems[0]
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with open(path, "x", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    except FileExistsError:  # created between our check and now
        raise ContentError(str(path), None, "this file already exists: edit it instead") from None
    return path


def render(title: str, author: str, when: dt.datetime) -> str:
    """The new file's text. The title goes through yaml.safe_dump, so a colon, a quote or a
    leading '@' in it stays part of the title instead of breaking the front matter."""
    return (
        "---\n"
        f"title: {_yaml_scalar(title)}\n"
        f"date: {when:%Y-%m-%d %H:%M}\n"
        f"author: {author}\n"
        "tags: []\n"
        'summary: ""\n'
        "status: draft\n"
        "---\n"
        f"{BODY_HINT}"
    )


def _yaml_scalar(value: str) -> str:
    dumped = yaml.safe_dump(value, allow_unicode=True, width=2**31, default_flow_style=True)
    return dumped.removesuffix("\n").removesuffix("\n...").strip()


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ContentError(
            "pelicanconf.py", None, f"TIMEZONE '{name}' is not a known time zone"
        ) from None


def _find_author(directory, content: Path, author: str):
    """The author's Person, or a refusal that names the handle they most likely meant."""
    author = (author or "").strip()
    if not directory.departments and directory.errors:
        raise directory.errors[0]
    if not author:
        raise ContentError(COMMAND, None, "say who you are: --author HANDLE; " + _known(directory))
    person = directory.people.get(author)
    if person is not None:
        return person
    own_file = content / "people" / f"{author}.yaml"
    for error in directory.errors:  # their file exists but is broken: show that problem
        if Path(error.path) == own_file:
            raise error
    raise ContentError(
        COMMAND,
        None,
        f"unknown author '{author}': no file content/people/{author}.yaml; "
        + _suggest(author, directory),
    )


def _suggest(author: str, directory) -> str:
    handles = sorted(directory.people)
    wanted = author.casefold().lstrip("@")
    close = [h for h in handles if h.startswith(wanted) or h.split(".")[0] == wanted]
    close += difflib.get_close_matches(wanted, handles, n=3, cutoff=0.6)
    names = {  # people type their name more often than their handle
        slugify(p.name).replace("-", ""): h for h, p in directory.people.items()
    }
    close += [names[n] for n in difflib.get_close_matches(slugify(author).replace("-", ""), names)]
    close = list(dict.fromkeys(close))[:3]
    if close:
        return "did you mean " + " or ".join(close) + "?"
    return _known(directory)


def _known(directory) -> str:
    handles = sorted(directory.people)
    shown = ", ".join(handles[:8]) + (", …" if len(handles) > 8 else "")
    return f"known handles: {shown}" if handles else "content/people/ has nobody yet"


def cli(title: str, author: str, content: str | Path = CONTENT, slug: str | None = None) -> int:
    """What `invoke new` runs: the new file's path on stdout, or one line on stderr."""
    try:
        path = new_post(title, author, content, slug=slug)
    except ContentError as exc:
        shown = exc.format(str(ROOT)) if Path(exc.path).is_absolute() else exc.format()
        print(shown, file=sys.stderr)
        return 1
    try:
        shown_path = path.resolve().relative_to(Path.cwd())
    except ValueError:
        shown_path = path
    print(shown_path)
    return 0
