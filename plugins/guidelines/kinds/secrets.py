# ruff: noqa: E501  (the pattern table reads best one detector per line)
"""Secrets: API keys, tokens, private keys, passwords. Like personal data this reads the
*whole file* (front matter, code blocks, link URLs, image alt text, HTML comments): a key in
a code sample is as leaked as one in prose once the file is in git.

Three layers, each a well-known technique rather than a home-made guess:
- vendor token formats with their documented prefixes (and GitHub's CRC32 checksum);
- detect-secrets' regex plugins (used as a library) for every other vendor they know;
- generic `NAME = value` assignments in the syntaxes people paste (env, YAML, JSON, Go
  `:=`, Ruby/PHP `=>`), where NAME says password/secret/token/API key and the value has
  the entropy of a real secret.
Every candidate then goes through one placeholder recogniser (x-runs, AWS's EXAMPLE keys,
`<your-token>`, `${VAR}`, `…`, `changeme`, code references), so the form our own message
recommends never trips the rule. Messages never repeat the value, so CI logs stay clean.
"""

from __future__ import annotations

import base64
import binascii
import itertools
import json
import math
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from plugins.guidelines.kinds.base import Kind, fill, finding, string_list
from plugins.guidelines.model import OptionError
from plugins.guidelines.terms import lowered, quote_list


@dataclass(frozen=True)
class Detector:
    what: str  # "a GitHub personal access token": what the message calls it
    pattern: str  # the secret is group "s" when present, else the whole match
    clues: tuple[str, ...]  # lower-case substrings every match contains (cheap pre-filter)


_B = r"(?<![A-Za-z0-9_])"  # token start: not glued to a longer word
_E = r"(?![A-Za-z0-9_])"

