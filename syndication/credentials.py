"""Credentials for the platforms: only from the environment (or a KEY=VALUE file that the
environment names), and never shown.

Why one module: every place that could leak a secret — error messages, log lines, the
dry-run report — goes through `redact()`, and `redact()` can only know the secrets if the
same module loaded them. A platform gets its credentials as a plain dict keyed by the
environment variable names, so the README table, CI settings and code use one name each.
"""

from __future__ import annotations

import logging
import os
import re
import threading
from collections.abc import Mapping
from pathlib import Path

from syndication.registry import SPECS

WEBSUB_HUB = "CHORUS_WEBSUB_HUB"

ENV: dict[str, tuple[str, ...]] = {
    **{name: spec.required for name, spec in SPECS.items()},
    "websub": (WEBSUB_HUB,),  # a hub told once per site, not a platform posted to per entry
}
"""Platform → the variables it cannot work without (load() returns None if one is missing)."""

OPTIONAL: dict[str, tuple[str, ...]] = {
    name: spec.optional for name, spec in SPECS.items() if spec.optional
}
"""Variables a platform uses when present (syndication.registry says why each exists)."""

SECRET: frozenset[str] = frozenset().union(*(spec.secret for spec in SPECS.values()))
"""Values redact() hides. Ids, handles and hub URLs are not secret and stay readable, so
that an error message can still say which account or page failed."""

SECRETS_FILE_VAR = "CHORUS_SECRETS_FILE"
MASK = "***"
MIN_SECRET_LENGTH = 4  # hiding "ab" everywhere would garble messages and protect nothing

_secrets: set[str] = set()
_lock = threading.Lock()
_PATTERNS = (
    # Authorization headers and their echoes: "Bearer abc", "OAuth abc", "Basic abc"
    (re.compile(r"(?i)\b(Bearer|OAuth|Basic)\s+[A-Za-z0-9._~+/=:-]{8,}"), r"\1 ***"),
    # query strings and form bodies: access_token=…, token=…, password=…
    (
        re.compile(
            r"(?i)\b((?:access_|refresh_|app_|input_)?(?:token|password|secret))=[^&\s\"'<>]+"
        ),
        r"\1=***",
    ),
    # JSON echoes: "access_token": "…", "accessJwt": "…"
    (
        re.compile(
            r"(?i)\"((?:access_|refresh_|app_)?(?:token|password|secret)|accessJwt|refreshJwt)\""
            r"\s*:\s*\"[^\"]*\""
        ),
        r'"\1": "***"',
    ),
)


def remember(value: str) -> None:
    """Add a value that redact() must hide from now on (load() calls it for every secret)."""
    value = (value or "").strip()
    if len(value) >= MIN_SECRET_LENGTH:
        with _lock:
            _secrets.add(value)


def read_secrets_file(path: str | Path) -> dict[str, str]:
    """KEY=VALUE lines (blank lines and # comments skipped; optional quotes stripped).

    A malformed line is an error naming file:line, never a guess: a half-read secrets file
    would make a platform look unconfigured for the wrong reason.
    """
    values: dict[str, str] = {}
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CredentialsError(f"{path}: cannot read secrets file: {exc.strerror}") from None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("export "):
            line = line[len("export ") :].lstrip()
        name, sep, value = line.partition("=")
        name = name.strip()
        if not sep or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise CredentialsError(f"{path}:{number}: expected KEY=VALUE")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[name] = value
    return values


class CredentialsError(Exception):
    """A secrets file that cannot be read; the message names file:line and no value."""


def _merged(environ: Mapping[str, str]) -> dict[str, str]:
    merged: dict[str, str] = {}
    secrets_file = environ.get(SECRETS_FILE_VAR)
    if secrets_file:
        merged.update(read_secrets_file(secrets_file))
    merged.update({k: v for k, v in environ.items() if k.startswith("CHORUS_")})
    return merged


def load(platform: str, environ: Mapping[str, str] | None = None) -> dict[str, str] | None:
    """The platform's variables (required + optional that are set), or None if a required
    one is missing or empty. Environment wins over CHORUS_SECRETS_FILE."""
    if platform not in ENV:
        raise KeyError(f"no credentials are defined for platform {platform!r}")
    merged = _merged(os.environ if environ is None else environ)
    found = {name: merged.get(name, "").strip() for name in ENV[platform]}
    for name, value in found.items():
        if name in SECRET:
            remember(value)
    if not all(found.values()):
        return None
    for name in OPTIONAL.get(platform, ()):
        if merged.get(name, "").strip():
            found[name] = merged[name].strip()
    return found


def secret(name: str, environ: Mapping[str, str] | None = None) -> str:
    """One CHORUS_* variable whose name content chooses (a department's channel in
    departments.yaml), read like the platforms' and hidden by redact() from now on."""
    found = _merged(os.environ if environ is None else environ).get(name, "").strip()
    remember(found)
    return found


def missing(platform: str, environ: Mapping[str, str] | None = None) -> list[str]:
    """Names of the required variables that are not set (for "refuses without credentials")."""
    merged = _merged(os.environ if environ is None else environ)
    return [name for name in ENV[platform] if not merged.get(name, "").strip()]


def redact(text: str) -> str:
    """`text` with every known secret and every credential-looking pattern masked."""
    if not text:
        return text
    text = str(text)
    with _lock:
        secrets = sorted(_secrets, key=len, reverse=True)  # longest first: no partial leftovers
    for secret in secrets:
        if secret in text:
            text = text.replace(secret, MASK)
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class RedactingFilter(logging.Filter):
    """Rewrites a record's message with redact() before any handler formats it."""

    def filter(self, record: logging.LogRecord) -> bool:
        _redact_record(record)
        return True


def _redact_record(record: logging.LogRecord) -> None:
    if getattr(record, "_chorus_redacted", False):
        return
    try:
        message = record.getMessage()
    except Exception:  # a broken %-format is the logger user's bug; leave it to logging
        return
    record.msg = redact(message)
    record.args = None
    if record.exc_info and record.exc_info[1] is not None and not record.exc_text:
        record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
    record._chorus_redacted = True


_installed = False


def install_log_redaction() -> None:
    """Redact every log record, whichever logger made it (httpx logs each request URL, and a
    webhook URL is a secret).

    A filter on the root logger alone sees only records logged *on* the root logger, not
    those propagated from `httpx` or `syndication.*`; so the filter also goes on the root's
    handlers and the record factory redacts at creation. Safe to call more than once.
    """
    global _installed
    root = logging.getLogger()
    flt = next((f for f in root.filters if isinstance(f, RedactingFilter)), None)
    if flt is None:
        flt = RedactingFilter()
        root.addFilter(flt)
    for handler in root.handlers:
        if not any(isinstance(f, RedactingFilter) for f in handler.filters):
            handler.addFilter(flt)
    if _installed:
        return
    previous = logging.getLogRecordFactory()

    def factory(*args, **kwargs):
        record = previous(*args, **kwargs)
        _redact_record(record)
        return record

    logging.setLogRecordFactory(factory)
    _installed = True
