"""Secrets and personal data. Unlike the prose rules these read the *whole file*, code
blocks, URLs and comments included: a key in a code sample or an address in an HTML
comment is just as public once the file is in git. Messages never repeat what was found,
so a leaked key does not also end up in CI logs.
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

EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,}(?![\w-])")
PHONE = re.compile(
    r"(?<![\w+/.-])(?:\+|00)[1-9][\d \-().]{7,18}\d(?![\w])"  # international
    r"|(?<![\w+/.:,-])0\d{1,3}[ -]?\d{3}[ -]?\d{3,4}(?![\w,.:/-]\d)"  # national: 010 555 0123
)
PII = {"email": ("an email address", EMAIL), "phone": ("a phone number", PHONE)}


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


def _digits(text: str) -> str:
    digits = re.sub(r"\D", "", text)
    return "31" + digits[1:] if digits.startswith("0") and not digits.startswith("00") else digits


def prepare_pii(rule):
    detect = string_list(rule, "detect") or list(PII)
    for name in detect:
        if name not in PII:
            raise OptionError("detect", f"unknown detector '{name}' (known: {', '.join(PII)})")
    allow = string_list(rule, "allow")
    emails = {a.casefold() for a in allow if "@" in a}
    domains = {a[1:].casefold() for a in allow if a.startswith("@")}
    phones = {_digits(a).lstrip("0") for a in allow if "@" not in a}
    return detect, emails, domains, phones


def check_pii(rule, post, ctx):
    detect, emails, domains, phones = rule.compiled
    for name in detect:
        what, pattern = PII[name]
        if name == "email" and "@" not in post.text:
            continue  # the common case, without a regex scan
        for match in pattern.finditer(post.text):
            found = match.group()
            if name == "email" and (
                found.casefold() in emails or found.split("@")[1].casefold() in domains
            ):
                continue
            if name == "phone":
                digits = _digits(found).lstrip("0")
                if digits in phones or len(digits) < 9:
                    continue
            message = fill(rule.message, what=what)
            if "{what}" not in rule.message:
                message = f"This looks like {what}. {message}"
            yield finding(rule, post, match.start(), message=message)


def describe_pii(rule) -> str:
    plural = {"email": "email addresses", "phone": "phone numbers"}
    names = [plural[n] for n in rule.compiled[0]]
    allow = string_list(rule, "allow")
    text = "no personal " + " or ".join(names)
    return f"{text} (fine: {quote_list(allow, 6)})" if allow else text


KINDS = [
    Kind("secrets", check_secrets, describe_secrets, prepare_secrets,
         optional=("detect", "patterns"), prose=False),
    Kind("pii", check_pii, describe_pii, prepare_pii, optional=("detect", "allow"), prose=False),
]  # fmt: skip
