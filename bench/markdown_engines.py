"""Which Markdown engine could give Chorus both the page HTML and the lint's positions?

Today a post is parsed twice: Python-Markdown (pelicanconf.py's MARKDOWN, through Pelican's
reader) makes the page, and markdown-it-py (block level only) gives the lint its line maps.
This measures, on the same bodies, what each candidate costs and how close its HTML comes to
what the site renders now:

- speed: ms per post body, the median of --passes passes over the bench corpus
  (bench/corpus.py, `.chorus/bench/corpus-N`) plus the demo and fixture posts, in this one
  process; for each engine the page render, the positioned parse the lint would read, and
  both together (one call where the engine can, else two);
- compatibility: on the demo posts (content/posts) and the fixture posts (tests/**/fixtures),
  how many bodies give byte-identical HTML to the baseline, how many after whitespace is
  normalised, and which kinds of difference remain (heading ids, tables, footnotes, code
  highlighting, raw HTML, list nesting, attr_list, …), each with a count and one example;
  the same on the generated corpus;
- one parse for both: whether the blocks the lint takes its line positions from (fences,
  code blocks, HTML blocks, paragraphs) are the same in the page's markdown-it-py parse as
  in the lint's own block-only parse.

Front matter is split by plugins/posts/frontmatter.py, as the build does; a file it refuses
is not a post and is left out (counted). An engine that is not importable is skipped with
one line. markdown-it-pyrs, pyromark, mistune and mdit-py-plugins are not in the project's
lock: run the script with a scratch interpreter that has them (see the note printed by
`--help`), or with `.venv/bin/python` for Python-Markdown and markdown-it-py alone.

    python -m bench.markdown_engines [--posts 1000] [--passes 3] [--output PATH]
"""

from __future__ import annotations

import argparse
import datetime as dt
import difflib
import html
import importlib.metadata
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

from core.problems import ContentError, one_line
from plugins.posts.frontmatter import read_post

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / ".chorus" / "bench"  # ignored by git; bench/run.py keeps its corpora here too
RESULTS = ROOT / "bench" / "results" / "markdown_engines.json"
PROBES = "tests/fixtures/markdown_engines/"  # this bench's own small cases, counted apart
SITE = ("demo", "fixture")  # the groups "what the site renders today" is judged on
SCRATCH = (
    "python3 -m venv /tmp/mdengines && /tmp/mdengines/bin/pip install markdown-it-pyrs "
    "pyromark mistune mdit-py-plugins markdown==3.11.3 markdown-it-py==4.3.0 pygments pyyaml "
    "pelican==4.12.0 pelican-yaml-metadata==2.2.0"
)


# --- Posts --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Body:
    """A post's Markdown body as the reader hands it to the engine."""

    group: str  # "corpus" | "demo" | "fixture" | "probe"
    path: str  # relative to the repository (corpus: to the corpus folder)
    text: str


def read_bodies(paths: Iterable[Path], group: str, base: Path) -> tuple[list[Body], list[str]]:
    """Bodies of the files that are posts; one line for each file the build would refuse."""
    bodies, refused = [], []
    for path in sorted(paths):
        rel = path.relative_to(base).as_posix()
        try:
            post = read_post(path)
        except ContentError as exc:
            refused.append(exc.format(str(base)))
            continue
        kind = "probe" if group == "fixture" and rel.startswith(PROBES) else group
        bodies.append(Body(kind, rel, post.body))
    return bodies, refused


def site_bodies() -> tuple[list[Body], list[str]]:
    """The demo posts and every fixture post under tests/ (lint, build, feeds, hostile…)."""
    demo, refused_demo = read_bodies((ROOT / "content" / "posts").glob("**/*.md"), "demo", ROOT)
    fixtures = set(ROOT.glob("tests/**/fixtures/**/*.md"))
    fixture, refused_fixture = read_bodies(fixtures, "fixture", ROOT)
    return demo + fixture, refused_demo + refused_fixture


def corpus_bodies(n: int) -> list[Body]:
    from bench.corpus import cached_corpus

    target = cached_corpus(WORK / f"corpus-{n}", n)
    bodies, refused = read_bodies((target / "content" / "posts").glob("**/*.md"), "corpus", target)
    if refused:  # the generator writes valid posts; if not, the timing means something else
        raise SystemExit(f"{refused[0]} (and {len(refused) - 1} more): regenerate the corpus")
    return bodies


# --- The baseline and the compatibility layer ---------------------------------------------


