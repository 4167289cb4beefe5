"""Personal data: phone numbers and email addresses, anywhere in the file (front matter,
code, link URLs, alt text and HTML comments included: an address in a comment is just as
public once the file is in git). Messages never repeat what was found, so personal data
does not also end up in CI logs.

Phone numbers are found by libphonenumber (`phonenumbers`), which knows every country's
numbering plan: a number is reported only if it is a valid number, read in the rule's home
`region` or in one of its other `regions` (numbers written with `+` or `00` are valid or
not whatever the region). That is what keeps dates, ISBNs, order ids, prices and times out
without a list of exceptions. The organization's own published contact details are on
`allow:`, compared as numbers (E.164) and case-insensitively for addresses.
"""

from __future__ import annotations

import re

from plugins.guidelines.kinds.base import Kind, fill, finding, string_list
from plugins.guidelines.model import OptionError, Rule
from plugins.guidelines.terms import quote_list

# Characters an address's local part may hold (RFC 5322 atext, plus any letter: RFC 6531).
_ATEXT = r"[\w!#$%&'*+/=?^`{|}~-]"
EMAIL = re.compile(
    rf"(?<![\w.@!#$%&'*+/=?^`{{|}}~-])"  # not the middle of a word or of @user@host
    rf"{_ATEXT}+(?:\.{_ATEXT}+)*"
    r"@(?:[^\W_](?:[\w-]{0,61}[^\W_])?\.)+"  # labels, IDN ones too
    r"(?:(?!(?:png|jpe?g|gif|svg|webp|avif|ico|bmp|tiff?)(?![\w-]))[^\W\d_]{2,63}"
    r"|xn--[a-z0-9-]{2,59})"  # a TLD, not a file extension (logo@2x.png)
    r"(?![\w@-]|\.[^\W_]|:[\w~/])"  # whole, and not scp-style git@host:path
)
# Where a number may be: libphonenumber then reads only these stretches (and a little
# around them), not the whole post once per region, which is most of its cost.
_CANDIDATE = re.compile(r"[+(]?\d[\d \t().\-/]{3,}\d")
_DATE = re.compile(r"\d{4}-\d\d-\d\d(?:[ T]\d\d)?|\d\d?[./-]\d\d?[./-]\d{2,4}")
_ID_BEFORE = re.compile(r"(?:\w|\w[-/#_])\Z")
_ID_AFTER = re.compile(r"[-/#_]?\w")
DETECTORS = {"email": "an email address", "phone": "a phone number"}
DEFAULT_REGION = "NL"


# phonenumbers is imported in the functions that use it: it is a tenth of a warm lint's
# start-up, and a warm lint (guidelines unchanged, every post from the cache) checks no
# number and prepares no rule (config.py).


def _region(value: object, key: str) -> str:
    import phonenumbers

    region = str(value).upper()
    if region not in phonenumbers.SUPPORTED_REGIONS:
        raise OptionError(key, f"'{key}': unknown region '{value}' (use ISO codes like NL, GB)")
    return region


