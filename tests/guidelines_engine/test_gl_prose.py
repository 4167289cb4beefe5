"""What counts as prose, and where: positions are in the source file (front matter lines
counted), and code, URLs and comments are never read as prose."""

from __future__ import annotations

from plugins.guidelines.post import Post, load_post
from plugins.guidelines.prose import analyse, blank, plain_sentences, scoped_text
from plugins.guidelines.terms import compile_terms

TEXT = """---
title: Guaranteed fun
date: 2026-11-20 09:30
author: maria.lopez
summary: >-
  A summary that wraps
  onto a second line.
---
Prose with `guaranteed` code and a [link](https://x.example/guaranteed) here.

```
guaranteed in a fence
```

<!-- guaranteed in a comment -->
Plain guaranteed at column seven.
"""


def _post(tmp_path, text=TEXT, name="p.md") -> Post:
    path = tmp_path / "posts" / "warehouse" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode())
    return load_post(path)


def test_blank_keeps_length_and_newlines():
    assert blank("ab\ncd", [(1, 4)]) == "a \n d"


def test_only_prose_is_searched_with_source_positions(tmp_path):
    post = _post(tmp_path)
    terms = compile_terms(["guaranteed"])
    text = scoped_text(post)
    assert len(text) == len(post.text)
    found = [post.position(m.start()) for m in terms.finditer(text)]
    assert found == [(2, 8), (16, 7)]  # the title, and the last line; nothing else


def test_department_slug_and_lines(tmp_path):
    post = _post(tmp_path)
    assert (post.department, post.slug, post.status) == ("warehouse", "p", "published")
    assert (post.line_of("summary"), post.body_line, post.line_of("tags")) == (5, 9, 1)


def test_crlf_positions_match_lf(tmp_path):
    lf = _post(tmp_path)
    crlf = _post(tmp_path, TEXT.replace("\n", "\r\n"), "q.md")
    assert scoped_text(crlf) == scoped_text(lf)


def test_links_and_images_are_found_with_positions(tmp_path):
    post = _post(tmp_path, TEXT + '\n![A dock at dawn](/images/d.png)\n<img src="x.png" alt="">\n')
    prose = analyse(post)
    assert [(link.kind, link.target) for link in prose.links] == [
        ("markdown", "https://x.example/guaranteed"),
        ("image", "/images/d.png"),
        ("html", "x.png"),
    ]
    assert [(i.alt, post.position(i.offset)[0]) for i in prose.images] == [
        ("A dock at dawn", 18),
        ("", 19),
    ]


def test_sentences_are_counted_per_paragraph(tmp_path):
    post = _post(tmp_path, "---\ntitle: t\n---\nOne two three. Four five!\n\n- Six seven\n")
    assert [(post.position(o)[0], n) for o, n in plain_sentences(post)] == [(4, 3), (4, 2), (6, 2)]
