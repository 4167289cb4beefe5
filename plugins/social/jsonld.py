"""schema.org JSON-LD for posts and for the organization, as dicts serialised safely.

The dicts are built here, not in a template, so the structure is tested as data and the
text inside it is escaped once, by json.dumps, instead of by hand in Jinja.
"""

from __future__ import annotations

import json
from typing import Any

from core.settings import chorus_settings
from core.urls import absolute_url
from plugins.social.meta import plain_summary

# Inside <script> the HTML parser ends the block at "</script" and treats "<!--" specially;
# JSON allows \uXXXX escapes anywhere in a string, so these characters never appear raw.
# U+2028/U+2029 are valid JSON but were line terminators in older JavaScript.
_SCRIPT_SAFE = {
    ord("<"): "\\u003c",
    ord(">"): "\\u003e",
    ord("&"): "\\u0026",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}


def script_safe_json(data: Any) -> str:
    """JSON that can be printed verbatim inside <script type="application/ld+json">."""
    text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False)
    return text.translate(_SCRIPT_SAFE)


def organization(settings: dict) -> dict[str, Any]:
    """settings ORGANIZATION as a schema.org Organization (logo made absolute)."""
    org = chorus_settings(settings).ORGANIZATION
    data: dict[str, Any] = {"@type": "Organization", "name": org.get("name", "")}
    if org.get("url"):
        data["url"] = org["url"]
    if org.get("logo"):
        data["logo"] = {
            "@type": "ImageObject",
            "url": absolute_url(settings.get("SITEURL", ""), org["logo"]),
        }
    return data


def organization_json_ld(settings: dict) -> str:
    """The home page's block: the organization, and the site as its WebSite."""
    siteurl = settings.get("SITEURL", "").rstrip("/")
    data = {
        "@context": "https://schema.org",
        "@graph": [
            {**organization(settings), "@id": f"{siteurl}/#organization"},
            {
                "@type": "WebSite",
                "@id": f"{siteurl}/#website",
                "name": settings.get("SITENAME", ""),
                "url": f"{siteurl}/",
                "description": settings.get("SITESUBTITLE", ""),
                "publisher": {"@id": f"{siteurl}/#organization"},
                "inLanguage": settings.get("DEFAULT_LANG", "en"),
            },
        ],
    }
    return script_safe_json(data)


def person_data(person, siteurl: str) -> dict[str, Any]:
    """A people-directory Person as schema.org Person; sameAs = their public accounts."""
    data: dict[str, Any] = {"@type": "Person", "name": person.name}
    data["url"] = absolute_url(siteurl, person.url)
    if person.title:
        data["jobTitle"] = person.title
    same_as = [account.url for account in person.accounts]
    if same_as:
        data["sameAs"] = same_as
    return data


def blog_posting(article, settings: dict) -> dict[str, Any]:
    """The BlogPosting dict for one post (see json_ld)."""
    siteurl = settings.get("SITEURL", "")
    url = absolute_url(siteurl, article.url)
    published = article.date.isoformat()
    modified = getattr(article, "modified", None)
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "BlogPosting",
        "headline": article.title,
        "description": plain_summary(getattr(article, "summary", "") or ""),
        "datePublished": published,
        "dateModified": modified.isoformat() if modified else published,
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "inLanguage": getattr(article, "lang", None) or settings.get("DEFAULT_LANG", "en"),
    }
    image = getattr(article, "image", None)
    if image:
        data["image"] = {
            "@type": "ImageObject",
            "url": absolute_url(siteurl, str(image)),
            "description": str(getattr(article, "image_alt", "") or ""),
        }
    tags = [str(tag) for tag in getattr(article, "tags", None) or []]
    if tags:
        data["keywords"] = ", ".join(tags)
    department = getattr(article, "department", None)
    if department is not None:
        data["articleSection"] = department.name
    elif getattr(article, "category", None) is not None:
        data["articleSection"] = str(article.category)
    person = getattr(article, "person", None)
    if person is not None:
        data["author"] = person_data(person, siteurl)
    else:
        data["author"] = {"@type": "Person", "name": str(getattr(article, "author", ""))}
    data["publisher"] = organization(settings)
    return data


def json_ld(article, settings: dict) -> str:
    """One post's BlogPosting JSON-LD, ready to print inside <script type=ld+json>."""
    return script_safe_json(blog_posting(article, settings))
