"""The approval rule kind: a post an approval rule covers needs a current record, by an
allowed approver who is not the author (records and coverage: plugins/guidelines/approvals.py).
Approval rules cannot be switched off inline: that would let a post approve itself."""

from __future__ import annotations

from core.paths import shown_path
from plugins.guidelines.approvals import content_hash, covers, load_approval
from plugins.guidelines.kinds.base import Kind, finding, string_list, terms_option
from plugins.guidelines.model import Finding, GuidelinesError, OptionError
from plugins.guidelines.terms import quote_list


def prepare(rule):
    approvers = string_list(rule, "approvers")
    if not approvers:
        raise OptionError("approvers", "'approvers' lists the handles who may approve")
    return approvers, terms_option(rule)


def check(rule, post, ctx):
    if not covers(rule, post):
        return
    approvers = rule.compiled[0]
    others = [a for a in approvers if a != post.author]
    ask = f"ask {quote_list(others)} to approve it (invoke approve {post.path} --by HANDLE)"
    try:
        record = load_approval(ctx.approvals_dir, post.slug) if ctx.approvals_dir else None
    except GuidelinesError as exc:
        yield Finding(
            shown_path(exc.path),
            exc.line or 1,
            1,
            rule.id,
            rule.level,
            exc.message,
            rule.section_id,
            rule.section_title,
        )
        return
    if record is None:
        yield finding(
            rule,
            post,
            line=post.start_line,
            message=f"{rule.message} This post needs approval before it is published: {ask}.",
        )
        return
    if record.approver == post.author:
        yield finding(
            rule,
            post,
            line=post.start_line,
            message=f"{rule.message} It was "
            f"approved by its own author, which does not count: {ask}.",
        )
    elif record.approver not in approvers:
        yield finding(
            rule,
            post,
            line=post.start_line,
            message=f"{rule.message} "
            f"{record.approver} approved it but is not an approver for {rule.id}: "
            f"{ask}.",
        )
    elif record.content_sha256 != content_hash(post.extra.get("file", post.path)):
        yield finding(
            rule,
            post,
            line=post.start_line,
            message=f"{rule.message} "
            f"{record.approver} approved it on {record.when}, but the post has "
            f"changed since: {ask.replace('approve it', 'approve it again')}.",
        )


def describe(rule) -> str:
    approvers, _trigger = rule.compiled
    who = quote_list(approvers, 8, "or", "")
    terms = string_list(rule, "terms")
    what = f"posts that mention {quote_list(terms, 3)}" if terms else ""
    scope = rule.applies.describe()
    if not what:
        what = scope or "these posts"  # describe_rule() does not repeat the scope
    return f"{what} need approval from {who} (never their author) before they are published"


KINDS = [
    Kind(
        "approval",
        check,
        describe,
        prepare,
        required=("approvers",),
        optional=("terms", "patterns", "case_sensitive"),
        switchable=False,
    )
]