def site_engine():
    """The build's markdown-it-py engine, configured from pelicanconf.py's MARKDOWN."""
    from pelican.settings import read_settings

    from plugins.posts.markdown import engine

    return engine(read_settings(str(ROOT / "pelicanconf.py"))["MARKDOWN"])


def baseline_markdown():
    """The Markdown object the build renders with: Pelican's reader over pelicanconf.py.

    ChorusReader is pelican-yaml-metadata's reader, which builds `Markdown(**MARKDOWN)`
    (meta extension removed) in its constructor; the same constructor is used here, so the
    extension list and configs are exactly the build's.
    """
    from pelican.plugins.yaml_metadata.yaml_metadata import YAMLMetadataReader
    from pelican.settings import read_settings

    settings = read_settings(str(ROOT / "pelicanconf.py"))
    return YAMLMetadataReader(settings)._md


class Layer:
    """What another engine must do to its HTML to look like the baseline's.

    Reuses Python-Markdown's own pieces, configured from the baseline instance: codehilite's
    CodeHilite with pelicanconf's codehilite settings (so fenced code comes out as
    div.highlight > pre > span + code, Pygments classes and all), and toc's slugify and
    unique (so heading ids and their `_1` suffixes are the same).
    """

    def __init__(self, baseline) -> None:
        self.site = site_engine()

    def code(self, code: str, lang: str | None, fenced: bool = True) -> str:
        """A code block as fenced_code + codehilite write it."""
        return self.site.code(code, lang, fenced)

    def heading_id(self, text: str, used: set[str]) -> str:
        """toc's id for a heading whose text (tags stripped, entities decoded) is `text`."""
        return self.site.heading_id(text, used)

    _HEADING = re.compile(r"<h([1-6])((?:\s[^>]*)?)>(.*?)</h\1>", re.S)
    _CODE = re.compile(r'<pre><code(?: class="language-([^"]*)")?>(.*?)</code></pre>', re.S)
    _URL = re.compile(r'(?:href|src)="[^"]*%7[BD][^"]*"')
    _ALIGN = re.compile(r'(<t[hd]) (?:style="text-align: ?(\w+);?"|align="(\w+)")')

    def html(self, out: str, code: bool = True) -> str:
        """The HTML-level layer for engines whose renderer Python cannot hook: fenced and
        indented code re-highlighted, heading ids added, {filename}-style braces in link
        targets un-escaped (Pelican resolves them after the render), table alignment in
        the baseline's style. Regexes over the engine's own (well-formed, predictable) output."""
        if code:
            out = self._CODE.sub(
                lambda m: self.code(html.unescape(m.group(2)), m.group(1)).rstrip("\n"), out
            )
        used: set[str] = set()

        def heading(m: re.Match) -> str:
            if "id=" in m.group(2):
                return m.group()
            text = html.unescape(re.sub(r"<[^>]+>", "", m.group(3)))
            ident = self.heading_id(text, used)
            return f'<h{m.group(1)} id="{ident}"{m.group(2)}>{m.group(3)}</h{m.group(1)}>'

        out = self._HEADING.sub(heading, out)
        out = self._URL.sub(lambda m: m.group().replace("%7B", "{").replace("%7D", "}"), out)
        out = out.strip()  # as Python-Markdown's convert does
        return self._ALIGN.sub(
            lambda m: f'{m.group(1)} style="text-align: {m.group(2) or m.group(3)};"', out
        )


# --- Engines ------------------------------------------------------------------------------


@dataclass
class Engine:
    """One candidate: how it renders a body, how it gives positions, and both at once."""

    name: str
    package: str
    render: Callable[[str], str]
    parse: Callable[[str], object] | None = None  # the structure the lint would read
    both: Callable[[str], tuple[object, str]] | None = None  # positions + page
    one_parse: bool = False  # `both` is a single parse
    layer: str = ""  # what the compatibility layer does ("" = the engine as it comes)
    positions: dict = field(default_factory=dict)


def version_of(package: str) -> str:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return "?"


