"""A generated Chorus site: N realistic posts in Chorus' own format, for the benchmarks.

`make_corpus(target, n, seed)` writes a complete content tree that both builds read:

    target/content/posts/<department>/<slug>.md   YAML front matter + Markdown (headings,
                                                  lists, https links, a link to an earlier
                                                  post, one fenced code block, some tables)
    target/content/people/<handle>.yaml           ~50 authors, each with accounts
    target/content/approvals/<slug>.yaml          every Finance post, approved (hash of the file)
    target/content/pages/, departments.yaml, guidelines.yaml, listening.yaml, listening/,
    images/logo.svg, syndication-links.json       copied from the repository's content/
    target/chorus_settings.py                     pelicanconf.py with PATH → this tree
    target/vanilla_settings.py                    Pelican defaults + yaml_metadata, notmyidea,
                                                  Atom+RSS for all/category/author/tag

The posts are written to be guideline-clean (no code names, customers, absolute claims,
personal data, prices…), so the build gate keeps every one of them; `bench/run.py` lints
each corpus it makes and says so if that ever stops being true. Deterministic: the same
(n, seed) gives byte-identical files.

    python -m bench.corpus TARGET -n 1000 [--seed 2026]
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import random
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPO_CONTENT = ROOT / "content"
GENERATOR_VERSION = 4  # raise when the output changes: cached corpora are then remade
DEFAULT_SEED = 2026
START = dt.datetime(2024, 12, 1, 8, 0)
SPAN_DAYS = 730  # two years of posts
APPROVERS = ("camille.bernard", "priya.raman")  # guidelines.yaml approval.finance approvers

DEPARTMENTS = ("hr", "warehouse", "sales", "support", "it", "marketing", "product", "finance")

FIRST = (
    "anna", "bram", "chloe", "daan", "elif", "femke", "gijs", "hana", "ivo", "jasmijn",
    "karim", "lotte", "milan", "noor", "otto", "petra", "quinn", "ruben", "sanne", "tariq",
    "ursula", "vera", "willem", "xander", "yara", "zeynep", "amir", "bo", "cas", "dewi",
)  # fmt: skip
LAST = (
    "akkerman", "bakker", "claes", "dijkstra", "evers", "fontaine", "gerritsen", "hofman",
    "janssen", "kuiper", "lambrecht", "meijer", "nieuwenhuis", "oosterhout", "peeters",
    "quist", "roelofs", "smit", "timmer", "uzun", "visser", "wouters", "yilmaz", "zwart",
)  # fmt: skip

ROLES = {
    "hr": ["Recruiter", "People Partner", "Learning Coordinator", "Payroll Specialist"],
    "warehouse": ["Shift Lead", "Forklift Trainer", "Inventory Planner", "Dock Coordinator"],
    "sales": ["Account Manager", "Dealer Liaison", "Sales Analyst", "Regional Lead"],
    "support": ["Support Agent", "Repair Technician", "Warranty Specialist", "Team Lead"],
    "it": ["Developer", "Systems Engineer", "Service Desk Lead", "Data Engineer"],
    "marketing": ["Copywriter", "Designer", "Campaign Manager", "Social Media Editor"],
    "product": ["Product Designer", "Test Engineer", "Materials Engineer", "Product Owner"],
    "finance": ["Controller", "Accounts Payable Lead", "Analyst", "Bookkeeper"],
}

# What each department writes about: nouns the sentence templates are filled with.
TOPICS = {
    "hr": ["onboarding", "the mentoring scheme", "apprentices", "the summer rota",
           "team lunches", "the learning budget", "flexible hours", "the new starters"],
    "warehouse": ["pallet routing", "the early shift", "dock scheduling", "pick-to-cart",
                  "the racking layout", "returns handling", "cycle counts", "loading bays"],
    "sales": ["dealer visits", "the spring order book", "garden centre displays",
              "contractor feedback", "trade fairs", "the dealer newsletter", "sample kits",
              "repeat orders"],
    "support": ["the repair bench", "warranty claims", "the help centre", "chat replies",
                "spare handles", "repair videos", "the returns form", "callback times"],
    "it": ["the scanner rollout", "the order system", "backups", "the build pipeline",
           "laptop refreshes", "the service desk", "single sign-on", "this website"],
    "marketing": ["the autumn catalogue", "product photography", "the newsletter",
                  "trade fair stands", "our style guide", "customer stories", "video shoots",
                  "the brand colours"],
    "product": ["ash handles", "blade steel", "the field trial", "grip testing",
                "repairable rivets", "the drop test", "prototype feedback", "tool weights"],
    "finance": ["invoice processing", "the expense tool", "the audit checklist",
                "supplier onboarding", "month-end closing", "travel claims",
                "the budget calendar", "purchase orders"],
}  # fmt: skip
PLACES = ["Rotterdam", "the Benelux", "dock 2", "the workshop", "the canteen", "Utrecht",
          "the test garden", "the second floor"]  # fmt: skip
TOOLS = ["border spade", "trowel", "hori-hori", "leaf rake", "bulb planter", "pruning saw",
         "secateurs", "digging fork"]  # fmt: skip
TAGS = [
    "teamwork", "rotterdam", "peak-season", "hiring", "apprentices", "learning", "safety",
    "sustainability", "repair", "customers", "dealers", "garden-centres", "catalogue",
    "design", "testing", "materials", "engineering", "open-source", "security", "data",
    "onboarding", "wellbeing", "events", "listening", "packaging", "logistics", "quality",
    "craft", "community", "volunteering", "photography", "writing", "automation", "tools",
    "warranty", "feedback", "planning", "spring", "autumn", "winter",
]  # fmt: skip
PLATFORM_CHOICES = [["linkedin"], ["mastodon", "bluesky"], ["linkedin", "mastodon"], ["internal"]]

OPENERS = [
    "This month we spent a lot of time on {topic}, and a few of you asked how it went.",
    "A short update on {topic}, from the people who do the work every day.",
    "If you have walked past {place} lately, you will have noticed the changes to {topic}.",
    "We tried something new with {topic} this quarter, and it worked better than we hoped.",
    "Here is what we learned about {topic} since the last update on Chorus.",
]
SENTENCES = [
    "The team met every Tuesday to look at what went well and what did not.",
    "Most of the ideas came from colleagues who had done the job for years.",
    "We wrote the steps down, tried them for two weeks and then changed what was awkward.",
    "Nobody had to work late, which was one of the goals from the start.",
    "A colleague from {other} joined us for a day and asked the questions we had stopped asking.",
    "The {tool} came up more than once, because it is what customers ask about most.",
    "We kept a simple list on the wall at {place} and crossed things off as we went.",
    "Some changes were small, like moving a shelf, and some took a few weeks to settle.",
    "It took a little longer than planned, but the result is easier to explain to new starters.",
    "We asked for feedback in the canteen and got more of it than we expected.",
    "The hardest part was agreeing on what to stop doing.",
    "Thanks to everyone at {place} who made time for this next to their normal work.",
    "We measured it before and after, and the difference was clear enough to keep going.",
    "The next step is to share the approach with {other}, who asked for it.",
    "Good habits spread faster when people can see them working.",
    "We will look at it again in the spring and write a short follow-up here.",
]
LIST_ITEMS = [
    "write down what you did and why",
    "ask the people who do the job first",
    "try it for two weeks before deciding",
    "keep the old way documented until the new one works",
    "share the results, including what did not work",
    "book a short review at the end",
    "label everything at {place}",
    "bring the {tool} along when you visit a dealer",
    "check the checklist before the end of the shift",
    "ask {other} for a second opinion",
]
HEADINGS = ["What we changed", "Why it matters", "How it went", "What we learned",
            "What comes next", "A few numbers", "Thank you", "How you can help"]  # fmt: skip
LINKS = [
    ("Pelican", "https://getpelican.com/"),
    ("the Python documentation", "https://docs.python.org/3/"),
    ("the Royal Horticultural Society", "https://www.rhs.org.uk/"),
    ("Wikipedia's article on spades", "https://en.wikipedia.org/wiki/Spade"),
    ("the Dutch Chamber of Commerce", "https://www.kvk.nl/english/"),
    ("the Markdown guide", "https://www.markdownguide.org/basic-syntax/"),
    ("the Port of Rotterdam", "https://www.portofrotterdam.com/en"),
    ("WCAG", "https://www.w3.org/WAI/standards-guidelines/wcag/"),
]
CODE_BLOCKS = [
    ("yaml", "shift: early\ndock: 2\nchecklist:\n  - scanners charged\n  - aisle clear\n"),
    ("python", 'def weekly_total(counts):\n    """Add up one week of counts."""\n'
     "    return sum(counts.values())\n"),
    ("text", "08:00  trucks arrive\n09:30  first wave picked\n11:00  second wave picked\n"),
    ("sh", "invoke lint --changed\ninvoke preview content/posts/it/my-post.md\n"),
    ("json", '{"dock": 2, "shift": "early", "checked": true}\n'),
]  # fmt: skip


@dataclass(frozen=True)
class Person:
    handle: str
    name: str
    department: str
    title: str


@dataclass(frozen=True)
class PostInfo:
    department: str
    slug: str
    author: str
    title: str
    date: dt.datetime
    tags: tuple[str, ...]
    draft: bool
    topic: str

    @property
    def relpath(self) -> str:
        return f"posts/{self.department}/{self.slug}.md"


def make_people(rng: random.Random, count: int = 50) -> list[Person]:
    """`count` people spread over the 8 departments; the two approvers are always there."""
    people = [
        Person("camille.bernard", "Camille Bernard", "marketing", "Head of Communications"),
        Person("priya.raman", "Priya Raman", "finance", "Financial Controller"),
    ]
    used = {p.handle for p in people}
    names = [(f, last) for f in FIRST for last in LAST]
    rng.shuffle(names)
    i = 0
    while len(people) < count:
        first, last = names[i]
        i += 1
        handle = f"{first}.{last}"
        if handle in used:
            continue
        used.add(handle)
        department = DEPARTMENTS[len(people) % len(DEPARTMENTS)]
        role = rng.choice(ROLES[department])
        people.append(Person(handle, f"{first.title()} {last.title()}", department, role))
    return people


def person_yaml(person: Person, rng: random.Random) -> str:
    first = person.handle.split(".")[0]
    lines = [
        f"name: {person.name}",
        f"department: {person.department}",
        f"title: {person.title}",
        f"bio: {json.dumps(f'Works in {person.department} at Alder & Finch since {rng.randint(2009, 2025)}.')}",  # noqa: E501
        f"email: {person.handle}@alderfinch.example",
        "accounts:",
        f"  linkedin: {person.handle.replace('.', '-')}-af",
        f'  mastodon: "@{first}@social.alderfinch.example"',
    ]
    if rng.random() < 0.6:
        lines.append(f"  bluesky: {first}.alderfinch.example")
    if rng.random() < 0.3:
        lines.append(f"  x: {first}_af")
    return "\n".join(lines) + "\n"


def _fill(template: str, rng: random.Random, topic: str, department: str) -> str:
    other = rng.choice([d for d in DEPARTMENTS if d != department])
    return template.format(
        topic=topic, place=rng.choice(PLACES), tool=rng.choice(TOOLS), other=f"the {other} team"
    )


def _paragraph(deck: list[str], rng: random.Random, topic: str, department: str, n: int) -> str:
    """n sentences from the post's deck (each sentence at most once per post)."""
    if len(deck) < n:
        deck[:] = rng.sample(SENTENCES, len(SENTENCES))
    return " ".join(_fill(deck.pop(), rng, topic, department) for _ in range(n))