DETECTORS: dict[str, Detector] = {
    "aws": Detector("an AWS access key ID",
                    r"(?<![A-Z0-9])(?P<s>(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16})(?![A-Z0-9])",
                    ("akia", "asia", "abia", "acca", "a3t")),
    "aws_secret": Detector("an AWS secret access key",
                           r"(?i:aws_?secret_?(?:access_?)?key)[\"']?[ \t]*(?:=>|:=|=|:)[ \t]*[\"']?"
                           r"(?P<s>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])", ("aws",)),
    "github": Detector("a GitHub token",
                       rf"{_B}(?P<s>gh[pousr]_[A-Za-z0-9]{{36}}){_E}",
                       ("ghp_", "gho_", "ghu_", "ghs_", "ghr_")),
    "github_pat": Detector("a GitHub fine-grained personal access token",
                           rf"{_B}(?P<s>github_pat_[A-Za-z0-9_]{{59,}}){_E}", ("github_pat_",)),
    "gitlab": Detector("a GitLab token",
                       rf"{_B}(?P<s>gl(?:pat|dt|ptt|rt|ft|imt|agent|oas|ffct|soat|cbt)-[A-Za-z0-9_-]{{20,}})"
                       rf"|{_B}(?P<s2>GR1348941[A-Za-z0-9_-]{{20}})", ("gl", "gr1348941")),
    "slack": Detector("a Slack token",
                      rf"{_B}(?P<s>xox[bpeaors]-(?:\d-[A-Za-z0-9-]{{40,}}|[0-9]{{6,13}}-[0-9A-Za-z-]{{8,}})|xapp-\d-[A-Z0-9]+-\d+-[a-z0-9]+"
                      r"|xoxe\.xox[bp]-\d-[A-Za-z0-9]{160,})", ("xox", "xapp")),
    "slack_webhook": Detector("a Slack webhook URL",
                              r"(?P<s>(?:https?://)?hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9+/_-]{20,})",
                              ("hooks.slack.com",)),
    "stripe": Detector("a Stripe secret key",
                       rf"{_B}(?P<s>(?:sk|rk)_(?:live|test|prod)_[A-Za-z0-9]{{10,99}}){_E}",
                       ("sk_live", "rk_live", "sk_test", "rk_test", "sk_prod", "rk_prod")),
    "google": Detector("a Google API key", rf"{_B}(?P<s>AIza[A-Za-z0-9_-]{{35}})(?![A-Za-z0-9_-])", ("aiza",)),
    "anthropic": Detector("an Anthropic API key",
                          rf"{_B}(?P<s>sk-ant-(?:api03|admin01)-[A-Za-z0-9_-]{{93}}AA)(?![A-Za-z0-9_-])", ("sk-ant-",)),
    "openai": Detector("an OpenAI API key",
                       rf"{_B}(?P<s>sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{{40,}}|sk-[A-Za-z0-9]{{20}}T3BlbkFJ[A-Za-z0-9]{{20}}"
                       r"|sk-[A-Za-z0-9]{48})(?![A-Za-z0-9_-])", ("sk-",)),
    "npm": Detector("an npm access token", rf"{_B}(?P<s>npm_[A-Za-z0-9]{{36}}){_E}", ("npm_",)),
    "sendgrid": Detector("a SendGrid API key",
                         rf"{_B}(?P<s>SG\.[A-Za-z0-9_-]{{16,32}}\.[A-Za-z0-9_-]{{16,64}}|SG\.[A-Za-z0-9=_.-]{{66}})", ("sg.",)),
    "twilio": Detector("a Twilio API key or account SID",
                       r"(?<![A-Za-z0-9])(?P<s>(?:SK|AC)[0-9a-fA-F]{32})(?![A-Za-z0-9])", ("sk", "ac")),
    "azure_storage": Detector("an Azure storage account key",
                              r"(?i:AccountKey)[ \t]*=[ \t]*(?P<s>[A-Za-z0-9+/]{86,88}={0,2})", ("accountkey",)),
    "azure_ad": Detector("an Azure AD client secret",
                         r"(?<![A-Za-z0-9_~.-])(?P<s>[A-Za-z0-9_~.]{3}\dQ~[A-Za-z0-9_~.-]{31,34})(?![A-Za-z0-9_~.-])",
                         ("q~",)),
    "jwt": Detector("a JSON Web Token",
                    rf"{_B}(?P<s>eyJ[A-Za-z0-9_-]{{8,}}\.eyJ[A-Za-z0-9_-]{{4,}}\.[A-Za-z0-9_-]*)", ("eyj",)),
    "private_key": Detector("a private key",
                            # with a key body after it (optional `Proc-Type:` headers): a bare header is documentation
                            r"(?P<s>-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----)"
                            r"(?=[ \t]*\n(?:[\w-]+:[^\n]*\n)*\s*[A-Za-z0-9+/=]{16,})", ("private key",)),
    "curl_user": Detector("a password in a curl command",
                          r"(?:^|\s)(?:-u|--user)[ \t]+[\"']?\{?(?P<u>[^\s:\"'{}<>]*)\}?[\"']?:[\"']?\{?(?P<s>[^\s\"'{}<>]{4,})",
                          ("-u", "--user")),
    "auth_header": Detector("a token in an Authorization header",
                            r"(?i:authorization|x-api-key|api-token|\btoken)[\"']?:[ \t]*(?:(?i:basic|bearer|token|api-token)[ \t]+)?"
                            r"(?P<s>[A-Za-z0-9+/=~._-]{12,})", ("authorization", "api-key", "token")),
    "url_password": Detector("a password in a URL",
                             r"(?<![\w+.-])[A-Za-z][A-Za-z0-9+.-]{1,20}://(?P<u>[^\s:/@\"'`<>()\[\]]*):"
                             r"(?P<s>[^\s/@\"'`<>()\[\]]+)@[A-Za-z0-9.-]+", ("://",)),
}  # fmt: skip

