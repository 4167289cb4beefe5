"""Text that is safe in XML 1.0 and JSON, whatever an author typed or pasted.

XML 1.0 forbids most C0 control characters outright (even as `&#1;`), and a lone UTF-16
surrogate cannot be encoded as UTF-8 at all: either one in a title would make a feed that
no reader can parse. We drop them (and C1 controls, which never carry meaning in UTF-8
text) once, in `clean`, and use the same cleaned text in every format so that Atom, RSS
and JSON Feed always agree on a post's title.
"""

from __future__ import annotations

import html
import re

# Everything XML 1.0 allows (Char production) minus C1 controls; see the module docstring.
_ILLEGAL = re.compile("[^\t\n\r\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def clean(text: object) -> str:
    """`text` as a string with the characters XML 1.0 forbids removed."""
    return _ILLEGAL.sub("", str(text))


def esc(text: object) -> str:
    """Element text: `&`, `<`, `>` escaped; `\\r` kept (a parser would fold it to `\\n`)."""
    return (
        clean(text)
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\r", "&#13;")
    )


def attr(text: object) -> str:
    """A double-quoted attribute value; whitespace escaped so parsers do not normalise it."""
    return esc(text).replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")


def text_as_html(text: str) -> str:
    """Plain text written as HTML that displays exactly that text (for RSS <description>,
    which readers treat as HTML: a summary mentioning `<b>` must not turn bold)."""
    return html.escape(text, quote=False)


def prolog(stylesheet: str | None) -> list[str]:
    """XML declaration plus the browser stylesheet, shared by Atom and RSS."""
    out = ['<?xml version="1.0" encoding="utf-8"?>']
    if stylesheet:
        out.append(f'<?xml-stylesheet type="text/xsl" href="{attr(stylesheet)}"?>')
    return out
