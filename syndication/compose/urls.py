"""Where Mastodon's server sees a URL, so we count what it counts and link what it links.

Mastodon's StatusLengthValidator replaces every URL that
`Extractor.extract_urls_with_indices(text, extract_url_without_protocol: false)` finds with
23 x's. That extractor is twitter-text's, with Mastodon's own overrides of the URL regexes
(config/initializers/twitter_regex.rb). Two consequences that a plain `https?://\\S+`
pattern gets wrong:

- A URL needs a host whose last label is in twitter-text's TLD list (its `valid_gTLD` /
  `valid_ccTLD`, or punycode). `localhost`, IP addresses, `.example`, `.internal`, `.corp`
  are not URLs to Mastodon: they count in full and are not linked. This is twitter-text's
  list, not the Public Suffix List: Mastodon never consults the PSL.
- Mastodon widened the path to any character but white space, `<>()?`, so a path runs on
  into CJK text (`https://example.com/x/をご覧ください` is one URL to Mastodon). The
  composer separates such a URL from the text with a space (`separate_urls`).

The pieces twitter-text defines unchanged (preceding characters, domain with its TLD list,
port, the original balanced-parentheses rule) come from the twitter-text-parser package;
the pieces Mastodon overrides are written out here as Mastodon writes them.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass

import regex

with warnings.catch_warnings():
    # twitter-text-parser imports pkg_resources, which warns on import; nothing to fix here.
    warnings.simplefilter("ignore")
    from twitter_text.regexp.valid_domain import valid_domain
    from twitter_text.regexp.valid_port_number import valid_port_number
    from twitter_text.regexp.valid_tco_url import valid_tco_url
    from twitter_text.regexp.valid_url_balanced_parens import (
        valid_url_balanced_parens as _twitter_balanced_parens,
    )
    from twitter_text.regexp.valid_url_preceding_chars import valid_url_preceding_chars

MAX_URL_LENGTH = 4096  # twitter-text's limit, protocol and punycode host included
MAX_TCO_SLUG_LENGTH = 40
PROTOCOLS = ("https?", "dat", "dweb", "ipfs", "ipns", "ssb", "gopher", "gemini")

# Mastodon's overrides, in the order its initializer assigns them: the path-ending rule is
# built before balanced parentheses are redefined, so it uses twitter-text's original rule.
# Ruby's \p{White_Space}, written out so that the stdlib `re` (twice as fast here) runs it.
_WS = r"\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_GENERAL_PATH = rf"[^{_WS}<>()?]"
_PATH_ENDING = (
    rf"[^{_WS}()?!*\"'「」<>;:=,.$%\[\]~&|@]|(?:" + _twitter_balanced_parens.pattern + ")"
)
_BALANCED_PARENS = (
    rf"\((?:{_GENERAL_PATH}+|(?:{_GENERAL_PATH}*\({_GENERAL_PATH}+\){_GENERAL_PATH}*))\)"
)
_UCHARS = (
    "\u00a0-\ud7ff\uf900-\ufdcf\ufdf0-\uffef"
    "\U00010000-\U0001fffd\U00020000-\U0002fffd\U00030000-\U0003fffd\U00040000-\U0004fffd"
    "\U00050000-\U0005fffd\U00060000-\U0006fffd\U00070000-\U0007fffd\U00080000-\U0008fffd"
    "\U00090000-\U0009fffd\U000a0000-\U000afffd\U000b0000-\U000bfffd\U000c0000-\U000cfffd"
    "\U000d0000-\U000dfffd\U000e1000-\U000efffd\ue000-\uf8ff\U000f0000-\U000ffffd"
    "\U00100000-\U0010fffd"
)
_QUERY = rf"[a-z0-9!?*'();:&=+$/%#\[\]\-_.,~|@\^{_UCHARS}]"
_QUERY_ENDING = rf"[a-z0-9_&=#/\-{_UCHARS}]"
_PATH = (
    rf"(?:(?:{_GENERAL_PATH}*(?:{_BALANCED_PARENS}{_GENERAL_PATH}*)*(?:{_PATH_ENDING}))"
    rf"|(?:{_GENERAL_PATH}+/))"
)

VALID_URL = re.compile(
    rf"(?P<before>{valid_url_preceding_chars.pattern})"
    rf"(?P<url>(?P<protocol>(?:{'|'.join(PROTOCOLS)})://)?"
    rf"(?P<domain>{valid_domain.pattern})"
    rf"(?::(?:{valid_port_number.pattern}))?"
    rf"(?P<path>/{_PATH}*)?"
    rf"(?P<query>\?{_QUERY}*{_QUERY_ENDING})?)",
    re.IGNORECASE,
)
TCO_URL = re.compile(valid_tco_url.pattern, re.IGNORECASE)

# Where an author means a URL to end although Mastodon's path goes on: scripts written
# without spaces between words (and their full-width punctuation), and the invisible
# bidirectional marks that close an embedding or isolate around a URL in RTL text.
# (The one definition: Bluesky's facets in richtext.py end a URL at the same characters.)
RUN_ON_CHARS = (
    r"\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}\p{Thai}\u3000-\u303f\uff00-\uffef"
    r"\u30fc\u3099-\u309c\u200e\u200f\u202a-\u202e\u2066-\u2069"
)
_RUN_ON = regex.compile(f"[{RUN_ON_CHARS}]")


@dataclass(frozen=True)
class Url:
    url: str
    start: int  # code point offsets into the text
    end: int
    host_end: int  # where the host (and port) ends: the path and query start here
    run_end: int  # where Mastodon's match ended (past `end` for a t.co URL it shortened)


def extract(text: str) -> list[Url]:
    """URLs as Mastodon extracts them for counting: with a protocol, a known TLD, and a
    total length within twitter-text's 4,096."""
    if ":" not in text:
        return []
    found: list[Url] = []
    for match in VALID_URL.finditer(text):
        if match.group("protocol") is None:
            continue
        url, start, end = match.group("url"), match.start("url"), match.end("url")
        host_end = match.end("domain")
        tco = TCO_URL.match(url)
        if tco:
            if tco.group(1) and len(tco.group(1)) > MAX_TCO_SLUG_LENGTH:
                continue
            url, end = tco.group(0), start + len(tco.group(0))
        if not _valid_length(url, match.group("domain")):
            continue
        found.append(Url(url, start, end, min(host_end, end), match.end("url")))
    return found