# Names that announce a secret value in an assignment. `pass`/`key`/`auth` alone say too
# little ("key: value", "pass: 3"); these say enough.
_NAME = r"PASSWORD|PASSWD|PASSPHRASE|PWD|SECRET|TOKEN|API_?KEY|APIKEY|PRIVATE_?KEY|CLIENT_?SECRET|ACCESS_?KEY|CREDENTIALS?"
ASSIGNMENT = re.compile(
    r"(?P<q>[\"']?)(?P<name>(?<![\w-])[\w.-]*?(?i:"
    + _NAME.replace("_?", "[_-]?")
    + r")[\w.-]*)(?P=q)"
    r"[ \t]*(?P<op>:::=|::=|:=|=>|\.=|=|:|(?<=[\"'])[ \t]*,)[ \t]*"
    r"(?:(?P<quote>[\"'`])(?P<qv>[^\"'`\n]*)(?P=quote)|(?P<v>[^\s\"'`,;)}\]]+))"
)
KEYWORD = re.compile(r"(?i:" + _NAME.replace("_?", "[_-]?") + ")")
VENDOR_PREFIX = re.compile(
    r"xox[a-z]-|gh[pousr]_|github_pat_|glpat-|sk-|[sr]k_|AIza|npm_|SG\.|AKIA|eyJ"
)
GENERIC_CLUES = ("pass", "pwd", "secret", "token", "key", "credential")
# A name with one of these after the keyword names something about the secret, not the secret.
NOT_A_VALUE_NAME = re.compile(
    r"(?i)(?:secret|token|key|password|passwd|credentials?)[_.-]?"
    r"(?:name|names|file|path|dir|url|uri|endpoint|id|ids|type|length|len|count|size|ref|env|var|field"
    r"|header|prefix|hint|policy|expir\w*|ttl|timeout|lifetime|store|vault|manager|ring)$"
    r"|(?i:vault|store|manager)\w*(?i:secrets?|keys?)$"
)

# --- the placeholder recogniser ---------------------------------------------------------

