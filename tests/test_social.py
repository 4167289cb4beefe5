"""plugins/social without Pelican: summaries, share links, CSP, JSON-LD, "Also on" lookup."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from plugins.people.directory import Account, Department, Person
from plugins.problems import ContentError
from plugins.run import run_of
from plugins.social.hook import attach_social, links_file, release_social
from plugins.social.jsonld import json_ld, organization_json_ld, script_safe_json
from plugins.social.meta import (
    SHARE_TARGETS,
    content_security_policy,
    plain_summary,
    share_links,
)
from tests.conftest import FIXTURES

LINKS = FIXTURES / "links"
SITEURL = "https://chorus.test"
POST_URL = f"{SITEURL}/posts/spades/"
HOSTILE_TITLE = 'Spades < shovels & "forks" #1 </script><!-- 100% ?a=b'
SETTINGS = {
    "SITEURL": SITEURL,
    "SITENAME": "Alder & Finch — Chorus",
    "SITESUBTITLE": "Voices",
    "DEFAULT_LANG": "en",
    "SHARE_PLATFORMS": list(SHARE_TARGETS),
    "MASTODON_SHARE_URL": "https://social.example.org/share",
    "EMBED_HOSTS": ["www.youtube-nocookie.com", "player.vimeo.com"],
    "ORGANIZATION": {
        "name": "Alder & Finch Co.",
        "url": "https://af.example",
        "logo": "images/logo.svg",
    },
}


def person() -> Person:
    return Person(
        handle="maria.lopez",
        name="María López",
        department="warehouse",
        title="Shift Lead, Inbound",
        accounts=[
            Account("linkedin", "LinkedIn", "https://www.linkedin.com/in/maria", "@maria"),
            Account("mastodon", "Mastodon", "https://social.example.org/@maria", "@maria@x"),
        ],
    )


def article(**overrides) -> SimpleNamespace:
    """What the plugin reads from a Pelican Article, as a plain object."""
    tz = dt.timezone(dt.timedelta(hours=1))
    values = {
        "title": HOSTILE_TITLE,
        "url": "posts/spades/",
        "slug": "spades",
        "date": dt.datetime(2026, 11, 20, 9, 30, tzinfo=tz),
        "summary": "<p>Fish &amp; <em>chips</em></p>",
        "tags": ["R&D", "tools"],
        "category": "warehouse",
        "department": Department("warehouse", "Warehouse & Operations"),
        "person": person(),
        "author": "maria.lopez",
        "lang": "en",
        "entry_id": "tag:alderfinch.example,2026:posts/what-contractors-tell-us",
    }
    values.update(overrides)
    return SimpleNamespace(**values)


# --- plain text --------------------------------------------------------------------------


def test_plain_summary_short_text_is_unchanged():
    assert plain_summary("<p>Short &quot;one&quot;.</p>") == 'Short "one".'


def test_plain_summary_cuts_long_text_at_a_word_with_an_ellipsis():
    words = " ".join(f"word{i}" for i in range(100))
    summary = plain_summary(f"<p>{words}</p>", limit=60)
    assert len(summary) <= 60
    assert summary.endswith("…")
    assert summary[:-1] in words
    assert words.startswith(summary[:-1] + " ")  # ends on a whole word


# --- share links -------------------------------------------------------------------------


def test_share_links_follow_the_settings_order():
    settings = {**SETTINGS, "SHARE_PLATFORMS": ["email", "bluesky", "linkedin"]}
    links = share_links(POST_URL, HOSTILE_TITLE, settings)
    assert [link["platform"] for link in links] == ["email", "bluesky", "linkedin"]
    assert [link["label"] for link in links] == [
        SHARE_TARGETS[p][0] for p in settings["SHARE_PLATFORMS"]
    ]


def test_share_links_carry_url_and_title_intact():
    """Each link, decoded, hands the platform exactly our URL and title (& # ? survive)."""
    links = {
        link["platform"]: urlsplit(link["url"])
        for link in share_links(POST_URL, HOSTILE_TITLE, SETTINGS)
    }
    assert set(links) == set(SHARE_TARGETS)
    query = {name: parse_qs(parts.query) for name, parts in links.items()}
    assert query["linkedin"] == {"url": [POST_URL]}
    assert query["facebook"] == {"u": [POST_URL]}
    assert query["x"] == {"text": [HOSTILE_TITLE], "url": [POST_URL]}
    assert query["threads"] == {"text": [HOSTILE_TITLE], "url": [POST_URL]}
    assert query["bluesky"] == {"text": [f"{HOSTILE_TITLE} {POST_URL}"]}
    assert query["mastodon"] == {"text": [f"{HOSTILE_TITLE} {POST_URL}"]}
    assert query["email"] == {"subject": [HOSTILE_TITLE], "body": [POST_URL]}
    hosts = {name: parts.hostname for name, parts in links.items()}
    assert hosts == {
        "linkedin": "www.linkedin.com",
        "x": "x.com",
        "facebook": "www.facebook.com",
        "bluesky": "bsky.app",
        "threads": "www.threads.com",
        "mastodon": "social.example.org",
        "email": None,
    }
    assert links["email"].scheme == "mailto"
    assert all(parts.scheme == "https" for name, parts in links.items() if name != "email")


def test_share_links_use_percent_twenty_not_plus():
    """mailto: and several composers print a literal '+' for a space."""
    for link in share_links(POST_URL, "two words", SETTINGS):
        assert "+" not in link["url"]
        assert "two%20words" in link["url"] or link["platform"] in ("linkedin", "facebook")


def test_mastodon_share_url_may_already_have_a_query():
    settings = {
        **SETTINGS,
        "SHARE_PLATFORMS": ["mastodon"],
        "MASTODON_SHARE_URL": "https://m.example/share?lang=en",
    }
    [link] = share_links(POST_URL, "t", settings)
    assert parse_qs(urlsplit(link["url"]).query) == {"lang": ["en"], "text": [f"t {POST_URL}"]}


def test_unknown_share_platform_is_an_error_not_a_silent_drop():
    with pytest.raises(ValueError, match="myspace"):
        share_links(POST_URL, "t", {**SETTINGS, "SHARE_PLATFORMS": ["linkedin", "myspace"]})


# --- CSP -----------------------------------------------------------------------------------


def test_csp_allows_only_self_and_the_embed_hosts():
    directives = dict(
        part.strip().split(" ", 1) for part in content_security_policy(SETTINGS).split(";")
    )
    assert directives["default-src"] == "'self'"
    assert directives["img-src"] == "'self' data:"
    assert directives["style-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["base-uri"] == "'self'"
    assert directives["form-action"] == "'self'"
    assert directives["frame-src"].split() == [f"https://{h}" for h in SETTINGS["EMBED_HOSTS"]]


def test_csp_without_embed_hosts_allows_no_frames():
    policy = content_security_policy({**SETTINGS, "EMBED_HOSTS": []})
    assert "frame-src 'none'" in policy


# --- JSON-LD -------------------------------------------------------------------------------


def test_script_safe_json_round_trips_without_raw_markup_characters():
    data = {"t": "</script><!-- & \u2028 >", "n": [1, "<"]}
    text = script_safe_json(data)
    assert not set("<>&\u2028") & set(text)
    assert json.loads(text) == data


def test_blog_posting():
    post = article(modified=dt.datetime(2026, 11, 21, 8, 0, tzinfo=dt.UTC), image="images/p.png",
                   image_alt='A "dock" & van')  # fmt: skip
    data = json.loads(json_ld(post, SETTINGS))
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "BlogPosting"
    assert data["headline"] == HOSTILE_TITLE
    assert data["description"] == "Fish & chips"
    assert data["datePublished"] == "2026-11-20T09:30:00+01:00"
    assert data["dateModified"] == "2026-11-21T08:00:00+00:00"
    assert data["url"] == POST_URL
    assert data["mainEntityOfPage"] == {"@type": "WebPage", "@id": POST_URL}
    assert data["image"]["url"] == f"{SITEURL}/images/p.png"
    assert data["image"]["description"] == 'A "dock" & van'
    assert data["keywords"] == "R&D, tools"
    assert data["articleSection"] == "Warehouse & Operations"
    assert data["author"] == {
        "@type": "Person",
        "name": "María López",
        "url": f"{SITEURL}/people/maria.lopez/",
        "jobTitle": "Shift Lead, Inbound",
        "sameAs": [a.url for a in person().accounts],
    }
    assert data["publisher"] == {
        "@type": "Organization",
        "name": "Alder & Finch Co.",
        "url": "https://af.example",
        "logo": {"@type": "ImageObject", "url": f"{SITEURL}/images/logo.svg"},
    }


def test_blog_posting_without_image_or_modified_date():
    data = json.loads(json_ld(article(), SETTINGS))
    assert "image" not in data
    assert data["dateModified"] == data["datePublished"]


def test_organization_json_ld():
    data = json.loads(organization_json_ld(SETTINGS))
    org, site = data["@graph"]
    assert org["@type"] == "Organization" and org["name"] == "Alder & Finch Co."
    assert site["@type"] == "WebSite" and site["url"] == f"{SITEURL}/"
    assert site["publisher"] == {"@id": org["@id"]}


# --- Pelican glue, with plain objects --------------------------------------------------------


def generator(content: Path, posts: list, links_name: str) -> SimpleNamespace:
    settings = {**SETTINGS, "PATH": str(content), "SYNDICATION_LINKS_FILE": links_name}
    return SimpleNamespace(
        settings=settings, articles=posts, translations=[], drafts=[], context={}
    )


def test_also_on_links_come_from_the_links_file(tmp_path):
    shutil.copy(LINKS / "also-on.json", tmp_path / "links.json")
    with_links, without = article(), article(entry_id="tag:alderfinch.example,2026:posts/other")
    gen = generator(tmp_path, [with_links, without], "links.json")
    attach_social(gen)
    expected = json.loads((LINKS / "also-on.json").read_text())["entries"][with_links.entry_id]
    assert {link["platform"]: link["url"] for link in with_links.syndication_links} == expected
    assert without.syndication_links == []
    assert gen.context["csp"] == content_security_policy(gen.settings)
    card = with_links.social
    assert card.canonical_url == POST_URL
    assert card.share_links == share_links(POST_URL, HOSTILE_TITLE, gen.settings)
    assert card.twitter_card == "summary"
    assert card.plain_summary == "Fish & chips"
    assert json.loads(card.json_ld)["headline"] == HOSTILE_TITLE


def test_a_post_with_an_image_gets_a_large_card(tmp_path):
    post = article(image="images/p.png", image_alt="A van")
    attach_social(generator(tmp_path, [post], "missing.json"))
    assert post.social.og_image == f"{SITEURL}/images/p.png"
    assert post.social.twitter_card == "summary_large_image"
    assert post.syndication_links == []  # no links file yet: nothing, not an error


def test_a_broken_links_file_is_one_located_problem(tmp_path):
    shutil.copy(LINKS / "not-json.json", tmp_path / "links.json")
    gen = generator(tmp_path, [article()], "links.json")
    attach_social(gen)
    [problem] = run_of(gen.settings).problems
    assert isinstance(problem, ContentError)
    assert problem.path == str(tmp_path / "links.json")
    assert problem.line == 6  # the line after the trailing comma


def test_links_file_may_be_absolute(tmp_path):
    absolute = LINKS / "also-on.json"
    assert links_file({"PATH": str(tmp_path), "SYNDICATION_LINKS_FILE": str(absolute)}) == absolute
    assert unquote(str(links_file({"PATH": "content"}))) == "content/syndication-links.json"


def test_a_card_forgets_its_values_once_its_page_is_written_and_can_make_them_again(tmp_path):
    post = article()
    attach_social(generator(tmp_path, [post], "missing.json"))
    card = post.social
    first = (card.canonical_url, card.json_ld, card.share_links)
    release_social("out/posts/x/index.html", context={"article": post})
    assert set(vars(card)) == {"article", "settings"}  # nothing kept to the end of the build
    assert (card.canonical_url, card.json_ld, card.share_links) == first
    release_social("out/index.html", context={"articles": [post]})  # a listing: untouched
    assert "json_ld" in vars(card)