def _valid_length(url: str, domain: str) -> bool:
    try:
        ascii_domain = domain.encode("idna").decode("ascii")
    except UnicodeError:
        return False
    return len(url) + max(0, len(ascii_domain) - len(domain)) <= MAX_URL_LENGTH


def replace(text: str, placeholder: str) -> str:
    """The text with each URL Mastodon recognises replaced by `placeholder` (its 23 x's)."""
    out, last = [], 0
    for url in extract(text):
        out += [text[last : url.start], placeholder]
        last = url.end
    out.append(text[last:])
    return "".join(out)


def separate_urls(text: str) -> str:
    """Put a space where Mastodon's URL would run on into CJK (or full-width) text, or
    into the bidirectional marks that close an RTL embedding.

    The author of `…/x/をご覧ください` meant the link to end at `/x/`; Mastodon would link and
    count the whole run. We insert a space before the first such character after the host,
    and keep it only if Mastodon then ends the URL there or before. A raw CJK path (an IRI
    pasted unescaped) is split the same way: CJK right after a URL is taken as text, and a
    link into such a path is written percent-encoded. Text with no run-on comes back
    unchanged."""
    done = 0  # every URL starting before this offset is settled
    while True:
        pending = [url for url in extract(text) if url.start >= done]
        if not pending:
            return text
        for url in pending:
            cut = _RUN_ON.search(text, url.host_end, url.run_end)
            if cut is not None:
                index = cut.start()
                candidate = text[:index] + " " + text[index:]
                if any(u.start == url.start and u.end <= index for u in extract(candidate)):
                    text, done = candidate, index + 1
                    break
            done = url.end
        else:
            return text