POSITIONS = {
    "markdown": {
        "block_lines": False,
        "inline_offsets": False,
        "found": "none: the ElementTree carries no source positions, and preprocessors "
        "(fenced code, html blocks, footnotes) rewrite the lines before the block parser "
        "sees them",
        "where": "markdown/core.py Markdown.convert; markdown/extensions/fenced_code.py",
    },
    "markdown-it-py": {
        "block_lines": True,
        "inline_offsets": False,
        "found": "block tokens have .map = [first line, end line); inline children have "
        "map None (measured here), so in-line positions need the lint's regexes",
        "where": "markdown_it/token.py Token.map; plugins/guidelines/prose.py",
    },
    "markdown-it-pyrs": {
        "block_lines": True,
        "inline_offsets": True,
        "found": "MarkdownIt.tree() returns Node objects whose .srcmap is a (start, end) "
        "UTF-8 byte offset pair, on block and in-line nodes alike (measured here: an <em> "
        "inside a paragraph has its own srcmap); render() is a separate Rust pass, and "
        "Python cannot hook its renderer or render a tree",
        "where": "markdown_it_pyrs/markdown_it_pyrs.pyi: Node.srcmap 'Byte offset mapping "
        "of the (start, end) of the source syntax'; chrisjsewell/markdown-it-pyrs README: "
        "'source mapping is also provided by byte-offset, rather than line only', 'Parser "
        "plugins cannot currently be written in Python', 'Currently in Beta'",
    },
    "pyromark": {
        "block_lines": True,
        "inline_offsets": True,
        "found": "events_with_range() yields (event, {'start','end'}) UTF-8 byte ranges for "
        "every Start/End/Text event, block and in-line (measured here); html() is a "
        "separate pass; its highlight= callback lets Python render code blocks",
        "where": "pyromark/_pyromark.pyi events_with_range, html(highlight=), "
        "pyromark/event.py Range, HighlightCallback",
    },
    "mistune": {
        "block_lines": False,
        "inline_offsets": False,
        "found": "the AST (renderer='ast') has type/attrs/children/raw but no line or "
        "offset (measured here)",
        "where": "mistune/core.py BlockState (cursor is internal, not in tokens)",
    },
}


def engines(baseline, layer: Layer, say: Callable[[str], None]) -> list[Engine]:
    """Every engine this interpreter can import; one line for each it cannot."""
    found = [
        Engine(
            "python-markdown",
            "markdown",
            lambda text: baseline.reset().convert(text),
            layer="baseline: pelicanconf.py MARKDOWN through Pelican's reader",
            positions=POSITIONS["markdown"],
        )
    ]
    makers = (_markdown_it_py, _markdown_it_pyrs, _pyromark, _mistune)
    for make in makers:
        try:
            found.extend(make(layer))
        except ImportError as exc:
            say(f"skipped {make.__name__.strip('_').replace('_', '-')}: {exc}")
    return found


def _markdown_it_py(layer: Layer) -> list[Engine]:
    from markdown_it import MarkdownIt

    lint = MarkdownIt("commonmark", {"html": True}).enable("table").disable("inline")
    plain = MarkdownIt("commonmark", {"html": True, "xhtmlOut": False}).enable("table")
    compat = layer.site  # the build's own engine (plugins/posts/markdown.py)
    plugins = ["footnote_plugin", "attrs_plugin", "attrs_block_plugin", "deflist_plugin"]

    def both(text: str) -> tuple[object, str]:
        tokens = compat.parse(text)
        return tokens, compat.render(tokens)

    uses = ", ".join(plugins) if plugins else "no mdit-py-plugins (not importable)"
    return [
        Engine(
            "markdown-it-py",
            "markdown-it-py",
            plain.render,
            parse=lint.parse,
            both=lambda text: (lint.parse(text), plain.render(text)),
            layer="commonmark + table, html on; parse = the lint's block-only parse",
            positions=POSITIONS["markdown-it-py"],
        ),
        Engine(
            "markdown-it-py+layer",
            "markdown-it-py",
            lambda text: both(text)[1],
            parse=compat.parse,
            both=both,
            one_parse=True,
            layer=f"{uses}; fence/code_block rendered by codehilite's CodeHilite; in one "
            "core rule: attr_list on headings/paragraphs, toc slugify/unique heading ids, "
            "the baseline's table style; braces kept in link targets; footnotes in the "
            "footnotes extension's markup (when mdit-py-plugins is there)",
            positions=POSITIONS["markdown-it-py"],
        ),
    ]


def _markdown_it_pyrs(layer: Layer) -> list[Engine]:
    from markdown_it_pyrs import MarkdownIt

    md = MarkdownIt("commonmark").enable_many(["table", "footnote", "deflist"])

    def render(text: str) -> str:
        return md.render(text, xhtml=False)

    return [
        Engine(
            "markdown-it-pyrs",
            "markdown-it-pyrs",
            render,
            parse=md.tree,
            both=lambda text: (md.tree(text), render(text)),
            layer="commonmark + table, footnote, deflist",
            positions=POSITIONS["markdown-it-pyrs"],
        ),
        Engine(
            "markdown-it-pyrs+layer",
            "markdown-it-pyrs",
            lambda text: layer.html(render(text)),
            parse=md.tree,
            both=lambda text: (md.tree(text), layer.html(render(text))),
            layer="HTML post-pass: code re-highlighted by CodeHilite, toc heading ids, table style",
            positions=POSITIONS["markdown-it-pyrs"],
        ),
    ]