def post_text(info: PostInfo, rng: random.Random, earlier: PostInfo | None) -> str:
    """One post file: front matter as in content/posts/, then the Markdown body."""
    topic = info.topic
    deck = rng.sample(SENTENCES, len(SENTENCES))
    summary = (
        f"{_fill(rng.choice(OPENERS), rng, topic, info.department)} "
        "What changed, what we learned, and what comes next."
    )
    front = [
        "---",
        f"title: {json.dumps(info.title, ensure_ascii=False)}",
        f"date: {info.date:%Y-%m-%d %H:%M}",
        f"author: {info.author}",
        f"tags: [{', '.join(info.tags)}]",
        f"summary: {json.dumps(summary, ensure_ascii=False)}",
    ]
    roll = rng.random()
    if roll < 0.3:
        front.append(f"syndicate: [{', '.join(rng.choice(PLATFORM_CHOICES))}]")
    elif roll < 0.35:
        front.append("syndicate: []")
    if rng.random() < 0.1:
        text = f"I work at Alder & Finch: a short note on {topic} from {info.department}."
        front.append(f"syndication_text: {{bluesky: {json.dumps(text)}}}")
    if info.draft:
        front.append("status: draft")
    front.append("---")

    headings = rng.sample(HEADINGS, 3)
    body = [
        _fill(rng.choice(OPENERS), rng, topic, info.department)
        + " "
        + _paragraph(deck, rng, topic, info.department, 3),
        f"## {headings[0]}",
        _paragraph(deck, rng, topic, info.department, 4),
        "\n".join(
            f"- {_fill(item, rng, topic, info.department)}"
            for item in rng.sample(LIST_ITEMS, rng.randint(3, 5))
        ),
        f"## {headings[1]}",
    ]
    name, url = rng.choice(LINKS)
    rest = _paragraph(deck, rng, topic, info.department, 2)
    linked = f"We leaned on [{name}]({url}) for the background. {rest}"
    if earlier is not None:
        linked += (
            f" It builds on [an earlier post]({{filename}}/{earlier.relpath}) "
            f"from the {earlier.department} team."
        )
    body.append(linked)
    language, code = rng.choice(CODE_BLOCKS)
    body.append(f"Here is the small example we kept coming back to:\n\n```{language}\n{code}```")
    if rng.random() < 0.2:
        rows = "\n".join(
            f"| Week {w} | {rng.randint(20, 90)} | {rng.randint(1, 9)} |" for w in range(1, 4)
        )
        body.append(f"| Week | Done | Open |\n|---|---|---|\n{rows}")
    if rng.random() < 0.25:
        body.append(f"> {_paragraph(deck, rng, topic, info.department, 1)}")
    body += [f"## {headings[2]}", _paragraph(deck, rng, topic, info.department, 3)]
    if rng.random() < 0.3:
        body.append(
            f"### {rng.choice(HEADINGS)}\n\n{_paragraph(deck, rng, topic, info.department, 2)}"
        )
    return "\n".join(front) + "\n" + "\n\n".join(body) + "\n"


