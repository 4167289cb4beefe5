"""Personal data. Unlike the prose rules this reads the *whole file*, code blocks, URLs
and comments included: an address in an HTML comment is just as public once the file is in
git. Messages never repeat what was found, so personal data does not also end up in CI
logs. (Secrets are in secrets.py.)
"""

from __future__ import annotations

import re

from plugins.guidelines.config import OptionError
from plugins.guidelines.kinds.base import Kind, fill, finding, string_list
from plugins.guidelines.terms import quote_list

EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,}(?![\w-])")
PHONE = re.compile(
    r"(?<![\w+/.-])(?:\+|00)[1-9][\d \-().]{7,18}\d(?![\w])"  # international
    r"|(?<![\w+/.:,-])0\d{1,3}[ -]?\d{3}[ -]?\d{3,4}(?![\w,.:/-]\d)"  # national: 010 555 0123
)
PII = {"email": ("an email address", EMAIL), "phone": ("a phone number", PHONE)}


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
    Kind("pii", check_pii, describe_pii, prepare_pii, optional=("detect", "allow"), prose=False),
]  # fmt: skip
