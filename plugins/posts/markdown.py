"""Markdown source → tokens → HTML: one parse gives the page and the lint its structure.

Why markdown-it-py and not Python-Markdown: markdown-it-py's block tokens carry source
line maps, so the lint (plugins/guidelines/prose.py) reads the very parse the page is
rendered from; with Python-Markdown the page and the lint parsed each post twice, with two
dialects that disagreed (2-space nested lists, `#Hashtag` lines made into headings). The
evidence (same DOM as Python-Markdown on the demo, the fixtures and the bench corpus, at
about half the CPU) is bench/markdown_engines.py and bench/results/markdown_engines.json.

Why a compatibility layer: existing posts and themes expect Python-Markdown's output. It
reuses Python-Markdown's own pieces, configured from Pelican's MARKDOWN setting, so that
setting stays the one place: codehilite's CodeHilite renders code blocks, toc's slugify and
unique make heading ids, attr_list's parser reads `{: #id .class}`. Footnotes come out in
the footnotes extension's markup; table cells in its alignment style; `{filename}` braces
reach Pelican unescaped; text is escaped without `&quot;` and `<img>` attributes are in
Python-Markdown's order. What the layer does not cover (abbr, md_in_html, fenced-code
attribute blocks, `[TOC]`) no post uses.

The block structure (and so every line map) does not depend on the MARKDOWN setting, which
only changes how code and headings are rendered: the lint run alone uses `default()` and
sees the same tokens as the build.
"""

from __future__ import annotations

import html
import re

from markdown.extensions.attr_list import get_attrs_and_remainder
from markdown.extensions.codehilite import CodeHilite, CodeHiliteExtension
from markdown.extensions.toc import TocExtension, slugify, unique
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.attrs import attrs_block_plugin, attrs_plugin
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin
from pygments.formatters import get_formatter_by_name
from pygments.util import ClassNotFound

CODEHILITE = "markdown.extensions.codehilite"
TOC = "markdown.extensions.toc"


def _ref_id(meta: dict) -> str:
    sub = meta["subId"]
    return f"fnref{sub + 1 if sub else ''}:{meta['label']}"


# mdit-py-plugins' footnote tokens rendered in the footnotes extension's markup
FOOTNOTES = {
    "footnote_ref": lambda self, t, i, o, e: (
        f'<sup id="{_ref_id(t[i].meta)}"><a class="footnote-ref" '
        f'href="#fn:{t[i].meta["label"]}">{t[i].meta["id"] + 1}</a></sup>'
    ),
    "footnote_block_open": lambda self, t, i, o, e: '<div class="footnote">\n<hr>\n<ol>\n',
    "footnote_block_close": lambda self, t, i, o, e: "</ol>\n</div>\n",
    "footnote_open": lambda self, t, i, o, e: f'<li id="fn:{t[i].meta["label"]}">\n',
    "footnote_close": lambda self, t, i, o, e: "</li>\n",
    "footnote_anchor": lambda self, t, i, o, e: (
        f'{"" if t[i].meta["subId"] else "&#160;"}<a class="footnote-backref" '
        f'href="#{_ref_id(t[i].meta)}" title="Jump back to footnote {t[i].meta["id"] + 1} '
        'in the text">&#8617;</a>'
    ),
}

_HEADER_ATTRS = re.compile(r"[ ]+\{\:?[ ]*([^\}\n ][^\n]*)\}[ ]*$")  # attr_list's HEADER_RE
_BLOCK_ATTRS = re.compile(r"^[ ]*\{\:?[ ]*([^\}\n ][^\n]*)\}[ ]*$")  # its BLOCK_RE, own line


def attr_list(tokens: list[Token]) -> None:
    """Python-Markdown's attr_list for the two places posts use it: `## Heading {: #id
    .class}` and a `{: .class}` line ending a paragraph."""
    for i, token in enumerate(tokens):
        if token.type != "inline" or not token.children or i == 0:
            continue
        opening, children = tokens[i - 1], token.children
        last = children[-1]
        if last.type != "text":
            continue
        if opening.type == "heading_open":
            found = _HEADER_ATTRS.search(last.content)
            if not found:
                continue
            last.content = last.content[: found.start()]
        elif opening.type == "paragraph_open":
            found = _BLOCK_ATTRS.match(last.content)
            if not found or len(children) < 2 or children[-2].type != "softbreak":
                continue
            del children[-2:]
        else:
            continue
        attrs, _ = get_attrs_and_remainder(found.group(1))
        for key, value in attrs:
            if key == ".":
                classes = opening.attrGet("class")
                opening.attrSet("class", f"{classes} {value}" if classes else value)
            else:
                opening.attrSet(key, key if value is None else value)


class _Formatters:
    """CodeHilite's formatter, made once per set of options instead of once per code
    block: a Pygments HTML formatter builds its whole style sheet when it is made (a
    third of highlighting a short block), and formatting leaves it as it was. Given to
    CodeHilite as its `pygments_formatter` class, it makes what the named formatter would
    (CodeHilite hands a class `lang_str` too, which the named one never gets)."""

    def __init__(self, name: str):
        self.name = name
        self.made: dict[str, object] = {}

    def __call__(self, lang_str: str = "", **options):
        key = repr(sorted(options.items()))
        if key not in self.made:
            try:
                self.made[key] = get_formatter_by_name(self.name, **options)
            except ClassNotFound:
                self.made[key] = get_formatter_by_name("html", **options)
        return self.made[key]


