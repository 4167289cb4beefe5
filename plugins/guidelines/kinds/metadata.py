"""Front-matter rules: required fields, allowed values, and names that must exist (author,
department, platforms). Findings point at the key's line, or at the opening `---` when the
key is missing, which is where the author has to add it."""

from __future__ import annotations

from core.platforms import NAMES as PLATFORMS
from plugins.guidelines.config import OptionError
from plugins.guidelines.kinds.base import Kind, fill, finding, string_list
from plugins.guidelines.terms import quote_list

KNOWN = ("author", "department", "platforms")


def prepare(rule):
    required = string_list(rule, "required")
    allowed = rule.options.get("allowed") or {}
    if not isinstance(allowed, dict) or not all(isinstance(v, list) for v in allowed.values()):
        raise OptionError("allowed", "'allowed' maps a field to its list of allowed values")
    known = string_list(rule, "known")
    for name in known:
        if name not in KNOWN:
            raise OptionError("known", f"'known' checks {', '.join(KNOWN)}, not '{name}'")
    if not (required or allowed or known):
        raise OptionError(None, "give 'required', 'allowed' or 'known'")
    return required, {str(k): [str(v) for v in vs] for k, vs in allowed.items()}, known


def _missing(value) -> bool:
    return value is None or (isinstance(value, str | list | dict) and not value)


def check(rule, post, ctx):
    required, allowed, known = rule.compiled
    meta = post.meta

    def at(key, message):
        return finding(rule, post, line=post.line_of(key), message=message)

    for key in required:
        if _missing(meta.get(key)):
            yield at(key, fill(rule.message, field=key, value=""))
    for key, values in allowed.items():
        if key not in meta:
            continue
        given = meta[key] if isinstance(meta[key], list) else [meta[key]]
        for value in given:
            if str(value) not in values:
                hint = f" (allowed: {', '.join(values)})"
                yield at(key, fill(rule.message, field=key, value=value) + hint)
    directory = ctx.directory
    people = directory.people if directory is not None else {}
    broken = directory.broken if directory is not None else set()
    author = post.author
    if "author" in known and people and author and author not in people and author not in broken:
        message = f"unknown author '{author}': there is no content/people/{author}.yaml."
        yield at("author", f"{message} {rule.message}")
    departments = directory.departments if directory is not None else {}
    if "department" in known and departments and post.department not in departments:
        names = ", ".join(sorted(departments))
        message = f"unknown department '{post.department}' (known: {names})."
        yield at("department", f"{message} {rule.message}")
    if "platforms" in known:
        for key in ("syndicate", "syndication_text"):
            value = meta.get(key)
            names = (
                value if isinstance(value, list) else list(value) if isinstance(value, dict) else []
            )
            for name in names:
                if name not in PLATFORMS:
                    line_key = f"{key}.{name}" if f"{key}.{name}" in post.lines else key
                    yield at(
                        line_key,
                        f"unknown platform '{name}' (known: "
                        f"{', '.join(PLATFORMS)}). {rule.message}",
                    )


def describe(rule) -> str:
    required, allowed, known = rule.compiled
    parts = []
    if required:
        parts.append(f"fill in {quote_list(required, 8, 'and')}")
    for key, values in allowed.items():
        parts.append(f"'{key}' is one of {quote_list(values, 8)}")
    if known:
        parts.append(f"the {quote_list(known, 8, 'and', '')} must exist")
    return "; ".join(parts)


KINDS = [
    Kind(
        "metadata", check, describe, prepare, optional=("required", "allowed", "known"), prose=False
    )
]
