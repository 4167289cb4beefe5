"""Development settings: what `make site` and `invoke build` use.

Everything a later step needs (feeds, the entry manifest, the links file) is written
from here; publishconf.py only changes what differs for the public site.
"""

from pathlib import Path

from core.feeds import feed_paths

ROOT = Path(__file__).resolve().parent

# --- Site -------------------------------------------------------------------------------
SITENAME = "Alder & Finch — Chorus"
SITESUBTITLE = "Voices from every department of Alder & Finch"
# Absolute links that must stay absolute (feeds, canonical, og:url) use SITEURL; every link a
# browser follows is relative in this build (RELATIVE_URLS at the end), so the development
# site works on whatever address serves it (127.0.0.1, localhost, a LAN name, file://).
SITEURL = "http://localhost:8000"
AUTHOR = "Alder & Finch"
ORGANIZATION = {
    "name": "Alder & Finch Co.",
    "url": "https://alderfinch.example",
    "logo": "images/logo.svg",
    "domain": "alderfinch.example",
}
TIMEZONE = "Europe/Amsterdam"
DEFAULT_LANG = "en"
DEFAULT_DATE_FORMAT = "%-d %B %Y"

# --- Content ----------------------------------------------------------------------------
PATH = "content"
ARTICLE_PATHS = ["posts"]
PAGE_PATHS = ["pages"]
STATIC_PATHS = ["images", "extra"]
EXTRA_PATH_METADATA = {}
IGNORE_FILES = [".#*", "*~", "*.swp"]
USE_FOLDER_AS_CATEGORY = True  # the department is the folder under posts/
SLUGIFY_SOURCE = "basename"  # the slug is the file name: editing the title never moves a post
DEFAULT_PAGINATION = 10
SUMMARY_MAX_LENGTH = 50
TYPOGRIFY = False
# Posts are parsed once by markdown-it-py (plugins/posts/markdown.py), which gives the page and
# the lint the same structure; it renders code and heading ids as Python-Markdown would,
# with the codehilite and toc options below. Python-Markdown itself is only the fallback of
# Pelican's own readers.
MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.codehilite": {"css_class": "highlight", "guess_lang": False},
        "markdown.extensions.extra": {},
        "markdown.extensions.toc": {"permalink": False},
    },
    "output_format": "html5",
}

# Chorus' own settings: each is declared, with its default and docstring, in
# core/settings.py; these are the development site's values.
# Files the site reads besides posts: one place each.
PEOPLE_PATH = "people"  # content/people/<handle>.yaml
DEPARTMENTS_FILE = "departments.yaml"  # content/departments.yaml
SYNDICATION_LINKS_FILE = "syndication-links.json"  # written by syndication/ (cross-posting)
GUIDELINES_FILE = "guidelines.yaml"  # content/guidelines.yaml: the lint's rules and the page
APPROVALS_PATH = "approvals"  # content/approvals/<slug>.yaml, written by `invoke approve`
GUIDELINES_URL = "guidelines/"  # lint messages link to guidelines/#<rule id>
GUIDELINES_SAVE_AS = "guidelines/index.html"
# Build gate: "dev" builds every post and shows its findings on its page; publishconf.py
# sets "publish" (an error on a published post fails the build); "off" skips the lint.
GUIDELINES_GATE = "dev"
# `invoke preview` shows these panels beside the post: "module:function" names, each called
# with (article, settings) and returning chorus.preview.Panel objects (for
# example how the post will look on each platform).
PREVIEW_PANELS = []

# Audiences (plugins/posts/audience.py): a post is public or internal (`audience:`, else its
# department's default). This build writes the public site; internalconf.py writes the
# intranet one (every post). Drafts: the dev build shows them under drafts/ for their authors;
# publishconf.py never writes them, and the intranet carries them for review.
CHORUS_AUDIENCE = "public"
CHORUS_DRAFTS = True

# --- URLs (every page is a folder, so links survive a change of generator) --------------
ARTICLE_URL = "posts/{slug}/"
ARTICLE_SAVE_AS = "posts/{slug}/index.html"
DRAFT_URL = "drafts/{slug}/"
DRAFT_SAVE_AS = "drafts/{slug}/index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
CATEGORY_URL = "departments/{slug}/"
CATEGORY_SAVE_AS = "departments/{slug}/index.html"
CATEGORIES_URL = "departments/"
CATEGORIES_SAVE_AS = "departments/index.html"
TAG_URL = "tags/{slug}/"
TAG_SAVE_AS = "tags/{slug}/index.html"
TAGS_URL = "tags/"
TAGS_SAVE_AS = "tags/index.html"
# Authors are people: the people plugin writes people/ and people/<handle>/.
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
ARCHIVES_SAVE_AS = "archives/index.html"
ARCHIVES_URL = "archives/"
YEAR_ARCHIVE_SAVE_AS = ""
MONTH_ARCHIVE_SAVE_AS = ""
INDEX_SAVE_AS = "index.html"
DIRECT_TEMPLATES = ["index", "tags", "categories", "archives", "404"]  # 404 → 404.html
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
)