def _pyromark(layer: Layer) -> list[Engine]:
    import pyromark

    o = pyromark.Options
    options = o.ENABLE_TABLES | o.ENABLE_FOOTNOTES | o.ENABLE_DEFINITION_LIST
    plain = pyromark.Markdown(options=options)
    compat = pyromark.Markdown(
        options=options | o.ENABLE_HEADING_ATTRIBUTES,
        highlight=lambda lang, code: layer.code(code, lang),
    )

    def events(md) -> Callable[[str], list]:
        return lambda text: list(md.events_with_range(text))

    return [
        Engine(
            "pyromark",
            "pyromark",
            plain.html,
            parse=events(plain),
            both=lambda text: (events(plain)(text), plain.html(text)),
            layer="tables, footnotes, definition lists",
            positions=POSITIONS["pyromark"],
        ),
        Engine(
            "pyromark+layer",
            "pyromark",
            lambda text: layer.html(compat.html(text), code=False),
            parse=events(compat),
            both=lambda text: (events(compat)(text), layer.html(compat.html(text), code=False)),
            layer="+ heading attributes; code through highlight= callback (CodeHilite); "
            "HTML post-pass: toc heading ids, table style",
            positions=POSITIONS["pyromark"],
        ),
    ]


def _mistune(layer: Layer) -> list[Engine]:
    import mistune

    plugins = ["table", "footnotes", "def_list"]
    plain = mistune.create_markdown(escape=False, plugins=plugins)

    class Renderer(mistune.HTMLRenderer):
        def block_code(self, code: str, info: str | None = None) -> str:
            return layer.code(code, info) + "\n"

    compat = mistune.create_markdown(renderer=Renderer(escape=False), plugins=plugins)
    return [
        Engine(
            "mistune",
            "mistune",
            plain,
            layer="table, footnotes, def_list, raw HTML kept",
            positions=POSITIONS["mistune"],
        ),
        Engine(
            "mistune+layer",
            "mistune",
            lambda text: layer.html(compat(text), code=False),
            layer="block_code renderer through CodeHilite; HTML post-pass: toc heading "
            "ids, table style",
            positions=POSITIONS["mistune"],
        ),
    ]


# --- Speed --------------------------------------------------------------------------------


def attempt(fn: Callable[[str], object], text: str) -> tuple[bool, object]:
    """(True, result) or (False, one line): a Rust engine's panic arrives as pyo3's
    PanicException, a BaseException, and must not end the run."""
    try:
        return True, fn(text)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # reported per body: see the docstring
        return False, f"{type(exc).__name__}: {one_line(str(exc))}"


def failures(fn: Callable[[str], object], bodies: list[Body]) -> dict[str, str]:
    """path → error, for each body the engine cannot handle."""
    found = {}
    for body in bodies:
        ok, error = attempt(fn, body.text)
        if not ok:
            found[body.path] = error
    return found


def one_pass(fn: Callable, items: list) -> tuple[float, float]:
    """(CPU seconds, wall seconds) for one call per item. CPU time of this process is the
    figure to read on a shared machine: time spent descheduled is not in it."""
    cpu, wall = time.process_time(), time.perf_counter()
    for item in items:
        fn(item)
    return time.process_time() - cpu, time.perf_counter() - wall


def interleaved(plans: list[tuple[str, Callable, list]], passes: int, say) -> dict:
    """name → (CPU ms, wall ms) per item, the medians of `passes` passes.

    The plans run one after the other inside each pass (A B C, A B C, …), so a burst of
    load from another process slows every engine alike instead of one engine's passes.
    """
    for _, fn, items in plans:  # warm-up: imports, regex compiles, Pygments lexers
        for item in items[:20]:
            fn(item)
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name, _, _ in plans}
    for number in range(passes):
        say(f"  pass {number + 1}/{passes}")
        for name, fn, items in plans:
            samples[name].append(one_pass(fn, items))
    return {
        name: tuple(statistics.median(s[i] for s in runs) / len(items) * 1000 for i in (0, 1))
        for (name, runs), (_, _, items) in zip(samples.items(), plans, strict=True)
    }


