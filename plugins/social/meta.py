"""Social metadata as plain data: summaries, share links, the CSP, absolute URLs.

No Pelican here, so every function is unit-tested with plain arguments. The templates only
print what these functions return; all decisions (what a share link looks like, what the
page may load) live in Python where they can be tested.
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

from core.settings import chorus_settings
from core.text import html_to_text
from plugins.text import cut_at_word

SUMMARY_MAX_CHARS = 200

# Platform → (label, share endpoint, which query fields it takes). All of these only open the
# platform's own composer: nothing is loaded from them until the reader clicks.
SHARE_TARGETS: dict[str, tuple[str, str]] = {
    "linkedin": ("LinkedIn", "https://www.linkedin.com/sharing/share-offsite/"),
    "x": ("X", "https://x.com/intent/post"),
    "facebook": ("Facebook", "https://www.facebook.com/sharer/sharer.php"),
    "bluesky": ("Bluesky", "https://bsky.app/intent/compose"),
    "threads": ("Threads", "https://www.threads.com/intent/post"),
    "mastodon": ("Mastodon", ""),  # the endpoint is the organization's instance (settings)
    "email": ("Email", "mailto:"),
}


def plain_summary(markup: str, limit: int = SUMMARY_MAX_CHARS) -> str:
    """A summary for og:description and meta description: plain text, at most `limit`
    characters, cut at a word boundary with an ellipsis, because platforms show these raw
    and would print tags and entities literally."""
    return cut_at_word(html_to_text(markup), limit)


def share_links(url: str, title: str, settings: dict) -> list[dict[str, str]]:
    """[{platform, label, url}] for each platform in settings SHARE_PLATFORMS, in that order.

    Plain links to each platform's own share page: no button script, no counter, no
    request to anybody until the reader decides to share. Raises ValueError for a platform
    we do not know, so a typo in the settings is noticed instead of silently dropped.
    """
    links = []
    text = f"{title} {url}"
    for platform in chorus_settings(settings).SHARE_PLATFORMS:
        if platform not in SHARE_TARGETS:
            raise ValueError(
                f"SHARE_PLATFORMS: unknown platform '{platform}' "
                f"(known: {', '.join(SHARE_TARGETS)})"
            )
        label, endpoint = SHARE_TARGETS[platform]
        if platform == "linkedin":
            query = {"url": url}
        elif platform == "facebook":
            query = {"u": url}
        elif platform in ("x", "threads"):
            query = {"text": title, "url": url}
        elif platform == "email":
            query = {"subject": title, "body": url}
        else:  # bluesky, mastodon: one text field, the link inside it
            query = {"text": text}
        if platform == "mastodon":
            endpoint = chorus_settings(settings).MASTODON_SHARE_URL
        # %20 rather than '+': mailto: and several composers show a literal '+'.
        sep = "&" if "?" in endpoint else "?"
        href = f"{endpoint}{sep}{urlencode(query, quote_via=quote)}"
        links.append({"platform": platform, "label": label, "url": href})
    return links


def content_security_policy(settings: dict) -> str:
    """The policy every page carries in <meta http-equiv>: only our own host, plus iframes
    from the embed hosts authors may use (the sanitizer lets the same hosts through)."""
    frames = " ".join(f"https://{host}" for host in chorus_settings(settings).EMBED_HOSTS)
    return "; ".join(
        [
            "default-src 'self'",
            "img-src 'self' data:",
            "style-src 'self'",
            "script-src 'self'",
            f"frame-src {frames}" if frames else "frame-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "object-src 'none'",
        ]
    )