def _slugify(text: str) -> str:
    words = "".join(c if c.isalnum() else " " for c in text.lower()).split()
    return "-".join(words[:6])


def plan_posts(n: int, rng: random.Random, people: list[Person]) -> list[PostInfo]:
    by_department: dict[str, list[Person]] = {}
    for person in people:
        by_department.setdefault(person.department, []).append(person)
    posts = []
    for i in range(n):
        department = DEPARTMENTS[rng.randrange(len(DEPARTMENTS))]
        author = rng.choice(by_department[department]).handle
        topic = rng.choice(TOPICS[department])
        heading = rng.choice(["notes on", "an update on", "what we learned from", "a week of"])
        title = f"{topic[0].upper()}{topic[1:]}: {heading} {rng.choice(PLACES)}"
        minutes = int((i + rng.random()) / n * SPAN_DAYS * 24 * 60)
        date = START + dt.timedelta(minutes=minutes)
        tags = tuple(sorted(rng.sample(TAGS, rng.randint(2, 4))))
        slug = f"{_slugify(title)}-{i + 1}"
        draft = i % 50 == 49  # 2% drafts
        posts.append(PostInfo(department, slug, author, title, date, tags, draft, topic))
    return posts


def settings_files(target: Path) -> dict[str, str]:
    """The two settings files: Chorus (the real pelicanconf.py, pointed at this tree) and
    vanilla Pelican (its defaults, the YAML reader, notmyidea, the same feeds)."""
    content = (target / "content").resolve()
    chorus = f'''"""Chorus, as `invoke build` configures it, reading the generated content."""
from pelicanconf import *  # noqa: F403

PATH = {str(content)!r}
THEME = {str(ROOT / "themes" / "chorus")!r}
'''
    vanilla = f'''"""Vanilla Pelican 4.12 + yaml_metadata: defaults, notmyidea, the same feeds."""
SITENAME = "Alder & Finch — Chorus"
SITEURL = "http://localhost:8000"
AUTHOR = "Alder & Finch"
TIMEZONE = "Europe/Amsterdam"
DEFAULT_LANG = "en"
PATH = {str(content)!r}
ARTICLE_PATHS = ["posts"]
PAGE_PATHS = ["pages"]
STATIC_PATHS = ["images"]
USE_FOLDER_AS_CATEGORY = True
SLUGIFY_SOURCE = "basename"  # as Chorus: titles repeat, file names do not
DEFAULT_PAGINATION = 10  # as Chorus: the same number of index pages
SUMMARY_MAX_LENGTH = 50
PLUGINS = ["yaml_metadata"]  # pelican.plugins.yaml_metadata (namespace plugin)
# The same feeds as Chorus (plugins/feeds writes these plus JSON Feed): Atom and RSS for
# everything, each category (department), author and tag; full text, 20 items.
FEED_ALL_ATOM = "feeds/all.atom.xml"
FEED_ALL_RSS = "feeds/all.rss.xml"
CATEGORY_FEED_ATOM = "feeds/departments/{{slug}}.atom.xml"
CATEGORY_FEED_RSS = "feeds/departments/{{slug}}.rss.xml"
AUTHOR_FEED_ATOM = "feeds/people/{{slug}}.atom.xml"
AUTHOR_FEED_RSS = "feeds/people/{{slug}}.rss.xml"
TAG_FEED_ATOM = "feeds/tags/{{slug}}.atom.xml"
TAG_FEED_RSS = "feeds/tags/{{slug}}.rss.xml"
TRANSLATION_FEED_ATOM = None  # Chorus has none either
RSS_FEED_SUMMARY_ONLY = False
FEED_MAX_ITEMS = 20
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
RELATIVE_URLS = False
'''
    return {"chorus_settings.py": chorus, "vanilla_settings.py": vanilla}