LINT_BLOCKS = ("fence", "code_block", "html_block", "paragraph_open")  # what prose.py reads


def lint_view(tokens: list) -> list[tuple[str, tuple]]:
    """The block tokens the lint takes positions from (plugins/guidelines/prose.py)."""
    return [(t.type, tuple(t.map)) for t in tokens if t.type in LINT_BLOCKS and t.map]


def lint_agreement(today: Engine, one: Engine, bodies: list[Body]) -> dict:
    """Would the lint see the same blocks at the same lines if it read the page's parse?"""
    differ = []
    for body in bodies:
        if lint_view(today.parse(body.text)) != lint_view(one.parse(body.text)):
            differ.append(body.path)
    return {
        "engine": one.name,
        "compared_with": "the lint's block-only parse (markdown-it-py)",
        "token_types": list(LINT_BLOCKS),
        "bodies": len(bodies),
        "same": len(bodies) - len(differ),
        "differ": differ[:20],
    }


def code_blocks(bodies: list[Body]) -> list[list[tuple[str, str, bool]]]:
    """Per body, its code blocks (code, info, fenced): to time Pygments on its own."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark")
    return [
        [(t.content, t.info, t.type == "fence") for t in md.parse(b.text)
         if t.type in ("fence", "code_block")]
        for b in bodies
    ]  # fmt: skip


# --- Compatibility ------------------------------------------------------------------------

_VOID = {"br", "hr", "img", "input", "meta", "link", "source", "wbr", "col", "embed", "area"}
# What the Markdown syntax itself produces; any other tag in a difference is raw HTML.
MARKDOWN_TAGS = {
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "a", "em", "strong", "code",
    "pre", "blockquote", "hr", "br", "img", "table", "thead", "tbody", "tr", "th", "td",
    "div", "span", "sup", "section", "dl", "dt", "dd", "abbr", "del", "input",
}  # fmt: skip
CLASSES = (
    "footnotes markup",
    "attr_list",
    "code highlighting",
    "raw HTML blocks",
    "'#word' line: a heading without the space",
    "heading ids",
    "link URL %-encoding ({filename}, [ …)",
    "links refused (javascript:, bad URL)",
    "tables",
    "lists (nesting, 2/4-space indent)",
    "definition lists",
    "other",
)
ENGINE_ERROR = "engine error (exception or panic)"
SERIAL = "serialisation only (whitespace, entities, void tags, attribute order)"


@dataclass(frozen=True)
class Tok:
    kind: str  # "start" | "end" | "text" | "comment"
    value: str  # tag name or text
    attrs: tuple = ()
    context: tuple = ()  # enclosing elements, as "tag.class" labels

    @property
    def key(self) -> tuple:
        return (self.kind, self.value, self.attrs)

    def show(self) -> str:
        if self.kind == "start":
            attrs = "".join(f' {k}="{v}"' for k, v in self.attrs)
            return f"<{self.value}{attrs}>"
        if self.kind == "end":
            return f"</{self.value}>"
        if self.kind == "comment":
            return f"<!--{self.value}-->"
        return self.value


class _Tokenizer(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[Tok] = []
        self.stack: list[tuple[str, str]] = []

    def _context(self) -> tuple:
        return tuple(label for _, label in self.stack)

    def handle_starttag(self, tag, attrs) -> None:
        attrs = tuple(sorted((k, " ".join((v or "").split())) for k, v in attrs))
        self.out.append(Tok("start", tag, attrs, self._context()))
        if tag not in _VOID:
            cls = dict(attrs).get("class", "")
            self.stack.append((tag, f"{tag}.{cls}" if cls else tag))

    def handle_startendtag(self, tag, attrs) -> None:
        attrs = tuple(sorted((k, " ".join((v or "").split())) for k, v in attrs))
        self.out.append(Tok("start", tag, attrs, self._context()))

    def handle_endtag(self, tag) -> None:
        if tag in _VOID:
            return
        context = self._context()  # the element being closed included
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break
        self.out.append(Tok("end", tag, (), context))

    def handle_data(self, data) -> None:
        text = " ".join(data.split())
        if text:
            self.out.append(Tok("text", text, (), self._context()))

    def handle_comment(self, data) -> None:
        self.out.append(Tok("comment", " ".join(data.split()), (), self._context()))


def tokens(markup: str) -> list[Tok]:
    """The HTML as a flat list of tags and texts, whitespace-insensitive."""
    parser = _Tokenizer()
    parser.feed(markup)
    parser.close()
    return parser.out


def normalise(markup: str) -> str:
    """Whitespace-insensitive form: runs of whitespace are one space, none between tags."""
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", markup)).strip()


_ATTR_LIST = re.compile(r"\{[:#.][^}\n]*\}")


def classify(old: list[Tok], new: list[Tok]) -> str:
    """The kind of one difference, from the elements it touches (first match wins)."""
    hunk = old + new
    labels = {label for tok in hunk for label in tok.context}
    tags = {tok.value for tok in hunk if tok.kind in ("start", "end")}
    every = tags | {label.split(".")[0] for label in labels}
    attrs = " ".join(f"{k}={v}" for tok in hunk for k, v in tok.attrs)
    text = " ".join(tok.value for tok in hunk if tok.kind == "text")
    if "footnote" in attrs or "fn:" in attrs or any("footnote" in x for x in labels):
        return "footnotes markup"
    if _ATTR_LIST.search(text):
        return "attr_list"
    if "pre" in every or "class=highlight" in attrs or any(x == "div.highlight" for x in labels):
        return "code highlighting"
    if any(tok.kind == "comment" for tok in hunk) or every - MARKDOWN_TAGS:
        return "raw HTML blocks"
    if tags == {"p"} and all(tok.kind != "text" for tok in hunk):
        return "raw HTML blocks"  # a line starting with a tag: <p> around it or not
    headings = {"h1", "h2", "h3", "h4", "h5", "h6"}
    if sum(t.value in headings for t in old) != sum(t.value in headings for t in new):
        return "'#word' line: a heading without the space"
    if every & headings:
        return "heading ids"
    urls = [(t.value, dict(t.attrs)) for t in hunk if t.kind == "start" and t.value in "a img"]
    targets = {unquote(a.get("href") or a.get("src") or "") for _, a in urls}
    if len(urls) >= 2 and len(targets) < len(urls):
        return "link URL %-encoding ({filename}, [ …)"
    if re.search(r"\]\([^)]*:", text):
        return "links refused (javascript:, bad URL)"
    if every & {"table", "thead", "tbody", "tr", "th", "td"}:
        return "tables"
    if every & {"ul", "ol", "li"}:
        return "lists (nesting, 2/4-space indent)"
    if every & {"dl", "dt", "dd"}:
        return "definition lists"
    return "other"


@dataclass
class Comparison:
    identical: bool  # byte for byte
    normalised: bool  # after whitespace is normalised
    classes: dict[str, list[str]]  # class → examples ("baseline ⟶ engine" snippets)
    dom: bool = False  # the same elements, attributes and text (what a browser builds)


def _snippet(a: list[Tok], b: list[Tok], context: int = 40) -> str:
    """The two sides of a difference, cut to where they differ (with some context)."""
    left, right = "".join(t.show() for t in a), "".join(t.show() for t in b)
    start = 0
    while start < min(len(left), len(right)) and left[start] == right[start]:
        start += 1
    end = 0
    while end < min(len(left), len(right)) - start and left[-1 - end] == right[-1 - end]:
        end += 1
    lo = max(start - context, 0)

    def cut(s: str) -> str:
        hi = len(s) - max(end - context, 0)
        middle = s[lo:hi]
        if len(middle) > 2 * context + 120:
            middle = middle[: context + 60] + "…" + middle[-(context + 60) :]
        return ("…" if lo else "") + middle + ("…" if hi < len(s) else "")

    return f"{cut(left)}  ⟶  {cut(right)}"


def compare(baseline: str, other: str) -> Comparison:
    """How `other` differs from the baseline's HTML of the same body."""
    if baseline == other:
        return Comparison(True, True, {}, dom=True)
    same = normalise(baseline) == normalise(other)
    a, b = tokens(baseline), tokens(other)
    matcher = difflib.SequenceMatcher(None, [t.key for t in a], [t.key for t in b], False)
    classes: dict[str, list[str]] = {}
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        kind = classify(a[i1:i2], b[j1:j2])
        shown = _snippet(a[max(i1 - 1, 0) : i2 + 1], b[max(j1 - 1, 0) : j2 + 1])
        classes.setdefault(kind, []).append(shown)
    dom = not classes
    if not same and dom:
        classes[SERIAL] = ["(same elements and text; only spacing/escaping differs)"]
    return Comparison(False, same, classes, dom=dom)


