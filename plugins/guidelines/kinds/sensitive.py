"""Secrets. Unlike the prose rules these read the *whole file*, code
blocks, URLs and comments included: a key in a code sample or an address in an HTML
comment is just as public once the file is in git. Messages never repeat what was found,
so a leaked key does not also end up in CI logs. Personal data: pii.py.
"""

from __future__ import annotations

import re

from plugins.guidelines.config import OptionError
from plugins.guidelines.kinds.base import Kind, fill, finding, string_list
from plugins.guidelines.terms import lowered, quote_list

SECRETS = {
    "aws": ("an AWS access key",
            r"(?<![A-Z0-9])(?:AKIA|ASIA|AGPA|AIDA|AROA)[A-Z0-9]{16}(?![A-Z0-9])"),
    "aws_secret": ("an AWS secret key",
                   r"(?i:aws_?secret_?(?:access_?)?key)\s*[=:]\s*[\"']?[A-Za-z0-9/+=]{40}"),
    "github": ("a GitHub token",
               r"(?<![\w])(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{40,})"),
    "slack": ("a Slack token", r"(?<![\w])xox[abposr]-[A-Za-z0-9-]{10,}"),
    "slack_webhook": ("a Slack webhook",
                      r"https://hooks\.slack\.com/services/T[A-Z0-9]+/B[A-Z0-9]+/[A-Za-z0-9]+"),
    "private_key": ("a private key", r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----"),
    "credential": ("a password or key written as key=value", (
        r"(?<![\w-])(?i:password|passwd|pwd|passphrase|secret|api[_-]?key|access[_-]?token"
        r"|auth[_-]?token|client[_-]?secret)\s*[=:]\s*[\"']?"
        r"(?!(?i:\*+|x{3,}|\.{3}|…|<[^>\n]*>|\$\{?\w+\}?|%\(\w+\)s|changeme|example|redacted)"
        r"[\"'\s,;]|$)"
        r"[^\s\"',;]{6,}")),
}  # fmt: skip

# Words each detector's matches must contain (lower case): most posts contain none, and a
# few substring searches are far cheaper than the regex scan they save.
CLUES = {
    "aws": ("akia", "asia", "agpa", "aida", "aroa"),
    "aws_secret": ("aws",),
    "github": ("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"),
    "slack": ("xox",),
    "slack_webhook": ("hooks.slack.com",),
    "private_key": ("private key",),
    "credential": ("pass", "pwd", "secret", "key", "token"),
}


def prepare_secrets(rule):
    """All detectors as one alternation of named groups: one scan of the file, not seven."""
    detect = string_list(rule, "detect") or list(SECRETS)
    for name in detect:
        if name not in SECRETS:
            raise OptionError("detect", f"unknown detector '{name}' (known: {', '.join(SECRETS)})")
    names = {name: SECRETS[name][0] for name in detect}
    parts = [f"(?P<{name}>{SECRETS[name][1]})" for name in detect]
    for index, pattern in enumerate(string_list(rule, "patterns")):
        re.compile(pattern)
        names[f"custom{index}"] = "a secret"
        parts.append(f"(?P<custom{index}>{pattern})")
    clues = None if string_list(rule, "patterns") else [c for n in detect for c in CLUES[n]]
    return re.compile("|".join(parts)), names, clues


def check_secrets(rule, post, ctx):
    pattern, names, clues = rule.compiled
    if clues is not None:
        low = lowered(post.text)
        if not any(clue in low for clue in clues):
            return
    for match in pattern.finditer(post.text):
        what = names[match.lastgroup]
        message = fill(rule.message, what=what)
        if "{what}" not in rule.message:
            message = f"This looks like {what}. {message}"
        yield finding(rule, post, match.start(), message=message)


def describe_secrets(rule) -> str:
    names = [SECRETS[n][0] for n in string_list(rule, "detect") or list(SECRETS)]
    return f"never paste secrets: {quote_list(names, 8, 'or', '')}"


KINDS = [
    Kind("secrets", check_secrets, describe_secrets, prepare_secrets,
         optional=("detect", "patterns"), prose=False),
]  # fmt: skip
