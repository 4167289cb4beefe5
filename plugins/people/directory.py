"""The people directory and the departments: plain data loaded from content/, no Pelican.

A person is `content/people/<handle>.yaml`; the handle is the file name and is what a post's
`author:` names. Departments are `content/departments.yaml`, keyed by the folder name under
`content/posts/`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from core.platforms import LABELS as PLATFORM_LABELS
from core.platforms import NAMES as PLATFORMS
from plugins.posts.audience import AUDIENCES
from plugins.problems import ContentError

if TYPE_CHECKING:
    from plugins.people.photos import Photo

HANDLE = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
# credentials are read from CHORUS_* variables only (syndication/credentials.py)
CHANNEL_VAR = re.compile(r"CHORUS_[A-Z0-9_]+")
ACCOUNT_ORDER = ("linkedin", "mastodon", "bluesky", "x", "facebook", "threads", "github", "website")
ACCOUNT_LABELS = {**PLATFORM_LABELS, "github": "GitHub", "website": "Website"}
PERSON_FIELDS = {"name", "department", "title", "bio", "email", "avatar", "accounts", "pronouns"}


@dataclass
class Account:
    platform: str
    label: str
    url: str
    handle: str


@dataclass
class Person:
    handle: str
    name: str
    department: str
    title: str
    bio: str = ""
    email: str = ""
    avatar: str = ""
    pronouns: str = ""
    accounts: list[Account] = field(default_factory=list)
    path: str = ""
    # The avatar as a raster file for signatures and vCards (plugins/people/photos.py);
    # None when there is no local avatar or it could not be read: cards show initials.
    photo: Photo | None = None

    @property
    def url(self) -> str:
        return f"people/{self.handle}/"

    def account(self, platform: str) -> Account | None:
        return next((a for a in self.accounts if a.platform == platform), None)


@dataclass
class Department:
    slug: str
    name: str
    description: str = ""
    syndicate: list[str] = field(default_factory=list)  # default platforms for its posts
    people: list[Person] = field(default_factory=list)
    audience: str = "public"  # its posts' default audience (plugins/posts/audience.py)
    # the NAME of the environment variable holding its channel's webhook URL (the URL is a
    # credential: it never goes in a committed file); "" means CHORUS_WEBHOOK_URL
    channel: str = ""

    @property
    def url(self) -> str:
        return f"departments/{self.slug}/"


@dataclass
class Directory:
    people: dict[str, Person]
    departments: dict[str, Department]
    errors: list[ContentError] = field(default_factory=list)
    # Handles whose file exists but could not be read: their posts are not also "unknown
    # author" (one mistake, one message).
    broken: set[str] = field(default_factory=set)


def account_url(platform: str, value: str) -> tuple[str, str]:
    """Turn what people naturally write (a handle or a URL) into (profile URL, handle)."""
    value = value.strip()
    if value.startswith("https://"):
        return value, value.rstrip("/").rsplit("/", 1)[-1]
    if value.startswith("http://"):
        raise ValueError("profile links must use https://")
    bare = value.lstrip("@")
    if platform == "mastodon":
        user, _, host = bare.partition("@")
        if not user or not host:
            raise ValueError("write a Mastodon account as @user@instance")
        return f"https://{host}/@{user}", f"@{user}@{host}"
    patterns = {
        "linkedin": "https://www.linkedin.com/in/{}",
        "bluesky": "https://bsky.app/profile/{}",
        "x": "https://x.com/{}",
        "facebook": "https://www.facebook.com/{}",
        "threads": "https://www.threads.net/@{}",
        "github": "https://github.com/{}",
    }
    if platform not in patterns:
        raise ValueError("give the full https:// address")
    return patterns[platform].format(bare), ("@" + bare if platform != "bluesky" else bare)


def load_person(path: Path, departments: dict[str, Department] | None) -> Person:
    """Read one people file; raise ContentError at the offending line.

    `departments` is None when content/departments.yaml itself is broken: that is reported
    once, and the person's department is then not checked against it.
    """
    data, lines = _read_yaml(path)
    handle = path.stem
    if not HANDLE.match(handle):
        raise ContentError(
            str(path), 1, f"'{handle}' is not a valid handle: use a-z, 0-9, '.', '-'"
        )
    for key in ("name", "department", "title"):
        if key not in data or data[key] is None or str(data[key]).strip() == "":
            raise ContentError(str(path), lines.get(key, 1), f"'{key}' is required")
        if not isinstance(data[key], str):
            raise ContentError(str(path), lines[key], f"'{key}' must be text")
    unknown = sorted(set(data) - PERSON_FIELDS)
    if unknown:
        raise ContentError(
            str(path),
            lines[unknown[0]],
            f"unknown field '{unknown[0]}' (known: {', '.join(sorted(PERSON_FIELDS))})",
        )
    if departments is not None and data["department"] not in departments:
        raise ContentError(
            str(path),
            lines["department"],
            f"unknown department '{data['department']}' (known: {', '.join(sorted(departments))})",
        )
    accounts = []
    raw_accounts = data.get("accounts") or {}
    if not isinstance(raw_accounts, dict):
        raise ContentError(
            str(path), lines.get("accounts", 1), "'accounts' must be 'platform: handle' lines"
        )
    for platform in raw_accounts:
        if platform not in ACCOUNT_ORDER:
            raise ContentError(
                str(path),
                lines.get(f"accounts.{platform}", lines.get("accounts", 1)),
                f"unknown account platform '{platform}' (known: {', '.join(ACCOUNT_ORDER)})",
            )
    for platform in ACCOUNT_ORDER:
        value = raw_accounts.get(platform)
        if not value:
            continue
        line = lines.get(f"accounts.{platform}", lines.get("accounts", 1))
        if not isinstance(value, str):
            raise ContentError(str(path), line, f"{platform}: write the account as text")
        try:
            url, shown = account_url(platform, value)
        except ValueError as exc:
            raise ContentError(str(path), line, f"{platform}: {exc}") from None
        accounts.append(Account(platform, ACCOUNT_LABELS[platform], url, shown))
    return Person(
        handle=handle,
        name=data["name"].strip(),
        department=data["department"],
        title=data["title"].strip(),
        bio=str(data.get("bio") or "").strip(),
        email=str(data.get("email") or "").strip(),
        avatar=str(data.get("avatar") or "").strip(),
        pronouns=str(data.get("pronouns") or "").strip(),
        accounts=accounts,
        path=str(path),
    )


def _read_yaml(path: Path) -> tuple[dict, dict[str, int]]:
    # Imported here, not at the top: plugins.posts imports this module (readers check
    # authors), so a top-level import would be circular whichever package is loaded first.
    from plugins.posts.frontmatter import parse_yaml, read_text

    return parse_yaml(str(path), read_text(path), what="this file")


def load_departments(path: Path) -> dict[str, Department]:
    data, lines = _read_yaml(path)
    if not data:
        raise ContentError(
            str(path), 1, "no departments: list each folder under content/posts/ with its name"
        )
    departments = {}
    for slug, info in data.items():
        line = lines.get(str(slug), 1)
        if not isinstance(info, dict) or not isinstance(info.get("name"), str):
            raise ContentError(str(path), line, f"department '{slug}' needs a 'name'")
        syndicate = info.get("syndicate") or []
        line = lines.get(f"{slug}.syndicate", line)
        if not isinstance(syndicate, list):
            raise ContentError(str(path), line, "'syndicate' must be a list of platforms")
        bad = [p for p in syndicate if p not in PLATFORMS]
        if bad:
            raise ContentError(
                str(path), line, f"unknown platform '{bad[0]}' (known: {', '.join(PLATFORMS)})"
            )
        audience = info.get("audience", "public")
        if audience not in AUDIENCES:
            raise ContentError(
                str(path),
                lines.get(f"{slug}.audience", lines.get(str(slug), 1)),
                f"'audience' must be one of {', '.join(AUDIENCES)}, not '{audience}'",
            )
        channel = info.get("channel") or ""
        if channel and not (isinstance(channel, str) and CHANNEL_VAR.fullmatch(channel)):
            raise ContentError(
                str(path),
                lines.get(f"{slug}.channel", lines.get(str(slug), 1)),
                "'channel' names the environment variable that holds the webhook URL "
                f"(like CHORUS_WEBHOOK_URL_{str(slug).upper()}), never the URL itself",
            )
        departments[slug] = Department(
            str(slug),
            info["name"],
            str(info.get("description") or ""),
            list(syndicate),
            audience=audience,
            channel=channel,
        )
    return departments


def load_directory(
    content: str | Path, people_dir: str = "people", departments_file: str = "departments.yaml"
) -> Directory:
    """Load every department and person; problems are collected, not raised, so a build
    reports all of them at once — and each mistake once: a broken departments file does
    not also make every person and post "unknown"."""
    content = Path(content)
    errors: list[ContentError] = []
    try:
        departments: dict[str, Department] | None = load_departments(content / departments_file)
    except ContentError as exc:
        errors.append(exc)
        departments = None
    people: dict[str, Person] = {}
    broken: set[str] = set()
    folder = content / people_dir
    for path in sorted(folder.glob("*.yml")):
        errors.append(ContentError(str(path), None, f"rename it to {path.stem}.yaml"))
        broken.add(path.stem)
    for path in sorted(folder.glob("*.yaml")):
        try:
            person = load_person(path, departments)
        except ContentError as exc:
            errors.append(exc)
            broken.add(path.stem)
            continue
        people[person.handle] = person
        if departments is not None:
            departments[person.department].people.append(person)
    for dept in (departments or {}).values():
        dept.people.sort(key=lambda p: p.name.casefold())
    return Directory(people, departments or {}, errors, broken)