def e164(text: str, region: str) -> str | None:
    """The number in text as +<country><number>, or None if it is not one."""
    import phonenumbers
    from phonenumbers import PhoneNumberFormat

    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def phone_spans(text: str, regions: list[str]) -> list[tuple[int, int, set[str]]]:
    """(start, end, {E.164 readings}) of every valid number, in the first region that reads
    it; a later region only adds numbers the earlier ones did not see. Other regions than
    the home one must also be grouped as that country writes them: read as a US or German
    number, a lot of ids would be one."""
    import phonenumbers
    from phonenumbers import Leniency, PhoneNumberFormat, PhoneNumberMatcher

    found: list[tuple[int, int, set[str]]] = []
    taken = bytearray(len(text))  # 1 where a number was already found
    for candidate in _CANDIDATE.finditer(text):
        digits = sum(c.isdigit() for c in candidate.group())
        if digits < 5 or _DATE.fullmatch(candidate.group()):
            continue
        start = max(0, candidate.start() - 4)
        window = text[start : candidate.end() + 4]
        for index, region in enumerate(regions):
            leniency = Leniency.VALID if index == 0 else Leniency.STRICT_GROUPING
            for match in PhoneNumberMatcher(window, region, leniency=leniency):
                at, end = start + match.start, start + match.end
                if any(taken[at:end]):
                    continue
                if len(str(match.number.national_number)) < 7:
                    continue  # 14 020 visitors; short service numbers are no one's anyway
                if index and match.raw_string.isdigit():
                    continue  # an unbroken digit run is read only as a home-region number
                if _ID_BEFORE.search(text, max(0, at - 2), at) or _ID_AFTER.match(text, end):
                    continue  # SN-0201-5550123, INV-2026-…: a number inside an identifier
                number = phonenumbers.format_number(match.number, PhoneNumberFormat.E164)
                found.append((at, end, {number, e164(match.raw_string, regions[0]) or number}))
                taken[at:end] = b"\x01" * (end - at)
    return sorted(found, key=lambda span: span[0])


def email_allowed(address: str, emails: set[str], domains: set[str]) -> bool:
    address = address.casefold()
    domain = address.rsplit("@", 1)[1]
    return address in emails or any(domain == d or domain.endswith("." + d) for d in domains)


def detectors(rule: Rule) -> list[str]:
    """What the rule looks for. Apart from prepare_pii, so that describing a rule (the
    Guidelines page, the preview) loads no numbering plan."""
    return string_list(rule, "detect") or list(DETECTORS)


def prepare_pii(rule: Rule):
    import phonenumbers

    detect = detectors(rule)
    for name in detect:
        if name not in DETECTORS:
            known = ", ".join(DETECTORS)
            raise OptionError("detect", f"unknown detector '{name}' (known: {known})")
    home = _region(rule.options.get("region") or DEFAULT_REGION, "region")
    regions = [home] + [
        r for r in (_region(v, "regions") for v in string_list(rule, "regions")) if r != home
    ]
    allow = string_list(rule, "allow")
    emails = {a.casefold() for a in allow if "@" in a and not a.startswith("@")}
    domains = {a[1:].casefold() for a in allow if a.startswith("@")}
    phones = set()
    for entry in (a for a in allow if "@" not in a):
        number = e164(entry, home)
        if number is None:
            raise OptionError("allow", f"'allow': '{entry}' is neither an address nor a number")
        phones.add(number)
    for region in regions:  # load each region's numbering plan once, before the lint forks
        phonenumbers.example_number(region)
    return detect, regions, emails, domains, phones


def check_pii(rule: Rule, post, ctx):
    detect, regions, emails, domains, phones = rule.compiled
    found = []
    if "email" in detect and "@" in post.text:
        for match in EMAIL.finditer(post.text):
            if not email_allowed(match.group(), emails, domains):
                found.append((match.start(), match.end(), "email"))
    if "phone" in detect:
        for start, end, readings in phone_spans(post.text, regions):
            if not readings & phones and not any(s <= start < e for s, e, _ in found):
                found.append((start, end, "phone"))
    for start, end, name in sorted(found):
        message = fill(rule.message, what=DETECTORS[name])
        if "{what}" not in rule.message:
            message = f"This looks like {DETECTORS[name]}. {message}"
        yield finding(rule, post, start, message=message, end=end)


def describe_pii(rule: Rule) -> str:
    plural = {"email": "email addresses", "phone": "phone numbers"}
    names = [plural[n] for n in detectors(rule)]
    allow = string_list(rule, "allow")
    text = "don't publish anyone's personal " + " or ".join(names)
    return f"{text}. These are fine: {quote_list(allow, 6, 'and')}" if allow else text


KINDS = [
    Kind("pii", check_pii, describe_pii, prepare_pii,
         optional=("detect", "allow", "region", "regions"), prose=False),
]  # fmt: skip