def _approval(post_path: Path, info: PostInfo, shown: str) -> str:
    approver = APPROVERS[1] if info.author == APPROVERS[0] else APPROVERS[0]
    digest = hashlib.sha256(post_path.read_bytes().replace(b"\r\n", b"\n")).hexdigest()
    moment = (info.date + dt.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M:00+00:00")
    return (
        f"post: {shown}\napprover: {approver}\napproved: '{moment}'\n"
        f"guidelines_version: '2.1'\ncontent_sha256: {digest}\nrule: approval.finance\n"
    )


def make_corpus(target: str | Path, n: int, seed: int = DEFAULT_SEED) -> list[PostInfo]:
    """Write the tree (replacing anything at `target`) and return the posts, in order."""
    target = Path(target)
    if target.exists():
        shutil.rmtree(target)
    content = target / "content"
    rng = random.Random(seed)
    people = make_people(rng)
    for person in people:
        path = content / "people" / f"{person.handle}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(person_yaml(person, rng), encoding="utf-8")

    posts = plan_posts(n, rng, people)
    for i, info in enumerate(posts):
        earlier = None
        if i and rng.random() < 0.6:
            candidate = posts[rng.randrange(i)]
            earlier = None if candidate.draft else candidate
        path = content / info.relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(post_text(info, rng, earlier), encoding="utf-8")
        if info.department == "finance":  # approval.finance: approved, hash of this file
            record = content / "approvals" / f"{info.slug}.yaml"
            record.parent.mkdir(parents=True, exist_ok=True)
            shown = f"content/{info.relpath}"  # relative to the tree, as in the repository
            record.write_text(_approval(path, info, shown), encoding="utf-8")

    for name in ("departments.yaml", "guidelines.yaml", "listening.yaml", "syndication-links.json"):
        shutil.copy2(REPO_CONTENT / name, content / name)
    for folder in ("pages", "listening"):
        shutil.copytree(REPO_CONTENT / folder, content / folder)
    (content / "images").mkdir(exist_ok=True)
    shutil.copy2(REPO_CONTENT / "images" / "logo.svg", content / "images" / "logo.svg")
    for name, text in settings_files(target).items():
        (target / name).write_text(text, encoding="utf-8")
    stamp = {"n": n, "seed": seed, "generator": GENERATOR_VERSION, "people": len(people)}
    (target / "corpus.json").write_text(json.dumps(stamp) + "\n", encoding="utf-8")
    return posts


def cached_corpus(target: str | Path, n: int, seed: int = DEFAULT_SEED) -> Path:
    """`target`, made only if it is missing or was made with other parameters."""
    target = Path(target)
    stamp = target / "corpus.json"
    wanted = {"n": n, "seed": seed, "generator": GENERATOR_VERSION}
    try:
        have = json.loads(stamp.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        have = {}
    if any(have.get(k) != v for k, v in wanted.items()):
        make_corpus(target, n, seed)
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.corpus", description=__doc__)
    parser.add_argument("target", help="folder to write (replaced)")
    parser.add_argument("-n", type=int, default=1000, help="number of posts (1000)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    posts = make_corpus(args.target, args.n, args.seed)
    print(f"{len(posts)} posts written to {args.target}/content")
    return 0


if __name__ == "__main__":
    sys.exit(main())