AWS_EXAMPLES = {"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}
PLACEHOLDER_WORDS = re.compile(
    r"(?i)example|sample|dummy|placeholder|changeme|change_me|redacted|your[_-]|my[_-]?(?:token|key|secret|pass)"
    r"|secret_here|token_here|key_here|xxxx|\*{3}|#{4}|\.\.\.|…"
)
PLACEHOLDER_SHAPES = re.compile(
    r"^(?:<[^<>]*>|\$\{[^}]*\}|\$\(.*\)|\{\{.*\}\}|\{[^{}]*\}|%\(?\w+\)?s?|\$[A-Za-z_]\w*|%[A-Z_]+%"
    r"|\[[^\]]*\]|\*+|x+|X+|\.+|…|-+|_+|null|none|nil|true|false|undefined|empty|string|str|secret|password"
    r"|passwd|token|hunter2)$",
    re.IGNORECASE,
)
# `get_secret_key()`, `os.environ["X"]`, `settings.SECRET_KEY`, `process.env.TOKEN`
CODE_REFERENCE = re.compile(
    r"^[A-Za-z_][\w.]*(?:\(.*\)?|\[.*\]?)$|^(?:[A-Za-z_]\w*\.)+[A-Za-z_]\w*$|^[A-Z][A-Z0-9_]+$"
)


# Google API keys that are published on purpose (Google's and Firebase's own sample and SDK
# code); gitleaks allow-lists the same ones (cmd/generate/config/rules/gcp.go).
GOOGLE_PUBLIC = frozenset(
    {
        "AIzaSyabcdefghijklmnopqrstuvwxyz1234567",
        "AIzaSyAnLA7NfeLquW1tJFpx_eQCxoX-oo6YyIs",
        "AIzaSyCkEhVjf3pduRDt6d1yKOMitrUEke8agEM",
        "AIzaSyDMAScliyLx7F0NPDEJi1QmyCgHIAODrlU",
        "AIzaSyD3asb-2pEZVqMkmL6M9N6nHZRR_znhrh0",
        "AIzayDNSXIbFmlXbIE6mCzDLQAqITYefhixbX4A",
        "AIzaSyAdOS2zB6NCsk1pCdZ4-P6GBdi_UUPwX7c",
        "AIzaSyASWm6HmTMdYWpgMnjRBjxcQ9CKctWmLd4",
        "AIzaSyANUvH9H9BsUccjsu2pCmEkOPjjaXeDQgY",
        "AIzaSyA5_iVawFQ8ABuTZNUdcwERLJv_a_p4wtM",
        "AIzaSyA4UrcGxgwQFTfaI3no3t7Lt1sjmdnP5sQ",
        "AIzaSyDSb51JiIcB6OJpwwMicseKRhhrOq1cS7g",
        "AIzaSyBF2RrAIm4a0mO64EShQfqfd2AFnzAvvuU",
        "AIzaSyBcE-OOIbhjyR83gm4r2MFCu4MJmprNXsw",
        "AIzaSyB8qGxt4ec15vitgn44duC5ucxaOi4FmqE",
        "AIzaSyA8vmApnrHNFE0bApF4hoZ11srVL_n0nvY",
    }
)


def is_placeholder(value: str) -> bool:
    """True for the stand-ins documentation uses instead of a real secret."""
    value = value.strip()
    if not value or value in AWS_EXAMPLES or PLACEHOLDER_SHAPES.match(value):
        return True
    if PLACEHOLDER_WORDS.search(value):
        return True
    body = value.split("_", 1)[-1] if re.match(r"^[a-z]{2,8}_", value) else value
    body = re.sub(r"[^A-Za-z0-9]", "", body)
    if not body:
        return True
    # One character repeated (ghp_xxxx…, 0000…) or a run like abcdef…/123456…
    if len(set(body.lower())) <= 3:
        return True
    return _sequential(body)


def _sequential(text: str) -> bool:
    """`abcdefghij…`/`0123456789`: a keyboard-walk filler, not random."""
    low, runs = text.lower(), 0
    for a, b in itertools.pairwise(low):
        runs += ord(b) - ord(a) == 1
    return runs >= 0.6 * (len(low) - 1)


# detect-secrets' Base64HighEntropyString.charset, and its Shannon entropy over it: written
# out here so that the common post (no token in it) never imports detect-secrets at all
_ENTROPY_CHARSET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/\\-_="


def entropy(text: str) -> float:
    if not text:
        return 0.0
    total = len(text)
    counts = Counter(text)
    return -sum(
        (n / total) * math.log2(n / total) for c, n in counts.items() if c in _ENTROPY_CHARSET
    )


# --- checks that vendors make possible ----------------------------------------------------

_BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def github_checksum_ok(token: str) -> bool:
    """New-format GitHub tokens end in the base62 CRC32 of the 30 random characters."""
    body = token.split("_", 1)[1]
    value, digits = binascii.crc32(body[:30].encode()), ""
    while value:
        value, rest = divmod(value, 62)
        digits = _BASE62[rest] + digits
    return digits.rjust(6, "0") == body[30:]


def jwt_ok(token: str) -> bool:
    """A real JWT's header is JSON with an `alg`."""
    header = token.split(".", 1)[0]
    try:
        decoded = json.loads(base64.urlsafe_b64decode(header + "=" * (-len(header) % 4)))
    except (ValueError, UnicodeDecodeError):
        return False
    return isinstance(decoded, dict) and "alg" in decoded


def plausible(name: str, value: str) -> bool:
    """Vendor-format matches are secrets unless they are placeholders or obviously filler."""
    if is_placeholder(value):
        return False
    if name == "github":
        return github_checksum_ok(value) or entropy(value[4:]) >= 3.0
    if name == "google" and value in GOOGLE_PUBLIC:
        return False
    if name == "jwt":
        return jwt_ok(value)
    if name == "url_password":
        return not is_placeholder(value) and value.lower() not in {"password", "pass", "pwd"}
    if name in {"gitlab", "slack", "stripe", "npm", "sendgrid", "openai", "anthropic", "google"}:
        return entropy(re.sub(r"^[A-Za-z]+[_.-]", "", value)) >= 2.5
    return True


def generic_secret(name: str, op: str, value: str, quoted: bool) -> bool:
    """A `NAME = value` that holds a real secret, not a reference, a word or a stand-in."""
    if len(value) < 6 or NOT_A_VALUE_NAME.search(name) or is_placeholder(value):
        return False
    if (op.strip() == "," and not quoted) or "public" in name.lower() or VENDOR_PREFIX.match(value):
        return False  # a vendor format that its own detector rejected is not a password either
    keyword = KEYWORD.search(name)
    start = keyword.start() if keyword else 0
    glued = (
        start and name[start - 1].isalpha() and name[start - 1].islower() == name[start].islower()
    )
    if glued and len(name) > 11:  # "jsonwebtoken": the keyword is inside a longer word
        return False
    if not quoted and CODE_REFERENCE.match(value):
        return False
    if value.isdigit() or re.match(r"^[a-z][a-z0-9+.-]*://", value, re.I):
        return False
    if quoted and re.match(r"^[A-Za-z_][\w.]*\(.*\)$", value):
        return False
    assigned = quoted or op != ":" or "_" in name or name.isupper() or "." in name
    if re.fullmatch(r"[A-Za-z]+", value):
        # A bare word ("The secret: patience") is prose unless the context is clearly code.
        return assigned and len(value) >= 8 and entropy(value) >= 2.8
    if not re.search(r"\d", value) and not re.search(r"[^A-Za-z ]", value):
        return False
    if " " in value and not quoted:
        return False
    return entropy(value) >= (2.5 if assigned else 3.0)


# --- detect-secrets as a library ----------------------------------------------------------

# detect-secrets plugins whose findings ours above already cover, or that are not secrets
# in a post (public IPs), or that are the noisy generic layers we replace.
_OURS = {
    "AWSKeyDetector", "GitHubTokenDetector", "GitLabTokenDetector", "SlackDetector",
    "StripeDetector", "OpenAIDetector", "NpmDetector", "SendGridDetector", "TwilioKeyDetector",
    "AzureStorageKeyDetector", "JwtTokenDetector", "PrivateKeyDetector", "BasicAuthDetector",
    "IPPublicDetector", "KeywordDetector", "Base64HighEntropyString", "HexHighEntropyString",
}  # fmt: skip


_RUN = re.compile(r"[\w+=.-]{20,}")


def _token_lines(text: str) -> Iterator[tuple[int, str]]:
    """(offset, line) of the lines that hold a token-like run (20+ word, +=.- characters
    with both a letter and a digit among them): the only lines detect-secrets' patterns can
    match in (every key they know is at least that long and mixes both), and dates, times
    and plain words are not."""
    start = 0
    for line in text.splitlines(keepends=True):
        if any(_tokenish(run) for run in _RUN.findall(line)):
            yield start, line
        start += len(line)


_SLUG = re.compile(r"[a-z0-9]{1,12}(?:-[a-z0-9]{1,12})+(?:\.[a-z]{1,4})?")  # a-post-slug-6.md


def _tokenish(run: str) -> bool:
    if _SLUG.fullmatch(run):
        return False  # words joined by hyphens: a slug or a file name, never a key
    return any(c.isdigit() for c in run) and any(c.isalpha() for c in run)


@cache
def library_detectors() -> tuple[tuple[str, re.Pattern], ...]:
    """The other vendors detect-secrets knows (Mailchimp, Discord, Telegram, PyPI, …).
    Imported on first need: detect-secrets and its plugin discovery cost 0.3 s at start."""
    from detect_secrets.core.plugins.util import get_mapping_from_secret_type_to_class

    found = []
    for secret_type, plugin in get_mapping_from_secret_type_to_class().items():
        if plugin.__name__ in _OURS:
            continue
        for pattern in getattr(plugin(), "denylist", ()):
            found.append((f"a {secret_type}", pattern))
    return tuple(found)


# --- the kind -----------------------------------------------------------------------------


def detectors(rule) -> list[str]:
    """What the rule looks for. Apart from prepare_secrets, so that describing a rule (the
    Guidelines page, the preview) compiles no pattern."""
    return string_list(rule, "detect") or [*DETECTORS, "generic", "library"]


def prepare_secrets(rule):
    detect = detectors(rule)
    known = [*DETECTORS, "generic", "library"]
    for name in detect:
        if name not in known:
            raise OptionError("detect", f"unknown detector '{name}' (known: {', '.join(known)})")
    custom = []
    for pattern in string_list(rule, "patterns"):
        try:
            custom.append(re.compile(pattern))
        except re.error as exc:
            raise OptionError("patterns", f"'{pattern}' is not a valid regex: {exc}") from exc
    vendors = {n: re.compile(DETECTORS[n].pattern) for n in detect if n in DETECTORS}
    return vendors, "generic" in detect, "library" in detect, custom


def scan(text: str, compiled) -> Iterator[tuple[int, int, str]]:
    """(start, end, what) for every secret in `text`, overlaps removed, in text order."""
    vendors, generic, library, custom = compiled
    low = lowered(text)
    hits: list[tuple[int, int, str]] = []
    for name, pattern in vendors.items():
        if not any(clue in low for clue in DETECTORS[name].clues):
            continue
        for match in pattern.finditer(text):
            group = "s" if match.group("s") is not None else "s2"
            value = match.group(group) or match.group()
            after = text[match.end(group) : match.end(group) + 4]
            if plausible(name, value) and not re.match(r"[#*…]|<(?!/)|\.\.\.|x{4}", after, re.I):
                hits.append((match.start(group), match.end(group), DETECTORS[name].what))
    if library:
        # detect-secrets' patterns are many and slow over prose; every secret they find is
        # a run of 8+ token characters with a digit in it, so only lines holding one are read
        for line_start, line in _token_lines(text):
            for what, pattern in library_detectors():
                for match in pattern.finditer(line):
                    value = match.group(match.lastindex or 0)
                    if not is_placeholder(value):
                        hits.append((line_start + match.start(), line_start + match.end(), what))
    if generic and any(clue in low for clue in GENERIC_CLUES):
        for match in ASSIGNMENT.finditer(text):
            quoted = match.group("qv") is not None
            value = match.group("qv") if quoted else match.group("v")
            if generic_secret(match.group("name"), match.group("op"), value, quoted):
                stop = match.end("qv" if quoted else "v")  # reported at the name: the value
                hits.append((match.start(), stop, "a password or secret key"))  # may be long
    for pattern in custom:
        hits.extend((m.start(), m.end(), "a secret") for m in pattern.finditer(text))
    end = -1
    for start, stop, what in sorted(hits, key=lambda h: (h[0], -h[1])):
        if start >= end:  # the first (longest) hit at a place wins; nested ones are the same secret
            yield start, stop, what
            end = stop


def check_secrets(rule, post, ctx):
    for start, _end, what in scan(post.text, rule.compiled):
        message = fill(rule.message, what=what)
        if "{what}" not in rule.message:
            message = f"This looks like {what}. {message}"
        yield finding(rule, post, start, message=message)


def describe_secrets(rule) -> str:
    detect = detectors(rule)
    names = [DETECTORS[n].what for n in dict.fromkeys(detect) if n in DETECTORS][:8]
    if "generic" in detect:
        names.append("passwords")
    return f"never paste a secret, such as {quote_list(names, 9, 'or', '')}"


KINDS = [
    Kind("secrets", check_secrets, describe_secrets, prepare_secrets,
         optional=("detect", "patterns"), prose=False),
]  # fmt: skip
