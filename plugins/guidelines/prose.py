"""What of a post is prose, and where everything else is: parsed once per file.

Prose rules must not fire on code, URLs or comments ("guaranteed" in a code sample is not a
claim), yet must report the line and column in the source file. Instead of extracting text
and mapping it back, every non-prose character is *blanked* (replaced by a space, newlines
kept) in a copy of the whole file: a regex match in the copy is at the very same offset as
in the file. The page's own parse (plugins/posts/markdown.py: the build hands its tokens over
as `post.extra["tokens"]`, the lint run alone parses with the same engine) finds code
blocks, paragraphs and tables from its block line maps; small regexes find the in-line
parts (in-line tokens have no positions).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from plugins.guidelines.post import Post

FRONT_MATTER_SCOPES = ("title", "summary", "image_alt", "syndication_text")
SCOPES = ("body", *FRONT_MATTER_SCOPES)
DEFAULT_SCOPES = ("body", "title", "summary", "syndication_text")

_NOT_NEWLINE = re.compile(r"[^\n]")
COMMENT = re.compile(r"<!--.*?-->", re.S)
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.S)
_TAG = re.compile(r"</?[A-Za-z][\w-]*(?:\s[^<>]*)?/?>")
_AUTOLINK = re.compile(r"<((?:https?|ftp|mailto):[^<>\s]+|[^<>\s@]+@[^<>\s@]+)>")
_INLINE_LINK = re.compile(
    r"(!?)\[((?:[^\[\]]|\[[^\[\]]*\])*)\]"  # ![alt] or [text]
    r"\(\s*(<[^<>\n]*>|[^\s()]*(?:\([^\s()]*\)[^\s()]*)*)"  # (target
    r"(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^()]*\)))?\s*\)"  # "title")
)
# `[label]: target` (not a `[^1]:` footnote; `<` only with its `>`, as CommonMark reads it)
_REFERENCE = re.compile(r"^ {0,3}\[(?!\^)[^\]\n]+\]:[ \t]*(?:<(?=[^\s<>]+>))?([^\s<>]+)>?.*$", re.M)
_BARE_URL = re.compile(r"(?<![\w/@.:-])(?:https?://|www\.)[^\s<>\"'`]+", re.I)
_HTML_LINK = re.compile(r"<(a|img|iframe|video|source|audio)\b([^<>]*)>", re.I)
_ATTR = re.compile(r"""([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")
_LIST_MARK = re.compile(r"^([ \t]*(?:>[ \t]?)*(?:[-*+]|\d+[.)])?[ \t]*)", re.M)
_EMPHASIS = re.compile(r"[*_~#|>]")
_SENTENCE = re.compile(r"[^.!?]+(?:[.!?]+(?=[\s\"'”’)\]]|$)|$)")
_YAML_MARK = re.compile(r"(?<=\s)[>|][-+]?(?=\s)")
WORD = re.compile(r"\w[\w'’-]*")


@dataclass(frozen=True)
class Link:
    offset: int  # of the target in Post.text
    target: str
    kind: str  # "markdown" | "image" | "autolink" | "bare" | "reference" | "html"


@dataclass(frozen=True)
class Image:
    offset: int  # where the image starts (`![` or `<img`)
    src: str
    alt: str | None  # None: no alt attribute at all
    alt_offset: int


@dataclass
class Prose:
    """One post's text in the shapes the rules need, each the length of Post.text."""

    prose: str  # prose only: code, URLs, link targets, HTML tags and comments blanked
    nocode: str  # code blocks, code spans and comments blanked; links and tags kept
    code_free: str  # code blanked, comments kept (where inline switches live)
    paragraphs: list[tuple[int, int]] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)
    code_blocks: list[tuple[int, int]] = field(default_factory=list)
    code_spans: list[tuple[int, int]] = field(default_factory=list)  # `…`, backticks included
    headings: list[tuple[int, int]] = field(default_factory=list)  # (offset, level)


def blank(text: str, spans: list[tuple[int, int]]) -> str:
    """`text` with each span replaced by spaces (newlines kept, so lines stay lines)."""
    if not spans:
        return text
    out, at = [], 0
    for start, end in sorted(spans):
        if end <= at:
            continue
        start = max(start, at)
        out.append(text[at:start])
        out.append(_NOT_NEWLINE.sub(" ", text[start:end]))
        at = end
    out.append(text[at:])
    return "".join(out)


def analyse(post: Post) -> Prose:
    """Parse once; cached on the post so every rule shares the work."""
    cached = post.extra.get("prose")
    if cached is None:
        cached = post.extra["prose"] = _analyse(post)
    return cached


def _analyse(post: Post) -> Prose:
    text, base = post.text, post.body_offset
    body = text[base:]
    tokens = post.extra.get("tokens")
    if tokens is None:  # the lint alone: the build's parser, not a second configuration
        # imported here: the Markdown stack (Python-Markdown, markdown-it, Pygments) is a
        # third of a warm lint's start-up, and a warm lint parses no post
        from plugins.posts.markdown import default

        tokens = default().parse(body)
    starts = _line_starts(body)

    def span(token) -> tuple[int, int]:
        first, last = token.map
        end = starts[last] if last < len(starts) else len(body)
        return base + starts[first], base + end

    code, html_blocks, paragraphs, headings = [], [], [], []
    for token in tokens:
        if token.map is None:
            continue
        if token.type in ("fence", "code_block"):
            code.append(span(token))
        elif token.type == "html_block":
            html_blocks.append(span(token))
        elif token.type == "paragraph_open":
            paragraphs.append(span(token))
        elif token.type == "heading_open":
            headings.append((span(token)[0], int(token.tag[1])))
    head = [(0, base)]  # the front matter is not body prose
    code_free = blank(text, head + code)
    comments = [m.span() for m in COMMENT.finditer(code_free, base)]
    no_comments = blank(code_free, comments)
    code_spans = [m.span() for m in _CODE_SPAN.finditer(no_comments, base)]
    nocode = blank(no_comments, code_spans)

    links, images, hidden = [], [], []
    for m in _INLINE_LINK.finditer(nocode, base):
        target = m.group(3).strip("<>")
        hidden.append((m.start(3), m.end()))
        if m.group(1):
            hidden.append((m.start(), m.start(2)))  # alt text stays prose
            images.append(Image(m.start(), target, m.group(2), m.start(2)))
            links.append(Link(m.start(3), target, "image"))
        else:
            links.append(Link(m.start(3), target, "markdown"))
    for pattern, kind in ((_AUTOLINK, "autolink"), (_REFERENCE, "reference")):
        for m in pattern.finditer(nocode, base):
            hidden.append(m.span())
            links.append(Link(m.start(1), m.group(1), kind))
    for m in _HTML_LINK.finditer(nocode, base):
        hidden.append(m.span())
        attrs = {a.group(1).lower(): (a, next(g for g in a.groups()[1:] if g is not None))
                 for a in _ATTR.finditer(m.group(2))}  # fmt: skip
        for name in ("href", "src"):
            if name in attrs:
                where = m.start(2) + attrs[name][0].start()
                links.append(Link(where, attrs[name][1], "html"))
        if m.group(1).lower() == "img":
            src = attrs.get("src", (None, ""))[1]
            alt = attrs.get("alt")
            at = m.start(2) + alt[0].start() if alt else m.start()
            images.append(Image(m.start(), src, alt[1] if alt else None, at))
    linkless = blank(nocode, hidden)
    for m in _BARE_URL.finditer(linkless, base):
        url = m.group().rstrip(".,;:!?)")
        hidden.append((m.start(), m.start() + len(url)))
        links.append(Link(m.start(), url, "bare"))
    tags = [m.span() for m in _TAG.finditer(linkless, base)]
    prose = blank(nocode, hidden + tags)
    links.sort(key=lambda link: link.offset)
    return Prose(prose, nocode, code_free, paragraphs, links, images, code, code_spans, headings)


def _line_starts(text: str) -> list[int]:
    starts, at = [0], text.find("\n")
    while at >= 0:
        starts.append(at + 1)
        at = text.find("\n", at + 1)
    return starts


def scope_spans(post: Post, scopes: tuple[str, ...]) -> list[tuple[str, int, int]]:
    """(scope, start, end) offsets of each part of the post a rule reads."""
    cache = post.extra.setdefault("spans", {})
    if scopes in cache:
        return cache[scopes]
    spans = cache[scopes] = []
    for scope in scopes:
        if scope == "body":
            spans.append(("body", post.body_offset, len(post.text)))
        elif (found := post.key_span(scope)) is not None:
            children = sorted(
                line for key, line in post.lines.items() if key.startswith(scope + ".")
            )
            if not children:
                spans.append((scope, *found))
                continue
            # One span per platform text: each travels alone, so each is checked alone.
            bounds = [post.offset(line) for line in children] + [found[1]]
            spans.extend((scope, a, b) for a, b in itertools.pairwise(bounds))
    return spans


def scoped_text(post: Post) -> str:
    """Post.text with prose kept in the body and in the front-matter text fields only
    (their `key:` and YAML punctuation blanked): what existence rules and friends search."""
    cached = post.extra.get("scoped")
    if cached is not None:
        return cached
    prose = analyse(post).prose
    keep = []
    for scope in FRONT_MATTER_SCOPES:
        found = post.key_span(scope)
        if found is None:
            continue
        start, end = found
        keys = [k for k in post.lines if k == scope or k.startswith(scope + ".")]
        key_ends = []
        for key in keys:
            at = post.offset(post.lines[key])
            colon = post.text.find(":", at, end)
            key_ends.append((at, colon + 1 if colon >= 0 else at))
        keep.append((start, end, key_ends))
    pieces = list(_NOT_NEWLINE.sub(" ", post.text[: post.body_offset]))
    for start, end, key_ends in keep:
        pieces[start:end] = post.text[start:end]
        for a, b in key_ends:
            pieces[a:b] = " " * (b - a)
    head = _YAML_MARK.sub(lambda m: " " * len(m.group()), "".join(pieces))
    result = head + prose[post.body_offset :]
    post.extra["scoped"] = result
    return result


def plain_sentences(post: Post) -> list[tuple[int, int]]:
    """(offset, word count) of each sentence in the body's paragraphs."""
    if "sentences" in post.extra:
        return post.extra["sentences"]
    prose = analyse(post)
    out = post.extra["sentences"] = []
    for start, end in prose.paragraphs:
        chunk = prose.prose[start:end]
        chunk = _LIST_MARK.sub(lambda m: " " * len(m.group()), chunk)
        chunk = _EMPHASIS.sub(" ", chunk)
        for m in _SENTENCE.finditer(chunk):
            words = len(WORD.findall(m.group()))
            if words:
                lead = len(m.group()) - len(m.group().lstrip())
                out.append((start + m.start() + lead, words))
    return out


def search(pattern, post: Post, scopes: tuple[str, ...] = DEFAULT_SCOPES):
    """Every match of `pattern` in the prose of these scopes, in file order."""
    text = scoped_text(post)
    for _scope, start, end in scope_spans(post, scopes):
        yield from pattern.finditer(text, start, end)
