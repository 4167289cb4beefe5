"""Email signatures: HTML an email client renders (inline styles, absolute links) and text."""

from __future__ import annotations

import unicodedata

import html5lib
import pytest

from plugins.people.cards import CardContext, signature_html, signature_text
from plugins.people.directory import Account, Person, load_directory
from plugins.people.pages import attach_photos
from plugins.people.photos import SIGNATURE_CSS_PX
from tests.conftest import ROOT

DIRECTORY = load_directory(ROOT / "content")
attach_photos(DIRECTORY, ROOT / "content")


def ctx_for(person: Person) -> CardContext:
    department = DIRECTORY.departments.get(person.department)
    return CardContext(
        "https://chorus.test", "Alder & Finch Co.", department.name if department else "HR"
    )


def check_email_safe(html: str) -> object:
    doc = html5lib.parse(html, namespaceHTMLElements=False)
    assert not doc.findall(".//script")
    assert not doc.findall(".//link") and not doc.findall(".//style")
    assert not doc.findall(".//iframe") and not doc.findall(".//form")
    for element in doc.iter():
        for attr, value in element.attrib.items():
            assert not attr.startswith("on"), (element.tag, attr)
            assert attr != "class", "email clients drop stylesheets: inline styles only"
            if attr in ("href", "src"):
                assert value.startswith(("https://", "mailto:")), value
    assert doc.find(".//body/table") is not None  # layout by table, not CSS
    return doc


@pytest.mark.parametrize("handle", sorted(DIRECTORY.people))
def test_every_demo_signature(handle):
    person = DIRECTORY.people[handle]
    ctx = ctx_for(person)
    doc = check_email_safe(signature_html(person, ctx))
    text = "".join(doc.find(".//body").itertext())
    for part in (person.name, person.title, ctx.department_name, person.email):
        assert part in text
    hrefs = {a.get("href") for a in doc.iterfind(".//a")}
    assert f"mailto:{person.email}" in hrefs
    assert f"https://chorus.test/people/{handle}/" in hrefs
    assert {a.url for a in person.accounts} <= hrefs
    img = doc.find(".//img")
    assert img.get("src") == f"https://chorus.test/{person.photo.path}" and img.get("alt")
    assert img.get("src").endswith(".png")  # raster: Gmail and Outlook show no SVG
    assert img.get("width") == img.get("height") == str(SIGNATURE_CSS_PX)


def width(line: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)


@pytest.mark.parametrize("handle", sorted(DIRECTORY.people))
def test_every_demo_text_signature(handle):
    person = DIRECTORY.people[handle]
    text = signature_text(person, ctx_for(person))
    lines = text.splitlines()
    assert lines[0] == person.name and lines[1] == person.title
    assert all(width(line) <= 72 for line in lines)
    for account in person.accounts:
        assert f"{account.label}: {account.url}" in text


def test_hostile_person_cannot_inject_markup():
    person = Person(
        "evil",
        '<script>alert(1)</script>"><img src=x onerror=alert(1)>',
        "hr",
        "</td></table><style>body{display:none}</style>",
        email='a@b.example" onclick="x',
        avatar="javascript:alert(1)",
        accounts=[Account("website", "Website", "https://ok.example/?a=1&b=<2>", "ok")],
    )
    html = signature_html(person, ctx_for(person))
    doc = check_email_safe(html)
    assert doc.find(".//img") is None  # an avatar that is no image file: initials instead
    assert doc.find(".//strong").text == person.name  # shown as text, exactly


def test_text_signature_wraps_long_and_wide_lines():
    person = Person(
        "long",
        "A Name\nWith A Newline",
        "hr",
        "Senior " * 15 + "Engineer",
        accounts=[Account("website", "Website", "https://example.org/" + "p" * 80, "x")],
    )
    ctx = CardContext("https://chorus.test", "Alder & Finch Co.", "設計" * 20)
    lines = signature_text(person, ctx).splitlines()
    assert lines[0] == "A Name With A Newline"
    long_url = "https://example.org/" + "p" * 80
    assert long_url in lines  # never broken
    assert all(width(line) <= 72 for line in lines if line != long_url)


def test_without_a_photo_the_signature_shows_initials():
    person = Person("zoe", "Zoë van den Berg (Zoë)", "hr", "Tester")
    doc = check_email_safe(signature_html(person, ctx_for(person)))
    assert doc.find(".//img") is None
    cell = doc.find(".//body/table/tr/td/table/tr/td") or doc.find(
        ".//body/table/tbody/tr/td/table/tbody/tr/td"
    )
    assert cell.text == "ZB" and cell.get("width") == str(SIGNATURE_CSS_PX)
