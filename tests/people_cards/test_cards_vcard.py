"""vCards: parsed back with vobject, the way an address book would read them."""

from __future__ import annotations

import base64
import io

import pytest
import vobject
from PIL import Image
from vobject.base import parseLine

from plugins.people.cards import CardContext, fold, vcard
from plugins.people.directory import Account, Person, load_directory
from plugins.people.pages import attach_photos
from plugins.people.photos import PHOTO_PX, make_photo
from tests.conftest import ROOT

CTX = CardContext("https://chorus.test", "Alder & Finch Co.", "People & Culture")
DIRECTORY = load_directory(ROOT / "content")
attach_photos(DIRECTORY, ROOT / "content")


def parse(text: str):
    card = vobject.readOne(text)
    assert card.name == "VCARD"
    return card


def values(card, name: str) -> list[str]:
    return [line.value for line in card.contents.get(name, [])]


def photo_of(text: str) -> bytes:
    """The PHOTO's image, checked to be a real raster file of the photo size. vobject 0.9
    unfolds and splits the line, but its vCard 3 behaviour for PHOTO (text) cuts a data: URI
    at its comma, where RFC 6350 makes PHOTO a URI: so the logical line is read, not .value."""
    parsed = [parseLine(line) for line, _ in vobject.base.getLogicalLines(io.StringIO(text))]
    (photo,) = [(params, value) for name, params, value, _ in parsed if name == "PHOTO"]
    params, value = photo
    assert params == []  # the media type is in the data: URI, no MEDIATYPE needed
    assert vobject.readOne(text).photo.value.startswith("data:image/")
    header, _, data = value.partition(",")
    assert header in ("data:image/png;base64", "data:image/jpeg;base64")
    raw = base64.b64decode(data, validate=True)
    image = Image.open(io.BytesIO(raw))
    assert image.format == header[len("data:image/") : -len(";base64")].upper()
    assert image.size == (PHOTO_PX, PHOTO_PX)
    image.verify()
    return raw


@pytest.mark.parametrize("handle", sorted(DIRECTORY.people))
def test_every_demo_person(handle):
    person = DIRECTORY.people[handle]
    ctx = CardContext(
        "https://chorus.test", "Alder & Finch Co.", DIRECTORY.departments[person.department].name
    )
    text = vcard(person, ctx)
    card = parse(text)
    assert card.version.value == "4.0"
    assert card.fn.value == person.name
    assert card.title.value == person.title
    assert values(card, "email") == [person.email]
    assert card.org.value == ["Alder & Finch Co.", ctx.department_name]
    assert card.n.value.given and card.n.value.family
    assert f"https://chorus.test/people/{handle}/" in values(card, "url")
    assert photo_of(text) == person.photo.data
    socials = [a.url for a in person.accounts if a.platform != "website"]
    assert sorted(values(card, "socialprofile")) == sorted(socials)
    assert sorted(values(card, "x-socialprofile")) == sorted(socials)
    for line in card.contents.get("x-socialprofile", []):
        account = next(a for a in person.accounts if a.url == line.value)
        assert line.params["TYPE"] == [account.platform]
    website = person.account("website")
    if website:
        assert website.url in values(card, "url")


def test_line_endings_and_folding():
    person = DIRECTORY.people["aiko.tanaka"]
    text = vcard(person, CTX)
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    for line in text.split("\r\n"):
        assert len(line.encode("utf-8")) <= 75, line


def test_multibyte_lines_fold_on_octets_without_splitting_a_character():
    title = "Łódź " + "é" * 70 + " 田中" * 10
    person = Person("x", "Zoë van den Berg", "hr", title)
    text = vcard(person, CTX)
    for line in text.split("\r\n"):
        assert len(line.encode("utf-8")) <= 75
    assert parse(text).title.value == title
    assert fold("a" * 75) == "a" * 75  # exactly 75 octets: no fold
    assert fold("a" * 76) == "a" * 75 + "\r\n a"


def test_hostile_name_and_fields_are_escaped():
    name = 'Evil; Name, with \\ a backslash\nand "a newline"'
    person = Person(
        "evil",
        name,
        "hr",
        "Chief; of, Things",
        bio="Line one\r\nLine two; three, four \\ five",
        email="evil@example.com",
        accounts=[Account("x", "X", "https://x.com/evil", "@evil")],
    )
    text = vcard(person, CardContext("https://chorus.test", "Org; Inc, Ltd", "Dept\\x"))
    assert "\nBEGIN" not in text and text.count("END:VCARD") == 1
    card = parse(text)
    assert card.fn.value == name
    assert card.title.value == "Chief; of, Things"
    assert card.note.value == "Line one\nLine two; three, four \\ five"
    assert card.org.value == ["Org; Inc, Ltd", "Dept\\x"]
    assert card.n.value.given == "Evil;"
    # A newline inside a value never starts a property of its own.
    assert all(not line.startswith('and "a newline"') for line in text.split("\r\n"))


def test_person_without_optional_fields():
    card = parse(vcard(Person("min", "Min Imal", "hr", "Tester"), CTX))
    assert "email" not in card.contents and "photo" not in card.contents
    assert card.fn.value == "Min Imal" and card.n.value.family == "Imal"


def test_a_jpeg_photo_is_embedded_as_jpeg():
    photo = make_photo(ROOT / "tests" / "fixtures" / "photos" / "portrait.jpg", "p")
    person = Person("p", "Pat Photo", "hr", "Tester", photo=photo)
    text = vcard(person, CTX)
    assert photo_of(text) == photo.data
    assert all(len(line.encode("utf-8")) <= 75 for line in text.split("\r\n"))
