"""Raster photos for signatures and vCards: real PNG/JPEG files of the right size, made from
the demo SVG avatars and from fixture files (tests/fixtures/photos/), one line for a bad one."""

from __future__ import annotations

import io
import shutil

import pytest
from PIL import Image

from plugins.people.cards import CardContext, signature_html, write_cards
from plugins.people.directory import load_directory
from plugins.people.pages import attach_photos
from plugins.people.photos import PHOTO_PX, make_photo
from tests.conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "photos"
CONTENT = ROOT / "content"
CTX = CardContext("https://chorus.test", "Alder & Finch Co.", "Warehouse")


def opened(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.verify()  # a real file: its structure and checksums, not just a header
    return Image.open(io.BytesIO(data))


def test_every_demo_avatar_becomes_a_png_of_the_signature_size():
    directory = load_directory(CONTENT)
    assert attach_photos(directory, CONTENT) == []
    with_avatar = [p for p in directory.people.values() if p.avatar]
    assert with_avatar
    for person in with_avatar:
        photo = person.photo
        assert photo is not None, person.handle
        assert photo.mediatype == "image/png"
        assert photo.path.startswith(f"people/{person.handle}/photo-")
        image = opened(photo.data)
        assert (image.format, image.size) == ("PNG", (PHOTO_PX, PHOTO_PX))
        # the initials are drawn: more than the background colour and transparency
        assert len(image.convert("RGBA").getcolors(maxcolors=PHOTO_PX * PHOTO_PX)) > 10


def test_the_file_name_follows_the_source(tmp_path):
    source = tmp_path / "a.svg"
    shutil.copy(FIXTURES / "wide.svg", source)
    first = make_photo(source, "x")
    assert make_photo(source, "x").path == first.path
    source.write_text(source.read_text().replace("#f2c14e", "#000000"))
    assert make_photo(source, "x").path != first.path


def test_a_wide_svg_is_cropped_to_its_centre_not_squashed():
    image = opened(make_photo(FIXTURES / "wide.svg", "w").data).convert("RGB")
    assert image.size == (PHOTO_PX, PHOTO_PX)
    # the 100x100 circle fills the square crop: its middle and its top edge's middle
    assert image.getpixel((PHOTO_PX // 2, PHOTO_PX // 2)) == (0xF2, 0xC1, 0x4E)
    assert image.getpixel((PHOTO_PX // 2, 2)) == (0xF2, 0xC1, 0x4E)
    assert image.getpixel((1, 1)) == (0x1D, 0x4E, 0x89)  # a corner: the background


def test_a_jpeg_photo_stays_a_jpeg():
    photo = make_photo(FIXTURES / "portrait.jpg", "p")
    image = opened(photo.data)
    assert (photo.mediatype, image.format, image.size) == ("image/jpeg", "JPEG", (192, 192))
    assert photo.path.endswith(".jpg")


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("broken.svg", "not a valid SVG image"),
        ("not-an-image.png", "not an image Pillow can read"),
        ("truncated.jpg", "the image is damaged"),
        ("huge.png", "the image is 8000x6000 pixels"),
    ],
)
def test_a_bad_image_is_one_line_naming_the_file(name, message):
    from plugins.problems import ContentError

    with pytest.raises(ContentError) as caught:
        make_photo(FIXTURES / name, "bad")
    line = caught.value.format()
    where = f"{FIXTURES / name}:3" if name == "broken.svg" else str(FIXTURES / name)
    assert line.startswith(f"{where}: error: ") and message in line
    assert "\n" not in line


def test_a_broken_avatar_is_reported_once_and_the_person_gets_initials(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(CONTENT / "people", content / "people")
    shutil.copy(CONTENT / "departments.yaml", content)
    shutil.copytree(CONTENT / "images", content / "images")
    shutil.copy(FIXTURES / "broken.svg", content / "images" / "people" / "maria.lopez.svg")
    directory = load_directory(content)
    errors = attach_photos(directory, content)
    assert [e.format() for e in errors] == [
        f"{content / 'images/people/maria.lopez.svg'}:3: error: not a valid SVG image:"
        " invalid name token at 3:3"
    ]
    maria = directory.people["maria.lopez"]
    assert maria.photo is None
    assert all(p.photo for p in directory.people.values() if p.avatar and p is not maria)
    html = signature_html(maria, CTX)
    assert "<img" not in html and ">ML</td>" in html


def test_the_photo_is_written_once_per_person(tmp_path):
    directory = load_directory(CONTENT)
    attach_photos(directory, CONTENT)
    person = directory.people["maria.lopez"]
    paths = write_cards(tmp_path, person, CTX)
    photo = tmp_path / person.photo.path
    assert photo in paths and photo.read_bytes() == person.photo.data
    assert f'src="https://chorus.test/{person.photo.path}"' in signature_html(person, CTX)


def test_an_avatar_outside_the_content_folder_is_refused(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(CONTENT / "people", content / "people")
    shutil.copy(CONTENT / "departments.yaml", content)
    shutil.copy(FIXTURES / "wide.svg", tmp_path / "outside.svg")
    person_file = content / "people" / "maria.lopez.yaml"
    text = person_file.read_text(encoding="utf-8")
    person_file.write_text(
        text.replace("images/people/maria.lopez.svg", "../outside.svg"), encoding="utf-8"
    )
    directory = load_directory(content)
    errors = attach_photos(directory, content)
    assert [e.format() for e in errors] == [
        f"{person_file}:7: error: 'avatar' must be a file in content/"
    ]
    assert directory.people["maria.lopez"].photo is None