class Markdown:
    """One configured parser and renderer. `parse` and `render` are separate so the
    caller can hand the tokens to the lint between them."""

    def __init__(self, config: dict | None = None) -> None:
        configs = (config or {}).get("extension_configs") or {}
        code = CodeHiliteExtension(**configs.get(CODEHILITE, {})).getConfigs()
        self._style = code.pop("pygments_style", "default")
        if isinstance(code.get("pygments_formatter", "html"), str):
            code["pygments_formatter"] = _Formatters(code.get("pygments_formatter", "html"))
        self._code = code
        toc = TocExtension(**configs.get(TOC, {})).getConfigs()
        self._slugify = toc.get("slugify") or slugify
        self._separator = toc.get("separator", "-")
        md = MarkdownIt("commonmark", {"html": True, "xhtmlOut": False}).enable("table")
        for plugin in (footnote_plugin, attrs_plugin, attrs_block_plugin, deflist_plugin):
            md.use(plugin)
        for name, rule in FOOTNOTES.items():
            md.add_render_rule(name, rule)

        def fence(renderer, tokens, idx, options, env) -> str:
            token = tokens[idx]
            return self.code(token.content, token.info, fenced=token.type == "fence") + "\n"

        md.add_render_rule("fence", fence)
        md.add_render_rule("code_block", fence)
        md.add_render_rule("text", _text)
        md.add_render_rule("image", _image)
        md.core.ruler.push("chorus_compat", self._compat)
        encode = md.normalizeLink
        # Pelican resolves {filename}/{static} in href/src after the render: the braces
        # must reach it as they are (markdown-it percent-encodes them)
        md.normalizeLink = lambda url: encode(url).replace("%7B", "{").replace("%7D", "}")
        self._md = md

    def parse(self, text: str) -> list[Token]:
        """Block tokens with `.map` = [first, end) lines of `text`, in-line children.
        A lone CR is a space: positions in a post count LF-separated lines only."""
        return self._md.parse(text.replace("\r", " ") if "\r" in text else text, {})

    def render(self, tokens: list[Token]) -> str:
        """The page's HTML, stripped as Python-Markdown's convert strips it."""
        return self._md.renderer.render(tokens, self._md.options, {}).strip()

    def convert(self, text: str) -> str:
        return self.render(self.parse(text))

    def refuses(self, url: str) -> bool:
        """A link target the page leaves as text (`javascript:` and friends)."""
        return not self._md.validateLink(self._md.normalizeLink(url))

    def code(self, code: str, lang: str | None, fenced: bool = True) -> str:
        """A code block as fenced_code + codehilite write it."""
        lang = lang.split()[0] if lang and lang.strip() else None
        hilite = CodeHilite(code, lang=lang, style=self._style, **self._code)
        return hilite.hilite(shebang=not fenced)

    def heading_id(self, text: str, used: set[str]) -> str:
        """toc's id for a heading whose text is `text`."""
        return unique(self._slugify(text, self._separator), used)

    def _compat(self, state) -> None:
        """attr_list, then heading ids as toc makes them (ids given by hand taken first, as
        toc's set_used_ids does), then table cells in Python-Markdown's style."""
        tokens = state.tokens
        attr_list(tokens)
        used = {t.attrGet("id") for t in tokens if t.type == "heading_open" and t.attrGet("id")}
        for i, token in enumerate(tokens):
            if token.type == "heading_open" and not token.attrGet("id"):
                inline = tokens[i + 1].children or []
                text = "".join(c.content for c in inline if c.type in ("text", "code_inline"))
                token.attrSet("id", self.heading_id(text, used))
            elif token.type in ("th_open", "td_open"):
                style = token.attrGet("style")
                if style and style.startswith("text-align:"):
                    token.attrSet("style", f"text-align: {style.split(':')[1]};")


def _text(renderer, tokens, idx, options, env) -> str:
    return html.escape(tokens[idx].content, quote=False)  # `"` stays `"`, as in PM


def _image(renderer, tokens, idx, options, env) -> str:
    token = tokens[idx]
    alt = renderer.renderInlineAsText(token.children or [], options, env)
    # Python-Markdown's attribute order: alt, src, title
    token.attrs = {"alt": alt, **{k: v for k, v in token.attrs.items() if k != "alt"}}
    return renderer.renderToken(tokens, idx, options, env)


_ENGINES: dict[str, Markdown] = {}


def engine(config: dict | None) -> Markdown:
    """The engine for Pelican's MARKDOWN setting, made once per process and setting."""
    key = repr(config or {})
    if key not in _ENGINES:
        _ENGINES[key] = Markdown(config)
    return _ENGINES[key]


def default() -> Markdown:
    """The engine for the lint run alone (no Pelican settings): the same tokens."""
    return engine(None)
