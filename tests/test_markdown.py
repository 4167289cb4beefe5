"""The page and the lint come from one Markdown parse (plugins/posts/markdown.py).

1. What the lint's analysis sees (code blocks, code spans, links, headings) is what the
   built page has, on every fixture post, the demo posts and a generated 200-post corpus.
2. The demo posts' bodies have the same DOM as Python-Markdown gave them before the switch
   (tests/fixtures/markdown_golden, made once with Python-Markdown).
"""

from __future__ import annotations

import html
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

import pytest
from pelican.settings import read_settings

from bench.corpus import cached_corpus
from bench.markdown_engines import tokens as dom_tokens
from plugins.guidelines.post import load_post
from plugins.guidelines.prose import analyse
from plugins.posts.markdown import engine
from plugins.problems import ContentError

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "fixtures" / "markdown_golden"
MARKDOWN = read_settings(str(ROOT / "pelicanconf.py"))["MARKDOWN"]
FOOTNOTE_LINK = ("#fn:", "#fnref")  # made by the footnotes markup, not written in the post


class Structure(HTMLParser):
    """Code blocks, code spans, link targets and headings of a page's HTML."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pre = 0
        self.blocks = 0
        self.spans: list[str] = []
        self.links: list[str] = []
        self.headings: list[int] = []
        self._code: list[str] | None = None

    def handle_starttag(self, tag, attrs) -> None:
        if tag == "pre":
            self.pre += 1
            self.blocks += 1
        elif tag == "code" and not self.pre:
            self._code = []
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self.headings.append(int(tag[1]))
        for name, value in attrs:
            footnote = value is not None and value.startswith(FOOTNOTE_LINK)
            if name in ("href", "src") and value is not None and not footnote:
                self.links.append(value)

    def handle_endtag(self, tag) -> None:
        if tag == "pre":
            self.pre -= 1
        elif tag == "code" and self._code is not None:
            self.spans.append(" ".join("".join(self._code).split()))
            self._code = None

    def handle_data(self, data) -> None:
        if self._code is not None:
            self._code.append(data)


def _posts() -> list[Path]:
    fixtures = sorted(ROOT.glob("tests/**/fixtures/**/*.md"))
    return [p for p in fixtures if p.name != "README.md"] + sorted(
        ROOT.glob("content/posts/**/*.md")
    )


def _lint_and_page(path: Path):
    try:
        post = load_post(path)
    except ContentError:
        return None  # not a post (the bad/ fixtures): neither builds nor lints a body
    md = engine(MARKDOWN)
    tokens = post.extra["tokens"] = md.parse(post.text[post.body_offset :])  # as the pipeline
    page = Structure()
    page.feed(md.render(tokens))
    page.close()
    return post, analyse(post), page


def _span_text(text: str) -> str:
    inner = text.strip("`")
    return " ".join(inner.split())


def _target(url: str) -> str:
    return unquote(html.unescape(url))  # the page %-encodes what the source wrote plainly


# Where the lint's in-line regexes and the parse disagree on purpose or by known limit.
KNOWN = {
    # links nested in link text: CommonMark makes the outer ones text; the lint's regex
    # takes one more `[…](y)`, so the lint checks a target the page does not link to
    "tests/fixtures/hostile/deep-nesting.md": "links",
}


def check_same_structure(path: Path) -> None:
    found = _lint_and_page(path)
    if found is None:
        return
    post, prose, page = found
    assert len(prose.code_blocks) == page.blocks, f"{path}: code blocks"
    assert [level for _, level in prose.headings] == page.headings, f"{path}: headings"
    lint_spans = Counter(_span_text(post.text[a:b]) for a, b in prose.code_spans)
    assert lint_spans == Counter(page.spans), f"{path}: code spans"
    if KNOWN.get(str(path.relative_to(ROOT))) == "links":
        return
    md = engine(MARKDOWN)
    # a refused Markdown target (javascript:) is text on the page; the lint still reports
    # it (raw HTML keeps its href, for the sanitizer to drop)
    linked = Counter(
        _target(link.target)
        for link in prose.links
        if link.kind != "bare"
        and not (link.kind in ("markdown", "image") and md.refuses(link.target))
    )
    assert linked == Counter(_target(url) for url in page.links), f"{path}: links"


@pytest.mark.parametrize("path", _posts(), ids=lambda p: str(p.relative_to(ROOT)))
def test_lint_sees_the_pages_structure(path: Path) -> None:
    check_same_structure(path)


def test_lint_sees_the_pages_structure_on_a_generated_corpus(tmp_path_factory) -> None:
    corpus = cached_corpus(ROOT / ".chorus" / "bench" / "corpus-200", 200)
    posts = sorted((corpus / "content" / "posts").rglob("*.md"))
    assert len(posts) == 200
    for path in posts:
        check_same_structure(path)


def _golden() -> list[Path]:
    return sorted(GOLDEN.glob("*.html"))


def test_every_demo_post_has_a_golden_page() -> None:
    demo = {"__".join(p.relative_to(ROOT / "content/posts").with_suffix(".html").parts)
            for p in ROOT.glob("content/posts/**/*.md")}  # fmt: skip
    assert demo == {p.name for p in _golden()}


@pytest.mark.parametrize("golden", _golden(), ids=lambda p: p.stem)
def test_demo_post_has_the_dom_python_markdown_gave_it(golden: Path) -> None:
    source = ROOT / "content" / "posts" / Path(*golden.with_suffix(".md").name.split("__"))
    post = load_post(source)
    page = engine(MARKDOWN).convert(post.text[post.body_offset :])
    before = golden.read_text(encoding="utf-8")
    assert [t.key for t in dom_tokens(page)] == [t.key for t in dom_tokens(before)]