def compatibility(engine: Engine, pages: dict[str, str], bodies: list[Body]) -> dict:
    """Identical / normalised-identical counts per group, and the difference classes."""
    groups: dict[str, dict] = {}
    classes: dict[str, dict] = {}
    for body in bodies:
        group = groups.setdefault(
            body.group, {"posts": 0, "identical": 0, "normalised": 0, "dom": 0}
        )
        group["posts"] += 1
        ok, page = attempt(engine.render, body.text)
        if ok:
            result = compare(pages[body.path], page)
        else:
            result = Comparison(False, False, {ENGINE_ERROR: [page]})
        group["identical"] += result.identical
        group["normalised"] += result.normalised
        group["dom"] += result.dom
        for kind, examples in result.classes.items():
            entry = classes.setdefault(kind, {"posts": {}, "differences": 0, "example": None})
            entry["posts"][body.group] = entry["posts"].get(body.group, 0) + 1
            entry["differences"] += len(examples)
            site_example = body.group in SITE
            if entry["example"] is None or (site_example and entry["example"]["group"] not in SITE):
                entry["example"] = {"post": body.path, "group": body.group, "diff": examples[0]}
    order = {kind: i for i, kind in enumerate((ENGINE_ERROR, *CLASSES, SERIAL))}
    return {
        "groups": groups,
        "classes": dict(sorted(classes.items(), key=lambda kv: order.get(kv[0], 99))),
    }


