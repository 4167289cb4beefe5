"""Links: https only, no blocked domains, and internal links that lead somewhere.

A broken internal link is found here, before the build, with the line to fix; Pelican would
only log a warning and publish the dead link.
"""

from __future__ import annotations

import posixpath
import re
from urllib.parse import SplitResult, urlsplit

from plugins.guidelines.kinds.base import Kind, fill, finding, string_list
from plugins.guidelines.model import OptionError
from plugins.guidelines.prose import analyse
from plugins.guidelines.terms import quote_list

PELICAN_PREFIXES = (
    "{filename}",
    "{static}",
    "{attach}",
    "{category}",
    "{tag}",
    "{index}",
    "{author}",
    "|filename|",
    "|static|",
)
IMAGE_ADVICE = (
    "Check the file name: images use {static}/images/<file> (the file goes in content/images/)."
)
SITE_SECTIONS = ("/feeds/", "/tags/", "/archives/", "/guidelines/", "/theme/")
SKIP_SCHEMES = ("mailto", "tel", "sms")
_LOOSE_URL = re.compile(r"(?:([A-Za-z][A-Za-z0-9+.-]*):)?(?://([^/?#]*))?([^?#]*)")


def split_url(target: str) -> SplitResult:
    """urlsplit that never raises: a placeholder such as `http://[your-server]:8080/` is
    not a valid IPv6 literal, and urlsplit refuses it; the lint still needs its scheme,
    host and path (the https rule applies to it all the same)."""
    try:
        return urlsplit(target)
    except ValueError:
        m = _LOOSE_URL.match(target)
        return SplitResult(m.group(1) or "", m.group(2) or "", m.group(3) or "", "", "")


def host_of(parts: SplitResult) -> str:
    """The host name of a split URL, lower case; '' when there is none or it is not one."""
    try:
        return parts.hostname or ""
    except ValueError:
        return parts.netloc.rpartition("@")[2].strip("[]").split(":")[0].lower()


def prepare(rule):
    blocked = [d.lower().lstrip(".") for d in string_list(rule, "blocked_domains")]
    for key in ("https", "internal"):
        if key in rule.options and not isinstance(rule.options[key], bool):
            raise OptionError(key, f"'{key}' is true or false")
    if not (blocked or rule.options.get("https") or rule.options.get("internal")):
        raise OptionError(None, "give 'https: true', 'blocked_domains' or 'internal: true'")
    return blocked


def _blocked(host: str, blocked: list[str]) -> str | None:
    host = host.lower().rstrip(".")
    return next((d for d in blocked if host == d or host.endswith("." + d)), None)


def internal_problem(target: str, post, ctx) -> str | None:
    """Why an internal link leads nowhere (None when it resolves or is not checked)."""
    root = ctx.content_root
    for prefix in PELICAN_PREFIXES:
        if target.startswith(prefix):
            rest = target[len(prefix) :].split("#")[0].split("?")[0]
            name = prefix.strip("{}|")
            if name in ("filename", "static", "attach"):
                if rest.startswith("/"):
                    rel = posixpath.normpath(rest.lstrip("/"))
                else:
                    here = posixpath.dirname(_content_relative(post, ctx))
                    rel = posixpath.normpath(posixpath.join(here, rest))
                if name == "filename" and rel not in ctx.targets:
                    return f"there is no post or page content/{rel}"
                if name != "filename" and not (root / rel).is_file():
                    return f"there is no file content/{rel}"
            departments = ctx.directory.departments if ctx.directory else {}
            if name == "category" and departments and rest not in departments:
                return f"there is no department '{rest}'"
            return None
    parts = split_url(target)
    if parts.scheme or parts.netloc or not parts.path:
        return None  # external, or only a #fragment
    path = parts.path
    if not path.startswith("/"):
        path = posixpath.normpath(posixpath.join(f"/posts/{post.slug}/", path))
    if path == "/" or path.startswith(SITE_SECTIONS):
        return None
    candidates = {path, path.rstrip("/") + "/", path.rstrip("/")}
    if candidates & ctx.targets or (root / path.lstrip("/")).is_file():
        return None
    return f"nothing on this site is at {path}"


def _is_img_tag(post, link) -> bool:
    """A raw <img src=…>: the text just before the target opens an img tag."""
    if link.kind != "html":
        return False
    before = post.text[max(0, link.offset - 200) : link.offset]
    tag = before.rfind("<")
    return tag >= 0 and before[tag : tag + 4].lower() == "<img"


def _content_relative(post, ctx) -> str:
    try:
        return (
            (ctx.repo_root / post.path).resolve().relative_to(ctx.content_root.resolve()).as_posix()
        )
    except (ValueError, TypeError, OSError):
        return posixpath.join("posts", post.department or "", post.slug + ".md")


def check(rule, post, ctx):
    blocked = rule.compiled
    for link in analyse(post).links:
        target = link.target.strip()
        parts = split_url(target) if not target.startswith(PELICAN_PREFIXES) else None
        scheme = (parts.scheme.lower() if parts else "") or ""
        if scheme in SKIP_SCHEMES:
            continue
        host = host_of(parts) if parts else ""
        if target.lower().startswith("www."):
            host = target.split("/")[0]
        end = link.offset + len(link.target)
        if rule.options.get("https") and scheme == "http":
            secure = "https://" + target[len("http://") :]
            # The fix travels as the suggestion (shown once, applied by editors), not again
            # in the message.
            message = fill(rule.message, url=target)
            yield finding(rule, post, link.offset, message=message, suggestion=secure, end=end)
        if blocked and host and (domain := _blocked(host, blocked)):
            message = fill(rule.message, url=target) + f" ({domain} is on the blocked list)"
            yield finding(rule, post, link.offset, message=message, end=end)
        if rule.options.get("internal") and not scheme and not host:
            problem = internal_problem(target, post, ctx)
            if problem:
                # an image is a file, not a post: {filename} advice would mislead
                advice = rule.options.get("image_message", IMAGE_ADVICE)
                text = advice if link.kind == "image" or _is_img_tag(post, link) else rule.message
                message = f"{problem}. {fill(text, url=target)}"
                yield finding(rule, post, link.offset, message=message, end=end)


def describe(rule) -> str:
    parts = []
    if rule.options.get("https"):
        parts.append("link with https://")
    if rule.compiled:
        parts.append(f"don't link to {quote_list(rule.compiled, 6)}")
    if rule.options.get("internal"):
        parts.append("links to other posts and pages must lead to one")
    return "; ".join(parts)


KINDS = [
    Kind(
        "links",
        check,
        describe,
        prepare,
        optional=("https", "blocked_domains", "internal", "image_message"),
        prose=False,
    )
]
