"""Front-matter rules: fields the organization wants filled in (a summary, tags) and values
it allows. Findings point at the key's line, or at the opening `---` when the key is
missing, which is where the author has to add it.

What the build itself needs (a date it can read, an author and a department that exist,
known platforms, a valid status) is not a guideline: it is the one schema in
plugins/posts/check.py, which the lint always runs (engine.schema_problems) so the lint and
the build can never disagree on it.
"""

from __future__ import annotations

from plugins.guidelines.kinds.base import Kind, fill, finding, string_list
from plugins.guidelines.model import OptionError
from plugins.guidelines.terms import quote_list


def prepare(rule):
    required = string_list(rule, "required")
    allowed = rule.options.get("allowed") or {}
    if not isinstance(allowed, dict) or not all(isinstance(v, list) for v in allowed.values()):
        raise OptionError("allowed", "'allowed' maps a field to its list of allowed values")
    if not (required or allowed):
        raise OptionError(None, "give 'required' or 'allowed'")
    return required, {str(k): [str(v) for v in vs] for k, vs in allowed.items()}


def _missing(value) -> bool:
    return value is None or (isinstance(value, str | list | dict) and not value)


def check(rule, post, ctx):
    required, allowed = rule.compiled
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


def describe(rule) -> str:
    required, allowed = rule.compiled
    parts = []
    if required:
        parts.append(f"fill in {quote_list(required, 8, 'and')}")
    for key, values in allowed.items():
        parts.append(f"'{key}' is one of {quote_list(values, 8)}")
    return "; ".join(parts)


KINDS = [Kind("metadata", check, describe, prepare, optional=("required", "allowed"), prose=False)]