# --- Run ----------------------------------------------------------------------------------


def commit() -> str:
    """The commit the bench ran at (`+changes` when its files differ from it)."""
    git = ["git", "-C", str(ROOT)]
    try:
        head = subprocess.run(
            [*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            [*git, "status", "--porcelain", "bench", "tests"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "?"
    return f"{head}+changes" if dirty else head  # fmt: skip


def run(posts: int, passes: int, say: Callable[[str], None] = print) -> dict:
    baseline = baseline_markdown()
    layer = Layer(baseline)
    site, refused = site_bodies()
    corpus = corpus_bodies(posts) if posts else []
    timed = corpus + site
    found = engines(baseline, layer, say)
    say(
        f"{len(corpus)} corpus + {len(site)} demo/fixture bodies ({len(refused)} files "
        f"refused by the front-matter reader, left out); {passes} passes"
    )
    pages = {body.path: found[0].render(body.text) for body in timed}
    rows, plans = [], []
    for engine in found:
        calls = {"render": engine.render, "parse": engine.parse, "both": engine.both}
        failed = {
            path: error
            for fn in calls.values()
            if fn is not None
            for path, error in failures(fn, timed).items()
        }
        texts = [b.text for b in timed if b.path not in failed]  # the same set for every call
        plans += [(f"{engine.name}/{call}", fn, texts) for call, fn in calls.items() if fn]
        rows.append(
            {
                "engine": engine.name,
                "package": engine.package,
                "version": version_of(engine.package),
                "layer": engine.layer,
                "timed_bodies": len(texts),
                "failures": failed,
                "one_parse": engine.one_parse,
                "positions": engine.positions,
                "compatibility": compatibility(engine, pages, timed),
            }
        )
    by_name = {e.name: e for e in found}
    agreement = (
        lint_agreement(by_name["markdown-it-py"], by_name["markdown-it-py+layer"], timed)
        if "markdown-it-py+layer" in by_name
        else None
    )
    blocks = code_blocks(timed)
    highlight = lambda found: [layer.code(code, info, fenced) for code, info, fenced in found]  # noqa: E731
    plans.append(("pygments/render", highlight, blocks))
    measured = interleaved(plans, passes, say)
    for row in rows:
        for call in ("render", "parse", "both"):
            cpu, wall = measured.get(f"{row['engine']}/{call}", (None, None))
            row[f"{call}_ms"], row[f"{call}_wall_ms"] = cpu, wall
    base_ms = rows[0]["render_ms"]
    lint_ms = next((r["parse_ms"] for r in rows if r["engine"] == "markdown-it-py"), None)
    today = base_ms + (lint_ms or 0.0)  # the page by Python-Markdown + the lint's parse
    for row in rows:
        row["speedup_render"] = base_ms / row["render_ms"]
        row["speedup_vs_today"] = today / row["both_ms"] if row["both_ms"] else None
    return {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": commit(),
        "python": sys.version.split()[0],
        "interpreter": sys.executable,
        "machine": f"{platform.machine()}, {os.cpu_count()} cpus (shared)",
        "passes": passes,
        "bodies": {
            "corpus": len(corpus),
            "demo": sum(b.group == "demo" for b in site),
            "fixture": sum(b.group == "fixture" for b in site),
            "probe": sum(b.group == "probe" for b in site),
            "code_blocks": sum(map(len, blocks)),
            "refused": refused,
        },
        "today_ms": today if lint_ms is not None else None,
        "pygments_ms": measured["pygments/render"][0],
        "lint_agreement": agreement,
        "notes": [
            "ms: CPU time of this process per body (the *_wall_ms fields: wall clock), the "
            "median of the passes, engines interleaved within each pass, over corpus + demo "
            "+ fixture + probe bodies",
            "render = page HTML; parse = the positioned structure the lint would read; both "
            "= page + positions (one parse only where one_parse is true)",
            "today_ms = python-markdown render + markdown-it-py block-only lint parse; "
            "speedup_vs_today = today_ms / both_ms",
            "pygments_ms = codehilite's CodeHilite alone on every code block, per body: "
            "the part of every compatible render that is Pygments",
            "compatibility: against python-markdown with pelicanconf.py's MARKDOWN, per "
            "group; 'probe' = tests/fixtures/markdown_engines/ (this bench's own cases)",
        ],
        "engines": rows,
    }


def _counts(groups: dict, names: tuple[str, ...]) -> tuple[int, int, int, int]:
    chosen = [g for name, g in groups.items() if name in names]
    return tuple(sum(g[k] for g in chosen) for k in ("posts", "identical", "normalised", "dom"))


def table(results: dict) -> str:
    """The summary on stdout: speed, compatibility, positions; then the differences."""
    lines = [
        f"{'engine':<23}{'render':>7}{'parse':>7}{'both':>7}{'×PM':>7}{'×today':>7}"
        f"{'same':>9}{'~same':>9}{'=DOM':>9}{'=DOM corpus':>12}  positions",
    ]
    for row in results["engines"]:
        groups = row["compatibility"]["groups"]
        n, same, norm, dom = _counts(groups, SITE)
        cn, _, _, cdom = _counts(groups, ("corpus",))
        pos = row["positions"]
        where = (
            "block+inline" if pos["inline_offsets"] else ("block" if pos["block_lines"] else "none")
        )
        cells = [
            f"{row['engine']:<23}",
            *(
                f"{row[k]:>7.3f}" if row[k] is not None else f"{'—':>7}"
                for k in ("render_ms", "parse_ms", "both_ms")
            ),
            f"{row['speedup_render']:>6.1f}×",
            f"{row['speedup_vs_today']:>6.1f}×" if row["speedup_vs_today"] else f"{'—':>7}",
            f"{same:>5}/{n:<3}",
            f"{norm:>5}/{n:<3}",
            f"{dom:>5}/{n:<3}",
            f"{cdom:>7}/{cn:<4}",
            f"  {where}{' (one parse)' if row['one_parse'] else ''}",
        ]
        lines.append("".join(cells))
    lines += [
        f"ms = CPU ms per body; Pygments alone (codehilite on every code block): "
        f"{results['pygments_ms']:.3f} ms per body",
        "×PM = render speed-up over Python-Markdown; ×today = (PM render + lint parse) / both",
        *(
            [
                f"lint blocks (fence, code_block, html_block, paragraph lines) from the "
                f"{agree['engine']} parse = the lint's own parse: {agree['same']}/"
                f"{agree['bodies']} bodies"
            ]
            if (agree := results.get("lint_agreement"))
            else []
        ),
        "same / ~same / =DOM = byte-identical / identical after whitespace is normalised / "
        "same elements, attributes and text, on the demo + fixture posts; =DOM corpus: on "
        "the generated corpus",
        "",
    ]
    for row in results["engines"][1:]:
        lines.append(f"{row['engine']}: differences (posts demo+fixture / corpus, hunks)")
        for kind, entry in row["compatibility"]["classes"].items():
            posts = entry["posts"]
            site = sum(posts.get(g, 0) for g in SITE)
            lines.append(
                f"  {kind}: {site} / {posts.get('corpus', 0)} posts"
                f" (+{posts.get('probe', 0)} probe), {entry['differences']} hunks"
            )
            lines.append(f"    e.g. {entry['example']['post']}: {entry['example']['diff']}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.markdown_engines",
        description=__doc__,
        epilog=f"scratch interpreter with every engine: {SCRATCH}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--posts", type=int, default=1000, help="corpus size (1000; 0 = none)")
    parser.add_argument("--passes", type=int, default=3, help="timed passes per engine (3)")
    parser.add_argument("--output", type=Path, default=RESULTS, help="results JSON")
    args = parser.parse_args(argv)
    results = run(args.posts, args.passes)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n")
    print(table(results))
    print(f"results: {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