# --- Feeds: Pelican's own are off; plugins/feeds writes Atom, RSS and JSON Feed ----------
FEED_ALL_ATOM = None
FEED_ALL_RSS = None
CATEGORY_FEED_ATOM = None
CATEGORY_FEED_RSS = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TAG_FEED_ATOM = None
TAG_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
TRANSLATION_FEED_RSS = None
FEED_MAX_ITEMS = 20
FEED_ID_START = "2026"  # the year in tag: URIs; never change it, or every entry id changes
WEBSUB_HUB = None  # publishconf.py names the hub

# --- Cross-posting texts (syndication/compose) --------------------------------------------
# One sandboxed Jinja2 template per platform; a platform left out uses the default in
# syndication/compose/templates.py ("{{ title }}\n\n{{ summary }}\n\n{{ hashtags }}\n\n{{ url }}").
# Variables: title, summary, url, tags, hashtags, author_name, department. `url` (the link
# back) and `hashtags` (CamelCase, from the tags) are never cut; the rest is cut at a word
# to fit each platform's limit. Without `{{ url }}` the link back is added at the end.
# A post's `syndication_text: {platform: "…"}` replaces the template for that platform.
SYNDICATION_TEMPLATES = {
    "x": "{{ title }}\n\n{{ hashtags }} {{ url }}",  # 280 weighted characters: no summary
}

# --- Theme ------------------------------------------------------------------------------
THEME = "themes/chorus"
JINJA_ENVIRONMENT = {"trim_blocks": True, "lstrip_blocks": True, "autoescape": True}
JINJA_GLOBALS = {"feed_paths": feed_paths}  # feed_paths("tags", tag.slug)["atom"]
SHARE_PLATFORMS = ["linkedin", "mastodon", "bluesky", "x", "facebook", "threads", "email"]
MASTODON_SHARE_URL = "https://social.alderfinch.example/share"  # the org's instance
MENUITEMS = []
DISPLAY_PAGES_ON_MENU = True
DISPLAY_CATEGORIES_ON_MENU = False

# Raw HTML authors may use; everything else is removed (plugins/sanitize).
EMBED_HOSTS = ["www.youtube-nocookie.com", "player.vimeo.com", "video.alderfinch.example"]

# --- Plugins ----------------------------------------------------------------------------
PLUGIN_PATHS = [str(ROOT)]
PLUGINS = [
    "plugins.posts",  # front matter: YAML, checked, with file:line errors
    "plugins.people",  # people directory, profiles, departments
    "plugins.sanitize",  # raw HTML in posts through nh3
    "plugins.social",  # canonical/OG/Twitter/JSON-LD data, share and "also on" links
    "plugins.feeds",  # Atom, RSS 2.0, JSON Feed 1.1 per site/department/person/tag
    "plugins.guidelines",  # build gate (lint) and the Guidelines page
    "plugins.metrics",  # Metrics page, metrics.json, metrics.csv (after guidelines: its lint)
    "plugins.listening",  # Listening page + Atom digest per department, from the snapshot
    "plugins.backfeed",  # conversations: approved replies (u-comment h-cite), counts, "Reply on …"
]

# Listening: `invoke listen` reads content/listening.yaml and writes the snapshot the build
# renders (None = <PATH>/listening/snapshot.json; the metrics plugin reads the same file).
LISTENING_SNAPSHOT = None
# The Listening page warns when its snapshot is older than this many days.
LISTENING_STALE_DAYS = 3

# Metrics: "the last 90 days" end on the newest of BUILD_DATE ("YYYY-MM-DD") and today.
BUILD_DATE = None

CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
DELETE_OUTPUT_DIRECTORY = False  # chorus.build writes into a fresh folder and swaps it in
RELATIVE_URLS = True  # development only: publishconf.py sets it back to False
FEED_ID_AUTHORITY = "alderfinch.example"  # with FEED_ID_START: tag:<authority>,<start>:posts/<slug>
