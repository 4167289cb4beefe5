"""Prior approval: which posts need it, the record that grants it, and the lint check.

A record is `content/approvals/<slug>.yaml`:

    post: content/posts/finance/reading-our-half-year-numbers.md   # relative to the repo root
    approver: camille.bernard
    approved: 2026-09-29T15:10:00+00:00
    guidelines_version: "2.1"
    content_sha256: 3f1c…      # of the post file's bytes, CRLF normalised to LF
    rule: approval.finance

The hash is of the whole file, front matter included: changing the date, the tags or a word
after approval makes the approval stale, and the lint says when it was given. The CRLF
normalisation keeps an approval valid on a Windows checkout. In a real deployment the
approvals folder is guarded by CODEOWNERS; the checks here stop the honest mistakes (the
author approving, the wrong approver, editing after approval).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import yaml

from core.paths import shown_path
from core.yamltext import yaml_error
from plugins.guidelines.model import GuidelinesError, Rule
from plugins.guidelines.post import Post, load_post
from plugins.guidelines.prose import DEFAULT_SCOPES, search
from plugins.guidelines.terms import quote_list

RECORD_KEYS = ("post", "approver", "approved", "guidelines_version", "content_sha256", "rule")


@dataclass(frozen=True)
class Approval:
    path: str  # the record file
    post: str
    approver: str
    approved: str  # ISO 8601 date-time
    guidelines_version: str
    content_sha256: str
    rule: str

    @property
    def when(self) -> str:
        """'29 September 2026 at 15:10 UTC' for messages; the raw text if unparseable."""
        try:
            moment = dt.datetime.fromisoformat(self.approved)
        except ValueError:
            return self.approved
        zone = " UTC" if moment.utcoffset() == dt.timedelta(0) else ""
        return f"{moment.day} {moment:%B %Y} at {moment:%H:%M}{zone}"


def content_hash(path: str | Path) -> str:
    data = Path(path).read_bytes().replace(b"\r\n", b"\n")
    return hashlib.sha256(data).hexdigest()


def load_approval(approvals_dir: str | Path, slug: str) -> Approval | None:
    """The record for a post, None if there is none; GuidelinesError(file, line, message)
    if the record is broken (the lint turns that into one finding, not a crash)."""
    path = Path(approvals_dir) / f"{slug}.yaml"
    shown = path.as_posix()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise GuidelinesError(shown, None, f"cannot read the approval record: {exc}") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        error = yaml_error(shown, exc, text, what="the approval record")
        raise GuidelinesError(shown, error.line, error.message) from None
    if not isinstance(data, dict):
        raise GuidelinesError(shown, 1, "an approval record is 'key: value' lines")
    missing = [key for key in RECORD_KEYS if not data.get(key)]
    if missing:
        raise GuidelinesError(shown, 1, f"approval record lacks {', '.join(missing)}")
    values = {key: data[key] for key in RECORD_KEYS}
    if isinstance(values["approved"], dt.datetime | dt.date):
        values["approved"] = values["approved"].isoformat()
    return Approval(shown, **{key: str(value) for key, value in values.items()})


def covers(rule: Rule, post: Post) -> bool:
    """Does this approval rule apply to the post: its departments/tags/authors match, and
    (if the rule lists terms) one of them appears in the post's prose."""
    if rule.kind != "approval" or not rule.applies.matches(post):
        return False
    trigger = rule.compiled[1]
    scopes = rule.applies.scopes or DEFAULT_SCOPES
    return trigger is None or next(search(trigger, post, scopes), None) is not None


def approval_rules_for(post: Post, guidelines) -> list[Rule]:
    return [rule for rule in guidelines.rules if covers(rule, post)]


def write_approval(
    approvals_dir: str | Path,
    post_path: str | Path,
    approver: str,
    rule: Rule,
    guidelines_version: str,
    now: dt.datetime | None = None,
    *,
    repo_root: Path | None = None,
) -> Path:
    """Write (or replace) the approval record for a post. Raises ValueError, with a message
    for the person at the keyboard, when the approver is the author or not allowed by the
    rule, or when the rule does not cover the post."""
    post = load_post(post_path)
    approvers = rule.compiled[0] if rule.kind == "approval" else []
    if rule.kind != "approval":
        raise ValueError(f"'{rule.id}' is not an approval rule")
    if approver == post.author:
        raise ValueError(
            f"{approver} wrote this post and cannot approve it: ask "
            f"{quote_list([a for a in approvers if a != approver]) or 'another approver'}"
        )
    if approver not in approvers:
        raise ValueError(
            f"{approver} may not approve under {rule.id}; the approvers are {quote_list(approvers)}"
        )
    if not covers(rule, post):
        raise ValueError(f"{rule.id} does not apply to this post, so it needs no approval under it")
    moment = (now or dt.datetime.now(dt.UTC)).replace(microsecond=0)
    record = {
        "post": shown_path(post_path, repo_root),
        "approver": approver,
        "approved": moment.isoformat(),
        "guidelines_version": str(guidelines_version),
        "content_sha256": content_hash(post_path),
        "rule": rule.id,
    }
    target = Path(approvals_dir) / f"{post.slug}.yaml"
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_suffix(".yaml.tmp")
    temporary.write_text(yaml.safe_dump(record, sort_keys=False, allow_unicode=True), "utf-8")
    os.replace(temporary, target)  # never a half-written record
    return target
