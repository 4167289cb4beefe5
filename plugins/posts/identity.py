"""The entry id: one stable name for a post, from feed to ledger to links file.

It depends only on the slug (the file name), so editing a post's date or title keeps it;
it is a tag: URI (RFC 4151), so it is a valid Atom id and an honest RSS guid
(isPermaLink="false").
"""


def entry_id(authority: str, start: str, slug: str) -> str:
    return f"tag:{authority},{start}:posts/{slug}"
